/**
 * `sc-migrate merge`: joins the JSON reports of `scan --shard i/n` jobs (or of several scans, or
 * sharded baselines) into one ScanResult that the existing reporters format (SARIF for code
 * scanning, Markdown for a summary, JSON, pretty). Findings are deduplicated by file and
 * fingerprint and sorted as a single scan sorts them; skipped files are joined; counts add up.
 */
import { resolve } from 'node:path';
import type { JsonFinding, JsonReport } from './json.js';
import type { RuleInfo, ScanFinding, ScanResult, ScanStats, SkippedFile } from '../scan/types.js';
import type { Baseline } from '../git/baseline.js';

export type MergeInput = JsonReport | Baseline;

export interface MergeOptions {
  /** Rule metadata for the reporters (SARIF rules, Markdown links); the CLI passes the built-in rules. */
  rules?: RuleInfo[];
  /** Absolute project root (SARIF %SRCROOT%); absolute paths of findings are built from it. */
  root: string;
  cwd?: string;
  /** Text of a repo-relative file when it is at hand (code frames, SARIF snippets); optional. */
  readSource?: (repoPath: string) => string | undefined;
}

export interface MergeOutcome {
  result: ScanResult;
  /** Problems a person should see: missing or repeated shards, mixed shard counts. */
  warnings: string[];
}

const isBaseline = (x: MergeInput): x is Baseline => (x as Baseline).tool === 'sc-migrate' && (x as Baseline).version === 1 && !('stats' in x);

/** Whether a parsed JSON value is something `merge` reads; a message saying why not otherwise. */
export function checkMergeInput(raw: unknown, source: string): MergeInput {
  const r = raw as Partial<JsonReport & Baseline> | null;
  if (r && typeof r === 'object' && Array.isArray(r.findings) && (r.stats || (r.tool === 'sc-migrate' && r.version === 1))) return r as MergeInput;
  throw new Error(`${source}: not an sc-migrate JSON report (scan -f json) or baseline`);
}

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
const compare = (a: ScanFinding, b: ScanFinding) => cmp(a.file, b.file) || a.line - b.line || a.column - b.column || a.ruleId.localeCompare(b.ruleId);

const ZERO: ScanStats = { files: 0, read: 0, analysed: 0, skipped: 0, findings: 0, errors: 0, warnings: 0, suppressed: 0, baselined: 0, unchanged: 0, workers: 0, durationMs: 0 };

