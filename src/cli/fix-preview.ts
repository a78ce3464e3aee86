/**
 * What `fix` would change, for reports (`--format html`): the same dry run as `fix --dry`
 * (fixFiles on the files with findings, nothing written), as diff hunks per file.
 */
import { structuredPatch } from 'diff';
import type { ScanResult } from '../scan/types.js';
import type { FixPreview } from '../report/html.js';

export async function fixPreview(result: ScanResult, opts: { cwd: string; rulesModule?: string }): Promise<FixPreview> {
  const [{ fixFiles }, { loadRules }, { ruleId }] = await Promise.all([
    import('../fix/apply.js'), import('../scan/rules.js'), import('../engine/create-rule.js'),
  ]);
  const enabled = new Set(result.rules.map((r) => r.id));
  const rules = (await loadRules(opts.rulesModule, opts.cwd)).filter((r) => enabled.has(ruleId(r)));
  const files = [...result.sources].map(([path, text]) => ({ path, text }));
  const preview: FixPreview = new Map();
  if (!files.length) return preview;
  const { results } = await fixFiles({ files, rules, cwd: opts.cwd, dry: true });
  for (const r of results) {
    if (r.status !== 'changed' || r.created) continue;
    preview.set(r.file, structuredPatch('a', 'b', r.before, r.after, '', '', { context: 2 }).hunks);
  }
  return preview;
}
