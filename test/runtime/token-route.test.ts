/**
 * createTokenEndpoint (the backend route of a browser app) against the strict mock: browser
 * clients (no secret, `tokenEndpoint` = the route on 127.0.0.1, reached through a real HTTP
 * server and toNodeHandler) get the backend's one cached app token, across an expiry, and a user
 * login whose code exchange and refresh the route forwards with the app's credentials.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMockApi, type MockApi } from '../../src/mock-api/index.js';
import { MemoryTokenStore, SoundCloudClient, createTokenEndpoint, toNodeHandler } from '../../src/runtime/index.js';

const SECRET = 'route:se+cr%et/x';
const CLIENT = { clientId: 'browser-app', clientSecret: SECRET, redirectUris: ['http://localhost:3000/callback'] };
const T0 = 1_800_000_000_000;
const noSleep = async () => {};

describe('createTokenEndpoint: a browser app gets its tokens from its own backend', () => {
  let mock: MockApi;
  let t = T0;
  const now = () => t;
  const servers: Server[] = [];
  const bodies: string[] = [];

  beforeAll(async () => {
    mock = await startMockApi({ mode: 'strict', clients: [CLIENT], now, tokenTtlSeconds: 3599, clientCredentialsLimit: { max: 1, windowSeconds: 12 * 3600 } });
  });
  afterAll(async () => {
    for (const s of servers) await new Promise((r) => s.close(r));
    await mock.close();
  });

  /** The backend: the route behind node:http (as Express would mount it), answers recorded. */
  async function backend(extra: Partial<Parameters<typeof createTokenEndpoint>[0]> = {}, bodyParser = false): Promise<string> {
    const handler = toNodeHandler(createTokenEndpoint({ clientId: CLIENT.clientId, clientSecret: SECRET, authBase: mock.authUrl, fetch: mock.fetch, now, sleep: noSleep, ...extra }));
    const server = createServer(async (req, res) => {
      const end = res.end.bind(res);
      res.end = ((b?: string) => { bodies.push(String(b ?? '')); return end(b); }) as typeof res.end;
      if (bodyParser) {
        // what express.urlencoded() leaves: the parsed form on req.body
        let raw = '';
        for await (const c of req) raw += c;
        (req as { body?: unknown }).body = Object.fromEntries(new URLSearchParams(raw));
      }
      await handler(req, res);
    });
    servers.push(server);
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/soundcloud/token`;
  }
  const browser = (tokenEndpoint: string, extra: Partial<ConstructorParameters<typeof SoundCloudClient>[0]> = {}) =>
    new SoundCloudClient({ clientId: CLIENT.clientId, tokenEndpoint, clientCredentials: true, apiBase: mock.apiUrl, authBase: mock.authUrl, fetch: mock.fetch, now, sleep: noSleep, ...extra });

  it('client_credentials: 3 browsers x 40 concurrent calls share ONE app token; renewal by the refresh grant after expiry', async () => {
    mock.stats.reset();
    bodies.length = 0;
    const route = await backend({ tokenStore: new MemoryTokenStore() });
    const run = () => Promise.allSettled([1, 2, 3].flatMap(() => { const b = browser(route); return Array.from({ length: 40 }, () => b.getJson<{ id: number }>('/tracks/1')); }));
    let results = await run();
    expect(results.filter((r) => r.status === 'rejected')).toEqual([]);
    expect(mock.stats.tokenRequests.client_credentials).toBe(1);
    expect(mock.stats.rejections).toEqual({});
    // past the expiry: new browser clients; the backend renews once with the refresh grant (one client_credentials per 12 h is all the mock allows)
    t += 2 * 3600_000;
    results = await run();
    expect(results.filter((r) => r.status === 'rejected')).toEqual([]);
    expect(mock.stats.tokenRequests.client_credentials).toBe(1);
    expect(mock.stats.tokenRequests.refresh_token).toBe(1);
    // what the browsers got: the access token and its remaining lifetime, never the refresh token or the secret
    const answers = bodies.map((b) => JSON.parse(b));
    expect(answers.length).toBeGreaterThan(0);
    for (const a of answers) {
      expect(Object.keys(a).sort()).toEqual(['access_token', 'expires_in', 'scope', 'token_type'].filter((k) => k in a).sort());
      expect(a.refresh_token).toBeUndefined();
      expect(a.expires_in).toBeGreaterThan(3000);
    }
    expect(bodies.join('\n')).not.toContain(SECRET);
    expect(bodies.join('\n')).not.toContain(encodeURIComponent(SECRET));
  });

  it('a browser client without a tokenEndpoint still cannot get an app token (no secret in a browser)', async () => {
    const b = new SoundCloudClient({ clientId: CLIENT.clientId, clientCredentials: true, apiBase: mock.apiUrl, authBase: mock.authUrl, fetch: mock.fetch, now, sleep: noSleep });
    await expect(b.getJson('/tracks/1')).rejects.toMatchObject({ code: 'invalid_client' });
  });

  for (const clientAuth of ['body', 'basic'] as const) {
    it(`user login through the route (clientAuth ${clientAuth}): PKCE code exchange and a rotating refresh, forwarded with the app's credentials`, async () => {
      mock.stats.reset();
      bodies.length = 0;
      const route = await backend({ clientAuth }, clientAuth === 'body');
      const user = browser(route, { clientCredentials: false, redirectUri: CLIENT.redirectUris[0] });
      const { url, state, codeVerifier } = await user.authorizeUrl({ scope: '' });
      const consent = await mock.fetch(url, { redirect: 'manual' });
      const tok = await user.handleCallback(consent.headers.get('location')!, { state, codeVerifier });
      expect(tok.kind).toBe('user');
      expect(tok.refreshToken).toBeTruthy();
      expect((await user.getJson<{ id: number }>('/me')).id).toBe(1001);
      t += 2 * 3600_000;
      expect((await user.getJson<{ id: number }>('/me')).id).toBe(1001);
      expect(mock.stats.tokenRequests.authorization_code).toBe(1);
      expect(mock.stats.tokenRequests.refresh_token).toBe(1);
      expect(mock.stats.tokenRequests.client_credentials ?? 0).toBe(0);
      expect(mock.stats.rejections).toEqual({});
      expect(bodies.join('\n')).not.toContain(SECRET);
      // the rotated refresh token was stored: using the old one again is refused (reuse), as SoundCloud does
      const reuse = await fetch(route, { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: tok.refreshToken! }) });
      expect(reuse.status).toBe(400);
      expect(await reuse.json()).toMatchObject({ error: 'invalid_grant' });
    });
  }

  it('refuses what it must not forward: other methods, the password grant, a code without its verifier, another client_id', async () => {
    mock.stats.reset();
    const route = await backend();
    const post = (form: Record<string, string>) => fetch(route, { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(form) });
    expect((await fetch(route)).status).toBe(405);
    const password = await post({ grant_type: 'password', username: 'u', password: 'p' });
    expect(password.status).toBe(400);
    expect(await password.json()).toEqual({ error: 'unsupported_grant_type' });
    const noPkce = await post({ grant_type: 'authorization_code', code: 'x', redirect_uri: CLIENT.redirectUris[0]! });
    expect(noPkce.status).toBe(400);
    expect((await noPkce.json()).error).toBe('invalid_request');
    const other = await post({ grant_type: 'client_credentials', client_id: 'someone-else' });
    expect(other.status).toBe(400);
    expect(mock.stats.tokenRequests.total).toBe(0);
  });

  it('SoundCloud down or rate-limited: the route answers 503 temporarily_unavailable (no secret, no upstream body), the browser backs off', async () => {
    mock.stats.reset();
    bodies.length = 0;
    t += 24 * 3600_000;
    const route = await backend({ clientSecret: 'wrong-secret-value', retry: { maxAttempts: 1 } });
    const res = await fetch(route, { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: 'grant_type=client_credentials' });
    expect(res.status).toBe(503);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const body = await res.text();
    expect(body).not.toContain('wrong-secret-value');
    expect(JSON.parse(body)).toEqual({ error: 'server_error' });
    await expect(browser(route, { retry: { maxAttempts: 1 } }).getJson('/tracks/1')).rejects.toMatchObject({ status: 503 });
  });
});
