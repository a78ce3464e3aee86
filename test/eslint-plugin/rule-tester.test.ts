/**
 * ESLint's RuleTester for every rule, with the single-file cases of rules/<id>/fixtures/
 * (file cases and helper modules; folder cases are project-level and covered by the app run).
 * - valid/<file>: no error.
 * - invalid/<file>: exactly the findings of expected.json (line, column, messageId: the
 *   specification), with the `output` of one fix pass (auto rules) and the `suggestions`
 *   (desc + output) the rule gives there. Fix / suggestion texts come from the sc-migrate runner
 *   on the same file, so this also checks that ESLint passes the rules the same facts (AST,
 *   text, parser services) as the runner.
 * Each case gets the project context of test/rules (its own file plus lib/) through
 * `settings['sc-migrate'].project`, as the CLI does, so cases do not see their siblings.
 */
import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { RuleTester } from 'eslint';
import { describe, it } from 'vitest';
import { allRules } from '../../rules/index.js';
import { lintText, ruleId, type Finding, type ScRule } from '../../src/engine/index.js';
import { REPO, casesOf, projectFor, readExpected, type FixtureCase } from '../rules/fixtures.js';
import { applyOnePass, languageOptionsFor, plugin } from './helpers.js';
// @ts-expect-error plain JS helper without types
import { runTester } from './run-tester.js';

RuleTester.describe = describe;
RuleTester.it = it;
RuleTester.itOnly = it.only;

const tester = new RuleTester();

/** The runner's findings of one rule for one file, with the case's project. */
function runnerFindings(rule: ScRule, c: FixtureCase, path: string, text: string): Finding[] {
  const project = projectFor(c);
  return lintText({ text, filename: path, rules: [rule], settings: { 'sc-migrate': { project } }, cwd: REPO }).findings
    .filter((f) => f.ruleId === ruleId(rule));
}

for (const rule of allRules) {
  const id = ruleId(rule);
  const expected = readExpected(id);
  const single = (kind: 'valid' | 'invalid') => casesOf(id, kind).filter((c) => c.shape !== 'folder');
  const valid: RuleTester.ValidTestCase[] = [];
  const invalid: RuleTester.InvalidTestCase[] = [];

  for (const c of [...single('valid'), ...single('invalid')]) {
    const { path, key } = c.files[0]!;
    const code = readFileSync(path, 'utf8');
    const base = {
      name: `${c.kind}/${key}`,
      code,
      filename: path,
      languageOptions: languageOptionsFor(path),
      settings: { 'sc-migrate': { project: projectFor(c) } },
    };
    const want = c.kind === 'invalid' ? expected[key] ?? [] : [];
    if (!want.length) { valid.push(base as RuleTester.ValidTestCase); continue; }

    const found = runnerFindings(rule, c, path, code);
    const at = (line: number, column: number, messageId?: string) =>
      found.find((f) => f.line === line && f.column === column && (messageId === undefined || f.messageId === messageId));
    const positions = [...want].sort((a, b) => a.line - b.line || a.column - b.column);
    const errors = positions.map(({ line, column, messageId }) => {
      if (!messageId) throw new Error(`${id}: expected.json ${key}:${line}:${column} names no messageId`);
      const f = at(line, column, messageId);
      const error: RuleTester.TestCaseError = { line, column, messageId };
      if (f?.suggestions?.length) {
        error.suggestions = f.suggestions.map((s) => ({ desc: s.message, output: applyOnePass(code, [s.edits]) }));
      } else if (rule.meta.hasSuggestions) {
        error.suggestions = [];
      }
      return error;
    });
    const fixes = positions.flatMap(({ line, column, messageId }) => { const e = at(line, column, messageId)?.fix?.edits; return e ? [e] : []; });
    invalid.push({ ...base, errors, ...(fixes.length ? { output: applyOnePass(code, fixes) } : {}) } as RuleTester.InvalidTestCase);
  }

  describe(`sc-migrate/${id}`, () => {
    it('has single-file valid and invalid cases', () => {
      if (!valid.length || !invalid.length) throw new Error(`${id}: ${valid.length} valid / ${invalid.length} invalid cases`);
    });
    runTester(tester, id, plugin.rules[id], { valid, invalid });
  });
}

// Relative names in failures are easier to read.
export const fixtureName = (p: string) => relative(REPO, p);
