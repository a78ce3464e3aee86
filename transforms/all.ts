/** Every sc-migrate rewrite at once: `npx jscodeshift -t transforms/all.ts <paths>`. */
import { allRules } from '../rules/index.js';
import { makeTransformer } from '../src/fix/transform.js';

export const parser = 'tsx';
const transformer = makeTransformer(...allRules.map((r) => r.meta.docs.scMigrate.id));
export default transformer;
