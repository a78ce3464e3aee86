/**
 * Constant propagation for strings: what text can an expression hold? Follows literals, template
 * literals, `+`, bindings in scope, object properties (`config.api.base`), exports of other files
 * of the tree (ESM and CommonJS), small helper functions (evaluated with their arguments), and a
 * few string methods. Unknown pieces stay as holes that remember their name (`song.streamUrl`).
 * Every known piece remembers the literal that wrote it, so a finding lands on that literal.
 */
import type { TSESTree } from '@typescript-eslint/typescript-estree';
import { ensureParents, forEachChild, traverse } from '../walk.js';
import type { ProjectContext } from '../project.js';
import { resolveBinding, declarationsOf, programOf, enclosingClassBody, enclosingFunction, type Binding } from './scope.js';
import { projectFiles } from './project-facts.js';
import { memberWrites, pageGlobal } from './page-globals.js';
import { dirname as dirnamePath, join as joinPath } from 'node:path';
import { envHostFor, projectEnvHosts } from '../env-files.js';

type N = TSESTree.Node;

/**
 * `quasi`: the template element that wrote the text, when the owner is a template literal.
 * `envFile`: the value of `process.env.NAME` set by an env file (env-files.ts): `file` is that env
 * file and `owner` the code that reads it, so no finding and no edit lands on it as on a literal.
 */
export interface TextPart { kind: 'text'; text: string; owner: N; file: string; quasi?: TSESTree.TemplateElement; envFile?: true }
export interface HolePart { kind: 'hole'; node: N; name: string; file: string }
export type Part = TextPart | HolePart;
export type Str = Part[];

export interface Env {
  filename: string;
  project?: ProjectContext;
  depth: number;
  /** Arguments bound to a helper's parameters while evaluating its body. */
  args?: Map<N, { node: N | undefined; env: Env }>;
}

const MAX_DEPTH = 12;
const MAX_ALTS = 6;

/** Envs one step down, per env and depth: made once, not an object spread per evaluation. */
const deeperEnvs = new WeakMap<Env, Env[]>();

/** `{ ...env, depth }`, the same object for the same env and depth (also keys resolveFunction's memo). */
export function withDepth(env: Env, depth: number): Env {
  if (env.depth === depth) return env;
  let byDepth = deeperEnvs.get(env);
  if (!byDepth) deeperEnvs.set(env, (byDepth = []));
  return (byDepth[depth] ??= { ...env, depth });
}

export const unwrap = (n: N): N => {
  let x = n;
  while (x.type === 'TSAsExpression' || x.type === 'TSNonNullExpression' || x.type === 'TSSatisfiesExpression' || x.type === 'TSTypeAssertion' || x.type === 'ChainExpression') x = x.expression;
  return x;
};

/** A string literal's text, or a template literal's with no placeholder (`` `/connect` ``); else undefined. */
export const plainText = (n: N | undefined): string | undefined =>
  n?.type === 'Literal' && typeof n.value === 'string' ? n.value : n?.type === 'TemplateLiteral' && !n.expressions.length ? n.quasis[0]!.value.cooked ?? undefined : undefined;

export const propName = (p: TSESTree.Property | TSESTree.MemberExpression | TSESTree.PropertyDefinition | TSESTree.MethodDefinition): string | undefined => {
  const key = p.type === 'MemberExpression' ? p.property : p.key;
  if (!p.computed && key.type === 'Identifier') return key.name;
  // a private class member (`this.#fetch`, `#fetch() {}`): its own name, apart from a public `fetch`
  if (key.type === 'PrivateIdentifier') return `#${key.name}`;
  if (key.type === 'Literal' && (typeof key.value === 'string' || typeof key.value === 'number')) return String(key.value);
  if (key.type === 'TemplateLiteral' && key.expressions.length === 0) return key.quasis[0]!.value.cooked ?? undefined;
  return undefined;
};

export function nameOf(n: N): string {
  const x = unwrap(n);
  if (x.type === 'Identifier') return x.name;
  if (x.type === 'ThisExpression') return 'this';
  if (x.type === 'MemberExpression') return `${nameOf(x.object)}.${propName(x) ?? '[]'}`;
  if (x.type === 'CallExpression') return `${nameOf(x.callee)}()`;
  return '';
}

const URL_MODULE = /^(node:)?url$/;
const isRequireOf = (n: N, re: RegExp): boolean => re.test(requireSpecifier(n) ?? '');

/**
 * The URLSearchParams constructor: the global, or the one of Node's `url` module or of the global
 * object (`import url from 'url'; new url.URLSearchParams(o)`, `require('url').URLSearchParams`,
 * `window.URLSearchParams`).
 */
export function isUrlSearchParamsCtor(callee: N): boolean {
  const c = unwrap(callee);
  if (c.type === 'Identifier') return c.name === 'URLSearchParams';
  if (c.type !== 'MemberExpression' || propName(c) !== 'URLSearchParams') return false;
  const obj = unwrap(c.object);
  if (isRequireOf(obj, URL_MODULE)) return true;
  if (obj.type !== 'Identifier') return false;
  if (/^(window|globalThis|self)$/.test(obj.name)) return true;
  return URL_MODULE.test(bindingSpecifier(resolveBinding(obj), false) ?? '');
}

const hole = (node: N, env: Env): Str[] => [[{ kind: 'hole', node, name: nameOf(node), file: env.filename }]];

/** Longest string kept, in parts: a longer one ends in a hole (bounds memory on long chains). */
const MAX_PARTS = 48;

function joinParts(x: Str, y: Str): Str {
  if (x.length + y.length <= MAX_PARTS) return [...x, ...y];
  const all = [...x, ...y].slice(0, MAX_PARTS - 1);
  const last = y[y.length - 1] ?? x[x.length - 1]!;
  all.push(last.kind === 'hole' ? last : { kind: 'hole', node: last.owner, name: '', file: last.file });
  return all;
}

/**
 * `product(acc, b)` where the caller owns the arrays of `acc` (made by it, not shared): with one
 * alternative in `b` (the usual case) each grows in place instead of being copied.
 */
function appendAlts(acc: Str[], b: Str[]): Str[] {
  if (b.length !== 1) return product(acc, b);
  const y = b[0]!;
  for (let i = 0; i < acc.length; i++) {
    const x = acc[i]!;
    if (x.length + y.length <= MAX_PARTS) { for (const p of y) x.push(p); } else acc[i] = joinParts(x, y);
  }
  return acc;
}

function product(a: Str[], b: Str[]): Str[] {
  const out: Str[] = [];
  for (const x of a) for (const y of b) { out.push(joinParts(x, y)); if (out.length >= MAX_ALTS) return out; }
  return out;
}

const RESOLVE_EXTS = ['', '.js', '.jsx', '.ts', '.tsx', '.mjs', '.cjs', '.mts', '.cts', '.vue', '/index.js', '/index.ts', '/index.jsx', '/index.tsx'];

/**
 * A relative import resolved to a project file; also when its case differs from the file's
 * (`./config` for Config.js: code written on a case-insensitive file system, macOS or Windows).
 */
export function resolveModule(project: ProjectContext, fromFile: string, spec: string): string | undefined {
  // Memoised per importing file and specifier for the life of the project context (the same imports are
  // resolved for every binding that goes through them).
  // Keyed by file then specifier: no key strings to build on every look-up.
  let memo = project.cache.get('resolved-modules') as Map<string, Map<string, string | undefined>> | undefined;
  if (!memo) project.cache.set('resolved-modules', (memo = new Map()));
  let byFile = memo.get(fromFile);
  if (!byFile) memo.set(fromFile, (byFile = new Map()));
  if (byFile.has(spec)) return byFile.get(spec);
  const r = resolveModuleUncached(project, fromFile, spec);
  byFile.set(spec, r);
  return r;
}

