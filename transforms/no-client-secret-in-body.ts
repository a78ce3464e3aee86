/** Codemod for sc-migrate rule `no-client-secret-in-body` (see docs/fix.md). Run alone: `npx jscodeshift -t transforms/no-client-secret-in-body.ts <paths>`. */
import { makeTransformer } from '../src/fix/transform.js';

export const parser = 'tsx';
const transformer = makeTransformer('no-client-secret-in-body');
export default transformer;
