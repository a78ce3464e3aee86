/** Codemod for sc-migrate rule `no-insecure-http` (see docs/fix.md). Run alone: `npx jscodeshift -t transforms/no-insecure-http.ts <paths>`. */
import { makeTransformer } from '../src/fix/transform.js';

export const parser = 'tsx';
const transformer = makeTransformer('no-insecure-http');
export default transformer;
