/**
 * Rewrites through the app's own request wrappers: credentials built at one place and sent by a
 * request written in another function of the same file.
 *
 * - A wrapper is a local function (or `this.method`) that passes one of its parameters as the URL
 *   or the body of exactly one request: `async function getJson(url) { return fetch(url, init) }`,
 *   `private requestToken(body) { return fetch(TOKEN_URL, { body }) }`. The credential comes out
 *   of the argument (`?oauth_token=`, `addParam(u, 'oauth_token', t)`, `client_id`/`client_secret`
 *   in a form body); the wrapper gets a trailing `authorization` parameter that its request sends
 *   as the `Authorization` header; the call site passes `'OAuth ' + token` or the HTTP Basic pair.
 *   `client_id`-only calls pass nothing: the wrapper falls back to the app's client_credentials
 *   token (`soundcloudAccessToken()` from the client module), only when it is async, not exported
 *   and every call of it goes to a SoundCloud host.
 * - A helper that only appends `client_id` (`const withClientId = (u) => addParam(u, 'client_id', ID)`)
 *   is unwrapped at its calls to api.soundcloud.com that reach a wrapper, and removed once unused.
 * - A URL builder (`url(path) { ...; u.searchParams.set('oauth_token', this.token); return u }`)
 *   whose every call is the URL of a request: the parameter goes, each request sends the header.
 *
 * Everything else stays for a marker. All edits of a file form one group (applied whole or not at all).
 */
import type { TSESTree } from '@typescript-eslint/typescript-estree';
import type { FileFacts, ParamSite } from '../engine/analysis/facts.js';
import { classifyUrl } from '../engine/analysis/hosts.js';
import { onlyLogged } from '../engine/analysis/inert.js';
import { requestOf, type RequestInfo } from '../engine/analysis/requests.js';
import { resolveBinding } from '../engine/analysis/scope.js';
import { evalString, findProp, flatText, moduleAst, moduleExport, propName, resolveFunction, resolveObject, returnedExpressions, unwrap, type Env } from '../engine/analysis/values.js';
import type { Finding, TextEdit } from '../engine/types.js';
import { forEachChild } from '../engine/walk.js';
import type { Provider, ProviderContext } from './providers.js';
import { promiseWait } from './waits.js';
import {
  addHeader, at, atSite, callbackWait, clientIdParamAt, clientImportEdit, commonJsExports, enclosingFunction, executorWait, factsOf, findingsOf, insertProp, isAsyncContext, isBrowserCode, isFn, isModuleBinding, isSimple,
  quoteOf, removeParam, removePropsEdits, removeStatementEdit, stringRoot,
  oauthHeaderValue, src,
} from './rewrites.js';

type N = TSESTree.Node;
export type Fn = TSESTree.FunctionDeclaration | TSESTree.FunctionExpression | TSESTree.ArrowFunctionExpression;

const AUTH = 'authorization';

/** The local function a call runs, with whether code outside this file may call it. */
export interface Callee { fn: Fn; key: string; exported: boolean; env: Env; external?: boolean }

/** A module-level name the module exports (ESM `export`, `exports.name`, `module.exports = { name }`): other modules may call or read it. */
export function isExportedName(name: string, facts: FileFacts, text: string): boolean {
  for (const s of facts.ast.body) {
    if (s.type === 'ExportNamedDeclaration') {
      const d = s.declaration;
      if (d && 'id' in d && d.id?.type === 'Identifier' && d.id.name === name) return true;
      if (d?.type === 'VariableDeclaration' && d.declarations.some((x) => x.id.type === 'Identifier' && x.id.name === name)) return true;
      if (s.specifiers.some((x) => x.local.type === 'Identifier' && x.local.name === name)) return true;
    }
    if (s.type === 'ExportDefaultDeclaration' && (s.declaration.type === 'Identifier' && s.declaration.name === name || 'id' in s.declaration && (s.declaration.id as TSESTree.Identifier | null)?.name === name)) return true;
  }
  return commonJsExports(name, text);
}

function calleeOf(call: TSESTree.CallExpression, facts: FileFacts, text: string): Callee | undefined {
  const c = unwrap(call.callee);
  if (c.type === 'Identifier') {
    const r = resolveFunction(c, facts.env);
    if (!r || !isFn(r.fn as N)) return undefined;
    // another module's function: only its own parameters can carry the header (no edit there)
    if (r.env.filename !== facts.env.filename) return { fn: r.fn as Fn, key: `ext:${r.env.filename}:${r.fn.range[0]}`, exported: true, env: r.env, external: true };
    return { fn: r.fn as Fn, key: `fn:${c.name}`, exported: isExportedName(c.name, facts, text), env: facts.env };
  }
  // `api.getJson(...)` through `import * as api from './api.js'`: another module's function
  const ns = c.type === 'MemberExpression' && !c.computed ? unwrap(c.object) : undefined;
  if (c.type === 'MemberExpression' && ns?.type === 'Identifier') {
    const b = resolveBinding(ns);
    const name = propName(c);
    const spec = b?.kind === 'import' && b.imported === '*' ? b.node.source.value : undefined;
    const mod = spec && name ? moduleAst(facts.env.project, facts.env.filename, spec) : undefined;
    const env: Env | undefined = mod && { filename: mod.file, project: facts.env.project, depth: 0 };
    const ex = mod && env ? moduleExport(mod.ast, env, name!) : undefined;
    const fn = ex && unwrap(ex.node);
    if (!ex || !isFn(fn)) return undefined;
    return { fn, key: `ext:${ex.env.filename}:${fn.range[0]}`, exported: true, env: ex.env, external: true };
  }
  if (c.type === 'MemberExpression' && !c.computed && unwrap(c.object).type === 'ThisExpression') {
    const name = propName(c);
    let cls: N | undefined = call.parent;
    while (cls && cls.type !== 'ClassBody') cls = cls.parent;
    if (!cls || cls.type !== 'ClassBody' || !name) return undefined;
    const ms = cls.body.filter((m): m is TSESTree.MethodDefinition => m.type === 'MethodDefinition' && m.kind === 'method' && !m.static && propName(m as unknown as TSESTree.PropertyDefinition) === name);
    if (ms.length !== 1) return undefined;
    const m = ms[0]!;
    return { fn: m.value as Fn, key: `method:${cls.range[0]}:${name}`, exported: m.accessibility !== 'private' && m.key.type !== 'PrivateIdentifier', env: facts.env };
  }
  return undefined;
}

const sameCallee = (a: Callee | undefined, b: Callee) => !!a && a.fn === b.fn;

export function paramName(fn: Fn, i: number): string | undefined {
  let p: N | undefined = fn.params[i];
  if (p?.type === 'AssignmentPattern') p = p.left;
  return p?.type === 'Identifier' ? p.name : undefined;
}

