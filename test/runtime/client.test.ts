import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMockApi, type MockApi } from '../../src/mock-api/index.js';
import {
  SoundCloudClient,
  SoundCloudApiError,
  SoundCloudAuthError,
  MemoryTokenStore,
  createClientFromEnv,
  parseErrorBody,
  basicAuthHeader,
} from '../../src/runtime/index.js';

const SECRET = 'se:cr+et%/x y&z';
const CLIENT = { clientId: 'cid-1', clientSecret: SECRET, redirectUris: ['http://localhost:3000/callback'] };
const T0 = 1_800_000_000_000;
const noSleep = async () => {};

describe('SoundCloudClient against the strict mock', () => {
  let mock: MockApi;
  let t = T0;
  const now = () => t;
  beforeAll(async () => {
    mock = await startMockApi({ mode: 'strict', clients: [CLIENT], now, tokenTtlSeconds: 3599 });
  });
  afterAll(async () => {
    await mock.close();
  });
  const client = (extra: Partial<ConstructorParameters<typeof SoundCloudClient>[0]> = {}) =>
    new SoundCloudClient({
      clientId: CLIENT.clientId,
      clientSecret: SECRET,
      redirectUri: CLIENT.redirectUris[0],
      apiBase: mock.apiUrl,
      authBase: mock.authUrl,
      fetch: mock.fetch,
      now,
      sleep: noSleep,
      ...extra,
    });

  it('client_credentials via Basic with a URL-encoded secret, then OAuth header', async () => {
    mock.stats.reset();
    const c = client();
    const user = await c.getJson<{ username: string }>('/users/1001');
    expect(user.username).toBe('mock-user');
    expect(mock.stats.tokenRequests.client_credentials).toBe(1);
    expect(mock.stats.rejections).toEqual({});
    expect(basicAuthHeader('a b', 'c:d+e')).toBe('Basic ' + Buffer.from('a+b:c%3Ad%2Be').toString('base64'));
  });

  it('/me with an app token: a typed 401 user_token_required, without spending a renewal on it', async () => {
    mock.stats.reset();
    const c = client();
    await c.getJson('/tracks/1');
    for (const path of ['/me', '/me/tracks']) {
      const err: any = await c.getJson(path).catch((e: any) => e);
      expect(err).toBeInstanceOf(SoundCloudAuthError);
      expect(err.status).toBe(401);
      expect(err.code).toBe('user_token_required');
    }
    expect(mock.stats.rejections.me_with_app_token).toBe(2);
    expect(mock.stats.tokenRequests.total).toBe(1); // the app token only: a 401 on /me is not a bad token
    expect((await c.getJson<{ id: number }>('/tracks/1')).id).toBe(1);
  });

  it('1,000 concurrent getJson across a token expiry: exactly 1 token request per renewal, 0 failures', async () => {
    mock.stats.reset();
    const c = client();
    const run = (n: number) => Promise.allSettled(Array.from({ length: n }, (_, i) => c.getJson('/tracks', { q: i % 2 ? 'night' : undefined })));
    // From empty: one client_credentials request.
    let results = await run(1000);
    expect(results.filter((r) => r.status === 'rejected')).toHaveLength(0);
    expect(mock.stats.tokenRequests.total).toBe(1);
    // Past expiry: one refresh.
    t += 3600_000;
    results = await run(1000);
    expect(results.filter((r) => r.status === 'rejected')).toHaveLength(0);
    expect(mock.stats.tokenRequests.total).toBe(2);
    expect(mock.stats.tokenRequests.refresh_token).toBe(1);
    // Expiry while 1,000 calls are in flight: the token expires after they picked it up.
    const inFlight = run(1000);
    await new Promise((r) => setImmediate(r));
    t += 3600_000;
    results = await inFlight;
    expect(results.filter((r) => r.status === 'rejected')).toHaveLength(0);
    expect(mock.stats.rejections.expired_token).toBeGreaterThan(0); // some calls did hit the expiry
    expect(mock.stats.tokenRequests.total).toBe(3);
    expect(mock.stats.tokenRequests.client_credentials).toBe(1);
    expect(mock.stats.rejections.refresh_token_reused ?? 0).toBe(0);
  });

  it('keeps using the still-valid token through a 5xx burst on the token endpoint', async () => {
    mock.stats.reset();
    const c = client();
    await c.getJson('/tracks/1');
    t += 3500_000; // inside the renewal window, token still valid
    mock.addFault({ target: 'token', type: '5xx', status: 503, times: 50 });
    for (let i = 0; i < 5; i++) expect((await c.getJson<{ id: number }>('/tracks/1')).id).toBe(1);
    expect(mock.stats.rejections.fault_5xx).toBeGreaterThan(0);
    mock.clearFaults();
    t += 120_000; // renewal backoff over, token about to expire
    expect((await c.getJson<{ id: number }>('/tracks/1')).id).toBe(1);
    expect(mock.stats.tokenRequests.refresh_token).toBeGreaterThanOrEqual(1);
    t += 3600_000;
  });

  for (const shape of ['errors-meta', 'code-message', 'error', 'text'] as const) {
    it(`backs off and survives a 429 (${shape})`, async () => {
      const delays: number[] = [];
      const c = client({ sleep: async (ms) => void delays.push(ms) });
      mock.addFault({ target: 'api', type: '429', shape, times: 2 });
      const tracks = await c.getJson<unknown[]>('/tracks');
      expect(tracks.length).toBeGreaterThan(0);
      expect(delays).toHaveLength(2);
      expect(parseErrorBody(429, shape === 'text' ? 'Please slow down.' : '{}').code).toBe('rate_limited');
    });
  }

  it('honours Retry-After, and gives up with rate_limited after bounded attempts', async () => {
    const delays: number[] = [];
    const c = client({ sleep: async (ms) => void delays.push(ms), retry: { maxAttempts: 3 } });
    mock.addFault({ target: 'api', type: '429', shape: 'code-message', retryAfter: 7, times: 1 });
    await c.getJson('/tracks');
    expect(delays).toEqual([7000]);
    mock.addFault({ target: 'api', type: '429', shape: 'errors-meta', times: 3 });
    const err: any = await c.getJson('/tracks').catch((e: any) => e);
    expect(err).toBeInstanceOf(SoundCloudApiError);
    expect(err.status).toBe(429);
    expect(err.code).toBe('rate_limited');
  });

  it('survives a timeout (slow response) by retrying', async () => {
    const c = client({ timeoutMs: 300 });
    mock.addFault({ target: 'api', type: 'hold', times: 1 }); // never answered: only the client's timeout ends it
    expect((await c.getJson<{ id: number }>('/tracks/2')).id).toBe(2);
    mock.addFault({ target: 'api', type: 'hold', times: 1 });
    const c1 = client({ timeoutMs: 200, retry: { maxAttempts: 1 } });
    const err: any = await c1.getJson('/tracks/2').catch((e: any) => e);
    expect(err).toBeInstanceOf(SoundCloudApiError);
    expect(err.code).toBe('timeout');
    expect(err.status).toBe(0);
  });

  it('survives an HTML error page on the API and on the CDN', async () => {
    const c = client();
    mock.addFault({ target: 'api', type: 'html', times: 2 });
    expect((await c.getJson<{ id: number }>('/tracks/1')).id).toBe(1);
    mock.addFault({ target: 'cdn', type: 'html', times: 1 });
    const res = await c.fetch('/tracks/1/stream');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('audio/mpeg');
    // An HTML page that does not go away becomes a typed error without the HTML in it.
    mock.addFault({ target: 'api', type: 'html', times: 10 });
    const err: any = await client({ retry: { maxAttempts: 2 } }).getJson('/tracks/1').catch((e: any) => e);
    mock.clearFaults();
    expect(err).toBeInstanceOf(SoundCloudApiError);
    expect(err.status).toBe(502);
    expect(err.message).toContain('HTML error page');
    expect(err.message).not.toContain('<');
  });

  it('renews once on a revoked token and does not loop', async () => {
    mock.stats.reset();
    const store = new MemoryTokenStore();
    const c = client({ tokenStore: store });
    await c.getJson('/tracks/1');
    mock.revokeTokens();
    expect((await c.getJson<{ id: number }>('/tracks/1')).id).toBe(1);
    expect(mock.stats.tokenRequests.refresh_token).toBe(1);
    // Refresh token revoked too: client_credentials app gets one new token.
    mock.revokeTokens({ refresh: true });
    expect((await c.getJson<{ id: number }>('/tracks/1')).id).toBe(1);
    expect(mock.stats.tokenRequests.client_credentials).toBe(2);
    // A server that rejects every token: exactly one renewal, then a typed error.
    let apiCalls = 0;
    const always401: typeof fetch = async (input, init) => {
      const u = new URL(String(input));
      if (u.origin === mock.apiUrl) {
        apiCalls++;
        return new Response('{"code":401,"message":"invalid_token"}', { status: 401, headers: { 'content-type': 'application/json' } });
      }
      return mock.fetch(input, init);
    };
    mock.stats.reset();
    const c2 = client({ fetch: always401 });
    const err: any = await c2.getJson('/tracks/1').catch((e: any) => e);
    expect(err).toBeInstanceOf(SoundCloudAuthError);
    expect(err.status).toBe(401);
    expect(apiCalls).toBe(2);
    expect(mock.stats.tokenRequests.total).toBe(2); // initial token + one renewal
  });

  it('follows the stream redirect to the CDN without sending Authorization; resolve keeps it on the API origin', async () => {
    mock.stats.reset();
    const c = client();
    const res = await c.fetch('/tracks/3/stream');
    expect(res.status).toBe(200);
    expect(new Uint8Array(await res.arrayBuffer()).slice(0, 3)).toEqual(new Uint8Array([73, 68, 51]));
    expect(mock.stats.cdnRequests).toBe(1);
    expect(mock.stats.rejections.cdn_authorization_header).toBeUndefined();
    const track = await c.getJson<{ id: number }>('/resolve', { url: 'https://soundcloud.com/mock-user/night-drive' });
    expect(track.id).toBe(2);
    // Sanity: the CDN does reject Authorization.
    const bad = await mock.fetch(`${mock.cdnUrl}/stream/1.mp3?Signature=x`, { headers: { Authorization: 'OAuth x' } });
    expect(bad.status).toBe(400);
  });

  it('upgrades http SoundCloud URLs and refuses other http URLs', async () => {
    const c = client();
    expect((await c.getJson<{ id: number }>('http://api.soundcloud.com/tracks/1')).id).toBe(1);
    await expect(c.fetch('http://example.com/x')).rejects.toMatchObject({ code: 'insecure_url', status: 0 });
    expect(c.resolveUrl('http://api.soundcloud.com/me').protocol).toBe('https:');
  });

  it('user login with PKCE: authorizeUrl, callback with state check, exchangeCode, refresh with rotation', async () => {
    mock.stats.reset();
    const store = new MemoryTokenStore();
    const c = client({ tokenStore: store, clientCredentials: false });
    const { url, state, codeVerifier } = await c.authorizeUrl({ scope: '' });
    const u = new URL(url);
    expect(u.origin + u.pathname).toBe(`${mock.authUrl}/authorize`);
    expect(u.searchParams.get('code_challenge_method')).toBe('S256');
    expect(u.searchParams.get('code_challenge')).not.toBe(codeVerifier);
    expect(u.searchParams.get('response_type')).toBe('code');
    const consent = await mock.fetch(url, { redirect: 'manual' });
    expect(consent.status).toBe(302);
    const callback = consent.headers.get('location')!;
    expect(() => c.checkState(state, 'forged')).toThrow(SoundCloudAuthError);
    await expect(c.handleCallback(callback, { state: 'other', codeVerifier })).rejects.toMatchObject({ code: 'state_mismatch' });
    const tok = await c.handleCallback(callback, { state, codeVerifier });
    expect(tok.kind).toBe('user');
    expect((await c.getJson<{ id: number }>('/me')).id).toBe(1001);
    const before = await store.get(c.tokenKey);
    t += 3600_000;
    await c.getJson('/me/tracks');
    const after = await store.get(c.tokenKey);
    expect(after!.refreshToken).not.toBe(before!.refreshToken);
    expect(mock.stats.tokenRequests.refresh_token).toBe(1);
    // Refresh token revoked: a user client does not silently switch to client_credentials.
    mock.revokeTokens({ refresh: true });
    const err: any = await c.getJson('/me').catch((e: any) => e);
    expect(err).toBeInstanceOf(SoundCloudAuthError);
    expect(err.code).toBe('login_required');
    expect(mock.stats.tokenRequests.client_credentials ?? 0).toBe(0);
    await expect(c.authorizeUrl({ scope: 'non-expiring' })).rejects.toMatchObject({ code: 'invalid_scope' });
  });

  it('signOut invalidates the session and clears the store', async () => {
    const store = new MemoryTokenStore();
    const c = client({ tokenStore: store });
    await c.getJson('/tracks/1');
    const tok = (await store.get(c.tokenKey))!.accessToken;
    await c.signOut();
    expect(await store.get(c.tokenKey)).toBeUndefined();
    const res = await mock.fetch(`${mock.apiUrl}/tracks/1`, { headers: { Authorization: `OAuth ${tok}` } });
    expect(res.status).toBe(401);
  });

  it('createClientFromEnv reads credentials and the mock base env vars', async () => {
    const c = createClientFromEnv(
      { fetch: mock.fetch, now },
      {
        SOUNDCLOUD_CLIENT_ID: CLIENT.clientId,
        SOUNDCLOUD_CLIENT_SECRET: SECRET,
        SC_MIGRATE_API_BASE: mock.apiUrl,
        SC_MIGRATE_AUTH_BASE: mock.authUrl,
      },
    );
    expect(c.apiBase).toBe(mock.apiUrl);
    expect((await c.getJson<{ id: number }>('/tracks/1')).id).toBe(1);
    expect(() => createClientFromEnv({}, {})).toThrow(/SOUNDCLOUD_CLIENT_ID/);
  });

  it('typed token errors: wrong secret -> invalid_client; secret never in message', async () => {
    const c = client({ clientSecret: 'wrong-secret-value' });
    const err: any = await c.getJson('/tracks/1').catch((e: any) => e);
    expect(err).toBeInstanceOf(SoundCloudAuthError);
    expect(err.code).toBe('invalid_client');
    expect(err.status).toBe(401);
    expect(String(err.message) + String(err.stack)).not.toContain('wrong-secret-value');
  });
});
