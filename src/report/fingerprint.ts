/**
 * Finding fingerprints that survive line moves: rule id + repo-relative path + hash of the
 * normalised text of the finding's line + the occurrence index among identical keys in the file.
 * Used by SARIF `partialFingerprints` and by baselines.
 */
import * as crypto from 'node:crypto';

/**
 * sha256 hex of a string: Node's one-shot `crypto.hash` (20.12+: no Hash object per finding, about
 * half the time of `createHash`), else a Hash object; the same digest either way.
 */
const oneShot = (crypto as { hash?: (algorithm: string, data: string, encoding: 'hex') => string }).hash;
const sha256Hex = (data: string): string => (oneShot ? oneShot('sha256', data, 'hex') : crypto.createHash('sha256').update(data).digest('hex'));

export const FINGERPRINT_VERSION = 'scMigrate/v1';

/** Whitespace-insensitive line text. */
export const normalizeLine = (line: string): string => line.trim().replace(/\s+/g, ' ');

export interface Fingerprintable {
  ruleId: string;
  line: number;
  column: number;
}

/**
 * Fingerprints for the findings of one file (any order; the occurrence index follows position).
 * `lines` are the file's lines (index 0 = line 1).
 */
export function fingerprintFile(findings: readonly Fingerprintable[], repoPath: string, lines: readonly string[]): string[] {
  const order = findings.map((f, i) => i).sort((a, b) => findings[a]!.line - findings[b]!.line || findings[a]!.column - findings[b]!.column);
  const seen = new Map<string, number>();
  const out: string[] = new Array(findings.length);
  for (const i of order) {
    const f = findings[i]!;
    const key = `${f.ruleId}\0${repoPath}\0${normalizeLine(lines[f.line - 1] ?? '')}`;
    const n = seen.get(key) ?? 0;
    seen.set(key, n + 1);
    out[i] = sha256Hex(`${key}\0${n}`).slice(0, 32);
  }
  return out;
}

export const splitLines = (text: string): string[] => text.split(/\r\n|\r|\n/);