/** The requests written directly in a function (not in nested ones), in its own file's terms. */
export function requestsIn(fn: Fn, env: Env): RequestInfo[] {
  const out: RequestInfo[] = [];
  const visit = (n: N) => {
    if (n.type === 'CallExpression') { const r = requestOf(n, env); if (r) out.push(r); }
    forEachChild(n, (c) => { if (!isFn(c)) visit(c); });
  };
  if (fn.body) visit(fn.body as N);
  return out;
}

/**
 * A URL whose last piece is the parameter, after a fixed prefix: `BASE + path`,
 * `` `${BASE}${path}` `` (`const get = (path) => axios.get('https://api.soundcloud.com/' + path)`).
 * What the caller passes ends the URL, so its query is the request's query.
 */
function isUrlTail(n: N | undefined, isParam: (n: N) => boolean): boolean {
  const x = n && unwrap(n);
  if (x?.type === 'BinaryExpression' && x.operator === '+') return isParam(x.right as N) && !containsParam(x.left as N, isParam);
  if (x?.type === 'TemplateLiteral') {
    const last = x.expressions[x.expressions.length - 1] as N | undefined;
    return !!last && isParam(last) && x.quasis[x.quasis.length - 1]!.value.cooked === '' && x.expressions.filter((e) => containsParam(e as N, isParam)).length === 1;
  }
  return false;
}

function containsParam(n: N, isParam: (n: N) => boolean): boolean {
  if (isParam(n)) return true;
  let found = false;
  forEachChild(n, (c) => { if (!found && containsParam(c, isParam)) found = true; });
  return found;
}

/**
 * What a wrapper's parameter is to its request: the URL (or its last piece), the body, or the
 * query, a params object the URL is joined with (`BASE + path + '?' + querystring.stringify(params)`).
 */
type Role = 'url' | 'body' | 'query';

/** `querystring.stringify(x)` / `qs.stringify(x)` / `querystring.encode(x)` / `new URLSearchParams(x)`: x is sent as the URL's query. */
function isQueryOf(n: N, isParam: (n: N | undefined) => boolean): boolean {
  const x = unwrap(n);
  if (x.type === 'NewExpression') return x.callee.type === 'Identifier' && x.callee.name === 'URLSearchParams' && x.arguments.length === 1 && isParam(x.arguments[0] as N);
  if (x.type !== 'CallExpression' || x.arguments.length !== 1 || !isParam(x.arguments[0] as N)) return false;
  const c = unwrap(x.callee as N);
  return c.type === 'MemberExpression' && unwrap(c.object as N).type === 'Identifier' && /^(querystring|qs|queryString)$/.test((unwrap(c.object as N) as TSESTree.Identifier).name) && /^(stringify|encode)$/.test(propName(c) ?? '');
}

/** The URL's pieces joined with `+` or a template: the parameter appears once, as the query of a stringify call. */
function isUrlQuery(n: N | undefined, isParam: (n: N | undefined) => boolean): boolean {
  const x = n && unwrap(n);
  if (!x) return false;
  const pieces: N[] = [];
  const flat = (e: N) => { const u = unwrap(e); if (u.type === 'BinaryExpression' && u.operator === '+') { flat(u.left as N); flat(u.right as N); } else pieces.push(u); };
  if (x.type === 'TemplateLiteral') pieces.push(...(x.expressions as N[]).map((e) => unwrap(e)));
  else flat(x);
  const holding = pieces.filter((e) => containsParam(e, (y) => isParam(y)));
  return holding.length === 1 && isQueryOf(holding[0]!, isParam) && (x.type !== 'TemplateLiteral' || x.expressions.length > 0);
}

/** The one request of a wrapper that sends parameter `name` as its URL, its body or its query. */
function wrapperRequest(fn: Fn, name: string, role: Role, facts: FileFacts, env?: Env): RequestInfo | undefined {
  const isParam = (n: N | undefined) => { const x = n && unwrap(n); return x?.type === 'Identifier' && x.name === name; };
  const own = env && env.filename !== facts.env.filename ? requestsIn(fn, env) : facts.requests.filter((r) => enclosingFunction(r.call) === fn);
  const rs = own.filter((r) => (role === 'url' ? isParam(r.urlNode) || isUrlTail(r.urlNode, isParam) : role === 'query' ? isUrlQuery(r.urlNode, isParam) : r.bodies.some((b) => isParam(b.node))));
  return rs.length === 1 && rs[0]!.lib !== 'sdk' && rs[0]!.lib !== 'node' && rs[0]!.lib !== 'meteor' ? rs[0] : undefined;
}

/** A call inside a wrapper to a local function of the wrapper's file that sends the URL on (`get(url) { request('GET', url) }`). */
export interface Hop { call: TSESTree.CallExpression; fn: Fn }

/** The calls written directly in a function (not in nested ones). */
function callsIn(fn: Fn): TSESTree.CallExpression[] {
  const out: TSESTree.CallExpression[] = [];
  const visit = (n: N) => { if (n.type === 'CallExpression') out.push(n); forEachChild(n, (c) => { if (!isFn(c)) visit(c); }); };
  if (fn.body) visit(fn.body as N);
  return out;
}

/**
 * The request a wrapper's parameter reaches: its own one request, or through calls to local
 * functions of the same file that hand the URL on (at most two hops, one such call per function).
 */
export function wrapperTarget(fn: Fn, name: string, role: Role, facts: FileFacts, env?: Env, depth = 0): { request: RequestInfo; hops: Hop[] } | undefined {
  const direct = wrapperRequest(fn, name, role, facts, env);
  if (direct) return { request: direct, hops: [] };
  if (role !== 'url' || depth >= 2) return undefined;
  const e = env ?? facts.env;
  const own = env && env.filename !== facts.env.filename ? requestsIn(fn, env) : facts.requests.filter((r) => enclosingFunction(r.call) === fn);
  if (own.length) return undefined;
  const isParam = (n: N) => { const x = unwrap(n); return x.type === 'Identifier' && x.name === name; };
  const hands = callsIn(fn).filter((c) => (c.arguments as N[]).some(isParam));
  if (hands.length !== 1) return undefined;
  const call = hands[0]!;
  const index = (call.arguments as N[]).findIndex(isParam);
  const r = resolveFunction(call.callee, e);
  const inner = r?.fn as N | undefined;
  if (!isFn(inner) || r!.env.filename !== e.filename || inner === fn || unwrap(call.callee).type !== 'Identifier') return undefined;
  const innerName = paramName(inner, index);
  const t = innerName ? wrapperTarget(inner, innerName, role, facts, e, depth + 1) : undefined;
  return t && { request: t.request, hops: [{ call, fn: inner }, ...t.hops] };
}

