/**
 * Behavioural proof of `fix`: each runnable fixture app, copied to a temp dir, passes its scenario
 * against the legacy mock and fails against the strict one; after fixFiles on the copy it passes
 * against the strict mock (apps whose findings on the scenario path are all rewritten), or what is
 * left is manual/suggest and marked. Apps whose token handling the fix routes through the runtime
 * also run twice across a token expiry (the mock clock jumps 2 h; a new process, a shared token
 * file) with the client_credentials limit set to 1 token per 12 h: the second run must renew with
 * the refresh grant, never with a second client_credentials token.
 * Loopback only: the preload routes SoundCloud hosts to the mock.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { allRules } from '../../rules/index.js';
import { fixFiles } from '../../src/fix/apply.js';
import { markerTags } from '../../src/engine/markers.js';
import { startMockApi, type MockApi } from '../../src/mock-api/index.js';
import { SoundCloudClient } from '../../src/runtime/index.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const APPS = join(root, 'fixtures/apps');
const CLIENT = { clientId: 'fix-app', clientSecret: 'fix secret+1/=', redirectUris: ['http://localhost:3000/cb'] };

/**
 * Apps the README says run in Node; whether all their scenario-path findings get rewritten; and
 * whether their tokens are then the runtime's (so they survive an expiry and the rate limit).
 * Browser apps (react-sdk-spa, vue-player, jquery-page) keep client_id/SDK code for a person: no
 * secret may live in a browser, so `fix` marks the backend change instead (see expected.md).
 * chart-bot's own token function becomes the runtime's (password -> client_credentials -> runtime).
 * ts-library keeps its own token code (a library class returning the whole token response;
 * require-token-refresh is manual, marked): it passes strict, and the test shows that it does not
 * survive an expiry under the rate limit, which is what its marker says.
 */
const CASES: { app: string; strictAfterFix: boolean; expiry?: 'survives' | 'marked'; login?: boolean }[] = [
  { app: 'express-axios', strictAfterFix: true, expiry: 'survives' },
  { app: 'node-downloader', strictAfterFix: true, expiry: 'survives' },
  { app: 'ts-library', strictAfterFix: true, expiry: 'marked' },
  { app: 'chart-bot', strictAfterFix: true, expiry: 'survives' },
  // user tokens in the session, expiry read: an expired user logs in again (no app token to renew)
  { app: 'express-login', strictAfterFix: true, login: true },
  { app: 'react-sdk-spa', strictAfterFix: false },
  { app: 'vue-player', strictAfterFix: false },
  { app: 'jquery-page', strictAfterFix: false },
];

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const f of readdirSync(d)) {
      const p = join(d, f);
      if (statSync(p).isDirectory()) { if (f !== 'node_modules') walk(p); }
      else if (/\.(m?[jt]sx?|c[jt]s|vue|html)$/.test(f) && f !== 'scenario.mjs') out.push(p);
    }
  };
  walk(dir);
  return out;
}

/** A temp copy of the app, with `sc-migrate` resolvable (the runtime from this checkout, via tsx). */
function copyApp(app: string, base: string): string {
  const dir = join(base, app);
  cpSync(join(APPS, app), dir, { recursive: true });
  const pkg = join(dir, 'node_modules/sc-migrate');
  mkdirSync(pkg, { recursive: true });
  writeFileSync(join(pkg, 'package.json'), JSON.stringify({ name: 'sc-migrate', type: 'module', exports: { './runtime': './src/runtime/index.ts' } }));
  symlinkSync(join(root, 'src'), join(pkg, 'src'));
  return dir;
}

function runScenario(dir: string, mock: MockApi, token: string, extraEnv: Record<string, string> = {}): Promise<{ ok: boolean; out: string }> {
  return new Promise((res) => {
    execFile(process.execPath, ['--import', 'tsx', '--import', join(root, 'src/mock-api/preload.ts'), '--import', join(root, 'test/fix/clock-offset.mjs'), join(dir, 'scenario.mjs')], {
      cwd: root,
      timeout: 30_000,
      env: {
        ...process.env, ...mock.env, NODE_EXTRA_CA_CERTS: '',
        SC_APPS_SUPPORT_DIR: join(APPS, '_support'),
        SOUNDCLOUD_CLIENT_ID: CLIENT.clientId, SOUNDCLOUD_CLIENT_SECRET: CLIENT.clientSecret, SOUNDCLOUD_ACCESS_TOKEN: token,
        SOUNDCLOUD_USERNAME: 'user', SOUNDCLOUD_PASSWORD: 'pass',
        SOUNDCLOUD_SEARCH: 'night', SOUNDCLOUD_RESOLVE_URL: 'https://soundcloud.com/mock-user/first-light',
        ...extraEnv,
      },
    }, (err, stdout, stderr) => res({ ok: !err, out: `${stdout}\n${stderr}`.slice(-1500) }));
  });
}

/** A user token from the mock's authorization_code + PKCE flow (browser logins cannot be scripted). */
async function userToken(mock: MockApi): Promise<string> {
  const sc = new SoundCloudClient({ ...CLIENT, redirectUri: CLIENT.redirectUris[0], fetch: mock.fetch, apiBase: mock.apiUrl, authBase: mock.authUrl, clientCredentials: false });
  const { url, state, codeVerifier } = await sc.authorizeUrl();
  const r = await mock.fetch(url, { redirect: 'manual' });
  const loc = new URL(r.headers.get('location')!);
  expect(loc.searchParams.get('state')).toBe(state);
  await sc.exchangeCode({ code: loc.searchParams.get('code')!, codeVerifier });
  return sc.getAccessToken();
}

