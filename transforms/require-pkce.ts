/** Codemod for sc-migrate rule `require-pkce` (see docs/fix.md). Run alone: `npx jscodeshift -t transforms/require-pkce.ts <paths>`. */
import { makeTransformer } from '../src/fix/transform.js';

export const parser = 'tsx';
const transformer = makeTransformer('require-pkce');
export default transformer;
