/**
 * The module walls (docs/architecture.md), checked on the real import graph: every .ts file of
 * src/ and rules/ is parsed with the TypeScript API, its imports (static, `export ... from`,
 * `import type`, `import()`, `typeof import()`, `require()`) are resolved to files, and a wall
 * holds when no file reachable from one side (transitively) lies on the other side.
 *
 * - rules and engine: nothing of the CLI, the reporters, git or fix;
 * - report, git, fix, rules, engine: nothing of src/cli;
 * - runtime: nothing of the scanner (nor any other part of sc-migrate), relative imports only,
 *   no static node: import (it runs in browser bundles);
 * - mock API: nothing of the runtime (nor of the scanner).
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(fileURLToPath(new URL('..', import.meta.url)));
const rel = (p: string) => relative(ROOT, p).split(sep).join('/');

export interface Import { spec: string; kind: 'static' | 'dynamic'; typeOnly: boolean; target: string }

/** Every import of one file, resolved: a repo-relative path for a relative import, the specifier otherwise. */
export function importsOf(file: string, text = readFileSync(file, 'utf8')): Import[] {
  const sf = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const out: Import[] = [];
  const add = (lit: ts.Node | undefined, kind: Import['kind'], typeOnly: boolean) => {
    if (lit && ts.isStringLiteralLike(lit)) out.push({ spec: lit.text, kind, typeOnly, target: resolveSpec(file, lit.text) });
  };
  const visit = (n: ts.Node): void => {
    if (ts.isImportDeclaration(n)) add(n.moduleSpecifier, 'static', !!n.importClause?.isTypeOnly);
    else if (ts.isExportDeclaration(n)) add(n.moduleSpecifier, 'static', n.isTypeOnly);
    else if (ts.isImportEqualsDeclaration(n) && ts.isExternalModuleReference(n.moduleReference)) add(n.moduleReference.expression, 'static', n.isTypeOnly);
    else if (ts.isImportTypeNode(n) && ts.isLiteralTypeNode(n.argument)) add(n.argument.literal, 'static', true);
    else if (ts.isCallExpression(n) && (n.expression.kind === ts.SyntaxKind.ImportKeyword || (ts.isIdentifier(n.expression) && n.expression.text === 'require'))) {
      const arg = n.arguments[0];
      // `import(x as string)`: look through the assertion.
      add(arg && (ts.isAsExpression(arg) ? arg.expression : arg), 'dynamic', false);
    }
    ts.forEachChild(n, visit);
  };
  visit(sf);
  return out;
}

function resolveSpec(from: string, spec: string): string {
  if (!spec.startsWith('.')) return spec;
  const base = resolve(dirname(from), spec);
  const candidates = [base.replace(/\.js$/, '.ts'), base.replace(/\.mjs$/, '.mts'), base, `${base}.ts`, join(base, 'index.ts')];
  const hit = candidates.find((c) => existsSync(c) && statSync(c).isFile());
  return rel(hit ?? base);
}

function tsFiles(dir: string): string[] {
  const abs = join(ROOT, dir);
  if (!existsSync(abs)) return [];
  const out: string[] = [];
  for (const e of readdirSync(abs, { withFileTypes: true })) {
    const p = join(abs, e.name);
    if (e.isDirectory()) { if (e.name !== 'fixtures' && e.name !== 'node_modules') out.push(...tsFiles(rel(p))); }
    else if (/\.(m|c)?ts$/.test(e.name) && !e.name.endsWith('.d.ts')) out.push(rel(p));
  }
  return out.sort();
}

/** The import graph of src/ and rules/: file -> its imports. */
const GRAPH = new Map<string, Import[]>([...tsFiles('src'), ...tsFiles('rules')].map((f) => [f, importsOf(join(ROOT, f))]));

/** Files reachable from `start` (itself excluded), each with the chain that reaches it. */
export function reachable(start: string, graph = GRAPH): Map<string, string[]> {
  const seen = new Map<string, string[]>();
  const todo: { file: string; chain: string[] }[] = [{ file: start, chain: [start] }];
  while (todo.length) {
    const { file, chain } = todo.shift()!;
    for (const imp of graph.get(file) ?? []) {
      if (seen.has(imp.target) || imp.target === start) continue;
      const next = [...chain, imp.target];
      seen.set(imp.target, next);
      if (graph.has(imp.target)) todo.push({ file: imp.target, chain: next });
    }
  }
  return seen;
}

const inside = (dir: string) => (f: string) => f === dir || f.startsWith(`${dir}/`);
const CLI = inside('src/cli');
const REPORT = inside('src/report');
const GIT = inside('src/git');
const FIX = inside('src/fix');
const RUNTIME = inside('src/runtime');
const OURS = (f: string) => inside('src')(f) || inside('rules')(f) || inside('transforms')(f);

/** A rule's fix (rules/<id>/fix.ts) is part of `fix`: it sits beside the rule, not on the detection side. */
const RULE_FIX = (f: string) => /^rules\/[^/]+\/fix\.ts$/.test(f);

/** Every (from, to, chain) where a file of `sides` (rule fixes excepted) reaches a forbidden file. */
function breaches(sides: string[], forbidden: (f: string) => boolean): string[] {
  const out: string[] = [];
  for (const from of [...GRAPH.keys()].filter((f) => !RULE_FIX(f) && sides.some((s) => inside(s)(f)))) {
    for (const [to, chain] of reachable(from)) if (forbidden(to)) out.push(chain.join(' -> '));
  }
  return out;
}