function resolveModuleUncached(project: ProjectContext, fromFile: string, spec: string): string | undefined {
  const hit = project.resolveImport(fromFile, spec);
  if (hit || !spec.startsWith('.')) return hit;
  let lower = project.cache.get('files-by-lower-case') as Map<string, string> | undefined;
  if (!lower) {
    lower = new Map();
    for (const f of projectFiles(project)) lower.set(f.toLowerCase(), f);
    project.cache.set('files-by-lower-case', lower);
  }
  const base = joinPath(dirnamePath(fromFile), spec).toLowerCase();
  for (const ext of RESOLVE_EXTS) { const f = lower.get(base + ext); if (f) return f; }
  return undefined;
}

/** A module of the tree, parsed and with parent pointers, or undefined. */
export function moduleAst(project: ProjectContext | undefined, fromFile: string, spec: string): { ast: TSESTree.Program; file: string } | undefined {
  if (!project) return undefined;
  const file = resolveModule(project, fromFile, spec);
  if (!file) return undefined;
  const mod = project.loadModule(file);
  if (!mod) return undefined;
  // `parent` pointers: set here, or by the linter's walk (a tree the scanner shared, project.ts)
  ensureParents(mod.ast);
  return { ast: mod.ast, file };
}

export const requireSpecifier = (n: N | null | undefined): string | undefined => {
  if (!n) return undefined;
  const x = unwrap(n);
  if (x.type === 'CallExpression' && x.callee.type === 'Identifier' && x.callee.name === 'require' && x.arguments[0]?.type === 'Literal' && typeof x.arguments[0].value === 'string') return packageName(x.arguments[0].value);
  return undefined;
};

/**
 * The package a specifier names, without the `npm:` prefix of Deno and ember-browserify and the
 * version Deno may add (`npm:soundcloud`, `npm:axios@1.6`, `npm:@scope/pkg@2`); any other specifier as it is.
 */
export const packageName = (spec: string): string => {
  if (!spec.startsWith('npm:')) return spec;
  const at = spec.indexOf('@', spec.charCodeAt(4) === 64 ? 5 : 4);
  return spec.slice(4, at < 0 ? undefined : at);
};

/**
 * The module a name is bound to: an import's source, or the specifier of the `require(...)` that
 * initialises it; with `wholeModule`, not a piece destructured from it (`const { get } = require('x')`).
 */
export function bindingSpecifier(b: Binding | undefined, wholeModule = true): string | undefined {
  if (b?.kind === 'import') return b.node.source.value;
  return b?.kind === 'var' && (!wholeModule || !b.path.length) ? requireSpecifier(b.declarator.init) : undefined;
}

/** The package (or path) an import declaration loads: packageName of its source. */
export const importedFrom = (d: TSESTree.ImportDeclaration): string => packageName(d.source.value);

/** A value that has properties: an object literal (or class body) or a whole module. */
export type ObjLike =
  | { kind: 'object'; node: TSESTree.ObjectExpression; env: Env }
  | { kind: 'module'; ast: TSESTree.Program; env: Env };

export interface Located { node: N; env: Env }

/** What a module exports under a name ('default' for the default export), as an expression. */
export function moduleExport(ast: TSESTree.Program, env: Env, name: string): Located | undefined {
  for (const s of ast.body) {
    if (s.type === 'ExportNamedDeclaration') {
      if (s.declaration?.type === 'VariableDeclaration') {
        for (const d of s.declaration.declarations) if (d.id.type === 'Identifier' && d.id.name === name && d.init) return { node: d.init, env };
      } else if (s.declaration && 'id' in s.declaration && s.declaration.id?.type === 'Identifier' && s.declaration.id.name === name) {
        return { node: s.declaration as N, env };
      }
      if (!s.source) {
        for (const spec of s.specifiers) {
          const exported = spec.exported.type === 'Identifier' ? spec.exported.name : String(spec.exported.value);
          if (exported === name && spec.local.type === 'Identifier') return { node: spec.local, env };
        }
      } else {
        for (const spec of s.specifiers) {
          const exported = spec.exported.type === 'Identifier' ? spec.exported.name : String(spec.exported.value);
          const local = spec.local.type === 'Identifier' ? spec.local.name : String(spec.local.value);
          if (exported === name) {
            const m = moduleAst(env.project, env.filename, s.source.value);
            if (m) return moduleExport(m.ast, { ...env, filename: m.file }, local);
          }
        }
      }
    }
    if (s.type === 'ExportAllDeclaration' && !s.exported && s.source) {
      const m = moduleAst(env.project, env.filename, s.source.value);
      const r = m && moduleExport(m.ast, { ...env, filename: m.file }, name);
      if (r) return r;
    }
    if (s.type === 'ExportDefaultDeclaration' && name === 'default') return { node: s.declaration as N, env };
    // CommonJS: module.exports = {...}; module.exports.X = ...; exports.X = ...
    if (s.type === 'ExpressionStatement' && s.expression.type === 'AssignmentExpression' && s.expression.operator === '=') {
      const left = s.expression.left;
      const ln = nameOf(left);
      if (ln === 'module.exports') {
        if (name === 'default') return { node: s.expression.right, env };
        const obj = unwrap(s.expression.right);
        if (obj.type === 'ObjectExpression') {
          const p = findProp(obj, name);
          if (p) return { node: p, env };
        }
      }
      if (ln === `module.exports.${name}` || ln === `exports.${name}`) return { node: s.expression.right, env };
    }
  }
  return undefined;
}

export function findProp(obj: TSESTree.ObjectExpression, name: string): N | undefined {
  for (let i = obj.properties.length - 1; i >= 0; i--) {
    const p = obj.properties[i]!;
    if (p.type === 'Property' && propName(p) === name) return p.value as N;
  }
  return undefined;
}

/** The URL of request-style options: their `url` key, else `uri` (request's name for it). */
export const urlKey = (obj: TSESTree.ObjectExpression): N | undefined => findProp(obj, 'url') ?? findProp(obj, 'uri');

/**
 * Per statement list (program or block): each name assigned with `name = value`, mapped to that
 * value when it is the name's only assignment in the list's subtree and a statement of the list
 * itself (CoffeeScript's output: `var host, https; host = 'api.soundcloud.com';`), or a plain string
 * assigned deeper (in a function of the list), else null.
 */
const soleAssignments = new WeakMap<N, Map<string, N | null>>();

const isPlainString = (n: N): boolean =>
  (n.type === 'Literal' && typeof n.value === 'string') || (n.type === 'TemplateLiteral' && n.expressions.length === 0);

