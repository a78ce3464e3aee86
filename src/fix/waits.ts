/**
 * A promise-based request that a plain (not async) function returns, or that an arrow function's
 * expression body is: `return fetch(url + '?client_id=' + ID).then((r) => r.json())`,
 * `const search = (q) => axios.get(url, { params: { client_id, q } })`. The request waits for the
 * app token in the chain it already heads:
 * `return soundcloudAccessToken().then((token) => fetch(url, { headers })).then((r) => r.json())`:
 * the function still returns a promise of the same value, and a failed token request rejects it,
 * as a failed request would. Also a chain written as the statement that ends a plain function
 * (`app.get('/s', (req, res) => { axios.get(url).then((r) => res.json(r.data)).catch(next); })`):
 * a failed token request goes down the same chain. Only fetch and axios, whose calls return plain promises (got, ky,
 * superagent and request-promise return objects with methods of their own a caller may use), and
 * only when the request heads a chain of then/catch/finally that is returned.
 */
import type { TSESTree } from '@typescript-eslint/typescript-estree';
import type { RequestInfo } from '../engine/analysis/requests.js';
import { propName } from '../engine/analysis/values.js';
import type { TextEdit } from '../engine/types.js';
import { resolveBinding } from '../engine/analysis/scope.js';
import { commonJsExports, endsFunction, freeName, isFn, isReference } from './rewrites.js';

type N = TSESTree.Node;

export function promiseWait(text: string, r: RequestInfo): { name: string; edits: TextEdit[] } | undefined {
  if (r.lib !== 'fetch' && r.lib !== 'axios') return undefined;
  // the chain the request heads: fetch(u).then(a).catch(b)
  let e: N = r.call;
  while (e.parent?.type === 'MemberExpression' && e.parent.object === e && /^(then|catch|finally)$/.test(propName(e.parent) ?? '') && e.parent.parent?.type === 'CallExpression' && e.parent.parent.callee === e.parent) e = e.parent.parent;
  const p = e.parent;
  let fn: TSESTree.FunctionLike | undefined;
  if (p?.type === 'ArrowFunctionExpression' && p.body === e) fn = p;
  // returned, or the statement that ends the function (an Express handler's `axios.get(u).then((r) => res.json(r.data))`)
  else if (p?.type === 'ReturnStatement' || (p?.type === 'ExpressionStatement' && e !== r.call && endsFunction(p))) for (let x: N | undefined = p.parent; x && !fn; x = x.parent) if (isFn(x)) fn = x;
  if (!fn || fn.async || (fn as { generator?: boolean }).generator) return undefined;
  const scope = text.slice(fn.range[0], fn.range[1]);
  const name = freeName(scope);
  if (!name) return undefined;
  return { name, edits: [
    { range: [r.call.range[0], r.call.range[0]], text: `soundcloudAccessToken().then((${name}) => ` },
    { range: [r.call.range[1], r.call.range[1]], text: ')' },
  ] };
}

const ROUTE_METHODS = /^(get|post|put|patch|delete|del|all|head|options|use)$/;

/** `app.get('/path', handler)`, `router.use(handler)`: an Express route registration handing `x` over as a handler. */
function isRouteArgument(x: N): boolean {
  const c = x.parent;
  if (c?.type !== 'CallExpression' || c.callee.type !== 'MemberExpression' || !(c.arguments as N[]).includes(x)) return false;
  const m = propName(c.callee) ?? '';
  if (!ROUTE_METHODS.test(m)) return false;
  const first = c.arguments[0] as N;
  return m === 'use' || first.type === 'Literal' || first.type === 'TemplateLiteral';
}

/**
 * A function nobody reads the return value of: an Express route handler, written at its route
 * (`app.get('/r', (req, res) => ...)`) or declared in the module and only ever handed to route
 * registrations (`function handleResolve(req, res) {...}; app.get('/resolve', handleResolve)`),
 * in a file that loads Express. Express 4 ignores what a handler returns; Express 5 sends a
 * rejected promise to the error handler.
 */
function onlyRouteHandler(fn: FunctionLike, text: string, identifiers: TSESTree.Identifier[]): boolean {
  if (!/\brequire\(\s*['"]express['"]\s*\)|\bfrom\s+['"]express['"]/.test(text)) return false;
  if (fn.type !== 'FunctionDeclaration') return isRouteArgument(fn);
  const name = fn.id?.name;
  if (!name || fn.parent?.type !== 'Program') return false;
  if (commonJsExports(name, text)) return false;
  const refs = identifiers.filter((x) => x.name === name && x !== fn.id && isReference(x) && (resolveBinding(x) as { node?: N } | undefined)?.node === fn);
  return refs.length > 0 && refs.every(isRouteArgument);
}

type FunctionLike = TSESTree.FunctionLike;

/**
 * A request of the request library piped on by a route handler, as its last statement or its
 * return value: `return request(url).pipe(res)`. Nothing reads what the handler returns, so the
 * request can wait for the app token:
 * `return soundcloudAccessToken().then((token) => request(url, { headers }).pipe(res))`.
 * The stream methods chained on the request (`pipe`, `on`) stay on it.
 */
export function routeWait(text: string, r: RequestInfo, identifiers: TSESTree.Identifier[]): { name: string; edits: TextEdit[] } | undefined {
  if (r.lib !== 'request') return undefined;
  let e: N = r.call;
  while (e.parent?.type === 'MemberExpression' && e.parent.object === e && /^(pipe|on|once)$/.test(propName(e.parent) ?? '') && e.parent.parent?.type === 'CallExpression' && e.parent.parent.callee === e.parent) e = e.parent.parent;
  const p = e.parent;
  let fn: FunctionLike | undefined;
  if (p?.type === 'ArrowFunctionExpression' && p.body === e) fn = p;
  else if (p?.type === 'ReturnStatement' || (p?.type === 'ExpressionStatement' && endsFunction(p))) for (let x: N | undefined = p.parent; x && !fn; x = x.parent) if (isFn(x)) fn = x;
  if (!fn || fn.async || (fn as { generator?: boolean }).generator || !onlyRouteHandler(fn, text, identifiers)) return undefined;
  // the request's own callback may read `this` (the request): it stays the request's
  if (r.call.arguments.some((a) => isFn(a as N))) return undefined;
  const name = freeName(text.slice(fn.range[0], fn.range[1]));
  if (!name) return undefined;
  return { name, edits: [
    { range: [r.call.range[0], r.call.range[0]], text: `soundcloudAccessToken().then((${name}) => ` },
    { range: [e.range[1], e.range[1]], text: ')' },
  ] };
}
