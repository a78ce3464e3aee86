import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMockApi, type MockApi } from '../../src/mock-api/index.js';
import { SoundCloudClient, MemoryTokenStore, redact } from '../../src/runtime/index.js';

const SECRET = 'Top-Secret+Value/1234';
const CLIENT = { clientId: 'redact-client', clientSecret: SECRET };

describe('no secret or token in thrown errors or captured logs', () => {
  let mock: MockApi;
  let t = 1_900_000_000_000;
  beforeAll(async () => {
    mock = await startMockApi({ clients: [CLIENT], now: () => t });
  });
  afterAll(() => mock.close());

  it('across renewals, failures, echoed bodies and 401s', async () => {
    const seen = new Set<string>([SECRET, encodeURIComponent(SECRET)]);
    const logs: string[] = [];
    const logger = {
      debug: (m: string) => logs.push(m),
      info: (m: string) => logs.push(m),
      warn: (m: string) => logs.push(m),
      error: (m: string) => logs.push(m),
    };
    let echo = false;
    // Sniff every token the mock issues; optionally make the server echo them back in error bodies.
    const sniffing: typeof fetch = async (input, init) => {
      const res = await mock.fetch(input, init);
      const u = new URL(String(input));
      if (u.pathname === '/oauth/token') {
        const text = await res.text();
        try {
          const j = JSON.parse(text);
          if (j.access_token) seen.add(j.access_token);
          if (j.refresh_token) seen.add(j.refresh_token);
        } catch {
          /* not json */
        }
        return new Response(text, { status: res.status, headers: res.headers });
      }
      if (echo) {
        const auth = new Headers(init?.headers).get('authorization') ?? '';
        const body = JSON.stringify({
          error: 'invalid_request',
          error_description: `bad token ${auth.replace(/^OAuth /, '')} and secret ${SECRET} and https://x/?oauth_token=${auth.slice(6)}`,
        });
        return new Response(body, { status: 400, headers: { 'content-type': 'application/json' } });
      }
      return res;
    };
    const errors: unknown[] = [];
    const store = new MemoryTokenStore();
    const c = new SoundCloudClient({
      ...CLIENT,
      tokenStore: store,
      apiBase: mock.apiUrl,
      authBase: mock.authUrl,
      fetch: sniffing,
      now: () => t,
      logger,
      sleep: async () => {},
      retry: { maxAttempts: 2 },
    });
    await c.getJson('/tracks/1');
    t += 3500_000;
    mock.addFault({ target: 'token', type: '5xx', times: 4 });
    await c.getJson('/tracks/1'); // renewal fails, keeps token, logs a warning
    mock.clearFaults();
    t += 200_000;
    await c.getJson('/tracks/1');
    mock.revokeTokens();
    await c.getJson('/tracks/1');
    echo = true;
    await c.getJson('/tracks/1').catch((e) => errors.push(e));
    await c.getJson(`/tracks?oauth_token=${(await store.get(c.tokenKey))!.accessToken}`).catch((e) => errors.push(e));
    echo = false;
    mock.revokeTokens({ refresh: true });
    const wrong = new SoundCloudClient({ clientId: CLIENT.clientId, clientSecret: 'wrong-' + SECRET, apiBase: mock.apiUrl, authBase: mock.authUrl, fetch: sniffing, now: () => t, logger });
    seen.add('wrong-' + SECRET);
    await wrong.getJson('/tracks/1').catch((e) => errors.push(e));
    const user = new SoundCloudClient({ clientId: CLIENT.clientId, apiBase: mock.apiUrl, authBase: mock.authUrl, fetch: sniffing, logger });
    await user.getJson('/me').catch((e) => errors.push(e));

    expect(errors.length).toBe(4);
    expect(logs.length).toBeGreaterThan(3);
    expect(seen.size).toBeGreaterThan(4);
    const haystack = [
      ...logs,
      ...errors.map((e) => {
        const err = e as Error & { url?: string };
        return `${err.message}\n${err.stack}\n${err.url ?? ''}\n${JSON.stringify(err)}`;
      }),
    ].join('\n');
    for (const s of seen) expect(haystack).not.toContain(s);
    expect(haystack).toContain('[REDACTED]');
  });

  it('redact() masks known values and well-known shapes', () => {
    expect(redact('x oauth_token=abc.def&y=1', [])).toBe('x oauth_token=[REDACTED]&y=1');
    expect(redact('{"refresh_token":"r1"}')).toBe('{"refresh_token":"[REDACTED]"}');
    expect(redact('Authorization: OAuth eyJhbGciOi.x.y')).toBe('Authorization: OAuth [REDACTED]');
    expect(redact('my s3cr3t!', ['s3cr3t!'])).toBe('my [REDACTED]');
  });
});