/** What one finding needs: its removal, the wrapper call that carries it, and what that call passes. */
export interface Route {
  finding: Finding; call: TSESTree.CallExpression; callee: Callee; role: Role; request: RequestInfo; edits: TextEdit[]; pass?: string; hops?: Hop[];
  /** The URL builder's own list of the keys it expects for this call, without the removed key (maybe in another file). */
  list?: { file: string; edits: TextEdit[] };
}

/** The call a value is an argument of, and its index. */
function argOf(n: N): { call: TSESTree.CallExpression; index: number } | undefined {
  const p = n.parent;
  if (p?.type !== 'CallExpression') return undefined;
  const index = (p.arguments as N[]).indexOf(n);
  return index >= 0 ? { call: p, index } : undefined;
}

/** `appendParam(u, 'k', v)`: the call without the pair (the URL alone when it was the only pair). */
function helperRemoval(text: string, p: ParamSite): { edits: TextEdit[]; value: N; call: TSESTree.CallExpression } | undefined {
  const c = p.report.parent;
  if (c?.type !== 'CallExpression') return undefined;
  const args = c.arguments as N[];
  const i = args.indexOf(p.report);
  const value = args[i + 1];
  if (i < 1 || !value || args.some((a) => a.type === 'SpreadElement')) return undefined;
  if (args.length === 3) return { edits: [{ range: c.range, text: src(text, args[0]!) }], value, call: c };
  return { edits: [{ range: [args[i - 1]!.range[1], value.range[1]], text: '' }], value, call: c };
}

/** `appendParam(u, 'client_id', x)`, or a function that only returns such a call on its first parameter. */
function appendsTo(call: N, facts: FileFacts, depth = 0): N | undefined {
  if (call.type !== 'CallExpression' || depth > 2) return undefined;
  const first = call.arguments[0] as N | undefined;
  if (!first || first.type === 'SpreadElement') return undefined;
  if (facts.params.some((p) => p.via === 'helper' && p.report.parent === call)) return first;
  const r = resolveFunction(call.callee, facts.env);
  const fn = r?.fn as N | undefined;
  if (!isFn(fn) || r!.env.filename !== facts.env.filename) return undefined;
  const rets = returnedExpressions(fn);
  const inner = rets.length === 1 ? unwrap(rets[0]!) : undefined;
  const innerFirst = inner?.type === 'CallExpression' ? unwrap(inner.arguments[0] as N) : undefined;
  return inner && innerFirst?.type === 'Identifier' && innerFirst.name === paramName(fn, 0) && appendsTo(inner, facts, depth + 1) ? first : undefined;
}

/** The SoundCloud host a URL expression goes to (the same for all its values), through append helpers. */
function hostOf(n: N, facts: FileFacts): string | undefined {
  const x = unwrap(n);
  const inner = appendsTo(x, facts);
  if (inner) return hostOf(inner, facts);
  const hosts = new Set(evalString(x, facts.env).map((s) => classifyUrl(flatText(s))).map((u) => (u.kind === 'sc' ? u.host ?? 'sc' : '')));
  return hosts.size === 1 ? [...hosts][0] || undefined : undefined;
}

function basicPair(ctx: ProviderContext, id: N, secret: N): string {
  const q = quoteOf(ctx.text);
  const pair = `encodeURIComponent(${src(ctx.text, id)}) + ${q}:${q} + encodeURIComponent(${src(ctx.text, secret)})`;
  return `${q}Basic ${q} + Buffer.from(${pair}).toString(${q}base64${q})`;
}

