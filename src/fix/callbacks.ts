/**
 * Is a parameter handed to `request(url, x)` a callback? The request library takes
 * `request(url, options)` and `request(url, callback)` alike, so a parameter in that place is
 * ambiguous until the code says which: the function calls it (`if (!q) return done(err)`), its
 * type is a function type (`cb: (err: Error) => void`), or every call of the function in the file
 * passes a function there (`search('x', function (err, res, body) {...})`). A parameter the
 * function reads as an object (`x.headers`, `{ ...x }`) or hands to nothing else is not decided.
 */
import type { TSESTree } from '@typescript-eslint/typescript-estree';
import { resolveBinding, type Binding } from '../engine/analysis/scope.js';
import { unwrap } from '../engine/analysis/values.js';
import { traverseCollect } from '../engine/walk.js';
// rewrites.ts imports this module too: isFn is only called, never read while the modules load
import { enclosingFunction, isFn, isReference, referencesTo } from './rewrites.js';

type N = TSESTree.Node;
type Fn = TSESTree.FunctionDeclaration | TSESTree.FunctionExpression | TSESTree.ArrowFunctionExpression;
type ParamBinding = Extract<Binding, { kind: 'param' }>;

const FUNCTION_MEMBERS = /^(call|apply|bind)$/;

/** The references of a parameter in its function, in code (not nested functions that shadow it). */
function referencesOf(b: ParamBinding): TSESTree.Identifier[] {
  const out: TSESTree.Identifier[] = [];
  const name = (b.node as TSESTree.Identifier).name;
  traverseCollect((b.fn as Fn).body as never, (x: N) => {
    if (x.type !== 'Identifier' || x.name !== name || !isReference(x)) return;
    const rb = resolveBinding(x);
    if (rb?.kind === 'param' && rb.node === b.node) out.push(x);
  });
  return out;
}

/** The name a function is called by in its file: its declaration, or the `const`/`let`/`var` it initialises. */
function nameOfFunction(fn: Fn): TSESTree.Identifier | undefined {
  if (fn.type === 'FunctionDeclaration') return fn.id ?? undefined;
  const d = fn.parent;
  return d?.type === 'VariableDeclarator' && d.init === fn && d.id.type === 'Identifier' ? d.id : undefined;
}

/** Every call of the function by its name in the file passes a function at `index` (at least one call, none spread). */
function callSitesPassFunctions(fn: Fn, index: number): boolean {
  const id = nameOfFunction(fn);
  if (!id) return false;
  let root: N = fn;
  while (root.parent) root = root.parent;
  let calls = 0;
  let other = false;
  traverseCollect(root as never, (x: N) => {
    if (other || x.type !== 'Identifier' || x.name !== id.name || x === id) return;
    const p = x.parent;
    if (p?.type === 'MemberExpression' && p.property === x && !p.computed) return;
    if (p?.type === 'Property' && p.key === x && !p.computed && !p.shorthand) return;
    const b = resolveBinding(x);
    const same = b?.kind === 'function' ? b.node === fn : b?.kind === 'var' ? b.declarator.init === fn : false;
    if (!same) return;
    // a use that is not a call (exported, handed on): its other callers are unknown
    if (p?.type !== 'CallExpression' || p.callee !== x) { other = true; return; }
    const args = p.arguments as N[];
    if (args.some((a) => a.type === 'SpreadElement')) { other = true; return; }
    const a = args[index] && unwrap(args[index]!);
    const fnArg = !!a && (isFn(a) || (a.type === 'Identifier' && (() => { const ab = resolveBinding(a); return ab?.kind === 'function' || (ab?.kind === 'var' && isFn(ab.declarator.init ? unwrap(ab.declarator.init as N) : undefined)); })()));
    if (!fnArg) other = true;
    calls++;
  });
  return calls > 0 && !other;
}

/** The parameter `x` is a callback, by what its function does with it or what its callers pass. */
export function isCallbackParam(x: N): boolean {
  if (x.type !== 'Identifier') return false;
  const b = resolveBinding(x);
  if (b?.kind !== 'param' || !isFn(b.fn as N)) return false;
  const fn = b.fn as Fn;
  const param = fn.params[b.index];
  // a destructured parameter, or one with a default value, is not a plain callback
  if (param?.type !== 'Identifier' || param !== b.node) return false;
  const type = param.typeAnnotation?.typeAnnotation;
  if (type) return type.type === 'TSFunctionType';
  const refs = referencesOf(b);
  // read as an object anywhere (other than call/apply/bind): options, not a callback
  const asObject = refs.some((r) => {
    const p = r.parent;
    return (p?.type === 'MemberExpression' && p.object === r && !FUNCTION_MEMBERS.test(p.property.type === 'Identifier' ? p.property.name : '')) || p?.type === 'SpreadElement' || (p?.type === 'UnaryExpression' && p.operator === 'typeof');
  });
  // reassigned to anything but a function (`cb = cb || function () {}` keeps it one)
  const reassigned = refs.some((r) => {
    const p = r.parent;
    if (p?.type !== 'AssignmentExpression' || p.left !== r) return false;
    const v = unwrap(p.right as N);
    return !(isFn(v) || (v.type === 'LogicalExpression' && isFn(unwrap(v.right as N))));
  });
  if (asObject || reassigned) return false;
  const called = refs.some((r) => {
    const p = r.parent;
    return (p?.type === 'CallExpression' && p.callee === r) || (p?.type === 'MemberExpression' && p.object === r && p.parent?.type === 'CallExpression' && p.parent.callee === p);
  });
  return called || callSitesPassFunctions(fn, b.index);
}

/**
 * `var uri; ... uri = base + '.json?oauth_token=' + t; ... $http.delete(uri)`: a URL assigned to a
 * local variable (not where it is declared: in a loop, a branch) and sent by the one request of
 * the same function that reads the variable after it. Only when the variable is assigned there
 * only and read by nothing else (its declaration has no value, or one nothing reads).
 */
export function assignedUrlRequest<R extends { call: TSESTree.CallExpression; urlNode?: N }>(root: N, requests: readonly R[]): R | undefined {
  const a = root.parent;
  if (a?.type !== 'AssignmentExpression' || a.operator !== '=' || a.right !== root || a.left.type !== 'Identifier' || a.parent?.type !== 'ExpressionStatement') return undefined;
  const b = resolveBinding(a.left);
  if (b?.kind !== 'var' || b.path.length || b.declarator.id.type !== 'Identifier') return undefined;
  const fn = enclosingFunction(a);
  if (!isFn(fn) || enclosingFunction(b.declarator) !== fn) return undefined;
  const refs = referencesTo(b.declarator, fn.body as N);
  const others = refs.filter((x) => x !== a.left);
  const r = others.length === 1 ? requests.find((q) => q.urlNode && unwrap(q.urlNode) === others[0]) : undefined;
  return r && enclosingFunction(r.call) === fn && r.call.range[0] > a.range[1] ? r : undefined;
}
