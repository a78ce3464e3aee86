/**
 * HTTP client models: which calls send requests, where their URL, query, body, headers and
 * redirect options are. fetch / node-fetch / ky, axios (and instances from axios.create), got
 * (and got.extend), request / request-promise, restler, superagent, jQuery, AngularJS $http, Meteor HTTP,
 * Node's http/https, XMLHttpRequest (`x.open(method, url)` on a `new XMLHttpRequest()`, with its
 * `setRequestHeader` and `send` calls), and the old SoundCloud SDK.
 */
import type { TSESTree } from '@typescript-eslint/typescript-estree';
import { enclosingClassBody, resolveBinding, runtimeBinding, programOf } from './scope.js';
import { ensureParents, forEachChild, traverseCollect } from '../walk.js';
import { importersOf } from './usage.js';
import { memberWrites } from './page-globals.js';
import { evalString, isUrlSearchParamsCtor, nameOf, propName, resolveObject, unwrap, requireSpecifier, bindingSpecifier, importedFrom, packageName, type Env, type Str, findProp, resolveFunction, returnedExpressions, bindArgs, moduleAst, moduleExport, resolveExpression, resolveModule } from './values.js';
import { startOf, endOf } from '../offsets.js';

type N = TSESTree.Node;

const SUPERAGENT_PACKAGES = new Set(['superagent', 'superagent-promise', 'superagent-bluebird-promise', 'superagent-use', 'superagent-defaults']);
export type Lib = 'fetch' | 'ky' | 'axios' | 'got' | 'request' | 'superagent' | 'jquery' | 'angular' | 'meteor' | 'node' | 'xhr' | 'sdk';

export interface RequestInfo {
  call: TSESTree.CallExpression;
  lib: Lib;
  method: string; // upper case, '' when unknown
  urlNode?: N;
  /** Base URL from an instance, baseURL or prefixUrl option. */
  baseNode?: N;
  baseEnv?: Env;
  /** Option objects (config, init, instance defaults), own env each. */
  options: { node: TSESTree.ObjectExpression; env: Env }[];
  /** Objects of query parameters (params, qs, searchParams, .query({..}), GET data). */
  queryObjects: { node: TSESTree.ObjectExpression; env: Env }[];
  /** Body expressions (body, data, form, json, .send(x), POST data). */
  bodies: { node: N; env: Env }[];
  /** Node's http.request({ host }) without a scheme: the module decides it. */
  nodeModule?: 'http' | 'https';
  /** XMLHttpRequest: the `x.setRequestHeader(name, value)` calls on the same object, in the same function. */
  headerCalls?: TSESTree.CallExpression[];
}

const HTTP_METHODS = new Set(['get', 'post', 'put', 'patch', 'delete', 'del', 'head', 'options', 'request']);
/**
 * Every method (lower case) by which some client below sends a request: `x.stream` (got, the
 * SDK), `$.ajax` / `$.getJSON`, `HTTP.call`, `xhr.open`, and the HTTP methods. A call of any
 * other method (`console.log`, `list.push`: most calls) is none, whatever its object is, so
 * requestOf does not resolve that object.
 */
const REQUEST_METHODS = new Set([...HTTP_METHODS, 'stream', 'ajax', 'getjson', 'call', 'open']);

const REQUEST_PACKAGES = new Set(['request', 'request-promise', 'request-promise-native', 'request-promise-any', 'postman-request', 'co-request', 'requestretry']);

const SC_CLIENT_PACKAGE = /^(@[\w.-]+\/)?(node-)?sound-?cloud(er)?([-.]?(node|nodejs|js|api|client|api-client|wrapper|api-wrapper|sdk))*$/i;
export const NOT_API_CLIENT = /download|scrap|widget|player|audio|embed/i;
/**
 * Players that take a client id call the public API with it (`new SoundCloudAudio(clientId)` of
 * soundcloud-audio resolves and streams with ?client_id=); widgets, embeds, downloaders and
 * scrapers still do not count.
 */
const NOT_API_CLIENT_OR_PLAYER = /download|scrap|widget|embed/i;

/**
 * A SoundCloud API client package other than the old SDK: `soundcloud-api-client`,
 * `soundcloud-resolve-jsonp`, `soundcloud-resolver`, `node-soundcloud`... (not downloaders,
 * scrapers or players).
 */
const SC_PACKAGE_ANY = /^(@[\w.-]+\/)?(node-)?sound-?cloud(er)?[-.]\w/i;

/**
 * The SoundCloud client package a top-level import or require binds to a local name
 * (`const SoundCloud = require('soundcloud-api-client')`, `var resolve = require('soundcloud-resolve-jsonp')`).
 * The program's top level is read, and with `calls` (the file's calls) a require kept in a
 * variable inside a function too (a bot's command handler loading its client when it runs:
 * `async execute(msg) { const SoundCloud = require('soundcloud-api-client'); ... }`).
 */
export function scPackageImports(ast: TSESTree.Program, players = false, calls?: readonly TSESTree.CallExpression[]): Map<string, string> {
  const out = new Map<string, string>();
  const not = players ? NOT_API_CLIENT_OR_PLAYER : NOT_API_CLIENT;
  // (the old SDK, `soundcloud` itself, is no-deprecated-sdk's and the SDK rules')
  const fits = (s: string | undefined): s is string => !!s && s !== 'soundcloud' && (SC_PACKAGE_ANY.test(s) || SC_CLIENT_PACKAGE.test(s)) && !not.test(s);
  for (const st of ast.body) {
    if (st.type === 'ImportDeclaration' && fits(importedFrom(st))) {
      for (const sp of st.specifiers) out.set(sp.local.name, importedFrom(st));
    } else if (st.type === 'VariableDeclaration') {
      for (const d of st.declarations) {
        const spec = requireSpecifier(d.init);
        if (d.id.type === 'Identifier' && fits(spec)) out.set(d.id.name, spec);
      }
    } else if (st.type === 'ExpressionStatement' && st.expression.type === 'AssignmentExpression' && st.expression.left.type === 'Identifier') {
      // `SC = require('soundcloud-nodejs-api-wrapper')`: a global of a script
      const spec = requireSpecifier(st.expression.right);
      if (fits(spec)) out.set(st.expression.left.name, spec);
    }
  }
  if (calls) {
    for (const c of calls) {
      const d = c.parent;
      if (d?.type !== 'VariableDeclarator' || d.init !== c || d.id.type !== 'Identifier' || out.has(d.id.name)) continue;
      const spec = requireSpecifier(c);
      if (fits(spec)) out.set(d.id.name, spec);
    }
  }
  return out;
}

