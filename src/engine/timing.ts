/**
 * `scan --timing` (like ESLint's TIMING=1): where a scan's time goes, per phase and per rule.
 * Off by default and then free (one boolean test per measured step). Phases are recorded by the
 * scan pipeline (start-up, discovery, read, prefilter, report) and by the engine (parse, facts,
 * rules); worker threads send their numbers back with their results. GC pauses come from a
 * PerformanceObserver and overlap the phases they happened in.
 */
import type { PerformanceObserver } from 'node:perf_hooks';
import { createRequire } from 'node:module';

export interface TimingSnapshot {
  phases: [string, number][];
  rules: [string, number][];
  files: number;
}

let enabled = false;
const phases = new Map<string, number>();
const rules = new Map<string, number>();
let files = 0;
/** Candidates not parsed because they have none of the rules' words (main thread only). */
let gatedFiles = 0;
let gcMs = 0;
let gcCount = 0;
let observer: PerformanceObserver | undefined;

export const timingEnabled = (): boolean => enabled;

/** Turns timing on (the CLI's `--timing`; worker threads when the main thread has it on). */
export function enableTiming(withGc = true): void {
  enabled = true;
  if (withGc && !observer) {
    // loaded only with --timing (start-up of every other run is the pre-commit path's)
    const { PerformanceObserver } = createRequire(import.meta.url)('node:perf_hooks') as typeof import('node:perf_hooks');
    observer = new PerformanceObserver((list) => { for (const e of list.getEntries()) { gcMs += e.duration; gcCount++; } });
    observer.observe({ entryTypes: ['gc'] });
  }
}

export function addPhase(name: string, ms: number): void {
  if (enabled) phases.set(name, (phases.get(name) ?? 0) + ms);
}

export function addRule(id: string, ms: number): void {
  if (enabled) rules.set(id, (rules.get(id) ?? 0) + ms);
}

/** Counts candidates the rule gates left unparsed (create-rule.ts passesGates). */
export function countGated(n: number): void {
  if (enabled) gatedFiles += n;
}

export function countFile(): void {
  if (enabled) files++;
}

/** Runs `fn`, adding its time to `name` when timing is on. */
export function timed<T>(name: string, fn: () => T): T {
  if (!enabled) return fn();
  const t0 = performance.now();
  try { return fn(); } finally { addPhase(name, performance.now() - t0); }
}

/** The numbers so far, and a reset (a worker sends them with each batch). */
export function takeTiming(): TimingSnapshot {
  const snap: TimingSnapshot = { phases: [...phases], rules: [...rules], files };
  phases.clear(); rules.clear(); files = 0;
  return snap;
}

/** Adds a worker's numbers to this thread's. */
export function mergeTiming(s: TimingSnapshot): void {
  if (!enabled) return;
  for (const [k, v] of s.phases) addPhase(k, v);
  for (const [k, v] of s.rules) addRule(k, v);
  files += s.files;
}

/**
 * Lets Node hand over the GC entries of the run: it queues them for a later turn of the event
 * loop, so a scan that never gave one up would report 0 pauses. Call before formatTiming.
 */
export async function settleTiming(): Promise<void> {
  if (observer) await new Promise<void>((r) => setImmediate(r));
}

const ORDER = ['start-up', 'discovery', 'read', 'prefilter', 'decode', 'parse', 'facts', 'rules', 'walk', 'report'];

/**
 * The table, ESLint style. `reportStart` (a `performance.now()`) closes the report phase: the
 * time since then is the reporters' (the CLI calls this after writing its output).
 */
export function formatTiming(opts: { reportStart?: number; total?: number } = {}): string {
  if (opts.reportStart !== undefined) addPhase('report', performance.now() - opts.reportStart);
  for (const e of observer?.takeRecords() ?? []) { gcMs += e.duration; gcCount++; }
  const total = opts.total ?? performance.now();
  const pct = (ms: number) => `${((100 * ms) / Math.max(total, 1e-9)).toFixed(1)}%`;
  const row = (name: string, ms: number, width: number) => `${name.padEnd(width)} | ${ms.toFixed(1).padStart(9)} | ${pct(ms).padStart(6)}`;
  const names = [...ORDER.filter((k) => phases.has(k)), ...[...phases.keys()].filter((k) => !ORDER.includes(k))];
  const w1 = Math.max(26, ...names.map((n) => n.length));
  const lines = [`${'Phase'.padEnd(w1)} | Time (ms) | Relative`, `${'-'.repeat(w1)}-|-----------|---------`];
  for (const n of names) lines.push(row(n, phases.get(n)!, w1));
  lines.push(row(`GC (${gcCount} pauses, overlaps)`, gcMs, w1));
  lines.push(row('total (wall)', total, w1));
  lines.push(`files analysed: ${files}${gatedFiles ? ` (${gatedFiles} more not parsed: none of the rules' words)` : ''}`);
  const byTime = [...rules].sort((a, b) => b[1] - a[1]);
  if (byTime.length) {
    const ruleTotal = byTime.reduce((s, [, v]) => s + v, 0);
    const w2 = Math.max(26, ...byTime.map(([k]) => k.length));
    lines.push('', `${'Rule'.padEnd(w2)} | Time (ms) | Relative`, `${'-'.repeat(w2)}-|-----------|---------`);
    for (const [k, v] of byTime) lines.push(`${k.padEnd(w2)} | ${v.toFixed(1).padStart(9)} | ${`${((100 * v) / Math.max(ruleTotal, 1e-9)).toFixed(1)}%`.padStart(6)}`);
  }
  return lines.join('\n') + '\n';
}
