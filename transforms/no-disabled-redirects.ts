/** Codemod for sc-migrate rule `no-disabled-redirects` (see docs/fix.md). Run alone: `npx jscodeshift -t transforms/no-disabled-redirects.ts <paths>`. */
import { makeTransformer } from '../src/fix/transform.js';

export const parser = 'tsx';
const transformer = makeTransformer('no-disabled-redirects');
export default transformer;
