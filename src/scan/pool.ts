/**
 * Runs analysis on all cores: worker threads plus the main thread pull batches from one queue.
 *
 * Workers are spawned as soon as the scan knows it will be big (while the main thread is still
 * reading and gating files), so loading the engine in them (typescript, about 0.3 s) overlaps that
 * work instead of delaying the analysis. They get the rules and the scan's file list when the
 * candidates are known, and project-wide facts computed once by the main thread, so every thread
 * decides exactly as a single-threaded scan would. A worker that dies hands its batch back to the
 * queue; the main thread finishes whatever is left.
 *
 * With the native parser (oxc) every language costs about the same and all batches share one
 * queue: workers take from its front, the main thread from its back. Without it, batches have a
 * language: workers take the JavaScript ones (acorn), the main thread the TypeScript, Vue and
 * HTML ones (typescript-estree). Each isolate then compiles and warms up only one parser (V8's
 * optimising compiler spends seconds of CPU on TypeScript's; on two cores that would eat the
 * second core), and a worker never loads TypeScript unless it runs out of JavaScript while much
 * TypeScript is left. Either side takes the other's batches when its own run out.
 */
import { availableParallelism } from 'node:os';
import type { Worker } from 'node:worker_threads';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import type { Severity } from '../engine/types.js';
import type { AnalyseInput, AnalyseOutput, Analyser } from './analyse.js';
import { mergeTiming, timingEnabled, type TimingSnapshot } from '../engine/timing.js';

/** What a worker needs to load the engine and the rules (known before the scan has read anything). */
export interface WorkerBoot {
  cwd: string;
  rulesModule?: string;
  /** `--timing`: workers time their work and send the numbers with their results. */
  timing?: boolean;
}

/** What a worker needs to analyse (known once the candidates are). */
export interface WorkerStart {
  root: string;
  ruleIds: string[];
  severities: Record<string, Severity>;
  maxFileSize: number;
  /** Every file of the scan (absolute paths), for project-level facts. */
  files: string[];
  /** Project-wide facts the main thread computed, seeded into the worker's project cache. */
  cache: [string, unknown][];
}

export type ToWorker = { kind: 'start'; start: WorkerStart } | { kind: 'batch'; inputs: AnalyseInput[] };
export type FromWorker = { kind: 'ready' } | { kind: 'done'; outputs: AnalyseOutput[]; timing?: TimingSnapshot };

/** Candidate count above which worker threads pay for their start-up (about 0.3 s of a core each). */
export const DEFAULT_WORKER_THRESHOLD = 200;

const JS_FILE = /\.[cm]?jsx?$/i;
/** Batches of TypeScript left for a worker out of JavaScript to take one (and load TypeScript). */
const STEAL_TS_BATCHES = 24;
const IN_FLIGHT = 2;

/**
 * All cores from 3 up. On 1-2 cores, one thread: V8's own background threads (GC, optimising
 * compiler) already keep about 1.4 cores busy for one analysis thread, and a second analysis
 * thread measured slower than none (bench (b): 2.9 s pooled, 2.7 s single-threaded on 2 cores).
 * Measured again on the dense real corpus (docs/benchmarks.md, session 9): one thread 4.92 s wall
 * for 7.2 s of CPU, `-j 2` 5.75 s for 10.5 s. A second isolate pays its own warm-up (JIT, the
 * oxc deserialiser, inline caches): the corpus split in two processes run one after the other
 * cost 9.5 s of CPU against 7.5 s in one, while a worker's start is only 0.12-0.17 s of CPU.
 */
export const defaultJobs = (): number => { const n = availableParallelism(); return n <= 2 ? 1 : n; };

/**
 * A worker script of this folder (`worker`), as `new Worker` takes it. Under tsx/vitest
 * this module is TypeScript: the worker registers tsx's loader first (on Node 20 `--import tsx`
 * in a worker's execArgv does not, and the worker died on the `.ts` file: pooled tests ran on
 * the main thread alone).
 */
export function workerScript(name: string): { script: URL | string; eval?: true } {
  const url = new URL(`./${name}.${import.meta.url.endsWith('.ts') ? 'ts' : 'js'}`, import.meta.url);
  if (!import.meta.url.endsWith('.ts')) return { script: url };
  const api = pathToFileURL(createRequire(import.meta.url).resolve('tsx/esm/api').replace(/\.cjs$/, '.mjs')).href;
  return { script: `import(${JSON.stringify(api)}).then((m) => { m.register(); return import(${JSON.stringify(url.href)}); });`, eval: true };
}

interface Slot {
  worker: Worker;
  ready: boolean;
  alive: boolean;
  /** Batches sent and not answered yet (oldest first). */
  sent: Batch[];
}

/** Files to analyse together; decoded (`inputs`) only when a thread takes them. */
interface Batch { paths: string[]; inputs?: AnalyseInput[] }

