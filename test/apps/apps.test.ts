/**
 * The fixture apps (fixtures/apps/<name>/): small realistic projects in different styles, each
 * with the exact findings a scan must produce (expected.json: ruleId, file relative to the app,
 * line) and a scripted scenario (scenario.mjs) for the behavioural tests of `fix`.
 * Every source file of an app (.js .jsx .ts .tsx .mjs .cjs .mts .cts, .vue and .html script
 * blocks) is linted with every rule and a project context rooted at the app; the findings must
 * equal expected.json exactly: nothing missing, nothing extra.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { lintText } from '../../src/engine/linter.js';
import { createProjectContext } from '../../src/engine/project.js';
import { languageOf } from '../../src/engine/parse.js';
import { allRules } from '../../rules/index.js';
import { RULE_IDS as ALL_RULE_IDS } from '../rules/fixtures.js';

const APPS = fileURLToPath(new URL('../../fixtures/apps/', import.meta.url));
const RULE_IDS = new Set(ALL_RULE_IDS);

interface Expected { ruleId: string; file: string; line: number }

const apps = readdirSync(APPS)
  .filter((name) => !name.startsWith('_') && existsSync(join(APPS, name, 'expected.json')))
  .sort();

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name === 'dist' || entry.name.startsWith('.')) continue;
    const p = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...sourceFiles(p));
    else if (languageOf(p)) out.push(p);
  }
  return out.sort();
}

const toPosix = (p: string) => p.split(sep).join('/');
const byLocation = (a: Expected, b: Expected) =>
  a.file.localeCompare(b.file) || a.line - b.line || a.ruleId.localeCompare(b.ruleId);

function scanApp(appDir: string): Expected[] {
  const project = createProjectContext({ root: appDir });
  const found: Expected[] = [];
  for (const file of sourceFiles(appDir)) {
    const rel = toPosix(relative(appDir, file));
    const { findings } = lintText({
      text: readFileSync(file, 'utf8'),
      filename: file,
      displayPath: rel,
      rules: allRules,
      cwd: appDir,
      settings: { 'sc-migrate': { project } },
    });
    for (const f of findings) found.push({ ruleId: f.ruleId, file: rel, line: f.line });
  }
  return found.sort(byLocation);
}

it('has at least six fixture apps, one of them clean', () => {
  expect(apps.length).toBeGreaterThanOrEqual(6);
  expect(apps).toContain('clean-modern');
});

describe.each(apps)('fixtures/apps/%s', (name) => {
  const appDir = join(APPS, name);
  const expected = JSON.parse(readFileSync(join(appDir, 'expected.json'), 'utf8')) as Expected[];

  it('has a well-formed expected.json (known rules, sorted, pointing at real lines)', () => {
    expect(existsSync(join(appDir, 'package.json'))).toBe(true);
    expect([...expected].sort(byLocation)).toEqual(expected);
    for (const e of expected) {
      expect(Object.keys(e).sort()).toEqual(['file', 'line', 'ruleId']);
      expect(RULE_IDS.has(e.ruleId), e.ruleId).toBe(true);
      const path = join(appDir, e.file);
      expect(existsSync(path) && statSync(path).isFile(), e.file).toBe(true);
      const lines = readFileSync(path, 'utf8').split('\n');
      expect(e.line).toBeGreaterThanOrEqual(1);
      expect(lines[e.line - 1]?.trim(), `${e.file}:${e.line} is blank`).toBeTruthy();
    }
    const keys = expected.map((e) => `${e.ruleId} ${e.file}:${e.line}`);
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('has a scripted scenario exporting run({ env })', () => {
    const scenario = join(appDir, 'scenario.mjs');
    expect(existsSync(scenario)).toBe(true);
    expect(readFileSync(scenario, 'utf8')).toMatch(/export async function run\(\{ env/);
  });

  it('produces exactly the expected findings', () => {
    expect(scanApp(appDir)).toEqual(expected);
  });
});
