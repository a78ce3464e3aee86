/**
 * Parameter objects flowing into a query (issue 10, item 2). An object whose keys include
 * `oauth_token` / `client_id` is a query credential when it reaches a query serialiser, however it
 * was built (literal, spread, `Object.assign` of defaults, a helper's return value, mutation
 * `params.client_id = id`) and however it travels (variables, function parameters, helpers in
 * other files). Serialisers: `URLSearchParams(obj)`, `qs`/`querystring.stringify`, `$.param`,
 * a `for...in` / `Object.keys(obj)` loop writing `k=v` pairs or `searchParams.set`, request options
 * `params` / `qs` / `searchParams` (and `query` of ofetch / Nuxt `$fetch` / `useFetch`), superagent `.query(obj)`, Angular `HttpParams({ fromObject })`,
 * Restangular `getList(params)` / `get(params)`, legacy `url.format` query objects, and the app's own helpers that do any of these with one of their parameters.
 */
import type { TSESTree } from '@typescript-eslint/typescript-estree';
import { enclosingFunction, resolveBinding } from './scope.js';
import { traverseCollect } from './walk.js';
import { bindingSpecifier, evalString, flatText, isUrlSearchParamsCtor, mergeKind, nameOf, propName, resolveFunction, resolveObject, returnedExpressions, unwrap, urlKey, type Env } from './values.js';

type N = TSESTree.Node;
type Fn = TSESTree.FunctionLike;

export interface ObjSource { node: TSESTree.ObjectExpression; env: Env }

const QS_CALL = /(^|\.)(qs|querystring|queryString|query-string|\$|jQuery)\.(stringify|encode|param)$/;
const QUERY_OPTION = /^(params|qs|searchParams)$/;
/**
 * The query option of an app's own request wrapper, by its name: `urlParameters`, `urlParams`,
 * `queryParams`, `queryParameters` (a browser extension's `fetch({ url, urlParameters })` relayed to
 * its background page, which appends each pair to the URL). Only beside a `url` / `uri` key of the
 * same object: Angular's `router.navigate([...], { queryParams })` and Amplify's nested
 * `options: { queryParams }` name no URL there.
 */
const URL_QUERY_OPTION = /^(url|query)Param(eter)?s$/;
/** ofetch and the Nuxt fetchers, whose query option is `query` (`params` is its alias). */
const OFETCH_CALL = /(^|\.)(\$fetch|ofetch|useFetch|useLazyFetch)(\.(raw|native|create))?$/;

/** A call of ofetch / Nuxt `$fetch` / `useFetch`, or of an instance made by their `create`. */
function ofetchCall(call: TSESTree.CallExpression | TSESTree.NewExpression): boolean {
  if (OFETCH_CALL.test(nameOf(call.callee))) return true;
  let callee = unwrap(call.callee);
  if (callee.type === 'MemberExpression' && /^(raw|native)$/.test(propName(callee) ?? '')) callee = unwrap(callee.object);
  const b = callee.type === 'Identifier' ? resolveBinding(callee) : undefined;
  const init = b?.kind === 'var' && b.declarator.init ? unwrap(b.declarator.init) : undefined;
  return init?.type === 'CallExpression' && /(^|\.)(\$fetch|ofetch)\.create$/.test(nameOf(init.callee));
}

