/**
 * Reader thread (reader-feed.ts starts it): the first pass (first-pass.ts) over batches of paths
 * the main thread sends while it is still walking the tree, in order. Each batch comes back as
 * its records, with the bytes of the files kept for analysis in one transferred buffer (no copy);
 * or as taken, when the main thread claimed it first (it takes batches from the end once its walk
 * is done: a suffix, so this thread's state stays that of the files before).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { advance, look, type PassRecord, type PassState } from './first-pass.js';
import { peekLatin1FromDisk } from './read.js';
import type { FromReader, ToReader } from './reader-feed.js';

const { maxSize, claims } = workerData as { maxSize: number; claims: Int32Array };
const st: PassState = { direct: 0, keptBytes: 0 };

parentPort!.on('message', (msg: ToReader) => {
  if (msg.n < claims.length && Atomics.compareExchange(claims, msg.n, 0, 1) !== 0) {
    parentPort!.postMessage({ n: msg.n, taken: true } satisfies FromReader);
    return;
  }
  const t0 = performance.now();
  let readMs = 0;
  const recs: PassRecord[] = [];
  const kept: string[] = [];
  let keptLength = 0;
  for (const path of msg.paths) {
    const t1 = performance.now();
    const text = peekLatin1FromDisk(path, maxSize);
    readMs += performance.now() - t1;
    const rec = look(text, st);
    advance(st, rec);
    if (rec !== null && typeof rec === 'object' && rec.keep) { kept.push(text as string); keptLength += rec.keep; }
    recs.push(rec);
  }
  let bytes: ArrayBuffer | undefined;
  if (kept.length) {
    const buf = Buffer.from(new ArrayBuffer(keptLength));
    let off = 0;
    for (const t of kept) off += buf.write(t, off, 'latin1');
    bytes = buf.buffer as ArrayBuffer;
  }
  const out: FromReader = { n: msg.n, recs, ...(bytes ? { bytes } : {}), readMs, gateMs: performance.now() - t0 - readMs };
  parentPort!.postMessage(out, bytes ? [bytes] : []);
});