function soleAssignment(d: TSESTree.VariableDeclarator): N | undefined {
  const list = d.parent?.parent;
  if (d.id.type !== 'Identifier' || d.parent?.type !== 'VariableDeclaration' || (list?.type !== 'Program' && list?.type !== 'BlockStatement')) return undefined;
  let m = soleAssignments.get(list);
  if (!m) {
    const found = new Map<string, N | null>();
    const visit = (n: N) => {
      if (n.type === 'AssignmentExpression' && n.left.type === 'Identifier') {
        let st: N | undefined = n.parent;
        while (st?.type === 'SequenceExpression') st = st.parent;
        const top = n.operator === '=' && st?.type === 'ExpressionStatement' && st.parent === list;
        // deeper (inside a function of the list), only a plain string: `let key; function f() { key = 'client_id=...'; }`
        const constant = n.operator === '=' && st?.type === 'ExpressionStatement' && isPlainString(n.right);
        found.set(n.left.name, (top || constant) && !found.has(n.left.name) ? n.right : null);
      } else if (n.type === 'UpdateExpression' && n.argument.type === 'Identifier') found.set(n.argument.name, null);
      forEachChild(n, visit);
    };
    visit(list);
    soleAssignments.set(list, (m = found));
  }
  return m.get(d.id.name) ?? undefined;
}

/**
 * The value a variable was last given by a statement of its own: `name = value;` among the
 * statements before the one holding `id`, in the same statement list (`options = { oauth_token };
 * SC.initialize(options)` after `var options = { client_id }` above). Undefined when no statement
 * of the list before it assigns the name (its declaration then says what it holds).
 */
export function assignedBefore(id: TSESTree.Identifier): N | undefined {
  let st: N = id;
  while (st.parent && st.parent.type !== 'BlockStatement' && st.parent.type !== 'Program') {
    if (st.parent.type.includes('Function')) return undefined;
    st = st.parent;
  }
  const list = st.parent as TSESTree.BlockStatement | TSESTree.Program | undefined;
  if (!list) return undefined;
  for (let i = list.body.indexOf(st as TSESTree.Statement) - 1; i >= 0; i--) {
    const s = list.body[i]!;
    if (s.type !== 'ExpressionStatement' || s.expression.type !== 'AssignmentExpression') continue;
    const a = s.expression;
    if (a.operator === '=' && a.left.type === 'Identifier' && a.left.name === id.name) return a.right;
  }
  return undefined;
}

function bindingValue(b: Binding, env: Env): Located | ObjLike | undefined {
  if (b.kind === 'var') {
    const init = b.declarator.init ?? (b.declKind !== 'const' && !b.path.length ? soleAssignment(b.declarator) : undefined);
    if (!init) return undefined;
    let loc: Located | ObjLike | undefined = { node: init, env };
    for (const key of b.path) loc = loc && getProp(loc, key, env);
    return loc;
  }
  if (b.kind === 'import') {
    const m = moduleAst(env.project, env.filename, b.node.source.value);
    if (!m) return undefined;
    const menv = { ...env, filename: m.file, args: undefined };
    if (b.imported === '*') return { kind: 'module', ast: m.ast, env: menv };
    const ex = moduleExport(m.ast, menv, b.imported);
    // `import cfg from './cfg'` of a module with named exports only (CommonJS interop)
    if (!ex && b.imported === 'default') return { kind: 'module', ast: m.ast, env: menv };
    return ex;
  }
  if (b.kind === 'param' && env.args) {
    const a = env.args.get(b.node);
    if (a?.node) return { node: a.node, env: a.env };
  }
  if (b.kind === 'param') return angularInjected(b, env);
  return undefined;
}

/** Registration methods of an AngularJS module whose function is called with injected values. */
const NG_DI = /^(service|factory|controller|directive|component|run|config|provider|filter|decorator)$/;

/**
 * An AngularJS injectable: a parameter of a function registered on a module
 * (`.service('X', function ($http, ApiRoot) {...})`, or the inline array form
 * `['$http', 'ApiRoot', function ($http, root) {...}]`) is the module's `.constant(name, value)`
 * or `.value(name, value)` of that name, in this file or another of the tree.
 */
function angularInjected(b: Extract<Binding, { kind: 'param' }>, env: Env): Located | undefined {
  const fn = b.fn;
  if (fn.type !== 'FunctionExpression' && fn.type !== 'ArrowFunctionExpression') return undefined;
  let holder: N = fn;
  let name = b.node.type === 'Identifier' ? b.node.name : undefined;
  const arr = fn.parent;
  if (arr?.type === 'ArrayExpression' && arr.elements[arr.elements.length - 1] === fn) {
    const ann = arr.elements[b.index];
    name = ann?.type === 'Literal' && typeof ann.value === 'string' ? ann.value : undefined;
    holder = arr;
  }
  const call = holder.parent;
  if (!name || call?.type !== 'CallExpression' || !call.arguments.includes(holder as TSESTree.CallExpressionArgument)) return undefined;
  const callee = unwrap(call.callee);
  if (callee.type !== 'MemberExpression' || !NG_DI.test(propName(callee) ?? '')) return undefined;
  return angularConstants(programOf(fn), env).get(name) ?? projectAngularConstants(env).get(name);
}

const ngConstantsCache = new WeakMap<TSESTree.Program, Map<string, Located>>();

/** The `.constant(name, value)` / `.value(name, value)` registrations of a program. */
function angularConstants(ast: TSESTree.Program, env: Env): Map<string, Located> {
  const hit = ngConstantsCache.get(ast);
  if (hit) return hit;
  const map = new Map<string, Located>();
  traverse(ast, (n) => {
    if (n.type !== 'CallExpression' || n.callee.type !== 'MemberExpression' || !/^(constant|value)$/.test(propName(n.callee) ?? '')) return;
    const [k, v] = n.arguments;
    if (k?.type === 'Literal' && typeof k.value === 'string' && v && v.type !== 'SpreadElement') map.set(k.value, { node: v, env: { ...env, args: undefined } });
  }, () => {});
  ngConstantsCache.set(ast, map);
  return map;
}