/** The object literals an expression may stand for: literals, bindings, Object.assign, spreads of them, helper returns. */
export function objectsOf(node: N, env: Env, depth = 0): ObjSource[] {
  if (depth > 6) return [];
  const x = unwrap(node);
  // `await this.commonParams()`: an async helper's returned object
  if (x.type === 'AwaitExpression') return objectsOf(x.argument as N, env, depth + 1);
  if (x.type === 'CallExpression') {
    if (isMerge(x.callee)) return x.arguments.flatMap((a) => (a.type === 'SpreadElement' ? [] : objectsOf(a, env, depth + 1)));
    // `build.call(this, ...)` / `build.apply(this, args)` (CoffeeScript's and ES5 classes' calls): build's returns
    const callee = unwrap(x.callee);
    const target = callee.type === 'MemberExpression' && /^(call|apply)$/.test(propName(callee) ?? '') ? callee.object : x.callee;
    const f = resolveFunction(target, env);
    if (f) {
      const rets = returnedExpressions(f.fn);
      if (rets.length && rets.length <= 3) return rets.flatMap((r) => objectsOf(r, { ...f.env, args: undefined }, depth + 1));
    }
    return [];
  }
  if (x.type === 'NewExpression' && /(^|\.)HttpParams$/.test(nameOf(x.callee))) {
    const o = x.arguments[0] && resolveObject(x.arguments[0] as N, env);
    const from = o?.kind === 'object' ? o.node.properties.find((p) => p.type === 'Property' && propName(p) === 'fromObject') : undefined;
    return from && from.type === 'Property' ? objectsOf(from.value as N, o!.env, depth + 1) : [];
  }
  const o = resolveObject(x, env);
  if (o?.kind === 'object') return [{ node: o.node, env: o.env }];
  // `const params = new HttpParams(...)` / `= Object.assign(...)` / `= defaults()`
  if (x.type === 'Identifier') {
    const b = resolveBinding(x);
    const init = b?.kind === 'var' && !b.path.length ? b.declarator.init : undefined;
    if (init && unwrap(init) !== x) return objectsOf(init, env, depth + 1);
  }
  return [];
}

/**
 * The objects a parameter is given in its function's body (`if (!options) options =
 * defaults.call(this)`): its other values come from the call sites.
 */
export function paramDefaults(x: TSESTree.Identifier, env: Env): ObjSource[] {
  const b = resolveBinding(x);
  // (a parameter with a default, `params = {}`, too)
  const own = b?.kind === 'param' && (b.node.parent === b.fn || (b.node.parent?.type === 'AssignmentPattern' && b.node.parent.left === b.node && b.node.parent.parent === b.fn));
  if (!own || !('body' in b.fn) || !b.fn.body) return [];
  const out: ObjSource[] = [];
  traverseCollect(b.fn.body as N, (n) => {
    if (n.type === 'AssignmentExpression' && n.operator === '=' && n.left.type === 'Identifier' && n.left.name === x.name && resolveBinding(n.left) === b) out.push(...objectsOf(n.right, env, 1));
  });
  return out;
}

/** `k + '=' + v` / `${k}=${v}` / `.set(k, v)` / `.append(k, v)` somewhere inside `root`. */
function writesPairs(root: N): boolean {
  let found = false;
  traverseCollect(root, (n) => {
    if (found) return;
    if (n.type === 'Literal' && typeof n.value === 'string' && /=/.test(n.value) && n.value.length < 8) found = true;
    else if (n.type === 'TemplateLiteral' && n.quasis.some((q) => /=/.test(q.value.raw) && q.value.raw.length < 8)) found = true;
    else if (n.type === 'CallExpression' && n.callee.type === 'MemberExpression' && /^(set|append)$/.test(propName(n.callee) ?? '') && n.arguments.length === 2) found = true;
  });
  return found;
}

/**
 * A `for...in` loop of a recursive serialiser that writes each pair outside the loop, in its
 * leaf case: `function enc(el, key, list) { if (typeof el == 'object') for (var i in el)
 * enc(el[i], key ? key + '[' + i + ']' : i, list); else list.push(key + '=' + encodeURIComponent(el)); }`.
 */
function recursiveWriter(loop: TSESTree.ForInStatement): boolean {
  const fn = enclosingFunction(loop) as Fn | undefined;
  if (!fn?.body) return false;
  // its own name, or the variable's it is assigned to (`var enc = function (el, key) {...}`)
  const name = (fn.type !== 'ArrowFunctionExpression' && fn.id?.name) || (fn.parent?.type === 'VariableDeclarator' && fn.parent.id.type === 'Identifier' ? fn.parent.id.name : undefined);
  if (!name) return false;
  let calls = false;
  traverseCollect(loop.body, (n) => { if (!calls && n.type === 'CallExpression' && n.callee.type === 'Identifier' && n.callee.name === name) calls = true; });
  return calls && writesPairs(fn.body);
}

