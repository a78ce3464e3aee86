/**
 * The plugin object: meta, rule names, configs that ESLint accepts as flat configs, rule docs
 * URLs that point at rules/<id>/README.md, the package export, and `eslint --fix` versus the
 * rules' own edits as `sc-migrate fix` applies them.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ESLint, Linter } from 'eslint';
import { describe, expect, it } from 'vitest';
import { allRules } from '../../rules/index.js';
import { ruleId } from '../../src/engine/index.js';
import { fixText } from '../../src/fix/apply.js';
import { providers } from '../../src/fix/providers.js';
import { readsRedirect } from '../../src/fix/safety.js';
import { parseFile } from '../../src/engine/parse.js';
import { docOf, REPO, casesOf, projectFor, readExpected } from '../rules/fixtures.js';
import { appConfig, languageOptionsFor, plugin } from './helpers.js';

const ids = allRules.map(ruleId);
const pkg = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as { version: string; exports: Record<string, { default: string; types: string }> };

describe('plugin object', () => {
  it('has meta.name and the package version', () => {
    expect(plugin.meta).toEqual({ name: 'sc-migrate', version: pkg.version });
  });

  it('exposes every rule of allRules under its id, as the same object', () => {
    expect(Object.keys(plugin.rules).sort()).toEqual([...ids].sort());
    for (const r of allRules) expect(plugin.rules[ruleId(r)]).toBe(r);
  });

  it('recommended: error rules "error", warning rules "warn"; strict: all "error"', () => {
    for (const r of allRules) {
      const name = `sc-migrate/${ruleId(r)}`;
      expect(plugin.configs.recommended.rules![name]).toBe(r.meta.docs.scMigrate.severity === 'error' ? 'error' : 'warn');
      expect(plugin.configs.strict.rules![name]).toBe('error');
    }
    expect(Object.keys(plugin.configs.recommended.rules!)).toHaveLength(ids.length);
    expect(Object.keys(plugin.configs.strict.rules!)).toHaveLength(ids.length);
    for (const c of Object.values(plugin.configs)) expect(c.plugins!['sc-migrate']).toBe(plugin);
  });

  it('is the default export of the sc-migrate/eslint-plugin package export (dist/src/eslint-plugin/index.js)', () => {
    expect(pkg.exports['./eslint-plugin']!.default).toBe('./dist/src/eslint-plugin/index.js');
    expect(pkg.exports['./eslint-plugin']!.types).toBe('./dist/src/eslint-plugin/index.d.ts');
  });
});

describe('configs are valid flat configs', () => {
  it.each(['recommended', 'strict'] as const)('%s: ESLint computes a config for .js/.ts/.vue/.html files with every rule on', async (name) => {
    const eslint = new ESLint({ cwd: REPO, overrideConfigFile: true, overrideConfig: appConfig(name) as never });
    for (const file of ['src/a.js', 'src/a.jsx', 'src/a.ts', 'src/a.tsx', 'src/a.vue', 'public/index.html']) {
      const config = await eslint.calculateConfigForFile(join(REPO, file)) as { rules: Record<string, unknown[]> };
      for (const r of allRules) {
        const want = name === 'strict' || r.meta.docs.scMigrate.severity === 'error' ? 2 : 1;
        expect(config.rules[`sc-migrate/${ruleId(r)}`]?.[0], `${file} ${ruleId(r)}`).toBe(want);
      }
    }
  });

  it.each(['recommended', 'strict'] as const)('%s alone is accepted by Linter and runs on plain JS', (name) => {
    const linter = new Linter({ configType: 'flat' });
    const msgs = linter.verify("fetch('http://api.soundcloud.com/tracks?client_id=abc');\n", [plugin.configs[name] as never], 'x.js');
    expect(msgs.filter((m) => m.fatal)).toEqual([]);
    expect(msgs.map((m) => m.ruleId)).toContain('sc-migrate/no-insecure-http');
  });
});

describe.each(ids)('sc-migrate/%s meta', (id) => {
  const rule = plugin.rules[id]!;
  it('docs.url points at rules/<id>/README.md, which exists', () => {
    expect(rule.meta.docs.url).toMatch(new RegExp(`/rules/${id}/README\\.md$`));
    expect(existsSync(docOf(id))).toBe(true);
  });
  it('has messages, fixable only for auto rules, hasSuggestions unless manual', () => {
    const kind = rule.meta.docs.scMigrate.fixKind;
    expect(Object.keys(rule.meta.messages).length).toBeGreaterThan(0);
    expect(rule.meta.fixable).toBe(kind === 'auto' ? 'code' : undefined);
    expect(Boolean(rule.meta.hasSuggestions)).toBe(kind !== 'manual');
  });
});

/**
 * `eslint --fix` applies the rules' own fixes (in up to 10 passes); `sc-migrate fix` applies the
 * same fixes plus the edits of its transforms (src/fix providers: rewrites needing more than
 * one literal edit, e.g. a query token moved into a header) and markers. For each auto rule and
 * each invalid single-file fixture, with that rule only and markers off:
 * - a rule without a transform: ESLint's output equals `sc-migrate fix`'s;
 * - a rule with a transform: `sc-migrate fix` run on ESLint's output gives the same text as on
 *   the original (eslint --fix is a step on the way, never a different result).
 */