describe('the import graph', () => {
  it('covers every part of the project and resolves every relative import to a file', () => {
    for (const dir of ['src/cli', 'src/scan', 'src/engine', 'src/engine/analysis', 'src/fix', 'src/report', 'src/git', 'src/runtime', 'src/mock-api', 'src/eslint-plugin', 'rules']) {
      expect([...GRAPH.keys()].some((f) => dirname(f) === dir), dir).toBe(true);
    }
    for (const [file, imports] of GRAPH) {
      for (const i of imports) if (i.spec.startsWith('.')) expect(existsSync(join(ROOT, i.target)), `${file}: ${i.spec}`).toBe(true);
    }
  });

  it('sees static, type-only, re-export, dynamic and require imports (so a wall can fail)', () => {
    const src = [
      "import { a } from './parse.js';", "import type { B } from '../b.js';", "export * from './c.js';",
      "const d = await import('./d.js');", "type E = typeof import('./e.js');", "const f = require('./f.cjs');",
      "const g = await import('oxc-parser/x.js' as string);",
    ].join('\n');
    const got = importsOf(join(ROOT, 'src/engine/x.ts'), src).map((i) => `${i.kind}${i.typeOnly ? ' type' : ''} ${i.target}`);
    expect(got).toEqual([
      'static src/engine/parse.ts', 'static type src/b.js', 'static src/engine/c.js', 'dynamic src/engine/d.js',
      'static type src/engine/e.js', 'dynamic src/engine/f.cjs', 'dynamic oxc-parser/x.js',
    ]);
    const graph = new Map<string, Import[]>([
      ['src/engine/x.ts', [{ spec: './y.js', kind: 'static', typeOnly: false, target: 'src/engine/y.ts' }]],
      ['src/engine/y.ts', [{ spec: '../cli/main.js', kind: 'dynamic', typeOnly: false, target: 'src/cli/main.ts' }]],
    ]);
    expect([...reachable('src/engine/x.ts', graph).entries()]).toEqual([
      ['src/engine/y.ts', ['src/engine/x.ts', 'src/engine/y.ts']],
      ['src/cli/main.ts', ['src/engine/x.ts', 'src/engine/y.ts', 'src/cli/main.ts']],
    ]);
  });
});

describe('module walls', () => {
  it('rules (detection: rule.ts, index.ts) and engine reach nothing of the CLI, reporters, git or fix', () => {
    expect(breaches(['rules', 'src/engine'], (f) => CLI(f) || REPORT(f) || GIT(f) || FIX(f) || RULE_FIX(f))).toEqual([]);
  });

  it("a rule's fix (rules/<id>/fix.ts) reaches nothing of the CLI, reporters or git", () => {
    const out: string[] = [];
    for (const from of [...GRAPH.keys()].filter(RULE_FIX)) for (const [to, chain] of reachable(from)) if (CLI(to) || GIT(to) || REPORT(to)) out.push(chain.join(' -> '));
    expect(out).toEqual([]);
  });

  it('report, git, fix, rules and engine reach nothing of src/cli', () => {
    expect(breaches(['src/report', 'src/git', 'src/fix', 'rules', 'src/engine'], CLI)).toEqual([]);
  });

  it('reporters reach nothing of the CLI', () => {
    expect(breaches(['src/report'], CLI)).toEqual([]);
  });

  it('runtime: reaches nothing of the scanner (no other part of sc-migrate, no package)', () => {
    expect(breaches(['src/runtime'], (f) => !RUNTIME(f) && !f.startsWith('node:'))).toEqual([]);
  });

  it('runtime: relative imports only, no static node: import (browser bundles)', () => {
    for (const [f, imports] of GRAPH) {
      if (!RUNTIME(f)) continue;
      for (const i of imports) {
        if (i.typeOnly && i.spec.startsWith('node:')) continue; // erased at build time
        if (i.kind === 'static') expect(i.spec, `${f} imports ${i.spec}`).toMatch(/^\.\/[\w-]+\.js$/);
        else expect(f, `dynamic ${i.spec}`).toBe('src/runtime/file-token-store.ts');
      }
    }
  });

  it('mock API: reaches nothing of the runtime, and shares no code with the scanner (node: and its own files only)', () => {
    expect(breaches(['src/mock-api'], RUNTIME)).toEqual([]);
    expect(breaches(['src/mock-api'], (f) => !inside('src/mock-api')(f) && !f.startsWith('node:'))).toEqual([]);
  });

  it('no file outside src/cli imports from it', () => {
    const out: string[] = [];
    for (const [f, imports] of GRAPH) if (!CLI(f)) for (const i of imports) if (CLI(i.target)) out.push(`${f} -> ${i.target}`);
    expect(out).toEqual([]);
  });

  it('every reached file of ours exists in the graph (no wall is skipped through an unparsed file)', () => {
    const missing = new Set<string>();
    for (const f of GRAPH.keys()) for (const to of reachable(f).keys()) if (OURS(to) && /\.(m|c)?ts$/.test(to) && !GRAPH.has(to)) missing.add(to);
    expect([...missing]).toEqual([]);
  });
});