/** The statement (or arrow body) around a node, up to its function. */
function statementOf(n: N): N {
  let x = n;
  while (x.parent && !x.parent.type.includes('Function') && x.parent.type !== 'Program' && x.parent.type !== 'BlockStatement') x = x.parent;
  return x;
}

export interface Serialised {
  /** The expression whose keys end up in a query (or a body). */
  target: N;
  /** The serialising node (for where its result goes). */
  at: N;
  kind: 'loop' | 'serialiser' | 'option' | 'helper';
  /** For a helper: the site inside the helper that serialises the parameter, and the helper. */
  inner?: { site: Serialised; fn: Fn; env: Env };
}

/** Work counters (tests check that a helper's body is walked once, not once per argument). */
export const siteStats = { walks: 0 };

/** Places inside `root` where an expression's keys become query pairs. `env` resolves helpers. */
export function serialisationSites(root: N, env: Env, depth = 0, nodes?: readonly N[]): Serialised[] {
  const out: Serialised[] = [];
  if (!nodes) siteStats.walks++;
  const visit = (n: N) => {
    if (n.type === 'ForInStatement') {
      if (writesPairs(n.body) || recursiveWriter(n)) out.push({ target: n.right, at: n, kind: 'loop' });
    } else if (n.type === 'CallExpression') {
      const cn = nameOf(n.callee);
      const a0 = n.arguments[0] as N | undefined;
      if (!a0 || a0.type === 'SpreadElement') return;
      if (/^Object\.(keys|entries)$/.test(cn)) { if (writesPairs(statementOf(n))) out.push({ target: a0, at: n, kind: 'loop' }); return; }
      if (QS_CALL.test(cn) || isQsImport(n.callee)) { out.push({ target: a0, at: n, kind: 'serialiser' }); return; }
      // Node's legacy url.format: `url.format({ ..., query })`, `parsed.query = Object.assign(parsed.query, p); url.format(parsed)`
      if (/^url\.format$/.test(cn)) { for (const q of formattedQueries(a0)) out.push({ target: q, at: n, kind: 'serialiser' }); return; }
      if (n.callee.type === 'MemberExpression' && propName(n.callee) === 'query' && n.arguments.length === 1) { out.push({ target: a0, at: n, kind: 'option' }); return; }
      // Restangular: `Restangular.all('tracks').getList(params)`, `.one('users', id).get(params)` (query params first)
      // (its custom methods take them after the path: `customGET(path, params)`, `customPOST(elem, path, params)`)
      if (n.callee.type === 'MemberExpression') {
        // the query of every request of a configured client: Restangular's `RestangularProvider.setDefaultRequestParams({ client_id })`
        // (or `(['get'], {...})`), angular-watch-resource's `setDefaultParams`; its URL the same provider's setBaseUrl / setBasePath (facts.ts)
        if (DEFAULT_PARAMS_SETTER.test(propName(n.callee) ?? '')) {
          const last = n.arguments[n.arguments.length - 1];
          if (last && last.type !== 'SpreadElement') out.push({ target: last, at: n, kind: 'option' });
          return;
        }
        const at = RESTANGULAR_PARAMS.get(propName(n.callee) ?? '');
        const target = at === undefined ? undefined : n.arguments[at];
        if (target && target.type !== 'SpreadElement' && isRestangularElement(n.callee.object)) { out.push({ target, at: n, kind: 'option' }); return; }
      }
      if (depth < 3 && mayHandObjects(n)) {
        const { f, args } = calledHelper(n, env);
        if (f) args.forEach((a, i) => {
          if (!a || a.type === 'SpreadElement') return;
          const inner = paramSerialisation(f.fn, i, f.env, depth + 1);
          if (inner) { out.push({ target: a, at: n, kind: 'helper', inner: { site: inner, fn: f.fn, env: f.env } }); return; }
          // send({ path, query: params }) where send serialises `data.query`
          const x = unwrap(a);
          if (x.type !== 'ObjectExpression' && x.type !== 'Identifier') return;
          const props = serialisedProps(f.fn, i, f.env, depth + 1);
          if (!props.size) return;
          if (x.type === 'ObjectExpression') { for (const p of x.properties) if (p.type === 'Property' && props.has(propName(p) ?? '')) out.push({ target: p.value as N, at: n, kind: 'helper' }); return; }
          // ...or a request object the caller fills in first: `req = { host }; req.query = params; send(req)`
          for (const v of propsAssigned(x, props)) out.push({ target: v, at: n, kind: 'helper' });
        });
      }
    } else if (n.type === 'NewExpression') {
      if (isUrlSearchParamsCtor(n.callee) && n.arguments[0] && n.arguments[0].type !== 'SpreadElement') out.push({ target: n.arguments[0], at: n, kind: 'serialiser' });
    } else if (n.type === 'Property' && n.parent?.type === 'ObjectExpression' && !n.computed && (QUERY_OPTION.test(propName(n) ?? '') || propName(n) === 'query'
      || (URL_QUERY_OPTION.test(propName(n) ?? '') && !!urlKey(n.parent)))) {
      // request options: axios/$http `params`, request `qs`, got/ky `searchParams` (an argument of a
      // call); ofetch / Nuxt `$fetch` / `useFetch` `query` (only there: `query` names many other things)
      const obj = n.parent;
      const call = obj.parent?.type === 'CallExpression' || obj.parent?.type === 'NewExpression' ? obj.parent : propName(n) !== 'query' ? optionsHandedTo(obj) : undefined;
      if (call && (propName(n) !== 'query' || ofetchCall(call))) out.push({ target: n.value as N, at: call, kind: 'option' });
    }
  };
  // `nodes`: the ForIn/Call/New/Property nodes of `root` in traverseCollect's order, already
  // collected by the caller's walk (fileFacts); else walk `root` here.
  if (nodes) for (let i = 0; i < nodes.length; i++) visit(nodes[i]!);
  else traverseCollect(root, visit);
  return out;
}

