/**
 * The worker pool with the built-in rules: JavaScript and TypeScript candidates split between the
 * threads, project-level facts taken from the scan's file list in every thread (a file outside
 * the scanned paths that renews tokens must not silence require-token-refresh in a worker), and
 * findings identical to a single-threaded scan, in the same order.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { runScan } from '../../src/scan/run.js';
import { cleanup, tempDir, writeTree } from './helpers.js';

afterAll(cleanup);

const TOKEN = (i: number) => `export async function token${i}() {
  const res = await fetch('https://secure.soundcloud.com/oauth/token', {
    method: 'POST',
    body: new URLSearchParams({ grant_type: 'client_credentials', client_id: 'id${i}', client_secret: 'secret' }),
  });
  return fetch('http://api.soundcloud.com/tracks?client_id=id${i}');
}
`;

describe('worker pool (built-in rules)', () => {
  it('gives the same findings, in the same order, as one thread; project facts come from the scanned files', async () => {
    const d = tempDir();
    const files: Record<string, string> = {
      // Outside the scanned path: renews tokens. A scan of src/ must not see it, in any thread.
      'other/renew.js': "fetch('https://secure.soundcloud.com/oauth/token', { method: 'POST', body: 'grant_type=refresh_token&refresh_token=' + rt });\n",
    };
    for (let i = 0; i < 200; i++) files[`src/js/t${i}.js`] = TOKEN(i);
    for (let i = 0; i < 20; i++) files[`src/ts/t${i}.ts`] = TOKEN(i).replace('token' + i + '()', `token${i}(): Promise<Response>`);
    // A candidate skipped when its batch is decoded (a bundle: one very long line).
    files['src/js/bundle.js'] = `var sc='https://api.soundcloud.com';${'var x=1;'.repeat(8000)}\n`;
    writeTree(d, files);
    const one = await runScan({ cwd: d, paths: ['src'], noConfig: true, jobs: 1 });
    const pooled = await runScan({ cwd: d, paths: ['src'], noConfig: true, jobs: 2, workerThreshold: 10 });
    expect(one.stats.workers).toBe(0);
    expect(pooled.stats.workers).toBeGreaterThan(0);
    const key = (f: (typeof one.findings)[number]) => [f.file, f.line, f.column, f.ruleId, f.message, f.fingerprint];
    expect(pooled.findings.map(key)).toEqual(one.findings.map(key));
    expect(one.findings.filter((f) => f.ruleId === 'require-token-refresh')).toHaveLength(220);
    expect(pooled.skipped).toEqual(one.skipped);
    expect(one.skipped.map((k) => k.file)).toContain('src/js/bundle.js');
    expect(pooled.stats.analysed).toBe(one.stats.analysed);
    // reporters see the files with findings in the same order, with the same text
    expect([...pooled.sources]).toEqual([...one.sources]);
  });
});
