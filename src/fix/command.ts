/**
 * `sc-migrate fix [paths..] [--rule ID..] [--dry] [--print] [--force] [--format json]`: the same
 * discovery, config, ignores and rule selection as `scan` (through runScan), then fixFiles on the
 * files with findings. Writes in place (atomic); `--dry` prints a unified diff, `--print` whole
 * files; refuses a dirty git tree without `--force`; ends with a summary.
 * Exit codes: 0 done (nothing left at error severity), 1 a file failed or error findings remain
 * (left for a person), 2 usage / dirty tree.
 */
import { execFileSync } from 'node:child_process';
import { closeSync, openSync, readSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import { createTwoFilesPatch } from 'diff';
import { runScan, type RunScanOptions } from '../scan/run.js';
import { redact } from '../report/redact.js';
import { forecastFix } from '../report/fixable.js';
import { loadRules } from '../scan/rules.js';
import { ruleId } from '../engine/create-rule.js';
import type { Finding } from '../engine/types.js';
import { fixFiles, type FixResult } from './apply.js';

export interface FixCommandOptions extends Omit<RunScanOptions, 'staged' | 'changedSince' | 'baseline'> {
  dry?: boolean;
  print?: boolean;
  force?: boolean;
  /** Apply suggest-kind rewrites too (process.env for hard-coded credentials). */
  suggestions?: boolean;
  /** The backend route browser code gets app tokens from (default /api/soundcloud/token). */
  tokenEndpoint?: string;
  format?: 'pretty' | 'json';
  stdout?: { write(s: string): unknown };
  stderr?: { write(s: string): unknown };
}

export interface FixSummary {
  changed: number; unchanged: number; skipped: number; failed: number; created: number;
  markers: number; left: number; ms: number;
  /** Findings of the scan this run resolved (the one "fixable" count, as the reports give it). */
  fixed: number;
  /** package.json files that got sc-migrate added to their dependencies. */
  dependencies: number;
}

const BOM = '\uFEFF';
function startsWithBom(path: string): boolean {
  try {
    const fd = openSync(path, 'r');
    try { const b = Buffer.alloc(3); return readSync(fd, b, 0, 3, 0) === 3 && b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf; } finally { closeSync(fd); }
  } catch { return false; }
}

/** Uncommitted changes under the given paths (git), or undefined outside a git tree. */
export function dirtyFiles(cwd: string, paths: string[]): string[] | undefined {
  try {
    const out = execFileSync('git', ['status', '--porcelain', '--untracked-files=no', '--', ...paths], { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    return out.split('\n').filter(Boolean);
  } catch {
    return undefined;
  }
}

/** Which of these files git does not track (not ignored either). */
export function untrackedFiles(cwd: string, files: string[]): string[] {
  if (!files.length) return [];
  try {
    const out = execFileSync('git', ['ls-files', '--others', '--exclude-standard', '-z', '--', ...files], { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    const set = new Set(out.split('\0').filter(Boolean).map((f) => resolve(cwd, f)));
    return files.filter((f) => set.has(resolve(cwd, f)));
  } catch {
    return [];
  }
}

export async function runFixCommand(opts: FixCommandOptions): Promise<{ code: number; results: FixResult[]; summary: FixSummary }> {
  const t0 = Date.now();
  const out = opts.stdout ?? process.stdout;
  const err = opts.stderr ?? process.stderr;
  const paths = opts.paths?.length ? opts.paths : ['.'];
  const writes = !opts.dry && !opts.print;
  const empty: FixSummary = { changed: 0, unchanged: 0, skipped: 0, failed: 0, created: 0, markers: 0, left: 0, ms: 0, fixed: 0, dependencies: 0 };
  const refuse = (why: string) => {
    err.write(`sc-migrate fix: ${why}, or pass --force (or use --dry)\n`);
    return { code: 2, results: [], summary: empty };
  };
  if (writes && !opts.force) {
    const dirty = dirtyFiles(opts.cwd, paths);
    if (!dirty) return refuse('not inside a git repository: its rewrites could not be undone with git; commit the code to git first');
    if (dirty.length) return refuse(`the git tree has uncommitted changes (${dirty.length} file(s), e.g. ${dirty[0]!.slice(3)}): commit or stash them`);
  }
  // In this process, with handles: fixFiles starts from these findings (no second parse and lint).
  const scan = await runScan({ ...opts, paths, keepNodes: true });
  if (writes && !opts.force) {
    const untracked = untrackedFiles(opts.cwd, [...scan.sources.keys()]);
    if (untracked.length) return refuse(`${untracked.length} file(s) it would change are not tracked by git (e.g. ${relative(opts.cwd, untracked[0]!)}): add and commit them`);
  }
  // The rule objects the scan loaded (enabled ones); loaded here only when the scan did not need them.
  const enabled = new Set(scan.rules.map((r) => r.id));
  const rules = scan.ruleObjects ?? opts.rules ?? (await loadRules(opts.rulesModule, opts.cwd)).filter((r) => enabled.has(ruleId(r)));
  // scan's reader drops a UTF-8 BOM: put it back so the written file keeps it
  const files = [...scan.sources].map(([abs, text]) => ({ path: abs, text: !text.startsWith(BOM) && startsWithBom(abs) ? BOM + text : text }));
  const byPath = new Map<string, Finding[]>();
  for (const f of scan.findings) byPath.set(f.path, [...(byPath.get(f.path) ?? []), f]);
  const { results } = await fixFiles({ files, rules, cwd: opts.cwd, dry: opts.dry, print: opts.print, suggestions: opts.suggestions, tokenEndpoint: opts.tokenEndpoint, findings: byPath });
  for (const r of results) if (!r.created && !r.dependency) r.file = relative(opts.cwd, r.file).split('\\').join('/') || r.file;
  const summary: FixSummary = {
    changed: results.filter((r) => r.status === 'changed' && !r.created && !r.dependency).length,
    unchanged: results.filter((r) => r.status === 'unchanged').length,
    skipped: results.filter((r) => r.status === 'skipped').length + scan.skipped.length,
    failed: results.filter((r) => r.status === 'failed').length,
    created: results.filter((r) => r.created && r.status === 'changed').length,
    markers: results.reduce((n, r) => n + r.markers, 0),
    left: results.reduce((n, r) => n + r.remaining.length, 0),
    ms: Date.now() - t0,
    dependencies: results.filter((r) => r.dependency && r.status === 'changed').length,
    fixed: forecastFix(scan.findings, results.filter((r) => !r.created && !r.dependency).map((r) => ({ path: resolve(opts.cwd, r.file), changed: r.status === 'changed', remaining: r.remaining }))).fixed,
  };
  if (opts.format === 'json') {
    out.write(JSON.stringify({
      summary,
      results: results.map((r) => ({ file: r.file, status: r.status, created: !!r.created, markers: r.markers, error: r.error, env: r.env ?? [], ...(r.dependency ? { dependency: r.dependency } : {}), ...(r.notes?.length ? { notes: r.notes } : {}), remaining: r.remaining.map((f) => ({ ruleId: f.ruleId, line: f.line, column: f.column, fixKind: f.fixKind, message: redact(f.message, { bare: true }) })) })),
    }, null, 2) + '\n');
  } else {
    for (const r of results) {
      if (r.status === 'changed' && opts.dry) out.write(createTwoFilesPatch(`a/${r.file}`, `b/${r.file}`, r.before, r.after));
      if (r.status === 'changed' && opts.print) out.write(`// ---- ${r.file}\n${r.after}${r.after.endsWith('\n') ? '' : '\n'}`);
      if (r.status === 'failed') err.write(`sc-migrate fix: ${r.file}: ${r.error}\n`);
    }
    const env = results.filter((r) => r.env?.length && r.status === 'changed');
    if (env.length) err.write(`sc-migrate fix: the fixed code reads these environment variables: ${env.map((r) => `${r.env!.join(', ')} (${r.file})`).join('; ')}\n`);
    const deps = results.filter((r) => r.dependency && r.status === 'changed');
    if (deps.length) err.write(`sc-migrate fix: the fixed code imports sc-migrate/runtime: ${writes ? 'added' : 'would add'} ${deps.map((r) => `${r.dependency} to the dependencies of ${r.file}`).join(', ')} (run your package manager's install; the lockfile is not touched)\n`);
    for (const r of results) for (const n of r.notes ?? []) err.write(`sc-migrate fix: ${r.file}: ${n}\n`);
    const verb = writes ? 'changed' : 'would change';
    err.write(`sc-migrate fix: ${summary.changed} ${verb}${summary.created ? ` (+${summary.created} new module)` : ''}, ${summary.unchanged} unchanged, ${summary.skipped} skipped, ${summary.failed} failed; ${summary.left} finding(s) left for a person (${summary.markers} marker(s) added); ${summary.fixed} of ${scan.findings.length} finding(s) ${writes ? 'fixed' : 'fixable'}, in ${(summary.ms / 1000).toFixed(1)}s\n`);
  }
  const errorsLeft = results.some((r) => r.remaining.some((f) => f.severity === 'error'));
  return { code: summary.failed ? 1 : errorsLeft ? 1 : 0, results, summary };
}