/**
 * Node types an argument can have and still hand the helper an object whose keys a site reads:
 * the caller's objects (objectsOf, resolveObject: a literal, a name, a member, a call's result,
 * `await`, `new HttpParams(...)`) and, inside a helper, its parameter or a member of it. Strings,
 * numbers, functions, arrays and operators are none of them.
 */
const OBJECT_ARGUMENT = new Set(['Identifier', 'MemberExpression', 'ObjectExpression', 'CallExpression', 'AwaitExpression', 'NewExpression']);

/**
 * Can the call hand a helper such an object: some argument of one of those types, or a
 * `.call`/`.apply` (whose arguments calledHelper takes apart)? Most calls pass only strings,
 * callbacks or numbers (`console.log('...')`, `$('#id')`, `setTimeout(() => ..., 10)`), and then
 * nothing they run is resolved (dense corpus: resolving them was most of the search's time).
 */
function mayHandObjects(n: TSESTree.CallExpression): boolean {
  const args = n.arguments;
  for (let i = 0; i < args.length; i++) if (OBJECT_ARGUMENT.has(unwrap(args[i] as N).type)) return true;
  const callee = unwrap(n.callee);
  return callee.type === 'MemberExpression' && !callee.computed && (propName(callee) === 'apply' || propName(callee) === 'call');
}

/**
 * The call that an options object kept in a variable is handed to: `var op = { qs: qs, url: url };
 * request(op, callback)` (the variable passed as an argument in one of the few statements after
 * its declaration, or after the statement assigning it the object, in the same block).
 */
