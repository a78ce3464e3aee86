/**
 * no-legacy-auth-endpoint: axios posts a plain object as JSON, and the token endpoint reads a form.
 * When fix moves such a request to https://secure.soundcloud.com/oauth/token, the object becomes
 * `new URLSearchParams({...})` (fixtures/transforms/no-legacy-auth-endpoint/axios-json-body). The
 * pair's output runs against the strict mock with a stand-in for axios that serialises bodies as
 * axios does (a plain object: JSON; URLSearchParams: a form), through the mock's preload.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runScenario, strictMockApp } from './mock-scenario.js';

const root = resolve(import.meta.dirname, '../..');
const PAIR = join(root, 'fixtures/transforms/no-legacy-auth-endpoint/axios-json-body');
const CLIENT = { clientId: 'form-app', clientSecret: 'form-secret', redirectUris: [] };

// axios' request serialisation (lib/defaults transformRequest): URLSearchParams as a form, a plain object as JSON
const AXIOS = `
exports.post = async (url, data) => {
  const form = data instanceof URLSearchParams;
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'Content-Type': form ? 'application/x-www-form-urlencoded;charset=utf-8' : 'application/json' },
    body: form ? data.toString() : JSON.stringify(data),
  });
  const body = await res.json();
  if (!res.ok) throw new Error('Request failed with status code ' + res.status + ': ' + JSON.stringify(body));
  return { status: res.status, data: body };
};
`;

// a refresh token of the app's (client_credentials responses carry one), then the module's refresh
const SCENARIO = `
const sc = require('./soundcloud.js');
(async () => {
  const basic = Buffer.from(encodeURIComponent(process.env.SC_ID) + ':' + encodeURIComponent(process.env.SC_SECRET)).toString('base64');
  const first = await (await fetch('https://secure.soundcloud.com/oauth/token', {
    method: 'POST', headers: { Authorization: 'Basic ' + basic, 'Content-Type': 'application/x-www-form-urlencoded' },
    body: 'grant_type=client_credentials',
  })).json();
  const renewed = await sc.refresh(first.refresh_token);
  console.log(JSON.stringify({ token: typeof renewed.access_token, rotated: renewed.refresh_token !== first.refresh_token }));
})().catch((e) => { console.error(String(e)); process.exit(1); });
`;

describe('a token request whose body axios sends as JSON', () => {
  const app = strictMockApp(CLIENT, 'sc-fix-form-', (dir) => {
    mkdirSync(join(dir, 'node_modules/axios'), { recursive: true });
    writeFileSync(join(dir, 'node_modules/axios/index.js'), AXIOS);
    writeFileSync(join(dir, 'scenario.cjs'), SCENARIO);
  });

  const run = (module: string) => {
    writeFileSync(join(app.dir, 'soundcloud.js'), module);
    return runScenario(app.mock, app.dir, 'scenario.cjs', { SC_ID: CLIENT.clientId, SC_SECRET: CLIENT.clientSecret });
  };

  it('the scanner (its trees carry offsets, not ranges) reports the input and builds the fix', async () => {
    const out = await new Promise<string>((res, rej) => execFile(process.execPath, [join(root, 'bin/sc-migrate.js'), 'scan', `${PAIR}.input.js`, '--format', 'json', '--no-config', '--fail-on', 'none'], { cwd: root, timeout: 30_000 }, (err, stdout) => (err ? rej(err) : res(stdout))));
    const report = JSON.parse(out) as { findings: { ruleId: string; line: number }[]; skipped: unknown[] };
    expect(report.skipped).toEqual([]);
    expect(report.findings.filter((f) => f.ruleId === 'no-legacy-auth-endpoint').map((f) => f.line)).toEqual([5, 15]);
  }, 60_000);

  it('only the endpoint moved, the JSON body is refused; with the form body of the fixed output the refresh succeeds', async () => {
    const output = readFileSync(`${PAIR}.output.js`, 'utf8');
    expect(output).toContain('new URLSearchParams({');
    // the new endpoint with the body still JSON: the strict mock reads no grant from it
    const endpointOnly = readFileSync(`${PAIR}.input.js`, 'utf8').replaceAll('https://api.soundcloud.com/oauth2/token', 'https://secure.soundcloud.com/oauth/token');
    const before = await run(endpointOnly);
    expect(before.ok, before.out).toBe(false);
    expect(before.out).toContain('400');

    app.mock.stats.reset();
    const fixed = await run(output);
    expect(fixed.ok, fixed.out).toBe(true);
    expect(JSON.parse(fixed.out.trim().split('\n')[0]!)).toEqual({ token: 'string', rotated: true });
    expect(app.mock.stats.rejections).toEqual({});
    expect(app.mock.stats.tokenRequests.refresh_token).toBe(1);
  }, 60_000);
});
