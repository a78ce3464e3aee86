/** Fixture pairs of fixtures/transforms: <rule-id>/<case>.input.<ext> -> <case>.output.<ext>. */
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { allRules } from '../../rules/index.js';
import { fixText, type FixTextResult } from '../../src/fix/apply.js';

export const PAIRS_DIR = resolve(import.meta.dirname, '../../fixtures/transforms');

export interface Pair { rule: string; name: string; input: string; output: string }

export function pairs(): Pair[] {
  const out: Pair[] = [];
  for (const rule of readdirSync(PAIRS_DIR).sort()) {
    for (const f of readdirSync(join(PAIRS_DIR, rule)).sort()) {
      const m = /^(.*)\.input\.(\w+)$/.exec(f);
      if (!m) continue;
      out.push({ rule, name: f, input: join(PAIRS_DIR, rule, f), output: join(PAIRS_DIR, rule, `${m[1]}.output.${m[2]}`) });
    }
  }
  return out;
}

/** Suggestions are applied for cases named `*.suggest.input.*`. */
export function fixPairText(text: string, file: string): FixTextResult {
  return fixText(text, { filename: file, rules: allRules, suggestions: /\.suggest\.input\./.test(file) });
}

export const read = (p: string) => readFileSync(p, 'utf8');
