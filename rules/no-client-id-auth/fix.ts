/** The fix of no-client-id-auth: a client_credentials token from the generated client module. */
import type { RuleFix } from '../../src/fix/providers.js';
import { clientIdProvider } from '../../src/fix/rewrites.js';

const fix: RuleFix = {
  id: 'no-client-id-auth',
  marker: (_f, { browser }) => browser
    ? 'browser code: ask your backend for an app token'
    : 'send an app token (client credentials) in the header',
  providers: [clientIdProvider],
};
export default fix;