/** Is `this.<name>` a field of the enclosing class that holds Angular's HttpClient (by its declared type, or `inject(HttpClient)`)? */
function httpClientField(x: TSESTree.MemberExpression): boolean {
  const name = propName(x);
  if (!name || x.computed) return false;
  const cls = enclosingClassBody(x);
  if (!cls) return false;
  const isClient = (t: TSESTree.TypeNode | undefined) => t?.type === 'TSTypeReference' && t.typeName.type === 'Identifier' && t.typeName.name === 'HttpClient';
  for (const m of cls.body) {
    if (m.type === 'PropertyDefinition' && !m.computed && propName(m) === name) {
      const v = m.value && unwrap(m.value);
      return isClient(m.typeAnnotation?.typeAnnotation) || (v?.type === 'CallExpression' && nameOf(v.callee) === 'inject' && v.arguments[0]?.type === 'Identifier' && v.arguments[0].name === 'HttpClient');
    }
    if (m.type === 'MethodDefinition' && m.kind === 'constructor') {
      for (const p of m.value.params) {
        if (p.type !== 'TSParameterProperty' || p.parameter.type !== 'Identifier' || p.parameter.name !== name) continue;
        return isClient(p.parameter.typeAnnotation?.typeAnnotation);
      }
    }
  }
  return false;
}

/** What library an identifier refers to, by its import or its conventional name. */
export function libraryOfName(id: N, env: Env): Lib | 'axios-instance' | 'got-instance' | 'http' | 'https' | 'restler' | undefined {
  const x = unwrap(id);
  if (x.type === 'MemberExpression') {
    const n = nameOf(x);
    if (/(^|\.)\$?axios$/.test(n)) return 'axios';
    if (n === 'this.$http' || n === '$http') return 'angular';
    // Angular's HttpClient on a field of the class (`constructor(private http: HttpClient)`,
    // `private http = inject(HttpClient)`): the same get(url, options) / post(url, body, options) as $http
    if (unwrap(x.object).type === 'ThisExpression') {
      if (httpClientField(x)) return 'angular';
      // an axios / got instance kept on a field: `this.api = axios.create({ baseURL })` in the constructor, or a field initialiser
      const kind = fieldInstance(x, env);
      if (kind) return kind;
      // ...or handed in through the constructor: `constructor(http) { this.http = http }`, `new SoundCloud(ky)`
      const given = injectedClient(x, env);
      if (given) return given;
    }
    if (n === 'Meteor.http') return 'meteor'; // Meteor's HTTP client before it became the HTTP global
    if (n === 'window.fetch' || n === 'globalThis.fetch' || n === 'self.fetch') return 'fetch';
    // jQuery kept on an object: window.$, or a userscript's own `_this.$ = jQuery` (`_this.$.getJSON(...)`)
    if (JQUERY_NAME.test(n)) return 'jquery';
    // ...under a name of its own: `scdlr.JQ = unsafeWindow.jQuery` (`scdlr.JQ.getJSON(...)`)
    if (keptJquery(x)) return 'jquery';
    return undefined;
  }
  if (x.type !== 'Identifier') return undefined;
  const b = runtimeBinding(x);
  let source: string | undefined;
  if (b?.kind === 'import') {
    source = importedFrom(b.node);
    // Tauri's HTTP client: `import { fetch as tauriFetch } from '@tauri-apps/api/http'` (v1 takes
    // `query: {...}` for the query string) or '@tauri-apps/plugin-http' (v2, the standard fetch)
    if (b.imported === 'fetch' && /^@tauri-apps\/(api\/http|plugin-http)$/.test(source)) return 'fetch';
    if (source === 'follow-redirects' && (b.imported === 'http' || b.imported === 'https')) return b.imported;
  }
  else if (b?.kind === 'var') {
    const init = b.declarator.init && unwrap(b.declarator.init);
    if (init?.type === 'NewExpression' && XHR.test(nameOf(init.callee))) return 'xhr';
    source = requireSpecifier(init);
    if (!source && init?.type === 'MemberExpression') source = requireSpecifier(init.object); // require('got').default
    // follow-redirects' drop-in modules: `require('follow-redirects').http` is an http module
    if (source === 'follow-redirects' && init?.type === 'MemberExpression') source = propName(init);
    if (!source && init?.type === 'CallExpression') {
      const c = unwrap(init.callee);
      const cn = nameOf(c);
      const kind = instanceKind(cn);
      if (kind) return kind;
      if (requireSpecifier(c)) source = requireSpecifier(c); // require('superagent')(...)
    }
    if (!source && init?.type === 'AwaitExpression' && init.argument.type === 'ImportExpression' && init.argument.source.type === 'Literal') source = packageName(String(init.argument.source.value));
  }
  if (source) {
    const s = source.replace(/^node:/, '');
    if (s === 'axios' || s === 'axios/index') return 'axios';
    if (s === 'got') return 'got';
    if (s === 'ky' || s === 'ky-universal') return 'ky';
    // (ofetch: `ofetch(url, { query, params, baseURL, body })`, Nuxt's `$fetch`)
    if (s === 'node-fetch' || s === 'cross-fetch' || s === 'isomorphic-fetch' || s === 'undici' || s === 'make-fetch-happen' || s === 'ofetch' || s === 'ohmyfetch') return 'fetch';
    // request and the packages with its API: its promise wrappers, postman's maintained fork, co's and the retrying wrapper
    if (REQUEST_PACKAGES.has(s)) return 'request';
    // (and its drop-ins of the same API: promise wrappers, plugin and defaults contexts)
    if (SUPERAGENT_PACKAGES.has(s)) return 'superagent';
    if (s === 'restler') return 'restler';
    if (s === 'jquery') return 'jquery';
    if (s === 'http') return 'http';
    if (s === 'https') return 'https';
    if (s === 'soundcloud') return 'sdk';
    // Other SoundCloud API client packages (node-soundcloud, soundclouder, soundcloud-node...):
    // `client.get('/me?oauth_token=' + t)` resolves the path against api.soundcloud.com.
    if (SC_CLIENT_PACKAGE.test(s) && !NOT_API_CLIENT.test(s)) return 'sdk';
    return undefined;
  }
  // Parameters keep their conventional names: function ($) {...}, ($http) => ...
  if (b && b.kind !== 'import' && b.kind !== 'var' && b.kind !== 'param') return undefined;
  if (b?.kind === 'var' && !['$', 'jQuery', 'axios', 'got', 'fetch'].includes(x.name)) return undefined;
  switch (x.name) {
    case 'fetch': return 'fetch';
    // Nuxt's and Nitro's global ofetch (auto-imported)
    case '$fetch': return b ? undefined : 'fetch';
    case 'axios': return 'axios';
    case 'got': return 'got';
    case 'ky': return 'ky';
    case 'request': case 'rp': case 'requestPromise': return 'request';
    case 'superagent': return 'superagent';
    case '$': case 'jQuery': return 'jquery';
    case '$http': return 'angular';
    case 'HTTP': return 'meteor';
    case 'SC': return 'sdk';
    case 'http': return 'http';
    case 'https': return 'https';
    default: return undefined;
  }
}

const XHR = /^((window|self|globalThis)\.)?XMLHttpRequest$/;
/** jQuery by its names, also kept on an object: `$`, `jQuery`, `window.$`, `_this.$`. */
const JQUERY_NAME = /(^|\.)(\$|jQuery)$/;