describe('fix makes the fixture apps work against the strict mock', () => {
  let strict: MockApi;
  let legacy: MockApi;
  let strictToken: string;
  let legacyToken: string;
  let base: string;
  beforeAll(async () => {
    [strict, legacy] = await Promise.all([startMockApi({ mode: 'strict', clients: [CLIENT] }), startMockApi({ mode: 'legacy', clients: [CLIENT] })]);
    [strictToken, legacyToken] = await Promise.all([userToken(strict), userToken(legacy)]);
    base = mkdtempSync(join(tmpdir(), 'sc-fix-apps-'));
  }, 30_000);
  afterAll(async () => {
    await Promise.all([strict?.close(), legacy?.close()]);
    if (base) rmSync(base, { recursive: true, force: true });
  });

  for (const c of CASES) {
    const after = c.strictAfterFix ? `strict passes${c.expiry === 'survives' ? ', also across a token expiry with client_credentials limited to 1' : c.expiry === 'marked' ? '; its own token code (marked) does not survive an expiry' : ''}` : 'what is left is manual and marked';
    it(`${c.app}: passes legacy and fails strict before fix; after fix ${after}`, async () => {
      const dir = copyApp(c.app, base);
      const [before, beforeStrict] = await Promise.all([runScenario(dir, legacy, legacyToken), runScenario(dir, strict, strictToken)]);
      // Before the fix: the app works against the legacy API and fails against the strict one.
      expect(before.ok, before.out).toBe(true);
      expect(beforeStrict.ok, beforeStrict.out).toBe(false);

      const files = sourceFiles(dir);
      const { results } = await fixFiles({ files: files.map((p) => ({ path: relative(dir, p), text: readFileSync(p, 'utf8') })), rules: allRules, cwd: dir });
      expect(results.filter((r) => r.status === 'failed')).toEqual([]);
      expect(results.some((r) => r.status === 'changed')).toBe(true);
      // on disk: what fixFiles returned; a second run changes nothing
      for (const r of results) expect(readFileSync(join(dir, r.file), 'utf8')).toBe(r.after);
      const again = await fixFiles({ files: sourceFiles(dir).map((p) => ({ path: relative(dir, p), text: readFileSync(p, 'utf8') })), rules: allRules, cwd: dir, dry: true });
      expect(again.results.filter((r) => r.status !== 'unchanged').map((r) => r.file)).toEqual([]);
      // what is left: nothing auto-fixable with edits, and every finding marked
      for (const r of results) {
        for (const f of r.remaining) {
          expect(f.fix?.edits.length ?? 0, `${r.file}:${f.line} ${f.ruleId}`).toBe(0);
          // above it, or above its origin (one marker per root cause, maybe in another file)
          const at = f.origin ?? { file: join(dir, r.file), line: f.line };
          const lines = readFileSync(at.file, 'utf8').split('\n');
          expect(markerTags(lines.slice(Math.max(0, at.line - 8), at.line).join('\n')), `${r.file}:${f.line} ${f.ruleId}`).toContain(f.ruleId);
          expect(f.marked, `${r.file}:${f.line} ${f.ruleId}`).toBe(true);
        }
      }
      if (c.strictAfterFix) {
        strict.stats.reset();
        const after = await runScenario(dir, strict, strictToken);
        expect(after.ok, after.out).toBe(true);
        // one client_credentials token for the whole run (cached), or the user's login; no rejections
        if (c.login) expect(strict.stats.tokenRequests).toMatchObject({ authorization_code: 1 });
        else expect(strict.stats.tokenRequests.client_credentials).toBe(1);
        expect(strict.stats.rejections).toEqual({});
      }
      if (c.expiry) {
        // a token expiry between two process runs, with client_credentials limited to 1 token per 12 h
        const limited = await startMockApi({ mode: 'strict', clients: [CLIENT], clientCredentialsLimit: { max: 1, windowSeconds: 12 * 3600 } });
        try {
          const tokenFile = join(base, `${c.app}.tokens.json`);
          const first = await runScenario(dir, limited, await userToken(limited), { SOUNDCLOUD_TOKEN_FILE: tokenFile });
          expect(first.ok, first.out).toBe(true);
          expect(limited.stats.tokenRequests.client_credentials).toBe(1);
          const later = 2 * 3600 * 1000;
          limited.advanceTime(later); // every access token has expired, for the mock and for the app
          const second = await runScenario(dir, limited, await userToken(limited), { SOUNDCLOUD_TOKEN_FILE: tokenFile, SC_TEST_CLOCK_OFFSET_MS: String(later) });
          if (c.expiry === 'survives') {
            expect(second.ok, second.out).toBe(true);
            expect(limited.stats.tokenRequests.client_credentials).toBe(1);
            expect(limited.stats.tokenRequests.refresh_token).toBeGreaterThanOrEqual(1);
            expect(limited.stats.rejections.client_credentials_rate_limit ?? 0).toBe(0);
          } else {
            // its own token code asks for a new client_credentials token per process: the limit stops it
            expect(second.ok).toBe(false);
            expect(limited.stats.rejections.client_credentials_rate_limit).toBeGreaterThanOrEqual(1);
            expect(results.flatMap((r) => r.remaining).some((f) => f.ruleId === 'require-token-refresh')).toBe(true);
          }
        } finally {
          await limited.close();
        }
      }
    }, 90_000);
  }
});
