import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PassThrough } from 'node:stream';
import { startMockApi, runMockApiCommand, type MockApi } from '../../src/mock-api/index.js';

const CLIENT = { clientId: 'legacy-id', clientSecret: 'legacy-secret', redirectUris: [] };
const form = { 'content-type': 'application/x-www-form-urlencoded' };

describe('legacy mode accepts the old patterns', () => {
  let mock: MockApi;
  beforeAll(async () => {
    mock = await startMockApi({ mode: 'legacy', clients: [CLIENT] });
  });
  afterAll(() => mock.close());

  it('password grant with non-expiring scope and body credentials on the old token endpoint; oauth_token in query', async () => {
    const res = await mock.fetch(`${mock.apiUrl}/oauth2/token`, {
      method: 'POST',
      headers: form,
      body: new URLSearchParams({ grant_type: 'password', username: 'u', password: 'p', scope: 'non-expiring', client_id: CLIENT.clientId, client_secret: CLIENT.clientSecret }).toString(),
    });
    expect(res.status).toBe(200);
    const tok = await res.json();
    expect(tok.expires_in).toBeUndefined();
    mock.advanceTime(365 * 24 * 3600_000);
    const me = await mock.fetch(`${mock.apiUrl}/me?oauth_token=${tok.access_token}`);
    expect(me.status).toBe(200);
  });

  it('client_id-only public requests, client_credentials with body credentials, plain http served', async () => {
    expect((await mock.fetch(`${mock.apiUrl}/tracks?client_id=${CLIENT.clientId}`)).status).toBe(200);
    const res = await mock.fetch(`${mock.authUrl}/oauth/token`, {
      method: 'POST',
      headers: form,
      body: `grant_type=client_credentials&client_id=${CLIENT.clientId}&client_secret=${CLIENT.clientSecret}`,
    });
    expect(res.status).toBe(200);
    expect((await mock.fetch(`${mock.httpUrl}/tracks/1?client_id=${CLIENT.clientId}`, { redirect: 'manual' })).status).toBe(200);
  });

  it('implicit grant on /connect and authorization_code without PKCE', async () => {
    const res = await mock.fetch(`${mock.authUrl}/connect?client_id=${CLIENT.clientId}&redirect_uri=http://localhost/cb&response_type=token&scope=non-expiring`, { redirect: 'manual' });
    expect(res.status).toBe(302);
    expect(new URL(res.headers.get('location')!).hash).toContain('access_token=');
    const r2 = await mock.fetch(`${mock.authUrl}/connect?client_id=${CLIENT.clientId}&redirect_uri=http://localhost/cb&response_type=code`, { redirect: 'manual' });
    const code = new URL(r2.headers.get('location')!).searchParams.get('code')!;
    const t = await mock.fetch(`${mock.apiUrl}/oauth2/token`, {
      method: 'POST',
      headers: form,
      body: new URLSearchParams({ grant_type: 'authorization_code', code, redirect_uri: 'http://localhost/cb', client_id: CLIENT.clientId, client_secret: CLIENT.clientSecret }).toString(),
    });
    expect(t.status).toBe(200);
  });
});

describe('runMockApiCommand', () => {
  it('starts the mock and prints its URLs and env', async () => {
    const out = new PassThrough();
    let text = '';
    out.on('data', (d) => (text += d));
    const h = await runMockApiCommand({ legacy: true, stdout: out });
    try {
      expect(text).toContain('legacy mode');
      const api = /API:\s+(https:\/\/127\.0\.0\.1:\d+)/.exec(text)![1]!;
      expect(text).toMatch(/export SC_MIGRATE_MOCK_API_URL=https:\/\/127\.0\.0\.1:\d+/);
      expect(text).toContain('preload.js');
      expect(api).toBeTruthy();
    } finally {
      await h.close();
    }
  });
});
