/**
 * no-client-secret-in-body, a client_credentials body filled in by statements
 * (`body.set('client_id', ID); body.set('client_secret', SECRET)`): the pair
 * fixtures/transforms/no-client-secret-in-body/body-set-calls runs against the strict mock, which
 * takes client credentials only as HTTP Basic. Its input is refused; its fixed output gets a token.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMockApi, type MockApi } from '../../src/mock-api/index.js';

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
  let strict: MockApi;
  let dir: string;
  beforeAll(async () => {
    strict = await startMockApi({ mode: 'strict', clients: [CLIENT] });
    dir = mkdtempSync(join(tmpdir(), 'sc-fix-calls-'));
    writeFileSync(join(dir, 'scenario.mjs'), SCENARIO);
  }, 30_000);
  afterAll(async () => {
    await strict?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const run = (module: string) => new Promise<{ ok: boolean; out: string }>((res) => {
    writeFileSync(join(dir, 'soundcloud.mjs'), module);
    execFile(process.execPath, ['--import', 'tsx', '--import', join(root, 'src/mock-api/preload.ts'), join(dir, 'scenario.mjs')], {
      cwd: root, timeout: 30_000,
      env: { ...process.env, ...strict.env, NODE_EXTRA_CA_CERTS: '', SC_CLIENT_ID: CLIENT.clientId, SC_CLIENT_SECRET: CLIENT.clientSecret },
    }, (err, stdout, stderr) => res({ ok: !err, out: `${stdout}\n${stderr}`.slice(-1500) }));
  });

  it('the input is refused (credentials in the body); the fixed output gets an app token by HTTP Basic', async () => {
    const before = await run(readFileSync(`${PAIR}.input.js`, 'utf8'));
    expect(before.ok, before.out).toBe(false);
    expect(before.out).toMatch(/token 40[01]/);

    strict.stats.reset();
    const output = readFileSync(`${PAIR}.output.js`, 'utf8');
    expect(output).not.toContain("body.set('client_secret'");
    const fixed = await run(output);
    expect(fixed.ok, fixed.out).toBe(true);
    expect(JSON.parse(fixed.out.trim().split('\n')[0]!)).toEqual({ token: 'string' });
    expect(strict.stats.rejections).toEqual({});
    expect(strict.stats.tokenRequests.client_credentials).toBe(1);
  }, 60_000);
});
