/**
 * Parser parity: JavaScript and TypeScript are parsed by oxc (fast path); what oxc refuses goes to
 * acorn (plain JavaScript) and then typescript-estree. The oxc and acorn trees are in
 * typescript-estree's shape, so rules cannot tell the parsers apart:
 * - every JS / Vue / HTML file under fixtures/ gives the same findings (messages, positions,
 *   fixes, suggestions) with either parser, cross-file modules included;
 * - the trees themselves are equal (acorn's extra `start`/`end` offsets aside);
 * - snippets for syntax the fixtures lack, the fallbacks, and identical syntax errors.
 */
import { readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { walk } from './files.js';
import { describe, expect, it } from 'vitest';
import { allRules } from '../../rules/index.js';
import { createProjectContext, languageOf, lintText, parseFile, type Parsed, type ProjectContext } from '../../src/engine/index.js';
import { parseJs, parseOxc } from '../../src/engine/parse.js';

const REPO = resolve(fileURLToPath(new URL('../..', import.meta.url)));
const FIXTURES = join(REPO, 'fixtures');
type Mode = 'auto' | 'typescript-estree' | 'acorn';


/** Every fixture: fixtures/ (apps, transform pairs) and each rule's rules/<id>/fixtures/. */
const all = [...walk(FIXTURES), ...walk(join(REPO, 'rules')).filter((f) => f.includes(`${sep}fixtures${sep}`))];
/** JS and the script blocks of Vue / HTML: the files acorn may parse. */
const files = all.filter((f) => { const l = languageOf(f); return l === 'jsx' || l === 'vue' || l === 'html'; }).sort();
/** TypeScript: oxc or typescript-estree. */
const tsFiles = all.filter((f) => { const l = languageOf(f); return l === 'ts' || l === 'tsx'; }).sort();

/** A project context whose cross-file modules are parsed by the same parser as the file. */
function project(root: string, mode: Mode): ProjectContext {
  const ctx = createProjectContext({ root });
  const modules = new Map<string, Parsed | undefined>();
  ctx.loadModule = (p) => {
    if (modules.has(p)) return modules.get(p);
    modules.set(p, undefined);
    const text = ctx.readFile(p);
    let parsed: Parsed | undefined;
    if (text !== undefined && languageOf(p)) {
      try { parsed = parseFile(text, p, undefined, { parser: mode }); } catch { parsed = undefined; }
    }
    modules.set(p, parsed);
    return parsed;
  };
  return ctx;
}

function parse(text: string, file: string, mode: Mode): { parsed?: Parsed; error?: string } {
  try { return { parsed: parseFile(text, file, undefined, { parser: mode }) }; } catch (e) { return { error: (e as Error).message }; }
}

function findings(file: string, mode: Mode) {
  const text = readFileSync(file, 'utf8');
  const p = parse(text, file, mode);
  if (!p.parsed) return { error: p.error };
  const { findings: out, suppressed } = lintText({
    text, filename: file, displayPath: relative(REPO, file), rules: allRules, cwd: REPO, parsed: p.parsed,
    settings: { 'sc-migrate': { project: project(dirname(file), mode) } },
  });
  return { findings: out, suppressed };
}

/**
 * The tree without acorn's and oxc's `start`/`end` offsets (and without parents, should a runner
 * have set them). oxc writes `null` where typescript-estree leaves a field out (`typeAnnotation`,
 * `typeArguments`, `directive`...): absent and null are the same here. oxc keeps JSX text as
 * written (`&nbsp;`), typescript-estree decodes it: no rule reads JSX text, `raw` is compared.
 */
function plain(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(plain);
  if (!v || typeof v !== 'object' || v instanceof RegExp) return v;
  const out: Record<string, unknown> = {};
  const jsxText = (v as { type?: string }).type === 'JSXText';
  for (const [k, x] of Object.entries(v)) {
    if (k === 'parent' || ((k === 'start' || k === 'end') && typeof x === 'number') || x === null || x === undefined) continue;
    if (jsxText && k === 'value') continue;
    out[k] = plain(x);
  }
  return out;
}

function sameTree(text: string, file = 'snippet.js'): void {
  const a = parse(text, file, 'typescript-estree');
  for (const mode of ['auto', 'acorn'] as const) {
    const b = parse(text, file, mode);
    expect(b.error).toBe(a.error);
    if (a.parsed) expect(plain(b.parsed!.ast)).toEqual(plain(a.parsed.ast));
  }
}

describe('oxc, acorn and typescript-estree: same findings on fixtures/', () => {
  it('covers the JS and TS fixtures', () => {
    expect(files.length).toBeGreaterThan(200);
    expect(tsFiles.length).toBeGreaterThan(30);
  });
  it.each(files.map((f) => ({ name: relative(REPO, f), f })))('$name', ({ f }) => {
    const tse = findings(f, 'typescript-estree');
    expect(findings(f, 'auto')).toEqual(tse);
    expect(findings(f, 'acorn')).toEqual(tse);
  });
  it.each(tsFiles.map((f) => ({ name: relative(REPO, f), f })))('$name', ({ f }) => {
    expect(findings(f, 'auto')).toEqual(findings(f, 'typescript-estree'));
  });
});

describe('oxc, acorn and typescript-estree: same trees', () => {
  it('on every JS / Vue / HTML fixture', () => {
    for (const f of files) sameTree(readFileSync(f, 'utf8'), f);
  });
  it('on every TS fixture (oxc)', () => {
    for (const f of tsFiles) {
      const text = readFileSync(f, 'utf8');
      const a = parse(text, f, 'typescript-estree');
      const b = parse(text, f, 'auto');
      expect(b.error).toBe(a.error);
      if (a.parsed) expect(plain(b.parsed!.ast), f).toEqual(plain(a.parsed.ast));
    }
  });
  it.each([
    ['types', 'type A<T> = { a?: T; readonly b: string[] } | null;\ninterface I extends J { m(x: number): void }\nconst x = y as unknown as Z;\nconst n = v!;\nfunction f<T extends object>(this: Window, a?: T, ...r: number[]): asserts a is T {}\nlet s = w satisfies S;'],
    ['classes', 'abstract class A<T> implements I { private readonly x = 1; protected abstract m(): void; constructor(public p: string, private q?: number) { super(); } declare d: number; static override s?: string; }'],
    ['enums and namespaces', 'enum E { A = 1, B }\nconst enum F { X }\nnamespace N { export const k = 1; }\ndeclare module "m" { export function g(): void; }'],
    ['imports', "import type { T } from './t';\nimport { type U, v } from './u';\nexport type { T };\nexport = v;"],
    ['generics in calls', 'const r = await axios.get<Track[]>(`${API}/tracks`, { params: { q } });\nconst m = new Map<string, number>();'],
  ])('TypeScript: %s', (_name, text) => {
    const a = parse(text, 'snippet.ts', 'typescript-estree');
    const b = parse(text, 'snippet.ts', 'auto');
    expect(b.error).toBe(a.error);
    if (a.parsed) expect(plain(b.parsed!.ast)).toEqual(plain(a.parsed.ast));
  });

  it.each([
    ['templates', 'const u = `https://${host}/a${b ? `?x=${c}` : ""}`;\nconst t = tag`a${1}\n${2}b`;\nconst e = ``;'],
    ['classes', 'export default class A extends B { static #p = 1; q; r = 2; static { init(); } constructor() { super(); this.x = new.target; } get v() { return this.#p; } set v(x) {} async *gen() { for await (const y of z) yield y; } static m() { return #p in this; } }\nconst C = class {};'],
    ['modules', "#!/usr/bin/env node\n'use strict';\nimport a, { b as c } from './x.js';\nimport * as ns from 'y';\nexport * from './z.js';\nexport * as w from './w.js';\nexport { c as default2 };\nexport const k = import('./q.js');\nconsole.log(import.meta.url);"],
    ['script sourceType', 'var a = 1; /* block */ // line\nfunction f(x = 1, ...rest) { return x; }'],
    ['patterns', 'const { a, b: [c, ...d] = [], ...e } = o;\n[x = 1, { y }] = arr;\nfor (const [k, v] of m) ({ k } = v);\nconst f = ({ p = 2 }, [q]) => p + q;'],
    ['expressions', 'a?.b?.(c)?.[d]; x ??= y ||= z &&= w; const r = /a[b]c/giu; const big = 10n; const s = "\\u{1F600}"; label: for (;;) { break label; } delete o.p; void 0; typeof u; a ** b;'],
    ['jsx', 'const el = <div className="a" {...rest} data-x={1}>\n  text <b>bold</b>{" "}{cond && <Foo.Bar />}<></>\n  Log in\n</div>;'],
    ['top-level return (CommonJS)', 'if (!module.parent) return;\nmodule.exports = { a: require("./a") };'],
    ['sloppy mode (falls back)', 'with (obj) { x = 010; }'],
    ['TypeScript in a .js file (falls back)', 'const x: number = 1;\nfunction f<T>(a: T): T { return a; }'],
    ['decorators (falls back)', '@dec class A { @m() method() {} }'],
    ['syntax error', 'const = 1;'],
    ['unterminated', 'fetch(`https://api.soundcloud.com/tracks'],
  ])('%s', (_name, text) => {
    sameTree(text);
  });

  it('parses JS and TS with oxc, and leaves sloppy mode and top-level returns to the others', () => {
    expect(parseOxc('const a = 1;', 'jsx')).toBeDefined();
    expect(parseOxc('const x: number = 1;', 'ts')).toBeDefined();
    expect(parseOxc('with (o) {}', 'jsx')).toBeUndefined();
  });

  it('parses plain JS with acorn, and leaves TS syntax and sloppy mode to typescript-estree', () => {
    expect(parseJs('const a = 1;')).toBeDefined();
    expect(parseJs('const x: number = 1;')).toBeUndefined();
    expect(parseJs('with (o) {}')).toBeUndefined();
  });
});
