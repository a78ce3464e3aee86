/** The fix of no-insecure-http: the rule's own edit (http:// -> https://); the marker for what it cannot reach. */
import type { RuleFix } from '../../src/fix/providers.js';

const fix: RuleFix = {
  id: 'no-insecure-http',
  marker: 'use https:// for this SoundCloud URL',
};
export default fix;
