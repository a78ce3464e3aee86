/** The fix of no-implicit-grant: a marker only (the code flow needs a backend). */
import type { RuleFix } from '../../src/fix/providers.js';

const fix: RuleFix = {
  id: 'no-implicit-grant',
  marker: 'use the authorization code flow with PKCE',
};
export default fix;
