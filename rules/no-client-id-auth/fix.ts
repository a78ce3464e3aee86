/** The fix of no-client-id-auth: a client_credentials token from the generated client module (server), or from the app's backend route (browser). */
import type { RuleFix } from '../../src/fix/providers.js';
import { clientIdProvider } from '../../src/fix/rewrites.js';
import { browserClientIdProvider } from '../../src/fix/browser-client.js';
import { instanceDefaultsProvider } from '../../src/fix/instances.js';
import { paramsClientIdProvider } from '../../src/fix/params.js';
import { streamUrlProvider } from '../../src/fix/streams.js';
import { callOptionsClientIdProvider } from '../../src/fix/call-options-client-id.js';
import { classicPageProvider } from '../../src/fix/classic-pages.js';

const fix: RuleFix = {
  id: 'no-client-id-auth',
  // one marker per root cause: the private API's host literal, or the client_id's declaration
  // a stream / download URL left (stored, or built where nothing waits): the runtime's streamUrl
  // an app shell (React Native, Electron, ...) given a token route it cannot ask (relative, plain http): name an absolute one
  // the old SDK's set-up: its data calls send the client id, whatever token the app gets
  marker: (f, { browser, streamUrl, shell }) => f.origin?.kind === 'private-api' || f.messageId === 'clientIdPrivate'
    ? 'private API: use api.soundcloud.com'
    : f.messageId === 'sdk'
      ? 'old SDK: send its calls with an app token instead'
      : streamUrl
      ? 'stream URL: get a signed one from streamUrl() to play'
      : shell
        ? 'app shell: rerun fix with --token-endpoint <backend URL>'
        : browser || f.messageId === 'clientIdBrowser'
          ? 'browser code: ask your backend for an app token'
          : f.origin?.unknownHost
            ? 'app token in the header (not for private API URLs)'
            : 'send an app token (client credentials) in the header',
  // instanceDefaultsProvider: axios.create({ params: { client_id } }) -> a request interceptor with the app token
  // paramsClientIdProvider: params.client_id = ID on the params of a request of the same async function
  // browserClientIdProvider: browser code, the app token from the app's backend route
  // streamUrlProvider: a stream / download URL handed to a player or a download gets a signed URL from the runtime
  // callOptionsClientIdProvider: request.getAsync(uri, { timeout }) (promisifyAll, method names): the options at the call take the header
  // classicPageProvider: scripts of HTML pages without modules (jQuery, fetch): a classic client script, loaded by their pages
  providers: [clientIdProvider, instanceDefaultsProvider, paramsClientIdProvider, browserClientIdProvider, streamUrlProvider, callOptionsClientIdProvider, classicPageProvider],
};
export default fix;
