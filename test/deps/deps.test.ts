/**
 * `sc-migrate deps`: lockfiles of every kind give the same graph, the fixture app's bad wrapper
 * (minified dist bundle included), its nested older copy and the clean wrapper are reported as
 * npm audit would, known-clean versions come from the data file, and the CLI formats and exit codes.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { cpSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { dependencyPaths, LockfileError, readLockfile, type DepGraph } from '../../src/deps/lockfile.js';
import { listInstalled, packageFiles } from '../../src/deps/installed.js';
import { auditDeps } from '../../src/deps/audit.js';
import { compareVersions, loadKnownPackages, parseKnownPackages, upgradeFor } from '../../src/deps/known.js';
import { runScan } from '../../src/scan/run.js';
import { loadRules } from '../../src/scan/rules.js';
import { cleanup, REPO, runMain, tempDir, writeTree } from '../cli/helpers.js';

afterAll(cleanup);

const FIX = join(REPO, 'fixtures/deps');
const APP = join(FIX, 'app');
const KNOWN = join(FIX, 'known-packages.json');
const LOCKFILES = ['package-lock.json', '../lockfiles/package-lock-v1/package-lock.json', '../lockfiles/npm-shrinkwrap/npm-shrinkwrap.json', '../lockfiles/yarn-v1/yarn.lock', '../lockfiles/yarn-berry/yarn.lock', '../lockfiles/pnpm-v9/pnpm-lock.yaml', '../lockfiles/pnpm-v6/pnpm-lock.yaml'];
const NESTED = ['deps-fixture-app', '@scm-fixture/music-kit@3.1.0', 'soundcloud-fixture-bad@1.0.0'];

const labels = (g: DepGraph) => [...g.nodes.values()].map((n) => `${n.name}@${n.version}`).sort();
const pathTo = (g: DepGraph, label: string) => dependencyPaths(g).get([...g.nodes.values()].find((n) => `${n.name}@${n.version}` === label)!.id);

describe('lockfiles', () => {
  it.each(LOCKFILES)('%s: the same packages, roots and dependency paths', (file) => {
    const g = readLockfile(APP, file);
    expect(g.warnings).toEqual([]);
    expect(labels(g)).toEqual(['@scm-fixture/music-kit@3.1.0', '@scm-fixture/soundcloud-clean@2.0.0', 'soundcloud-fixture-bad@1.0.0', 'soundcloud-fixture-bad@1.2.0', 'tiny-fixture-format@1.0.0']);
    expect(g.roots.map((r) => `${g.nodes.get(r)!.name}@${g.nodes.get(r)!.version}`).sort()).toEqual(['@scm-fixture/music-kit@3.1.0', '@scm-fixture/soundcloud-clean@2.0.0', 'soundcloud-fixture-bad@1.2.0']);
    expect(pathTo(g, 'soundcloud-fixture-bad@1.0.0')).toEqual([NESTED]);
    expect(pathTo(g, 'tiny-fixture-format@1.0.0')).toEqual([['deps-fixture-app', '@scm-fixture/soundcloud-clean@2.0.0', 'tiny-fixture-format@1.0.0']]);
  });

  it('detects the kind of each lockfile', () => {
    expect(LOCKFILES.map((f) => readLockfile(APP, f).kind)).toEqual(['package-lock', 'package-lock', 'npm-shrinkwrap', 'yarn-v1', 'yarn-berry', 'pnpm', 'pnpm']);
    expect(readLockfile(APP).kind).toBe('package-lock');
  });

  it('refuses what it cannot read with a message saying what to do', () => {
    const dir = tempDir('scm-lock-');
    expect(() => readLockfile(dir)).toThrow(LockfileError);
    writeFileSync(join(dir, 'package-lock.json'), '{"lockfileVersion": 3}');
    expect(() => readLockfile(dir)).toThrow(/lists no packages/);
    rmSync(join(dir, 'package-lock.json'));
    writeFileSync(join(dir, 'yarn.lock'), '# yarn lockfile v1\n\n<<<<<<< HEAD\na@^1:\n  version "1.0.0"\n=======\na@^1:\n  version "1.1.0"\n>>>>>>> other\n');
    expect(() => readLockfile(dir)).toThrow(/merge conflict/);
    writeFileSync(join(dir, 'yarn.lock'), '__metadata:\n  version: 8\n"a@npm:^1": [unclosed\n');
    expect(() => readLockfile(dir)).toThrow(/yarn.lock: cannot parse/);
  });

  it('yarn: a range rewritten by resolutions still finds the one installed version', () => {
    const dir = tempDir('scm-lock-res-');
    writeTree(dir, {
      'package.json': JSON.stringify({ name: 'r', dependencies: { a: '^1.0.0' }, resolutions: { b: '2.0.0' } }),
      'yarn.lock': '# yarn lockfile v1\n\n\na@^1.0.0:\n  version "1.0.0"\n  dependencies:\n    b "^1.0.0"\n\nb@2.0.0:\n  version "2.0.0"\n',
    });
    const g = readLockfile(dir);
    expect(g.warnings).toEqual([]);
    expect(pathTo(g, 'b@2.0.0')).toEqual([['r', 'a@1.0.0', 'b@2.0.0']]);
  });
});

describe('installed packages', () => {
  it('lists an npm tree shallowest first, with nested copies, and each package code files without declarations', () => {
    const list = listInstalled(APP).map((p) => `${p.relDir} ${p.name}@${p.version}`);
    expect(list).toEqual([
      'node_modules/@scm-fixture/music-kit @scm-fixture/music-kit@3.1.0',
      'node_modules/@scm-fixture/soundcloud-clean @scm-fixture/soundcloud-clean@2.0.0',
      'node_modules/soundcloud-fixture-bad soundcloud-fixture-bad@1.2.0',
      'node_modules/tiny-fixture-format tiny-fixture-format@1.0.0',
      'node_modules/@scm-fixture/music-kit/node_modules/soundcloud-fixture-bad soundcloud-fixture-bad@1.0.0',
    ]);
    expect(packageFiles(join(APP, 'node_modules/soundcloud-fixture-bad')).map((f) => f.slice(APP.length + 1)).sort()).toEqual([
      'node_modules/soundcloud-fixture-bad/dist/index.min.js', 'node_modules/soundcloud-fixture-bad/lib/stream.js',
    ]);
  });

  it('follows a pnpm layout: top-level links into .pnpm, dependencies found in the store', () => {
    const dir = tempDir('scm-pnpm-');
    const store = join(dir, 'node_modules/.pnpm');
    const put = (id: string, name: string, from: string) => { mkdirSync(join(store, id, 'node_modules'), { recursive: true }); cpSync(join(APP, from), join(store, id, 'node_modules', name), { recursive: true }); };
    put('soundcloud-fixture-bad@1.2.0', 'soundcloud-fixture-bad', 'node_modules/soundcloud-fixture-bad');
    put('@scm-fixture+music-kit@3.1.0', '@scm-fixture/music-kit', 'node_modules/@scm-fixture/music-kit');
    rmSync(join(store, '@scm-fixture+music-kit@3.1.0/node_modules/@scm-fixture/music-kit/node_modules'), { recursive: true });
    put('soundcloud-fixture-bad@1.0.0', 'soundcloud-fixture-bad', 'node_modules/@scm-fixture/music-kit/node_modules/soundcloud-fixture-bad');
    symlinkSync(join(store, 'soundcloud-fixture-bad@1.0.0/node_modules/soundcloud-fixture-bad'), join(store, '@scm-fixture+music-kit@3.1.0/node_modules/soundcloud-fixture-bad'));
    mkdirSync(join(dir, 'node_modules/@scm-fixture'));
    symlinkSync(join(store, 'soundcloud-fixture-bad@1.2.0/node_modules/soundcloud-fixture-bad'), join(dir, 'node_modules/soundcloud-fixture-bad'));
    symlinkSync(join(store, '@scm-fixture+music-kit@3.1.0/node_modules/@scm-fixture/music-kit'), join(dir, 'node_modules/@scm-fixture/music-kit'));
    const list = listInstalled(dir).map((p) => `${p.relDir} ${p.version}`);
    expect(list).toContain('node_modules/soundcloud-fixture-bad 1.2.0');
    expect(list).toContain('node_modules/@scm-fixture/music-kit 3.1.0');
    expect(list.filter((l) => l.endsWith(' 1.0.0'))).toEqual(['node_modules/.pnpm/@scm-fixture+music-kit@3.1.0/node_modules/soundcloud-fixture-bad 1.0.0']);
    expect(list).toHaveLength(3); // each package once, by real path
  });
});

describe('auditDeps', () => {
  it.each(LOCKFILES)('with %s: the bad wrapper (dist bundle too), its nested copy, and the clean one', async (lockfile) => {
    const r = await auditDeps({ appDir: APP, lockfile, knownPackages: [KNOWN], jobs: 1 });
    expect(r.installed).toBe(5);
    expect(r.warnings).toEqual([]);
    const by = new Map(r.packages.map((p) => [`${p.name}@${p.version}`, p]));
    // tiny-fixture-format never names SoundCloud: the prefilter leaves it out.
    expect([...by.keys()].sort()).toEqual(['@scm-fixture/music-kit@3.1.0', '@scm-fixture/soundcloud-clean@2.0.0', 'soundcloud-fixture-bad@1.0.0', 'soundcloud-fixture-bad@1.2.0']);
    const bad = by.get('soundcloud-fixture-bad@1.2.0')!;
    expect(bad.direct).toBe(true);
    expect(bad.paths).toEqual([['deps-fixture-app', 'soundcloud-fixture-bad@1.2.0']]);
    expect([...new Set(bad.findings.map((f) => f.ruleId))].sort()).toEqual(['no-client-id-auth', 'no-implicit-grant', 'no-legacy-auth-endpoint', 'no-private-api-v2']);
    expect(bad.findings.filter((f) => f.file === 'node_modules/soundcloud-fixture-bad/dist/index.min.js').length).toBeGreaterThanOrEqual(3);
    expect(bad.upgrade).toMatchObject({ status: 'clean-version', version: '2.0.0' }); // not the 3.0.0 pre-release
    const nested = by.get('soundcloud-fixture-bad@1.0.0')!;
    expect(nested.direct).toBe(false);
    expect(nested.paths).toEqual([NESTED]);
    expect(nested.findings.map((f) => `${f.ruleId}:${f.line}`).sort()).toEqual(['no-client-id-auth:9', 'no-insecure-http:2']);
    expect(by.get('@scm-fixture/soundcloud-clean@2.0.0')!.findings).toEqual([]);
    expect(by.get('@scm-fixture/music-kit@3.1.0')!.findings).toEqual([]);
    expect(r.stats).toMatchObject({ packages: 2, errors: 6, warnings: 1 });
    expect(r.packages[0]!.name).toBe('soundcloud-fixture-bad'); // most errors first
  });

  it('--production leaves out what only devDependencies bring in (npm flags, yarn and pnpm from package.json)', async () => {
    const dir = tempDir('scm-deps-prod-');
    cpSync(APP, dir, { recursive: true });
    const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
    pkg.devDependencies = { '@scm-fixture/music-kit': pkg.dependencies['@scm-fixture/music-kit'] };
    delete pkg.dependencies['@scm-fixture/music-kit'];
    writeFileSync(join(dir, 'package.json'), JSON.stringify(pkg));
    const lock = JSON.parse(readFileSync(join(dir, 'package-lock.json'), 'utf8'));
    for (const k of Object.keys(lock.packages)) if (k.includes('music-kit')) lock.packages[k].dev = true;
    writeFileSync(join(dir, 'package-lock.json'), JSON.stringify(lock));
    const nestedOf = async (lockfile: string, production: boolean) => (await auditDeps({ appDir: dir, lockfile, production, jobs: 1 })).packages.some((p) => p.version === '1.0.0');
    for (const lockfile of ['package-lock.json', join(FIX, 'lockfiles/yarn-v1/yarn.lock'), join(FIX, 'lockfiles/pnpm-v9/pnpm-lock.yaml'), join(FIX, 'lockfiles/yarn-berry/yarn.lock')]) {
      expect(await nestedOf(lockfile, false), lockfile).toBe(true);
      expect(await nestedOf(lockfile, true), lockfile).toBe(false);
    }
  });

  it('in a workspace package, finds the lockfile and node_modules at the workspace root', async () => {
    const dir = tempDir('scm-deps-ws-');
    cpSync(APP, dir, { recursive: true });
    writeTree(dir, { 'packages/web/package.json': JSON.stringify({ name: 'web', version: '1.0.0' }) });
    const r = await auditDeps({ appDir: join(dir, 'packages/web'), jobs: 1 });
    expect(r.appDir).toBe(dir);
    expect(r.stats.packages).toBe(2);
  });

  it('`scan` skips the minified bundle that `deps` reads', async () => {
    const dir = join(APP, 'node_modules/soundcloud-fixture-bad');
    const scan = await runScan({ cwd: dir, jobs: 1, noConfig: true, paths: ['.'] });
    expect(scan.findings.map((f) => f.file)).toEqual(['lib/stream.js', 'lib/stream.js']);
    const all = await runScan({ cwd: dir, jobs: 1, noConfig: true, paths: ['.'], noIgnore: true });
    expect(all.findings.filter((f) => f.file === 'dist/index.min.js').length).toBeGreaterThanOrEqual(3);
  });

  it('says what is known about other versions', () => {
    const known = loadKnownPackages([KNOWN]);
    expect(upgradeFor(known, 'soundcloud-fixture-bad', '2.0.0')).toMatchObject({ status: 'none-known-clean', latestChecked: '3.0.0-beta.1' });
    expect(upgradeFor(known, 'nobody', '1.0.0')).toEqual({ status: 'unknown' });
    expect(compareVersions('1.10.0', '1.9.9')).toBeGreaterThan(0);
    expect(compareVersions('3.0.0-beta.1', '3.0.0')).toBeLessThan(0);
    expect(() => parseKnownPackages('{"version":1,"packages":{"x":{"source":"s","versions":{"1.0.0":{"clean":true,"rules":["r"]}}}}}', 'f')).toThrow(/clean/);
    expect(() => parseKnownPackages('{"version":1,"packages":{"x":{"source":"s","versions":{"one":{"clean":true,"rules":[]}}}}}', 'f')).toThrow(/not a version/);
  });

  it('the shipped data file is valid, names the real wrappers and only rules that exist', async () => {
    const text = readFileSync(join(REPO, 'data/known-packages.json'), 'utf8');
    const data = parseKnownPackages(text, 'data/known-packages.json');
    for (const name of ['soundcloud', 'soundcloud-downloader', 'soundcloud.ts']) expect(Object.keys(data.packages[name]?.versions ?? {}).length, name).toBeGreaterThan(0);
    const ids = new Set((await loadRules()).map((r) => r.meta.docs.scMigrate.id));
    for (const [name, p] of Object.entries(data.packages)) for (const [v, k] of Object.entries(p.versions)) for (const id of k.rules) expect(ids.has(id), `${name}@${v}: ${id}`).toBe(true);
    expect(Object.keys(loadKnownPackages().packages)).toEqual(Object.keys(data.packages)); // loaded from the package root
    expect(JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')).files).toContain('data');
  });
});

describe('sc-migrate deps (CLI)', () => {
  it('pretty, JSON, Markdown and schema-valid SARIF; exit codes as scan', async () => {
    const pretty = await runMain(['deps', APP, '--known-packages', KNOWN, '-j', '1'], REPO);
    expect(pretty.code).toBe(1);
    expect(pretty.stdout).toContain('path  deps-fixture-app > @scm-fixture/music-kit@3.1.0 > soundcloud-fixture-bad@1.0.0');
    expect(pretty.stdout).toContain('file  node_modules/soundcloud-fixture-bad/dist/index.min.js:1');
    expect(pretty.stdout).toContain('upgrade to 2.0.0 (known clean)');
    expect(pretty.stdout).toMatch(/2 packages with 7 problems \(6 errors, 1 warning\)/);

    const json = await runMain(['deps', APP, '-f', 'json', '-j', '1'], REPO);
    const j = JSON.parse(json.stdout);
    expect(j.lockfile).toEqual({ kind: 'package-lock', file: 'package-lock.json' });
    expect(j.packages[0]).toMatchObject({ name: 'soundcloud-fixture-bad', version: '1.2.0', direct: true, upgrade: { status: 'unknown' } });
    expect(j.packages[0].rules[0]).toEqual({ id: 'no-client-id-auth', count: 2, severity: 'error' });

    const md = await runMain(['deps', APP, '-f', 'markdown', '--fail-on', 'none', '-j', '1'], REPO);
    expect(md.code).toBe(0);
    expect(md.stdout).toMatch(/\| `soundcloud-fixture-bad` \| 1\.0\.0 \| 2 \| 0 \|/);

    const sarif = await runMain(['deps', APP, '-f', 'sarif', '-o', join(tempDir('scm-deps-out-'), 'deps.sarif'), '-j', '1'], REPO);
    expect(sarif.code).toBe(1);
    const s = JSON.parse((await runMain(['deps', APP, '-f', 'sarif', '-j', '1'], REPO)).stdout);
    const schema = JSON.parse(readFileSync(join(REPO, 'node_modules/@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json'), 'utf8')) as Record<string, unknown>;
    delete schema.$schema; schema.$id = schema.id; delete schema.id;
    const validate = new Ajv({ strict: false, allErrors: true, unicodeRegExp: false, validateFormats: false }).compile(schema);
    expect(validate(s), JSON.stringify(validate.errors?.slice(0, 3))).toBe(true);
    const nested = s.runs[0].results.find((x: { properties: { version: string } }) => x.properties.version === '1.0.0');
    expect(nested.properties.dependencyPaths).toEqual([NESTED.join(' > ')]);
    expect(nested.locations[0].physicalLocation.artifactLocation.uri).toBe('node_modules/@scm-fixture/music-kit/node_modules/soundcloud-fixture-bad/index.js');
  }, 60_000);

  it('exit 0 for an app whose SoundCloud dependencies are clean, 2 without a lockfile or node_modules', async () => {
    const dir = tempDir('scm-deps-clean-');
    cpSync(join(APP, 'node_modules/@scm-fixture/soundcloud-clean'), join(dir, 'node_modules/@scm-fixture/soundcloud-clean'), { recursive: true });
    writeTree(dir, {
      'package.json': JSON.stringify({ name: 'clean-app', dependencies: { '@scm-fixture/soundcloud-clean': '^2.0.0' } }),
      'package-lock.json': JSON.stringify({ name: 'clean-app', lockfileVersion: 3, packages: { '': { dependencies: { '@scm-fixture/soundcloud-clean': '^2.0.0' } }, 'node_modules/@scm-fixture/soundcloud-clean': { version: '2.0.0', dependencies: { 'tiny-fixture-format': '^1.0.0' } } } }),
    });
    const ok = await runMain(['deps', '-j', '1'], dir);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toMatch(/No installed package breaks/);
    expect(ok.stdout).toMatch(/1 installed packages \(package-lock.json\), 1 name SoundCloud/);
    const empty = tempDir('scm-deps-none-');
    const none = await runMain(['deps'], empty);
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/no lockfile/);
    writeTree(empty, { 'package-lock.json': '{"lockfileVersion":3,"packages":{"":{}}}' });
    const noModules = await runMain(['deps'], empty);
    expect(noModules.code).toBe(2);
    expect(noModules.stderr).toMatch(/no installed packages .*install first/);
    writeTree(empty, { 'bad-known.json': '{"version":1,"packages":{"x":{"versions":{}}}}' });
    const badKnown = await runMain(['deps', APP, '--known-packages', 'bad-known.json'], empty);
    expect(badKnown.code).toBe(2);
    expect(badKnown.stderr).toMatch(/bad-known.json: x: needs "source"/);
    expect(badKnown.stderr).not.toMatch(/internal error/);
  }, 60_000);

  it('redacts a secret a dependency hard-codes', async () => {
    const dir = tempDir('scm-deps-secret-');
    const secret = 'k3J9xQ2mZ8vL4pR7tW1yB6nD5fH0sA3c';
    writeTree(dir, {
      'package.json': JSON.stringify({ name: 's', dependencies: { leaky: '1.0.0' } }),
      'package-lock.json': JSON.stringify({ name: 's', lockfileVersion: 3, packages: { '': { dependencies: { leaky: '1.0.0' } }, 'node_modules/leaky': { version: '1.0.0' } } }),
      'node_modules/leaky/package.json': JSON.stringify({ name: 'leaky', version: '1.0.0' }),
      'node_modules/leaky/index.js': `const client_secret = '${secret}';\nmodule.exports = () => fetch('https://api.soundcloud.com/oauth2/token', { method: 'POST', body: 'grant_type=client_credentials&client_id=abc&client_secret=' + client_secret });\n`,
    });
    for (const f of ['pretty', 'json', 'sarif', 'markdown']) {
      const r = await runMain(['deps', '-f', f, '--verbose', '-j', '1'], dir);
      expect(r.code, f + r.stderr).toBe(1);
      expect(r.stdout, f).not.toContain(secret);
    }
  }, 60_000);
});
