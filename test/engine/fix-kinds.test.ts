/**
 * A fix kind per finding: a rule may declare another fix kind for one of its messages (rule meta
 * `fixKinds`). The client_id of a private API (api-v2) request has no supported migration: its
 * findings are `manual` in the `suggest` rule no-client-id-auth, in the engine's findings, the
 * JSON and SARIF reports and the ESLint plugin (no fix, no suggestion); so is a credential in
 * browser code in no-hardcoded-credentials (no environment there: a server, by a person).
 */
import { Linter } from 'eslint';
import { afterAll, describe, expect, it } from 'vitest';
import { allRules } from '../../rules/index.js';
import { lintText, ruleId } from '../../src/engine/index.js';
import { createRule } from '../../src/engine/create-rule.js';
import type { Node } from '../../src/engine/types.js';
import { runScan } from '../../src/scan/run.js';
import { toJsonReport } from '../../src/report/json.js';
import { toSarif } from '../../src/report/sarif.js';
import { formatMarkdown } from '../../src/report/markdown.js';
import { cleanup, tempDir, writeTree } from '../cli/helpers.js';
import { plugin } from '../eslint-plugin/helpers.js';

afterAll(cleanup);

const clientId = allRules.find((r) => ruleId(r) === 'no-client-id-auth')!;

/** One request to the private API, one to the public API: both send only ?client_id=. */
const TWO_HOSTS = `const ID = process.env.SC_CLIENT_ID;
export const related = (id) => fetch(\`https://api-v2.soundcloud.com/tracks/\${id}/related?client_id=\${ID}\`);
export const track = (id) => fetch(\`https://api.soundcloud.com/tracks/\${id}?client_id=\${ID}\`);
`;

/** A made-up rule: every `x` identifier, message `plain` (suggest) or, when named `nope`, `never` (manual). */
const toy = createRule({
  id: 'toy-kinds',
  description: 'toy',
  severity: 'error',
  fixKind: 'suggest',
  fixKinds: { never: 'manual' },
  messages: { plain: 'plain', never: 'never', swap: 'swap it' },
  create(context) {
    return {
      Identifier(n: Node & { name: string }) {
        if (n.name !== 'x' && n.name !== 'nope') return;
        const edit = (f: { replaceText(n: Node, t: string): unknown }) => f.replaceText(n, 'y');
        context.report({ node: n, messageId: n.name === 'x' ? 'plain' : 'never', suggest: [{ messageId: 'swap', fix: edit as never }] });
      },
    };
  },
});

describe('rule meta fixKinds', () => {
  it('is carried in meta.docs.scMigrate beside the rule\'s own kind', () => {
    expect(toy.meta.docs.scMigrate).toMatchObject({ fixKind: 'suggest', fixKinds: { never: 'manual' } });
    expect(clientId.meta.docs.scMigrate).toMatchObject({ fixKind: 'suggest', fixKinds: { clientIdPrivate: 'manual' } });
    // the rule as a whole still has suggestions (ESLint meta)
    expect(clientId.meta.hasSuggestions).toBe(true);
  });

  it('gives each finding its message\'s kind, and drops the suggestions of a manual one', () => {
    const fs = lintText({ text: 'const x = 1;\nconst nope = 2;\n', filename: '/tmp/toy.js', rules: [toy] }).findings;
    expect(fs.map((f) => [f.messageId, f.fixKind, !!f.fix, f.suggestions?.length ?? 0])).toEqual([['plain', 'suggest', false, 1], ['never', 'manual', false, 0]]);
  });

  it('ESLint: the manual message comes with no suggestion, the other with its suggestion', () => {
    const linter = new Linter({ configType: 'flat' });
    const msgs = linter.verify('const x = 1;\nconst nope = 2;\n', [{ plugins: { t: { rules: { k: toy } } as never }, rules: { 't/k': 'error' } }], 'toy.js');
    expect(msgs.map((m) => [m.messageId, m.suggestions?.length ?? 0, !!m.fix])).toEqual([['plain', 1, false], ['never', 0, false]]);
  });
});

describe('no-hardcoded-credentials: a credential in browser code is manual', () => {
  const creds = allRules.find((r) => ruleId(r) === 'no-hardcoded-credentials')!;
  it('browser: manual with no suggestion; server: suggest with the environment suggestion', () => {
    const code = "const SC = { clientId: 'abc', clientSecret: 'f3k29dkq0xm3n4b5v6c7x8z9a0s1d2Q7' };\nfetch('https://api.soundcloud.com/tracks');\n";
    const browser = lintText({ text: `window.app = 1;\n${code}`, filename: '/tmp/page.js', rules: [creds] }).findings;
    const server = lintText({ text: `import express from 'express';\n${code}`, filename: '/tmp/server.js', rules: [creds] }).findings;
    expect(browser.map((f) => [f.messageId, f.fixKind, f.suggestions?.length ?? 0])).toEqual([['browser', 'manual', 0]]);
    expect(server.map((f) => [f.messageId, f.fixKind, f.suggestions?.length ?? 0])).toEqual([['literal', 'suggest', 1]]);
  });
});

describe('no-client-id-auth: the private API\'s findings are manual', () => {
  it('engine: clientIdPrivate is manual, the public request keeps suggest', () => {
    const fs = lintText({ text: TWO_HOSTS, filename: '/tmp/api.js', rules: [clientId] }).findings;
    expect(fs.map((f) => [f.line, f.messageId, f.fixKind])).toEqual([[2, 'clientIdPrivate', 'manual'], [3, 'clientId', 'suggest']]);
  });

  it('JSON and SARIF: the finding\'s own kind (and its message id), the rule\'s kinds in its descriptor', async () => {
    const d = tempDir();
    writeTree(d, { 'src/api.js': TWO_HOSTS });
    const result = await runScan({ cwd: d, rules: [clientId], noConfig: true });
    const json = toJsonReport(result).findings;
    expect(json.map((f) => [f.line, f.messageId, f.fix.kind, f.fix.suggestions])).toEqual([[2, 'clientIdPrivate', 'manual', 0], [3, 'clientId', 'suggest', 0]]);
    const run = (toSarif(result) as { runs: { results: { properties: { fixKind: string } }[]; tool: { driver: { rules: { properties: Record<string, unknown> }[] } } }[] }).runs[0]!;
    expect(run.results.map((r) => r.properties.fixKind)).toEqual(['manual', 'suggest']);
    expect(run.tool.driver.rules[0]!.properties).toMatchObject({ fixKind: 'suggest', fixKinds: { clientIdPrivate: 'manual' } });
    // the markdown summary lists a rule's kinds when its findings differ
    expect(formatMarkdown(result)).toContain('| 2 | manual 1, suggest 1 |');
  });

  it('ESLint plugin: no suggestion and no fix for the private API request', () => {
    const linter = new Linter({ configType: 'flat' });
    const msgs = linter.verify(TWO_HOSTS, [{ plugins: { 'sc-migrate': plugin as never }, rules: { 'sc-migrate/no-client-id-auth': 'error' }, languageOptions: { sourceType: 'module' } }], 'api.js');
    expect(msgs.map((m) => [m.line, m.messageId, m.suggestions?.length ?? 0, !!m.fix])).toEqual([[2, 'clientIdPrivate', 0, false], [3, 'clientId', 0, false]]);
  });
});
