/**
 * The analysis workers start where the tests run (TypeScript under vitest: the worker registers
 * tsx's loader itself). Before, Node 20 ignored `--import tsx` in a worker's execArgv, every
 * worker died on its `.ts` file, and pooled tests ran on the main thread alone without failing.
 */
import { describe, expect, it } from 'vitest';
import { Worker } from 'node:worker_threads';
import { workerScript } from '../../src/scan/pool.js';
import { REPO } from '../cli/helpers.js';

describe('analysis worker', () => {
  it('loads the engine and the rules and says it is ready', async () => {
    const { script, eval: asCode } = workerScript('worker');
    const w = new Worker(script, { workerData: { cwd: REPO }, ...(asCode ? { eval: true } : {}) });
    try {
      const first = await new Promise((resolve, reject) => {
        w.once('message', resolve);
        w.once('error', reject);
        w.once('exit', (code) => reject(new Error(`worker exited (${code}) before it was ready`)));
      });
      expect(first).toEqual({ kind: 'ready' });
    } finally {
      await w.terminate();
    }
  });
});