function optionsHandedTo(obj: TSESTree.ObjectExpression): TSESTree.CallExpression | TSESTree.NewExpression | undefined {
  const d = obj.parent;
  // `var op = {...}`, or `op = {...};` after a bare `var op;` (node-soundcloud's style)
  let id: TSESTree.Identifier;
  if (d?.type === 'VariableDeclarator' && d.init === obj && d.id.type === 'Identifier' && d.parent?.type === 'VariableDeclaration') id = d.id;
  else if (d?.type === 'AssignmentExpression' && d.operator === '=' && d.right === obj && d.left.type === 'Identifier' && d.parent?.type === 'ExpressionStatement') id = d.left;
  else return undefined;
  const decl = d.parent!;
  const block = decl.parent;
  if (block?.type !== 'BlockStatement' && block?.type !== 'Program') return undefined;
  const name = id.name;
  const b = resolveBinding(id);
  if (b?.kind !== 'var') return undefined;
  const body = block.body as N[];
  const at = body.indexOf(decl);
  let found: TSESTree.CallExpression | TSESTree.NewExpression | undefined;
  for (const st of body.slice(at + 1, at + 1 + OPTIONS_LOOKAHEAD)) {
    traverseCollect(st, (x) => {
      if (found || (x.type !== 'CallExpression' && x.type !== 'NewExpression')) return;
      if (x.arguments.some((a) => a.type === 'Identifier' && a.name === name && resolveBinding(a) === b)) found = x;
    });
    if (found) break;
  }
  return found;
}

/** How many statements after an options variable's declaration are searched for the call it is handed to. */
const OPTIONS_LOOKAHEAD = 3;

/**
 * The helper a call runs and the arguments its parameters get: `send(req, cb)`, and the forms
 * CoffeeScript and ES5 code call it by, `send.apply(this, [req, cb])` and `send.call(this, req, cb)`.
 */
function calledHelper(n: TSESTree.CallExpression, env: Env): { f?: { fn: Fn; env: Env }; args: readonly (N | undefined)[] } {
  const f = resolveFunction(n.callee, env);
  if (f) return { f, args: n.arguments as N[] };
  const callee = unwrap(n.callee);
  const how = callee.type === 'MemberExpression' && !callee.computed ? propName(callee) : undefined;
  if (how !== 'apply' && how !== 'call') return { args: [] };
  const g = resolveFunction((callee as TSESTree.MemberExpression).object, env);
  if (!g) return { args: [] };
  if (how === 'call') return { f: g, args: n.arguments.slice(1) as N[] };
  const list = n.arguments[1] && unwrap(n.arguments[1] as N);
  return list?.type === 'ArrayExpression' ? { f: g, args: list.elements as (N | null)[] as (N | undefined)[] } : { args: [] };
}

/**
 * The values a function writes to the named properties of a local object before handing it on:
 * `req.query = params` (`req` a variable of the same function, same binding).
 */
function propsAssigned(id: TSESTree.Identifier, props: ReadonlySet<string>): N[] {
  const b = resolveBinding(id);
  const fn = enclosingFunction(id);
  if (b?.kind !== 'var' || !fn) return [];
  const out: N[] = [];
  traverseCollect(fn, (n) => {
    if (n.type !== 'AssignmentExpression' || n.operator !== '=' || n.left.type !== 'MemberExpression' || n.left.computed) return;
    const o = unwrap(n.left.object);
    if (o.type !== 'Identifier' || o.name !== id.name || resolveBinding(o) !== b) return;
    if (props.has(propName(n.left) ?? '')) out.push(n.right);
  });
  return out;
}

/** A client provider's setter of the default query parameters of every request (Restangular, angular-watch-resource). */
export const DEFAULT_PARAMS_SETTER = /^setDefault(?:Request)?Params$/;

/** Restangular's methods that take query parameters, and the position of that argument. */
const RESTANGULAR_PARAMS = new Map(Object.entries({ get: 0, getList: 0, customGET: 1, customGETLIST: 1, customDELETE: 1, customPOST: 2, customPUT: 2 }));

/** A Restangular element or collection: `Restangular.all(..)`, `.one(..)`, chains of them, or a variable holding one. */
function isRestangularElement(n: N, depth = 0): boolean {
  const x = unwrap(n);
  if (depth > 4) return false;
  if (x.type === 'Identifier') {
    const b = resolveBinding(x);
    const init = b?.kind === 'var' && !b.path.length ? b.declarator.init : undefined;
    return !!init && isRestangularElement(init, depth + 1);
  }
  if (x.type !== 'CallExpression' || x.callee.type !== 'MemberExpression' || !/^(all|one|several|allUrl|oneUrl)$/.test(propName(x.callee) ?? '')) return false;
  const o = unwrap(x.callee.object);
  return (o.type === 'Identifier' && /^restangular$/i.test(o.name)) || isRestangularElement(o, depth + 1);
}

