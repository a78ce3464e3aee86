/**
 * What `sc-migrate fix` does with a finding: the one definition of "fixable" that the pretty and
 * Markdown summaries, the HTML report and `fix`'s own summary count with.
 *   rewrite:    an automatic fix (rule kind `auto`, no marker of `fix` above it): `fix` rewrites it
 *   suggestion: a suggested rewrite (`fix --suggestions` applies it; else a marker)
 *   manual:     left for a person (`fix` adds a marker)
 */
import type { Finding } from '../engine/types.js';

export type FixOutcome = 'rewrite' | 'suggestion' | 'manual';

export function fixOutcome(f: Pick<Finding, 'fixKind' | 'suggestions' | 'marked'>): FixOutcome {
  if (f.marked) return 'manual';
  if (f.fixKind === 'auto') return 'rewrite';
  if (f.fixKind === 'suggest' || f.suggestions?.length) return 'suggestion';
  return 'manual';
}

export const isFixable = (f: Pick<Finding, 'fixKind' | 'suggestions' | 'marked'>): boolean => fixOutcome(f) === 'rewrite';

/** Counts by outcome. */
export function fixCounts(findings: readonly Pick<Finding, 'fixKind' | 'suggestions' | 'marked'>[]): Record<FixOutcome, number> {
  const n: Record<FixOutcome, number> = { rewrite: 0, suggestion: 0, manual: 0 };
  for (const f of findings) n[fixOutcome(f)]++;
  return n;
}
