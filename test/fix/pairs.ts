/**
 * Fixture pairs of fixtures/transforms: <rule-id>/<case>.input.<ext> -> <case>.output.<ext>, also
 * one folder deeper (<rule-id>/<project>/...: a folder with its own package.json is its own project,
 * for project-level rules such as require-token-refresh).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { allRules } from '../../rules/index.js';
import { fixText, type FixTextResult } from '../../src/fix/apply.js';

export const PAIRS_DIR = resolve(import.meta.dirname, '../../fixtures/transforms');

export interface Pair { rule: string; name: string; input: string; output: string }

export function pairs(): Pair[] {
  const out: Pair[] = [];
  const add = (rule: string, dir: string, prefix: string) => {
    for (const e of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      if (e.isDirectory() && !prefix) { add(rule, join(dir, e.name), `${e.name}/`); continue; }
      const m = /^(.*)\.input\.(\w+)$/.exec(e.name);
      if (!m) continue;
      out.push({ rule, name: prefix + e.name, input: join(dir, e.name), output: join(dir, `${m[1]}.output.${m[2]}`) });
    }
  };
  for (const rule of readdirSync(PAIRS_DIR).sort()) add(rule, join(PAIRS_DIR, rule), '');
  return out;
}

/** Suggestions are applied for cases named `*.suggest.input.*`. */
export function fixPairText(text: string, file: string): FixTextResult {
  return fixText(text, { filename: file, rules: allRules, suggestions: /\.suggest\.input\./.test(file) });
}

export const read = (p: string) => readFileSync(p, 'utf8');
