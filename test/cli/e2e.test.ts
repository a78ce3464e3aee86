// End to end through the real binary (bin/sc-migrate.js -> dist/), with the real rules.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { utimesSync } from 'node:fs';
import { cleanup, ensureBuilt, REPO, staleDist, tempDir, writeRulesModule, writeTree } from './helpers.js';

const bin = join(REPO, 'bin/sc-migrate.js');
const run = (args: string[], cwd: string, env: Record<string, string> = {}) =>
  spawnSync('node', [bin, ...args], { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '', FORCE_COLOR: '', ...env } });

beforeAll(() => ensureBuilt(), 120_000);
afterAll(cleanup);

describe('sc-migrate binary', () => {
  it('scans with the real rules: json on stdout, exit 1, a known rule id', () => {
    const d = tempDir();
    writeTree(d, { 'src/api.js': "export const tracks = () => fetch('http://api.soundcloud.com/tracks');\n", 'src/other.js': "fetch('http://example.com/');\n" });
    const r = run(['scan', '--format', 'json'], d);
    expect(r.status).toBe(1);
    const j = JSON.parse(r.stdout);
    expect(j.findings.some((f: { ruleId: string; file: string }) => f.ruleId === 'no-insecure-http' && f.file === 'src/api.js')).toBe(true);
    expect(j.findings.every((f: { file: string }) => f.file === 'src/api.js')).toBe(true);
    expect(run(['scan', '--fail-on', 'none'], d).status).toBe(0);
  });

  it('exits 0 on a clean tree, 2 on usage errors, and prints the rules table', () => {
    const d = tempDir();
    writeTree(d, { 'a.js': 'console.log(1);\n' });
    expect(run(['scan'], d).status).toBe(0);
    const bad = run(['scan', '--rule', 'no-such-rule'], d);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/unknown rule id "no-such-rule"/);
    const rules = run(['rules', '--format', 'json'], d);
    expect(JSON.parse(rules.stdout).map((r: { id: string }) => r.id)).toContain('no-query-oauth-token');
    expect(run(['--help'], d).stdout).toMatch(/scan \[paths\.\.\]/);
  });

  it('uses worker threads on many candidates with the same findings as one thread', () => {
    const d = tempDir();
    const files: Record<string, string> = {};
    for (let i = 0; i < 250; i++) files[`f${i}.js`] = `// soundcloud\nconst u = 'x?oauth_token=${i}';\n`;
    writeTree(d, files);
    const mod = writeRulesModule(tempDir());
    const a = JSON.parse(run(['scan', '--format', 'json', '--rules-module', mod, '--jobs', '1'], d).stdout);
    const b = JSON.parse(run(['scan', '--format', 'json', '--rules-module', mod, '--jobs', '4'], d).stdout);
    expect(a.findings).toHaveLength(250);
    expect(b.stats.workers).toBeGreaterThan(0);
    expect(b.findings.map((f: { fingerprint: string }) => f.fingerprint)).toEqual(a.findings.map((f: { fingerprint: string }) => f.fingerprint));
  });
});

describe('dist/ freshness (the e2e tests never run a stale build)', () => {
  it('no source of src/, rules/ or transforms/ is newer than its dist/ output', () => {
    expect(staleDist()).toEqual([]);
  });

  it('staleDist sees a source newer than its output', () => {
    const d = tempDir('scm-stale-');
    writeTree(d, { 'src/a.ts': 'export {};\n', 'src/b.ts': 'export {};\n', 'dist/src/b.js': 'export {};\n' });
    utimesSync(join(d, 'dist/src/b.js'), new Date(2000, 0, 1), new Date(2000, 0, 1));
    expect(staleDist(d).sort()).toEqual(['src/a.ts', 'src/b.ts']);
    utimesSync(join(d, 'dist/src/b.js'), new Date(), new Date(Date.now() + 60_000));
    expect(staleDist(d)).toEqual(['src/a.ts']);
  });
});
