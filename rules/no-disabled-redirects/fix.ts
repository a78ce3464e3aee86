/**
 * The fix of no-disabled-redirects: the option that stops redirects goes, unless the code reads
 * the redirect itself (3xx status or Location): that is deliberate and stays.
 */
import type { RuleFix } from '../../src/fix/providers.js';
import { redirectsProvider } from '../../src/fix/rewrites.js';

const fix: RuleFix = {
  id: 'no-disabled-redirects',
  marker: (_f, { readsRedirect }) => readsRedirect
    ? 'reads the redirect itself: keep it'
    : 'let this request follow redirects',
  providers: [redirectsProvider],
};
export default fix;
