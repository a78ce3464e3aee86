/** Codemod for sc-migrate rule `no-deprecated-sdk` (see docs/fix.md). Run alone: `npx jscodeshift -t transforms/no-deprecated-sdk.ts <paths>`. */
import { makeTransformer } from '../src/fix/transform.js';

export const parser = 'tsx';
const transformer = makeTransformer('no-deprecated-sdk');
export default transformer;
