/** The fix of no-query-oauth-token: the token moves from the URL to the request's header. */
import type { RuleFix } from '../../src/fix/providers.js';
import { queryTokenProvider } from '../../src/fix/rewrites.js';
import { wrapperProvider } from '../../src/fix/wrappers.js';
import { fragmentProvider } from '../../src/fix/fragments.js';
import { callOptionsProvider } from '../../src/fix/calls.js';
import { paramsMutationProvider } from '../../src/fix/params.js';
import { instanceCallProvider } from '../../src/fix/instances.js';
import { headerPresentProvider } from '../../src/fix/header-present.js';
import { configObjectProvider } from '../../src/fix/config-object.js';
import { nodeOAuthProvider } from '../../src/fix/node-oauth.js';

const fix: RuleFix = {
  id: 'no-query-oauth-token',
  marker: (f) => f.messageId === 'sdk'
    ? 'replace this SDK call with sc-migrate/runtime'
    : 'send the token in the request header, not the URL',
  // fragmentProvider: a shared `'?oauth_token=' + t` fragment appended to every URL of a service
  // callOptionsProvider: request.getAsync(uri, { timeout }) options at the call; $.getJSON -> $.ajax
  // paramsMutationProvider: `if (t) params.oauth_token = t` on the params of a request of the same function
  // instanceCallProvider: this.http.get(url, { params: { oauth_token } }) on an axios instance
  // headerPresentProvider: the request already sends the same token in its header: the query copy goes
  // configObjectProvider: `config.params.oauth_token = t; return $http(config)`: the token goes to config.headers
  // nodeOAuthProvider: node-oauth's OAuth2 with setAccessTokenName('oauth_token'): its get() sends the header instead
  providers: [queryTokenProvider, fragmentProvider, callOptionsProvider, paramsMutationProvider, instanceCallProvider, headerPresentProvider, configObjectProvider, nodeOAuthProvider],
  // the app's request wrappers and URL builders (also carry client_id / client_secret rewrites)
  fileProviders: [wrapperProvider],
};
export default fix;
