/**
 * `npm run new-rule -- <id>` (scripts/new-rule.mjs): scaffolded into a temporary copy of the
 * project, the new rule is registered (rules/index.ts, src/fix/providers.ts, transforms/) and passes
 * the rule tests, the RuleTester, the walls, the fix ownership tests and the type check as generated.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO } from './fixtures.js';

const ID = 'no-scaffold-example';
const SCRIPT = join(REPO, 'scripts', 'new-rule.mjs');
let copy = '';

beforeAll(() => {
  copy = mkdtempSync(join(tmpdir(), 'sc-new-rule-'));
  for (const p of ['src', 'rules', 'scripts', 'transforms', 'bench', 'test/rules', 'test/eslint-plugin', 'test/fix', 'test/walls.test.ts', 'test/setup-parser.ts', 'package.json', 'tsconfig.json', 'vitest.config.ts']) {
    if (existsSync(join(REPO, p))) cpSync(join(REPO, p), join(copy, p), { recursive: true });
  }
  rmSync(join(copy, 'test/rules/new-rule.test.ts')); // no recursion
  symlinkSync(join(REPO, 'node_modules'), join(copy, 'node_modules'), 'dir');
});
afterAll(() => { if (copy) rmSync(copy, { recursive: true, force: true }); });

const scaffold = (...args: string[]) => spawnSync(process.execPath, [SCRIPT, ...args, '--root', copy], { encoding: 'utf8' });

describe('npm run new-rule', () => {
  it('refuses a bad id and an existing rule, and changes nothing', () => {
    const before = readFileSync(join(copy, 'rules/index.ts'), 'utf8');
    for (const bad of ['Bad_Id', 'single', 'no-insecure-http']) {
      const r = scaffold(bad);
      expect(r.status, bad).toBe(2);
      expect(r.stderr).toMatch(/new-rule: /);
    }
    expect(readFileSync(join(copy, 'rules/index.ts'), 'utf8')).toBe(before);
  });

  it('creates rules/<id>/{rule.ts,README.md,fixtures/} and registers it', () => {
    const r = scaffold(ID);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    for (const f of ['rule.ts', 'fix.ts', 'README.md', 'fixtures/expected.json', 'fixtures/invalid/case-1.js', 'fixtures/valid/case-8.js']) {
      expect(existsSync(join(copy, 'rules', ID, f)), f).toBe(true);
    }
    expect(existsSync(join(copy, 'transforms', `${ID}.ts`))).toBe(true);
    expect(readFileSync(join(copy, 'src/fix/providers.ts'), 'utf8')).toMatch(/noScaffoldExample,\n\];/);
    const index = readFileSync(join(copy, 'rules/index.ts'), 'utf8');
    expect(index).toContain(`import noScaffoldExample from './${ID}/rule.js';`);
    expect(index).toMatch(/noScaffoldExample,\n\] as ScRule\[\];/);
  });

  it('the new rule passes the rule tests, the RuleTester, the walls and the fix ownership tests', () => {
    const files = ['test/rules/rules.test.ts', 'test/eslint-plugin/rule-tester.test.ts', 'test/walls.test.ts', 'test/fix/ownership.test.ts'];
    const report = join(copy, 'vitest-report.json');
    const r = spawnSync(process.execPath, [join(REPO, 'node_modules/vitest/vitest.mjs'), 'run', ...files, '--reporter=json', `--outputFile=${report}`],
      { cwd: copy, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
    expect(existsSync(report), `vitest wrote no report:\n${r.stdout}\n${r.stderr}`.slice(0, 4000)).toBe(true);
    const json = JSON.parse(readFileSync(report, 'utf8')) as {
      numFailedTests: number; numPassedTests: number;
      testResults: { assertionResults: { fullName: string; status: string; failureMessages: string[] }[] }[];
    };
    const results = json.testResults.flatMap((t) => t.assertionResults);
    const failed = results.filter((a) => a.status === 'failed').map((a) => `${a.fullName}\n${a.failureMessages.join('\n').slice(0, 600)}`);
    expect(failed, 'tests failing on the scaffolded rule').toEqual([]);
    expect(r.status).toBe(0);
    // The new rule's own tests ran: 8 invalid + 8 valid cases, fixtures, doc, RuleTester.
    expect(results.filter((a) => a.fullName.includes(ID) && a.status === 'passed').length).toBeGreaterThanOrEqual(20);
  }, 180_000);

  it('the new rule type-checks (with the compiler options of tsconfig.json)', () => {
    const opts = ['--noEmit', '--strict', '--target', 'ES2022', '--module', 'NodeNext', '--moduleResolution', 'NodeNext', '--skipLibCheck', '--lib', 'ES2023,DOM'];
    const r = spawnSync(process.execPath, [join(REPO, 'node_modules/typescript/bin/tsc'), ...opts, `rules/${ID}/rule.ts`, `rules/${ID}/fix.ts`, 'rules/index.ts', `transforms/${ID}.ts`], { cwd: copy, encoding: 'utf8' });
    expect(r.stdout + r.stderr).toBe('');
    expect(r.status).toBe(0);
  }, 180_000);
});