export function routesOf(ctx: ProviderContext, facts: FileFacts): { routes: Route[]; unwraps: TextEdit[]; helperGone: Finding[] } {
  const routes: Route[] = [];
  const unwraps: TextEdit[] = [];
  const helperGone: Finding[] = [];
  const routeOf = (f: Finding, carrier: N, role: Role, edits: TextEdit[], pass?: string): Route | undefined => {
    const a = argOf(carrier);
    const callee = a && calleeOf(a.call, facts, ctx.text);
    const name = callee && paramName(callee.fn, a.index);
    const t = name ? wrapperTarget(callee.fn, name, role, facts, callee.env) : undefined;
    if (!a || !callee || !t) return undefined;
    return { finding: f, call: a.call, callee, role, request: t.request, edits, ...(pass ? { pass } : {}), ...(t.hops.length ? { hops: t.hops } : {}) };
  };
  const route = (f: Finding, carrier: N, role: Role, edits: TextEdit[], pass?: string) => {
    const r = routeOf(f, carrier, role, edits, pass);
    if (r) routes.push(r);
    return !!r;
  };
  /** Every wrapper call the URL built at `start` reaches gets the header, or none does. */
  const routeAll = (f: Finding, start: N, value: N, edits: TextEdit[], pass: string | undefined, list?: Route['list']) => {
    const carriers = urlCarriers(start, facts, ctx.text);
    // (a token handed on must mean the same where the URL arrives; an app client_id only leaves the URL)
    if (!carriers?.length || (pass !== undefined && carriers.some((c) => !sameMeaningAt(value, c)))) return false;
    const rs = carriers.map((c) => routeOf(f, c, 'url', edits, pass));
    if (rs.some((r) => !r)) return false;
    routes.push(...(rs as Route[]).map((r) => (list ? { ...r, list } : r)));
    return true;
  };
  const server = !isBrowserCode(ctx);
  // client_id-only calls to api.soundcloud.com in a module that sends the logged-in user's token
  // (one module-level source) to its other requests: they send that token instead
  const user = userTokenOf(ctx, facts);
  const viaUser = new Set<Finding>();
  for (const f of user ? findingsOf(ctx, 'no-client-id-auth') : []) {
    const p = clientIdParamAt(facts, f);
    if (!p || p.request || p.where !== 'query' || p.siblings.has('oauth_token') || p.siblings.has('access_token')) continue;
    let start: N | undefined;
    let rem: ReturnType<typeof removeParam>;
    let list: Route['list'];
    if (p.via === 'object' && p.holder) {
      start = builderCall(p.holder, facts);
      if (start) rem = removeParam(ctx.text, p, facts);
      const l = start && keyListEdits(start, facts, ['client_id'], ctx.text);
      if (l === 'refuse') continue;
      list = l;
    } else if (p.via === 'text') {
      rem = removeParam(ctx.text, p, facts);
      start = stringRoot(p.report);
      if (rem) rem.edits = bareTemplate(ctx.text, p.report, rem.edits);
    }
    const carriers = start && rem && urlCarriers(start, facts, ctx.text);
    if (!rem || !carriers?.length || carriers.some((c) => hostOf(c, facts) !== 'api.soundcloud.com')) continue;
    if (routeAll(f, start!, user!, rem.edits, oauthHeaderValue(ctx.text, user!), list)) viaUser.add(f);
  }
  for (const f of [...findingsOf(ctx, 'no-query-oauth-token', 'query'), ...(server ? findingsOf(ctx, 'no-client-id-auth', 'clientId').filter((x) => !viaUser.has(x)) : [])]) {
    const name = f.ruleId === 'no-query-oauth-token' ? 'oauth_token' : 'client_id';
    const p = facts.params.find((x) => x.name === name && atSite(f, x));
    if (!p || p.request || p.where !== 'query') continue;
    const token = name === 'oauth_token';
    const header = (v: N) => oauthHeaderValue(ctx.text, v);
    if (p.via === 'helper') {
      const h = helperRemoval(ctx.text, p);
      if (!h) continue;
      const holder = enclosingFunction(h.call);
      const first = unwrap(h.call.arguments[0] as N);
      // the helper definition itself: const withClientId = (url) => addParam(url, 'client_id', ID)
      if (!token && isFn(holder) && first.type === 'Identifier' && paramName(holder, 0) === first.name && returnedExpressions(holder).length === 1 && unwrap(returnedExpressions(holder)[0]!) === h.call) {
        unwrapHelper(ctx, facts, f, holder, h.call, route, unwraps, helperGone);
        continue;
      }
      route(f, h.call, 'url', h.edits, token ? header(h.value) : undefined);
      continue;
    }
    if (p.via === 'text') {
      const rem = removeParam(ctx.text, p, facts);
      if (!rem) continue;
      if (route(f, stringRoot(p.report), 'url', rem.edits, token ? header(rem.value) : undefined)) continue;
      // an app client_id in a URL that reaches the wrapper through the app's code (`var url = API + '?client_id=' + ID; getJson(url, cb)`)
      if (!token) { routeAll(f, stringRoot(p.report), rem.value, bareTemplate(ctx.text, p.report, rem.edits), undefined); continue; }
      // the token now authenticates the request: a client_id sent with it goes too (else it would be client_id-only)
      const id = p.siblings.has('client_id') ? removeParam(ctx.text, { ...p, name: 'client_id' }, facts) : undefined;
      routeAll(f, stringRoot(p.report), rem.value, bareTemplate(ctx.text, p.report, [...rem.edits, ...(id?.edits ?? [])]), header(rem.value));
    }
    // a params object handed to the app's URL builder: build_url('me', {}, { limit: 5, oauth_token: t })
    if (p.via === 'object' && token && p.holder) {
      const b = builderCall(p.holder, facts);
      if (!b) continue;
      const rem = removeParam(ctx.text, p, facts, p.siblings.has('client_id') ? ['client_id'] : []);
      if (!rem || rem.value.type === 'AssignmentPattern') continue;
      const list = keyListEdits(b, facts, ['oauth_token', ...(p.siblings.has('client_id') ? ['client_id'] : [])], ctx.text);
      if (list === 'refuse') continue;
      // or the local function sends the object as its request's query: jsonRequest('/me.json', { oauth_token: t }, cb)
      if (!routeAll(f, b, rem.value, rem.edits, header(rem.value), list) && !list) route(f, p.holder, 'query', rem.edits, header(rem.value));
    }
  }
  // client_id/client_secret in a form body handed to a wrapper: const body = new URLSearchParams({...}); this.requestToken(body)
  for (const f of server ? findingsOf(ctx, 'no-client-secret-in-body') : []) {
    const p = facts.params.find((x) => x.name === 'client_secret' && atSite(f, x));
    if (!p || p.request || p.via !== 'object' || !p.holder) continue;
    const props = (p.holder.properties as N[]).filter((x): x is TSESTree.Property => x.type === 'Property');
    const idProp = props.find((x) => propName(x) === 'client_id');
    const secretProp = props.find((x) => x.key === p.report);
    if (!idProp || !secretProp || idProp.value.type === 'AssignmentPattern' || secretProp.value.type === 'AssignmentPattern') continue;
    let value: N = p.holder;
    if (value.parent?.type === 'NewExpression' && value.parent.arguments[0] === value) value = value.parent;
    const decl = value.parent;
    let carrier: N | undefined = value;
    if (decl?.type === 'VariableDeclarator' && decl.init === value && decl.id.type === 'Identifier') {
      const id = decl.id.name;
      const uses = facts.calls.flatMap((c) => (c.arguments as N[]).filter((a) => a.type === 'Identifier' && a.name === id && enclosingFunction(a) === enclosingFunction(decl)));
      carrier = uses.length === 1 ? uses[0] : undefined;
    }
    if (!carrier || enclosingFunction(carrier) !== enclosingFunction(p.holder)) continue;
    route(f, carrier, 'body', removePropsEdits(ctx.text, p.holder, [idProp, secretProp]), basicPair(ctx, idProp.value as N, secretProp.value as N));
  }
  return { routes, unwraps, helperGone };
}

/** `withClientId(x)` calls to api.soundcloud.com that reach a wrapper become `x`; the helper goes once unused. */
function unwrapHelper(ctx: ProviderContext, facts: FileFacts, f: Finding, helper: Fn, inner: TSESTree.CallExpression, route: (f: Finding, carrier: N, role: Role, edits: TextEdit[]) => boolean, unwraps: TextEdit[], gone: Finding[]): void {
  const decl = helper.type === 'FunctionDeclaration' ? helper : helper.parent?.type === 'VariableDeclarator' ? helper.parent : undefined;
  const id = decl && 'id' in decl && decl.id?.type === 'Identifier' ? decl.id.name : undefined;
  if (!decl || !id || isExportedName(id, facts, ctx.text)) return;
  const me: Callee = { fn: helper, key: `fn:${id}`, exported: false, env: facts.env };
  const calls = facts.calls.filter((c) => c !== inner && sameCallee(calleeOf(c, facts, ctx.text), me));
  let kept = 0;
  for (const c of calls) {
    const arg = c.arguments[0] as N | undefined;
    if (c.arguments.length !== 1 || !arg || arg.type === 'SpreadElement' || hostOf(arg, facts) !== 'api.soundcloud.com') { kept++; continue; }
    const edit: TextEdit = { range: c.range, text: src(ctx.text, arg) };
    if (route({ ...f }, c, 'url', [edit])) unwraps.push(edit);
    else kept++;
  }
  if (kept) return;
  const stmt = decl.type === 'VariableDeclarator' ? decl.parent : decl;
  if (stmt?.type === 'VariableDeclaration' && stmt.declarations.length !== 1) return;
  if (stmt) { unwraps.push(removeStatementEdit(ctx.text, stmt)); gone.push(f); }
}


/**
 * The user's access token a module sends to SoundCloud, when it has one source: every
 * `oauth_token` it puts in a URL is the same expression, written with module-level names only
 * (`oauthToken.get('access_token')`, `session.token()`).
 */