/** A property of a module-level object that the script sets to jQuery (`scdlr.JQ = w.jQuery`; other writes of it, `= null`, aside). */
function keptJquery(x: TSESTree.MemberExpression): boolean {
  const o = unwrap(x.object);
  const key = propName(x);
  if (o.type !== 'Identifier' || key === undefined) return false;
  const writes = memberWrites(programOf(o)).get(o.name) ?? [];
  return writes.some((a) => propName(a.left as TSESTree.MemberExpression) === key && JQUERY_NAME.test(nameOf(a.right)));
}

/** The variable that `id` names, with its initial value (unwrapped); undefined without one. */
function varWithInit(id: N): { declarator: TSESTree.VariableDeclarator; init: N } | undefined {
  const x = unwrap(id);
  if (x.type !== 'Identifier') return undefined;
  const b = resolveBinding(x);
  if (b?.kind !== 'var' || !b.declarator.init) return undefined;
  return { declarator: b.declarator, init: unwrap(b.declarator.init) };
}

/** `const x = new XMLHttpRequest()` (or `window.XMLHttpRequest`): the declarator of `x`, never assigned again. */
function xhrDeclarator(id: N): TSESTree.VariableDeclarator | undefined {
  const v = varWithInit(id);
  if (v?.init.type !== 'NewExpression' || !XHR.test(nameOf(v.init.callee))) return undefined;
  return v.declarator;
}

/** The `x.<name>(...)` calls on the XMLHttpRequest object `x` (same binding), within the function that declares it. */
function xhrCallsOn(decl: TSESTree.VariableDeclarator, name: string): TSESTree.CallExpression[] {
  const id = decl.id as TSESTree.Identifier;
  let scope: N | undefined = decl.parent;
  while (scope && !scope.type.includes('Function') && scope.type !== 'Program') scope = scope.parent;
  const out: TSESTree.CallExpression[] = [];
  const visit = (n: N) => {
    if (n.type === 'CallExpression') {
      const c = unwrap(n.callee);
      if (c.type === 'MemberExpression' && propName(c) === name) {
        const o = unwrap(c.object);
        const b = o.type === 'Identifier' && o.name === id.name ? resolveBinding(o) : undefined;
        if (b?.kind === 'var' && b.declarator === decl) out.push(n);
      }
    }
    forEachChild(n, visit);
  };
  if (scope) visit(scope);
  return out;
}

const objectOf = (n: N | undefined, env: Env) => {
  if (!n) return undefined;
  const o = resolveObject(n, env);
  return o?.kind === 'object' ? { node: o.node, env: o.env } : undefined;
};

/**
 * The object literals a query option may be: one, or each branch of a choice
 * (`const params = q ? { q, client_id } : { kind: 'top', client_id }`, `opts.params || { client_id }`).
 * (Not param-flow's objectsOf: that one reads helper returns and merges for serialised objects, and no branches.)
 */
function branchObjects(n: N | undefined, env: Env, depth = 0): { node: TSESTree.ObjectExpression; env: Env }[] {
  if (!n || depth > 3) return [];
  const x = unwrap(n);
  if (x.type === 'ConditionalExpression') return [...branchObjects(x.consequent, env, depth + 1), ...branchObjects(x.alternate, env, depth + 1)];
  if (x.type === 'LogicalExpression' && x.operator !== '&&') return [...branchObjects(x.left, env, depth + 1), ...branchObjects(x.right, env, depth + 1)];
  const o = objectOf(x, env);
  if (o) return [o];
  // a URLSearchParams made from an object (`searchParams: new URLSearchParams({ url, client_id })`, ky's and axios's option take one)
  if (x.type === 'NewExpression' && isUrlSearchParamsCtor(x.callee as N) && x.arguments[0]) return branchObjects(x.arguments[0] as N, env, depth + 1);
  if (x.type !== 'Identifier') return [];
  const v = resolveExpression(x, env);
  const vx = v && unwrap(v.node as N);
  return vx && (vx.type === 'ConditionalExpression' || vx.type === 'LogicalExpression' || vx.type === 'NewExpression') ? branchObjects(vx, v!.env, depth + 1) : [];
}

/**
 * The options object a small factory of the tree returns, with the call's arguments bound:
 * `http.get(optionsFor(trackId), cb)` with `function optionsFor(id) { return { host, path: '/tracks/' + id } }`.
 * Only a function whose one return value is an object.
 */
function factoryObject(n: N | undefined, env: Env): { node: TSESTree.ObjectExpression; env: Env } | undefined {
  const x = n && unwrap(n);
  if (!x || x.type !== 'CallExpression') return undefined;
  const f = resolveFunction(x.callee as N, env);
  const ret = f ? returnedExpressions(f.fn) : [];
  if (!f || ret.length !== 1) return undefined;
  return objectOf(ret[0], bindArgs(f.fn, x.arguments as N[], env, f.env));
}

/** The name a function is called by: its declaration's, its variable's, or its key in an object literal or class. */
function calledName(fn: N): string | undefined {
  if (fn.type === 'FunctionDeclaration') return fn.id?.name;
  const p = fn.parent;
  if (p?.type === 'VariableDeclarator' && p.init === fn && p.id.type === 'Identifier') return p.id.name;
  if ((p?.type === 'Property' || p?.type === 'MethodDefinition') && p.value === fn) return propName(p);
  return undefined;
}

/**
 * The options objects a Node request wrapper of the file receives as its parameter, from its own
 * call sites: `_makeRequest: function (opts, cb) { http.request(opts, ...) }` called as
 * `this._makeRequest(httpOpts, cb)` with `var httpOpts = { host: 'api.soundcloud.com', path }`.
 * Read by the rules that ask where such a request goes; not the request's own options (each call
 * site is a different request).
 */
export function callerOptions(info: RequestInfo, env: Env): { node: TSESTree.ObjectExpression; env: Env }[] {
  if (info.lib !== 'node' || info.options.length || !info.urlNode) return [];
  return callerArgs(info.urlNode).map((a) => objectOf(a, env)).filter((o): o is { node: TSESTree.ObjectExpression; env: Env } => !!o);
}

/**
 * What the file's own calls of a function pass for its parameter `n` (an identifier bound to a
 * parameter): the arguments at that position of `f(..)`, `this.f(..)`, `obj.f(..)` outside the
 * function itself. Empty when `n` is no parameter or the function has no name to be called by.
 */
function callerArgs(n: N | undefined): N[] {
  const x = n && unwrap(n);
  const b = x?.type === 'Identifier' ? resolveBinding(x) : undefined;
  if (b?.kind !== 'param' || !b.fn.type.includes('Function')) return [];
  const name = calledName(b.fn);
  if (!name) return [];
  const out: N[] = [];
  const visit = (c: N) => {
    if (c.type === 'CallExpression' && c.arguments.length > b.index) {
      const callee = unwrap(c.callee);
      const named = callee.type === 'Identifier' ? callee.name : callee.type === 'MemberExpression' && !callee.computed ? propName(callee) : undefined;
      const inFunction = startOf(c) >= startOf(b.fn) && endOf(c) <= endOf(b.fn);
      if (named === name && !inFunction) out.push(c.arguments[b.index] as N);
    }
    forEachChild(c, visit);
  };
  visit(programOf(b.fn));
  return out;
}

