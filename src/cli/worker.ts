/** Worker thread: analyses batches of candidate files with its own engine and project context. */
import { parentPort, workerData } from 'node:worker_threads';
import { createAnalyser, loadEngine, type AnalyseInput } from './analyse.js';
import { loadRules } from './rules.js';
import { diskExists, textReader } from './source.js';
import { readFromDisk } from './read.js';
import type { WorkerInit } from './pool.js';

const init = workerData as WorkerInit;
const [engine, all] = await Promise.all([loadEngine(), loadRules(init.rulesModule, init.cwd)]);
const ids = new Set(init.ruleIds);
const analyser = createAnalyser(engine, {
  root: init.root,
  cwd: init.cwd,
  rules: all.filter((r) => ids.has(r.meta.docs.scMigrate.id)),
  severities: init.severities,
  readText: textReader(readFromDisk, init.maxFileSize),
  exists: diskExists,
});
parentPort!.on('message', (batch: AnalyseInput[]) => {
  parentPort!.postMessage(batch.map((input) => analyser.analyse(input)));
});
parentPort!.postMessage('ready');