function userTokenOf(ctx: ProviderContext, facts: FileFacts): N | undefined {
  const values: N[] = [];
  for (const p of facts.params) {
    if (p.name !== 'oauth_token' || p.where === 'body') continue;
    const rem = p.via === 'object' || p.via === 'text' ? removeParam(ctx.text, p, facts) : undefined;
    if (!rem) return undefined;
    values.push(rem.value);
  }
  if (!values.length) return undefined;
  const texts = new Set(values.map((v) => src(ctx.text, v).replace(/\s+/g, '')));
  const v = values[0]!;
  return texts.size === 1 && sameMeaningAt(v, facts.ast) ? v : undefined;
}

/** The call of a local function of this file that a params object is handed to (`build_url('me', {}, params)`). */
function builderCall(holder: N, facts: FileFacts): TSESTree.CallExpression | undefined {
  const b = argOf(holder);
  const builder = b && resolveFunction(b.call.callee, facts.env);
  return b && isFn(builder?.fn as N) && builder!.env.filename === facts.env.filename ? b.call : undefined;
}

/**
 * A URL builder that checks the keys it is handed against a list per type
 * (`build_url('me', {}, params)` with `if (!test_params(type, params)) console.error(...)` reading
 * `config.urls[type].params`): the edits that take `keys` out of this type's list too, so the check
 * still passes (it may throw). Undefined when the builder reads nothing per type (or no list names
 * the keys); 'refuse' when it does and the entry cannot be told: a type that is no literal, used
 * by several calls, lists that do not resolve.
 */
function keyListEdits(call: TSESTree.CallExpression, facts: FileFacts, keys: string[], own: string): Route['list'] | 'refuse' | undefined {
  const builder = resolveFunction(call.callee, facts.env)?.fn as N | undefined;
  const type = isFn(builder) ? paramName(builder, 0) : undefined;
  if (!isFn(builder) || !type) return undefined;
  // the builder, and the functions it hands its type to as their first argument
  const fns: { fn: Fn; name: string }[] = [{ fn: builder, name: type }];
  for (const c of callsIn(builder)) {
    const a0 = c.arguments[0] && unwrap(c.arguments[0] as N);
    const inner = a0?.type === 'Identifier' && a0.name === type ? resolveFunction(c.callee, facts.env)?.fn as N | undefined : undefined;
    const n = isFn(inner) ? paramName(inner, 0) : undefined;
    if (isFn(inner) && n && inner !== builder) fns.push({ fn: inner, name: n });
  }
  // lists[type].params: where the builder reads something per type
  const sites: { lists: N; key: string }[] = [];
  const visit = (n: N, name: string) => {
    const m = n.parent;
    const k = n.type === 'MemberExpression' && n.computed ? unwrap(n.property) : undefined;
    if (n.type === 'MemberExpression' && k?.type === 'Identifier' && k.name === name && m?.type === 'MemberExpression' && m.object === n && !m.computed && propName(m)) sites.push({ lists: n.object, key: propName(m)! });
    forEachChild(n, (c) => visit(c, name));
  };
  for (const { fn, name } of fns) if (fn.body) visit(fn.body as N, name);
  if (!sites.length) return undefined;
  // a per-type entry it reads: the list can be told only for a literal type that one call uses
  const lit = call.arguments[0] && unwrap(call.arguments[0] as N);
  if (lit?.type !== 'Literal' || typeof lit.value !== 'string') return 'refuse';
  const same = facts.calls.filter((c) => {
    const a = c.arguments[0] && unwrap(c.arguments[0] as N);
    return a?.type === 'Literal' && a.value === lit.value && resolveFunction(c.callee, facts.env)?.fn === builder;
  });
  if (same.length !== 1) return 'refuse';
  let file: string | undefined;
  const edits: TextEdit[] = [];
  for (const { lists, key } of sites) {
    const o = resolveObject(lists, facts.env);
    const entry = o?.kind === 'object' ? findProp(o.node, lit.value) : undefined;
    const e = entry && unwrap(entry);
    if (o?.kind !== 'object' || e?.type !== 'ObjectExpression') return 'refuse';
    const arr = findProp(e, key);
    const a = arr && unwrap(arr);
    if (a?.type !== 'ArrayExpression') continue; // a path, a callback: no list
    const gone = (a.elements as (N | null)[]).filter((x): x is N => !!x && x.type === 'Literal' && keys.includes(String(x.value)));
    // this file's nodes are of the text being fixed; another module's are of its project text
    const text = o.env.filename === facts.env.filename ? own : facts.env.project?.readFile(o.env.filename);
    if (!gone.length) continue;
    if (text === undefined || (file && file !== o.env.filename)) return 'refuse';
    file = o.env.filename;
    edits.push(...removePropsEdits(text, a, gone));
  }
  const unique = edits.filter((e, i) => edits.findIndex((o) => o.range[0] === e.range[0] && o.range[1] === e.range[1] && o.text === e.text) === i);
  return file ? { file, edits: unique } : undefined;
}

/** Edits inside a template literal that leave `${x}` alone become one edit writing `x`. */
function bareTemplate(text: string, owner: N, edits: TextEdit[]): TextEdit[] {
  if (owner.type !== 'TemplateLiteral' || edits.some((e) => e.range[0] < owner.range[0] || e.range[1] > owner.range[1])) return edits;
  let t = text.slice(owner.range[0], owner.range[1]);
  for (const e of [...edits].sort((a, b) => b.range[0] - a.range[0])) t = t.slice(0, e.range[0] - owner.range[0]) + e.text + t.slice(e.range[1] - owner.range[0]);
  const m = /^`\$\{([\w$.]+)\}`$/.exec(t);
  return m ? [{ range: owner.range, text: m[1]! }] : edits;
}

// ---------------------------------------------------------------- where a URL goes
/** Reads of a URL that send nothing (`url.length`, `url.indexOf('x')`). */
function inertRead(id: N): boolean {
  const p = id.parent;
  if (p?.type !== 'MemberExpression' || p.object !== id || p.computed) return false;
  const name = propName(p);
  if (name === 'length') return p.parent?.type !== 'AssignmentExpression' || p.parent.left !== p;
  return /^(indexOf|includes|startsWith|endsWith|lastIndexOf)$/.test(name ?? '') && p.parent?.type === 'CallExpression' && p.parent.callee === p;
}

const bindingKey = (id: TSESTree.Identifier): object | undefined => {
  const b = resolveBinding(id);
  return b?.kind === 'var' ? b.declarator : b?.kind === 'param' ? b.node : undefined;
};

/**
 * The call arguments a URL built at `e` ends up in, followed through `base + e`, templates, a local
 * variable (every read of it: it must be nothing but a URL), and the return value of a local
 * function that is only called (each call). Undefined when the URL goes anywhere else.
 */