function addConfig(info: RequestInfo, cfg: { node: TSESTree.ObjectExpression; env: Env } | undefined, bodyKeys: string[]) {
  if (!cfg) return;
  info.options.push(cfg);
  for (const p of cfg.node.properties) {
    if (p.type !== 'Property') continue;
    const k = propName(p);
    if (!k) continue;
    if (k === 'params' || k === 'qs' || k === 'searchParams' || k === 'query') {
      info.queryObjects.push(...branchObjects(p.value as N, cfg.env));
    } else if (bodyKeys.includes(k)) {
      info.bodies.push({ node: p.value as N, env: cfg.env });
    } else if ((k === 'url' || k === 'uri') && !info.urlNode) {
      info.urlNode = p.value as N;
    } else if ((k === 'baseURL' || k === 'prefixUrl' || k === 'baseUrl') && !info.baseNode) {
      info.baseNode = p.value as N;
      info.baseEnv = cfg.env;
    } else if (k === 'method' || k === 'type') {
      const v = evalString(p.value as N, cfg.env)[0];
      if (v && v.length === 1 && v[0]!.kind === 'text') info.method = v[0]!.text.toUpperCase();
    }
  }
}

/** The defaults of an axios/got instance created with axios.create({...}) / got.extend({...}) (a variable, or a field of the class: fieldInstance). */
export function instanceDefaults(id: N, env: Env): { node: TSESTree.ObjectExpression; env: Env } | undefined {
  const init = varWithInit(id)?.init;
  if (init?.type === 'CallExpression') return objectOf(init.arguments[0] as N | undefined, env);
  const x = unwrap(id);
  const v = x.type === 'MemberExpression' ? resolveExpression(x, env) : undefined;
  const call = v && unwrap(v.node as N);
  return call?.type === 'CallExpression' ? objectOf(call.arguments[0] as N | undefined, v!.env) : undefined;
}

/** `this.api` holds an instance the class makes: `this.api = axios.create(...)`, `api = got.extend(...)`. */
function fieldInstance(x: TSESTree.MemberExpression, env: Env): 'axios-instance' | 'got-instance' | undefined {
  const v = resolveExpression(x, env);
  const c = v && unwrap(v.node as N);
  if (c?.type !== 'CallExpression') return undefined;
  const cn = nameOf(unwrap(c.callee));
  // (ky's factories are not taken on a field: as before)
  return /^ky\./.test(cn) ? undefined : instanceKind(cn);
}

type ClientKind = ReturnType<typeof libraryOfName>;
const injectedMemo = new WeakMap<N, Map<number, ClientKind | null>>();

/**
 * The HTTP client a class is handed through its constructor (`constructor(http) { this.http = http }`):
 * the library of what its `new` calls pass (`new SoundCloud(ky)`), in the class's module and in the
 * modules that import it, when they all pass the same one. Once per class and parameter.
 */
function injectedClient(x: TSESTree.MemberExpression, env: Env): ClientKind {
  const v = resolveExpression(x, env);
  const p = v && unwrap(v.node as N);
  const b = p?.type === 'Identifier' ? resolveBinding(p) : undefined;
  const md = b?.kind === 'param' ? b.fn.parent : undefined;
  if (b?.kind !== 'param' || md?.type !== 'MethodDefinition' || md.kind !== 'constructor') return undefined;
  const cls = md.parent?.parent as N | undefined;
  if (cls?.type !== 'ClassDeclaration' && cls?.type !== 'ClassExpression') return undefined;
  let byParam = injectedMemo.get(cls);
  if (!byParam) injectedMemo.set(cls, (byParam = new Map()));
  const known = byParam.get(b.index);
  if (known !== undefined) return known ?? undefined;
  byParam.set(b.index, null); // (a cycle through the callers finds nothing)
  const libs = new Set<ClientKind>();
  const passed = (n: N, e: Env) => {
    if (n.type !== 'NewExpression') return;
    const c = unwrap(n.callee as N);
    if (c.type !== 'Identifier' || !constructs(c, cls, v!.env.filename, e)) return;
    const arg = n.arguments[b.index];
    libs.add(arg && arg.type !== 'SpreadElement' ? libraryOfName(arg as N, e) : undefined);
  };
  traverseCollect(programOf(cls) as N, (n) => passed(n, env));
  const project = env.project;
  if (project) {
    for (const f of importersOf(project, v!.env.filename)) {
      const mod = project.loadModule(f);
      if (!mod) continue;
      ensureParents(mod.ast);
      const e = { ...env, filename: f, args: undefined };
      traverseCollect(mod.ast as unknown as N, (n) => passed(n, e));
    }
  }
  const lib = libs.size === 1 ? [...libs][0] : undefined;
  byParam.set(b.index, lib ?? null);
  return lib;
}

/** Does `new <callee>` construct the class (declared in `file`): its own name there, or an import of it elsewhere? */
function constructs(callee: TSESTree.Identifier, cls: N, file: string, env: Env): boolean {
  const b = resolveBinding(callee);
  if (env.filename === file) return b?.kind === 'class' ? b.node === cls : (cls as TSESTree.ClassExpression).id?.name === callee.name || (cls.parent?.type === 'VariableDeclarator' && b?.kind === 'var' && b.declarator === cls.parent);
  if (b?.kind !== 'import' || !env.project || resolveModule(env.project, env.filename, String(b.node.source.value)) !== file) return false;
  const exported = cls.parent?.type === 'ExportDefaultDeclaration' ? 'default' : (cls as TSESTree.ClassDeclaration).id?.name;
  return b.imported === exported;
}

/** The kind of instance a factory call makes, by the call's name: axios.create, got.extend, ky.create / ky.extend (got's API here). */
function instanceKind(callName: string): 'axios-instance' | 'got-instance' | undefined {
  if (/(^|\.)axios\.create$/.test(callName)) return 'axios-instance';
  if (/(^|\.)got\.extend$/.test(callName) || /^ky\.(create|extend)$/.test(callName)) return 'got-instance';
  return undefined;
}

