/** `--format json`: the stable machine shape (the eval scorer reads it). Only JSON on stdout. */
import { relative, sep } from 'node:path';
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
  /** The rule's message id: with the rule's meta (`fixKinds`) it gives the finding's own fix kind, also once marked. */
  messageId?: string;
  fingerprint: string;
  /** Path relative to the project root (SARIF, baselines); `sc-migrate merge` reads it. */
  repoPath?: string;
  /**
   * Where the finding's root cause is written when that is not its own statement (file relative
   * like `file`): one marker there marks every finding that shares it.
   */
  origin?: { file: string; line: number; kind: 'private-api' | 'value' };
}

export interface JsonReport {
  findings: JsonFinding[];
  /** `soundcloud`: the file mentions SoundCloud and could not be checked (a warning in every format). */
  skipped: { file: string; reason: string; soundcloud?: boolean }[];
  stats: ScanResult['stats'];
  /** Files read after repairing their end (their closing brackets appended); `reason`: the file's own parse error. Absent when none. */
  recovered?: { file: string; reason: string }[];
  /** Present on `--shard i/n` results. */
  shard?: { index: number; count: number };
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
      fix: { kind: f.fixKind, automatic: !!f.fix, /* the engine never sets an empty fix; merged reports carry none */ suggestions: f.suggestions?.length ?? 0, marked: !!f.marked },
      ...(f.messageId ? { messageId: f.messageId } : {}),
      fingerprint: f.fingerprint,
      repoPath: f.repoPath,
      ...(f.origin ? { origin: { ...f.origin, file: toPosix(relative(result.cwd, f.origin.file)) } } : {}),
    })),
    skipped: result.skipped.map((s) => ({ file: s.file, reason: s.reason, ...(s.soundcloud ? { soundcloud: true } : {}) })),
    stats: { ...result.stats, durationMs: Math.round(result.stats.durationMs) },
    ...(result.recovered?.length ? { recovered: result.recovered.map((s) => ({ file: s.file, reason: s.reason })) } : {}),
    ...(result.shard ? { shard: result.shard } : {}),
  };
}

const toPosix = (p: string) => p.split(sep).join('/');

export const formatJson = (result: ScanResult): string => JSON.stringify(toJsonReport(result), null, 2) + '\n';
