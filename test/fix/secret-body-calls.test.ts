/**
 * no-client-secret-in-body, a client_credentials body filled in by statements
 * (`body.set('client_id', ID); body.set('client_secret', SECRET)`): the pair
 * fixtures/transforms/no-client-secret-in-body/body-set-calls runs against the strict mock, which
 * takes client credentials only as HTTP Basic. Its input is refused; its fixed output gets a token.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runScenario, strictMockApp } from './mock-scenario.js';

const root = resolve(import.meta.dirname, '../..');
const PAIR = join(root, 'fixtures/transforms/no-client-secret-in-body/body-set-calls');
const CLIENT = { clientId: 'calls-app', clientSecret: 'calls secret+/=', redirectUris: [] };

const SCENARIO = `
const { appToken } = await import('./soundcloud.mjs');
try {
  const token = await appToken();
  console.log(JSON.stringify({ token: typeof token.access_token }));
} catch (e) { console.error(String(e)); process.exit(1); }
`;

describe('a client_credentials body filled in by set() statements', () => {
  const app = strictMockApp(CLIENT, 'sc-fix-calls-', (dir) => writeFileSync(join(dir, 'scenario.mjs'), SCENARIO));

  const run = (module: string) => {
    writeFileSync(join(app.dir, 'soundcloud.mjs'), module);
    return runScenario(app.mock, app.dir, 'scenario.mjs', { SC_CLIENT_ID: CLIENT.clientId, SC_CLIENT_SECRET: CLIENT.clientSecret });
  };

  it('the input is refused (credentials in the body); the fixed output gets an app token by HTTP Basic', async () => {
    const before = await run(readFileSync(`${PAIR}.input.js`, 'utf8'));
    expect(before.ok, before.out).toBe(false);
    expect(before.out).toMatch(/token 40[01]/);

    app.mock.stats.reset();
    const output = readFileSync(`${PAIR}.output.js`, 'utf8');
    expect(output).not.toContain("body.set('client_secret'");
    const fixed = await run(output);
    expect(fixed.ok, fixed.out).toBe(true);
    expect(JSON.parse(fixed.out.trim().split('\n')[0]!)).toEqual({ token: 'string' });
    expect(app.mock.stats.rejections).toEqual({});
    expect(app.mock.stats.tokenRequests.client_credentials).toBe(1);
  }, 60_000);
});
