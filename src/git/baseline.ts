/**
 * Baselines: `sc-migrate baseline` records today's findings; `--baseline FILE` hides them later.
 * Entries match by fingerprint (rule + repo path + normalised line text + occurrence index), so
 * inserting or moving lines does not resurface old findings; editing the line itself does.
 */
import { readFileSync } from 'node:fs';
import { ConfigError } from '../scan/errors.js';
import type { ScanFinding } from '../scan/types.js';

export const BASELINE_FILE = '.sc-migrate-baseline.json';

export interface BaselineEntry {
  ruleId: string;
  file: string;
  fingerprint: string;
  /** Where it was when recorded (informational; matching ignores it). */
  line: number;
  message: string;
}

export interface Baseline {
  version: 1;
  tool: 'sc-migrate';
  createdAt: string;
  findings: BaselineEntry[];
}

export function createBaseline(findings: readonly ScanFinding[], now = new Date()): Baseline {
  return {
    version: 1,
    tool: 'sc-migrate',
    createdAt: now.toISOString(),
    findings: findings.map((f) => ({ ruleId: f.ruleId, file: f.repoPath, fingerprint: f.fingerprint, line: f.line, message: f.message })),
  };
}

export function parseBaseline(text: string, source: string): Baseline {
  let raw: unknown;
  try { raw = JSON.parse(text); } catch (e) { throw new ConfigError(`${source}: invalid JSON: ${(e as Error).message}`); }
  const b = raw as Partial<Baseline>;
  if (!b || b.version !== 1 || !Array.isArray(b.findings) || b.findings.some((f) => !f || typeof f.fingerprint !== 'string')) {
    throw new ConfigError(`${source}: not an sc-migrate baseline (expected { "version": 1, "findings": [...] }; write one with \`sc-migrate baseline\`)`);
  }
  return b as Baseline;
}

export function readBaseline(file: string): Baseline {
  let text: string;
  try { text = readFileSync(file, 'utf8'); } catch (e) { throw new ConfigError(`cannot read baseline ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`); }
  return parseBaseline(text, file);
}

/** Splits findings into new ones and ones the baseline lists (each entry hides one finding). */
export function applyBaseline<T extends Pick<ScanFinding, 'fingerprint'>>(findings: readonly T[], baseline: Baseline): { kept: T[]; hidden: T[] } {
  const counts = new Map<string, number>();
  for (const e of baseline.findings) counts.set(e.fingerprint, (counts.get(e.fingerprint) ?? 0) + 1);
  const kept: T[] = [];
  const hidden: T[] = [];
  for (const f of findings) {
    const n = counts.get(f.fingerprint) ?? 0;
    if (n > 0) { counts.set(f.fingerprint, n - 1); hidden.push(f); } else kept.push(f);
  }
  return { kept, hidden };
}
