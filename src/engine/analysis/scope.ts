/**
 * Minimal lexical binding resolution over ESTree (no ESLint scope manager needed, so the same code
 * runs under ESLint and in the sc-migrate runner). Enough for constant propagation: const/let/var
 * declarators, function declarations, parameters, imports and CommonJS requires.
 */
import type { TSESTree } from '@typescript-eslint/typescript-estree';

type N = TSESTree.Node;

export type Binding =
  | { kind: 'var'; id: TSESTree.Identifier; declarator: TSESTree.VariableDeclarator; declKind: string; path: string[] }
  | { kind: 'function'; node: TSESTree.FunctionDeclaration }
  | { kind: 'class'; node: TSESTree.ClassDeclaration }
  | { kind: 'enum'; node: TSESTree.TSEnumDeclaration }
  | { kind: 'param'; node: N; fn: N; index: number }
  | { kind: 'import'; node: TSESTree.ImportDeclaration; imported: string /* 'default' | '*' | name */ };

const SCOPES = new Set(['Program', 'BlockStatement', 'StaticBlock', 'FunctionDeclaration', 'FunctionExpression', 'ArrowFunctionExpression', 'ForStatement', 'ForInStatement', 'ForOfStatement', 'CatchClause', 'SwitchStatement', 'TSModuleBlock']);

const declCache = new WeakMap<N, ReadonlyMap<string, Binding>>();
const NO_DECLARATIONS: ReadonlyMap<string, Binding> = new Map();

/** Names bound by a pattern, with the property path leading to each (for destructuring). */
export function patternNames(p: N | null | undefined, path: string[] = [], out: { id: TSESTree.Identifier; path: string[] }[] = []) {
  if (!p) return out;
  switch (p.type) {
    case 'Identifier': out.push({ id: p, path }); break;
    case 'ObjectPattern':
      for (const prop of p.properties) {
        if (prop.type === 'RestElement') patternNames(prop.argument, path, out);
        else {
          const key = prop.key.type === 'Identifier' && !prop.computed ? prop.key.name : prop.key.type === 'Literal' ? String(prop.key.value) : '?';
          patternNames(prop.value, [...path, key], out);
        }
      }
      break;
    case 'ArrayPattern': p.elements.forEach((e, i) => patternNames(e, [...path, String(i)], out)); break;
    case 'AssignmentPattern': patternNames(p.left, path, out); break;
    case 'RestElement': patternNames(p.argument, path, out); break;
    case 'TSParameterProperty': patternNames(p.parameter, path, out); break;
    default: break;
  }
  return out;
}

/** The path of a name bound directly (`const x = ...`, the usual case): shared, never written to. */
const NO_PATH: string[] = [];

function addVarDecl(map: Map<string, Binding>, decl: TSESTree.VariableDeclaration) {
  for (const d of decl.declarations) {
    if (d.id.type === 'Identifier') { map.set(d.id.name, { kind: 'var', id: d.id, declarator: d, declKind: decl.kind, path: NO_PATH }); continue; }
    for (const { id, path } of patternNames(d.id)) map.set(id.name, { kind: 'var', id, declarator: d, declKind: decl.kind, path });
  }
}

function collectStatement(map: Map<string, Binding>, s: N, hoistVars: boolean) {
  switch (s.type) {
    case 'VariableDeclaration': addVarDecl(map, s); break;
    case 'FunctionDeclaration': if (s.id) map.set(s.id.name, { kind: 'function', node: s }); break;
    case 'ClassDeclaration': if (s.id) map.set(s.id.name, { kind: 'class', node: s }); break;
    case 'TSEnumDeclaration': map.set(s.id.name, { kind: 'enum', node: s }); break;
    case 'ImportDeclaration':
      for (const spec of s.specifiers) {
        const imported = spec.type === 'ImportDefaultSpecifier' ? 'default' : spec.type === 'ImportNamespaceSpecifier' ? '*'
          : spec.imported.type === 'Identifier' ? spec.imported.name : String(spec.imported.value);
        map.set(spec.local.name, { kind: 'import', node: s, imported });
      }
      break;
    case 'ExportNamedDeclaration': case 'ExportDefaultDeclaration':
      if (s.declaration) collectStatement(map, s.declaration as N, hoistVars);
      break;
    default:
      if (hoistVars) hoistVarsFrom(map, s);
  }
}

const HOIST_KEYS = ['body', 'consequent', 'alternate', 'block', 'handler', 'finalizer', 'init', 'cases'] as const;

/** `var` declarations in nested blocks belong to the function (hoisting). */
function hoistVarsFrom(map: Map<string, Binding>, s: N) {
  const stack: N[] = [s];
  while (stack.length) {
    const n = stack.pop()!;
    if (n.type === 'VariableDeclaration') { if (n.kind === 'var') addVarDecl(map, n); continue; }
    if (n.type.includes('Function') || n.type === 'ClassDeclaration' || n.type === 'ClassExpression') continue;
    for (const k of HOIST_KEYS) {
      const c = (n as unknown as Record<string, unknown>)[k];
      if (Array.isArray(c)) stack.push(...(c as N[]));
      else if (c && typeof c === 'object' && 'type' in (c as object)) stack.push(c as N);
    }
  }
}

