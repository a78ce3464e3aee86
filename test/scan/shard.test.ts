/**
 * `--shard i/n`: the union of the shards is the full scan (fixture apps, a generated tree), a
 * file's shard depends on its own path only, project-level rules still see the whole project, and
 * `mergeReports` of the shards' JSON reports gives back the full scan's JSON and SARIF results.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runScan } from '../../src/scan/run.js';
import { parseShard, shardOf, type Shard } from '../../src/scan/shard.js';
import { toJsonReport } from '../../src/report/json.js';
import { toSarif } from '../../src/report/sarif.js';
import { mergeReports } from '../../src/report/merge.js';
import type { ScanResult } from '../../src/scan/types.js';
import { cleanup, REPO, tempDir, writeTree } from '../cli/helpers.js';

afterAll(cleanup);

const key = (f: ScanResult['findings'][number]) => `${f.repoPath}:${f.line}:${f.column}:${f.ruleId}:${f.fingerprint}:${f.message}`;
const scan = (cwd: string, shard?: Shard, paths?: string[], pool = false) => runScan({ cwd, jobs: pool ? 2 : 1, ...(pool ? { workerThreshold: 5 } : {}), noConfig: true, ...(paths ? { paths } : {}), ...(shard ? { shard } : {}) });

async function expectUnionIsFull(cwd: string, count: number, paths?: string[], pool = false) {
  const full = await scan(cwd, undefined, paths);
  const parts: ScanResult[] = [];
  for (let i = 1; i <= count; i++) parts.push(await scan(cwd, { index: i, count }, paths, pool));
  const union = parts.flatMap((p) => p.findings.map(key));
  expect(union.length).toBe(new Set(union).size); // no finding in two shards
  expect([...union].sort()).toEqual(full.findings.map(key).sort());
  expect(parts.flatMap((p) => p.skipped.map((s) => `${s.file}:${s.reason}`)).sort()).toEqual(full.skipped.map((s) => `${s.file}:${s.reason}`).sort());
  for (const k of ['files', 'read', 'analysed', 'suppressed'] as const) expect(parts.reduce((n, p) => n + p.stats[k], 0)).toBe(full.stats[k]);
  return { full, parts };
}

describe('parseShard / shardOf', () => {
  it('parses i/n and refuses the rest', () => {
    expect(parseShard('2/5')).toEqual({ index: 2, count: 5 });
    expect(parseShard(' 1 / 1 ')).toEqual({ index: 1, count: 1 });
    for (const bad of ['0/3', '4/3', '1/0', '2', 'a/b', '-1/2', '1.5/3']) expect(() => parseShard(bad), bad).toThrow(/--shard/);
  });
  it('depends on the path only, spreads evenly, and ignores the separator', () => {
    const paths = Array.from({ length: 2000 }, (_, i) => `src/dir${i % 37}/file-${i}.ts`);
    const before = new Map(paths.map((p) => [p, shardOf(p, 4)]));
    const counts = [0, 0, 0, 0];
    for (const s of before.values()) counts[s - 1]!++;
    for (const c of counts) expect(c).toBeGreaterThan(400);
    // Recomputed (e.g. after files were added): the same shard.
    for (const p of paths) expect(shardOf(p, 4)).toBe(before.get(p));
    expect(shardOf('a\\b.js', 7)).toBe(shardOf('a/b.js', 7));
    expect(shardOf('anything', 1)).toBe(1);
  });
});

describe('scan --shard', () => {
  it('the shards of the fixture apps add up to the full scan (2, 3 and 5 shards)', async () => {
    const apps = join(REPO, 'fixtures/apps');
    for (const n of [2, 3, 5]) {
      const { full, parts } = await expectUnionIsFull(apps, n);
      expect(full.findings.length).toBeGreaterThan(20);
      expect(parts.filter((p) => p.findings.length).length).toBeGreaterThan(1);
      expect(parts.every((p, i) => p.shard?.index === i + 1 && p.shard.count === n)).toBe(true);
    }
  }, 120_000);

  it('the same with worker threads analysing each shard', async () => {
    const { parts } = await expectUnionIsFull(join(REPO, 'fixtures/apps'), 2, undefined, true);
    expect(parts.some((p) => p.stats.workers > 0)).toBe(true);
  }, 120_000);

  it('the shards of a generated tree add up to the full scan, and adding files moves no file', async () => {
    const dir = tempDir('scm-shard-');
    execFileSync(process.execPath, [join(REPO, 'bench/gen-corpus.mjs'), dir, '--files', '240', '--seed', '7']);
    const { parts } = await expectUnionIsFull(dir, 4);
    // Add files: every old finding stays in the shard it was in.
    writeTree(dir, Object.fromEntries(Array.from({ length: 30 }, (_, i) => [`added/extra-${i}.js`, `export const u${i} = 'http://api.soundcloud.com/tracks?client_id=' + id;\n`])));
    for (let i = 1; i <= 4; i++) {
      const again = await scan(dir, { index: i, count: 4 });
      const now = new Set(again.findings.map(key));
      for (const k of parts[i - 1]!.findings.map(key)) expect(now.has(k), k).toBe(true);
      expect(again.findings.filter((f) => f.repoPath.startsWith('added/')).every((f) => shardOf(f.repoPath, 4) === i)).toBe(true);
    }
  }, 180_000);

  it('project-level rules see the whole project: a refresh in a file of another shard still counts', async () => {
    const dir = tempDir('scm-shard-proj-');
    const token = `export async function appToken() {
  const res = await fetch('https://secure.soundcloud.com/oauth/token', { method: 'POST', body: 'grant_type=client_credentials' });
  return res.json();
}
`;
    // A file with no SoundCloud word (not even a candidate) that reads the expiry, in the other shard.
    const expiryName = Array.from({ length: 50 }, (_, i) => `lib/expiry-${i}.js`).find((p) => shardOf(p, 2) !== shardOf('token.js', 2))!;
    writeTree(dir, { 'package.json': '{}', 'token.js': token });
    const alone = await scan(dir);
    expect(alone.findings.map((f) => f.ruleId)).toContain('require-token-refresh'); // the control: the test can fail
    writeTree(dir, { [expiryName]: 'export const due = (t) => Date.now() / 1000 > t.expires_at - 60;\n' });
    const shard = { index: shardOf('token.js', 2), count: 2 };
    const mine = await scan(dir, shard);
    expect(mine.stats.files).toBe(1); // token.js; the expiry file is the other shard's
    expect(mine.findings.map((f) => f.ruleId)).not.toContain('require-token-refresh');
    const other = await scan(dir, { index: 3 - shard.index, count: 2 });
    expect(other.findings).toEqual([]);
  }, 60_000);
});

describe('mergeReports', () => {
  it('merging the JSON reports of the shards gives the full scan (JSON and SARIF results)', async () => {
    const apps = join(REPO, 'fixtures/apps');
    const full = await runScan({ cwd: apps, jobs: 1, noConfig: true, withDocs: true, allRuleInfo: true });
    const jsons = [];
    for (let i = 3; i >= 1; i--) jsons.push(JSON.parse(JSON.stringify(toJsonReport(await scan(apps, { index: i, count: 3 }))))); // any order
    const { result, warnings } = mergeReports([...jsons, jsons[0]], { rules: full.rules, root: full.root, cwd: apps, readSource: (p) => readFileSync(join(full.root, p), 'utf8') });
    expect(warnings.join('\n')).toMatch(/3\/3 given more than once/);
    const strip = (j: ReturnType<typeof toJsonReport>) => ({ ...j, stats: { ...j.stats, durationMs: 0, workers: 0, files: 0, read: 0, analysed: 0 } });
    expect(strip(toJsonReport(result))).toEqual(strip(toJsonReport(full)));
    const results = (r: ScanResult) => ((toSarif(r).runs as { results: Record<string, unknown>[] }[])[0]!.results).map(({ fixes: _f, ...x }) => x);
    expect(results(result)).toEqual(results(full));
    expect(mergeReports(jsons.slice(1), { root: full.root }).warnings.join('\n')).toMatch(/shard\(s\) 3\/3 missing/);
  }, 120_000);
});
