/** `scan --shard` and `merge` through the command line: shard JSON files merged into SARIF, Markdown, a baseline. */
import { afterAll, describe, expect, it } from 'vitest';
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cleanup, initRepo, REPO, runMain, tempDir } from '../cli/helpers.js';

afterAll(cleanup);

describe('sc-migrate merge', () => {
  it('merges the shard reports of a repository into the SARIF, Markdown and baseline of the full scan', async () => {
    const dir = tempDir('scm-merge-');
    cpSync(join(REPO, 'fixtures/apps/express-axios'), join(dir, 'a'), { recursive: true });
    cpSync(join(REPO, 'fixtures/apps/react-sdk-spa'), join(dir, 'b'), { recursive: true });
    initRepo(dir);
    const full = await runMain(['scan', '-f', 'sarif', '-j', '1', '--no-config'], dir);
    expect(full.code).toBe(1);
    for (let i = 1; i <= 3; i++) {
      const r = await runMain(['scan', '--shard', `${i}/3`, '-f', 'json', '-o', `shard-${i}.json`, '-j', '1', '--no-config'], dir);
      expect(r.code, r.stderr).not.toBe(2);
      expect(JSON.parse(readFileSync(join(dir, `shard-${i}.json`), 'utf8')).shard).toEqual({ index: i, count: 3 });
    }
    const shards = ['shard-1.json', 'shard-2.json', 'shard-3.json'];
    const sarif = await runMain(['merge', ...shards, '-f', 'sarif'], dir);
    expect(sarif.code).toBe(1);
    expect(sarif.stderr).toBe('');
    const results = (t: string) => JSON.parse(t).runs[0].results.map(({ fixes: _f, ...r }: Record<string, unknown>) => r);
    expect(results(sarif.stdout)).toEqual(results(full.stdout));
    expect(JSON.parse(sarif.stdout).runs[0].tool.driver.rules.map((r: { id: string }) => r.id)).toEqual(JSON.parse(full.stdout).runs[0].tool.driver.rules.map((r: { id: string }) => r.id));

    const md = await runMain(['merge', ...shards, '-f', 'markdown', '--fail-on', 'none'], dir);
    expect(md.code).toBe(0);
    expect(md.stdout).toMatch(new RegExp(`\\*\\*${results(full.stdout).length} findings\\*\\*`));

    const missing = await runMain(['merge', shards[0]!, shards[2]!, '-f', 'json', '-o', 'merged.json'], dir);
    expect(missing.stderr).toMatch(/warning: shard\(s\) 2\/3 missing/);

    // Sharded baselines merge into the baseline of the whole tree.
    await runMain(['baseline', '-o', 'full-baseline.json', '-j', '1', '--no-config'], dir);
    for (let i = 1; i <= 2; i++) await runMain(['baseline', '--shard', `${i}/2`, '-o', `b${i}.json`, '-j', '1', '--no-config'], dir);
    expect((await runMain(['merge', 'b1.json', 'b2.json', '-f', 'baseline', '-o', 'merged-baseline.json'], dir)).code).toBe(1);
    const fps = (f: string) => JSON.parse(readFileSync(join(dir, f), 'utf8')).findings.map((e: { fingerprint: string }) => e.fingerprint).sort();
    expect(fps('merged-baseline.json')).toEqual(fps('full-baseline.json'));
    expect((await runMain(['scan', '--baseline', 'merged-baseline.json', '-j', '1', '--no-config'], dir)).code).toBe(0);
  }, 120_000);

  it('refuses no input, unreadable and foreign files with exit code 2', async () => {
    const dir = tempDir('scm-merge-bad-');
    writeFileSync(join(dir, 'x.json'), '{"hello": 1}');
    expect((await runMain(['merge'], dir)).code).toBe(2);
    expect((await runMain(['merge', 'nope.json'], dir)).stderr).toMatch(/cannot read nope.json/);
    const foreign = await runMain(['merge', 'x.json'], dir);
    expect(foreign.code).toBe(2);
    expect(foreign.stderr).toMatch(/not an sc-migrate JSON report/);
    expect((await runMain(['scan', '--shard', '3/2'], dir)).code).toBe(2);
  });
});
