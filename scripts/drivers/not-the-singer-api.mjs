#!/usr/bin/env node
/**
 * Real-code driver (issue 11): not-the-singer/not-the-singer-api, Vercel functions that renew a
 * user token from SOUNDCLOUD_REFRESH_TOKEN at the old api.soundcloud.com/oauth2/token and list
 * /me/tracks. Not part of `npm test` (it installs the repository's own dependencies).
 *
 *   npm run build && node scripts/drivers/not-the-singer-api.mjs [TREE]
 *
 * TREE defaults to $SC_EVAL_TREES/not-the-singer+not-the-singer-api (or /work/eval-trees/...).
 * It copies the tree into a temporary git repository, runs `npm ci` there (the registry), then
 * calls the repository's own handler `api/soundcloud.js` (unmodified, through the mock-api
 * preload) against the mock:
 *   1. legacy mock, code as written       -> expected to pass
 *   2. strict mock, code as written       -> expected to fail
 *   3. `sc-migrate fix` on the copy, strict mock -> expected to pass
 * and, for information, 4. strict, after fix, two calls of the handler in one deployment (the
 * refresh token rotates: the code keeps using the first one).
 * Exit code 0 when 1-3 hold.
 */
import { execFile, execFileSync, spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createHash, randomBytes } from 'node:crypto';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const TREES = process.env.SC_EVAL_TREES ?? '/work/eval-trees';
const TREE = resolve(process.argv[2] ?? join(TREES, 'not-the-singer+not-the-singer-api'));
const { startMockApi } = await import(pathToFileURL(join(ROOT, 'dist/src/mock-api/index.js')).href);
const PRELOAD = join(ROOT, 'dist/src/mock-api/preload.js');
const TSX = import.meta.resolve('tsx', pathToFileURL(join(ROOT, 'package.json')).href);

const CLIENT = { clientId: 'nts-client-id', clientSecret: 'nts-client-secret', redirectUris: ['https://not-the-singer-api.vercel.app/api/soundcloud/callback'] };