export function mergeReports(inputs: readonly MergeInput[], opts: MergeOptions): MergeOutcome {
  const rules = opts.rules ?? [];
  const severity = new Map(rules.map((r) => [r.id, r.severity]));
  const fixKind = new Map(rules.map((r) => [r.id, r.fixKind]));
  const root = opts.root.replace(/[/\\]+$/, '') || '/';
  const findings: ScanFinding[] = [];
  const seen = new Set<string>();
  const skipped = new Map<string, SkippedFile>();
  const recovered = new Map<string, SkippedFile>();
  const stats: ScanStats = { ...ZERO };
  const shards = new Map<number, number[]>();
  const add = (f: Omit<ScanFinding, 'path'>) => {
    const key = `${f.repoPath}\0${f.fingerprint}`;
    if (seen.has(key)) return;
    seen.add(key);
    findings.push({ ...f, path: `${root}/${f.repoPath}` });
  };
  for (const input of inputs) {
    if (isBaseline(input)) {
      for (const e of input.findings) {
        add({ ruleId: e.ruleId, severity: severity.get(e.ruleId) ?? 'error', message: e.message, messageId: '', file: e.file, repoPath: e.file, line: e.line, column: 1, endLine: e.line, endColumn: 1, fixKind: fixKind.get(e.ruleId) ?? 'manual', fingerprint: e.fingerprint });
      }
      continue;
    }
    for (const j of input.findings as JsonFinding[]) {
      add({
        ruleId: j.ruleId, severity: j.severity, message: j.message, messageId: j.messageId ?? '', file: j.file, repoPath: j.repoPath ?? j.file,
        line: j.line, column: j.column, endLine: j.endLine, endColumn: j.endColumn, fixKind: j.fix.kind, fingerprint: j.fingerprint,
        ...(j.fix.marked ? { marked: true } : {}),
        // the origin is relative like `file` (to the cwd the reports were made in)
        ...(j.origin ? { origin: { ...j.origin, file: resolve(opts.cwd ?? root, j.origin.file) } } : {}),
        // The edits are never in a JSON report (they may carry secrets): `fix` recomputes them.
        ...(j.fix.automatic ? { fix: { edits: [] } } : {}),
        ...(j.fix.suggestions ? { suggestions: Array.from({ length: j.fix.suggestions }, () => ({ message: '', edits: [] })) } : {}),
      });
    }
    for (const s of input.skipped) if (!skipped.has(s.file)) skipped.set(s.file, { file: s.file, reason: s.reason });
    for (const s of input.recovered ?? []) if (!recovered.has(s.file)) recovered.set(s.file, { file: s.file, reason: s.reason });
    for (const k of ['files', 'read', 'analysed', 'suppressed', 'baselined', 'unchanged'] as const) stats[k] += input.stats[k] ?? 0;
    stats.workers = Math.max(stats.workers, input.stats.workers ?? 0);
    // Shards run side by side: the merged duration is the slowest one.
    stats.durationMs = Math.max(stats.durationMs, input.stats.durationMs ?? 0);
    if (input.shard) shards.set(input.shard.count, [...(shards.get(input.shard.count) ?? []), input.shard.index]);
  }
  const warnings: string[] = [];
  const counts = [...shards.keys()].filter((c) => c > 0);
  if (counts.length > 1) warnings.push(`reports of different shard counts (${counts.map((c) => `/${c}`).join(', ')}): were they all from one run?`);
  for (const c of counts) {
    const got = shards.get(c)!;
    const missing = Array.from({ length: c }, (_, i) => i + 1).filter((i) => !got.includes(i));
    const repeated = [...new Set(got.filter((i, k) => got.indexOf(i) !== k))];
    if (missing.length) warnings.push(`shard(s) ${missing.map((i) => `${i}/${c}`).join(', ')} missing: the merged report does not cover every file`);
    if (repeated.length) warnings.push(`shard(s) ${repeated.map((i) => `${i}/${c}`).join(', ')} given more than once (findings deduplicated; file counts are not)`);
  }
  findings.sort(compare);
  const sources = new Map<string, string>();
  if (opts.readSource) {
    for (const f of findings) {
      if (sources.has(f.path)) continue;
      const text = opts.readSource(f.repoPath);
      if (text !== undefined) sources.set(f.path, text);
    }
  }
  const skippedList = [...skipped.values()].sort((a, b) => cmp(a.file, b.file));
  stats.skipped = skippedList.length;
  stats.findings = findings.length;
  stats.errors = findings.filter((f) => f.severity === 'error').length;
  stats.warnings = findings.filter((f) => f.severity === 'warning').length;
  const recoveredList = [...recovered.values()].sort((a, b) => cmp(a.file, b.file));
  return { result: { findings, skipped: skippedList, stats, rules, sources, cwd: opts.cwd ?? root, root, ...(recoveredList.length ? { recovered: recoveredList } : {}) }, warnings };
}

/** A report file that cannot be read or is not a report: exit code 2 at the command line. */
export class MergeInputError extends Error {
  override name = 'MergeInputError';
}

/**
 * `sc-migrate merge FILES`: reads the JSON reports / baselines, takes rule metadata from the
 * installed rules (docs for SARIF) and code snippets from the current checkout, and merges.
 */
export async function mergeReportFiles(files: readonly string[], opts: { cwd: string; withDocs?: boolean }): Promise<MergeOutcome> {
  const { readFileSync } = await import('node:fs');
  const { join } = await import('node:path');
  if (!files.length) throw new MergeInputError('merge: give the JSON reports to merge (e.g. shard-*.json)');
  const inputs = files.map((f) => {
    let text: string;
    try { text = readFileSync(resolve(opts.cwd, f), 'utf8'); } catch (e) { throw new MergeInputError(`merge: cannot read ${f}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`); }
    try { return checkMergeInput(JSON.parse(text), f); } catch (e) { throw new MergeInputError(`merge: ${(e as Error).message}`); }
  });
  const { findRepoRoot } = await import('../scan/discover.js');
  const { loadRules, ruleInfo } = await import('../scan/rules.js');
  const root = findRepoRoot(opts.cwd) ?? resolve(opts.cwd);
  const rules = (await loadRules()).map((r) => ruleInfo(r, undefined, !!opts.withDocs));
  const readSource = (p: string) => { try { return readFileSync(join(root, p), 'utf8'); } catch { return undefined; } };
  return mergeReports(inputs, { rules, root, cwd: resolve(opts.cwd), readSource });
}
