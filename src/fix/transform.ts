/**
 * jscodeshift-compatible entry: `transforms/<rule-id>.ts` call this, so `npx jscodeshift -t
 * transforms/<id>.ts src/` gives the same output as `sc-migrate fix --rule <id>` (same engine,
 * same edits, same markers).
 */
import { resolve } from 'node:path';
import { rulesById } from '../../rules/index.js';
import { existsSync, writeFileSync } from 'node:fs';
import { fixText } from './apply.js';

export interface FileInfo { path: string; source: string }

export function makeTransformer(...ids: string[]) {
  return function transformer(file: FileInfo, _api?: unknown, options: Record<string, unknown> = {}): string | undefined {
    const rules = ids.map((id) => rulesById.get(id)).filter((r): r is NonNullable<typeof r> => !!r);
    const r = fixText(file.source, {
      filename: resolve(file.path),
      rules,
      suggestions: options.suggestions === true || options.suggestions === 'true',
      markers: options.markers !== false && options.markers !== 'false',
    });
    if (r.status === 'failed') throw new Error(`${file.path}: ${r.error}`);
    // modules a rewrite imports (soundcloud-client): created once, never in a dry run
    if (r.status === 'changed' && !options.dry) for (const [p, text] of r.newFiles ?? []) if (!existsSync(p)) writeFileSync(p, text, { flag: 'wx' });
    return r.status === 'changed' ? r.text : undefined;
  };
}