/**
 * How `run` reads candidates and hands back results: a file's text is decoded when its batch is
 * taken and dropped once its output is handed over, so only the batches in flight hold text.
 */
export interface PoolIo {
  /** The input of a candidate, or undefined (skipped: the callee records why). */
  decode(path: string): AnalyseInput | undefined;
  /** One file's output, with its input (in no particular order across files). */
  output(out: AnalyseOutput, input: AnalyseInput): void;
}

export class AnalysisPool {
  private readonly slots: Slot[] = [];
  /** Batches of JavaScript files (workers first) and of the rest (main thread first). */
  private js: Batch[] = [];
  private ts: Batch[] = [];
  private io: PoolIo | undefined;
  private started = false;
  private inFlight = 0;
  private wake: (() => void) | undefined;

  /** Spawns `workers` threads now; they load the engine and wait for `run`. */
  constructor(workers: number, boot: WorkerBoot) {
    // loaded here, not at start-up: a scan without workers (the pre-commit path) never needs it
    const { Worker } = createRequire(import.meta.url)('node:worker_threads') as typeof import('node:worker_threads');
    const { script, eval: asCode } = workerScript('worker');
    for (let i = 0; i < workers; i++) {
      const worker = new Worker(script, { workerData: { ...boot, timing: timingEnabled() }, ...(asCode ? { eval: true } : {}) });
      const slot: Slot = { worker, ready: false, alive: true, sent: [] };
      this.slots.push(slot);
      worker.on('message', (msg: FromWorker) => {
        if (msg.kind === 'done') {
          const batch = slot.sent.shift()!;
          const byPath = new Map(batch.inputs!.map((i) => [i.path, i]));
          for (const o of msg.outputs) this.io!.output(o, byPath.get(o.path)!);
          if (msg.timing) mergeTiming(msg.timing);
          this.inFlight--;
        } else {
          slot.ready = true;
        }
        this.next(slot);
      });
      const lost = () => {
        slot.alive = false;
        for (const b of slot.sent) { this.js.unshift(b); this.inFlight--; }
        slot.sent = [];
        this.poke();
      };
      worker.on('error', lost);
      worker.on('exit', lost);
    }
  }

  get size(): number {
    return this.slots.length;
  }

  private poke(): void {
    const w = this.wake;
    this.wake = undefined;
    w?.();
  }

  private next(slot: Slot): void {
    // Two batches in flight: the worker starts the next one while the main thread, busy with a
    // batch of its own, has not read its answer yet.
    while (this.started && slot.ready && slot.alive && slot.sent.length < IN_FLIGHT) {
      // TypeScript in a worker costs it a TypeScript load and warm-up: only for a large rest.
      const batch = this.js.shift() ?? (this.ts.length >= STEAL_TS_BATCHES ? this.ts.pop() : undefined);
      if (!batch) { this.poke(); return; }
      const inputs = this.inputsOf(batch);
      if (!inputs.length) continue;
      slot.sent.push(batch);
      this.inFlight++;
      slot.worker.postMessage({ kind: 'batch', inputs } satisfies ToWorker);
    }
  }

  /** A batch's inputs, decoded on first use (a batch handed back by a lost worker keeps them). */
  private inputsOf(batch: Batch): AnalyseInput[] {
    if (!batch.inputs) {
      batch.inputs = [];
      for (const p of batch.paths) { const input = this.io!.decode(p); if (input) batch.inputs.push(input); }
    }
    return batch.inputs;
  }

  /**
   * Analyses the files at `paths` on the workers and on this thread, handing each output to `io`
   * as it comes (in no particular order: the caller sorts).
   */
  async run(paths: readonly string[], start: WorkerStart, main: Analyser, io: PoolIo, batchSize = 16): Promise<void> {
    this.io = io;
    const { hasNativeParser } = await import('../engine/parse.js');
    const anyThread = hasNativeParser() ? () => true : (path: string) => JS_FILE.test(path);
    const js = paths.filter((p) => anyThread(p));
    const ts = paths.filter((p) => !anyThread(p));
    for (let i = 0; i < js.length; i += batchSize) this.js.push({ paths: js.slice(i, i + batchSize) });
    for (let i = 0; i < ts.length; i += batchSize) this.ts.push({ paths: ts.slice(i, i + batchSize) });
    for (const s of this.slots) if (s.alive) s.worker.postMessage({ kind: 'start', start } satisfies ToWorker);
    this.started = true;
    for (const s of this.slots) this.next(s);
    for (;;) {
      const batch = this.ts.shift() ?? this.js.pop();
      if (batch) {
        for (const input of this.inputsOf(batch)) io.output(main.analyse(input), input);
        // Let worker messages in between batches.
        await new Promise<void>((r) => setImmediate(r));
        continue;
      }
      if (this.inFlight === 0) break;
      await new Promise<void>((r) => { this.wake = r; });
    }
  }

  async close(): Promise<void> {
    await Promise.all(this.slots.map((s) => s.worker.terminate().catch(() => 0)));
  }
}
