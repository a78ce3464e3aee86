/** The fix of no-private-api-v2: a marker only (api-v2 has no supported migration). */
import type { RuleFix } from '../../src/fix/providers.js';

const fix: RuleFix = {
  id: 'no-private-api-v2',
  marker: 'private API, no migration: use api.soundcloud.com',
};
export default fix;
