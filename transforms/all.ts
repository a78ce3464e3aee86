/** Every sc-migrate rewrite at once: `npx jscodeshift -t transforms/all.ts <paths>`. */
import { ruleFixes } from '../src/fix/providers.js';
import { makeTransformer } from '../src/fix/transform.js';

export const parser = 'tsx';
const transformer = makeTransformer(...ruleFixes.map((f) => f.id));
export default transformer;
