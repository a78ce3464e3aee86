/** The fix of no-disabled-redirects: the option that stops redirects goes. */
import type { RuleFix } from '../../src/fix/providers.js';
import { redirectsProvider } from '../../src/fix/rewrites.js';

const fix: RuleFix = {
  id: 'no-disabled-redirects',
  marker: 'let this request follow redirects',
  providers: [redirectsProvider],
};
export default fix;
