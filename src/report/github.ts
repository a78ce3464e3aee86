/** `--format github`: GitHub Actions workflow commands, one annotation per finding. */
import { redact } from './redact.js';
import { uncheckedFiles, uncheckedMessage } from './unchecked.js';
import type { ScanResult } from '../scan/types.js';

/** Escaping for the message part of a workflow command. */
export const escapeData = (s: string): string => s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
/** Escaping for property values (file, title...). */
export const escapeProperty = (s: string): string => escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');

export function formatGithub(result: ScanResult): string {
  const out: string[] = [];
  for (const f of result.findings) {
    const props = [
      `file=${escapeProperty(f.repoPath)}`,
      `line=${f.line}`,
      `col=${f.column}`,
      `endLine=${f.endLine}`,
      ...(f.endLine === f.line ? [`endColumn=${f.endColumn}`] : []),
      `title=${escapeProperty(`sc-migrate ${f.ruleId}`)}`,
    ].join(',');
    out.push(`::${f.severity === 'error' ? 'error' : 'warning'} ${props}::${escapeData(redact(f.message, { bare: true }))}`);
  }
  for (const k of uncheckedFiles(result)) out.push(`::warning file=${escapeProperty(k.file)},title=${escapeProperty('sc-migrate: file not checked')}::${escapeData(uncheckedMessage(k))}`);
  const s = result.stats;
  out.push(s.findings
    ? `sc-migrate: ${s.findings} finding(s) (${s.errors} error(s), ${s.warnings} warning(s)) in ${s.files} file(s)`
    : `sc-migrate: no findings in ${s.files} file(s)`);
  return out.join('\n') + '\n';
}
