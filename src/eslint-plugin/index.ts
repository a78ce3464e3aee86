/**
 * `sc-migrate/eslint-plugin`: the sc-migrate rules as an ESLint (flat config) plugin. The rule
 * objects are the very ones the scanner runs (rules/index.ts); nothing is reimplemented here.
 *
 *   import scMigrate from 'sc-migrate/eslint-plugin';
 *   export default [scMigrate.configs.recommended];
 *
 * Rules are named `sc-migrate/<rule-id>`. `configs.recommended` sets error-severity rules to
 * "error" and warning-severity rules to "warn"; `configs.strict` sets every rule to "error".
 * `htmlParser` (and `configs.html`) lets ESLint lint the inline `<script>` blocks of .html
 * files the way `sc-migrate scan` does, `<script src>` tags included. See docs/eslint.md.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { allRules } from '../../rules/index.js';
import { ruleId } from '../engine/create-rule.js';
import { loadParser, parseFile } from '../engine/parse.js';
import type { ScRule } from '../engine/types.js';
import { setProjectFileLister } from '../engine/project.js';
import { discoverFiles } from '../scan/discover.js';
import { visitorKeys } from '@typescript-eslint/visitor-keys';

// The native parser, before ESLint calls the (synchronous) parser below.
await loadParser();

export const PLUGIN_NAME = 'sc-migrate';

/** Version of the sc-migrate package (src/eslint-plugin or dist/src/eslint-plugin, both work). */
function readVersion(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    try {
      const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'sc-migrate' && pkg.version) return pkg.version;
    } catch { /* keep looking */ }
    const up = dirname(dir);
    if (up === dir) break;
    dir = up;
  }
  return '0.0.0';
}

type Level = 'error' | 'warn' | 'off';
export interface FlatConfig {
  name?: string;
  files?: string[];
  plugins?: Record<string, unknown>;
  languageOptions?: Record<string, unknown>;
  rules?: Record<string, Level>;
}

export interface ScMigratePlugin {
  meta: { name: string; version: string };
  rules: Record<string, ScRule>;
  configs: { recommended: FlatConfig; strict: FlatConfig; html: FlatConfig };
}

// Project-level rules (require-token-refresh) see the files `sc-migrate scan` would see from the
// project root: one discovery (src/scan/discover.ts) for the CLI and the plugin.
setProjectFileLister((root) => {
  try { return discoverFiles({ cwd: root }).files.map((f) => f.path); } catch { return []; }
});

const rules: Record<string, ScRule> = Object.fromEntries(allRules.map((r) => [ruleId(r), r]));

const ruleLevels = (level: (r: ScRule) => Level): Record<string, Level> =>
  Object.fromEntries(allRules.map((r) => [`${PLUGIN_NAME}/${ruleId(r)}`, level(r)]));

/**
 * A parser for .html / .htm: the engine's own front-end (inline script blocks parsed in place,
 * everything else blanked, so lines and columns are the file's), with the page's `<script src>`
 * tags handed to rules as `parserServices.scMigrate` (no-deprecated-sdk reads them).
 */
export interface HtmlParser {
  meta: { name: string; version: string };
  parseForESLint(text: string, options?: { filePath?: string }): { ast: unknown; services: Record<string, unknown>; visitorKeys: Record<string, readonly string[] | undefined> };
}
export const htmlParser: HtmlParser = {
  meta: { name: 'sc-migrate/html-parser', version: readVersion() },
  parseForESLint(text, options) {
    // server-side templates keep their name: template tags in their scripts are read by extension
    const filePath = options?.filePath && /\.(html?|hbs|handlebars|ejs|njk|liquid|twig|erb|php)$/i.test(options.filePath) ? options.filePath : 'page.html';
    const parsed = parseFile(text, filePath, 'html');
    const ast = parsed.ast as unknown as { tokens?: unknown[]; comments?: unknown[] };
    ast.tokens ??= [];
    ast.comments ??= [];
    return { ast: parsed.ast, services: { scMigrate: parsed.extras }, visitorKeys };
  },
};

const plugin: ScMigratePlugin = {
  meta: { name: PLUGIN_NAME, version: readVersion() },
  rules,
  configs: {} as ScMigratePlugin['configs'],
};

plugin.configs.recommended = {
  name: 'sc-migrate/recommended',
  plugins: { [PLUGIN_NAME]: plugin },
  rules: ruleLevels((r) => (r.meta.docs.scMigrate.severity === 'error' ? 'error' : 'warn')),
};
plugin.configs.strict = {
  name: 'sc-migrate/strict',
  plugins: { [PLUGIN_NAME]: plugin },
  rules: ruleLevels(() => 'error'),
};
/** Makes ESLint lint .html pages (inline scripts and `<script src>`); rules come from recommended / strict. */
plugin.configs.html = {
  name: 'sc-migrate/html',
  files: ['**/*.html', '**/*.htm', '**/*.{hbs,handlebars,ejs,njk,liquid,twig,erb,php}'],
  plugins: { [PLUGIN_NAME]: plugin },
  languageOptions: { parser: htmlParser, sourceType: 'script' },
};

export const configs = plugin.configs;
export { rules };
export default plugin;
