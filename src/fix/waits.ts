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
 * only when the request heads a chain of then/catch/finally that is returned; those others in the
 * chain that ends a function as a statement (nothing reads what it gives), or returned by a
 * function of the module that it does not export and whose every call is awaited, `.then`-ed or
 * returned from an async function (nobody reads the library's own methods).
 */
import type { TSESTree } from '@typescript-eslint/typescript-estree';
import { libraryOfName, type RequestInfo } from '../engine/analysis/requests.js';
import { propName, unwrap, type Env } from '../engine/analysis/values.js';
import type { TextEdit } from '../engine/types.js';
import { resolveBinding } from '../engine/analysis/scope.js';
import { awaitedNext, commonJsExports, endsFunction, eolOf, freeName, headsCatchingChain, isFn, isReference, lineIndent, mentionCount } from './rewrites.js';

type N = TSESTree.Node;

export function promiseWait(text: string, r: RequestInfo, identifiers?: TSESTree.Identifier[]): { name: string; edits: TextEdit[] } | undefined {
  const plain = r.lib === 'fetch' || r.lib === 'axios';
  if (!plain && r.lib !== 'request' && r.lib !== 'got' && r.lib !== 'ky' && r.lib !== 'superagent') return undefined;
  // the chain the request heads: fetch(u).then(a).catch(b)
  let e: N = r.call;
  while (e.parent?.type === 'MemberExpression' && e.parent.object === e && /^(then|catch|finally)$/.test(propName(e.parent) ?? '') && e.parent.parent?.type === 'CallExpression' && e.parent.parent.callee === e.parent) e = e.parent.parent;
  const p = e.parent;
  let fn: TSESTree.FunctionLike | undefined;
  // (a library whose calls return objects of their own only in a chain nobody reads: request-promise's
  // `rp(options).then(f).catch(g);` as the handler's last statement uses no method but then/catch/finally)
  if (p?.type === 'ArrowFunctionExpression' && p.body === e) { if (plain) fn = p; }
  // returned, or the statement that ends the function (an Express handler's `axios.get(u).then((r) => res.json(r.data))`)
  else if (p?.type === 'ReturnStatement' || (p?.type === 'ExpressionStatement' && e !== r.call && endsFunction(p))) for (let x: N | undefined = p.parent; x && !fn; x = x.parent) if (isFn(x)) fn = x;
  // a chain with a fallback given to a variable that the next statement of an async function awaits
  // first (`const res = axios.get(url, { params }).catch(fb); const d = (await res).data`): an `await`
  // inside the request would skip the fallback; waiting at the chain's head keeps it
  const awaited = plain && e !== r.call && awaitedNext(e);
  if (awaited) for (let x: N | undefined = p!.parent; x && !fn; x = x.parent) if (isFn(x)) fn = x;
  // an async function's returned chain that handles a failure (`return axios.get(u, { params }).then(f).catch(g)`):
  // an `await` inside the request would throw past the chain's handler; waiting at the chain's head keeps it
  const returnedCatching = p?.type === 'ReturnStatement' && headsCatchingChain(r.call);
  if (!fn || (fn.async && !awaited && !returnedCatching) || (fn as { generator?: boolean }).generator) return undefined;
  // returned by a module's own function whose every call only waits for it (request-promise's
  // `return rp(url, { qs })` in a helper each caller awaits): nobody uses the library's own methods
  if (p?.type === 'ReturnStatement' && !plain && !(identifiers && onlyWaitedInModule(fn, text, identifiers))) return undefined;
  const scope = text.slice(fn.range[0], fn.range[1]);
  const name = freeName(scope);
  if (!name) return undefined;
  return { name, edits: [
    { range: [r.call.range[0], r.call.range[0]], text: `soundcloudAccessToken().then((${name}) => ` },
    { range: [r.call.range[1], r.call.range[1]], text: ')' },
  ] };
}

/**
 * A function declared at the top of its module (`function get(path) {...}`, `const get = (path) => ...`)
 * that the module does not export, whose every mention is a call that is awaited, handed on by
 * `.then` / `.catch` / `.finally`, or returned from an async function.
 */
function onlyWaitedInModule(fn: TSESTree.FunctionLike, text: string, identifiers: TSESTree.Identifier[]): boolean {
  const own = unexportedModuleFunction(fn, text, identifiers);
  if (!own) return false;
  const { name, refs } = own;
  // (and no other mention: a string or comment may name it for a dynamic call)
  if (!refs.length || mentionCount(text, name) !== refs.length + 1) return false;
  return refs.every((x) => {
    const call = x.parent;
    if (call?.type !== 'CallExpression' || call.callee !== x) return false;
    const up = call.parent;
    if (up?.type === 'AwaitExpression') return true;
    if (up?.type === 'MemberExpression' && up.object === call && /^(then|catch|finally)$/.test(propName(up) ?? '')) return up.parent?.type === 'CallExpression' && up.parent.callee === up;
    if (up?.type !== 'ReturnStatement') return false;
    for (let f: N | undefined = up.parent; f; f = f.parent) if (isFn(f)) return !!(f as { async?: boolean }).async;
    return false;
  });
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
  const refs = unexportedModuleFunction(fn, text, identifiers)?.refs;
  return !!refs && refs.length > 0 && refs.every(isRouteArgument);
}

/**
 * A function the module declares at its top (`function get(path) {...}`, or the value of a top-level
 * `const get = (path) => ...`) and does not export through CommonJS: its name, and its references in the file.
 */
function unexportedModuleFunction(fn: FunctionLike, text: string, identifiers: TSESTree.Identifier[]): { name: string; refs: TSESTree.Identifier[] } | undefined {
  const d = fn.parent;
  const id = fn.type === 'FunctionDeclaration' && d?.type === 'Program' ? fn.id
    : d?.type === 'VariableDeclarator' && d.init === fn && d.id.type === 'Identifier' && d.parent?.type === 'VariableDeclaration' && d.parent.kind === 'const' && d.parent.parent?.type === 'Program' ? d.id : undefined;
  if (!id || commonJsExports(id.name, text)) return undefined;
  const refs = identifiers.filter((x) => x !== id && x.name === id.name && isReference(x) && ((b) => b?.node === fn || b?.declarator === d)(resolveBinding(x) as { node?: N; declarator?: N } | undefined));
  return { name: id.name, refs };
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

/**
 * A request of the request library or restler whose events the statement ending a plain function
 * listens to: `rest.get(url, { query }).on('complete', function (data) {...})`,
 * `request(url).on('error', onError).pipe(...)` is not one (only `.on` / `.once` links). The request
 * waits for the app token inside the chain it heads, and a failed token request goes to the
 * handler a failed request would reach: the `error` listener, else restler's `complete` listener
 * (restler hands it the Error):
 * `const onComplete = function (data) {...}; soundcloudAccessToken().then((token) => rest.get(url,
 * { query, headers }).on('complete', onComplete), onComplete)`. With neither listener, or a
 * listener reading `this` (the emitter), or in TypeScript: undefined (the marker stays).
 */
export function emitterWait(text: string, r: RequestInfo, env: Env, filename: string): { name: string; edits: TextEdit[] } | undefined {
  if (r.lib !== 'request' || /\.[cm]?tsx?$/i.test(filename)) return undefined;
  const links: { event: string; handler: N }[] = [];
  let e: N = r.call;
  for (let m = e.parent; m?.type === 'MemberExpression' && m.object === e && /^(on|once)$/.test(propName(m) ?? '') && m.parent?.type === 'CallExpression' && m.parent.callee === m; m = e.parent) {
    const [ev, h] = m.parent.arguments as N[];
    if (m.parent.arguments.length !== 2 || ev?.type !== 'Literal' || typeof ev.value !== 'string' || !h || h.type === 'SpreadElement') return undefined;
    links.push({ event: ev.value, handler: h });
    e = m.parent;
  }
  const stmt = e.parent;
  if (!links.length || stmt?.type !== 'ExpressionStatement' || !endsFunction(stmt)) return undefined;
  let fn: N | undefined = stmt.parent;
  while (fn && !isFn(fn)) fn = fn.parent;
  if (!fn || !isFn(fn) || fn.async || (fn as { generator?: boolean }).generator) return undefined;
  // restler: the callee's object is the module (rest.get), which emits `complete` with the Error
  const callee = unwrap(r.call.callee as N);
  const restler = callee.type === 'MemberExpression' && libraryOfName(callee.object as N, env) === 'restler';
  const failing = links.find((l) => l.event === 'error') ?? (restler ? links.find((l) => l.event === 'complete') : undefined);
  if (!failing) return undefined;
  const h = unwrap(failing.handler);
  const readsThis = (f: N) => f.type !== 'ArrowFunctionExpression' && /\bthis\b/.test(text.slice(f.range[0], f.range[1]));
  const scope = text.slice(fn.range[0], fn.range[1]);
  const name = freeName(scope);
  if (!name) return undefined;
  const head = { range: [r.call.range[0], r.call.range[0]] as [number, number], text: `soundcloudAccessToken().then((${name}) => ` };
  if (h.type === 'Identifier') {
    const b = resolveBinding(h);
    if (!b || b.kind === 'import') return undefined;
    return { name, edits: [head, { range: [e.range[1], e.range[1]], text: `, ${h.name})` }] };
  }
  if (!isFn(h) || readsThis(h)) return undefined;
  // a name the module uses nowhere (a request in the callback of another one moved in an earlier pass finds `onComplete` taken)
  const kind = failing.event === 'error' ? 'Error' : 'Complete';
  const cbName = freeName(text, [`on${kind}`, `handle${kind}`, `onSoundcloud${kind}`, `onRequest${kind}`]);
  if (!cbName) return undefined;
  const decl = /\b(const|let)\s/.test(text) ? 'const' : 'var';
  const semi = /;\s*$/.test(text.slice(stmt.range[0], stmt.range[1])) ? ';' : '';
  return { name, edits: [
    { range: [r.call.range[0], r.call.range[0]], text: `${decl} ${cbName} = ${text.slice(failing.handler.range[0], failing.handler.range[1])}${semi}${eolOf(text)}${lineIndent(text, stmt.range[0])}soundcloudAccessToken().then((${name}) => ` },
    { range: failing.handler.range, text: cbName },
    { range: [e.range[1], e.range[1]], text: `, ${cbName})` },
  ] };
}