const memo = new WeakMap<Fn, Map<number, Serialised | null>>();

/**
 * The serialisation sites of a helper's body, by env and depth (what they depend on): asked once
 * per argument position (serialisesParam, serialisedProps), the body is walked once. A walk that
 * met an answer still being worked out (a helper that reaches itself: the recursion guards below)
 * is not kept, so the next ask walks again and sees the finished answer, as before.
 */
const bodySites = new WeakMap<N, Map<Env, Serialised[][]>>();
/** Answers asked for while still being worked out (recursion guards hit). */
let guardHits = 0;
/** Parameter positions whose answer is being worked out, per function. */
const busy = new WeakMap<Fn, Set<number>>();
const isBusy = (fn: Fn, index: number): boolean => busy.get(fn)?.has(index) === true;
function setBusy(fn: Fn, index: number, on: boolean): void {
  let b = busy.get(fn);
  if (!b) busy.set(fn, (b = new Set()));
  if (on) b.add(index);
  else b.delete(index);
}

function sitesOfBody(body: N, env: Env, depth: number): Serialised[] {
  let byEnv = bodySites.get(body);
  if (!byEnv) bodySites.set(body, (byEnv = new Map()));
  let byDepth = byEnv.get(env);
  if (!byDepth) byEnv.set(env, (byDepth = []));
  const hit = byDepth[depth];
  if (hit) return hit;
  const before = guardHits;
  const sites = serialisationSites(body, env, depth);
  if (guardHits === before) byDepth[depth] = sites;
  return sites;
}

/** Does a function turn its parameter `index` into query pairs (itself or through helpers)? */
export function serialisesParam(fn: Fn, index: number, env: Env, depth = 0): boolean {
  return !!paramSerialisation(fn, index, env, depth);
}

/** The site where a function turns its parameter `index` into query pairs, if it does. */
function paramSerialisation(fn: Fn, index: number, env: Env, depth = 0): Serialised | undefined {
  let m = memo.get(fn);
  if (!m) memo.set(fn, (m = new Map()));
  const hit = m.get(index);
  if (hit !== undefined) { if (isBusy(fn, index)) guardHits++; return hit ?? undefined; }
  m.set(index, null); // recursion guard
  setBusy(fn, index, true);
  const p = fn.params[index];
  let id: N | undefined = p;
  if (p?.type === 'AssignmentPattern') id = p.left;
  if (p?.type === 'TSParameterProperty') id = p.parameter;
  let found: Serialised | undefined;
  if (id?.type === 'Identifier' && fn.body) {
    for (const s of sitesOfBody(fn.body, env, depth)) {
      const t = unwrap(s.target);
      const b = t.type === 'Identifier' ? resolveBinding(t) : undefined;
      if (b?.kind === 'param' && b.node === id) {
        if (s.kind === 'serialiser' && !resultInQuery(s.at)) continue;
        found = s;
        break;
      }
    }
  }
  m.set(index, found ?? null);
  setBusy(fn, index, false);
  return found;
}

const propMemo = new WeakMap<Fn, Map<number, Set<string>>>();

/** Properties of parameter `index` the function serialises into a query: `qs.stringify(data.query)`. */
function serialisedProps(fn: Fn, index: number, env: Env, depth: number): Set<string> {
  let m = propMemo.get(fn);
  if (!m) propMemo.set(fn, (m = new Map()));
  const hit = m.get(index);
  if (hit) { if (isBusy(fn, -1 - index)) guardHits++; return hit; }
  const out = new Set<string>();
  m.set(index, out); // recursion guard
  const id = fn.params[index];
  if (id?.type !== 'Identifier' || !fn.body) return out;
  setBusy(fn, -1 - index, true);
  for (const s of sitesOfBody(fn.body, env, depth)) {
    const t = unwrap(s.target);
    if (t.type !== 'MemberExpression' || t.computed) continue;
    const o = unwrap(t.object);
    const b = o.type === 'Identifier' ? resolveBinding(o) : undefined;
    if (b?.kind !== 'param' || (b as { node: N }).node !== id) continue;
    if (s.kind === 'serialiser' && !resultInQuery(s.at)) continue;
    const k = propName(t);
    if (k) out.add(k);
  }
  setBusy(fn, -1 - index, false);
  return out;
}

