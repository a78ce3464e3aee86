/**
 * Shared setup of the ESLint plugin tests: the parser for each file type (espree for JS/JSX,
 * @typescript-eslint/parser for TS, vue-eslint-parser for .vue, the plugin's html parser for
 * .html) and the flat config an app would write (docs/eslint.md).
 */
import tsParser from '@typescript-eslint/parser';
import vueParser from 'vue-eslint-parser';
import plugin, { htmlParser } from '../../src/eslint-plugin/index.js';
import type { TextEdit } from '../../src/engine/types.js';

export { plugin, htmlParser };

const JSX = { ecmaFeatures: { jsx: true } };

/** `languageOptions` for one file, by extension (what docs/eslint.md tells users to configure). */
export function languageOptionsFor(file: string): Record<string, unknown> {
  if (/\.(ts|mts|cts)$/i.test(file)) return { parser: tsParser, sourceType: 'module' };
  if (/\.tsx$/i.test(file)) return { parser: tsParser, sourceType: 'module', parserOptions: JSX };
  if (/\.vue$/i.test(file)) return { parser: vueParser, sourceType: 'module', parserOptions: { parser: tsParser, sourceType: 'module' } };
  if (/\.(html?|hbs|handlebars|ejs|njk|liquid|twig|erb|php)$/i.test(file)) return { parser: htmlParser, sourceType: 'script' };
  if (/\.cjs$/i.test(file)) return { sourceType: 'commonjs', parserOptions: JSX };
  return { sourceType: 'module', parserOptions: JSX };
}

/** The eslint.config.js of docs/eslint.md, with every rule as "error" (strict). */
export function appConfig(level: 'recommended' | 'strict' = 'strict'): unknown[] {
  return [
    { files: ['**/*.{js,jsx,mjs}'], languageOptions: { sourceType: 'module', parserOptions: JSX } },
    { files: ['**/*.cjs'], languageOptions: { sourceType: 'commonjs' } },
    plugin.configs[level],
    { files: ['**/*.{ts,tsx,mts,cts}'], languageOptions: { parser: tsParser, parserOptions: JSX } },
    { files: ['**/*.vue'], languageOptions: { parser: vueParser, parserOptions: { parser: tsParser, sourceType: 'module' } } },
    plugin.configs.html,
  ];
}

/** Applies fixes once, as ESLint's SourceCodeFixer does in one pass: by range, a fix starting at or before the end of the previous one is skipped. */
export function applyOnePass(text: string, editGroups: TextEdit[][]): string {
  const groups = editGroups
    .map((edits) => [...edits].sort((a, b) => a.range[0] - b.range[0]))
    .filter((g) => g.length)
    .map((g) => ({ start: g[0]!.range[0], end: g[g.length - 1]!.range[1], edits: g }))
    .sort((a, b) => a.start - b.start || a.end - b.end);
  let out = '';
  let at = 0;
  let lastEnd = -Infinity;
  for (const g of groups) {
    if (lastEnd >= g.start) continue; // ESLint: overlapping (or touching) fixes wait for the next pass
    // A group becomes one edit spanning its edits (ESLint merges a fix's edits the same way).
    let merged = '';
    let pos = g.start;
    for (const e of g.edits) { merged += text.slice(pos, e.range[0]) + e.text; pos = e.range[1]; }
    out += text.slice(at, g.start) + merged;
    at = g.end;
    lastEnd = g.end;
  }
  return out + text.slice(at);
}
