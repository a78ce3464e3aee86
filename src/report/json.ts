/** `--format json`: the stable machine shape (the eval scorer reads it). Only JSON on stdout. */
import { redact } from './redact.js';
import type { ScanResult } from '../scan/types.js';

export interface JsonFinding {
  ruleId: string;
  severity: 'error' | 'warning';
  message: string;
  file: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  /**
   * The fix kind, and whether `sc-migrate fix` has an automatic edit / suggestions (never the edits:
   * they may carry secrets); `marked`: a marker of `fix` sits above it (kind is then `manual`).
   */
  fix: { kind: 'auto' | 'suggest' | 'manual'; automatic: boolean; suggestions: number; marked: boolean };
  fingerprint: string;
}

export interface JsonReport {
  findings: JsonFinding[];
  /** `soundcloud`: the file mentions SoundCloud and could not be checked (a warning in every format). */
  skipped: { file: string; reason: string; soundcloud?: boolean }[];
  stats: ScanResult['stats'];
}

export function toJsonReport(result: ScanResult): JsonReport {
  return {
    findings: result.findings.map((f) => ({
      ruleId: f.ruleId,
      severity: f.severity,
      message: redact(f.message, { bare: true }),
      file: f.file,
      line: f.line,
      column: f.column,
      endLine: f.endLine,
      endColumn: f.endColumn,
      fix: { kind: f.fixKind, automatic: !!f.fix?.edits.length, suggestions: f.suggestions?.length ?? 0, marked: !!f.marked },
      fingerprint: f.fingerprint,
    })),
    skipped: result.skipped.map((s) => ({ file: s.file, reason: s.reason, ...(s.soundcloud ? { soundcloud: true } : {}) })),
    stats: { ...result.stats, durationMs: Math.round(result.stats.durationMs) },
  };
}

export const formatJson = (result: ScanResult): string => JSON.stringify(toJsonReport(result), null, 2) + '\n';
