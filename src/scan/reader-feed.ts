/**
 * The first pass on a reader thread, fed while the main thread walks the tree: discovery (the
 * walk, .gitignore matching) and the first pass (open, read, content checks, text gate) take about
 * the same time on a large tree, and one no longer waits for the other (payloadcms/payload: 7,000
 * files, no SoundCloud code). Paths go to the thread in batches of READER_BATCH as the walk lists
 * them; each batch comes back as its records (first-pass.ts), in order. The thread starts only
 * once the walk has listed `from` files (a small scan, the pre-commit path, never pays for it).
 * If it fails, the main thread reads the files whose records did not come (same code, same state).
 */
import type { Worker } from 'node:worker_threads';
import { createRequire } from 'node:module';
import { workerScript } from './pool.js';
import type { PassRecord } from './first-pass.js';

/** Batch `n` (files n*READER_BATCH on). */
export type ToReader = { n: number; paths: string[] };
/** Batch `n`'s records, or `taken`: the main thread claimed it first. */
export type FromReader = { n: number; taken?: undefined; recs: PassRecord[]; bytes?: ArrayBuffer; readMs: number; gateMs: number } | { n: number; taken: true };

/** Batches the main thread can claim (claims: one Int32 each, 0 free, 1 the thread's, 2 the main thread's); later ones are the thread's. */
const CLAIMS = 1 << 16;

export const READER_BATCH = 256;
/** Files listed from which the reader thread starts (about 20-40 ms of a core to boot). */
export const DEFAULT_READER_FROM = 512;

export class ReaderFeed {
  private worker: Worker | undefined;
  private pending: string[] = [];
  private posted = 0;
  private readonly results: (FromReader | undefined)[] = [];
  private readonly claims = new Int32Array(new SharedArrayBuffer(CLAIMS * 4));
  private wake: (() => void) | undefined;
  private failed = false;

  constructor(private readonly maxSize: number, private readonly from: number) {}

  /** Whether the thread took the files (else the caller reads them all itself). */
  get started(): boolean {
    return this.worker !== undefined;
  }

  /** The next listed file (in scan order). */
  add(path: string): void {
    this.pending.push(path);
    if (!this.worker) {
      if (this.failed || this.pending.length < this.from) return;
      this.start();
    }
    if (this.pending.length >= READER_BATCH) this.post();
  }

  /** The listing is complete: the last batch goes. */
  end(): void {
    if (this.worker) this.post();
    this.pending = [];
  }

  private start(): void {
    try {
      const { Worker } = createRequire(import.meta.url)('node:worker_threads') as typeof import('node:worker_threads');
      const { script, eval: asCode } = workerScript('reader');
      const w = new Worker(script, { workerData: { maxSize: this.maxSize, claims: this.claims }, ...(asCode ? { eval: true } : {}) });
      w.on('message', (m: FromReader) => { this.results[m.n] = m; this.poke(); });
      const lost = () => { this.failed = true; this.poke(); };
      w.on('error', lost);
      w.on('exit', lost);
      this.worker = w;
    } catch {
      this.failed = true;
    }
  }

  private post(): void {
    for (let i = 0; i < this.pending.length; i += READER_BATCH) {
      this.worker!.postMessage({ n: this.posted++, paths: this.pending.slice(i, i + READER_BATCH) } satisfies ToReader);
    }
    this.pending = [];
  }

  /**
   * Claims batch `n` for the caller, once every batch is posted (`end`): true when the thread has
   * not begun it (it then answers `taken`). Claimed from the last batch down, the caller's are a
   * suffix and the thread's a prefix.
   */
  claim(n: number): boolean {
    return this.posted <= CLAIMS && !this.failed && n < this.posted && Atomics.compareExchange(this.claims, n, 0, 2) === 0;
  }

  /** Batches posted. */
  get batches(): number {
    return this.posted;
  }

  private poke(): void {
    const w = this.wake;
    this.wake = undefined;
    w?.();
  }

  /** Batch `n`'s answer (not a claimed one), or undefined when the thread is gone before it. */
  async batch(n: number): Promise<FromReader | undefined> {
    while (this.results[n] === undefined) {
      if (this.failed) return undefined;
      await new Promise<void>((r) => { this.wake = r; });
    }
    const b = this.results[n];
    this.results[n] = undefined; // its bytes go with the caller
    return b;
  }

  async close(): Promise<void> {
    const w = this.worker;
    this.worker = undefined;
    this.failed = true;
    if (w) await w.terminate().catch(() => 0);
  }
}
