/** Codemod for sc-migrate rule `no-client-id-auth` (see docs/fix.md). Run alone: `npx jscodeshift -t transforms/no-client-id-auth.ts <paths>`. */
import { makeTransformer } from '../src/fix/transform.js';

export const parser = 'tsx';
const transformer = makeTransformer('no-client-id-auth');
export default transformer;
