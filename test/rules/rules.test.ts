/**
 * Rule tests, written from the spec (issue 2) and the fixtures, not from the rule code:
 * - every rule of `allRules` runs over its fixtures: invalid cases give exactly the findings of
 *   expected.json (rule, line, column, messageId), valid cases give none of that rule;
 * - the rule folders rules/<id>/rule.ts are the ids (RULE_IDS): rules/index.ts registers exactly
 *   them; each has a fixture folder (>= 8 invalid and >= 8 valid cases, expected.json complete)
 *   and a doc with the required sections.
 * Layout and conventions: test/rules/README.md.
 */
import { readFileSync, existsSync } from 'node:fs';
import { join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import ts from 'typescript';
import { allRules, rulesById } from '../../rules/index.js';
import { lintText, parseFile, passesGates, ruleId, type ScRule } from '../../src/engine/index.js';
import { pageScripts, relativeSpecifiers } from '../../src/engine/prefilter.js';
import {
  docOf, fixturesOf, REPO, RULES_DIR, RULE_IDS, casesOf, countedCases, projectFor, readExpected, walk,
  type Expectation, type FixtureCase,
} from './fixtures.js';

const MIN_CASES = 8;
const DOC_SECTIONS = ['What it finds', 'Why', 'Before / after', 'Options / ignores', 'SoundCloud context'] as const;

const byPosition = (a: Expectation, b: Expectation) => a.line - b.line || a.column - b.column || a.messageId.localeCompare(b.messageId);

/** Findings of `rule` per file key for one case. */
function run(rule: ScRule, c: FixtureCase): Record<string, Expectation[]> {
  const project = projectFor(c);
  const id = ruleId(rule);
  const out: Record<string, Expectation[]> = {};
  for (const f of c.files) {
    const text = readFileSync(f.path, 'utf8');
    // The scanner parses no file without one of its rules' words (RuleDefinition.gate) unless it
    // imports (or shares an HTML page with) a file of the tree that has them (src/scan/scan.ts):
    // every invalid case proves its rule's gate lets it through.
    const linked = relativeSpecifiers(text).length > 0 || c.files.some((o) => /\.html?$/i.test(o.path) && pageScripts(readFileSync(o.path, 'utf8')).length > 0);
    if (!passesGates(text, [rule]) && !(linked && c.files.some((o) => o !== f && passesGates(readFileSync(o.path, 'utf8'), [rule])))) { out[f.key] = []; continue; }
    const { findings } = lintText({
      text,
      filename: f.path,
      displayPath: relative(REPO, f.path),
      rules: [rule],
      settings: { 'sc-migrate': { project } },
      cwd: REPO,
    });
    out[f.key] = findings.filter((x) => x.ruleId === id).map(({ line, column, messageId }) => ({ line, column, messageId: messageId ?? '' })).sort(byPosition);
  }
  return out;
}

const rules = allRules.map((rule) => ({ id: ruleId(rule), rule }));

describe.each(rules)('rule $id', ({ id, rule }) => {
  const expected = existsSync(join(fixturesOf(id), 'expected.json')) ? readExpected(id) : {};
  const invalid = casesOf(id, 'invalid');
  const valid = casesOf(id, 'valid');

  it.each(invalid.map((c) => ({ name: c.name, c })))('$name', ({ c }) => {
    const want = Object.fromEntries(c.files.map((f) => [f.key, [...(expected[f.key] ?? [])].sort(byPosition)]));
    const got = run(rule, c);
    // An entry without its messageId fails; the message names what the rule reports there, to check against the case.
    const missing = Object.entries(want).flatMap(([key, list]) => list.filter((e) => !e.messageId).map((e) =>
      `${key}:${e.line}:${e.column} (the rule reports ${JSON.stringify(got[key]?.find((g) => g.line === e.line && g.column === e.column)?.messageId ?? 'nothing')} there: read the case before copying it)`));
    expect(missing, `expected.json entries without a messageId`).toEqual([]);
    expect(got).toEqual(want);
  });

  it.each(valid.map((c) => ({ name: c.name, c })))('$name', ({ c }) => {
    const got = Object.fromEntries(Object.entries(run(rule, c)).map(([k, list]) => [k, list.map(({ line, column }) => ({ line, column }))]));
    expect(got).toEqual(Object.fromEntries(c.files.map((f) => [f.key, []])));
  });
});

describe('the registry (rules/index.ts) = the rule folders (rules/<id>/rule.ts)', () => {
  it.each([...RULE_IDS])('%s is in allRules, as the default export of its rules/<id>/rule.ts', async (id) => {
    const own = (await import(pathToFileURL(join(RULES_DIR, id, 'rule.ts')).href) as { default: ScRule }).default;
    expect(ruleId(own), `rules/${id}/rule.ts declares another id`).toBe(id);
    expect(rules.find((r) => r.id === id)?.rule, `rules/index.ts does not register rules/${id}/`).toBe(own);
    expect(rulesById.get(id)).toBe(own);
  });

  it('allRules has no unknown or duplicate ids', () => {
    const ids = rules.map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect([...ids].sort()).toEqual([...RULE_IDS]);
  });

  it('rules/index.ts imports exactly the rule folders, statically (bundlers need a static list)', () => {
    const file = join(RULES_DIR, 'index.ts');
    const sf = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
    const folders: string[] = [];
    ts.forEachChild(sf, (n) => {
      if (!ts.isImportDeclaration(n) || !ts.isStringLiteral(n.moduleSpecifier) || n.importClause?.isTypeOnly) return;
      const m = /^\.\/([\w-]+)\/rule\.js$/.exec(n.moduleSpecifier.text);
      if (m) folders.push(m[1]!);
    });
    expect(folders.sort()).toEqual([...RULE_IDS]);
    expect(readFileSync(file, 'utf8')).not.toMatch(/\bimport\s*\(|readdirSync|require\(/);
  });
});

describe.each([...RULE_IDS])('fixtures of %s', (id) => {
  const dir = fixturesOf(id);

  it('has expected.json listing every invalid case, and >= 8 invalid and >= 8 valid cases', () => {
    expect(existsSync(join(dir, 'expected.json')), `${dir}/expected.json`).toBe(true);
    const expected = readExpected(id);
    const invalid = casesOf(id, 'invalid');
    const valid = casesOf(id, 'valid');
    const messageIds = Object.keys(allRules.find((r) => ruleId(r) === id)?.meta.messages ?? {});
    expect(countedCases(invalid, expected).length).toBeGreaterThanOrEqual(MIN_CASES);
    expect(countedCases(valid, {}).length).toBeGreaterThanOrEqual(MIN_CASES);
    // Every key names an invalid file; every file/folder case has at least one finding.
    const keys = new Set(invalid.flatMap((c) => c.files.map((f) => f.key)));
    for (const [key, list] of Object.entries(expected)) {
      expect(keys.has(key), `expected.json key "${key}" is not a file under invalid/`).toBe(true);
      expect(Array.isArray(list) && list.length > 0, `expected.json "${key}" lists no finding`).toBe(true);
      for (const e of list) {
        expect(Object.keys(e).sort(), `"${key}" entry keys (each entry names its messageId)`).toEqual(['column', 'line', 'messageId']);
        expect(messageIds, `"${key}" ${e.line}:${e.column}: messageId "${e.messageId}" is not one of the rule's meta.messages`).toContain(e.messageId);
        expect(Number.isInteger(e.line) && e.line >= 1 && Number.isInteger(e.column) && e.column >= 1, `"${key}" entry ${JSON.stringify(e)}`).toBe(true);
      }
    }
    for (const c of invalid.filter((x) => x.shape !== 'lib')) {
      expect(c.files.some((f) => expected[f.key]?.length), `${c.name} is not listed in expected.json`).toBe(true);
    }
  });

  it('every fixture file parses, and every expected position is inside its file', () => {
    const expected = readExpected(id);
    for (const file of walk(dir)) {
      const text = readFileSync(file, 'utf8');
      expect(() => parseFile(text, file), relative(REPO, file)).not.toThrow();
    }
    for (const [key, list] of Object.entries(expected)) {
      const file = join(dir, 'invalid', key);
      if (!existsSync(file)) continue; // reported by the test above
      const lines = readFileSync(file, 'utf8').split(/\r\n|\n/);
      for (const e of list) {
        const line = lines[e.line - 1];
        expect(line !== undefined && e.column <= line.length, `${key}:${e.line}:${e.column} is outside the file`).toBe(true);
        expect(/\s/.test(line![e.column - 1]!), `${key}:${e.line}:${e.column} points at white space`).toBe(false);
      }
    }
  });
});

describe.each([...new Set<string>([...RULE_IDS, ...rules.map((r) => r.id)])])('rules/%s/README.md', (id) => {
  const file = docOf(id);

  it('exists, is titled with the id and has the required sections', () => {
    expect(existsSync(file), `${file} is missing`).toBe(true);
    const md = readFileSync(file, 'utf8');
    expect(md.split('\n')[0]).toBe(`# ${id}`);
    const headings = [...md.matchAll(/^##\s+(.+?)\s*$/gm)].map((m) => m[1]);
    for (const s of DOC_SECTIONS) expect(headings, `${id}.md needs a "## ${s}" section`).toContain(s);
    expect(md).toMatch(/```[a-z]*\n[\s\S]+?```/); // a code example in Before / after
    expect(md).toContain(`sc-migrate-ignore-next-line ${id}`);
  });

  it('states the same severity and fix kind as the rule', () => {
    const rule = rules.find((r) => r.id === id)?.rule;
    expect(rule, `rule ${id} is not in allRules yet`).toBeDefined();
    const md = readFileSync(file, 'utf8');
    const meta = rule!.meta.docs.scMigrate;
    expect(md).toMatch(new RegExp(`^\\*\\*Severity:\\*\\* ${meta.severity}\\b`, 'm'));
    expect(md).toMatch(new RegExp(`^\\*\\*Fix:\\*\\* ${meta.fixKind}\\b`, 'm'));
    expect(rule!.meta.docs.url.endsWith(`/rules/${id}/README.md`)).toBe(true);
  });
});
