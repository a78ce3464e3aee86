/**
 * no-legacy-auth-endpoint, request options naming the API host by a constant the API calls share
 * (`{ host: API_HOST, path: '/oauth2/token' }`, src/fix/endpoint-parts.ts): this object gets
 * `host: 'secure.soundcloud.com', path: '/oauth/token'`, the constant stays for the API. The
 * fixture runs unmodified through node:https (routed by the mock's preload): the strict mock
 * refuses the legacy endpoint before fix; after fix the app token comes from the new endpoint and
 * the API call with it, on the unchanged host, succeeds.
 */
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { allRules } from '../../rules/index.js';
import { fixFiles } from '../../src/fix/apply.js';
import { runScenario, strictMockApp } from './mock-scenario.js';

const root = resolve(import.meta.dirname, '../..');
const CASE = join(root, 'rules/no-legacy-auth-endpoint/fixtures/fix/host-constant');
const CLIENT = { clientId: 'host-app', clientSecret: 'host-secret', redirectUris: [] };
const SCENARIO = [
  "const sc = require('./lib/soundcloud.js');",
  "sc.appToken(process.env.SC_ID, process.env.SC_SECRET, (err, t) => {",
  '  if (err) { console.error(String(err)); process.exit(1); }',
  '  sc.track(1, t.access_token, (err2, track) => {',
  '    if (err2) { console.error(String(err2)); process.exit(1); }',
  '    console.log(JSON.stringify({ id: track.id }));',
  '  });',
  '});',
  '',
].join('\n');

describe('a token request whose host is the API host constant', () => {
  const app = strictMockApp(CLIENT, 'sc-fix-host-', (dir) => {
    cpSync(join(CASE, 'input'), dir, { recursive: true });
    writeFileSync(join(dir, 'scenario.cjs'), SCENARIO);
  });

  const run = () => runScenario(app.mock, app.dir, 'scenario.cjs', { SC_ID: CLIENT.clientId, SC_SECRET: CLIENT.clientSecret });

  it('the strict mock refuses the legacy endpoint before fix; after fix the token and the API call succeed', async () => {
    const before = await run();
    expect(before.ok, before.out).toBe(false);
    expect(app.mock.stats.rejections).toMatchObject({ legacy_token_endpoint: 1 });

    const file = 'lib/soundcloud.js';
    const { results } = await fixFiles({ files: [{ path: file, text: readFileSync(join(app.dir, file), 'utf8') }], rules: allRules, cwd: app.dir });
    expect(results.map((r) => r.status)).toEqual(['changed']);
    const after = readFileSync(join(app.dir, file), 'utf8');
    expect(after).toBe(readFileSync(join(CASE, 'output', file), 'utf8'));
    expect(after).toContain("const API_HOST = 'api.soundcloud.com';");
    const again = await fixFiles({ files: [{ path: file, text: after }], rules: allRules, cwd: app.dir, dry: true });
    expect(again.results.map((r) => r.status)).toEqual(['unchanged']);

    app.mock.stats.reset();
    const fixed = await run();
    expect(fixed.ok, fixed.out).toBe(true);
    expect(JSON.parse(fixed.out.trim().split('\n')[0]!)).toEqual({ id: 1 });
    expect(app.mock.stats.rejections).toEqual({});
    expect(app.mock.stats.tokenRequests.client_credentials).toBe(1);
  }, 60_000);
});
