/** Codemod for sc-migrate rule `require-token-refresh` (see docs/fix.md). Run alone: `npx jscodeshift -t transforms/require-token-refresh.ts <paths>`. */
import { makeTransformer } from '../src/fix/transform.js';

export const parser = 'tsx';
const transformer = makeTransformer('require-token-refresh');
export default transformer;