// ---- the copy: a temporary git repository with the repository's own dependencies
const dir = mkdtempSync(join(tmpdir(), 'sc-driver-nts-'));
cpSync(TREE, dir, { recursive: true, filter: (src) => !/[\\/](node_modules|\.git)$/.test(src) });
const sh = (cmd, args, opts = {}) => execFileSync(cmd, args, { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8', ...opts });
// its package-lock.json does not match package.json (no `next`): `npm install`, as a deploy would
// (DRIVER_DEPS=<a node_modules of an earlier copy> skips the install when rerunning)
process.stderr.write(`driver: ${TREE} -> ${dir}; ${process.env.DRIVER_DEPS ? 'dependencies from DRIVER_DEPS' : 'npm install (registry) ...'}\n`);
if (process.env.DRIVER_DEPS) symlinkSync(resolve(process.env.DRIVER_DEPS), join(dir, 'node_modules'), 'dir');
else sh('npm', ['install', '--no-audit', '--no-fund', '--ignore-scripts', '--loglevel=error'], { stdio: ['ignore', 'ignore', 'inherit'] });
sh('git', ['init', '-q']);
writeFileSync(join(dir, '.git/info/exclude'), 'node_modules\nsc-driver-scenario.mjs\n');
sh('git', ['add', '-A']);
sh('git', ['-c', 'user.email=driver@sc-migrate', '-c', 'user.name=driver', 'commit', '-qm', 'as published']);

// The scenario runs in the copy: the repository's handler, called as Vercel would, `calls` times.
writeFileSync(join(dir, 'sc-driver-scenario.mjs'), `
const { default: handler } = await import('./api/soundcloud.js');
const calls = Number(process.env.DRIVER_CALLS ?? 1);
const out = [];
for (let i = 0; i < calls; i++) {
  const res = await handler(new Request('https://not-the-singer-api.vercel.app/api/soundcloud'));
  const body = await res.json();
  out.push({ status: res.status, tracks: Array.isArray(body) ? body.length : undefined, error: body.details ?? body.error });
}
// the login route (auth.js): where it sends the browser (not fetched: PKCE is left to a person)
const { default: login } = await import('./api/soundcloud/auth.js');
const loc = (await login(new Request('https://not-the-singer-api.vercel.app/api/soundcloud/auth'))).headers.get('location');
out.push({ authorize: loc ? new URL(loc).host + new URL(loc).pathname : null });
console.log(JSON.stringify(out));
`);

/** A user's refresh token from the mock: the authorization_code flow with PKCE (what the repo's auth.js + callback.js do once). */
async function userRefreshToken(mock) {
  const verifier = randomBytes(32).toString('base64url');
  const challenge = createHash('sha256').update(verifier).digest('base64url');
  const q = new URLSearchParams({ client_id: CLIENT.clientId, redirect_uri: CLIENT.redirectUris[0], response_type: 'code', code_challenge: challenge, code_challenge_method: 'S256', state: 'driver' });
  const auth = await mock.fetch(`${mock.authUrl}/authorize?${q}`, { redirect: 'manual' });
  const code = new URL(auth.headers.get('location')).searchParams.get('code');
  const tok = await mock.fetch(`${mock.authUrl}/oauth/token`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', Authorization: `Basic ${Buffer.from(`${CLIENT.clientId}:${CLIENT.clientSecret}`).toString('base64')}` },
    body: new URLSearchParams({ grant_type: 'authorization_code', code, redirect_uri: CLIENT.redirectUris[0], code_verifier: verifier }),
  });
  const body = await tok.json();
  if (!body.refresh_token) throw new Error(`driver: no refresh token from the mock: ${JSON.stringify(body)}`);
  return body.refresh_token;
}

async function run(mode, calls = 1) {
  const mock = await startMockApi({ mode, clients: [CLIENT] });
  try {
    const refresh = await userRefreshToken(mock);
    // async: the mock answers from this process's event loop
    const r = await new Promise((done) => {
      execFile(process.execPath, ['--import', TSX, '--import', PRELOAD, 'sc-driver-scenario.mjs'], {
        cwd: dir, encoding: 'utf8', timeout: 60_000,
        env: { ...process.env, ...mock.env, DRIVER_CALLS: String(calls), SOUNDCLOUD_CLIENT_ID: CLIENT.clientId, SOUNDCLOUD_CLIENT_SECRET: CLIENT.clientSecret, SOUNDCLOUD_REFRESH_TOKEN: refresh },
      }, (error, stdout, stderr) => done({ status: error?.code ?? 0, signal: error?.signal, error, stdout, stderr }));
    });
    let results;
    try { results = JSON.parse(r.stdout.trim().split("\n").pop()); } catch { results = [{ status: 0, error: `exit ${r.status} ${r.signal ?? ""} ${(r.stderr || r.stdout).slice(-400)}` }]; }
    const api = results.filter((x) => !('authorize' in x));
    const pass = api.length === calls && api.every((x) => x.status === 200 && x.tracks > 0);
    return { pass, results, rejections: { ...mock.stats.rejections } };
  } finally {
    await mock.close();
  }
}

const report = [];
const step = (name, expect, r) => {
  const ok = expect === undefined || r.pass === expect;
  report.push({ step: name, expected: expect === undefined ? '(info)' : expect ? 'pass' : 'fail', got: r.pass ? 'pass' : 'fail', ok, detail: JSON.stringify(r.results), rejections: JSON.stringify(r.rejections) });
  return ok;
};

let ok = true;
ok = step('legacy, as published', true, await run('legacy')) && ok;
ok = step('strict, as published', false, await run('strict')) && ok;
const fix = spawnSync(process.execPath, [join(ROOT, 'bin/sc-migrate.js'), 'fix', '.', '--format', 'json'], { cwd: dir, encoding: 'utf8' });
const summary = (() => { try { return JSON.parse(fix.stdout).summary; } catch { return { error: fix.stderr.slice(-300) }; } })();
process.stderr.write(`driver: sc-migrate fix: ${JSON.stringify(summary)}\n${sh('git', ['diff', '--stat'])}`);
ok = step('strict, after fix', true, await run('strict')) && ok;
step('strict, after fix, 2 calls', undefined, await run('strict', 2));

console.table(report.map(({ detail, rejections, ...r }) => r));
for (const r of report) console.log(`${r.step}: ${r.detail} rejections ${r.rejections}`);
console.log(ok ? 'driver not-the-singer-api: OK' : 'driver not-the-singer-api: FAILED');
if (!process.env.DRIVER_KEEP) rmSync(dir, { recursive: true, force: true });
else console.log(`kept ${dir}`);
process.exit(ok ? 0 : 1);
