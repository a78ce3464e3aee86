/**
 * "Fixable", defined once: a finding is fixable when `sc-migrate fix` (same rules, no
 * --suggestions) no longer reports it afterwards. The CLI computes it from a dry run of `fix`
 * (src/cli/fix-preview.ts), `fix` from its real run; the pretty and Markdown summaries, the HTML
 * report and fix's own summary all count with forecastFix, so they give the same number.
 */

/** One hunk of a unified diff (the `diff` package's structuredPatch shape). */
export interface PreviewHunk { oldStart: number; oldLines: number; newStart: number; newLines: number; lines: string[] }

export interface FixForecast {
  /** Findings fix resolves. */
  fixed: number;
  /** ...by rule id. */
  byRule: Map<string, number>;
  /** Files fix changes. */
  files: number;
  /** The diff fix applies, by absolute path (for reports that show it). */
  hunks: Map<string, PreviewHunk[]>;
  /** How long the dry run took (the readable report says it beside the scan's time). */
  durationMs?: number;
}

/**
 * Counts the findings a fix run resolved: per file and rule, the findings before minus those
 * left after (`remaining`). `results` are fix's per-file results (absolute path).
 */
export function forecastFix(
  findings: readonly { path: string; ruleId: string }[],
  results: readonly { path: string; changed: boolean; remaining: readonly { ruleId: string }[]; hunks?: PreviewHunk[] }[],
): FixForecast {
  const before = new Map<string, Map<string, number>>();
  for (const f of findings) {
    const m = before.get(f.path) ?? new Map<string, number>();
    m.set(f.ruleId, (m.get(f.ruleId) ?? 0) + 1);
    before.set(f.path, m);
  }
  const byRule = new Map<string, number>();
  const hunks = new Map<string, PreviewHunk[]>();
  let fixed = 0;
  let files = 0;
  for (const r of results) {
    const had = before.get(r.path);
    if (!had || !r.changed) continue;
    files++;
    if (r.hunks) hunks.set(r.path, r.hunks);
    const left = new Map<string, number>();
    for (const f of r.remaining) left.set(f.ruleId, (left.get(f.ruleId) ?? 0) + 1);
    for (const [id, n] of had) {
      const gone = Math.max(0, n - (left.get(id) ?? 0));
      if (!gone) continue;
      fixed += gone;
      byRule.set(id, (byRule.get(id) ?? 0) + gone);
    }
  }
  return { fixed, byRule, files, hunks };
}
