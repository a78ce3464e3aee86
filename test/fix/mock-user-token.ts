/** A user token from the strict mock's authorization_code + PKCE flow, for tests of fixed code that sends one. */
import { afterAll, beforeAll } from 'vitest';
import { startMockApi, type MockApi } from '../../src/mock-api/index.js';
import { SoundCloudClient } from '../../src/runtime/index.js';

export interface MockClientConfig { clientId: string; clientSecret: string; redirectUris: string[] }

export async function mockUserToken(mock: MockApi, client: MockClientConfig): Promise<string> {
  const sc = new SoundCloudClient({ ...client, redirectUri: client.redirectUris[0], fetch: mock.fetch, apiBase: mock.apiUrl, authBase: mock.authUrl, clientCredentials: false });
  const { url, codeVerifier } = await sc.authorizeUrl();
  const r = await mock.fetch(url, { redirect: 'manual' });
  await sc.exchangeCode({ code: new URL(r.headers.get('location')!).searchParams.get('code')!, codeVerifier });
  return sc.getAccessToken();
}

/** Inside a describe: a strict mock started before its tests (closed after) and a user token of `client` on it. */
export function strictMockWithUser(client: MockClientConfig): { mock: MockApi; token: string } {
  const s = {} as { mock: MockApi; token: string };
  beforeAll(async () => {
    s.mock = await startMockApi({ mode: 'strict', clients: [client] });
    s.token = await mockUserToken(s.mock, client);
  }, 30_000);
  afterAll(async () => { await s.mock?.close(); });
  return s;
}