/** A serialiser's result that is not sent as a body (a URL piece, returned, or assigned to `.search`). */
export function resultInQuery(at: N): boolean {
  const p = at.parent;
  if (!p) return false;
  if (p.type === 'Property' && /^(body|data|form|json)$/.test(propName(p) ?? '')) return false;
  if (p.type === 'CallExpression' && p.arguments[0] !== at && /\.(post|put|patch)$/i.test(nameOf(p.callee))) return false;
  if (p.type === 'CallExpression' && /\.(send|write|end)$/.test(nameOf(p.callee))) return false;
  if (p.type === 'VariableDeclarator') return true; // followed by the caller's own checks of its uses
  return true;
}

/**
 * The query objects of a legacy `url.format(x)`: the `query` of an object literal, or what the
 * function assigns to `x.query` (each source of an `Object.assign(...)` written there).
 */
function formattedQueries(a0: N): N[] {
  const x = unwrap(a0);
  if (x.type === 'ObjectExpression') {
    const q = x.properties.find((p) => p.type === 'Property' && propName(p) === 'query');
    return q?.type === 'Property' ? [q.value as N] : [];
  }
  if (x.type !== 'Identifier') return [];
  const fn = enclosingFunction(x);
  if (!fn) return [];
  const out: N[] = [];
  traverseCollect(fn, (n) => {
    if (n.type !== 'AssignmentExpression' || n.operator !== '=' || n.left.type !== 'MemberExpression' || propName(n.left) !== 'query') return;
    const o = unwrap(n.left.object);
    if (o.type !== 'Identifier' || o.name !== x.name) return;
    const r = unwrap(n.right);
    if (r.type === 'CallExpression' && isMerge(r.callee)) out.push(...r.arguments.filter((a) => a.type !== 'SpreadElement') as N[]);
    else out.push(r);
  });
  return out;
}

const QS_PACKAGE = /^(qs|querystring|query-string|node:querystring|form-urlencoded)$/;

/** The package a name is bound to by an import or a `require` (`const form = require('form-urlencoded')`). */
function packageOfName(x: N): string | undefined {
  if (x.type !== 'Identifier') return undefined;
  return bindingSpecifier(resolveBinding(x));
}

/**
 * A query serialiser's function reached by its package: `stringify(o)` imported from qs,
 * `form.encode(o)` of `require('form-urlencoded')` (the official SDK's), `formurlencoded(o)` (that
 * package's default export is the encoder).
 */
function isQsImport(callee: N): boolean {
  if (callee.type === 'MemberExpression') return /^(stringify|encode)$/.test(propName(callee) ?? '') && QS_PACKAGE.test(packageOfName(unwrap(callee.object)) ?? '');
  const pkg = packageOfName(callee);
  return pkg === 'form-urlencoded' || (/^(stringify|encode|param)$/.test((callee as TSESTree.Identifier).name ?? '') && QS_PACKAGE.test(pkg ?? ''));
}

/** Any merge of objects (values.ts mergeKind): every merged object can carry the parameter. */
const isMerge = (callee: N): boolean => mergeKind(callee) !== undefined;

/** Two identifiers bound to the same variable or parameter. */
function sameBinding(a: TSESTree.Identifier, b: ReturnType<typeof resolveBinding>): boolean {
  const ab = resolveBinding(a);
  if (!ab || !b || ab.kind !== b.kind) return false;
  return ab.kind === 'var' ? ab.declarator === (b as typeof ab).declarator : (ab as { node: N }).node === (b as { node: N }).node;
}

/**
 * Objects merged in place into a variable's (or parameter's) object by a statement:
 * `angular.extend(params, { oauth_token })`, `Object.assign(query, { client_id })`.
 */
