/**
 * no-query-oauth-token, node-oauth's OAuth2 told `setAccessTokenName('oauth_token')` (a passport
 * strategy's profile request, src/fix/node-oauth.ts): `get(url, token, cb)` puts `?oauth_token=`
 * in the URL, which the strict mock rejects. After fix the same object sends `Authorization:
 * OAuth <token>` (`setAuthMethod('OAuth')`, `useAuthorizationHeaderforGET(true)`) and the profile
 * comes back from the strict mock. node-oauth itself is not installed here: `OAuth2` below is a
 * stand-in with node-oauth's documented behaviour of the methods the app calls (`get` sends the
 * header only when told to, else the token under its configured name in the query; the header is
 * `<authMethod> <token>`, `Bearer` unless set), over the mock's fetch.
 */
import { readFileSync } from 'node:fs';
import util from 'node:util';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { allRules } from '../../rules/index.js';
import { fixText } from '../../src/fix/apply.js';
import type { MockApi } from '../../src/mock-api/index.js';
import { strictMockWithUser } from './mock-user-token.js';

const CLIENT = { clientId: 'oauth2-app', clientSecret: 'oauth2-secret', redirectUris: ['http://localhost:3000/cb'] };
const CASE = resolve(import.meta.dirname, '../../rules/no-query-oauth-token/fixtures/fix/node-oauth-strategy');
const input = readFileSync(join(CASE, 'input/lib/strategy.js'), 'utf8');
const fix = (text: string) => fixText(text, { filename: '/srv/passport-sc/lib/strategy.js', rules: allRules });

/** node-oauth's OAuth2, the part the strategy uses (get / setAccessTokenName / setAuthMethod / useAuthorizationHeaderforGET). */
function oauth2Class(mock: MockApi) {
  return class OAuth2 {
    _accessTokenName = 'access_token';
    _authMethod = 'Bearer';
    _useAuthorizationHeaderForGET = false;
    setAccessTokenName(name: string) { this._accessTokenName = name; }
    setAuthMethod(m: string) { this._authMethod = m; }
    useAuthorizationHeaderforGET(v: boolean) { this._useAuthorizationHeaderForGET = v; }
    buildAuthHeader(token: string) { return `${this._authMethod} ${token}`; }
    get(url: string, token: string | null, cb: (err: unknown, body?: string) => void) {
      const headers: Record<string, string> = {};
      if (this._useAuthorizationHeaderForGET) { headers.Authorization = this.buildAuthHeader(token!); token = null; }
      const u = new URL(url);
      if (token) u.searchParams.set(this._accessTokenName, token);
      mock.fetch(mock.apiUrl + u.pathname + u.search, { headers }).then(async (r) => {
        const body = await r.text();
        if (r.status >= 400) cb({ statusCode: r.status, data: body }); else cb(null, body);
      }, cb);
    }
  };
}

function load(code: string, mock: MockApi) {
  const OAuth2 = oauth2Class(mock);
  function OAuth2Strategy(this: { _oauth2: InstanceType<typeof OAuth2> }) { this._oauth2 = new OAuth2(); }
  const module = { exports: {} as unknown };
  const modules: Record<string, unknown> = { util, 'passport-oauth2': OAuth2Strategy };
  new Function('require', 'module', 'exports', code)((m: string) => modules[m], module, module.exports);
  const Strategy = module.exports as new (o: object, v: () => void) => { userProfile(t: string, done: (err: unknown, p?: { id: number }) => void): void };
  return new Strategy({ clientID: CLIENT.clientId }, () => {});
}

const profile = (code: string, mock: MockApi, token: string) => new Promise<{ err: unknown; id?: number }>((res) => load(code, mock).userProfile(token, (err, p) => res({ err, id: p?.id })));

describe("node-oauth's get() with setAccessTokenName('oauth_token')", () => {
  const env = strictMockWithUser(CLIENT);

  it('fails on the strict mock before fix; after fix the profile request sends the header and gets the user', async () => {
    const before = await profile(input, env.mock, env.token);
    expect(before.err).toBeTruthy();
    expect(env.mock.stats.rejections).toEqual({ oauth_token_in_query: 1 });

    const r = fix(input);
    expect(r.status).toBe('changed');
    // left: only require-pkce's marked finding (the strategy's SoundCloud authorize default has no PKCE)
    expect(r.remaining.map((f) => `${f.ruleId}:${f.marked}`)).toEqual(['require-pkce:true']);
    expect(r.text).toBe(readFileSync(join(CASE, 'output/lib/strategy.js'), 'utf8'));
    expect(fix(r.text).text).toBe(r.text);

    env.mock.stats.reset();
    const after = await profile(r.text, env.mock, env.token);
    expect(after.err).toBeFalsy();
    expect(typeof after.id).toBe('number');
    expect(env.mock.stats.rejections).toEqual({});
  });

  it('getProtectedResource or _request on the same object (the token stays in the query): marker, no edit', () => {
    const other = input.replace('this._oauth2.get(this._profileURL, accessToken,', 'this._oauth2.getProtectedResource(this._profileURL, accessToken,');
    const r = fix(other);
    expect(r.text).toContain("  /* sc-migrate(no-query-oauth-token): send the token in the request header, not the URL */\n  this._oauth2.setAccessTokenName('oauth_token');\n}");
    expect(r.text).not.toContain('useAuthorizationHeaderforGET');
    expect(r.remaining.filter((f) => f.ruleId === 'no-query-oauth-token').map((f) => f.messageId)).toEqual(['nodeOAuth']);
  });

  it('an existing setAuthMethod is kept; no semicolons in a file without them', () => {
    const noSemi = `const { OAuth2 } = require('oauth')
const oa = new OAuth2(process.env.SC_ID, process.env.SC_SECRET, 'https://api.soundcloud.com', '/connect', '/oauth2/token')
oa.setAuthMethod('OAuth')
oa.setAccessTokenName('oauth_token')
exports.me = (token, cb) => oa.get('https://api.soundcloud.com/me', token, cb)
`;
    const r = fix(noSemi);
    expect(r.text).toContain("oa.setAccessTokenName('oauth_token')\noa.useAuthorizationHeaderforGET(true)\nexports.me");
    expect(r.remaining.filter((f) => f.ruleId === 'no-query-oauth-token')).toEqual([]);
  });
});
