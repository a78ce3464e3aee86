/**
 * The first pass on the reader thread (src/scan/reader-feed.ts) gives the scan the main thread's
 * own first pass gives: same findings, skips, gate (a constants file imported by SoundCloud code)
 * and stats, over several batches, with files before the first SoundCloud file deferred.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { scanFiles } from '../../src/scan/scan.js';
import { createDiskSource } from '../../src/scan/source.js';
import { loadRules } from '../../src/scan/rules.js';
import { ReaderFeed, READER_BATCH } from '../../src/scan/reader-feed.js';
import { advance, look, type PassState } from '../../src/scan/first-pass.js';
import { peekLatin1FromDisk } from '../../src/scan/read.js';
import { discoverFiles } from '../../src/scan/discover.js';
import { cleanup, tempDir, writeTree } from '../cli/helpers.js';

afterAll(cleanup);

/** Plain files first (deferred until the first SoundCloud file), SoundCloud code after, skips between. */
function tree(): string {
  const root = tempDir('scm-reader-');
  const files: Record<string, string | Buffer> = {};
  for (let i = 0; i < READER_BATCH + 40; i++) files[`a/plain${String(i).padStart(3, '0')}.js`] = `export const n${i} = ${i};\nexport const client_id = process.env.ID;\n`;
  files['b/config.js'] = "export const CLIENT_ID = 'abcdef0123456789abcdef';\n";
  files['b/empty.js'] = '';
  files['b/binary.js'] = Buffer.from([0x61, 0x00, 0x62]);
  files['b/latin1.js'] = Buffer.from([0x63, 0xe9, 0x0a]);
  for (let i = 0; i < READER_BATCH + 10; i++) {
    files[`c/sc${String(i).padStart(3, '0')}.js`] = `import { CLIENT_ID } from '../b/config.js';\nexport const get${i} = (id) => fetch(\`https://api.soundcloud.com/tracks/\${id}?client_id=\${CLIENT_ID}\`);\n`;
  }
  writeTree(root, files);
  return root;
}

describe('reader thread', () => {
  it('sends the records the main thread would make, batch by batch', async () => {
    const root = tree();
    const paths = discoverFiles({ cwd: root }).files.map((f) => f.path);
    const feed = new ReaderFeed(2 * 1024 * 1024, 1);
    for (const p of paths) feed.add(p);
    feed.end();
    expect(feed.started).toBe(true);
    const last = feed.batches - 1;
    expect(last).toBeGreaterThan(0);
    // The main thread's claim of the last batch: then the thread answers `taken` (else it had begun it).
    const claimed = feed.claim(last);
    const st: PassState = { direct: 0, keptBytes: 0 };
    let n = 0;
    for (let b = 0; n < paths.length; b++) {
      if (b === last && claimed) {
        expect(await feed.batch(b)).toEqual({ n: b, taken: true });
        break;
      }
      const batch = await feed.batch(b);
      if (!batch || batch.taken) throw new Error(`batch ${b}: ${batch ? 'taken' : 'no answer'}`);
      for (const rec of batch.recs) {
        const mine = look(peekLatin1FromDisk(paths[n++]!, 2 * 1024 * 1024), st);
        advance(st, mine);
        expect(rec).toEqual(mine);
      }
    }
    if (!claimed) expect(st.direct).toBe(READER_BATCH + 10);
    expect(feed.claim(0)).toBe(false); // begun by the thread
    await feed.close();
  });

  it('gives the same scan as the main thread', async () => {
    const root = tree();
    const rules = await loadRules();
    const scan = (readerFrom: number) => scanFiles({ cwd: root, root, source: createDiskSource({ cwd: root, root, maxFileSize: 2 * 1024 * 1024 }), rules, jobs: 1, readerFrom });
    const here = await scan(Infinity);
    const there = await scan(1);
    expect(here.findings.length).toBeGreaterThan(READER_BATCH);
    expect(here.skipped.map((s) => s.reason).sort()).toEqual(['binary (NUL byte)', 'empty', 'invalid UTF-8']);
    const strip = (r: typeof here) => ({ findings: r.findings.map(({ handle: _h, ...f }) => f), skipped: r.skipped, sources: [...r.sources], stats: { ...r.stats, durationMs: 0 } });
    expect(strip(there)).toEqual(strip(here));
  });
});