/** `x || {}`, `x ?? d`, `x ? x : d`, `x !== undefined ? x : d`: an initialiser that defaults `name` (one level of operators). */
function defaultsName(init: N | null | undefined, name: string): boolean {
  if (!init) return false;
  const is = (n: N | null | undefined) => !!n && n.type === 'Identifier' && n.name === name;
  if (init.type === 'LogicalExpression') return (init.operator === '||' || init.operator === '??') && is(init.left);
  if (init.type === 'ConditionalExpression') return is(init.consequent) || is(init.alternate);
  return false;
}

export function declarationsOf(scope: N): ReadonlyMap<string, Binding> {
  const hit = declCache.get(scope);
  if (hit) return hit;
  const map = new Map<string, Binding>();
  switch (scope.type) {
    case 'Program': case 'BlockStatement': case 'StaticBlock': case 'TSModuleBlock':
      for (const s of scope.body as N[]) collectStatement(map, s, scope.type === 'Program');
      // a function body's `var options = options || {}`: the parameter's (the function's scope below)
      if (scope.type === 'BlockStatement' && scope.parent?.type.includes('Function') && map.size) {
        const fnScope = declarationsOf(scope.parent);
        for (const [name, b] of map) if (b.kind === 'var' && b.declKind === 'var' && fnScope.get(name)?.kind === 'param') map.delete(name);
      }
      break;
    case 'FunctionDeclaration': case 'FunctionExpression': case 'ArrowFunctionExpression':
      scope.params.forEach((p, index) => { for (const { id } of patternNames(p)) map!.set(id.name, { kind: 'param', node: id, fn: scope, index }); });
      if (scope.type === 'FunctionExpression' && scope.id) map.set(scope.id.name, { kind: 'function', node: scope as unknown as TSESTree.FunctionDeclaration });
      if (scope.body.type === 'BlockStatement') {
        const params = new Map(map);
        for (const s of scope.body.body) hoistVarsFrom(map, s);
        // `var options = options || {}` (ES5's default): the same variable as the parameter, which
        // it only defaults; its value comes from the caller (the scope manager's first definition too)
        for (const [name, b] of params) {
          const v = map.get(name);
          if (v !== b && v?.kind === 'var' && v.declarator.id === v.id && defaultsName(v.declarator.init, name)) map.set(name, b);
        }
      }
      break;
    case 'ForStatement': if (scope.init?.type === 'VariableDeclaration') addVarDecl(map, scope.init); break;
    case 'ForInStatement': case 'ForOfStatement': if (scope.left.type === 'VariableDeclaration') addVarDecl(map, scope.left); break;
    case 'CatchClause': for (const { id } of patternNames(scope.param)) map.set(id.name, { kind: 'param', node: id, fn: scope, index: 0 }); break;
    case 'SwitchStatement': for (const c of scope.cases) for (const s of c.consequent) collectStatement(map, s, false); break;
    default: break;
  }
  // most blocks declare nothing: one shared empty map for them
  const out = map.size ? map : NO_DECLARATIONS;
  declCache.set(scope, out);
  return out;
}

/**
 * Answers of resolveBinding by identifier: the facts, the request reading and the rules ask about
 * the same call roots again and again (`libraryOfName`, `sdkCall`, `resolveFunction`), and each
 * ask walked every ancestor with a lookup per scope. Kept only for an identifier whose ancestors
 * reach the Program (a tree whose parents are set: the answer cannot change).
 */
const bindingCache = new WeakMap<TSESTree.Identifier, Binding | null>();

export function resolveBinding(id: TSESTree.Identifier): Binding | undefined {
  const hit = bindingCache.get(id);
  if (hit !== undefined) return hit ?? undefined;
  let n: N | undefined = id.parent;
  for (; n; n = n.parent) {
    if (!SCOPES.has(n.type)) continue;
    const b = declarationsOf(n).get(id.name);
    if (b) { bindingCache.set(id, b); return b; }
    if (n.type === 'Program') { bindingCache.set(id, null); return undefined; }
  }
  return undefined;
}

/**
 * What a name holds when the code runs: resolveBinding, except that an ambient declaration
 * (`declare const SC: any`, `declare var SC`) is no value of the file but TypeScript's word that a
 * global exists (a page's script defines it): undefined, as for an unbound name. (TypeScript's
 * scope manager does bind it, and resolveBinding agrees with it: test/engine/scope-parity.)
 */
export function runtimeBinding(id: TSESTree.Identifier): Binding | undefined {
  const b = resolveBinding(id);
  return b?.kind === 'var' && (b.declarator.parent as TSESTree.VariableDeclaration | undefined)?.declare ? undefined : b;
}

/** The function (of any kind: declaration, expression, arrow, method value) that `n` is written in. */
export function enclosingFunction(n: N): N | undefined {
  for (let p = n.parent; p; p = p.parent) if (p.type.includes('Function')) return p;
  return undefined;
}

/** The body of the class a node is written in (its methods, fields, constructor). */
export function enclosingClassBody(n: N): TSESTree.ClassBody | undefined {
  for (let p = n.parent; p; p = p.parent) if (p.type === 'ClassBody') return p;
  return undefined;
}

export function programOf(node: N): TSESTree.Program {
  let n: N = node;
  while (n.parent) n = n.parent;
  return n as TSESTree.Program;
}

