/** `--format markdown`: a pull-request comment: counts by rule, a findings table with links, what `fix` would change. */
import { redact } from './redact.js';
import type { FixForecast } from './fixable.js';
import { uncheckedFiles } from './unchecked.js';
import type { ScanResult } from '../scan/types.js';

export interface MarkdownOptions {
  /** Base for file links, e.g. https://github.com/o/r/blob/<sha>; default from GITHUB_* env when given. */
  blobUrl?: string;
  /** Most findings listed in the table. */
  maxRows?: number;
  /** What `fix` would resolve (a dry run): the fixable counts. */
  forecast?: FixForecast;
}

/** Escapes text for a table cell. */
export const cell = (s: string): string => s.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/\r?\n/g, ' ').replace(/([<>*_`[\]])/g, '\\$1');

export function blobUrlFromEnv(env: Record<string, string | undefined>): string | undefined {
  const { GITHUB_SERVER_URL: server, GITHUB_REPOSITORY: repo, GITHUB_SHA: sha } = env;
  return server && repo && sha ? `${server}/${repo}/blob/${sha}` : undefined;
}

export function formatMarkdown(result: ScanResult, opts: MarkdownOptions = {}): string {
  const s = result.stats;
  const ruleUrl = new Map(result.rules.map((r) => [r.id, r.url]));
  const out: string[] = [];
  out.push(`## sc-migrate: SoundCloud API migration check`, '');
  if (!s.findings) {
    out.push(`✅ No findings in ${s.files} scanned files (${s.analysed} analysed).`);
  } else {
    out.push(`❌ **${s.findings} finding${s.findings === 1 ? '' : 's'}** (${s.errors} error${s.errors === 1 ? '' : 's'}, ${s.warnings} warning${s.warnings === 1 ? '' : 's'}) in ${new Set(result.findings.map((f) => f.file)).size} file(s).`, '');
    const counts = new Map<string, { n: number; auto: number; severity: string; kinds: Map<string, number> }>();
    for (const f of result.findings) {
      const c = counts.get(f.ruleId) ?? { n: 0, auto: opts.forecast?.byRule.get(f.ruleId) ?? 0, severity: f.severity, kinds: new Map() };
      c.n++;
      // each finding has its own fix kind (a message's own, manual once marked): a mixed rule lists them
      c.kinds.set(f.fixKind, (c.kinds.get(f.fixKind) ?? 0) + 1);
      counts.set(f.ruleId, c);
    }
    out.push('| Rule | Severity | Findings | Fix |', '| --- | --- | ---: | --- |');
    for (const [id, c] of [...counts].sort((a, b) => b[1].n - a[1].n || a[0].localeCompare(b[0]))) {
      const url = ruleUrl.get(id);
      out.push(`| ${url ? `[\`${id}\`](${url})` : `\`${id}\``} | ${c.severity} | ${c.n} | ${c.kinds.size === 1 ? [...c.kinds.keys()][0] : [...c.kinds].map(([k, n]) => `${k} ${n}`).join(', ')}${c.auto ? ` (${c.auto} automatic)` : ''} |`);
    }
    out.push('', '### What `sc-migrate fix` would change', '');
    if (opts.forecast) {
      out.push(`- **${opts.forecast.fixed}** finding(s) fixed automatically in ${opts.forecast.files} file(s)`);
      out.push(`- **${s.findings - opts.forecast.fixed}** left for a person (\`fix\` marks them; see the rule docs)`);
    } else {
      out.push('- preview it with `sc-migrate fix --dry`');
    }
    const max = opts.maxRows ?? 200;
    const base = opts.blobUrl?.replace(/\/$/, '');
    out.push('', '<details open><summary>Findings</summary>', '', '| File | Line | Rule | Severity | Message |', '| --- | ---: | --- | --- | --- |');
    for (const f of result.findings.slice(0, max)) {
      const loc = base ? `[${cell(f.repoPath)}](${base}/${encodeURI(f.repoPath)}#L${f.line})` : `\`${f.repoPath.replace(/`/g, "'")}\``;
      const url = ruleUrl.get(f.ruleId);
      out.push(`| ${loc} | ${f.line} | ${url ? `[${f.ruleId}](${url})` : f.ruleId} | ${f.severity} | ${cell(redact(f.message, { bare: true }))} |`);
    }
    if (result.findings.length > max) out.push('', `… and ${result.findings.length - max} more.`);
    out.push('', '</details>');
  }
  const unchecked = uncheckedFiles(result);
  if (unchecked.length) {
    out.push('', `> [!WARNING]`, `> ${unchecked.length} file(s) that mention SoundCloud could not be checked:`);
    for (const k of unchecked.slice(0, 50)) out.push(`> - \`${k.file.replace(/`/g, "'")}\`: ${cell(k.reason)}`);
  }
  const extras: string[] = [];
  if (s.baselined) extras.push(`${s.baselined} hidden by the baseline`);
  if (s.unchanged) extras.push(`${s.unchanged} on unchanged lines`);
  if (s.suppressed) extras.push(`${s.suppressed} suppressed inline`);
  if (s.skipped) extras.push(`${s.skipped} file(s) skipped`);
  if (extras.length) out.push('', `<sub>${extras.join(' · ')}</sub>`);
  return out.join('\n') + '\n';
}
