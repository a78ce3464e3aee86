/**
 * bin/bundle-loader.js: the bundled CLI run with V8's code cache. The cache must never change
 * what the CLI does: a rebuilt (stale) bundle, a damaged cache file, a cache folder that cannot be
 * written and concurrent first runs all give the same output as a run without a cache. (No
 * timing here: speed is measured by `npm run bench`.)
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { cleanup, ensureBuilt, git, initRepo, REPO, tempDir, writeTree } from './helpers.js';

const bin = join(REPO, 'bin/sc-migrate.js');
const bundle = join(REPO, 'dist/cli/main.cjs');
const loader = join(REPO, 'bin/bundle-loader.js');
const { safe } = createRequire(import.meta.url)(loader) as { safe: (d: { dir: string; private: boolean }) => boolean };

const env = (cacheDir: string, extra: Record<string, string> = {}) => ({ ...process.env, NO_COLOR: '', FORCE_COLOR: '', SC_MIGRATE_CACHE_DIR: cacheDir, ...extra });
const run = (args: string[], cwd: string, cacheDir: string, extra: Record<string, string> = {}) =>
  spawnSync(process.execPath, [bin, ...args], { cwd, encoding: 'utf8', env: env(cacheDir, extra) });
/** Runs `file` (a bundle) through the loader with `args`; prints what it did with the cache. */
const probe = (file: string, args: string[], cwd: string, cacheDir: string) => {
  const code = `const { loadBundle } = require(${JSON.stringify(loader)});
const b = loadBundle(process.argv[1], ${JSON.stringify(REPO)}, (s) => import(s));
b.exports.main(process.argv.slice(2)).then((c) => { const wrote = b.done(); process.stderr.write('\\nPROBE ' + JSON.stringify({ ...b.cache, wrote, code: c }) + '\\n'); });`;
  const r = spawnSync(process.execPath, ['-e', code, file, ...args], { cwd, encoding: 'utf8', env: env(cacheDir) });
  const m = /PROBE (.*)/.exec(r.stderr);
  return { ...r, info: m ? (JSON.parse(m[1]!) as { accepted: boolean; level: number; wrote: boolean; name: string; code: number }) : undefined };
};
const caches = (dir: string) => (existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.cache')) : []);
const stable = (json: string) => json.replace(/"durationMs": \d+/, '"durationMs": 0');

let repo = '';
let expected = '';

beforeAll(() => {
  ensureBuilt();
  expect(existsSync(bundle)).toBe(true);
  // A staged file with a finding: the pre-commit path, which loads the engine.
  repo = tempDir('scm-cc-');
  initRepo(repo);
  writeTree(repo, { 'player.js': "export const load = (id) => fetch(`https://api.soundcloud.com/tracks/${id}?client_id=abc`);\n" });
  git(repo, 'add', 'player.js');
  const r = run(['scan', '--staged', '--format', 'json', '--fail-on', 'none'], repo, '', { SC_MIGRATE_CODE_CACHE: '0' });
  expect(r.status, r.stderr).toBe(0);
  expected = stable(r.stdout);
  expect(JSON.parse(expected).findings.length).toBeGreaterThan(0);
}, 180_000);
const made: string[] = [];
afterAll(() => { for (const f of made) rmSync(f, { force: true }); cleanup(); });

describe('bundle loader and its code cache', () => {
  it('writes a cache on the first run, reads it on the next; same output every time', () => {
    const dir = join(tempDir('scm-cc-dir-'), 'cache');
    for (let i = 0; i < 3; i++) {
      const r = run(['scan', '--staged', '--format', 'json', '--fail-on', 'none'], repo, dir);
      expect(r.status, r.stderr).toBe(0);
      expect(r.stderr).toBe('');
      expect(stable(r.stdout)).toBe(expected);
      expect(caches(dir)).toHaveLength(1);
    }
    const p = probe(bundle, ['scan', '--staged', '--format', 'json', '--fail-on', 'none'], repo, dir);
    expect(p.info).toMatchObject({ accepted: true, level: 3, wrote: false, code: 0 });
    expect(stable(p.stdout)).toBe(expected);
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('a run that went further than the cache it read (--version, then a scan) writes a fuller one', () => {
    const dir = join(tempDir('scm-cc-dir-'), 'cache');
    expect(probe(bundle, ['--version'], repo, dir).info).toMatchObject({ accepted: false, level: 0, wrote: true });
    expect(probe(bundle, ['--version'], repo, dir).info).toMatchObject({ accepted: true, level: 1, wrote: false });
    const scan = probe(bundle, ['scan', '--staged', '--format', 'json', '--fail-on', 'none'], repo, dir);
    expect(scan.info).toMatchObject({ accepted: true, level: 1, wrote: true });
    expect(stable(scan.stdout)).toBe(expected);
    expect(probe(bundle, ['--version'], repo, dir).info).toMatchObject({ accepted: true, level: 3, wrote: false });
  });

  it('a large scan (which changes a V8 heap flag) leaves a cache the next runs accept', () => {
    // More than 200 candidates: the scan limits heap growth with a V8 flag (src/scan/heap.ts).
    // V8 refuses cached data made under other flags, so without the flag set back first every
    // run after a large scan refused the cache and compiled the CLI again.
    const big = tempDir('scm-cc-big-');
    const files: Record<string, string> = {};
    for (let i = 0; i < 210; i++) files[`src/m${i}.js`] = `export const track${i} = (id) => fetch('https://api.soundcloud.com/tracks/' + id);\n`;
    writeTree(big, files);
    const dir = join(tempDir('scm-cc-dir-'), 'cache');
    const args = ['scan', '.', '--format', 'json', '--fail-on', 'none'];
    // Its cache is made early in the run (`early`: before V8 flushes the start-up's bytecode),
    // under V8's default flags: the next run accepts it.
    const first = probe(bundle, args, big, dir);
    expect(first.info).toMatchObject({ accepted: false, level: 0, wrote: true, early: true, code: 0 });
    const second = probe(bundle, args, big, dir);
    expect(second.info).toMatchObject({ accepted: true, level: 2, wrote: false, early: false, code: 0 });
    expect(stable(second.stdout)).toBe(stable(first.stdout));
    // A large scan's cache ranks below a small scan's (V8 flushed the bytecode of what a large scan
    // stopped running, start-up included): the first one-file scan after it writes a fuller one,
    // which a later large scan keeps.
    const one = probe(bundle, ['scan', '--staged', '--format', 'json', '--fail-on', 'none'], repo, dir);
    expect(one.info).toMatchObject({ accepted: true, level: 2, wrote: true, early: false, code: 0 });
    expect(stable(one.stdout)).toBe(expected);
    expect(probe(bundle, args, big, dir).info).toMatchObject({ accepted: true, level: 3, wrote: false, code: 0 });
    expect(probe(bundle, ['scan', '--staged', '--format', 'json', '--fail-on', 'none'], repo, dir).info).toMatchObject({ accepted: true, level: 3, wrote: false, code: 0 });
  }, 60_000);

  it('a rebuilt bundle never reads the cache of the old one', () => {
    const dir = join(tempDir('scm-cc-dir-'), 'cache');
    const old = probe(bundle, ['scan', '--staged', '--format', 'json', '--fail-on', 'none'], repo, dir);
    expect(old.info?.wrote).toBe(true);
    // Another bundle of the same length (one character changed), then one of another length;
    // beside the real one (its modules find the package from there).
    const copy = join(REPO, 'dist/cli', `test-rebuilt-${process.pid}.cjs`);
    made.push(copy);
    const src = readFileSync(bundle, 'utf8');
    const same = src.replace('(s) => import(s);', '(t) => import(t);');
    expect(same.length).toBe(src.length);
    expect(same).not.toBe(src);
    for (const text of [same, `${src}\n// rebuilt\n`]) {
      writeFileSync(copy, text);
      const p = probe(copy, ['scan', '--staged', '--format', 'json', '--fail-on', 'none'], repo, dir);
      expect(p.status, p.stderr).toBe(0);
      expect(p.info).toMatchObject({ accepted: false, wrote: true });
      expect(p.info!.name).not.toBe(old.info!.name);
      expect(stable(p.stdout)).toBe(expected);
    }
  });

  it('a damaged or truncated cache file is ignored and rewritten', () => {
    const dir = join(tempDir('scm-cc-dir-'), 'cache');
    const first = probe(bundle, ['scan', '--staged', '--format', 'json', '--fail-on', 'none'], repo, dir);
    const file = join(dir, first.info!.name);
    const good = readFileSync(file);
    const flipped = Buffer.from(good);
    for (let i = 200; i < flipped.length; i += 997) flipped[i]! ^= 0x5a;
    for (const bad of [flipped, good.subarray(0, good.length >> 1), Buffer.from('SCC1'), Buffer.alloc(0)]) {
      writeFileSync(file, bad);
      const p = probe(bundle, ['scan', '--staged', '--format', 'json', '--fail-on', 'none'], repo, dir);
      expect(p.status, p.stderr).toBe(0);
      expect(p.info).toMatchObject({ accepted: false, wrote: true });
      expect(stable(p.stdout)).toBe(expected);
      expect(probe(bundle, ['--version'], repo, dir).info).toMatchObject({ accepted: true });
    }
  });

  it('a cache folder that cannot be made or written: the CLI runs the same, silently', () => {
    const base = tempDir('scm-cc-dir-');
    writeFileSync(join(base, 'file'), 'not a folder');
    for (const dir of [join(base, 'file', 'cache'), join(base, 'file')]) {
      const r = run(['scan', '--staged', '--format', 'json', '--fail-on', 'none'], repo, dir);
      expect(r.status).toBe(0);
      expect(r.stderr).toBe('');
      expect(stable(r.stdout)).toBe(expected);
    }
    const off = join(base, 'off');
    const r = run(['scan', '--staged', '--format', 'json', '--fail-on', 'none'], repo, off, { SC_MIGRATE_CODE_CACHE: '0' });
    expect(stable(r.stdout)).toBe(expected);
    expect(existsSync(off)).toBe(false);
  });

  it('concurrent first runs: every output is right and one whole cache file is left', async () => {
    const dir = join(tempDir('scm-cc-dir-'), 'cache');
    const one = () => new Promise<{ status: number | null; stdout: string; stderr: string }>((ok) => {
      const c = spawn(process.execPath, [bin, 'scan', '--staged', '--format', 'json', '--fail-on', 'none'], { cwd: repo, env: env(dir) });
      let stdout = '';
      let stderr = '';
      c.stdout.on('data', (b: Buffer) => { stdout += b; });
      c.stderr.on('data', (b: Buffer) => { stderr += b; });
      c.on('close', (status) => ok({ status, stdout, stderr }));
    });
    const results = await Promise.all(Array.from({ length: 6 }, one));
    for (const r of results) {
      expect(r.status, r.stderr).toBe(0);
      expect(r.stderr).toBe('');
      expect(stable(r.stdout)).toBe(expected);
    }
    expect(caches(dir)).toHaveLength(1);
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    expect(probe(bundle, ['scan', '--staged', '--format', 'json', '--fail-on', 'none'], repo, dir).info).toMatchObject({ accepted: true, level: 3 });
  }, 120_000);

  it("ts-morph's modules (fix's project model) get a code cache of their own; a damaged one is ignored and rewritten", () => {
    // A token URL handed to a wrapper of another file: the cross-file pass loads ts-morph.
    const xf = tempDir('scm-cc-xf-');
    writeTree(xf, {
      'lib/api.js': 'export async function getJson(url) {\n  const res = await fetch(url);\n  return res.json();\n}\n',
      'actions/me.js': "import { getJson } from '../lib/api.js';\nexport const me = (t) => getJson(`https://api.soundcloud.com/me?oauth_token=${t}`);\n",
    });
    const args = ['fix', '--dry', '--force', '.'];
    const off = run(args, xf, '', { SC_MIGRATE_CODE_CACHE: '0' });
    expect(off.stdout).toContain('getJson(url, authorization)');
    const dir = join(tempDir('scm-cc-dir-'), 'cache');
    const deps = () => readdirSync(dir).filter((f) => f.startsWith('dep-') && f.endsWith('.cache'));
    const first = run(args, xf, dir);
    expect(first.stdout).toBe(off.stdout);
    expect(deps().length).toBeGreaterThanOrEqual(3); // ts-morph, @ts-morph/common and its typescript.js
    const contents = () => new Map(deps().map((f) => [f, readFileSync(join(dir, f)).toString('base64')]));
    // accepted by the next run: nothing rewritten
    const written = contents();
    expect(run(args, xf, dir).stdout).toBe(off.stdout);
    expect(contents()).toEqual(written);
    // damaged: ignored (same output) and rewritten, then accepted again
    const damaged = new Map<string, string>();
    for (const f of deps()) {
      const b = readFileSync(join(dir, f));
      for (let i = 100; i < b.length; i += 4099) b[i]! ^= 0x5a;
      writeFileSync(join(dir, f), b);
      damaged.set(f, b.toString('base64'));
    }
    expect(run(args, xf, dir).stdout).toBe(off.stdout);
    const rewritten = contents();
    for (const [f, b] of damaged) expect(rewritten.get(f) !== b, f).toBe(true);
    expect(run(args, xf, dir).stdout).toBe(off.stdout);
    expect(contents()).toEqual(rewritten);
  }, 60_000);

  it('a shared (tmp) folder is used only when it is ours and nobody else can write to it', () => {
    const base = tempDir('scm-cc-dir-');
    const mine = join(base, 'mine');
    mkdirSync(mine, { mode: 0o700 });
    chmodSync(mine, 0o700);
    expect(safe({ dir: mine, private: true })).toBe(true);
    const open = join(base, 'open');
    mkdirSync(open);
    chmodSync(open, 0o777);
    expect(safe({ dir: open, private: true })).toBe(false);
    copyFileSync(bundle, join(base, 'not-a-dir'));
    expect(safe({ dir: join(base, 'not-a-dir'), private: true })).toBe(false);
    expect(safe({ dir: join(base, 'missing'), private: true })).toBe(false);
  });
});
