/** Codemod for sc-migrate rule `no-legacy-auth-endpoint` (see docs/fix.md). Run alone: `npx jscodeshift -t transforms/no-legacy-auth-endpoint.ts <paths>`. */
import { makeTransformer } from '../src/fix/transform.js';

export const parser = 'tsx';
const transformer = makeTransformer('no-legacy-auth-endpoint');
export default transformer;
