import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startMockApi, type MockApi } from '../../src/mock-api/index.js';

const run = promisify(execFile);
const root = fileURLToPath(new URL('../..', import.meta.url));
const CLIENT = { clientId: 'preload-app', clientSecret: 'preload secret+1' };

async function runApp(mock: MockApi, script = 'test/mock-api/fixtures/preload-app.mjs') {
  // Compile-free: tsx loads the TypeScript preload. Built packages use dist/src/mock-api/preload.js.
  const { stdout } = await run(
    process.execPath,
    ['--import', 'tsx', '--import', join(root, 'src/mock-api/preload.ts'), join(root, script)],
    { cwd: root, env: { ...process.env, ...mock.env, NODE_EXTRA_CA_CERTS: '', APP_CLIENT_ID: CLIENT.clientId, APP_CLIENT_SECRET: CLIENT.clientSecret } },
  );
  return JSON.parse(stdout.trim().split('\n').pop()!);
}

describe('preload routes an unmodified app to the mock', () => {
  let strict: MockApi;
  let legacy: MockApi;
  beforeAll(async () => {
    [strict, legacy] = await Promise.all([
      startMockApi({ mode: 'strict', clients: [CLIENT] }),
      startMockApi({ mode: 'legacy', clients: [CLIENT] }),
    ]);
  });
  afterAll(async () => {
    await Promise.all([strict.close(), legacy.close()]);
  });

  it('strict: fetch, https.get/request (string, URL, options), http → 301, CDN without Authorization', async () => {
    const r = await runApp(strict);
    expect(r).toEqual({
      token: 200,
      fetchUser: 200,
      fetchResolve: [200, 1],
      fetchQueryToken: 401,
      httpsGetString: 200,
      httpsGetNamed: 200,
      httpsRequestUrl: 200,
      httpsRequestOptions: 200,
      httpsRequestHost: 200,
      plainHttp: [301, 'https://api.soundcloud.com/me'],
      plainHttpOptions: 301,
      // http -> https is cross-origin: fetch drops Authorization on the redirect (Fetch standard), so 401.
      fetchHttp: 401,
      stream: [200, 'audio/mpeg'],
    });
    expect(strict.stats.rejections.cdn_authorization_header).toBeUndefined();
    expect(strict.stats.cdnRequests).toBe(1);
    expect(strict.stats.tokenRequests.client_credentials).toBe(1);
  });

  it('legacy: the old patterns (oauth_token query, plain http) work', async () => {
    const r = await runApp(legacy);
    expect(r.fetchQueryToken).toBe(200);
    expect(r.plainHttp[0]).toBe(200);
    expect(r.plainHttpOptions).toBe(200);
  });
});
