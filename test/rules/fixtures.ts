/**
 * Fixture discovery for the rule tests (see test/rules/README.md for the layout).
 *
 * rules/<id>/fixtures/
 *   expected.json            { "<path relative to invalid/>": [{ "line": 1, "column": 1, "messageId": "query" }, ...] }
 *   invalid/<file>           a case: one file, its own project (it may import invalid/lib/**)
 *   invalid/<folder>/...     a folder case: every file of the folder is one project
 *   invalid/lib/...          helper modules imported by file cases; a case only if expected.json lists it
 *   valid/...                the same layout; no file may produce a finding of the rule
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createProjectContext, languageOf, type ProjectContext } from '../../src/engine/index.js';

export const REPO = resolve(fileURLToPath(new URL('../..', import.meta.url)));
export const RULES_DIR = join(REPO, 'rules');
/** rules/<id>/fixtures: the rule's invalid/valid cases and expected.json. */
export const fixturesOf = (id: string): string => join(RULES_DIR, id, 'fixtures');
/** rules/<id>/README.md: the rule's doc. */
export const docOf = (id: string): string => join(RULES_DIR, id, 'README.md');

/**
 * The rule ids: the folders of rules/ that hold a rule.ts (a rule is found from its id in one
 * place). rules/index.ts must register exactly these (checked by rules.test.ts); ids are stable
 * (reports, configs and the ESLint plugin use them).
 */
export const RULE_IDS: readonly string[] = readdirSync(RULES_DIR, { withFileTypes: true })
  .filter((e) => e.isDirectory() && existsSync(join(RULES_DIR, e.name, 'rule.ts')))
  .map((e) => e.name)
  .sort();

export const LIB = 'lib';

/** One expected finding: where (1-based) and which of the rule's `meta.messages` (the spec, not the runner's output). */
export interface Expectation { line: number; column: number; messageId: string }
export type Expected = Record<string, Expectation[]>;

export interface FixtureFile {
  /** Absolute path. */
  path: string;
  /** Path relative to the kind folder (invalid/ or valid/), with `/` separators: the expected.json key. */
  key: string;
}

export interface FixtureCase {
  /** `invalid/<name>` or `valid/<name>`: the test name. */
  name: string;
  kind: 'invalid' | 'valid';
  /** 'file': one case file; 'folder': a folder project; 'lib': a helper module with expectations. */
  shape: 'file' | 'folder' | 'lib';
  /** Project root handed to the rules. */
  root: string;
  /** Files linted for this case. */
  files: FixtureFile[];
  /** Files the project may read besides `files` (helper modules). */
  allowed: (absPath: string) => boolean;
}

const toKey = (p: string) => p.split(sep).join('/');
const isDir = (p: string) => { try { return statSync(p).isDirectory(); } catch { return false; } };

/** Every lintable file below `dir` (recursively), sorted. */
export function walk(dir: string): string[] {
  if (!isDir(dir)) return [];
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...walk(p));
    else if (e.isFile() && languageOf(p)) out.push(p);
  }
  return out;
}

const under = (dir: string) => (p: string) => p === dir || p.startsWith(dir + sep);

export function readExpected(id: string): Expected {
  return JSON.parse(readFileSync(join(fixturesOf(id), 'expected.json'), 'utf8')) as Expected;
}

/** The cases of one rule and kind, in a stable order. */
export function casesOf(id: string, kind: 'invalid' | 'valid'): FixtureCase[] {
  const base = join(fixturesOf(id), kind);
  if (!isDir(base)) return [];
  const libDir = join(base, LIB);
  const inLib = under(libDir);
  const cases: FixtureCase[] = [];
  for (const e of readdirSync(base, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    const p = join(base, e.name);
    if (e.isFile() && languageOf(p)) {
      cases.push({ name: `${kind}/${e.name}`, kind, shape: 'file', root: base, files: [{ path: p, key: e.name }], allowed: (q) => q === p || inLib(q) });
    } else if (e.isDirectory() && e.name !== LIB) {
      const files = walk(p).map((f) => ({ path: f, key: toKey(relative(base, f)) }));
      cases.push({ name: `${kind}/${e.name}/`, kind, shape: 'folder', root: p, files, allowed: under(p) });
    }
  }
  // Helper modules: each is checked too (a listed one must match, an unlisted one must be clean).
  for (const f of walk(libDir)) {
    const key = toKey(relative(base, f));
    cases.push({ name: `${kind}/${key}`, kind, shape: 'lib', root: base, files: [{ path: f, key }], allowed: inLib });
  }
  return cases;
}

/** Cases that count towards the ">= 8 per rule": files, folders, and helper modules with expectations. */
export function countedCases(cases: FixtureCase[], expected: Expected): FixtureCase[] {
  return cases.filter((c) => c.shape !== 'lib' || (c.kind === 'invalid' && (expected[c.files[0]!.key]?.length ?? 0) > 0));
}

/** A project context limited to the case: its own files and the helper modules it may import. */
export function projectFor(c: FixtureCase): ProjectContext {
  const mine = new Set(c.files.map((f) => f.path));
  const ok = (p: string) => mine.has(p) || c.allowed(p);
  return createProjectContext({
    root: c.root,
    read: (p) => {
      if (!ok(p)) return undefined;
      try { return readFileSync(p, 'utf8'); } catch { return undefined; }
    },
    exists: (p) => { try { return ok(p) && statSync(p).isFile(); } catch { return false; } },
  });
}
