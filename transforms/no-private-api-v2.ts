/** Codemod for sc-migrate rule `no-private-api-v2` (see docs/fix.md). Run alone: `npx jscodeshift -t transforms/no-private-api-v2.ts <paths>`. */
import { makeTransformer } from '../src/fix/transform.js';

export const parser = 'tsx';
const transformer = makeTransformer('no-private-api-v2');
export default transformer;
