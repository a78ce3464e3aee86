/**
 * What `fix` would do, for reports: the same dry run as `fix --dry` (fixFiles on the files with
 * findings, nothing written), counted with forecastFix (the one definition of "fixable") and
 * kept as diff hunks per file.
 */
import { structuredPatch } from 'diff';
import type { ScanResult } from '../scan/types.js';
import { forecastFix, type FixForecast } from '../report/fixable.js';

export async function fixPreview(result: ScanResult, opts: { cwd: string; rulesModule?: string }): Promise<FixForecast> {
  const start = performance.now();
  const files = [...result.sources].map(([path, text]) => ({ path, text }));
  if (!files.length) return forecastFix([], []);
  const [{ fixFiles }, { loadRules }, { ruleId }] = await Promise.all([
    import('../fix/apply.js'), import('../scan/rules.js'), import('../engine/create-rule.js'),
  ]);
  const enabled = new Set(result.rules.map((r) => r.id));
  const rules = (await loadRules(opts.rulesModule, opts.cwd)).filter((r) => enabled.has(ruleId(r)));
  const { results } = await fixFiles({ files, rules, cwd: opts.cwd, dry: true });
  const forecast = forecastFix(result.findings, results.filter((r) => !r.created).map((r) => ({
    path: r.file,
    changed: r.status === 'changed',
    remaining: r.remaining,
    hunks: structuredPatch('a', 'b', r.before, r.after, '', '', { context: 2 }).hunks,
  })));
  return { ...forecast, durationMs: performance.now() - start };
}