export function mergedInto(id: TSESTree.Identifier, calls: readonly TSESTree.CallExpression[], env: Env): ObjSource[] {
  const b = resolveBinding(id);
  if (!b || (b.kind !== 'var' && b.kind !== 'param')) return [];
  const out: ObjSource[] = [];
  for (const c of calls) {
    if (c.arguments.length < 2 || c.parent?.type !== 'ExpressionStatement') continue;
    const a0 = unwrap(c.arguments[0] as N);
    if (a0.type !== 'Identifier' || a0.name !== id.name || !isMerge(c.callee) || !sameBinding(a0, b)) continue;
    for (const a of c.arguments.slice(1)) if (a.type !== 'SpreadElement') out.push(...objectsOf(a, env));
  }
  return out;
}

/**
 * Mutations of the object at a member path of a variable (`data.qs`, a wrapper's options):
 * `data.qs.oauth_token = t`, and through an alias `var q = data.qs; q.oauth_token = t`.
 */
export function memberMutationsOf(m: TSESTree.MemberExpression, assignments: readonly TSESTree.AssignmentExpression[]): { name: string; node: TSESTree.AssignmentExpression; value: N }[] {
  const path: string[] = [];
  let root: N = m;
  while (root.type === 'MemberExpression') {
    const k = root.computed ? undefined : propName(root);
    if (k === undefined) return [];
    path.unshift(k);
    root = unwrap(root.object);
  }
  if (root.type !== 'Identifier') return [];
  const b = resolveBinding(root);
  if (!b || (b.kind !== 'var' && b.kind !== 'param')) return [];
  const samePath = (x: N): boolean => {
    let y = unwrap(x);
    for (let i = path.length - 1; i >= 0; i--) {
      if (y.type !== 'MemberExpression' || y.computed || propName(y) !== path[i]) return false;
      y = unwrap(y.object);
    }
    return y.type === 'Identifier' && y.name === (root as TSESTree.Identifier).name && sameBinding(y, b);
  };
  const out: { name: string; node: TSESTree.AssignmentExpression; value: N }[] = [];
  for (const a of assignments) {
    if (a.operator !== '=' || a.left.type !== 'MemberExpression') continue;
    const o = unwrap(a.left.object);
    let hit = o.type === 'MemberExpression' && samePath(o);
    if (!hit && o.type === 'Identifier') {
      const ob = resolveBinding(o);
      const init = ob?.kind === 'var' && ob.declarator.id.type === 'Identifier' ? ob.declarator.init : undefined;
      hit = !!init && samePath(init as N);
    }
    const k = hit ? propName(a.left) : undefined;
    if (k) out.push({ name: k, node: a, value: a.right });
  }
  return out;
}

/** Mutations of a variable's object: `obj.client_id = v`, `obj['oauth_token'] = v` (key, assignment). */
export function mutationsOf(id: TSESTree.Identifier, assignments: readonly TSESTree.AssignmentExpression[]): { name: string; node: TSESTree.AssignmentExpression; value: N }[] {
  const b = resolveBinding(id);
  // a variable, or a parameter object the function adds keys to (`params.oauth_token = token`)
  if (!b || (b.kind !== 'var' && b.kind !== 'param')) return [];
  const out: { name: string; node: TSESTree.AssignmentExpression; value: N }[] = [];
  for (const a of assignments) {
    if (a.operator !== '=' || a.left.type !== 'MemberExpression') continue;
    const o = unwrap(a.left.object);
    if (o.type !== 'Identifier' || o.name !== id.name) continue;
    const ob = resolveBinding(o);
    if (!ob || ob.kind !== b.kind || (ob.kind === 'var' ? ob.declarator !== (b as typeof ob).declarator : (ob as { node: N }).node !== (b as { node: N }).node)) continue;
    const k = propName(a.left);
    if (k) out.push({ name: k, node: a, value: a.right });
  }
  return out;
}

export const textOf = (n: N, env: Env): string | undefined => {
  const alts = evalString(n, env);
  return alts.length === 1 && alts[0]!.every((x) => x.kind === 'text') ? flatText(alts[0]!) : undefined;
};