const autoRules = allRules.filter((r) => r.meta.docs.scMigrate.fixKind === 'auto');
describe.each(autoRules.map((r) => ({ id: ruleId(r), rule: r })))('eslint --fix = sc-migrate fix (rule edits) for $id', ({ id, rule }) => {
  const expected = readExpected(id);
  const cases = casesOf(id, 'invalid').filter((c) => c.shape === 'file' && expected[c.files[0]!.key]?.length);
  it.each(cases.map((c) => ({ name: c.name, c })))('$name', ({ c }) => {
    const { path } = c.files[0]!;
    const text = readFileSync(path, 'utf8');
    const linter = new Linter({ configType: 'flat' });
    const eslintOut = linter.verifyAndFix(text, [{
      files: ['**/*.{js,jsx,mjs,cjs,ts,tsx,mts,cts,vue,html}'],
      plugins: { 'sc-migrate': plugin as never },
      rules: { [`sc-migrate/${id}`]: 'error' },
      languageOptions: languageOptionsFor(path) as never,
      settings: { 'sc-migrate': { project: projectFor(c) } },
    }], { filename: path }).output;
    const scFix = (t: string) => fixText(t, { filename: path, rules: [rule], project: projectFor(c), cwd: REPO, markers: false }).text;
    const scOut = scFix(text);
    // fix keeps a redirect the code reads itself (3xx status, Location); the rule's own edit does not know yet
    if (id === 'no-disabled-redirects' && readsRedirect(parseFile(text, path).ast, text, text.indexOf('redirect'))) return expect(scOut).toBe(text);
    if (providers[id]) expect(scFix(eslintOut)).toBe(scOut);
    else expect(eslintOut).toBe(scOut);
  });
});

describe('project files under ESLint = the files `sc-migrate scan` discovers', () => {
  it('a file the CLI ignores (.gitignore) does not count for require-token-refresh', async () => {
    const { mkdtempSync, mkdirSync, writeFileSync, rmSync, realpathSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { discoverFiles } = await import('../../src/scan/discover.js');
    const root = realpathSync(mkdtempSync(join(tmpdir(), 'scm-plugin-files-')));
    try {
      const login = join(root, 'src', 'token.js');
      mkdirSync(join(root, 'src'));
      mkdirSync(join(root, 'generated'));
      writeFileSync(join(root, 'package.json'), '{"name":"app"}\n');
      writeFileSync(join(root, '.gitignore'), 'generated/\n');
      writeFileSync(login, readFileSync(join(REPO, 'rules/require-token-refresh/fixtures/invalid/client-credentials.js'), 'utf8'));
      // Ignored by the CLI: renews tokens, but is not part of what sc-migrate scans.
      writeFileSync(join(root, 'generated', 'refresh.js'), "export const body = 'grant_type=refresh_token&refresh_token=' + rt;\n");
      expect(discoverFiles({ cwd: root }).files.map((f) => f.file)).toEqual(['src/token.js']);
      const linter = new Linter({ configType: 'flat', cwd: root });
      const messages = linter.verify(readFileSync(login, 'utf8'), [{
        files: ['**/*.js'],
        plugins: { 'sc-migrate': plugin as never },
        rules: { 'sc-migrate/require-token-refresh': 'error' },
        languageOptions: { sourceType: 'module' },
      }], { filename: login });
      expect(messages.map((m) => m.messageId ?? m.message)).toEqual(['noRefresh']);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
