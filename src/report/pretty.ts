/** Human output: findings grouped by file with a code frame, then a summary by rule. */
import pc from 'picocolors';
import { redact } from './redact.js';
import { splitLines } from './fingerprint.js';
import type { FixForecast } from './fixable.js';
import { uncheckedFiles, uncheckedMessage } from './unchecked.js';
import type { ScanFinding, ScanResult } from '../scan/types.js';

type Colors = ReturnType<typeof pc.createColors>;

export interface PrettyOptions {
  color?: boolean;
  /** Lines of context around the finding. */
  context?: number;
  /** List skipped files one by one (else a count and the first few). */
  verbose?: boolean;
  /** What `fix` would resolve (a dry run): the summary's fixable count. */
  forecast?: FixForecast;
}

const TAB = '  ';

/** A code frame for one finding: numbered lines, `>` on the finding's lines, carets under the span. */
export function codeFrame(lines: readonly string[], f: Pick<ScanFinding, 'line' | 'column' | 'endLine' | 'endColumn'>, c: Colors, context = 2): string {
  const first = Math.max(1, f.line - context);
  const last = Math.min(lines.length, Math.max(f.line, Math.min(f.endLine, f.line + 4)) + context);
  const width = String(last).length;
  const out: string[] = [];
  for (let n = first; n <= last; n++) {
    const raw = (lines[n - 1] ?? '').replace(/\t/g, TAB);
    const text = redact(raw.length > 300 ? raw.slice(0, 300) + '…' : raw);
    const marked = n >= f.line && n <= f.endLine;
    const gutter = `${marked ? c.red(c.bold('>')) : ' '} ${c.dim(String(n).padStart(width))} ${c.dim('|')}`;
    out.push(`${gutter}${text ? ' ' + text : ''}`);
    if (n === f.line) {
      const lineText = (lines[n - 1] ?? '').replace(/\t/g, TAB);
      const prefix = (lines[n - 1] ?? '').slice(0, f.column - 1).replace(/\t/g, TAB);
      const start = prefix.length;
      const end = f.endLine === f.line ? Math.max(start + 1, (lines[n - 1] ?? '').slice(0, f.endColumn - 1).replace(/\t/g, TAB).length) : Math.max(start + 1, lineText.length);
      const len = Math.min(end - start, 300 - start);
      if (start < 300 && len > 0) out.push(`  ${' '.repeat(width)} ${c.dim('|')} ${' '.repeat(start)}${c.red('^'.repeat(len))}`);
    }
  }
  return out.join('\n');
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

export function formatPretty(result: ScanResult, opts: PrettyOptions = {}): string {
  const c = pc.createColors(opts.color ?? false);
  const out: string[] = [];
  const byFile = new Map<string, ScanFinding[]>();
  for (const f of result.findings) byFile.set(f.file, [...(byFile.get(f.file) ?? []), f]);
  for (const [file, list] of byFile) {
    out.push(c.underline(c.bold(file)));
    const src = result.sources.get(list[0]!.path);
    const lines = src !== undefined ? splitLines(src) : undefined;
    for (const f of list) {
      const sev = f.severity === 'error' ? c.red('error') : c.yellow('warning');
      const fix = f.fixKind === 'auto' ? c.green(' (fix: auto)') : f.fixKind === 'suggest' ? c.cyan(' (fix: suggestion)') : '';
      out.push(`${TAB}${c.dim(`${f.line}:${f.column}`)}  ${sev}  ${redact(f.message, { bare: true })}  ${c.dim(f.ruleId)}${fix}`);
      if (lines) out.push(codeFrame(lines, f, c, opts.context ?? 2).split('\n').map((l) => TAB + TAB + l).join('\n'));
      out.push('');
    }
  }
  const s = result.stats;
  if (result.findings.length) {
    const counts = new Map<string, { n: number; severity: string }>();
    for (const f of result.findings) counts.set(f.ruleId, { n: (counts.get(f.ruleId)?.n ?? 0) + 1, severity: f.severity });
    out.push(c.bold('Findings by rule'));
    const w = Math.max(...[...counts.keys()].map((k) => k.length));
    for (const [id, { n, severity }] of [...counts].sort((a, b) => b[1].n - a[1].n || a[0].localeCompare(b[0]))) {
      out.push(`${TAB}${id.padEnd(w)}  ${String(n).padStart(4)}  ${severity === 'error' ? c.red(severity) : c.yellow(severity)}`);
    }
    out.push('');
    const n = opts.forecast?.fixed;
    const head = `✖ ${plural(s.findings, 'problem')} (${plural(s.errors, 'error')}, ${plural(s.warnings, 'warning')})`;
    out.push(c.bold(s.errors ? c.red(head) : c.yellow(head)) + c.dim(n === undefined ? ' — preview what `sc-migrate fix` changes: `sc-migrate fix --dry`' : n ? ` — ${n} fixable by \`sc-migrate fix\` (preview: \`sc-migrate fix --dry\`)` : ' — none fixable by `sc-migrate fix`: see the rule docs'));
  } else {
    out.push(c.green(c.bold('✔ No SoundCloud API migration problems found')));
  }
  const extras: string[] = [];
  if (s.suppressed) extras.push(`${s.suppressed} suppressed inline`);
  if (s.baselined) extras.push(`${s.baselined} in baseline`);
  if (s.unchanged) extras.push(`${s.unchanged} on unchanged lines`);
  out.push(c.dim(`Scanned ${plural(s.files, 'file')} (${s.analysed} analysed), ${s.skipped} skipped${extras.length ? `, ${extras.join(', ')}` : ''} in ${(s.durationMs / 1000).toFixed(2)}s${opts.forecast?.durationMs === undefined ? '' : ` (fix preview ${(opts.forecast.durationMs / 1000).toFixed(2)}s)`}`));
  const unchecked = uncheckedFiles(result);
  for (const k of unchecked) out.push(c.yellow(`⚠ ${uncheckedMessage(k)}`));
  if (result.skipped.length) {
    const shown = opts.verbose ? result.skipped : result.skipped.slice(0, 5);
    out.push(c.dim('Skipped:'));
    for (const k of shown) out.push(c.dim(`${TAB}${k.file}: ${k.reason}`));
    if (shown.length < result.skipped.length) out.push(c.dim(`${TAB}… and ${result.skipped.length - shown.length} more (--verbose lists them)`));
  }
  // read after appending the closing brackets their end lacks: findings stand, the file itself needs a look
  for (const k of result.recovered ?? []) {
    const bind = k.reason.endsWith('bind operators were read as plain references');
    out.push(c.yellow(`⚠ ${k.file} does not parse as it is (${k.reason.replace(/\.$/, '')})${bind ? '' : ': it was read after closing its unclosed brackets at the end'}`));
  }
  return out.join('\n') + '\n';
}
