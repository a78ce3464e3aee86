/**
 * Runs analysis on all cores: worker threads plus the main thread pull batches from one queue.
 * Each worker has its own project context built from the same (disk) read function. A worker
 * that dies hands its batch back to the queue; the main thread finishes whatever is left.
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import type { Severity } from '../engine/types.js';
import type { AnalyseInput, AnalyseOutput, Analyser } from './analyse.js';

export interface WorkerInit {
  root: string;
  cwd: string;
  rulesModule?: string;
  ruleIds: string[];
  severities: Record<string, Severity>;
  maxFileSize: number;
}

/** Candidate count above which worker threads pay for their start-up (about 0.4 s each). */
export const DEFAULT_WORKER_THRESHOLD = 200;

export const defaultJobs = (): number => Math.max(1, availableParallelism());

function workerUrl(): { url: URL; execArgv?: string[] } {
  // Under tsx/vitest this module is TypeScript: the worker needs the tsx loader too.
  if (import.meta.url.endsWith('.ts')) {
    const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
    return { url: new URL('./worker.ts', import.meta.url), execArgv: ['--import', tsx] };
  }
  return { url: new URL('./worker.js', import.meta.url) };
}

export async function analyseInPool(
  inputs: readonly AnalyseInput[],
  opts: { workers: number; init: WorkerInit; main: Analyser; batchSize?: number },
): Promise<AnalyseOutput[]> {
  const batchSize = opts.batchSize ?? 8;
  const queue: AnalyseInput[][] = [];
  for (let i = 0; i < inputs.length; i += batchSize) queue.push(inputs.slice(i, i + batchSize));
  const results: AnalyseOutput[] = [];
  const { url, execArgv } = workerUrl();
  const workers: Worker[] = [];
  let inFlight = 0;
  let wake: (() => void) | undefined;
  const poke = () => { const w = wake; wake = undefined; w?.(); };

  for (let i = 0; i < opts.workers; i++) {
    const w = new Worker(url, { workerData: opts.init, ...(execArgv ? { execArgv } : {}) });
    workers.push(w);
    let current: AnalyseInput[] | undefined;
    const next = () => {
      current = queue.shift();
      if (current) { inFlight++; w.postMessage(current); } else poke();
    };
    w.on('message', (msg: 'ready' | AnalyseOutput[]) => {
      if (msg !== 'ready') { results.push(...msg); inFlight--; current = undefined; }
      next();
    });
    w.on('error', () => {
      if (current) { queue.unshift(current); inFlight--; current = undefined; }
      poke();
    });
    w.on('exit', () => {
      if (current) { queue.unshift(current); inFlight--; current = undefined; }
      poke();
    });
  }
  try {
    for (;;) {
      const batch = queue.shift();
      if (batch) {
        for (const input of batch) results.push(opts.main.analyse(input));
        // Let worker messages in between batches.
        await new Promise<void>((r) => setImmediate(r));
        continue;
      }
      if (inFlight === 0) break;
      await new Promise<void>((r) => { wake = r; });
    }
  } finally {
    await Promise.all(workers.map((w) => w.terminate().catch(() => 0)));
  }
  return results;
}
