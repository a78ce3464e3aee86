/**
 * The fix of no-legacy-auth-endpoint: the rule's own edit (the secure.soundcloud.com endpoints),
 * and the endpoint written as a base constant plus a path (`${this.domain}/oauth2/token`).
 */
import type { RuleFix } from '../../src/fix/providers.js';
import { legacyEndpointProvider } from '../../src/fix/endpoints.js';
import { endpointChainProvider, endpointPartsProvider } from '../../src/fix/endpoint-parts.js';

const fix: RuleFix = {
  id: 'no-legacy-auth-endpoint',
  marker: 'use the secure.soundcloud.com endpoint',
  // endpointPartsProvider: `{ host: 'api.soundcloud.com', path: '/oauth2/token' }` (url.format, https.request)
  // endpointChainProvider: everyauth's `.oauthHost('https://api.soundcloud.com').authPath('/connect').accessTokenPath('/oauth2/token')`
  providers: [legacyEndpointProvider, endpointPartsProvider, endpointChainProvider],
};
export default fix;