export function urlCarriers(e: N, facts: FileFacts, text: string, depth = 0): N[] | undefined {
  const p = e.parent;
  if (!p || depth > 5) return undefined;
  if (p.type === 'TSAsExpression' || p.type === 'TSNonNullExpression' || p.type === 'TemplateLiteral' || p.type === 'BinaryExpression' && p.operator === '+') return urlCarriers(p, facts, text, depth + 1);
  if (p.type === 'CallExpression' && (p.arguments as N[]).includes(e)) return [e];
  let id: TSESTree.Identifier | undefined;
  if (p.type === 'VariableDeclarator' && p.init === e && p.id.type === 'Identifier') id = p.id;
  if (p.type === 'AssignmentExpression' && p.operator === '=' && p.right === e && p.left.type === 'Identifier') id = p.left;
  if (id) {
    const key = bindingKey(id);
    if (!key) return undefined;
    const out: N[] = [];
    for (const x of facts.identifiers) {
      if (x === id || x.name !== id.name || bindingKey(x) !== key) continue;
      const xp = x.parent;
      if (xp?.type === 'VariableDeclarator' && xp.id === x || xp?.type === 'AssignmentExpression' && xp.left === x && xp.operator === '=') continue; // another write
      if (xp && isFn(xp) && (xp.params as N[]).includes(x)) continue; // the parameter itself
      // (a read that is only logged, `console.error('Error while processing ' + url)`: the log loses the client_id)
      if (inertRead(x) || onlyLogged(x)) continue;
      const c = urlCarriers(x, facts, text, depth + 1);
      if (!c) return undefined;
      out.push(...c);
    }
    return out.length ? out : undefined;
  }
  // the return value of a local function that nothing else than calls uses: each call
  const fn = p.type === 'ReturnStatement' ? enclosingFunction(p) : isFn(p) && p.body === e ? p : undefined;
  if (!isFn(fn)) return undefined;
  const decl = fn.type === 'FunctionDeclaration' ? fn.id : fn.parent?.type === 'VariableDeclarator' && fn.parent.init === fn && fn.parent.id.type === 'Identifier' ? fn.parent.id : undefined;
  if (!decl || isExportedName(decl.name, facts, text)) return undefined;
  const out: N[] = [];
  for (const x of facts.identifiers) {
    if (x === decl || x.name !== decl.name) continue;
    const r = resolveFunction(x, facts.env);
    if (r?.fn !== fn) continue;
    const call = x.parent;
    if (call?.type !== 'CallExpression' || call.callee !== x) return undefined;
    const c = urlCarriers(call, facts, text, depth + 1);
    if (!c) return undefined;
    out.push(...c);
  }
  return out.length ? out : undefined;
}

/**
 * The credential's value names the same thing at `carrier` as where it is written: every name in
 * it is module-level, or a const declared in a function that also holds the carrier.
 */
function sameMeaningAt(value: N, carrier: N): boolean {
  let ok = true;
  const visit = (n: N) => {
    if (!ok) return;
    if (n.type === 'Identifier') {
      const b = resolveBinding(n);
      if (!b) { ok = false; return; }
      if (isModuleLevel(n)) return;
      const d = b.kind === 'var' && b.declKind === 'const' ? b.declarator : undefined;
      const scope = d && enclosingFunction(d);
      if (!scope || !(scope.range[0] <= carrier.range[0] && carrier.range[1] <= scope.range[1])) ok = false;
      return;
    }
    if (n.type === 'ThisExpression' || isFn(n)) { ok = false; return; }
    if (n.type === 'MemberExpression') { visit(n.object); if (n.computed) visit(n.property); return; }
    if (n.type === 'Property') { if (n.computed) visit(n.key); visit(n.value as N); return; }
    forEachChild(n, visit);
  };
  visit(value);
  return ok;
}

/**
 * The app token for a plain wrapper's request that can wait for it where it stands (callbackWait,
 * executorWait, promiseWait of rewrites.ts / waits.ts): the wait and the header it sends.
 */
function appWaitEdits(ctx: ProviderContext, request: RequestInfo): TextEdit[] | undefined {
  const wait = callbackWait(ctx.text, request, ctx.filename) ?? executorWait(ctx.text, request) ?? promiseWait(ctx.text, request);
  if (!wait) return undefined;
  const q = quoteOf(ctx.text);
  const h = addHeader(ctx.text, request, 'Authorization', `${q}OAuth ${q} + ${wait.name}`, undefined, undefined, true);
  return h?.length ? [...h, ...wait.edits] : undefined;
}

/** Adds the trailing `authorization` parameter to a wrapper and the header to its request. */
export function wrapperEdits(ctx: ProviderContext, w: Callee, request: RequestInfo, app: boolean, hops: Hop[] = []): TextEdit[] | undefined {
  if (hops.length) {
    // the outer wrappers get the parameter and hand it on; the last one sends the header
    if (app) return undefined;
    const out: TextEdit[] = [];
    let fn = w.fn;
    for (const h of hops) {
      const pe = paramEdit(ctx.text, ctx.filename, fn);
      const pass = passEdit(h.call, h.fn, AUTH);
      if (!pe || !pass) return undefined;
      out.push(...pe, pass);
      fn = h.fn;
    }
    const last = wrapperEdits(ctx, { ...w, fn }, request, false);
    return last && [...out, ...last];
  }
  const fn = w.fn;
  const edits = paramEdit(ctx.text, ctx.filename, fn);
  if (!edits) return undefined;
  const q = quoteOf(ctx.text);
  const prop = app
    ? `Authorization: ${AUTH} ?? ${q}OAuth ${q} + (await soundcloudAccessToken())`
    : `...(${AUTH} ? { Authorization: ${AUTH} } : {})`;
  const h = addHeader(ctx.text, request, 'Authorization', AUTH, undefined, prop);
  if (!h?.length) return undefined;
  return [...edits, ...h];
}

