/**
 * Shapes shared by the scan pipeline, the reporters and the git features. The `fix` command and
 * the GitHub Action reuse them: discovery, config, scan and reporters all speak these types.
 */
import type { Finding, FixKind, Severity } from '../engine/types.js';

/** A file the scan did not analyse, with a human-readable reason. `file` is cwd-relative, `/`-separated. */
export interface SkippedFile {
  file: string;
  reason: string;
  /** The file names SoundCloud (or imports such code) and could not be checked: a finding may hide in it. */
  soundcloud?: boolean;
}

/** A finding as the scan returns it: the engine's finding plus what reporters and baselines need. */
export interface ScanFinding extends Finding {
  /** Absolute path of the file. */
  path: string;
  /** Path relative to the project root (git top level, else cwd), `/`-separated: SARIF, github, baselines. */
  repoPath: string;
  /** Stable id: rule + repo path + hash of the normalised line text + occurrence index (not the line number). */
  fingerprint: string;
}

/** What reporters know about a rule (plain data: reporters are pure functions). */
export interface RuleInfo {
  id: string;
  description: string;
  /** Effective severity (after config). */
  severity: Severity;
  defaultSeverity: Severity;
  fixKind: FixKind;
  /** Messages whose findings have another fix kind than the rule's (the client_id of api-v2 requests: manual). */
  fixKinds?: Record<string, FixKind>;
  scope: 'file' | 'project';
  url: string;
  /** Contents of rules/<id>/README.md when present. */
  docsMarkdown?: string;
}

export interface ScanStats {
  /** Files found by discovery (after ignores). */
  files: number;
  /** Files read and run through the text prefilter. */
  read: number;
  /** Files that passed the prefilter and were parsed. */
  analysed: number;
  skipped: number;
  findings: number;
  errors: number;
  warnings: number;
  /** Findings hidden by inline `sc-migrate-ignore` comments. */
  suppressed: number;
  /** Findings hidden by `--baseline`. */
  baselined: number;
  /** Findings dropped by `--changed-since` (not on a changed line). */
  unchanged: number;
  /** Worker threads used for analysis (0: main thread only). */
  workers: number;
  durationMs: number;
}

export interface ScanResult {
  findings: ScanFinding[];
  skipped: SkippedFile[];
  stats: ScanStats;
  /** Enabled rules, in table order. */
  rules: RuleInfo[];
  /** Text of every file with findings, by absolute path (code frames, SARIF snippets, fixes). */
  sources: Map<string, string>;
  cwd: string;
  /** Project root: git top level, else cwd. */
  root: string;
  /** `--shard i/n`: the result covers this shard's files only (`sc-migrate merge` joins them). */
  shard?: { index: number; count: number };
  /** What ignore rules removed while listing the files (absent when the files were given, e.g. --staged). */
  ignored?: SkippedFile[];
  /** Files read after repairing their end (closing brackets appended, src/engine/parse.ts): the reason is the file's own parse error. */
  recovered?: SkippedFile[];
}
