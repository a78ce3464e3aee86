import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHash, X509Certificate } from 'node:crypto';
import { startMockApi, MOCK_BODIES, buildSelfSignedCertificate, type MockApi } from '../../src/mock-api/index.js';

const CLIENT = { clientId: 'strict-id', clientSecret: 'p@ss:w+rd/%', redirectUris: ['https://app.example/cb'] };
const enc = (s: string) => new URLSearchParams({ v: s }).toString().slice(2);
const basic = (id: string, secret: string) => 'Basic ' + Buffer.from(`${enc(id)}:${enc(secret)}`).toString('base64');
const form = { 'content-type': 'application/x-www-form-urlencoded' };
const b64url = (b: Buffer) => b.toString('base64url');

describe('strict mock: each rule rejects the legacy pattern with the documented status and body', () => {
  let mock: MockApi;
  let t = 1_750_000_000_000;
  beforeAll(async () => {
    mock = await startMockApi({ mode: 'strict', clients: [CLIENT], now: () => t, clientCredentialsLimit: { max: 5, windowSeconds: 3600 } });
  });
  afterAll(() => mock.close());

  const token = async (body: Record<string, string>, headers: Record<string, string> = {}) =>
    mock.fetch(`${mock.authUrl}/oauth/token`, { method: 'POST', headers: { ...form, ...headers }, body: new URLSearchParams(body).toString() });
  const cc = async () => (await (await token({ grant_type: 'client_credentials' }, { authorization: basic(CLIENT.clientId, CLIENT.clientSecret) })).json()) as {
    access_token: string;
    refresh_token: string;
    expires_in: number;
  };
  const authorize = async (q: Record<string, string>) =>
    mock.fetch(`${mock.authUrl}/authorize?${new URLSearchParams({ client_id: CLIENT.clientId, redirect_uri: CLIENT.redirectUris[0]!, ...q })}`, { redirect: 'manual' });

  it('certificate: self-signed, built without openssl, SAN 127.0.0.1 + localhost', () => {
    const c = buildSelfSignedCertificate();
    expect(c.source).toBe('der-builder');
    const x = new X509Certificate(c.cert);
    expect(x.subjectAltName).toContain('IP Address:127.0.0.1');
    expect(x.subjectAltName).toContain('DNS:localhost');
    expect(new URL(mock.apiUrl).hostname).toBe('127.0.0.1');
  });

  it('plain http: 301 to https', async () => {
    const res = await mock.fetch(`${mock.httpUrl}/me`, { redirect: 'manual' });
    expect(res.status).toBe(301);
    expect(res.headers.get('location')).toBe(`${mock.apiUrl}/me`);
    const viaHost = await mock.fetch(`${mock.httpUrl}/tracks?q=x`, { redirect: 'manual', headers: { host: 'api.soundcloud.com' } });
    expect(viaHost.headers.get('location')).toBe('https://api.soundcloud.com/tracks?q=x');
  });

  it('no Authorization header: 401 with the documented body', async () => {
    const res = await mock.fetch(`${mock.apiUrl}/me`);
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual(MOCK_BODIES.missingAuthorization);
    expect(MOCK_BODIES.missingAuthorization.message).toMatch(/^A request must contain the Authorization header/);
  });

  it('oauth_token in the query: 401', async () => {
    const { access_token } = await cc();
    const res = await mock.fetch(`${mock.apiUrl}/me?oauth_token=${access_token}`);
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual(MOCK_BODIES.missingAuthorization);
    expect(mock.stats.rejections.oauth_token_in_query).toBe(1);
    const ok = await mock.fetch(`${mock.apiUrl}/tracks/1`, { headers: { authorization: `OAuth ${access_token}` } });
    expect(ok.status).toBe(200);
  });

  it('client_id-only public request: 401', async () => {
    const res = await mock.fetch(`${mock.apiUrl}/tracks?client_id=${CLIENT.clientId}`);
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual(MOCK_BODIES.missingAuthorization);
    expect(mock.stats.rejections.client_id_only).toBe(1);
  });

  it('a .json format suffix names the same resource; /resolve takes an http:// permalink', async () => {
    const auth = { authorization: `OAuth ${(await cc()).access_token}` };
    const user = await mock.fetch(`${mock.apiUrl}/users/1001.json`, { headers: auth });
    expect(user.status).toBe(200);
    expect(((await user.json()) as { id: number }).id).toBe(1001);
    const tracks = await mock.fetch(`${mock.apiUrl}/users/1001/tracks.json?limit=1`, { headers: auth });
    expect(((await tracks.json()) as unknown[]).length).toBe(1);
    const resolved = await mock.fetch(`${mock.apiUrl}/resolve.json?url=http://soundcloud.com/mock-user`, { headers: auth, redirect: 'manual' });
    expect(resolved.status).toBe(302);
    expect(resolved.headers.get('location')).toBe(`${mock.apiUrl}/users/1001`);
    expect((await mock.fetch(`${mock.apiUrl}/users/1001.json`)).status).toBe(401);
  });

  it('password grant: 400 unsupported_grant_type', async () => {
    const res = await token({ grant_type: 'password', username: 'u', password: 'p', client_id: CLIENT.clientId, client_secret: CLIENT.clientSecret });
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ error: 'unsupported_grant_type' });
  });

  it('implicit grants (response_type=token / code_and_token): 400 unsupported_response_type', async () => {
    for (const rt of ['token', 'code_and_token']) {
      const res = await authorize({ response_type: rt, state: 's' });
      expect(res.status).toBe(400);
      expect((await res.json()).error).toBe('unsupported_response_type');
    }
  });

  it('authorize without PKCE (or with plain): 400 invalid_request', async () => {
    let res = await authorize({ response_type: 'code', state: 's' });
    expect(res.status).toBe(400);
    expect((await res.json()).error).toBe('invalid_request');
    res = await authorize({ response_type: 'code', state: 's', code_challenge: 'abc', code_challenge_method: 'plain' });
    expect(res.status).toBe(400);
  });

  it('authorize with an unregistered redirect_uri: 400 invalid_request', async () => {
    const res = await mock.fetch(`${mock.authUrl}/authorize?client_id=${CLIENT.clientId}&redirect_uri=https://evil.example/cb&response_type=code`, { redirect: 'manual' });
    expect(res.status).toBe(400);
    expect((await res.json()).error).toBe('invalid_request');
  });

  it('PKCE verified: the challenge sent as verifier (or a wrong verifier) is 400 invalid_grant; the right one works once', async () => {
    const verifier = 'v'.repeat(43);
    const challenge = b64url(createHash('sha256').update(verifier).digest());
    const getCode = async () => {
      const res = await authorize({ response_type: 'code', state: 'st', code_challenge: challenge, code_challenge_method: 'S256' });
      expect(res.status).toBe(302);
      const loc = new URL(res.headers.get('location')!);
      expect(loc.searchParams.get('state')).toBe('st');
      return loc.searchParams.get('code')!;
    };
    const exchange = (code: string, code_verifier: string) =>
      token({ grant_type: 'authorization_code', code, code_verifier, redirect_uri: CLIENT.redirectUris[0]!, client_id: CLIENT.clientId, client_secret: CLIENT.clientSecret });
    let res = await exchange(await getCode(), challenge);
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: 'invalid_grant' });
    const code = await getCode();
    res = await exchange(code, verifier);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ token_type: 'bearer', expires_in: 3599 });
    res = await exchange(code, verifier); // codes are single-use
    expect(res.status).toBe(400);
  });

  it('client_credentials with credentials in the body: 401 invalid_client (Basic only)', async () => {
    const res = await token({ grant_type: 'client_credentials', client_id: CLIENT.clientId, client_secret: CLIENT.clientSecret });
    expect(res.status).toBe(401);
    expect((await res.json()).error).toBe('invalid_client');
    expect(mock.stats.rejections.client_credentials_without_basic).toBe(1);
  });

  it('malformed Basic (secret not URL-encoded): 401 invalid_client', async () => {
    const raw = 'Basic ' + Buffer.from(`${CLIENT.clientId}:${CLIENT.clientSecret}`).toString('base64');
    const res = await token({ grant_type: 'client_credentials' }, { authorization: raw });
    expect(res.status).toBe(401);
    expect((await res.json()).error).toBe('invalid_client');
  });

  it('refresh tokens are single-use and rotate: reuse is 400 invalid_grant', async () => {
    const first = await cc();
    const body = { grant_type: 'refresh_token', refresh_token: first.refresh_token, client_id: CLIENT.clientId, client_secret: CLIENT.clientSecret };
    const ok = await token(body);
    expect(ok.status).toBe(200);
    const next = (await ok.json()) as { refresh_token: string };
    expect(next.refresh_token).not.toBe(first.refresh_token);
    const reuse = await token(body);
    expect(reuse.status).toBe(400);
    expect(await reuse.json()).toEqual({ error: 'invalid_grant' });
  });

  it('tokens expire on the controllable clock: 401 invalid_token', async () => {
    const { access_token, expires_in } = await cc();
    t += expires_in * 1000;
    const res = await mock.fetch(`${mock.apiUrl}/tracks/1`, { headers: { authorization: `OAuth ${access_token}` } });
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual(MOCK_BODIES.invalidToken);
    expect(res.headers.get('www-authenticate')).toContain('invalid_token');
  });

  it('scope=non-expiring: 403 at the token endpoint and at authorize', async () => {
    let res = await token({ grant_type: 'client_credentials', scope: 'non-expiring' }, { authorization: basic(CLIENT.clientId, CLIENT.clientSecret) });
    expect(res.status).toBe(403);
    expect(await res.json()).toEqual(MOCK_BODIES.nonExpiring);
    expect(MOCK_BODIES.nonExpiring.error_description).toBe('Requesting non-expiring tokens is not allowed');
    res = await authorize({ response_type: 'code', scope: 'non-expiring', state: 's', code_challenge: 'x', code_challenge_method: 'S256' });
    expect(res.status).toBe(403);
  });

  it('client_credentials rate limit (configurable, default 50 per 12 h): 429 {"error":"rate_limit_exceeded"}', async () => {
    t += 24 * 3600_000;
    const statuses: number[] = [];
    for (let i = 0; i < 7; i++) {
      const res = await token({ grant_type: 'client_credentials' }, { authorization: basic(CLIENT.clientId, CLIENT.clientSecret) });
      statuses.push(res.status);
      if (res.status === 429) expect(await res.json()).toEqual({ error: 'rate_limit_exceeded' });
      else await res.arrayBuffer();
    }
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429, 429]);
  });

  it('old endpoints /oauth2/token and /connect: 404 pointing to the new ones', async () => {
    let res = await mock.fetch(`${mock.apiUrl}/oauth2/token`, { method: 'POST', headers: form, body: 'grant_type=client_credentials' });
    expect(res.status).toBe(404);
    expect((await res.json()).error_description).toContain('/oauth/token');
    res = await mock.fetch(`${mock.authUrl}/connect?client_id=${CLIENT.clientId}&response_type=code`, { redirect: 'manual' });
    expect(res.status).toBe(404);
  });

  it('api-v2 host: 403 unsupported', async () => {
    const { access_token } = await cc().catch(() => ({ access_token: 'x' }));
    const res = await mock.fetch(`${mock.apiUrl}/tracks`, { headers: { host: 'api-v2.soundcloud.com', authorization: `OAuth ${access_token}` } });
    expect(res.status).toBe(403);
    expect(await res.json()).toEqual(MOCK_BODIES.apiV2);
  });

  it('stream redirect goes to the CDN, which rejects an Authorization header (400)', async () => {
    t += 24 * 3600_000;
    const { access_token } = await cc();
    const res = await mock.fetch(`${mock.apiUrl}/tracks/1/stream`, { redirect: 'manual', headers: { authorization: `OAuth ${access_token}` } });
    expect(res.status).toBe(302);
    const loc = res.headers.get('location')!;
    expect(new URL(loc).origin).toBe(mock.cdnUrl);
    const withAuth = await mock.fetch(loc, { headers: { authorization: `OAuth ${access_token}` } });
    expect(withAuth.status).toBe(400);
    expect(await withAuth.text()).toBe(MOCK_BODIES.cdnAuthorization);
    const clean = await mock.fetch(loc);
    expect(clean.status).toBe(200);
    // /resolve answers 302 and does not carry client_id over
    const r = await mock.fetch(`${mock.apiUrl}/resolve?url=https://soundcloud.com/mock-user/first-light&client_id=${CLIENT.clientId}`, {
      redirect: 'manual',
      headers: { authorization: `OAuth ${access_token}` },
    });
    expect(r.status).toBe(302);
    expect(r.headers.get('location')).toBe(`${mock.apiUrl}/tracks/1`);
  });

  it('sign-out invalidates the session', async () => {
    const { access_token, refresh_token } = await cc();
    const res = await mock.fetch(`${mock.authUrl}/sign-out`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ access_token }) });
    expect(res.status).toBe(200);
    expect((await mock.fetch(`${mock.apiUrl}/tracks/1`, { headers: { authorization: `OAuth ${access_token}` } })).status).toBe(401);
    const r = await token({ grant_type: 'refresh_token', refresh_token, client_id: CLIENT.clientId, client_secret: CLIENT.clientSecret });
    expect(r.status).toBe(400);
  });

  it('faults: each 429 shape, 5xx, HTML', async () => {
    const shapes = { 'errors-meta': 'json', 'code-message': 'json', error: 'json', text: 'text' } as const;
    for (const shape of Object.keys(shapes) as Array<keyof typeof shapes>) {
      mock.addFault({ target: 'api', type: '429', shape, times: 1 });
      const res = await mock.fetch(`${mock.apiUrl}/tracks`);
      expect(res.status).toBe(429);
      const text = await res.text();
      if (shape === 'text') expect(text).toBe('Please slow down.');
      if (shape === 'errors-meta') expect(JSON.parse(text).errors[0].meta.remaining_requests).toBe(0);
      if (shape === 'code-message') expect(JSON.parse(text)).toEqual({ code: 429, message: 'rate_limit_exceeded' });
      if (shape === 'error') expect(JSON.parse(text)).toEqual({ error: 'rate_limit_exceeded' });
    }
    mock.addFault({ target: 'token', type: '5xx', status: 502, times: 1 });
    expect((await token({ grant_type: 'client_credentials' })).status).toBe(502);
    mock.addFault({ target: 'cdn', type: 'html', times: 1 });
    const html = await mock.fetch(`${mock.cdnUrl}/stream/1.mp3?Signature=x`);
    expect(html.status).toBe(502);
    expect(html.headers.get('content-type')).toContain('text/html');
  });

  const userToken = async () => {
    const verifier = b64url(Buffer.from('a-verifier-of-enough-length-for-pkce-0123456789'));
    const challenge = b64url(createHash('sha256').update(verifier).digest());
    const consent = await authorize({ response_type: 'code', code_challenge: challenge, code_challenge_method: 'S256', state: 's' });
    const code = new URL(consent.headers.get('location')!).searchParams.get('code')!;
    const res = await token({ grant_type: 'authorization_code', code, code_verifier: verifier, redirect_uri: CLIENT.redirectUris[0]!, client_id: CLIENT.clientId, client_secret: CLIENT.clientSecret });
    return ((await res.json()) as { access_token: string }).access_token;
  };

  it('/me and /me/* with an app (client_credentials) token: 401 as upstream; a user token reads them', async () => {
    mock.stats.reset();
    const { access_token } = await cc();
    for (const path of ['/me', '/me/tracks']) {
      const res = await mock.fetch(`${mock.apiUrl}${path}`, { headers: { authorization: `OAuth ${access_token}` } });
      expect(res.status).toBe(401);
      expect(await res.json()).toEqual(MOCK_BODIES.meWithAppToken);
    }
    expect(mock.stats.rejections.me_with_app_token).toBe(2);
    // the same app token reads public resources
    expect((await mock.fetch(`${mock.apiUrl}/users/1001`, { headers: { authorization: `OAuth ${access_token}` } })).status).toBe(200);
    const user = await userToken();
    const me = await mock.fetch(`${mock.apiUrl}/me`, { headers: { authorization: `OAuth ${user}` } });
    expect(me.status).toBe(200);
    expect(((await me.json()) as { id: number }).id).toBe(1001);
  });

  it('collections honour limit, and linked_partitioning answers { collection, next_href } until the last page', async () => {
    const { access_token } = await cc();
    const get = async (url: string) => (await mock.fetch(url, { headers: { authorization: `OAuth ${access_token}` } })).json() as Promise<any>;
    // limit without linked_partitioning: a plain array of at most `limit`
    expect(await get(`${mock.apiUrl}/tracks?limit=2`)).toHaveLength(2);
    expect(await get(`${mock.apiUrl}/tracks?limit=0`)).toHaveLength(3); // invalid: the default (50)
    // linked_partitioning: follow next_href (absolute, keeps the query) page by page
    const ids: number[] = [];
    let url: string | null = `${mock.apiUrl}/users/1001/tracks?limit=1&linked_partitioning=true`;
    const pages: unknown[] = [];
    while (url) {
      const body: any = await get(url);
      expect(Object.keys(body).sort()).toEqual(['collection', 'next_href']);
      expect(body.collection.length).toBeLessThanOrEqual(1);
      ids.push(...body.collection.map((x: { id: number }) => x.id));
      pages.push(body);
      if (body.next_href) {
        const n = new URL(body.next_href);
        expect(n.origin).toBe(mock.apiUrl);
        expect(n.searchParams.get('linked_partitioning')).toBe('true');
        expect(n.searchParams.get('limit')).toBe('1');
      }
      url = body.next_href;
    }
    expect(ids).toEqual([1, 2, 3]);
    expect(pages).toHaveLength(3);
    // search with q keeps the filter across pages; a page that holds everything has next_href null
    const night = await get(`${mock.apiUrl}/tracks?q=night&linked_partitioning=1`);
    expect(night).toEqual({ collection: [expect.objectContaining({ id: 2 })], next_href: null });
    const two = await get(`${mock.apiUrl}/tracks?limit=2&linked_partitioning=true`);
    expect(two.collection).toHaveLength(2);
    expect((await get(two.next_href)).collection.map((x: { id: number }) => x.id)).toEqual([3]);
    // through the preload's Host header, next_href points back at api.soundcloud.com
    const viaHost = await mock.fetch(`${mock.apiUrl}/tracks?limit=1&linked_partitioning=true`, { headers: { authorization: `OAuth ${access_token}`, host: 'api.soundcloud.com' } });
    expect(new URL(((await viaHost.json()) as any).next_href).origin).toBe('https://api.soundcloud.com');
  });

  it('user search, /me/playlists, /playlists/:id and /me/followings (always { collection, next_href }) need the header too', async () => {
    const user = await userToken();
    const get = async (path: string, auth?: string) => mock.fetch(`${mock.apiUrl}${path}`, auth ? { headers: { authorization: `OAuth ${auth}` } } : {});
    const users = (await (await get('/users?q=MOCK', user)).json()) as { id: number }[];
    expect(users.map((u) => u.id)).toEqual([1001]);
    expect(await (await get('/users?q=nobody', user)).json()).toEqual([]);
    const sets = (await (await get('/me/playlists', user)).json()) as { id: number; tracks: unknown[] }[];
    expect(sets.map((p) => [p.id, p.tracks.length])).toEqual([[501, 3]]);
    expect(((await (await get('/playlists/501', user)).json()) as { title: string }).title).toBe('Mock Set');
    expect((await get('/playlists/9', user)).status).toBe(404);
    const followings = (await (await get('/me/followings?limit=10', user)).json()) as { collection: { id: number }[]; next_href: null };
    expect(followings).toEqual({ collection: [expect.objectContaining({ id: 1001 })], next_href: null });
    mock.stats.reset();
    for (const path of ['/users?q=mock', '/me/playlists', '/playlists/501', '/me/followings']) expect((await get(path)).status).toBe(401);
    expect(mock.stats.rejections.missing_authorization).toBe(4);
  });

  it("a 'hold' fault keeps a request open until released", async () => {
    mock.addFault({ target: 'token', type: 'hold', times: 1 });
    let done = false;
    const pending = cc().then((r) => ((done = true), r));
    await mock.waitForHeld(1);
    expect(done).toBe(false);
    mock.releaseHeld();
    expect((await pending).access_token).toBeTruthy();
  });
});
