/**
 * What the real-code drivers share: a copy of a dev repository in a temporary git repository
 * with its own dependencies from the registry, a scenario run in a child process through the
 * mock-api preload, `sc-migrate fix` on the copy, and the report table.
 */
import { execFile, execFileSync, spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const TREES = process.env.SC_EVAL_TREES ?? '/work/eval-trees';
const PRELOAD = join(ROOT, 'dist/src/mock-api/preload.js');
const TSX = import.meta.resolve('tsx');
export const { startMockApi } = await import(pathToFileURL(join(ROOT, 'dist/src/mock-api/index.js')).href);

/**
 * Copies `tree` (without node_modules/.git) to a temp dir, installs its dependencies
 * (`npm install` in `installIn`, the folder of the package.json that is deployed, as a deploy
 * would; DRIVER_DEPS=<node_modules> reuses an earlier install), writes the scenario file, and
 * commits the copy so `fix` sees a clean git tree. `beforeInstall(dir)` may adjust what a deploy
 * today must (a pinned version the registry no longer has); its edit is part of the first commit.
 */
export function prepareCopy(tree, name, scenario, installArgs = [], { installIn = '.', beforeInstall } = {}) {
  const dir = mkdtempSync(join(tmpdir(), `sc-driver-${name}-`));
  cpSync(tree, dir, { recursive: true, filter: (src) => !/[\\/](node_modules|\.git)$/.test(src) });
  const sh = (cmd, args, opts = {}) => execFileSync(cmd, args, { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8', ...opts });
  process.stderr.write(`driver: ${tree} -> ${dir}; ${process.env.DRIVER_DEPS ? 'dependencies from DRIVER_DEPS' : `npm install in ${installIn} (registry) ...`}\n`);
  beforeInstall?.(dir);
  if (process.env.DRIVER_DEPS) symlinkSync(resolve(process.env.DRIVER_DEPS), join(dir, installIn, 'node_modules'), 'dir');
  else sh('npm', ['install', '--no-audit', '--no-fund', '--ignore-scripts', '--loglevel=error', ...installArgs], { cwd: join(dir, installIn), stdio: ['ignore', 'ignore', 'inherit'] });
  writeFileSync(join(dir, 'sc-driver-scenario.mjs'), scenario);
  sh('git', ['init', '-q']);
  writeFileSync(join(dir, '.git/info/exclude'), 'node_modules\nsc-driver-scenario.mjs\n');
  sh('git', ['add', '-A']);
  sh('git', ['-c', 'user.email=driver@sc-migrate', '-c', 'user.name=driver', 'commit', '-qm', 'as published']);
  return { dir, sh };
}

/**
 * A user's tokens from the mock (`{ access_token, refresh_token, expires_in }`): the
 * authorization_code flow with PKCE, what an app's login and callback routes do once.
 */
export async function userTokens(mock, client) {
  const redirectUri = client.redirectUris?.[0] ?? 'http://localhost/callback';
  const verifier = randomBytes(32).toString('base64url');
  const challenge = createHash('sha256').update(verifier).digest('base64url');
  const q = new URLSearchParams({ client_id: client.clientId, redirect_uri: redirectUri, response_type: 'code', code_challenge: challenge, code_challenge_method: 'S256', state: 'driver' });
  const auth = await mock.fetch(`${mock.authUrl}/authorize?${q}`, { redirect: 'manual' });
  const code = new URL(auth.headers.get('location')).searchParams.get('code');
  const tok = await mock.fetch(`${mock.authUrl}/oauth/token`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', Authorization: `Basic ${Buffer.from(`${client.clientId}:${client.clientSecret}`).toString('base64')}` },
    body: new URLSearchParams({ grant_type: 'authorization_code', code, redirect_uri: redirectUri, code_verifier: verifier }),
  });
  const body = await tok.json();
  if (!body.refresh_token) throw new Error(`driver: no refresh token from the mock: ${JSON.stringify(body)}`);
  return body;
}

/** Runs the scenario against a fresh mock (`mode`), async so the mock answers from this process; returns its last JSON line. */
export async function runScenario(dir, mock, env = {}) {
  const r = await new Promise((done) => {
    execFile(process.execPath, ['--import', TSX, '--import', PRELOAD, 'sc-driver-scenario.mjs'], {
      cwd: dir, encoding: 'utf8', timeout: 60_000, env: { ...process.env, ...mock.env, ...env },
    }, (error, stdout, stderr) => done({ status: error?.code ?? 0, signal: error?.signal, stdout, stderr }));
  });
  try { return JSON.parse(r.stdout.trim().split('\n').pop()); } catch { return [{ status: 0, error: `exit ${r.status} ${r.signal ?? ''} ${(r.stderr || r.stdout).slice(-400)}` }]; }
}

/** `sc-migrate fix .` on the copy; prints the summary and the diff stat. */
export function fixCopy(dir, sh) {
  const fix = spawnSync(process.execPath, [join(ROOT, 'bin/sc-migrate.js'), 'fix', '.', '--format', 'json'], { cwd: dir, encoding: 'utf8' });
  const summary = (() => { try { return JSON.parse(fix.stdout).summary; } catch { return { error: fix.stderr.slice(-300) }; } })();
  process.stderr.write(`driver: sc-migrate fix: ${JSON.stringify(summary)}\n${sh('git', ['diff', '--stat'])}`);
  return summary;
}

/**
 * After `fix`: code that now imports `sc-migrate/runtime` has `sc-migrate` in the package.json
 * of `installIn` (fix adds it); the deploy's `npm install` would fetch it, the driver links this
 * checkout's build in its place (`<copy>/<installIn>/node_modules/sc-migrate`). Returns whether
 * fix added the dependency.
 */
export function linkRuntime(dir, installIn = '.') {
  const pkg = JSON.parse(readFileSync(join(dir, installIn, 'package.json'), 'utf8'));
  if (!pkg.dependencies?.['sc-migrate']) return false;
  const target = join(dir, installIn, 'node_modules', 'sc-migrate');
  if (!existsSync(target)) {
    mkdirSync(dirname(target), { recursive: true });
    symlinkSync(ROOT, target, 'dir');
  }
  return true;
}

/** The mock's token requests by grant and its rejections, for a step's record. */
export const mockStats = (mock) => ({ tokenRequests: { ...mock.stats.tokenRequests }, rejections: { ...mock.stats.rejections } });

/** The tree of `name`: the command line's, else $SC_EVAL_TREES/<name> when there, else /work/<set>/<name>. */
export const treeOf = (name, set) => resolve(process.argv[2] ?? (existsSync(join(TREES, name)) ? join(TREES, name) : join('/work', set, name)));

/** The head of a scenario of CommonJS code: `require`, `out` and `call(name, f, summary)` recording a result or its error. */
export const SCENARIO_HEAD = `
import { createRequire } from 'node:module';
const require = createRequire(import.meta.url);
const out = [];
async function call(name, f, summary) {
  try { out.push({ name, ...summary(await f()) }); }
  catch (e) { out.push({ name, error: String(e && (e.statusCode ? e.statusCode + ' ' + JSON.stringify(e.error) : e.message || e)).slice(0, 160) }); }
}
`;

/** `f(mock)` against a fresh mock (`mode`, `clients`); its result with the mock's token requests and rejections. */
export async function withMock(mode, clients, f) {
  const mock = await startMockApi({ mode, clients });
  try {
    return { ...(await f(mock)), ...mockStats(mock) };
  } finally {
    await mock.close();
  }
}

/**
 * The three steps of a driver whose fixed code takes its app token from the generated client
 * module: legacy passes and strict fails as published; after `fix` (and `linkRuntime`) strict
 * passes with one client_credentials token for the whole run and `check(after)`. Exits.
 */
export async function beforeAndAfterFix(name, dir, sh, run, { installIn = '.', check = () => true } = {}) {
  const report = reporter(name);
  report.step('legacy, as published', true, await run('legacy'));
  report.step('strict, as published', false, await run('strict'));
  fixCopy(dir, sh);
  const runtime = linkRuntime(dir, installIn);
  const after = await run('strict');
  report.step('strict, after fix', true, { ...after, pass: after.pass && runtime && after.tokenRequests.client_credentials === 1 && check(after) });
  report.finish(dir);
}

/**
 * Collects steps (expected pass/fail, a label such as 'no migration (api-v2)', or information
 * only) and prints the table; exit code 0 when all expectations hold. `r.label` names what a
 * step got when pass/fail does not say it.
 */
export function reporter(name) {
  const rows = [];
  return {
    step(step, expect, r) {
      const got = r.label ?? (r.pass ? 'pass' : 'fail');
      const expected = expect === undefined ? '(info)' : typeof expect === 'string' ? expect : expect ? 'pass' : 'fail';
      const ok = expect === undefined || got === expected;
      rows.push({ step, expected, got, ok, detail: JSON.stringify(r.results), rejections: JSON.stringify(r.rejections) + (r.tokenRequests ? ` tokenRequests ${JSON.stringify(r.tokenRequests)}` : "") });
      return ok;
    },
    finish(dir) {
      console.table(rows.map(({ detail, rejections, ...r }) => r));
      for (const r of rows) console.log(`${r.step}: ${r.detail} rejections ${r.rejections}`);
      const ok = rows.every((r) => r.ok);
      console.log(`driver ${name}: ${ok ? 'OK' : 'FAILED'}`);
      if (!process.env.DRIVER_KEEP) rmSync(dir, { recursive: true, force: true });
      else console.log(`kept ${dir}`);
      process.exit(ok ? 0 : 1);
    },
  };
}
