/**
 * Fixture pairs of fixtures/transforms: <rule-id>/<case>.input.<ext> -> <case>.output.<ext>, also
 * one folder deeper (<rule-id>/<project>/...: a folder with its own package.json is its own project,
 * for project-level rules such as require-token-refresh).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';
import { createProjectContext, type ProjectContext } from '../../src/engine/project.js';
import { allRules } from '../../rules/index.js';
import { fixFiles, fixText, type FixTextResult } from '../../src/fix/apply.js';

export const PAIRS_DIR = resolve(import.meta.dirname, '../../fixtures/transforms');

export interface Pair { rule: string; name: string; input: string; output: string; project?: string }

export function pairs(): Pair[] {
  const out: Pair[] = [];
  // project: the <rule>/<project> folder, when the case lies in one (its sub-folders belong to it)
  const add = (rule: string, dir: string, prefix: string, project?: string) => {
    for (const e of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      if (e.isDirectory()) { add(rule, join(dir, e.name), `${prefix}${e.name}/`, project ?? join(dir, e.name)); continue; }
      const m = /^(.*)\.input\.(\w+)$/.exec(e.name);
      if (!m) continue;
      out.push({ rule, name: prefix + e.name, input: join(dir, e.name), output: join(dir, `${m[1]}.output.${m[2]}`), ...(project ? { project } : {}) });
    }
  };
  for (const rule of readdirSync(PAIRS_DIR).sort()) if (rule !== 'cross-file') add(rule, join(PAIRS_DIR, rule), '');
  return out;
}

/** Suggestions are applied for cases named `*.suggest.input.*`. */
export function fixPairText(text: string, file: string): FixTextResult {
  const project = projectOfPair(file);
  return fixText(text, { filename: file, rules: allRules, suggestions: /\.suggest\.input\./.test(file), ...(project ? { project } : {}) });
}

/** A case two or more folders below its rule folder is fixed in the project of `<rule>/<project>` (as the CLI would). */
function projectOfPair(file: string): ProjectContext | undefined {
  const parts = relative(PAIRS_DIR, file).split(sep);
  if (parts.length < 4) return undefined;
  return createProjectContext({ root: join(PAIRS_DIR, parts[0]!, parts[1]!) });
}

export const read = (p: string) => readFileSync(p, 'utf8');

/**
 * Cross-file cases: fixtures/transforms/cross-file/<case>/input/** (a small project) ->
 * output/** (every file after `fixFiles` over the whole project; unchanged files are copied too).
 */
export const CROSS_DIR = join(PAIRS_DIR, 'cross-file');

export function crossCases(): { name: string; input: string; output: string }[] {
  return readdirSync(CROSS_DIR).sort().map((name) => ({ name, input: join(CROSS_DIR, name, 'input'), output: join(CROSS_DIR, name, 'output') }));
}

export function projectFiles(dir: string): { path: string; text: string }[] {
  const walk = (d: string): string[] => readdirSync(d, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))
    .flatMap((e) => (e.isDirectory() ? walk(join(d, e.name)) : [join(d, e.name)]));
  return walk(dir).map((p) => ({ path: p, text: readFileSync(p, 'utf8') }));
}

/** fixFiles over a cross-file case's input (dry): relative path -> text after. */
export async function fixProject(dir: string): Promise<Map<string, { status: string; after: string; markers: number }>> {
  const { results } = await fixFiles({ files: projectFiles(dir), rules: allRules, cwd: dir, dry: true });
  return new Map(results.map((r) => [relative(dir, resolve(dir, r.file)).split(sep).join('/'), { status: r.status, after: r.after, markers: r.markers }]));
}