/** A trailing `authorization` parameter (`authorization?: string` in TS); undefined when the function already names it or ends with a rest parameter. */
export function paramEdit(text: string, filename: string, fn: Fn): TextEdit[] | undefined {
  const params = fn.params as N[];
  const last = params[params.length - 1];
  if (!last || last.type === 'RestElement') return undefined;
  if (new RegExp(`\\b${AUTH}\\b`).test(src(text, fn))) return undefined;
  const ts = /\.(ts|tsx|mts|cts)$/.test(filename) || /lang=["']ts/.test(text);
  const decl = ts ? `${AUTH}?: string` : AUTH;
  const before = text.slice(0, last.range[0]).trimEnd();
  if (fn.type === 'ArrowFunctionExpression' && params.length === 1 && !before.endsWith('(')) {
    return [{ range: last.range, text: `(${src(text, last)}, ${decl})` }];
  }
  return [{ range: [last.range[1], last.range[1]], text: `, ${decl}` }];
}

/** The argument passing the header value, after padding skipped optional parameters with undefined. */
export function passEdit(call: TSESTree.CallExpression, fn: Fn, value: string): TextEdit | undefined {
  const args = call.arguments as N[];
  const lastArg = args[args.length - 1];
  if (!lastArg || args.some((a) => a.type === 'SpreadElement') || args.length > fn.params.length) return undefined;
  const pad = ', undefined'.repeat(fn.params.length - args.length);
  return { range: [lastArg.range[1], lastArg.range[1]], text: `${pad}, ${value}` };
}

/** The wrapper parameter its request uses as the whole init/config object (`fetch(url, options)`), if any. */
export function passThroughIndex(fn: Fn, r: RequestInfo): number | undefined {
  const args = r.call.arguments as N[];
  const callee = unwrap(r.call.callee);
  const at = r.lib === 'fetch' || r.lib === 'ky' || r.lib === 'got' || r.lib === 'request' ? 1
    : r.lib === 'axios' && callee.type === 'MemberExpression' ? (['POST', 'PUT', 'PATCH'].includes(r.method) ? 2 : 1)
      : undefined;
  const a = at !== undefined ? args[at] : undefined;
  const x = a && unwrap(a);
  if (x?.type !== 'Identifier') return undefined;
  const i = fn.params.findIndex((_p, k) => paramName(fn, k) === x.name);
  return i >= 0 ? i : undefined;
}

/** The header in the options argument a call passes to a pass-through wrapper (added, or merged into a literal). */
function optionsEdit(ctx: ProviderContext, call: TSESTree.CallExpression, index: number, prop: string): TextEdit | undefined {
  const args = call.arguments as N[];
  if (args.some((a) => a.type === 'SpreadElement')) return undefined;
  const a = args[index];
  if (!a) {
    const last = args[args.length - 1];
    if (!last) return undefined;
    return { range: [last.range[1], last.range[1]], text: `${', undefined'.repeat(index - args.length)}, { headers: { ${prop} } }` };
  }
  const o = unwrap(a);
  if (o.type !== 'ObjectExpression') return undefined;
  const h = (o.properties as N[]).find((p): p is TSESTree.Property => p.type === 'Property' && propName(p) === 'headers');
  if (!h) return o.properties.some((p) => p.type === 'SpreadElement') ? undefined : insertProp(ctx.text, o, `headers: { ${prop} }`);
  const hv = unwrap(h.value as N);
  if (hv.type !== 'ObjectExpression' || hv.properties.some((p) => p.type === 'Property' && propName(p)?.toLowerCase() === 'authorization')) return undefined;
  return insertProp(ctx.text, hv, prop);
}

function wrapperGroup(ctx: ProviderContext): { ruleId: string; edits: TextEdit[] }[] {
  const facts = factsOf(ctx);
  const { routes: all, unwraps, helperGone } = routesOf(ctx, facts);
  // A finding whose URL reaches several wrapper calls is fixed at every one or at none; one routed
  // to a wrapper of another file too is the project pass's (project-wrappers.ts), whole.
  const failed = new Set<Finding>(all.filter((r) => r.callee.external && !(r.hops === undefined && r.role === 'url' && passThroughIndex(r.callee.fn, r.request) !== undefined)).map((r) => r.finding));
  const multi = new Set(all.filter((r, i) => all.findIndex((o) => o.finding === r.finding) !== i).map((r) => r.finding));
  for (let round = 0; round < 4; round++) {
    const before = failed.size;
    const res = wrapperAttempt(ctx, facts, all.filter((r) => !failed.has(r.finding)), unwraps, helperGone, failed);
    if (failed.size === before || ![...failed].some((f) => multi.has(f))) return res;
  }
  return [];
}

function wrapperAttempt(ctx: ProviderContext, facts: FileFacts, routes: Route[], unwraps: TextEdit[], helperGone: Finding[], failed: Set<Finding>): { ruleId: string; edits: TextEdit[] }[] {
  const edits: TextEdit[] = [...unwraps];
  let needsImport = false;
  const byWrapper = new Map<Fn, Route[]>();
  for (const r of routes) byWrapper.set(r.callee.fn, [...(byWrapper.get(r.callee.fn) ?? []), r]);
  const done: Finding[] = [...helperGone];
  const q = quoteOf(ctx.text);
  const fail = (rs: Route[]) => { for (const r of rs) failed.add(r.finding); };
  for (const [fn, rs] of byWrapper) {
    const w = rs[0]!.callee;
    // one credential per call; the app fallback only where it cannot reach anything but SoundCloud
    const calls = new Set(rs.map((r) => r.call));
    if (calls.size !== rs.length) { fail(rs); continue; }
    // the wrapper hands an options parameter to its request: the call sites pass the header, the wrapper stays
    const pt = rs[0]!.hops ? undefined : passThroughIndex(fn, rs[0]!.request);
    if (pt !== undefined && rs[0]!.role === 'url') {
      for (const r of rs) {
        const value = r.pass ?? (!isBrowserCode(ctx) && isAsyncContext(r.call) ? `${q}OAuth ${q} + (await soundcloudAccessToken())` : undefined);
        const e = value && optionsEdit(ctx, r.call, pt, `Authorization: ${value}`);
        if (!e || unwraps.some((u) => r.edits.includes(u))) { fail([r]); continue; }
        edits.push(...r.edits, e);
        done.push(r.finding);
        needsImport ||= r.pass === undefined;
      }
      continue;
    }
    if (w.external) { fail(rs); continue; }
    let app = rs.some((r) => r.pass === undefined);
    if (app) {
      const all = facts.calls.filter((c) => sameCallee(calleeOf(c, facts, ctx.text), w));
      const argIndex = fn.params.findIndex((_p, i) => paramName(fn, i) && wrapperRequest(fn, paramName(fn, i)!, 'url', facts) === rs[0]!.request);
      const reachesOnlySc = !w.exported && argIndex >= 0 && all.every((c) => { const a = c.arguments[argIndex] as N | undefined; return !!a && a.type !== 'SpreadElement' && !!hostOf(a, facts); });
      // a plain function whose request waits for the token itself (a callback-style request that ends it:
      // `function getRequest(href, done) { request({ url: href }, function (err, res, body) {...}) }`),
      // every call of it client_id-only: the wrapper sends the app token, its calls pass nothing
      // (and every call of it is one of these: a call left as it was would send its client_id beside a token it never asked for)
      const waiting = reachesOnlySc && !fn.async && !isBrowserCode(ctx) && !rs[0]!.hops?.length && rs.every((r) => r.pass === undefined) && all.every((c) => calls.has(c))
        ? appWaitEdits(ctx, rs[0]!.request) : undefined;
      if (waiting) {
        if (rs.some((r) => unwraps.some((u) => r.edits.includes(u)))) { fail(rs); continue; }
        for (const r of rs) edits.push(...r.edits);
        edits.push(...waiting);
        done.push(...rs.map((r) => r.finding));
        needsImport = true;
        continue;
      }
      const safe = fn.async && reachesOnlySc;
      if (!safe) {
        // the client_id calls keep their marker; the token calls can still go
        const keep = rs.filter((r) => r.pass !== undefined);
        if (!keep.length || rs.some((r) => r.pass === undefined && unwraps.some((u) => r.edits.includes(u)))) { fail(rs); continue; }
        rs.splice(0, rs.length, ...keep);
        app = false;
      }
    }
    const we = wrapperEdits(ctx, w, rs[0]!.request, app, rs[0]!.hops);
    if (!we) { fail(rs); continue; }
    const ce: TextEdit[] = [];
    let ok = true;
    for (const r of rs) {
      if (!unwraps.some((u) => r.edits.includes(u))) ce.push(...r.edits);
      if (r.list?.file === ctx.filename) ce.push(...r.list.edits);
      else if (r.list) ok = false; // the list is in another file: only the project pass edits two files
      if (r.pass !== undefined) {
        const e = passEdit(r.call, fn, r.pass);
        if (!e) { ok = false; break; }
        ce.push(e);
      }
    }
    if (!ok) { fail(rs); continue; }
    done.push(...rs.map((r) => r.finding));
    edits.push(...we, ...ce);
    needsImport ||= app;
  }
  if (!done.length) return [];
  if (needsImport) { const imp = clientImportEdit(ctx); if (imp) edits.push(imp); }
  return [{ ruleId: done[0]!.ruleId, edits: mergeInserts(edits) }];
}

/** Edits inserting at one point are joined (a group's own edits must not overlap). */
function mergeInserts(edits: TextEdit[]): TextEdit[] {
  const out: TextEdit[] = [];
  for (const e of edits) {
    // the same edit twice (one removal reaching two wrapper calls, an inner wrapper shared by two outer ones): once
    if (out.some((o) => o.range[0] === e.range[0] && o.range[1] === e.range[1] && o.text === e.text)) continue;
    const same = out.find((o) => o.range[0] === e.range[0] && o.range[1] === e.range[1] && e.range[0] === e.range[1]);
    if (same) same.text += e.text;
    else if (!out.some((o) => o.range[0] === e.range[0] && o.range[1] === e.range[1] && o.text === e.text)) out.push({ range: [e.range[0], e.range[1]], text: e.text });
  }
  return out;
}

// ---------------------------------------------------------------- URL builders
/** `u.searchParams.set('oauth_token', V)` in a function returning `u`, every call of which is a request's URL. */
function builderGroup(ctx: ProviderContext): { ruleId: string; edits: TextEdit[] }[] {
  const facts = factsOf(ctx);
  const out: { ruleId: string; edits: TextEdit[] }[] = [];
  for (const f of findingsOf(ctx, 'no-query-oauth-token', 'query')) {
    const p = facts.params.find((x) => x.name === 'oauth_token' && atSite(f, x));
    if (!p || p.request || p.via !== 'call') continue;
    const set = p.report.parent;
    if (set?.type !== 'CallExpression' || set.callee.type !== 'MemberExpression' || !set.arguments[1]) continue;
    const target = unwrap(set.callee.object);
    const urlVar = target.type === 'MemberExpression' && propName(target) === 'searchParams' ? unwrap(target.object) : undefined;
    const fn = enclosingFunction(set);
    if (urlVar?.type !== 'Identifier' || !isFn(fn)) continue;
    const rets = returnedExpressions(fn);
    if (rets.length !== 1 || unwrap(rets[0]!).type !== 'Identifier' || (unwrap(rets[0]!) as TSESTree.Identifier).name !== urlVar.name) continue;
    const value = set.arguments[1] as N;
    // the value must mean the same at the requests: this.x (same class) or a module-level binding
    const v = unwrap(value);
    const moduleLevel = v.type === 'Identifier' && isModuleLevel(v);
    const thisMember = v.type === 'MemberExpression' && unwrap(v.object).type === 'ThisExpression' && fn.parent?.type === 'MethodDefinition';
    if (!moduleLevel && !thisMember) continue;
    const me = fn.parent?.type === 'MethodDefinition'
      ? (() => { const m = fn.parent as TSESTree.MethodDefinition; const cls = m.parent; return { fn, key: `method:${cls.range[0]}:${propName(m as unknown as TSESTree.PropertyDefinition)}`, exported: true, env: facts.env } as Callee; })()
      : undefined;
    const calls = facts.calls.filter((c) => c !== set && (me ? sameCallee(calleeOf(c, facts, ctx.text), me) : (() => { const x = calleeOf(c, facts, ctx.text); return !!x && x.fn === fn; })()));
    const reqs = calls.map((c) => facts.requests.find((r) => r.urlNode && unwrap(r.urlNode) === c));
    if (!calls.length || reqs.some((r) => !r || thisMember && enclosingClass(r.call) !== enclosingClass(fn))) continue;
    const stmt = set.parent;
    if (stmt?.type !== 'ExpressionStatement') continue;
    // if (V) { set oauth_token } [else { ... }]: the test goes with it
    let block: N | undefined = stmt.parent;
    let ifs: TSESTree.IfStatement | undefined;
    if (block?.type === 'BlockStatement' && block.body.length === 1) block = block.parent;
    else if (block?.type === 'IfStatement') { /* if (V) stmt */ } else block = undefined;
    if (block?.type === 'IfStatement' && src(ctx.text, block.test) === src(ctx.text, value) && (block.consequent === stmt || block.consequent === stmt.parent)) ifs = block;
    const edits: TextEdit[] = [];
    if (ifs) {
      edits.push(ifs.alternate
        ? { range: [ifs.range[0], ifs.alternate.range[0]], text: `if (!${isSimple(ifs.test) ? src(ctx.text, ifs.test) : `(${src(ctx.text, ifs.test)})`}) ` }
        : removeStatementEdit(ctx.text, ifs));
    } else if (stmt.parent?.type === 'BlockStatement') edits.push(removeStatementEdit(ctx.text, stmt));
    else continue;
    const vText = src(ctx.text, value);
    const hv = oauthHeaderValue(ctx.text, value);
    const prop = ifs ? `...(${vText} ? { Authorization: ${hv} } : {})` : `Authorization: ${hv}`;
    let ok = true;
    for (const r of reqs) {
      const h = addHeader(ctx.text, r!, 'Authorization', hv, undefined, prop);
      if (!h?.length) { ok = false; break; }
      edits.push(...h);
    }
    if (ok) out.push({ ruleId: 'no-query-oauth-token', edits });
  }
  return out;
}

function isModuleLevel(id: TSESTree.Identifier): boolean {
  const b = resolveBinding(id);
  return !!b && isModuleBinding(b);
}

function enclosingClass(n: N): N | undefined {
  for (let p = n.parent; p; p = p.parent) if (p.type === 'ClassBody') return p;
  return undefined;
}

export const wrapperProvider: Provider = (ctx) => [...wrapperGroup(ctx), ...builderGroup(ctx)];
