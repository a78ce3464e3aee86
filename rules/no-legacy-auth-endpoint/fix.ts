/** The fix of no-legacy-auth-endpoint: the rule's own edit (the secure.soundcloud.com endpoints). */
import type { RuleFix } from '../../src/fix/providers.js';

const fix: RuleFix = {
  id: 'no-legacy-auth-endpoint',
  marker: 'use the secure.soundcloud.com endpoint',
};
export default fix;
