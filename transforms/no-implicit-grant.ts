/** Codemod for sc-migrate rule `no-implicit-grant` (see docs/fix.md). Run alone: `npx jscodeshift -t transforms/no-implicit-grant.ts <paths>`. */
import { makeTransformer } from '../src/fix/transform.js';

export const parser = 'tsx';
const transformer = makeTransformer('no-implicit-grant');
export default transformer;
