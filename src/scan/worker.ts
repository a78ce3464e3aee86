/**
 * Worker thread: loads the engine and the rules at once, then analyses batches of candidate files
 * with its own project context (the scan's file list and the main thread's project-wide facts).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { createAnalyser, loadEngine, timingHook, type Analyser } from './analyse.js';
import { enableTiming, takeTiming, timingEnabled } from '../engine/timing.js';
import { loadRules } from './rules.js';
import { diskExists, textReader } from './source.js';
import { readFromDisk } from './read.js';
import type { FromWorker, ToWorker, WorkerBoot } from './pool.js';

const boot = workerData as WorkerBoot;
if (boot.timing) enableTiming(false);
const [engine, all] = await Promise.all([loadEngine(), loadRules(boot.rulesModule, boot.cwd)]);
let analyser: Analyser | undefined;
const beforeExit = await timingHook();

parentPort!.on('message', (msg: ToWorker) => {
  if (msg.kind === 'start') {
    const s = msg.start;
    const ids = new Set(s.ruleIds);
    const files = s.files;
    analyser = createAnalyser(engine, {
      root: s.root,
      cwd: boot.cwd,
      rules: all.filter((r) => ids.has(r.meta.docs.scMigrate.id)),
      severities: s.severities,
      readText: textReader(readFromDisk, s.maxFileSize),
      exists: diskExists,
      files: () => files,
      ...(beforeExit ? { beforeExit } : {}),
    });
    for (const [k, v] of s.cache) analyser.project.cache.set(k, v);
    return;
  }
  const a = analyser!;
  const outputs = msg.inputs.map((input) => a.analyse(input));
  parentPort!.postMessage({ kind: 'done', outputs, ...(timingEnabled() ? { timing: takeTiming() } : {}) } satisfies FromWorker);
});
parentPort!.postMessage({ kind: 'ready' } satisfies FromWorker);
