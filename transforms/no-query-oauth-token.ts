/** Codemod for sc-migrate rule `no-query-oauth-token` (see docs/fix.md). Run alone: `npx jscodeshift -t transforms/no-query-oauth-token.ts <paths>`. */
import { makeTransformer } from '../src/fix/transform.js';

export const parser = 'tsx';
const transformer = makeTransformer('no-query-oauth-token');
export default transformer;
