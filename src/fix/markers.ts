/**
 * Marker texts: `/* sc-migrate(<rule-id>): what to do *\/`, one recipe per rule (and message).
 * Kept on one line so a marker never splits anything; `scan` reports each remaining marker.
 */
import type { Finding } from '../engine/types.js';

const BROWSER_RE = /\.(vue|html?|jsx|tsx)$/i;

const RECIPES: Record<string, string | ((f: Finding, file: string, browser: boolean) => string)> = {
  'no-insecure-http': 'use https:// for SoundCloud hosts (Node: the https module instead of http)',
  'no-legacy-auth-endpoint': 'use https://secure.soundcloud.com/oauth/token (token) and https://secure.soundcloud.com/authorize (authorize)',
  'no-query-oauth-token': (f) => f.messageId === 'sdk'
    ? 'the old SDK puts oauth_token in the query; move to sc-migrate/runtime SoundCloudClient (sc.getJson / sc.fetch) which sends Authorization: OAuth <token>'
    : 'drop oauth_token from the URL and send the header Authorization: OAuth <token> on this request',
  'no-client-id-auth': (f, file, browser) => browser || BROWSER_RE.test(file)
    ? 'browser code cannot hold a client secret: call your backend, which uses sc-migrate/runtime createClientFromEnv() (client_credentials, SOUNDCLOUD_CLIENT_ID/SOUNDCLOUD_CLIENT_SECRET) and sends Authorization: OAuth <token>'
    : 'replace ?client_id= with a client_credentials token: const sc = createClientFromEnv() from sc-migrate/runtime (SOUNDCLOUD_CLIENT_ID, SOUNDCLOUD_CLIENT_SECRET), then sc.getJson(path, query) / sc.fetch(path)',
  'no-password-grant': 'grant_type=password is gone: server-only access to public resources -> client_credentials (createClientFromEnv()); acting for a user -> authorization_code + PKCE (sc.authorizeUrl() then sc.handleCallback()/exchangeCode())',
  'no-implicit-grant': 'use response_type=code with PKCE: const { url, state, codeVerifier } = await sc.authorizeUrl(); keep state+codeVerifier, then exchange the code on your backend (sc.exchangeCode / sc.handleCallback)',
  'require-pkce': (f) => f.messageId === 'exchange'
    ? 'send code_verifier with the code exchange (the verifier kept from authorizeUrl()); sc.handleCallback(url, { state, codeVerifier }) does it'
    : 'add PKCE: code_challenge (S256 of a kept code_verifier), code_challenge_method=S256 and state; sc.authorizeUrl() from sc-migrate/runtime returns { url, state, codeVerifier }',
  'require-token-refresh': (f) => f.messageId === 'nonExpiring'
    ? 'remove scope non-expiring; tokens expire: renew with grant_type=refresh_token before expires_in'
    : 'tokens expire (expires_in, about 1 h): store the refresh token and renew with grant_type=refresh_token (single-flight), or let sc-migrate/runtime SoundCloudClient manage tokens',
  'no-disabled-redirects': 'let this request follow redirects (remove the option): SoundCloud answers 301/302',
  'no-client-secret-in-body': "send Authorization: 'Basic ' + base64(encodeURIComponent(id) + ':' + encodeURIComponent(secret)) instead of client_id/client_secret in the body",
  'no-hardcoded-credentials': (f, file, browser) => browser || BROWSER_RE.test(file) || f.messageId === 'browser'
    ? 'a secret in browser code is public: move it to a server, read it there from the environment, and rotate it'
    : `read it from the environment (${/process\.env\.(\w+)/.exec(f.suggestions?.[0]?.message ?? '')?.[1] ?? /\((SOUNDCLOUD_\w+)\)/.exec(f.message)?.[1] ?? 'SOUNDCLOUD_CLIENT_SECRET'}) and rotate the leaked value`,
  'no-deprecated-sdk': 'the connect.soundcloud.com SDK / soundcloud npm SDK is deprecated (implicit grant, query tokens): replace SC.* calls with sc-migrate/runtime SoundCloudClient (authorizeUrl + backend exchange, sc.getJson, sc.fetch)',
  'no-private-api-v2': 'api-v2.soundcloud.com is private and unsupported: move to the public API (https://api.soundcloud.com) with OAuth, or accept the risk; no automatic migration',
};

/** The recipe of a marker; `browser`: the file runs in a browser (no secret may live there). */
export function markerText(ruleId: string, f: Finding, file: string, browser = false): string {
  const r = RECIPES[ruleId];
  const text = typeof r === 'function' ? r(f, file, browser) : r ?? f.message;
  return text.replace(/[\r\n]+/g, ' ');
}
