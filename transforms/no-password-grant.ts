/** Codemod for sc-migrate rule `no-password-grant` (see docs/fix.md). Run alone: `npx jscodeshift -t transforms/no-password-grant.ts <paths>`. */
import { makeTransformer } from '../src/fix/transform.js';

export const parser = 'tsx';
const transformer = makeTransformer('no-password-grant');
export default transformer;
