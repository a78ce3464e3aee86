/**
 * A real `new ESLint(...)` run (flat config of docs/eslint.md: espree for JS/JSX,
 * @typescript-eslint/parser for TS, vue-eslint-parser for .vue, the plugin's html parser for
 * .html) over every app of fixtures/apps. It must report exactly the findings of
 * fixtures/apps/<app>/expected.json (ruleId, file, line), the findings `sc-migrate scan` must
 * produce, and exactly what the sc-migrate runner reports on the same files.
 * No project context is passed: rules fall back to the disk-backed project rooted at the app's
 * package.json, as in an editor.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';
import { allRules } from '../../rules/index.js';
import { createProjectContext, languageOf, lintText } from '../../src/engine/index.js';
import { appConfig } from './helpers.js';

const APPS = fileURLToPath(new URL('../../fixtures/apps/', import.meta.url));
interface Row { ruleId: string; file: string; line: number }

const apps = readdirSync(APPS).filter((n) => !n.startsWith('_') && existsSync(join(APPS, n, 'expected.json'))).sort();
const toPosix = (p: string) => p.split(sep).join('/');
const byLocation = (a: Row, b: Row) => a.file.localeCompare(b.file) || a.line - b.line || a.ruleId.localeCompare(b.ruleId);

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    if (e.name === 'node_modules' || e.name === 'dist' || e.name.startsWith('.')) continue;
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...sourceFiles(p));
    else if (languageOf(p)) out.push(p);
  }
  return out.sort();
}

async function eslintApp(appDir: string): Promise<{ rows: Row[]; fatal: string[]; linted: string[] }> {
  const eslint = new ESLint({ cwd: appDir, overrideConfigFile: true, overrideConfig: appConfig('strict') as never });
  const results = await eslint.lintFiles(['.']);
  const rows: Row[] = [];
  const fatal: string[] = [];
  for (const r of results) {
    const file = toPosix(relative(appDir, r.filePath));
    for (const m of r.messages) {
      if (m.fatal || !m.ruleId) fatal.push(`${file}:${m.line}: ${m.message}`);
      else rows.push({ ruleId: m.ruleId.replace(/^sc-migrate\//, ''), file, line: m.line });
    }
  }
  return { rows: rows.sort(byLocation), fatal, linted: results.map((r) => toPosix(relative(appDir, r.filePath))).sort() };
}

function runnerApp(appDir: string): Row[] {
  const project = createProjectContext({ root: appDir });
  const rows: Row[] = [];
  for (const file of sourceFiles(appDir)) {
    const rel = toPosix(relative(appDir, file));
    const { findings } = lintText({ text: readFileSync(file, 'utf8'), filename: file, rules: allRules, cwd: appDir, settings: { 'sc-migrate': { project } } });
    for (const f of findings) rows.push({ ruleId: f.ruleId, file: rel, line: f.line });
  }
  return rows.sort(byLocation);
}

describe.each(apps)('eslint over fixtures/apps/%s', (name) => {
  const appDir = join(APPS, name);

  it('lints every source file the scan reads, without parse errors', async () => {
    const { fatal, linted } = await eslintApp(appDir);
    expect(fatal).toEqual([]);
    expect(linted).toEqual(sourceFiles(appDir).map((f) => toPosix(relative(appDir, f))));
  });

  it('reports exactly expected.json (the findings of sc-migrate scan)', async () => {
    const expected = JSON.parse(readFileSync(join(appDir, 'expected.json'), 'utf8')) as Row[];
    expect((await eslintApp(appDir)).rows).toEqual([...expected].sort(byLocation));
  });

  it('reports exactly what the sc-migrate runner reports', async () => {
    expect((await eslintApp(appDir)).rows).toEqual(runnerApp(appDir));
  });
});