/** A module's text that may export an HTTP client instance: it creates one, or re-exports another module. */
const INSTANCE_TEXT = /\b(?:axios\s*\.\s*create|got\s*\.\s*extend|ky\s*\.\s*(?:create|extend))\s*\(|\bexport\s*(?:\{[^}]*\}|\*)\s*from\b|module\.exports\s*=\s*require\s*\(/;

type Instance = { kind: 'axios-instance' | 'got-instance'; call: TSESTree.CallExpression; env: Env };
const importedMemo = new WeakMap<object, Instance | null>();

/** The `axios.create(...)` / `got.extend(...)` / `ky.create(...)` call an expression stands for, following constants and modules of the tree. */
function instanceCall(n: N, env: Env, depth: number): Instance | undefined {
  if (depth > 4) return undefined;
  const x = unwrap(n);
  if (x.type === 'CallExpression') {
    const kind = instanceKind(nameOf(unwrap(x.callee)));
    if (kind) return { kind, call: x, env };
    const spec = requireSpecifier(x);
    const m = spec?.startsWith('.') ? moduleAst(env.project, env.filename, spec) : undefined;
    const ex = m && moduleExport(m.ast, { ...env, filename: m.file, args: undefined }, 'default');
    if (ex) return instanceCall(ex.node, ex.env, depth + 1);
    if (spec) return undefined;
    // an app's factory: `function getApi() { const instance = axios.create({ baseURL, headers }); return instance }`
    const f = resolveFunction(x.callee as N, env);
    const ret = f ? returnedExpressions(f.fn) : [];
    return f && ret.length === 1 ? instanceCall(ret[0]!, bindArgs(f.fn, x.arguments as N[], env, f.env), depth + 1) : undefined;
  }
  if (x.type !== 'Identifier' && x.type !== 'MemberExpression') return undefined;
  const v = resolveExpression(x, env);
  return v && v.node !== x ? instanceCall(v.node, v.env, depth + 1) : undefined;
}

/**
 * An HTTP client instance imported from a module of the tree (`import api from './api'`,
 * `const api = require('./index')`, where that module exports `axios.create({ baseURL })`):
 * its defaults are the request's. Only names bound to a relative import (memoised per binding).
 */
function importedInstance(root: N, env: Env): Instance | undefined {
  const x = unwrap(root);
  if (x.type !== 'Identifier' || !env.project) return undefined;
  const b = resolveBinding(x);
  // (scope.ts bindings are shared objects: the binding keys the memo)
  const spec = bindingSpecifier(b);
  if (!b || !spec?.startsWith('.')) return undefined;
  const hit = importedMemo.get(b);
  if (hit !== undefined) return hit ?? undefined;
  // (`map.get(k)` on a module's export is common: only a module whose text creates an instance,
  // or re-exports one, is parsed for it)
  const file = resolveModule(env.project, env.filename, spec);
  const text = file ? env.project.readFile(file) : undefined;
  const r = text && INSTANCE_TEXT.test(text) ? instanceCall(x, env, 0) : undefined;
  importedMemo.set(b, r ?? null);
  return r;
}

/** An HTTP client instance an app's factory of the tree returns: `const api = getApi()` (the factory's one returned value an `axios.create(...)`). */
function factoryInstance(root: N, env: Env): Instance | undefined {
  const init = varWithInit(root)?.init;
  if (init?.type !== 'CallExpression' || requireSpecifier(init)) return undefined;
  const c = unwrap(init.callee);
  return c.type === 'Identifier' || (c.type === 'MemberExpression' && unwrap(c.object).type === 'ThisExpression') ? instanceCall(init, env, 0) : undefined;
}

/** Recognises a request call. `env` is the file's env. */
export function requestOf(call: TSESTree.CallExpression, env: Env): RequestInfo | undefined {
  const callee = unwrap(call.callee);
  const args = call.arguments as N[];
  let root: N = callee;
  let method = '';
  if (callee.type === 'MemberExpression') {
    root = callee.object;
    method = propName(callee) ?? '';
    if (!REQUEST_METHODS.has(method.toLowerCase())) return undefined;
  }
  // superagent chains: request.get(url).query({..}).set(..) — the chain head is the request.
  const lib0 = libraryOfName(root, env);
  // an instance another module of the tree creates: `const api = require('./api'); api.post(...)`
  const imported = !lib0 && callee.type === 'MemberExpression' && HTTP_METHODS.has(method.toLowerCase()) ? importedInstance(root, env) ?? factoryInstance(root, env) : undefined;
  const lib1 = lib0 ?? imported?.kind;
  if (!lib1) return undefined;
  const info: RequestInfo = { call, lib: 'fetch', method: '', options: [], queryObjects: [], bodies: [] };
  const m = method.toLowerCase();
  switch (lib1) {
    case 'fetch':
      if (callee.type === 'MemberExpression') return undefined;
      info.lib = 'fetch';
      info.urlNode = args[0];
      addConfig(info, objectOf(args[1], env), ['body']);
      info.method ||= 'GET';
      return info;
    case 'ky':
      info.lib = 'ky';
      if (callee.type === 'MemberExpression' && !HTTP_METHODS.has(m)) return undefined;
      info.method = m && m !== 'request' ? m.toUpperCase() : 'GET';
      info.urlNode = args[0];
      addConfig(info, objectOf(args[1], env), ['body', 'json']);
      return info;
    case 'axios': case 'axios-instance': {
      info.lib = 'axios';
      if (lib1 === 'axios-instance') addConfig(info, imported ? objectOf(imported.call.arguments[0] as N | undefined, imported.env) : instanceDefaults(root, env), ['data']);
      if (callee.type === 'MemberExpression') {
        if (!HTTP_METHODS.has(m)) return undefined;
        if (m === 'request') { addConfig(info, objectOf(args[0], env), ['data']); info.method ||= 'GET'; return info; }
        info.method = m === 'del' ? 'DELETE' : m.toUpperCase();
        info.urlNode = args[0];
        if (['post', 'put', 'patch'].includes(m)) { if (args[1]) info.bodies.push({ node: args[1], env }); addConfig(info, objectOf(args[2], env), ['data']); }
        else addConfig(info, objectOf(args[1], env), ['data']);
        return info;
      }
      const first = args[0] && unwrap(args[0]);
      if (first && (first.type === 'ObjectExpression' || (first.type === 'Identifier' && objectOf(first, env)))) addConfig(info, objectOf(first, env), ['data']);
      else { info.urlNode = args[0]; addConfig(info, objectOf(args[1], env), ['data']); }
      info.method ||= 'GET';
      return info;
    }
    case 'got': case 'got-instance':
      info.lib = 'got';
      if (lib1 === 'got-instance') addConfig(info, imported ? objectOf(imported.call.arguments[0] as N | undefined, imported.env) : instanceDefaults(root, env), ['body', 'json', 'form']);
      if (callee.type === 'MemberExpression' && !HTTP_METHODS.has(m) && m !== 'stream') return undefined;
      info.method = m && HTTP_METHODS.has(m) ? m.toUpperCase() : 'GET';
      if (args[0] && unwrap(args[0]).type === 'ObjectExpression') addConfig(info, objectOf(args[0], env), ['body', 'json', 'form']);
      else { info.urlNode = args[0]; addConfig(info, objectOf(args[1], env), ['body', 'json', 'form']); }
      return info;
    case 'request':
      info.lib = 'request';
      if (callee.type === 'MemberExpression' && !HTTP_METHODS.has(m)) return undefined;
      info.method = m ? m.toUpperCase() : 'GET';
      if (args[0] && objectOf(args[0], env) && unwrap(args[0]).type !== 'Literal') addConfig(info, objectOf(args[0], env), ['form', 'body', 'json', 'formData']);
      else { info.urlNode = args[0]; addConfig(info, objectOf(args[1], env), ['form', 'body', 'json', 'formData']); }
      return info;
    case 'restler':
      // restler: rest.get(url, { query, data, headers }) (an event emitter, not a promise)
      info.lib = 'request';
      if (callee.type !== 'MemberExpression' || !HTTP_METHODS.has(m) || m === 'request') return undefined;
      info.method = m === 'del' ? 'DELETE' : m.toUpperCase();
      info.urlNode = args[0];
      addConfig(info, objectOf(args[1], env), ['data']);
      return info;
    case 'superagent':
      info.lib = 'superagent';
      if (callee.type !== 'MemberExpression') {
        // superagent(url) / superagent(method, url)
        if (!args.length) return undefined;
        const two = args.length >= 2;
        const v = two ? evalString(args[0]!, env)[0] : undefined;
        info.method = two ? (v?.length === 1 && v[0]!.kind === 'text' ? v[0]!.text.toUpperCase() : '') : 'GET';
        info.urlNode = two ? args[1] : args[0];
      } else {
        if (!HTTP_METHODS.has(m)) return undefined;
        info.method = m === 'del' ? 'DELETE' : m.toUpperCase();
        info.urlNode = args[0];
      }
      // walk up the chain: .query({...}) .send(...) .set(...) .redirects(0)
      for (let n: N = call; n.parent && n.parent.type === 'MemberExpression' && n.parent.parent?.type === 'CallExpression'; n = n.parent.parent) {
        const name = propName(n.parent);
        const a = (n.parent.parent as TSESTree.CallExpression).arguments[0] as N | undefined;
        if (name === 'query') { const q = objectOf(a, env); if (q) info.queryObjects.push(q); }
        if (name === 'send' && a) info.bodies.push({ node: a, env });
      }
      return info;
    case 'jquery': {
      info.lib = 'jquery';
      if (callee.type !== 'MemberExpression') return undefined;
      if (m === 'ajax') {
        const first = args[0] && unwrap(args[0]);
        const cfg = first && first.type !== 'Literal' && first.type !== 'TemplateLiteral' ? objectOf(args[0], env) : objectOf(args[1], env);
        if (first && (first.type === 'Literal' || first.type === 'TemplateLiteral' || first.type === 'BinaryExpression')) info.urlNode = args[0];
        addConfig(info, cfg, []);
        info.method ||= 'GET';
        const data = cfg && findProp(cfg.node, 'data');
        if (data) { const q = objectOf(data, cfg.env); if (info.method === 'GET' && q) info.queryObjects.push(q); else info.bodies.push({ node: data, env: cfg.env }); }
        return info;
      }
      if (m !== 'get' && m !== 'getJSON' && m !== 'getjson' && m !== 'post') return undefined;
      info.method = m === 'post' ? 'POST' : 'GET';
      info.urlNode = args[0];
      const data = args[1] && unwrap(args[1]).type !== 'FunctionExpression' && unwrap(args[1]).type !== 'ArrowFunctionExpression' ? args[1] : undefined;
      if (data) { const q = objectOf(data, env); if (info.method === 'GET' && q) info.queryObjects.push(q); else info.bodies.push({ node: data, env }); }
      return info;
    }
    case 'angular':
      info.lib = 'angular';
      if (callee.type === 'MemberExpression') {
        if (!HTTP_METHODS.has(m)) return undefined;
        info.method = m.toUpperCase();
        info.urlNode = args[0];
        if (['post', 'put', 'patch'].includes(m)) { if (args[1]) info.bodies.push({ node: args[1], env }); addConfig(info, objectOf(args[2], env), ['data']); }
        else addConfig(info, objectOf(args[1], env), ['data']);
      } else addConfig(info, objectOf(args[0], env), ['data']);
      info.method ||= 'GET';
      return info;
    case 'meteor': {
      info.lib = 'meteor';
      if (callee.type !== 'MemberExpression') return undefined;
      let i = 0;
      if (m === 'call') { const v = evalString(args[0]!, env)[0]; info.method = v?.[0]?.kind === 'text' ? v[0].text.toUpperCase() : ''; i = 1; }
      else if (HTTP_METHODS.has(m)) info.method = m === 'del' ? 'DELETE' : m.toUpperCase();
      else return undefined;
      info.urlNode = args[i];
      const cfg = objectOf(args[i + 1], env);
      if (cfg) {
        info.options.push(cfg);
        for (const p of cfg.node.properties) {
          if (p.type !== 'Property') continue;
          const k = propName(p);
          const q = objectOf(p.value as N, cfg.env);
          // Meteor: params go in the URL for GET, in the form body otherwise.
          if (k === 'params' && q) (info.method === 'GET' || info.method === 'DELETE' ? info.queryObjects : info.bodies).push(q);
          if (k === 'query') info.queryObjects.push(...(q ? [q] : []));
          if (k === 'data' || k === 'content') info.bodies.push({ node: p.value as N, env: cfg.env });
        }
      }
      return info;
    }
    case 'http': case 'https': {
      if (callee.type !== 'MemberExpression' || (m !== 'request' && m !== 'get')) return undefined;
      info.lib = 'node';
      info.nodeModule = lib1;
      info.method = m === 'get' ? 'GET' : '';
      const first = args[0] && unwrap(args[0]);
      const made = first && first.type === 'CallExpression' ? factoryObject(first, env) : undefined;
      const cfg = first && (first.type === 'ObjectExpression' || first.type === 'Identifier') ? objectOf(args[0], env) : made ?? objectOf(args[1], env);
      if (!cfg || (!made && first && first.type !== 'ObjectExpression' && first.type !== 'Identifier')) info.urlNode = args[0];
      else if (first?.type === 'Identifier' && !objectOf(first, env)) info.urlNode = args[0];
      if (cfg) {
        info.options.push(cfg);
        const host = findProp(cfg.node, 'hostname') ?? findProp(cfg.node, 'host');
        const path = findProp(cfg.node, 'path');
        if (host && !info.urlNode) { info.baseNode = host; info.baseEnv = cfg.env; if (path) info.urlNode = path; }
        const method = findProp(cfg.node, 'method');
        if (method) { const v = evalString(method, cfg.env)[0]; if (v?.[0]?.kind === 'text') info.method = v[0].text.toUpperCase(); }
      }
      info.method ||= 'GET';
      return info;
    }
    case 'xhr': {
      // x.open(method, url[, async]): the request; its headers and body are calls on the same object
      if (callee.type !== 'MemberExpression' || m !== 'open' || args.length < 2) return undefined;
      const decl = xhrDeclarator(root);
      if (!decl) return undefined;
      info.lib = 'xhr';
      const v = evalString(args[0]!, env);
      info.method = v.length === 1 && v[0]!.length === 1 && v[0]![0]!.kind === 'text' ? v[0]![0]!.text.toUpperCase() : '';
      info.urlNode = args[1];
      info.headerCalls = xhrCallsOn(decl, 'setRequestHeader');
      for (const s of xhrCallsOn(decl, 'send')) if (s.arguments[0]) info.bodies.push({ node: s.arguments[0] as N, env });
      return info;
    }
    case 'sdk':
      info.lib = 'sdk';
      if (callee.type !== 'MemberExpression' || !['get', 'put', 'post', 'delete', 'stream'].includes(m)) return undefined;
      info.method = m === 'stream' ? 'GET' : m.toUpperCase();
      info.urlNode = args[0];
      return info;
    default:
      return undefined;
  }
}

/** The URL a request goes to, as strings: base (instance/option) + url argument. */
export function requestUrl(info: RequestInfo, env: Env): Str[] {
  const url = info.urlNode ? evalString(info.urlNode, env) : [[]];
  if (!info.baseNode) return url;
  const base = evalString(info.baseNode, info.baseEnv ?? env);
  // An absolute url argument wins over the base.
  return url.map((u) => {
    const first = u[0];
    if (first?.kind === 'text' && /^([a-z]+:)?\/\//i.test(first.text)) return u;
    const b = base[0] ?? [];
    const last = b[b.length - 1];
    // got's prefixUrl + 'me/tracks', Node's host + '/path': one slash between them
    const needsSlash = last?.kind === 'text' && !last.text.endsWith('/') && !(first?.kind === 'text' && /^[/?]/.test(first.text));
    const slash: Str = needsSlash ? [{ kind: 'text', text: '/', owner: last.owner, file: last.file }] : [];
    return [...b, ...slash, ...u];
  });
}

/** An object literal of plain keys (no spread, no computed key), none of them Authorization: headers with no credential. */
const plainHeadersWithoutAuthorization = (o: TSESTree.ObjectExpression): boolean =>
  o.properties.every((p) => p.type === 'Property' && !p.computed && !/^authorization$/i.test(propName(p) ?? ''));

/** `t` names the variable of `declarator` (not another of the same name in another function), other than at its declaration `id`. */
function namesVariable(t: N, id: TSESTree.Identifier, declarator: TSESTree.VariableDeclarator): boolean {
  if (t.type !== 'Identifier' || t.name !== id.name || t === id) return false;
  const tb = resolveBinding(t);
  return !tb || (tb.kind === 'var' && tb.declarator === declarator);
}

/** The variable an assignment or update writes through: `h.x.y = ...`, `h[k] = ...`, `h++` -> h. */
function writtenRoot(n: TSESTree.AssignmentExpression | TSESTree.UpdateExpression): N {
  let t = (n.type === 'AssignmentExpression' ? n.left : n.argument) as N;
  while (t.type === 'MemberExpression') t = t.object as N;
  return t;
}

/**
 * `headers: SHARED_HEADERS` where SHARED_HEADERS is a `const` of the same file bound to an object
 * literal of plain keys (no spread, no computed key), none of them Authorization, and never written
 * through (`SHARED_HEADERS[k] = ...`, `SHARED_HEADERS.x.y = ...`, `Object.assign(SHARED_HEADERS, ...)`)
 * but for headers set by their own names (`SHARED_HEADERS['user-agent'] = ua`): a fixed set of headers
 * copied from the browser's network tab, or built of named ones, which carries no credential.
 */
function fixedHeaderObject(h: N, env: Env): boolean {
  const x = unwrap(h);
  if (x.type === 'MemberExpression') return fixedHeaderField(x, env);
  if (x.type !== 'Identifier') return false;
  const b = resolveBinding(x);
  if (!b || b.kind !== 'var' || b.declKind !== 'const' || b.path.length || b.declarator.id.type !== 'Identifier') return false;
  const init = b.declarator.init && unwrap(b.declarator.init as N);
  if (!init || init.type !== 'ObjectExpression') return false;
  if (!plainHeadersWithoutAuthorization(init)) return false;
  // the same variable, not another `headers` of another function (`headers.Authorization = ...` there)
  const same = (t: N) => namesVariable(t, b.id, b.declarator);
  let written = false;
  const visit = (n: N): void => {
    if (written) return;
    if ((n.type === 'AssignmentExpression' || n.type === 'UpdateExpression') && same(writtenRoot(n)) && !namedHeaderWrite(n)) { written = true; return; }
    if (n.type === 'CallExpression' && n.arguments[0] && same(n.arguments[0] as N)
      && n.callee.type === 'MemberExpression' && propName(n.callee) === 'assign') { written = true; return; }
    forEachChild(n, visit);
  };
  visit(programOf(x) as N);
  return !written;
}

/** `headers['user-agent'] = ua`, `headers.Accept = '...'`: one header set by its own name, not Authorization. */
function namedHeaderWrite(n: TSESTree.AssignmentExpression | TSESTree.UpdateExpression): boolean {
  if (n.type !== 'AssignmentExpression' || n.operator !== '=' || n.left.type !== 'MemberExpression' || n.left.object.type !== 'Identifier') return false;
  const key = propName(n.left);
  return key !== undefined && !/^authorization$/i.test(key);
}

/**
 * `headers: this.headers` in a class whose field initialiser or constructor sets `this.headers` to
 * an object literal of plain keys, none of them Authorization, and no code of the class writes to it
 * again (`this.headers = ...`, `this.headers.Authorization = ...`, `this.headers[k] = ...`,
 * `Object.assign(this.headers, ...)`): the same fixed browser headers as a module constant, held by
 * a client class.
 */
function fixedHeaderField(x: TSESTree.MemberExpression, env: Env): boolean {
  const key = propName(x);
  if (key === undefined || x.computed || unwrap(x.object).type !== 'ThisExpression') return false;
  const cls = enclosingClassBody(x);
  if (!cls) return false;
  const o = resolveObject(x, env);
  if (o?.kind !== 'object' || !plainHeadersWithoutAuthorization(o.node)) return false;
  const init = o.node;
  const isField = (t: N): boolean => t.type === 'MemberExpression' && unwrap(t.object as N).type === 'ThisExpression' && propName(t) === key;
  let written = false;
  const visit = (n: N): void => {
    if (written) return;
    if (n.type === 'AssignmentExpression' || n.type === 'UpdateExpression') {
      const target = (n.type === 'AssignmentExpression' ? n.left : n.argument) as N;
      let t = target;
      while (t.type === 'MemberExpression' && !isField(t)) t = t.object as N;
      // the one assignment that sets the literal is the field's value, any other write changes it
      if (isField(t) && !(n.type === 'AssignmentExpression' && t === target && unwrap(n.right as N) === init)) { written = true; return; }
    }
    if (n.type === 'CallExpression' && n.arguments[0] && isField(unwrap(n.arguments[0] as N)) && n.callee.type === 'MemberExpression' && propName(n.callee) === 'assign') { written = true; return; }
    forEachChild(n, visit);
  };
  visit(cls);
  return !written;
}

/**
 * Headers a function receives as its parameter, when every call of it in the file passes a fixed
 * header object without Authorization (`resolveUserId(name, cid, headers)` with `const headers =
 * { 'User-Agent': UA }` at each caller).
 */
function fixedFromCallers(h: N, env: Env): boolean {
  const args = callerArgs(h);
  return args.length > 0 && args.every((a) => {
    const x = unwrap(a);
    if (x.type === 'ObjectExpression') return plainHeadersWithoutAuthorization(x);
    return fixedHeaderObject(a, env);
  });
}

/**
 * Headers given as a name or a call that are a plain object of fixed headers without Authorization:
 * a `const` of the file (fixedHeaderObject), a field of the class (fixedHeaderField), a parameter
 * every caller passes such an object (fixedFromCallers), a factory of the file (fixedHeaderFactory).
 * Such a value carries no credential, and `{ ...value, Authorization }` keeps all its headers.
 */
export const fixedHeaders = (h: N, env: Env): boolean => fixedHeaderObject(h, env) || fixedFromCallers(h, env) || fixedHeaderFactory(h, env);

/**
 * `headers: makeHeaders()` where makeHeaders is a function of the same file that only ever returns
 * an object literal of plain keys, none of them Authorization (`const makeHeaders = () => ({
 * 'user-agent': UA, 'accept-language': 'en' })`): the fixed browser headers of a downloader.
 */
function fixedHeaderFactory(h: N, env: Env): boolean {
  const x = unwrap(h);
  if (x.type !== 'CallExpression') return false;
  const f = resolveFunction(x.callee as N, env);
  if (!f || programOf(f.fn as N) !== programOf(x)) return false;
  const returned = returnedExpressions(f.fn);
  return returned.length > 0 && returned.every((r) => { const o = unwrap(r); return o.type === 'ObjectExpression' && plainHeadersWithoutAuthorization(o); });
}

/** A condition that holds in a branch: `token` (true) or `!token` (false), by name. */
function conditionFact(t: N): [string, boolean] | undefined {
  const x = unwrap(t);
  if (x.type === 'UnaryExpression' && x.operator === '!') { const f = conditionFact(x.argument as N); return f && [f[0], !f[1]]; }
  if (x.type === 'Identifier' || x.type === 'MemberExpression') { const n = nameOf(x); return n && !n.includes('[]') ? [n, true] : undefined; }
  return undefined;
}

/** What the enclosing `if` statements of a node (in its function) say: `if (a && !b) {..}` gives a, not b; `else` of `if (a)` gives not a. */
function branchFacts(n: N): Map<string, boolean> {
  const out = new Map<string, boolean>();
  for (let c: N = n, p = n.parent as N | undefined; p; c = p, p = p.parent as N | undefined) {
    if (p.type.includes('Function')) break;
    // (an if statement, or a conditional expression: `const url = token ? plain : plain + '&client_id=' + id`)
    if (p.type !== 'IfStatement' && p.type !== 'ConditionalExpression') continue;
    if (c === p.consequent) {
      const conj = (t: N): void => { const x = unwrap(t); if (x.type === 'LogicalExpression' && x.operator === '&&') { conj(x.left as N); conj(x.right as N); return; } const f = conditionFact(x); if (f && !out.has(f[0])) out.set(f[0], f[1]); };
      conj(p.test as N);
    } else if (c === p.alternate) {
      const f = conditionFact(p.test as N);
      if (f && !out.has(f[0])) out.set(f[0], !f[1]);
    }
  }
  return out;
}

/**
 * Whether the request's Authorization header and a parameter written at `site` exclude each other:
 * the header is only ever set on a `const headers = {...}` under a condition (`if (token)
 * headers.Authorization = ...`) and `site` is under its negation (`else url += '&client_id=' + id`,
 * `if (!token) ...`). That path sends the parameter with no header: the client id is its only
 * credential.
 */
export function authorizationExcludes(info: RequestInfo, site: N): boolean {
  const at = branchFacts(site);
  if (!at.size) return false;
  let guarded = 0;
  for (const o of info.options) {
    const h = findProp(o.node, 'headers');
    const x = h && unwrap(h);
    if (!x || x.type !== 'Identifier') return false;
    const b = resolveBinding(x);
    if (!b || b.kind !== 'var' || b.path.length || b.declarator.id.type !== 'Identifier') return false;
    const init = b.declarator.init && unwrap(b.declarator.init as N);
    if (!init || init.type !== 'ObjectExpression' || !plainHeadersWithoutAuthorization(init)) return false;
    const same = (t: N) => namesVariable(t, b.id, b.declarator);
    let unsure = false;
    const visit = (n: N): void => {
      if (unsure) return;
      if (n.type === 'AssignmentExpression' && n.left.type === 'MemberExpression' && same(unwrap(n.left.object as N))) {
        if (/^authorization$/i.test(propName(n.left) ?? '')) {
          const f = branchFacts(n as N);
          if (![...f].some(([k, v]) => at.get(k) === !v)) { unsure = true; return; }
          guarded++;
        } else if (n.left.computed && (n.left.property.type !== 'Literal')) { unsure = true; return; }
      } else if ((n.type === 'AssignmentExpression' || n.type === 'UpdateExpression') && same(writtenRoot(n))) { unsure = true; return; }
      else if (n.type === 'CallExpression' && n.arguments.some((a) => same(unwrap(a as N)))) { unsure = true; return; }
      forEachChild(n, visit);
    };
    visit(programOf(x) as N);
    if (unsure) return false;
  }
  return guarded > 0;
}

/**
 * Whether request options (or an HTTP client instance's defaults: `axios.create({ params, headers })`)
 * set an Authorization header: a `headers` object with the key, headers built elsewhere (which may
 * carry it), or an `auth` / `bearer` option.
 */
export function optionsCarryAuthorization(o: { node: TSESTree.ObjectExpression; env: Env }): boolean {
  if (headersWriteAuthorization(o)) return true;
  const h = findProp(o.node, 'headers');
  if (h && unwrap(h).type !== 'ObjectExpression' && !fixedHeaders(h, o.env)) return true; // headers built elsewhere: assume it may carry auth
  return !!(findProp(o.node, 'auth') || findProp(o.node, 'bearer'));
}

/** Options whose `headers` object (written there, or a constant of one) has an Authorization key. */
export function headersWriteAuthorization(o: { node: TSESTree.ObjectExpression; env: Env }): boolean {
  const h = findProp(o.node, 'headers');
  const ho = h && resolveObject(h, o.env);
  return ho?.kind === 'object' && ho.node.properties.some((p) => p.type === 'Property' && /^authorization$/i.test(propName(p) ?? ''));
}

/** Whether a request carries an Authorization header (any value). */
export function hasAuthorizationHeader(info: RequestInfo): boolean {
  if (info.options.some(optionsCarryAuthorization)) return true;
  // XMLHttpRequest: x.setRequestHeader('Authorization', ...), or a name not written as a literal
  for (const c of info.headerCalls ?? []) {
    const a = c.arguments[0];
    if (!a || a.type !== 'Literal' || /^authorization$/i.test(String(a.value))) return true;
  }
  // superagent .set('Authorization', ...)
  for (let n: N = info.call; n.parent && n.parent.type === 'MemberExpression' && n.parent.parent?.type === 'CallExpression'; n = n.parent.parent) {
    const name = propName(n.parent);
    const a = (n.parent.parent as TSESTree.CallExpression).arguments[0];
    if ((name === 'set' || name === 'auth') && (!a || a.type !== 'Literal' || /^authorization$/i.test(String(a.value)))) return true;
  }
  return false;
}
