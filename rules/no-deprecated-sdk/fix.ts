/** The fix of no-deprecated-sdk: a marker only (the SDK's flows need a person). */
import type { RuleFix } from '../../src/fix/providers.js';

const fix: RuleFix = {
  id: 'no-deprecated-sdk',
  marker: 'replace the old SDK with sc-migrate/runtime',
};
export default fix;