/** The AngularJS constants of every file of the tree that registers some (cached per project). */
function projectAngularConstants(env: Env): Map<string, Located> {
  const project = env.project;
  if (!project) return new Map();
  let all = project.cache.get('angular-constants') as Map<string, Located> | undefined;
  if (all) return all;
  all = new Map();
  for (const f of projectFiles(project)) {
    if (f === env.filename || !/\.(constant|value)\(\s*['"]/.test(project.readFile(f) ?? '')) continue;
    const mod = project.loadModule(f);
    if (!mod) continue;
    ensureParents(mod.ast);
    for (const [k, v] of angularConstants(mod.ast, { ...env, filename: f, args: undefined })) if (!all.has(k)) all.set(k, v);
  }
  project.cache.set('angular-constants', all);
  return all;
}

function getProp(base: Located | ObjLike, key: string, env: Env): Located | ObjLike | undefined {
  const obj = 'kind' in base ? base : resolveObject(base.node, base.env);
  if (!obj) return undefined;
  if (obj.kind === 'object') { const v = findProp(obj.node, key); return v && { node: v, env: obj.env }; }
  return moduleExport(obj.ast, obj.env, key);
}

/** Resolves an expression to something with properties. */
export function resolveObject(node: N, env: Env): ObjLike | undefined {
  if (env.depth > MAX_DEPTH) return undefined;
  const x = unwrap(node);
  if (x.type === 'ObjectExpression') return { kind: 'object', node: x, env };
  const spec = requireSpecifier(x);
  if (spec) {
    const m = moduleAst(env.project, env.filename, spec);
    return m ? { kind: 'module', ast: m.ast, env: { ...env, filename: m.file, args: undefined } } : undefined;
  }
  // Nuxt's auto-imported `useRuntimeConfig()` (`useRuntimeConfig(event)` in a server route)
  if (x.type === 'CallExpression' && x.callee.type === 'Identifier' && x.callee.name === 'useRuntimeConfig' && !resolveBinding(x.callee)) return nuxtRuntimeConfig(env);
  // (the env one level down is made only where a binding or a key is there to follow)
  if (x.type === 'Identifier') {
    const b = resolveBinding(x);
    const v = b ? bindingValue(b, withDepth(env, env.depth + 1)) : globalOfPage(x, withDepth(env, env.depth + 1));
    if (!v) return undefined;
    return 'kind' in v ? v : resolveObject(v.node, v.env);
  }
  // `options || { host: 'api.soundcloud.com' }`: what the caller passes, else the default written here
  if (x.type === 'LogicalExpression' && x.operator !== '&&') return resolveObject(x.left, env) ?? resolveObject(x.right, env);
  if (x.type === 'MemberExpression') {
    const key = propName(x);
    if (key === undefined) return undefined;
    const e = withDepth(env, env.depth + 1);
    // `this.options` in a class (field, constructor assignment) or an object literal's method
    const self = thisAt(x);
    const field = self ? classField(self, key, e) : undefined;
    if (field) return resolveObject(field.node, field.env);
    const base = resolveObject(x.object, e);
    const v = base ? getProp(base, key, e) ?? assignedMember(x.object, key, e) : mergedProp(x.object, key, e);
    if (!v) return undefined;
    return 'kind' in v ? v : resolveObject(v.node, v.env);
  }
  return undefined;
}

const NUXT_CONFIGS = ['nuxt.config.ts', 'nuxt.config.js', 'nuxt.config.mjs'];

/**
 * The `runtimeConfig` object of the nearest nuxt.config (up to the project root, or 8 folders up): what Nuxt's
 * `useRuntimeConfig()` returns, its `public` keys included (`defineNuxtConfig({ runtimeConfig: {
 * sc: { apiBase: 'https://api-v2.soundcloud.com' } } })`). Values set by NUXT_* variables at run time are not known.
 */
function nuxtRuntimeConfig(env: Env): ObjLike | undefined {
  const project = env.project;
  if (!project) return undefined;
  for (let dir = dirnamePath(env.filename), up = 0; up < 8; dir = dirnamePath(dir), up++) {
    const key = `nuxt-config:${dir}`;
    let file = project.cache.get(key) as string | null | undefined;
    if (file === undefined) {
      file = NUXT_CONFIGS.map((n) => joinPath(dir, n)).find((f) => project.readFile(f) !== undefined) ?? null;
      project.cache.set(key, file);
    }
    if (file) {
      const m = moduleAst(project, env.filename, file);
      const menv = m && { ...env, filename: m.file, args: undefined };
      const ex = m && moduleExport(m.ast, menv!, 'default');
      let cfg = ex ? unwrap(ex.node) : undefined;
      if (cfg?.type === 'CallExpression' && cfg.arguments[0]) cfg = unwrap(cfg.arguments[0] as N);
      const o = cfg && resolveObject(cfg, ex!.env);
      const rc = o?.kind === 'object' ? findProp(o.node, 'runtimeConfig') : undefined;
      return rc ? resolveObject(rc, o!.env) : undefined;
    }
    if (dir === project.root || dirnamePath(dir) === dir) return undefined;
  }
  return undefined;
}

/** Merge methods of the usual globals: `Object.assign`, Prototype's `Object.extend`, `$.extend`, `angular.extend`, `_.assign/extend/merge/defaults`. */
const MERGE_METHOD_RE = /^(?:(?:_|\$|angular|jQuery|lodash)\.(assign|extend|merge|defaults)|Object\.(assign|extend))$/;
/** Packages whose (default or named) export merges objects (lodash 3's modules under `lodash/object/` too). */
const MERGE_PACKAGE_RE = /^(xtend|extend|object-assign|lodash(\.(assign|merge|extend|defaults))?|lodash\/(object\/)?(assign|merge|extend|defaults)|deepmerge|merge|underscore)$/;

/**
 * A call that merges objects: the methods above, and functions imported or required from a merge
 * package (xtend, extend, object-assign, lodash, deepmerge, underscore). 'defaults' when the first
 * object that has a key wins (`_.defaults`, lodash's `defaults`), 'assign' when the last one does.
 */
export function mergeKind(callee: N): 'assign' | 'defaults' | undefined {
  const m = MERGE_METHOD_RE.exec(nameOf(callee));
  if (m) return (m[1] ?? m[2]) === 'defaults' ? 'defaults' : 'assign';
  if (callee.type !== 'Identifier') return undefined;
  const b = resolveBinding(callee);
  let src: string | undefined;
  let imported = callee.name;
  if (b?.kind === 'import') {
    src = b.node.source.value;
    const spec = b.node.specifiers.find((x) => x.local.name === callee.name);
    if (spec?.type === 'ImportSpecifier' && spec.imported.type === 'Identifier') imported = spec.imported.name;
  } else if (b?.kind === 'var' && b.declarator.init) {
    const init = unwrap(b.declarator.init);
    if (init.type === 'CallExpression' && nameOf(init.callee) === 'require' && init.arguments[0]?.type === 'Literal') src = String(init.arguments[0].value);
  }
  if (!src || !MERGE_PACKAGE_RE.test(src)) return undefined;
  return /defaults/.test(src) || imported === 'defaults' ? 'defaults' : 'assign';
}

/**
 * `settings.host` where `settings = $.extend({ host: 'soundcloud.com', ... }, options)` (the
 * defaults-object idiom of jQuery plugins, also `Object.assign({}, DEFAULTS, opts)`): the key
 * from the winning merged object that has it and is known (the last; the first for `_.defaults`).
 */
function mergedProp(obj: N, key: string, env: Env): Located | ObjLike | undefined {
  let x = unwrap(obj);
  if (x.type === 'Identifier') {
    // (a variable's own initialiser only: merged settings are kept in a `var`/`const`)
    const b = resolveBinding(x);
    if (b?.kind !== 'var' || b.path.length || !b.declarator.init) return undefined;
    x = unwrap(b.declarator.init);
  }
  const kind = x.type === 'CallExpression' ? mergeKind(x.callee) : undefined;
  if (!kind || x.type !== 'CallExpression') return undefined;
  const e = env;
  const n = x.arguments.length;
  // (the winning object first: the last for assign/extend, the first for defaults)
  for (let k = 0; k < n; k++) {
    const a = x.arguments[kind === 'defaults' ? k : n - 1 - k]!;
    if (a.type === 'SpreadElement') continue;
    const o = resolveObject(a, e);
    const v = o && getProp(o, key, e);
    if (v) return v;
  }
  return undefined;
}

/**
 * A member written onto a variable that holds an object literal without it (the service object of
 * an AngularJS factory: `var sc = {}; sc.params = { client_id, oauth_token }; return sc`): its value,
 * when the program writes that member of that variable once.
 */
function assignedMember(obj: N, key: string, env: Env): Located | undefined {
  const o = unwrap(obj);
  if (o.type !== 'Identifier') return undefined;
  const writes = memberWrites(programOf(o)).get(o.name);
  if (!writes) return undefined;
  const b = resolveBinding(o);
  if (b?.kind !== 'var' || b.path.length || !b.declarator.init || unwrap(b.declarator.init).type !== 'ObjectExpression') return undefined;
  let value: N | undefined;
  for (const a of writes) {
    if (propName(a.left as TSESTree.MemberExpression) !== key || resolveBinding((a.left as TSESTree.MemberExpression).object as TSESTree.Identifier) !== b) continue;
    if (value) return undefined;
    value = a.right as N;
  }
  return value && { node: value, env };
}

/** The site (last two labels of the host) a written URL or bare host names: `api-v2.soundcloud.com/x` -> `soundcloud.com`. */
const siteOf = (text: string): string | undefined => {
  const host = /^(?:[a-z][\w+.-]*:)?\/\/([^/:?#]+)/i.exec(text)?.[1] ?? /^([a-z0-9-]+(?:\.[a-z0-9-]+)+)(?=$|[/:?])/i.exec(text)?.[1];
  return host?.toLowerCase().split('.').slice(-2).join('.');
};

/**
 * A table read with a key known only at run time (`HOSTS[version]`, `this.endpoints[env]` of
 * `{ v1: 'api.soundcloud.com', v2: 'api-v2.soundcloud.com' }`): each of its values, when every value
 * is a URL or host written as a string, all of one site. A table of several sites (`AUTHORIZE[service]`
 * of SoundCloud's, Spotify's, Deezer's) stays unknown: the key picks one, and what is joined to it
 * belongs to that one only.
 */
function tableEntries(x: N, env: Env): Str[] | undefined {
  if (x.type !== 'MemberExpression' || !x.computed || propName(x) !== undefined) return undefined;
  const table = resolveObject(x.object, env);
  if (table?.kind !== 'object' || !table.node.properties.length || table.node.properties.length > MAX_ALTS) return undefined;
  const values: N[] = [];
  let site: string | undefined;
  for (const p of table.node.properties) {
    const v = p.type === 'Property' && !p.computed ? unwrap(p.value as N) : undefined;
    const text = plainText(v);
    const s = text !== undefined ? siteOf(text) : undefined;
    if (!s || (site !== undefined && s !== site)) return undefined;
    site = s;
    values.push(v!);
  }
  return values.flatMap((v) => evalString(v, table.env));
}

/** The expression an identifier or member chain stands for (one step), if known. */
export function resolveExpression(node: N, env: Env): Located | undefined {
  const x = unwrap(node);
  if (x.type === 'Identifier') {
    const b = resolveBinding(x);
    if (!b) return globalOfPage(x, env);
    const v = bindingValue(b, env);
    return v && !('kind' in v) ? v : undefined;
  }
  if (x.type === 'MemberExpression') {
    const key = propName(x);
    const self = key !== undefined ? thisAt(x) : undefined;
    if (self) return classField(self, key!, env);
    const base = key !== undefined ? resolveObject(x.object, env) : undefined;
    const v = base ? getProp(base, key!, env) ?? assignedMember(x.object, key!, env) : key !== undefined ? mergedProp(x.object, key, env) ?? enumMember(x.object, key, env) : undefined;
    return v && !('kind' in v) ? v : undefined;
  }
  return undefined;
}

/**
 * A member of a TypeScript enum of the module (`enum GrantTypes { Credentials = 'client_credentials' }`,
 * read as `GrantTypes.Credentials`): its initialiser.
 */
function enumMember(obj: N, key: string, env: Env): Located | undefined {
  const o = unwrap(obj);
  const b = o.type === 'Identifier' ? resolveBinding(o) : undefined;
  if (b?.kind !== 'enum') return undefined;
  const members = (b.node as { body?: { members: TSESTree.TSEnumMember[] } }).body?.members ?? (b.node as unknown as { members?: TSESTree.TSEnumMember[] }).members ?? [];
  for (const m of members) {
    const name = m.id.type === 'Identifier' ? m.id.name : m.id.type === 'Literal' ? String(m.id.value) : undefined;
    if (name === key && m.initializer) return { node: m.initializer as N, env };
  }
  return undefined;
}

/** An unbound name defined by another script of the same page (page-globals.ts). */
function globalOfPage(x: TSESTree.Identifier, env: Env): Located | undefined {
  const g = pageGlobal(x, env.project, env.filename);
  return g && { node: g.node, env: { ...env, filename: g.file, args: undefined } };
}

/**
 * Where `this` of a member read `this.key` is taken: the read itself, or for `that.key` the
 * `this` of `var that = this` (`self`, `_this`: a callback's way to the method's object), in the
 * function that declares it. Undefined for any other object.
 */
function thisAt(member: TSESTree.MemberExpression): N | undefined {
  const o = unwrap(member.object);
  if (o.type === 'ThisExpression') return member;
  const b = o.type === 'Identifier' ? resolveBinding(o) : undefined;
  const init = b?.kind === 'var' && !b.path.length ? b.declarator.init : undefined;
  return init?.type === 'ThisExpression' ? init : undefined;
}

/**
 * `this.key` inside a class: its field initialiser, its assignment in the constructor, or a
 * method; inside a method of an object literal: that object's property; inside a constructor
 * function: its `this.key = value` statement.
 */
function classField(node: N, key: string, env: Env): Located | undefined {
  let fn: N | undefined = node.parent;
  while (fn && (fn.type === 'ArrowFunctionExpression' || !fn.type.includes('Function')) && fn.type !== 'ClassBody') fn = fn.parent;
  if (fn && fn.type === 'FunctionExpression' && fn.parent?.type === 'Property' && fn.parent.parent?.type === 'ObjectExpression') {
    const v = findProp(fn.parent.parent, key);
    return v ? { node: v, env } : undefined;
  }
  // a method written onto a service object (`sc.get = function () { ... this.params ... }` after
  // `var sc = {}; sc.params = {...}`): that object's member
  if (fn && fn.type === 'FunctionExpression' && fn.parent?.type === 'AssignmentExpression' && fn.parent.right === fn && fn.parent.left.type === 'MemberExpression' && fn.parent.left.object.type === 'Identifier') {
    const owner = fn.parent.left.object;
    const base = resolveObject(owner, env);
    const v = base?.kind === 'object' ? findProp(base.node, key) : undefined;
    if (v) return { node: v, env };
    const w = assignedMember(owner, key, env);
    if (w) return w;
  }
  // a method of an ES5 prototype (`Client.prototype.url = function () { ... this.config() ... }`):
  // the prototype's other members (`Client.prototype.config = function`)
  const owner = fn && fn.type === 'FunctionExpression' ? prototypeOwner(fn) : undefined;
  if (owner) {
    const v = prototypeMembers(programOf(fn as N) as TSESTree.Program).get(owner)?.get(key);
    if (v) return { node: v, env };
  }
  // an ES5 constructor function: `function Client(o) { this.settings = {...}; ... this.settings.host }`
  if (fn && (fn.type === 'FunctionDeclaration' || fn.type === 'FunctionExpression') && fn.parent?.type !== 'MethodDefinition' && fn.body) {
    const assigned = thisAssigned(fn.body, key);
    // `this.code = Object.create(this.code)`: an own copy of the prototype's member, read from the prototype
    const right = assigned && unwrap(assigned);
    const own = right?.type === 'CallExpression' && nameOf(right.callee) === 'Object.create' && right.arguments[0] ? unwrap(right.arguments[0] as N) : undefined;
    if (assigned && !(own?.type === 'MemberExpression' && own.object.type === 'ThisExpression' && propName(own) === key)) return { node: assigned, env };
    // else the member of its prototype (`Client.prototype.code = {...}`)
    const name = fn.type === 'FunctionDeclaration' ? fn.id?.name : fn.parent?.type === 'VariableDeclarator' && fn.parent.id.type === 'Identifier' ? fn.parent.id.name : undefined;
    const v = name ? prototypeMembers(programOf(fn as N) as TSESTree.Program).get(name)?.get(key) : undefined;
    return v ? { node: v, env } : undefined;
  }
  const cls = enclosingClassBody(node);
  if (!cls) return undefined;
  // (in a static method `this` is the class: its static members)
  const statics = fn?.parent?.type === 'MethodDefinition' && fn.parent.static;
  for (const m of cls.body) {
    if (m.type === 'PropertyDefinition' && m.static === statics && propName(m) === key && m.value) return { node: m.value, env };
    if (m.type === 'MethodDefinition' && m.kind === 'method' && m.static === statics && propName(m) === key) return { node: m.value, env };
    if (m.type === 'MethodDefinition' && m.kind === 'constructor' && !statics && m.value.body) {
      const v = thisAssigned(m.value.body, key);
      if (v) return { node: v, env };
    }
  }
  // a field set up by one method of the class (`static init() { this.client = axios.create(...) }`);
  // set by several (a value read from a file, or scraped from a page), it has no one value
  let set: N | undefined;
  for (const m of cls.body) {
    const v = m.type === 'MethodDefinition' && m.kind === 'method' && m.static === statics && m.value.body ? thisAssigned(m.value.body, key) : undefined;
    if (v && set) return undefined;
    set = v ?? set;
  }
  return set && { node: set, env };
}

/** The value of a statement `this.key = value` of a function body's own statements. */
function thisAssigned(body: TSESTree.BlockStatement, key: string): N | undefined {
  for (const st of body.body) {
    if (st.type !== 'ExpressionStatement' || st.expression.type !== 'AssignmentExpression' || st.expression.operator !== '=') continue;
    const left = st.expression.left;
    if (left.type === 'MemberExpression' && left.object.type === 'ThisExpression' && propName(left) === key) return st.expression.right;
  }
  return undefined;
}

/** `X` of a function assigned to `X.prototype.name` (an ES5 class method). */
function prototypeOwner(fn: N): string | undefined {
  const a = fn.parent;
  if (a?.type !== 'AssignmentExpression' || a.right !== fn || a.left.type !== 'MemberExpression') return undefined;
  const proto = a.left.object;
  return proto.type === 'MemberExpression' && propName(proto) === 'prototype' && proto.object.type === 'Identifier' ? proto.object.name : undefined;
}

const protoMemo = new WeakMap<TSESTree.Program, Map<string, Map<string, N>>>();

/** The `X.prototype.key = value` assignments of a file, per `X` (one walk per file). */
function prototypeMembers(program: TSESTree.Program): Map<string, Map<string, N>> {
  let m = protoMemo.get(program);
  if (m) return m;
  const out = new Map<string, Map<string, N>>();
  traverse(program as N, (n) => {
    if (n.type !== 'AssignmentExpression' || n.operator !== '=' || n.left.type !== 'MemberExpression') return;
    const key = propName(n.left);
    const proto = n.left.object;
    if (key === undefined || proto.type !== 'MemberExpression' || propName(proto) !== 'prototype' || proto.object.type !== 'Identifier') return;
    let byKey = out.get(proto.object.name);
    if (!byKey) out.set(proto.object.name, (byKey = new Map()));
    if (!byKey.has(key)) byKey.set(key, n.right as N);
  }, () => {});
  protoMemo.set(program, (m = out));
  return m;
}

/** Function a callee refers to, if it is one of the tree's own small helpers. */
export function resolveFunction(callee: N, env: Env): { fn: TSESTree.FunctionLike; env: Env } | undefined {
  const x = unwrap(callee);
  if (x.type === 'FunctionExpression' || x.type === 'ArrowFunctionExpression') return { fn: x, env };
  // `name` / `name.a.b` under an env without helper arguments: the answer depends only on the
  // root's binding, the property names and the env (scope.ts bindings are shared objects), so
  // every call of `api.get` in a file resolves once.
  if (env.args !== undefined) return resolveFunctionUncached(x, env);
  let path = '';
  let root: N = x;
  while (root.type === 'MemberExpression') {
    const key = propName(root);
    if (key === undefined) return resolveFunctionUncached(x, env);
    path = `${key}\0${path}`;
    root = root.object;
  }
  if (root.type !== 'Identifier') return resolveFunctionUncached(x, env);
  const b: object = resolveBinding(root) ?? UNBOUND;
  let byEnv = fnMemo.get(env);
  if (!byEnv) fnMemo.set(env, (byEnv = new Map()));
  let byPath = byEnv.get(b);
  if (!byPath) byEnv.set(b, (byPath = new Map()));
  if (byPath.has(path)) return byPath.get(path);
  const r = resolveFunctionUncached(x, env);
  byPath.set(path, r);
  return r;
}

type ResolvedFn = { fn: TSESTree.FunctionLike; env: Env } | undefined;
const UNBOUND = {};
const fnMemo = new WeakMap<Env, Map<object, Map<string, ResolvedFn>>>();

function resolveFunctionUncached(x: N, env: Env): ResolvedFn {
  if (x.type === 'FunctionExpression' || x.type === 'ArrowFunctionExpression') return { fn: x, env };
  if (x.type === 'Identifier') {
    const b = resolveBinding(x);
    if (b?.kind === 'function') return { fn: b.node, env };
  }
  const loc = resolveExpression(x, env);
  if (loc) {
    const y = unwrap(loc.node);
    if (y.type === 'FunctionExpression' || y.type === 'ArrowFunctionExpression' || y.type === 'FunctionDeclaration') return { fn: y, env: loc.env };
    if (y !== x && (y.type === 'Identifier' || y.type === 'MemberExpression')) return resolveFunction(y, loc.env);
    // `const request = require('./request')` of a module that is one function (`module.exports = function`)
    const spec = requireSpecifier(y);
    const m = spec ? moduleAst(loc.env.project, loc.env.filename, spec) : undefined;
    const ex = m && moduleExport(m.ast, { ...loc.env, filename: m.file, args: undefined }, 'default');
    if (ex && unwrap(ex.node).type === 'FunctionDeclaration') return { fn: unwrap(ex.node) as TSESTree.FunctionDeclaration, env: ex.env };
    if (ex && requireSpecifier(ex.node) === undefined) return resolveFunction(ex.node, ex.env);
  }
  return undefined;
}

const RETURN_KEYS = ['body', 'consequent', 'alternate', 'block', 'handler', 'finalizer', 'cases'] as const;

/** The expressions a function returns (single-expression arrows and `return` statements, not nested functions). */
export function returnedExpressions(fn: TSESTree.FunctionLike): N[] {
  if (!fn.body) return [];
  if (fn.body.type !== 'BlockStatement') return [fn.body as N];
  const out: N[] = [];
  const stack: N[] = [...fn.body.body];
  while (stack.length) {
    const n = stack.pop()!;
    if (n.type === 'ReturnStatement') { if (n.argument) out.push(n.argument); continue; }
    if (n.type.includes('Function') || n.type.startsWith('Class')) continue;
    for (const k of RETURN_KEYS) {
      const c = (n as unknown as Record<string, unknown>)[k];
      if (Array.isArray(c)) stack.push(...(c as N[]));
      else if (c && typeof c === 'object' && 'type' in (c as object)) stack.push(c as N);
    }
  }
  return out;
}

/** The env of a helper's body with the caller's arguments bound to its parameters. */
export function bindArgs(fn: TSESTree.FunctionLike, args: readonly N[], callerEnv: Env, fnEnv: Env): Env {
  const map = new Map<N, { node: N | undefined; env: Env }>();
  fn.params.forEach((p, i) => {
    let id: N = p;
    let dflt: N | undefined;
    if (p.type === 'AssignmentPattern') { id = p.left; dflt = p.right; }
    if (p.type === 'TSParameterProperty') id = p.parameter;
    if (id.type === 'Identifier') {
      const a = args[i];
      map.set(id, a && a.type !== 'SpreadElement' ? { node: a, env: callerEnv } : { node: dflt, env: fnEnv });
    }
  });
  return { ...fnEnv, depth: Math.max(fnEnv.depth, callerEnv.depth) + 1, args: map };
}

const STRING_METHODS_KEEP = new Set(['trim', 'trimStart', 'trimEnd', 'toString', 'valueOf', 'toLowerCase', 'toUpperCase', 'replace', 'replaceAll', 'normalize']);

const STATEMENT_LISTS = new Set(['Program', 'BlockStatement', 'StaticBlock']);
type ListWrites = Map<string, { index: number; op: string; value: N; left: TSESTree.Identifier }[]>;
const listWrites = new WeakMap<N, ListWrites>();

/** `name = v` / `name += v` statements directly in a statement list, by name (one pass per list). */
function writesOf(list: N): ListWrites {
  let m = listWrites.get(list);
  if (m) return m;
  m = new Map();
  const body = (list as TSESTree.BlockStatement).body as N[];
  const add = (st: N, index: number, branch: boolean): void => {
    // `if (!token) url += '&client_id=' + id` (or its else branch): a piece only one path adds,
    // kept with the others (the URL of that path); only `+=` there, a branch's `=` is not a base
    if (st.type === 'IfStatement') {
      for (const b of [st.consequent, st.alternate]) {
        if (!b) continue;
        for (const s of b.type === 'BlockStatement' ? b.body : [b]) add(s as N, index, true);
      }
      return;
    }
    const a = st.type === 'ExpressionStatement' ? st.expression : undefined;
    if (a?.type !== 'AssignmentExpression' || a.left.type !== 'Identifier' || (a.operator !== '=' && a.operator !== '+=') || (branch && a.operator !== '+=')) return;
    const w = m!.get(a.left.name) ?? [];
    w.push({ index, op: a.operator, value: a.right, left: a.left });
    m!.set(a.left.name, w);
  };
  body.forEach((st, index) => add(st, index, false));
  listWrites.set(list, m);
  return m;
}

/**
 * A string variable grown by `x += piece` statements (`url += url.includes('?') ? '&' : '?';
 * url += 'client_id=' + id; return fetch(url)`): the `+=` statements of the statement lists
 * around the read that run before it (in the binding's own scope), in order, and the value of a
 * plain `x = v` statement before them if there is one. Undefined when no `+=` precedes the read.
 */
function appendsBefore(x: TSESTree.Identifier): { base?: N; pieces: N[] } | undefined {
  let b: Binding | undefined;
  // levels from the read outwards; each level's writes before the read, in order
  const levels: { index: number; op: string; value: N; left: TSESTree.Identifier }[][] = [];
  let any = false;
  for (let n: N = x; n.parent; n = n.parent) {
    const p = n.parent;
    if (STATEMENT_LISTS.has(p.type)) {
      const w = writesOf(p).get(x.name);
      if (w) {
        const i = ((p as TSESTree.BlockStatement).body as N[]).indexOf(n);
        const before = w.filter((e) => e.index < i);
        if (before.length) { levels.push(before); if (before.some((e) => e.op === '+=')) any = true; }
      }
    }
    if (p.type.includes('Function') && (b ??= resolveBinding(x))) {
      // stop at the function that owns the binding (a parameter, or a variable declared in it)
      if (b.kind === 'param' ? b.fn === p : b.kind === 'var' && enclosingFunction(b.declarator) === p) break;
    }
  }
  if (!any) return undefined;
  b ??= resolveBinding(x);
  if (!b || (b.kind !== 'param' && b.kind !== 'var') || (b.kind === 'var' && (b.declKind === 'const' || b.path.length))) return undefined;
  let base: N | undefined;
  const pieces: N[] = [];
  for (let k = levels.length - 1; k >= 0; k--) {
    for (const w of levels[k]!) {
      if (resolveBinding(w.left) !== b) continue;
      if (w.op === '=') { base = w.value; pieces.length = 0; } else pieces.push(w.value);
    }
  }
  return pieces.length ? { base, pieces } : undefined;
}

/** Work counters (tests check that value resolution grows linearly with the code). */
export const evalStats = { evaluations: 0 };

/**
 * Results of expressions evaluated without helper arguments bound, per node: a constant that many
 * others build on (`const A2 = A1 + '/x'`) is evaluated once, so a file of chained constants costs
 * time linear in its size instead of exponential in the chain depth.
 */
const memo = new WeakMap<N, Str[]>();

/** All the strings an expression may hold (at most a few alternatives). */
export function evalString(node: N, env: Env): Str[] {
  // A string literal (most evaluations: every outermost string of a file) is not kept: its
  // result is one part, cheaper to make again than a weak map's entry, which the collector has to
  // trace as an ephemeron for as long as the tree lives (dense corpus: about 1.5% of a scan).
  if (env.args || node.type === 'Literal') return evalUncached(node, env);
  const hit = memo.get(node);
  if (hit) return hit;
  const r = evalUncached(node, env);
  // A result cut short by the depth limit is not kept: it would hide text from shallower users.
  if (env.depth <= MAX_DEPTH / 2) memo.set(node, r);
  return r;
}

function evalUncached(node: N, env: Env): Str[] {
  evalStats.evaluations++;
  if (env.depth > MAX_DEPTH) return hole(node, env);
  const x = unwrap(node);
  // the env one level down; a literal (most evaluations) needs none
  const e = x.type === 'Literal' ? env : withDepth(env, env.depth + 1);
  switch (x.type) {
    case 'Literal':
      if (typeof x.value === 'string' || typeof x.value === 'number') return [[{ kind: 'text', text: String(x.value), owner: x, file: env.filename }]];
      return hole(x, env);
    case 'TemplateLiteral': {
      // `acc` holds arrays made here (never a memoised result): they grow in place
      let acc: Str[] = [[]];
      const quasis = x.quasis;
      for (let i = 0; i < quasis.length; i++) {
        const q = quasis[i]!;
        const t = q.value.cooked ?? q.value.raw;
        if (t) for (const s of acc) s.push({ kind: 'text', text: t, owner: x, file: env.filename, quasi: q });
        const ex = x.expressions[i];
        if (ex) acc = appendAlts(acc, evalString(ex as N, e));
      }
      return acc;
    }
    case 'BinaryExpression':
      if (x.operator === '+') return product(evalString(x.left as N, e), evalString(x.right, e));
      return hole(x, env);
    case 'ConditionalExpression': return [...evalString(x.consequent, e), ...evalString(x.alternate, e)].slice(0, MAX_ALTS);
    case 'LogicalExpression':
      if (x.operator === '&&') return evalString(x.right, e);
      return [...evalString(x.left, e), ...evalString(x.right, e)].slice(0, MAX_ALTS);
    case 'AssignmentExpression': return evalString(x.right, e);
    case 'Identifier': case 'MemberExpression': {
      const grown = x.type === 'Identifier' ? appendsBefore(x) : undefined;
      if (grown) {
        // `url += '&client_id=' + id` before the read: the value it started from, then each piece
        let acc = grown.base ? evalString(grown.base, e) : (() => { const v = resolveExpression(x, e); return v ? evalString(v.node, withDepth(v.env, e.depth)) : hole(x, env); })();
        for (const piece of grown.pieces) acc = product(acc, evalString(piece, e));
        return acc;
      }
      const v = resolveExpression(x, e);
      if (v) {
        const fnLike = unwrap(v.node).type;
        if (fnLike.includes('Function') || fnLike.startsWith('Class')) return hole(x, env);
        return evalString(v.node, withDepth(v.env, e.depth));
      }
      return envValue(x, env) ?? tableEntries(x, e) ?? hole(x, env);
    }
    case 'NewExpression':
      // new URL(path, base)
      if (x.callee.type === 'Identifier' && x.callee.name === 'URL' && x.arguments[0]) {
        const path = evalString(x.arguments[0] as N, e);
        if (!x.arguments[1]) return path;
        return product(evalString(x.arguments[1] as N, e), path);
      }
      return hole(x, env);
    case 'CallExpression': {
      const callee = unwrap(x.callee);
      if (callee.type === 'MemberExpression') {
        const m = propName(callee);
        if (m && STRING_METHODS_KEEP.has(m)) return evalString(callee.object, e);
        if (m === 'concat') return x.arguments.reduce<Str[]>((acc, a) => product(acc, evalString(a as N, e)), evalString(callee.object, e));
        // `list.join(' ')`, also of a list chosen by a condition or a fallback: `(given.length ? given : DEFAULTS).join(' ')`
        const obj = m === 'join' ? unwrap(callee.object) : undefined;
        const branches = !obj ? [] : obj.type === 'ConditionalExpression' ? [obj.consequent, obj.alternate] : obj.type === 'LogicalExpression' && obj.operator !== '&&' ? [obj.left, obj.right] : [obj];
        if (branches.some((b) => arrayOf(b))) {
          const sep = x.arguments[0] ? evalString(x.arguments[0] as N, e) : [[{ kind: 'text', text: ',', owner: x, file: env.filename } as Part]];
          return branches.flatMap((b) => {
            const joined = arrayOf(b);
            if (!joined) return hole(b, env);
            let acc: Str[] = [[]];
            joined.elements.forEach((el, i) => {
              if (i) acc = product(acc, sep);
              if (el && el.type !== 'SpreadElement') acc = product(acc, evalString(el, e));
            });
            return acc;
          }).slice(0, MAX_ALTS);
        }
        if ((m === 'resolve' || m === 'join') && /^(path|url|posix)$/.test(nameOf(callee.object))) {
          let acc: Str[] = [[]];
          x.arguments.forEach((a, i) => {
            if (i) acc = acc.map((s) => [...s, { kind: 'text', text: '/', owner: x, file: env.filename } as Part]);
            acc = product(acc, evalString(a as N, e));
          });
          return acc;
        }
      }
      if (callee.type === 'Identifier' && callee.name === 'String' && x.arguments[0]) return evalString(x.arguments[0] as N, e);
      const f = resolveFunction(callee, e);
      if (f && env.depth < MAX_DEPTH - 4) {
        const rets = returnedExpressions(f.fn);
        if (rets.length && rets.length <= 3) {
          const inner = bindArgs(f.fn, x.arguments as N[], e, f.env);
          return rets.flatMap((r) => evalString(r, inner)).slice(0, MAX_ALTS);
        }
      }
      return hole(x, env);
    }
    default:
      return hole(x, env);
  }
}

/** `process` / `import.meta` as the code reads them (not a local variable named `process`). */
function isEnvObject(n: N, depth = 0): boolean {
  const x = unwrap(n);
  if (x.type === 'MemberExpression') {
    if (propName(x) !== 'env') return false;
    const o = unwrap(x.object);
    return o.type === 'MetaProperty' || (o.type === 'Identifier' && o.name === 'process' && !resolveBinding(o));
  }
  // `const env = process.env`, `const { env } = process`
  if (x.type !== 'Identifier' || depth > 2) return false;
  const b = resolveBinding(x);
  if (b?.kind !== 'var' || !b.declarator.init) return false;
  const init = unwrap(b.declarator.init);
  if (!b.path.length) return isEnvObject(init, depth + 1);
  return b.path.length === 1 && b.path[0] === 'env' && init.type === 'Identifier' && init.name === 'process' && !resolveBinding(init);
}

/**
 * The variable an expression reads from the environment: `process.env.NAME`, `process.env['NAME']`,
 * `import.meta.env.NAME` (VITE_, REACT_APP_, NEXT_PUBLIC_ prefixes are just part of the name), a
 * `const { NAME } = process.env`, or through `const env = process.env`.
 */
function envVarName(x: N): string | undefined {
  if (x.type === 'MemberExpression') {
    const key = propName(x);
    return key !== undefined && isEnvObject(x.object) ? key : undefined;
  }
  if (x.type !== 'Identifier') return undefined;
  const b = resolveBinding(x);
  if (b?.kind !== 'var' || b.path.length !== 1 || !b.declarator.init) return undefined;
  return isEnvObject(b.declarator.init) ? b.path[0] : undefined;
}

/** The env files' SoundCloud value of an environment variable the code reads (and defines nowhere else). */
function envValue(x: N, env: Env): Str[] | undefined {
  const project = env.project;
  if (!project) return undefined;
  const hosts = projectEnvHosts(project);
  if (!hosts.size) return undefined;
  const name = envVarName(x);
  const hit = name === undefined ? undefined : envHostFor(hosts, project.root, env.filename, name);
  return hit?.value !== undefined ? [[{ kind: 'text', text: hit.value, owner: x, file: hit.file, envFile: true }]] : undefined;
}

/** Joins a Str to plain text, holes as U+FFFC. */
export const HOLE = '\uFFFC';
/**
 * The array literal joined by `x.join(sep)`: written there, or the `const`/`var` initialised with
 * it (`var parts = ['https://soundcloud.com/connect', '?client_id=' + id]; open(parts.join(''))`).
 */
export function arrayOf(n: N): TSESTree.ArrayExpression | undefined {
  const x = unwrap(n);
  if (x.type === 'ArrayExpression') return x;
  if (x.type !== 'Identifier') return undefined;
  const b = resolveBinding(x);
  const init = b?.kind === 'var' && b.path.length === 0 && b.declarator.init ? unwrap(b.declarator.init) : undefined;
  return init?.type === 'ArrayExpression' ? init : undefined;
}

export function flatText(s: Str): string {
  let out = '';
  for (const p of s) out += p.kind === 'text' ? p.text : HOLE;
  return out;
}

/** The part covering a character offset of flatText(s). */
export function partAt(s: Str, offset: number): Part | undefined {
  let at = 0;
  for (const p of s) {
    const len = p.kind === 'text' ? p.text.length : 1;
    if (offset < at + len) return p;
    at += len;
  }
  return undefined;
}

/**
 * Where `re` matches the text of some alternative, the literal of this file that wrote the matched
 * character (`at` picks the offset within the match; default its start).
 */
export function localOwnersOf(alts: Str[], re: RegExp, file: string, at: (m: RegExpExecArray) => number = (m) => m.index): { owner: N; match: RegExpExecArray }[] {
  const out: { owner: N; match: RegExpExecArray }[] = [];
  for (const alt of alts) {
    const m = re.exec(flatText(alt));
    if (!m) continue;
    const part = partAt(alt, at(m));
    if (part?.kind === 'text' && part.file === file) out.push({ owner: part.owner, match: m });
  }
  return out;
}

export { declarationsOf };
