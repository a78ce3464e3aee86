/** Codemod for sc-migrate rule `no-hardcoded-credentials` (see docs/fix.md). Run alone: `npx jscodeshift -t transforms/no-hardcoded-credentials.ts <paths>`. */
import { makeTransformer } from '../src/fix/transform.js';

export const parser = 'tsx';
const transformer = makeTransformer('no-hardcoded-credentials');
export default transformer;
