/**
 * One analysis per file, shared by every rule (memoised on the AST): the URL strings the file
 * builds, the parameters it sends (query or body, with the URL and request they belong to), its
 * requests, and its SoundCloud context. Rules only filter these facts and report.
 */
import { startOf, endOf } from '../offsets.js';
import { relative } from 'node:path';
import type { TSESTree } from '@typescript-eslint/typescript-estree';
import { ensureParents } from '../walk.js';
import { projectOf, type ProjectContext } from '../project.js';
import { mentionsSoundCloud } from '../prefilter.js';
import { proxiedUrl } from '../proxy-routes.js';
import { projectRoutes } from '../dev-proxy.js';
import type { RuleContext } from '../types.js';
import { classifyUrl, type UrlInfo } from './hosts.js';
import { requestOf, requestUrl, hasAuthorizationHeader, libraryOfName, instanceDefaults, type RequestInfo } from './requests.js';
import { enclosingFunction, resolveBinding, type Binding } from './scope.js';
import { namesOtherProvider } from './providers.js';
import { shareAssignments } from './page-globals.js';
import { inAssertionOrMock, notARequest } from './inert.js';
export { inAssertionOrMock };
import { DEFAULT_PARAMS_SETTER, mergedInto, memberMutationsOf, mutationsOf, objectsOf, paramDefaults, serialisationSites, textOf, type ObjSource, type Serialised } from './param-flow.js';
import { traverseCollect } from './walk.js';
import { isUnreadValue } from './usage.js';
export { traverseCollect };
import { HOLE, bindArgs, evalString, resolveFunction, findProp, flatText, isUrlSearchParamsCtor, nameOf, partAt, propName, resolveObject, unwrap, urlKey, type Env, type Str } from './values.js';
import { TEST_FILE_RE, hasScContext, projectMentionsSoundCloud, scPackage } from './context.js';
import {
  CRED_NAMES, STRING_EXPR, computedKeyName, decodeSafe, isBodyPosition, isFragmentConstant, isInertPosition, isOutermost, isStringBuild, objectParams,
  paramsInText, partOffset, positionInTemplate, reportNodeFor, siblingsOfTarget, startsOwner, textWhere, urlOf, type SitePosition,
} from './strings.js';

type N = TSESTree.Node;

/** `JSON.stringify(x)`, `qs.stringify(x)`, `querystring.stringify(x)`: serializes its first argument. */
const isStringifyCall = (c: TSESTree.CallExpression): boolean => {
  const f = unwrap(c.callee);
  return f.type === 'MemberExpression' && propName(f) === 'stringify' && /^(JSON|qs|querystring|Qs)$/.test(nameOf(f.object) ?? '');
};

export type Where = 'query' | 'body' | 'unknown';

export interface ParamSite {
  name: string;
  /** The value when it is known text. */
  value?: string;
  /** Where to report. */
  report: N;
  /** The parameter's own position when `report` starts lines above it (a multi-line template). */
  at?: SitePosition;
  where: Where;
  url: UrlInfo;
  request?: RequestInfo;
  /**
   * The request inside an app helper (maybe of another file) the parameter object is handed to
   * (`request('resolve', { client_id })` with `(path, qs) => rp({ uri: base + path, qs })`): for
   * its URL and headers only; its nodes may belong to another file, so fixes never edit it.
   */
  helperRequest?: RequestInfo;
  /** Names of the other parameters sent together with this one. */
  siblings: Set<string>;
  /** How it was written: in URL/body text, an object key, a set/append call, a helper argument, the SDK. */
  via: 'text' | 'object' | 'call' | 'helper' | 'sdk';
  /** The object holding the parameter (for `via: 'object'`), for fixes. */
  holder?: TSESTree.ObjectExpression;
}

/** Where a rule reports a parameter: its own position in a multi-line template, else its report node. */
export const siteOf = (p: ParamSite): N | SitePosition => p.at ?? p.report;

export interface UrlString {
  node: N;
  alts: Str[];
  url: UrlInfo;
}

export interface FileFacts {
  ast: TSESTree.Program;
  env: Env;
  project: ProjectContext;
  /**
   * The file names SoundCloud, or imports (transitively) a module that does and names no other
   * service (a Spotify module that imports the app's shared config is Spotify's), or is part of a
   * SoundCloud client package (context.ts `scPackage`) and names no other service.
   */
  scContext: boolean;
  /** The file itself names SoundCloud. */
  directSc: boolean;
  /** The file names another service (Spotify, Google...: see providers.ts). */
  otherProvider: boolean;
  /** Some file of the project names SoundCloud (weaker: used only for unmistakable URL credentials). */
  projectSc: boolean;
  isTest: boolean;
  /** The string-building expressions that are sent (`allStrings` whose `sent()` holds). */
  readonly strings: UrlString[];
  /**
   * Every outermost string-building expression, sent or not: `sent()` (not `notSent`) is decided
   * on the first ask. A rule that matches text first and asks after skips the question for the
   * many strings it has nothing to say about.
   */
  allStrings: (UrlString & { sent(): boolean })[];
  params: ParamSite[];
  requests: RequestInfo[];
  calls: TSESTree.CallExpression[];
  news: TSESTree.NewExpression[];
  /** Every object property and identifier of the file (collected in the one walk; rules filter them). */
  properties: TSESTree.Property[];
  assignments: TSESTree.AssignmentExpression[];
  identifiers: TSESTree.Identifier[];
  /** Nothing is sent with this string (allow-lists, comparisons, pages for a person, test mocks: inert.ts). */
  notSent(node: N, text: string): boolean;
  /** The places a value is used: itself, or the references of the const it initialises (the file's identifier index). */
  usesOf(n: N): N[];
  /** Every string/template literal (own text only), for rules that look at what a literal writes. */
  literals: { node: TSESTree.Literal | TSESTree.TemplateLiteral; text: string }[];
}

const cache = new WeakMap<TSESTree.Program, FileFacts>();

const sameBinding = (x: Binding | undefined, y: Binding) =>
  !!x && x.kind === y.kind && (x.kind === 'var' ? x.declarator === (y as typeof x).declarator : (x as { node: N }).node === (y as { node: N }).node);
/** A credential parameter written in a piece of text (the gate of the array-join lookup). */
const CRED_TEXT = /(^|[?&])(client_id|client_secret|oauth_token|access_token)=/;

/** The nodes fileFacts looks at, collected in one pre-order walk of the file. */
interface Collected {
  identifiers: TSESTree.Identifier[];
  calls: TSESTree.CallExpression[];
  news: TSESTree.NewExpression[];
  properties: TSESTree.Property[];
  assignments: TSESTree.AssignmentExpression[];
  literals: FileFacts['literals'];
  /** Outermost string-building expressions. */
  strings: N[];
  /** The nodes serialisationSites looks at, in walk order (it needs no walk of its own). */
  serial: N[];
}

/** Node lists filled by the linter's own walk (`factsCollector`), complete once it has reached `Program:exit`. */
const collected = new WeakMap<TSESTree.Program, Collected>();

const emptyCollected = (): Collected => ({ identifiers: [], calls: [], news: [], properties: [], assignments: [], literals: [], strings: [], serial: [] });

/** Files one node into `c` (its parent must be set: every test here looks only upwards). */
function collectNode(c: Collected, n: N): void {
  if (n.type === 'Identifier') { c.identifiers.push(n); return; }
  if (n.type === 'CallExpression') { c.calls.push(n); c.serial.push(n); }
  else if (n.type === 'NewExpression') { c.news.push(n); c.serial.push(n); }
  else if (n.type === 'Property') { c.properties.push(n); c.serial.push(n); }
  else if (n.type === 'AssignmentExpression') c.assignments.push(n);
  else if (n.type === 'ForInStatement') c.serial.push(n);
  if ((n.type === 'Literal' && typeof n.value === 'string') || n.type === 'TemplateLiteral') {
    if (!isInertPosition(n)) c.literals.push({ node: n, text: n.type === 'Literal' ? String(n.value) : n.quasis.map((q) => q.value.cooked ?? q.value.raw).join(HOLE) });
  }
  if (isStringBuild(n) && isOutermost(n) && !isInertPosition(n)) c.strings.push(n);
}

/**
 * For the linter: collects the nodes fileFacts needs during its walk, which sets `parent` before
 * `enter` sees a node (pre-order, visitor-key order: the order of fileFacts' own walk), so
 * fileFacts needs no second walk of the tree. `done` is called when the walk has entered every
 * node (before the `Program:exit` listeners, where rules ask for facts); facts asked for earlier
 * (or under ESLint) walk the tree themselves.
 */
export function factsCollector(ast: TSESTree.Program): { enter: (n: N) => void; done: () => void } {
  const c = emptyCollected();
  return { enter: (n) => collectNode(c, n), done: () => { collected.set(ast, c); } };
}

export function fileFacts(context: RuleContext): FileFacts {
  const ast = context.sourceCode.ast;
  const hit = cache.get(ast);
  if (hit) return hit;
  const project = projectOf(context);
  const env: Env = { filename: context.filename, project, depth: 0 };
  const text = context.sourceCode.text;
  // notSent's file description, built once (path.relative on every string was a hot spot)
  let where: { isTest: boolean; filename: string } | undefined;
  let sentStrings: UrlString[] | undefined;
  const directSc = mentionsSoundCloud(text);
  // Asked only of a file that does not name SoundCloud itself (scContext below, isScParam, the
  // credential rule's `otherProvider && !directSc`): a regex over the whole text that most
  // candidate files never need (dense corpus: 1% of a scan's CPU).
  let otherProvider: boolean | undefined;
  const names = () => (otherProvider ??= namesOtherProvider(text));
  let nodes = collected.get(ast);
  let builder: FactsBuilder | undefined;
  collected.delete(ast);
  const facts: FileFacts = {
    ast, env, project,
    scContext: directSc || (!names() && (hasScContext(context.filename, text, project) || scPackage(context.filename, project))),
    directSc,
    get otherProvider() { return names(); },
    projectSc: false,
    isTest: TEST_FILE_RE.test(context.filename),
    get strings() { return (sentStrings ??= facts.allStrings.filter((s) => s.sent())); },
    allStrings: [], params: [], requests: [], calls: [], news: [], literals: [], properties: [], identifiers: [], assignments: [],
    usesOf: (n) => (builder ? builder.usesOf(n) : [n]),
    notSent: (node, t) => notARequest(node, t, (where ??= { isTest: facts.isTest, filename: relative(project.root, context.filename) }), !!builder && builder.inRequestCall(node))
      || isUnreadValue(node, facts.identifiers),
  };
  facts.projectSc = facts.scContext || projectMentionsSoundCloud(project);
  cache.set(ast, facts);
  if (!ast.body.length) return facts;
  if (!nodes) {
    ensureParents(ast);
    // Collect in one pass (parents are set: ESLint sets them, and so does the runner).
    const own = (nodes = emptyCollected());
    traverseCollect(ast, (n) => collectNode(own, n));
  }
  facts.identifiers = nodes.identifiers;
  facts.calls = nodes.calls;
  facts.news = nodes.news;
  facts.properties = nodes.properties;
  facts.assignments = nodes.assignments;
  facts.literals = nodes.literals;
  shareAssignments(ast, nodes.assignments);
  (builder = new FactsBuilder(facts, env)).build(nodes.strings, nodes.serial);
  // a relative URL the host or a dev server forwards to SoundCloud (vercel.json, Vite's server.proxy...): its SoundCloud URL
  const routes = projectRoutes(project);
  if (routes.size) {
    for (const p of facts.params) {
      const to = p.url.kind === 'relative' ? proxiedUrl(routes, project.root, context.filename, p.url.path) : undefined;
      if (to) p.url = classifyUrl(to);
    }
  }
  return facts;
}

/**
 * An entry of allStrings. Its URL is classified on the first ask: the rules read only the text
 * (`alts`) and `sent()`, and the parameters of a string need it only when it writes one (most of
 * a file's strings are class names, messages and keys).
 */
class StringEntry implements UrlString {
  #url: UrlInfo | undefined;
  #sent: boolean | undefined;
  constructor(readonly node: N, readonly alts: Str[], readonly builder: FactsBuilder) {}

  get url(): UrlInfo {
    if (this.#url) return this.#url;
    const alts = this.alts;
    let url = urlOf(alts);
    // a piece of an array joined into a URL: ['https://soundcloud.com/connect', '?client_id=' + id].join('')
    if (url.kind === 'unknown' && this.node.parent?.type === 'ArrayExpression' && CRED_TEXT.test(flatText(alts[0] ?? []))) url = this.builder.joinedUrl(this.node.parent) ?? url;
    return (this.#url = url);
  }

  sent(): boolean {
    return (this.#sent ??= !this.builder.facts.notSent(this.node, this.alts[0] ? flatText(this.alts[0]) : ''));
  }
}

/**
 * The work of one fileFacts call, as methods rather than closures inside fileFacts: V8's optimising
 * compiler spent about 2 G instructions (2.4 s on this machine, every time it compiled fileFacts,
 * up to 3 times a scan) on escape analysis of the 20 closures and their shared context that
 * fileFacts used to allocate on each call; methods are compiled one by one, at a fraction of it.
 */
class FactsBuilder {
  readonly requestByCall = new Map<N, RequestInfo>();
  /** The file's identifiers by name (idsNamed: built on first use). */
  byName: Map<string, TSESTree.Identifier[]> | undefined;
  readonly testFile: boolean;
  constructor(readonly facts: FileFacts, readonly env: Env) { this.testFile = facts.isTest; }

  build(stringNodes: readonly N[], serialNodes: readonly N[]): void {
    // Requests.
    for (const c of this.facts.calls) {
      const r = requestOf(c, this.env);
      if (r) { this.facts.requests.push(r); this.requestByCall.set(c, r); }
    }

    // Parameters written in URL/body text.
    for (const node of stringNodes) if (!this.testFile || !inAssertionOrMock(node)) this.textParams(node);

    // A query fragment constant pushed into an array of query parts that is joined with '&'
    // (`parts.push(KEY_PARAM); url += '?' + parts.join('&')`): attached here, like `${url}?${KEY_PARAM}`.
    if (!this.testFile) for (const c of this.facts.calls) this.pushedFragment(c);

    // Parameters in request option objects.
    for (const r of this.facts.requests) {
      if (this.testFile && inAssertionOrMock(r.call)) continue;
      const url = urlOf(requestUrl(r, this.env));
      for (const q of r.queryObjects) this.addObject(q.node, q.env, 'query', url, r);
      for (const b of r.bodies) {
        const o = resolveObject(b.node, b.env);
        if (o?.kind === 'object') this.addObject(o.node, o.env, 'body', url, r);
        else {
          const bx = unwrap(b.node);
          // `new URLSearchParams(o)`, `JSON.stringify(o)`, `qs.stringify(o)`: the object is the body
          if ((bx.type === 'NewExpression' && isUrlSearchParamsCtor(bx.callee) || bx.type === 'CallExpression' && isStringifyCall(bx)) && bx.arguments[0]) {
            const o2 = resolveObject(bx.arguments[0] as N, b.env);
            if (o2?.kind === 'object') this.addObject(o2.node, o2.env, 'body', url, r);
          }
        }
      }
    }

    // axios's global defaults (or an instance's): `axios.defaults.params = { client_id }` goes with
    // every request of the module, to `axios.defaults.baseURL` when the file sets it; and what a
    // request interceptor writes into every request's params
    for (const a of this.facts.assignments) if (a.operator === '=' && a.left.type === 'MemberExpression' && propName(a.left) === 'params') { this.defaultParams(a); this.interceptorParams(a); }

    // Keys added to the query object of an options variable passed to a request:
    // `config.params = config.params || {}; config.params.oauth_token = t; return $http(config)`.
    // ...and a query object assigned to the options afterwards: `config.params = { client_id }`,
    // `options.qs = data` (with `data.client_id = id` written before)
    const nested = this.facts.assignments.filter((a) => a.operator === '=' && a.left.type === 'MemberExpression' && (unwrap(a.left.object).type === 'MemberExpression'
      || (QUERY_OPTION.test(propName(a.left) ?? '') && unwrap(a.left.object).type === 'Identifier')));
    if (nested.length) for (const r of this.facts.requests) this.optionQueryMutations(r, nested);

    // Parameter objects reaching a query serialiser (param-flow.ts): URLSearchParams, qs, loops
    // writing k=v pairs, request `params` options, the app's own helpers; a body when sent as one.
    // Every parameter found this way is a key written in this file (an object literal's key or
    // `obj.key = v`, named by CRED_NAMES): a file without one has none, and its serialisers (and the
    // helpers of other modules they call) are not looked for (dense corpus: 3,880 of 4,600 files).
    const credKey = this.facts.properties.some((p) => CRED_NAMES.test(propName(p) ?? computedKeyName(p, this.env) ?? ''))
      || this.facts.assignments.some((a) => a.left.type === 'MemberExpression' && CRED_NAMES.test(propName(a.left) ?? ''));
    if (credKey) for (const site of serialisationSites(this.facts.ast, this.env, 0, serialNodes)) if (!this.testFile || !inAssertionOrMock(site.at)) this.siteParams(site);
    if (credKey) for (const c of this.facts.calls) if (!this.requestByCall.has(c) && (!this.testFile || !inAssertionOrMock(c))) this.wrappedRequestBody(c);

    // URLSearchParams / qs.stringify objects, searchParams.set/append, helpers.
    for (const c of this.facts.calls) if (!this.testFile || !inAssertionOrMock(c)) this.callParams(c);

    // An Angular HttpInterceptor's `req.clone({ setParams: { client_id } })`
    if (credKey && this.facts.ast.body.some(importsAngularHttp)) {
      for (const c of this.facts.calls) {
        const o = c.arguments[0] && unwrap(c.arguments[0] as N);
        const sp = o?.type === 'ObjectExpression' ? findProp(o, 'setParams') : undefined;
        const req = sp ? interceptedClone(c) : undefined;
        const q = req ? resolveObject(sp!, this.env) : undefined;
        if (q?.kind === 'object') this.addObject(q.node, q.env, 'query', this.interceptedUrl(c, req!));
      }
    }

    // Backbone: `tracks.fetch({ data: { client_id } })` sends `data` as the query of its GET (through jQuery);
    // jQuery's defaults `$.ajaxSetup({ data })` go with every request of the page, and so does what a
    // `Backbone.sync` override merges into `options.data`
    if (credKey) {
      for (const c of this.facts.calls) {
        if (c.callee.type !== 'MemberExpression' || (this.testFile && inAssertionOrMock(c))) continue;
        const m = propName(c.callee);
        if (m === 'fetch' || (m === 'ajaxSetup' && /^(\$|jQuery)$/.test(nameOf(unwrap(c.callee.object))))) this.backboneFetch(c);
        else if (m && MERGE_METHOD.test(m)) this.syncOverrideData(c);
      }
    }
  }

  /**
   * `api.interceptors.request.use((config) => { config.params = { ...config.params, client_id }; return config; })`:
   * the object goes with every request of the instance (its baseURL), unless the interceptor also
   * sets an Authorization header on the same path.
   */
  interceptorParams(a: TSESTree.AssignmentExpression): void {
    const target = unwrap((a.left as TSESTree.MemberExpression).object);
    if (target.type !== 'Identifier') return;
    const f = enclosingFunction(a) as TSESTree.FunctionExpression | TSESTree.ArrowFunctionExpression | undefined;
    const use = f?.parent;
    if (!f || f.params[0]?.type !== 'Identifier' || f.params[0].name !== target.name || use?.type !== 'CallExpression' || use.arguments[0] !== f) return;
    const callee = unwrap(use.callee);
    if (callee.type !== 'MemberExpression' || propName(callee) !== 'use') return;
    const req = unwrap(callee.object);
    if (req.type !== 'MemberExpression' || propName(req) !== 'request') return;
    const ints = unwrap(req.object);
    if (ints.type !== 'MemberExpression' || propName(ints) !== 'interceptors') return;
    const lib = libraryOfName(ints.object, this.env);
    if (lib !== 'axios' && lib !== 'axios-instance') return;
    const o = resolveObject(a.right, this.env);
    if (o?.kind !== 'object') return;
    // an Authorization header the interceptor sets too (not only on the other branch)
    const setsAuth = (h: TSESTree.AssignmentExpression) => h.left.type === 'MemberExpression' && (
      (/^authorization$/i.test(propName(h.left) ?? '') && /(^|\.)headers(\.common)?$/.test(nameOf(unwrap(h.left.object))))
      || (propName(h.left) === 'headers' && h.right.type === 'ObjectExpression' && h.right.properties.some((q) => q.type === 'Property' && /^authorization$/i.test(propName(q) ?? ''))));
    // (`if (!tokens) { config.params = {...}; return config; } config.headers.Authorization = ...`: another path)
    const auth = this.facts.assignments.some((h) => h !== a && startOf(h) >= startOf(f) && endOf(h) <= endOf(f) && setsAuth(h) && !exclusive(h, a) && !exitsBefore(a, h));
    if (auth) return;
    const defaults = lib === 'axios-instance' ? instanceDefaults(ints.object, this.env) : undefined;
    const base = defaults && findProp(defaults.node, 'baseURL');
    this.addObject(o.node, o.env, 'query', urlOf(base ? evalString(base, defaults!.env) : []));
  }

  /**
   * `Backbone.sync = function (method, model, options) { _.extend(options.data, { client_id }); ... }`:
   * the objects merged into the options' `data` are the query of every model's request.
   */
  syncOverrideData(c: TSESTree.CallExpression): void {
    const target = c.arguments[0] && unwrap(c.arguments[0] as N);
    if (target?.type !== 'MemberExpression' || propName(target) !== 'data') return;
    const opts = unwrap(target.object);
    const f = enclosingFunction(c) as TSESTree.FunctionExpression | undefined;
    const a = f?.parent;
    if (!f || opts.type !== 'Identifier' || f.params[2]?.type !== 'Identifier' || f.params[2].name !== opts.name) return;
    if (a?.type !== 'AssignmentExpression' || a.right !== f || !/(^|\.)sync$/.test(nameOf(a.left)) || !/Backbone/.test(nameOf(a.left))) return;
    for (const x of c.arguments.slice(1)) {
      const o = resolveObject(x as N, this.env);
      if (o?.kind === 'object') this.addObject(o.node, o.env, 'query', { kind: 'unknown', text: '', path: '' });
    }
  }

  /** `model.fetch({ data: {...} })` of a Backbone model or collection: the query of the GET of its `url`. */
  backboneFetch(c: TSESTree.CallExpression): void {
    const o = c.arguments[0] && unwrap(c.arguments[0] as N);
    if (o?.type !== 'ObjectExpression') return;
    const data = findProp(o, 'data');
    const q = data && resolveObject(data, this.env);
    if (q?.kind === 'object') this.addObject(q.node, q.env, 'query', { kind: 'unknown', text: '', path: '' });
  }

  /** `axios.defaults.params = {...}` (also of an axios instance): a query object of the module's requests. */
  defaultParams(a: TSESTree.AssignmentExpression): void {
    const d = a.left.type === 'MemberExpression' ? unwrap(a.left.object) : undefined;
    if (d?.type !== 'MemberExpression' || propName(d) !== 'defaults') return;
    const lib = libraryOfName(d.object, this.env);
    if (lib !== 'axios' && lib !== 'axios-instance') return;
    const o = resolveObject(a.right, this.env);
    if (o?.kind !== 'object') return;
    const owner = nameOf(unwrap(d.object));
    const base = this.facts.assignments.find((b) => b.operator === '=' && b.left.type === 'MemberExpression' && propName(b.left) === 'baseURL'
      && unwrap(b.left.object).type === 'MemberExpression' && nameOf(unwrap(b.left.object)) === `${owner}.defaults`);
    this.addObject(o.node, o.env, 'query', urlOf(base ? evalString(base.right, this.env) : []));
  }

  /**
   * Request options handed to the app's own wrapper of an HTTP client: an argument object shaped
   * like request's/got's/axios's (`this.api.requestAndParseJSON({ url, method: 'POST', form: {...} })`,
   * with the wrapper calling `request(options)` through a class field): its `form`/`body`/`json`
   * object is the request body, sent to its `url`/`uri`. (Not `data`: jQuery-style options send it
   * as the query of a GET.)
   */
  wrappedRequestBody(c: TSESTree.CallExpression): void {
    for (const a of c.arguments) {
      const o = unwrap(a as N);
      if (o.type !== 'ObjectExpression') continue;
      const target = urlKey(o);
      if (!target) continue;
      let url: UrlInfo | undefined;
      for (const key of ['form', 'body', 'json']) {
        const v = findProp(o, key);
        const b = v && resolveObject(v, this.env);
        if (b?.kind === 'object') this.addObject(b.node, b.env, 'body', (url ??= urlOf(evalString(target, this.env))));
      }
    }
  }

  requestAround(n: N): RequestInfo | undefined {
    for (let p: N | undefined = n.parent; p; p = p.parent) {
      if (p.type === 'CallExpression' && this.requestByCall.has(p)) return this.requestByCall.get(p);
      if (p.type.includes('Function') || p.type === 'Program') return undefined;
      // through a variable: const url = `...`; fetch(url)
      if (p.type === 'VariableDeclarator') {
        if (p.id.type !== 'Identifier') return undefined;
        const name = p.id.name;
        for (const r of this.facts.requests) {
          const u = r.urlNode && unwrap(r.urlNode);
          if (u?.type !== 'Identifier' || u.name !== name) continue;
          // the same variable, not one of the same name in another function
          const b = resolveBinding(u);
          if (b?.kind === 'var' && b.declarator === p) return r;
        }
        return undefined;
      }
    }
    return undefined;
  }

  /** `u.search = '?client_id=' + id` (also `u.href = ...`) on a URL object a request sends later (`fetch(u.toString(), { headers })`). */
  searchOfUrlVar(node: N): RequestInfo | undefined {
    const a = node.parent;
    if (a?.type !== 'AssignmentExpression' || a.right !== node || a.left.type !== 'MemberExpression' || !/^(search|href)$/.test(propName(a.left) ?? '')) return undefined;
    const u = unwrap(a.left.object);
    return u.type === 'Identifier' ? this.requestOfUrlVar(u) : undefined;
  }

  /** The request whose URL is the URL object `x` (`fetch(u)`, `fetch(u.toString())`, `u.href`, `String(u)`, `${u}`). */
  requestOfUrlVar(x: TSESTree.Identifier): RequestInfo | undefined {
    let b: Binding | undefined | null;
    for (const r of this.facts.requests) {
      const u = r.urlNode && urlObjectRead(unwrap(r.urlNode));
      if (u?.name !== x.name) continue;
      // the same variable, not one of the same name in another function
      if ((b ??= resolveBinding(x) ?? null) && resolveBinding(u) === b) return r;
    }
    return undefined;
  }

  /**
   * `name += node` as a statement, where `name` is the URL a request of the same function reads
   * later (`url += 'client_id=' + id; return fetch(url)`): that request and the URL's strings there.
   */
  grownRead(node: N): { request?: RequestInfo; alts: Str[] } | undefined {
    // also a branch of the appended value (`url += url.includes('?') ? `&client_id=${id}` : `?client_id=${id}``)
    let piece: N = node;
    while (piece.parent && ((piece.parent.type === 'ConditionalExpression' && piece.parent.test !== piece) || piece.parent.type === 'LogicalExpression')) piece = piece.parent;
    const a = piece.parent;
    if (!growthStatement(a) || a.right !== piece) return undefined;
    const left = a.left;
    let b: Binding | undefined;
    for (const r of this.facts.requests) {
      const u = r.urlNode && unwrap(r.urlNode);
      if (u?.type !== 'Identifier' || u.name !== left.name || startOf(u) < endOf(a)) continue;
      if ((b ??= resolveBinding(left)) && resolveBinding(u) === b) return { request: r, alts: evalString(u, this.env) };
    }
    // no request reads it here: the URL as the function hands it on, at its first read after the
    // piece (`url = track.stream_url; url += sep; url += 'consumer_key=' + key; sm.on(url, cb)`,
    // `return new Song({ url })`): a media or download URL grown in steps
    const fn = enclosingFunction(a);
    for (const u of this.idsNamed(left.name)) {
      if (startOf(u) < endOf(a) || (fn && endOf(u) > endOf(fn)) || isKeyName(u)) continue;
      if (!(b ??= resolveBinding(left)) || resolveBinding(u) !== b) continue;
      // (the next pieces grow it on: `url += '&response_type=code'`; the URL is what the read after them hands on)
      if (growsOn(u)) continue;
      if (!handedOn(u)) return undefined;
      return { alts: evalString(u, this.env) };
    }
    return undefined;
  }

  /** A string-building expression: its entry in allStrings, and the parameters its text writes when it is sent. */
  textParams(node: N): void {
    // a piece appended to a URL variable (`url += '&client_id=' + id; fetch(url)`): the URL the request reads
    const grown = this.grownRead(node);
    const alts = grown ? grown.alts : evalString(node, this.env);
    const entry = new StringEntry(node, alts, this);
    this.facts.allStrings.push(entry);
    // (most strings hold no parameter: the sets, the map and the URL of an alternative are made on the first one)
    let seen: Map<string, ParamSite> | undefined;
    // parameters of a string that is sent (asked on the first credential name); a SoundCloud
    // alternative first (`'https://' + (sandbox ? 'sandbox.test' : 'soundcloud.com') + '/connect?...'`)
    const isSc = alts.length > 1 && entry.url.kind === 'sc' ? alts.map((a) => classifyUrl(flatText(a)).kind === 'sc') : undefined;
    const ordered = isSc ? [...alts.filter((_, i) => isSc[i]), ...alts.filter((_, i) => !isSc[i])] : alts;
    alts: for (const alt of ordered) {
      const text = flatText(alt);
      const ps = paramsInText(text);
      if (!ps.length) continue;
      let names: Set<string> | undefined;
      let altUrl: UrlInfo | undefined;
      for (const p of ps) {
        if (!CRED_NAMES.test(p.name)) continue;
        if (!entry.sent()) break alts;
        const part = partAt(alt, p.index);
        if (!part || part.kind !== 'text') continue;
        // (a grown URL: each appended piece reports its own parameters)
        if (grown && (startOf(part.owner) < startOf(node) || endOf(part.owner) > endOf(node))) continue;
        // Does the part start a fragment (`?client_id=...`, `&oauth_token=`, or the pair itself)?
        const partStart = partOffset(alt, part);
        const fragment = /^[?&]/.test(part.text) || (p.index === partStart && startsOwner(part));
        const report = reportNodeFor(part, node, this.env, fragment);
        if (!report) continue;
        const key = `${p.name}@${startOf(report)}`;
        let where = textWhere(text, p.index, p.sep, node);
        if (where === 'unknown' && isFragmentConstant(node, text, p.index, this.usesOf(node))) where = 'query';
        const had = (seen ??= new Map()).get(key);
        if (had) { if (had.where === 'unknown') had.where = where; continue; }
        const value = p.value.includes(HOLE) ? undefined : decodeSafe(p.value);
        const request = grown?.request ?? this.requestAround(node) ?? this.searchOfUrlVar(node);
        // a test sends what it hands to a request or a media element; a URL it only builds, compares or fakes is data
        if (this.testFile && !request && !mediaSource(node)) continue;
        altUrl ??= classifyUrl(text);
        names ??= new Set(ps.map((q) => q.name));
        let siteUrl = altUrl.kind === 'unknown' ? entry.url : altUrl;
        let helperRequest: RequestInfo | undefined;
        if ((siteUrl.kind === 'relative' || siteUrl.kind === 'unknown') && request) siteUrl = urlOf(requestUrl(request, this.env));
        else if (siteUrl.kind === 'relative' || siteUrl.kind === 'unknown') {
          const h = siteUrl.kind === 'relative' ? this.helperJoined(node) : undefined;
          if (h) { siteUrl = h.url; helperRequest = h.request; } else siteUrl = this.nodeOptionsUrl(node, text) ?? siteUrl;
        }
        const at = positionInTemplate(part, p.index - partStart, p.name, report);
        const site: ParamSite = { name: p.name, value, report, ...(at ? { at } : {}), where, url: siteUrl, request, ...(helperRequest ? { helperRequest } : {}), siblings: names, via: 'text' };
        seen.set(key, site);
        this.facts.params.push(site);
      }
    }
  }

  /**
   * A relative URL (or a string building one: `/tracks?${params}`) handed to the app's own request helper that joins it to the API's base
   * (`this.makeRequest(`/tracks?client_id=${id}`)` with `makeRequest(ep) { return fetch(`${this.baseUrl}${ep}`) }`):
   * the URL of the helper's request with the call's arguments bound, when this string is part of it.
   * The helper's request gives the headers only (it may be in another file: fixes never edit it).
   */
  helperJoined(node: N): { url: UrlInfo; request: RequestInfo } | undefined {
    // the argument the string is (or builds): `f(s)`, `f(s + x)`, `f(`${s}`)`
    let arg: N = node;
    for (let i = 0; i < 3 && arg.parent && (arg.parent.type === 'BinaryExpression' || arg.parent.type === 'TemplateLiteral'); i++) arg = arg.parent as N;
    const c = arg.parent;
    if (c?.type !== 'CallExpression' || !c.arguments.includes(arg as TSESTree.CallExpressionArgument)) return undefined;
    const f = resolveFunction(c.callee as N, this.env);
    if (!f || startOf(c) >= startOf(f.fn) && endOf(c) <= endOf(f.fn)) return undefined;
    const inner = bindArgs(f.fn, c.arguments as N[], this.env, f.env);
    let found: { url: UrlInfo; request: RequestInfo } | undefined;
    traverseCollect(f.fn.body as N, (x) => {
      if (found || x.type !== 'CallExpression') return;
      const r = requestOf(x, inner);
      if (!r?.urlNode) return;
      // the argument reaches the helper's URL (a part of it is the argument's), after an absolute base
      for (const a of requestUrl(r, inner)) {
        if (!a.some((p) => p.kind === 'text' && startOf(p.owner) >= startOf(arg) && endOf(p.owner) <= endOf(arg))) continue;
        const url = classifyUrl(flatText(a));
        if (url.kind === 'sc' || url.kind === 'foreign') { found = { url, request: r }; return; }
      }
    });
    return found;
  }

  /**
   * The path of Node-style request options built apart from the request (`{ host: 'api.soundcloud.com',
   * path: '/tracks/' + id + '/stream?client_id=' + key }`, returned by an options factory): the host
   * is the sibling option.
   */
  nodeOptionsUrl(node: N, text: string): UrlInfo | undefined {
    const prop = node.parent;
    if (prop?.type !== 'Property' || prop.value !== node || !/^(path|pathname)$/.test(propName(prop) ?? '') || prop.parent?.type !== 'ObjectExpression') return undefined;
    const host = findProp(prop.parent, 'hostname') ?? findProp(prop.parent, 'host');
    if (!host) return undefined;
    // headers beside the path may authenticate it (`headers: { Authorization: 'OAuth ' + token }`)
    const headers = findProp(prop.parent, 'headers');
    const h0 = headers && unwrap(headers);
    if (h0 && (h0.type !== 'ObjectExpression' || h0.properties.some((q) => q.type !== 'Property' || /^authorization$/i.test(propName(q) ?? '')))) return undefined;
    // (a host written with its scheme, `host: 'http://api.soundcloud.com'`: still the host the path goes to)
    const h = evalString(host, this.env).map((a) => flatText(a).replace(/^https?:\/\/(?=[a-z0-9.-]+\/?$)/i, '').replace(/\/$/, '')).find((t) => /^[a-z0-9.-]+$/i.test(t));
    return h ? classifyUrl(`https://${h}${text.startsWith('/') ? '' : '/'}${text}`) : undefined;
  }

  /** The parameters of the objects one serialisation site turns into query (or body) pairs. */
  siteParams(site: Serialised): void {
    const t = unwrap(site.target);
    // A parameter: its callers decide for the object they pass; keys this function adds to it are written here.
    const isParam = t.type === 'Identifier' && resolveBinding(t)?.kind === 'param';
    const at = site.at;
    let where: Where = 'query';
    let use: N[] = [at];
    if (site.kind === 'serialiser') {
      use = this.usesOf(at);
      // (Node's legacy url.format makes a whole URL: its query object is the query wherever it goes)
      const formatted = at.type === 'CallExpression' && nameOf(at.callee) === 'url.format';
      where = use.some((u) => isBodyPosition(u) || (u.parent?.type === 'Property' && /^(body|data|form)$/.test(propName(u.parent) ?? ''))) ? 'body'
        : formatted || use.some(usedInUrl) || use.some((u) => u.parent?.type === 'ReturnStatement') ? 'query' : 'unknown';
    } else if (site.kind === 'helper') use = this.usesOf(at);
    const anchor = use.find(usedInUrl) ?? use[0] ?? at;
    const request = this.requestByCall.get(at) ?? this.requestInChain(at) ?? this.requestAround(anchor);
    // Node's http(s).request({ hostname, path: '/me?' + qs.stringify(p) }): the host is in another option
    const inPath = !!request?.baseNode && !!request.urlNode && startOf(request.urlNode) <= startOf(anchor) && endOf(anchor) <= endOf(request.urlNode);
    let url = request && (site.kind === 'option' || inPath) ? urlOf(requestUrl(request, this.env)) : this.urlAround(anchor);
    // the options of an app's own wrapper (`fetch({ url, urlParameters: {...} })`, no request of a
    // known client): the URL is the `url` / `uri` key beside the query option
    if (site.kind === 'option' && (url.kind === 'unknown' || url.kind === 'relative')) {
      const holder = site.target.parent?.parent;
      const sibling = holder?.type === 'ObjectExpression' ? urlKey(holder) : undefined;
      const u = sibling && urlOf(evalString(sibling, this.env));
      if (u && u.kind !== 'unknown') url = u;
    }
    // a provider's default query parameters: the URL its own setBaseUrl / setBasePath names (else none: not a request of any known URL)
    if (site.kind === 'option' && at.type === 'CallExpression' && at.callee.type === 'MemberExpression' && DEFAULT_PARAMS_SETTER.test(propName(at.callee) ?? '')) {
      const owner = nameOf(at.callee.object);
      const base = this.facts.calls.find((c) => c.callee.type === 'MemberExpression' && /^setBase(?:Url|Path)$/.test(propName(c.callee) ?? '') && nameOf(c.callee.object) === owner && c.arguments[0]);
      url = base ? urlOf(evalString(base.arguments[0] as N, this.env)) : { kind: 'foreign', text: '', path: '' };
    }
    // A helper (maybe of another file) that hands the object to a request as its query option:
    // `request('resolve', { url, client_id })` with `(path, qs) => rp({ uri: base + '/' + path, qs })`.
    // The helper's request (with the caller's arguments) gives the URL and the headers.
    const inner = site.inner;
    let helperRequest: RequestInfo | undefined;
    if (!request && url.kind === 'unknown' && inner?.site.kind === 'option' && inner.site.at.type === 'CallExpression' && at.type === 'CallExpression') {
      const henv = bindArgs(inner.fn, at.arguments as N[], this.env, inner.env);
      helperRequest = requestOf(inner.site.at, henv);
      if (helperRequest) url = urlOf(requestUrl(helperRequest, henv));
    }
    // a query string in a relative URL handed to the app's request helper that joins it to the API's base
    if (!request && !helperRequest && url.kind === 'relative' && anchor.parent?.type === 'TemplateLiteral') {
      const h = this.helperJoined(anchor);
      if (h) { url = h.url; helperRequest = h.request; }
    }
    // Keys merged in place by a statement (`angular.extend(params, {...})`) are written here, as mutations are.
    const merged = t.type === 'Identifier' ? mergedInto(t, this.facts.calls, this.env) : [];
    this.addObjects([...(isParam ? paramDefaults(t as TSESTree.Identifier, this.env) : objectsOf(t, this.env)), ...merged], t.type === 'Identifier' ? mutationsOf(t, this.facts.assignments) : t.type === 'MemberExpression' && site.kind === 'serialiser' ? memberMutationsOf(t, this.facts.assignments) : [], where, url, request, helperRequest);
  }

  /** The parameters a call writes: `searchParams.set('client_id', id)`, `appendURL(url, 'client_id', id)`. */
  callParams(c: TSESTree.CallExpression): void {
    const callee = unwrap(c.callee);
    const cname = nameOf(callee);
    if (callee.type === 'MemberExpression' && /^(set|append)$/.test(propName(callee) ?? '')) {
      const a0 = c.arguments[0] && unwrap(c.arguments[0] as N);
      if (!a0 || a0.type !== 'Literal' || typeof a0.value !== 'string' || !CRED_NAMES.test(a0.value)) return;
      const target = unwrap(callee.object);
      const tn = nameOf(target);
      let where: Where = 'unknown';
      let url: UrlInfo = { kind: 'unknown', text: '', path: '' };
      // the request whose `params` option a parameter object kept in a variable is
      let paramsRequest: RequestInfo | undefined;
      if (/\.searchParams$/.test(tn) && target.type === 'MemberExpression') {
        where = 'query';
        url = urlOf(evalString(target.object, this.env));
      } else if (isUrlSearchParams(target, this.env)) {
        const use = this.searchParamsUse(target);
        where = use.where;
        url = use.url ?? url;
        paramsRequest = use.request;
      } else if (/^(form|formData|body|data)$/i.test(tn) || isFormData(target)) {
        where = 'body';
      } else if (target.type === 'MemberExpression' && propName(target) === 'params' && target.object.type === 'Identifier') {
        // `req.clone({ params: req.params.set('client_id', id) })` of an Angular HttpInterceptor
        const clone = paramsOfClone(c, target.object.name);
        if (!clone || !this.facts.ast.body.some(importsAngularHttp)) return;
        where = 'query';
        url = this.interceptedUrl(clone, target.object.name);
      } else if (target.type === 'CallExpression' || target.type === 'NewExpression') {
        // a chain on a new parameter object: `new HttpParams().set('q', q).set('client_id', id)` (Angular), also URLSearchParams
        const chain = paramsChain(c);
        if (!chain) return;
        const use = this.chainUse(chain.top);
        const request = use.request ?? this.requestAround(chain.top);
        const v = c.arguments[1] ? evalString(c.arguments[1] as N, this.env) : [];
        const value = v.length === 1 && v[0]!.every((x) => x.kind === 'text') ? flatText(v[0]!) : undefined;
        this.facts.params.push({ name: a0.value, value, report: a0, where: use.where, url: use.url ?? (request ? urlOf(requestUrl(request, this.env)) : url), request, siblings: chain.keys, via: 'call' });
        return;
      } else return;
      const v = c.arguments[1] ? evalString(c.arguments[1] as N, this.env) : [];
      const value = v.length === 1 && v[0]!.every((x) => x.kind === 'text') ? flatText(v[0]!) : undefined;
      // `u.searchParams.set(...)` on a URL object the request sends later (`fetch(u.toString(), { headers })`)
      const request = this.requestAround(c) ?? (target.type === 'MemberExpression' && target.object.type === 'Identifier' ? this.requestOfUrlVar(target.object) : undefined) ?? paramsRequest;
      this.facts.params.push({ name: a0.value, value, report: a0, where, url, request, siblings: siblingsOfTarget(target, this.facts.calls, c), via: 'call' });
      return;
    }
    // Helper that appends key/value pairs: appendURL(url, 'client_id', id, ...)
    if (!this.requestByCall.has(c) && c.arguments.length >= 3) {
      const args = c.arguments as N[];
      for (let i = 1; i < args.length - 1; i++) {
        const a = unwrap(args[i]!);
        if (a.type !== 'Literal' || typeof a.value !== 'string' || !/^(client_id|oauth_token)$/.test(a.value)) continue;
        if (/(setItem|getItem|set|setHeader|header|cookie|emit|log|gtag)$/i.test(cname)) break;
        // the first argument is the URL: a word written there cannot be one (`gtag('get', 'G-...', 'client_id', cb)`)
        const a0 = unwrap(args[0]!);
        if (a0.type === 'Literal' && typeof a0.value === 'string' && /^[a-z]+$/i.test(a0.value)) break;
        const url = urlOf(evalString(args[0]!, this.env));
        const names = new Set(args.flatMap((x) => { const y = unwrap(x); return y.type === 'Literal' && typeof y.value === 'string' ? [y.value] : []; }));
        this.facts.params.push({ name: a.value, report: a, where: 'query', url, request: this.requestAround(c), siblings: names, via: 'helper' });
      }
    }
  }

  /**
   * The URL an interceptor's clone goes to, from the test that guards it: `if (req.url.startsWith(API))`,
   * `req.url.includes('api.soundcloud.com')`; else unknown (every request of the app).
   */
  interceptedUrl(clone: N, req: string): UrlInfo {
    for (let x: N = clone; x.parent && !x.type.includes('Function'); x = x.parent) {
      const p = x.parent;
      if (p.type !== 'IfStatement' || p.consequent !== x) continue;
      let found: UrlInfo | undefined;
      traverseCollect(p.test, (n) => {
        if (found || n.type !== 'CallExpression' || n.callee.type !== 'MemberExpression' || !n.arguments[0]) return;
        const tested = nameOf(unwrap(n.callee.object));
        if (/^(startsWith|includes|indexOf|match|test)$/.test(propName(n.callee) ?? '') && (tested === `${req}.url` || tested === `${req}.urlWithParams`)) {
          const u = urlOf(evalString(n.arguments[0] as N, this.env));
          if (u.kind !== 'unknown') found = u;
        }
      });
      if (found) return found;
    }
    return { kind: 'unknown', text: '', path: '' };
  }

  addObject(obj: TSESTree.ObjectExpression, oenv: Env, where: Where, url: UrlInfo, request?: RequestInfo) {
    const ps = objectParams(obj, oenv);
    const names = new Set(ps.map((p) => p.name));
    for (const p of ps) {
      if (!CRED_NAMES.test(p.name)) continue;
      // Only report keys written in this file (a spread of another module's object reports there).
      if (p.file !== this.env.filename) continue;
      this.facts.params.push({ name: p.name, value: p.value, report: p.key, where, url, request, siblings: names, via: 'object', holder: obj });
    }
  }

  /** The request call a chained call hangs on: `request(m, url).query(q)`, `superagent.get(url).query(q)`. */
  requestInChain(n: N): RequestInfo | undefined {
    for (let x: N = n; x.type === 'CallExpression';) {
      const r = this.requestByCall.get(x);
      if (r) return r;
      const callee = unwrap(x.callee);
      if (callee.type !== 'MemberExpression') return undefined;
      x = unwrap(callee.object);
    }
    return undefined;
  }

  inRequestCall(n: N): boolean {
    for (let p = n.parent; p; p = p.parent) {
      if (p.type === 'CallExpression' && this.requestByCall.has(p)) return true;
      if (p.type.includes('Function')) return false;
    }
    return false;
  }

  addObjects(objs: ObjSource[], muts: ReturnType<typeof mutationsOf>, where: Where, url: UrlInfo, request?: RequestInfo, helperRequest?: RequestInfo) {
    const helper = helperRequest ? { helperRequest } : {};
    const ps = objs.flatMap((o) => objectParams(o.node, o.env).map((p) => ({ ...p, o })));
    const names = new Set([...ps.map((p) => p.name), ...muts.map((m) => m.name)]);
    for (const p of ps) {
      if (!CRED_NAMES.test(p.name) || p.file !== this.env.filename) continue;
      this.facts.params.push({ name: p.name, value: p.value, report: p.key, where, url, request, ...helper, siblings: names, via: 'object', holder: p.o.node });
    }
    for (const m of muts) {
      if (!CRED_NAMES.test(m.name)) continue;
      const v = textOf(m.value, this.env);
      // `if (token) p.oauth_token = token; else p.client_id = id;`: the other branch is no sibling;
      // nor is a token added only on some paths where this key is always written
      // (`p.client_id = id; if (authorized) p.oauth_token = token;`: without it the id goes alone)
      const apart = (o: typeof m) => exclusive(o.node, m.node) || (TOKEN_KEY.test(o.name) && !TOKEN_KEY.test(m.name) && onlySometimes(o.node, m.node));
      const own = muts.some((o) => o !== m && apart(o)) ? new Set([...ps.map((p) => p.name), ...muts.filter((o) => o === m || !apart(o)).map((o) => o.name)]) : names;
      this.facts.params.push({ name: m.name, ...(v !== undefined ? { value: v } : {}), report: m.node.left, where, url, request, ...helper, siblings: own, via: 'object' });
    }
  }


  urlAround(n: N): UrlInfo {
    for (let p: N | undefined = n.parent; p; p = p.parent) {
      if (isStringBuild(p) && isOutermost(p)) return urlOf(evalString(p, this.env));
      if (p.type.includes('Function') || p.type.includes('Statement')) break;
    }
    const r = this.requestAround(n);
    return r ? urlOf(requestUrl(r, this.env)) : { kind: 'unknown', text: '', path: '' };
  }

  /** The URL an array of pieces is joined into: `[...].join(sep)`, or `arr.join(sep)` of the const it initialises. */
  joinedUrl(arr: TSESTree.ArrayExpression): UrlInfo | undefined {
    const p = arr.parent;
    const joinOf = (x: N): N | undefined => {
      const m = x.parent;
      return m?.type === 'MemberExpression' && m.object === x && propName(m) === 'join' && m.parent?.type === 'CallExpression' && m.parent.callee === m ? m.parent : undefined;
    };
    let call = joinOf(arr);
    if (!call && p?.type === 'VariableDeclarator' && p.init === arr && p.id.type === 'Identifier') {
      for (const u of this.usesOf(arr)) if (u !== arr && (call = joinOf(u))) break;
    }
    return call ? urlOf(evalString(call, this.env)) : undefined;
  }

  /**
   * `opts.params.K = v` (also `qs`, `searchParams`, `query`) on an options variable `opts` that is an
   * argument of the request `r`: a query parameter of that request. Its URL is the request's, or
   * the one written to `opts.url`.
   */
  optionQueryMutations(r: RequestInfo, nested: TSESTree.AssignmentExpression[]) {
    for (const arg of r.call.arguments) {
      const id = unwrap(arg as N);
      if (id.type !== 'Identifier') continue;
      const b = resolveBinding(id);
      if (!b || (b.kind !== 'var' && b.kind !== 'param')) continue;
      const same = (x: N) => { const y = unwrap(x); return y.type === 'Identifier' && y.name === id.name && sameBinding(resolveBinding(y), b); };
      const muts = nested.filter((a) => {
        const holder = unwrap((a.left as TSESTree.MemberExpression).object);
        return holder.type === 'MemberExpression' && QUERY_OPTION.test(propName(holder) ?? '') && same(holder.object);
      });
      // `config.params = {...}` / `options.qs = data`: the whole query object, assigned after the options were written
      const whole = nested.filter((a) => unwrap((a.left as TSESTree.MemberExpression).object).type === 'Identifier' && same((a.left as TSESTree.MemberExpression).object));
      if (!muts.length && !whole.length) continue;
      let url = urlOf(requestUrl(r, this.env));
      if (url.kind === 'unknown' || url.kind === 'relative') {
        for (const a of this.facts.assignments) {
          if (a.left.type !== 'MemberExpression' || !/^(url|uri)$/.test(propName(a.left) ?? '') || !same(a.left.object)) continue;
          const u = urlOf(evalString(a.right, this.env));
          if (u.kind === 'sc' || url.kind === 'unknown') url = u;
        }
      }
      for (const a of whole) {
        const o = resolveObject(a.right, this.env);
        if (o?.kind === 'object') { this.addObject(o.node, o.env, 'query', url, r); continue; }
        // a variable given its keys one by one before: `data = data || {}; data.client_id = this.clientId; options.qs = data`
        const v = unwrap(a.right);
        if (v.type !== 'Identifier') continue;
        const keys = mutationsOf(v, this.facts.assignments).filter((m) => startOf(m.node) < startOf(a));
        const vnames = new Set(keys.map((m) => m.name));
        for (const m of keys) {
          if (!CRED_NAMES.test(m.name)) continue;
          const t = textOf(m.value, this.env);
          this.facts.params.push({ name: m.name, ...(t !== undefined ? { value: t } : {}), report: m.node.left, where: 'query', url, request: r, siblings: vnames, via: 'object' });
        }
      }
      const names = new Set(muts.map((a) => propName(a.left as TSESTree.MemberExpression) ?? ''));
      for (const a of muts) {
        const name = propName(a.left as TSESTree.MemberExpression);
        if (!name || !CRED_NAMES.test(name)) continue;
        const v = textOf(a.right, this.env);
        this.facts.params.push({ name, ...(v !== undefined ? { value: v } : {}), report: a.left, where: 'query', url, request: r, siblings: names, via: 'object' });
      }
    }
  }

  /** The file's identifiers of one name, in walk order (an index built on first use, not a scan of all per question). */
  idsNamed(name: string): readonly TSESTree.Identifier[] {
    if (!this.byName) {
      this.byName = new Map();
      for (const x of this.facts.identifiers) {
        const l = this.byName.get(x.name);
        if (l) l.push(x);
        else this.byName.set(x.name, [x]);
      }
    }
    return this.byName.get(name) ?? [];
  }

  pushedFragment(c: TSESTree.CallExpression) {
    const callee = unwrap(c.callee);
    if (callee.type !== 'MemberExpression' || !/^(push|unshift)$/.test(propName(callee) ?? '')) return;
    const arr = unwrap(callee.object);
    const b = arr.type === 'Identifier' ? resolveBinding(arr) : undefined;
    const init = b?.kind === 'var' && b.declarator.init ? unwrap(b.declarator.init) : undefined;
    if (init?.type !== 'ArrayExpression' || b?.kind !== 'var') return;
    const joined = this.usesOf(init).some((u) => {
      const m = u.parent;
      const j = m?.type === 'MemberExpression' && m.object === u && propName(m) === 'join' && m.parent?.type === 'CallExpression' ? m.parent.arguments[0] : undefined;
      return j?.type === 'Literal' && j.value === '&';
    });
    if (!joined) return;
    for (const a of c.arguments) {
      const x = unwrap(a as N);
      if (x.type !== 'Identifier' && x.type !== 'MemberExpression') continue; // written text is a string node already
      const alt = evalString(x, this.env)[0];
      const first = alt?.[0];
      if (!alt || first?.kind !== 'text' || first.file === this.env.filename) continue; // a constant of another file
      const ps = paramsInText(flatText(alt)).filter((q) => q.index === 0 && CRED_NAMES.test(q.name));
      for (const q of ps) {
        this.facts.params.push({ name: q.name, value: q.value.includes(HOLE) ? undefined : decodeSafe(q.value), report: x, where: 'query', url: { kind: 'unknown', text: '', path: '' }, siblings: new Set([q.name]), via: 'text' });
      }
    }
  }

  /** The places a value is used: itself, or the references of the const it initialises. */
  usesOf(n: N): N[] {
    const p = n.parent;
    if (p?.type !== 'VariableDeclarator' || p.init !== n || p.id.type !== 'Identifier') return [n];
    const name = p.id.name;
    const out: N[] = [];
    for (const x of this.idsNamed(name)) {
      if (x === p.id) continue;
      const b = resolveBinding(x);
      if (b?.kind === 'var' && b.declarator === p) out.push(x);
    }
    return out.length ? out : [n];
  }




  /** How a URLSearchParams variable is used: as a body, or in a URL (and which). */
  /** Where a parameter chain's value goes: kept in a variable (its uses), or handed as a request's `params` option. */
  chainUse(top: N): { where: Where; url?: UrlInfo; request?: RequestInfo } {
    const p = top.parent;
    if (p?.type === 'VariableDeclarator' && p.init === top && p.id.type === 'Identifier') return this.searchParamsUse(p.id);
    if (p?.type === 'AssignmentExpression' && p.right === top && p.left.type === 'Identifier') return this.searchParamsUse(p.left);
    if (p?.type === 'Property' && p.value === top && /^(params|searchParams|qs)$/.test(propName(p) ?? '')) return { where: 'query', request: this.requestAround(top) };
    return { where: 'unknown' };
  }

  searchParamsUse(target: N): { where: Where; url?: UrlInfo; request?: RequestInfo } {
    const name = (target as TSESTree.Identifier).name;
    let where: Where = 'unknown';
    let url: UrlInfo | undefined;
    let request: RequestInfo | undefined;
    this.idsNamed(name).forEach((n) => {
      if (n === target) return;
      if (isBodyPosition(n) || (n.parent?.type === 'Property' && /^(body|data|form)$/.test(propName(n.parent) ?? ''))) { where = 'body'; return; }
      const p = n.parent;
      if (p && (p.type === 'TemplateLiteral' || (p.type === 'BinaryExpression' && p.operator === '+') || (p.type === 'MemberExpression' && propName(p) === 'toString'))) {
        if (where !== 'body') where = 'query';
        url = this.urlAround(n);
      }
      if (p && p.type === 'Property' && /^(params|searchParams|qs)$/.test(propName(p) ?? '')) { if (where !== 'body') where = 'query'; const r = this.requestAround(n); if (r) { url = urlOf(requestUrl(r, this.env)); request ??= r; } }
      if (p && p.type === 'CallExpression' && this.requestByCall.has(p) && p.arguments[1] === n) { where = 'body'; }
    });
    return { where, url, request };
  }
}

/**
 * Is the string (within the expression that builds it) what a media element loads: `el.src = url`,
 * `el.setAttribute('src', url)`, `new Audio(url)`? The browser requests it (a prototype page under
 * `tests/` that plays a stream).
 */
function mediaSource(n: N): boolean {
  let x = n;
  while (x.parent && isStringBuild(x.parent)) x = x.parent;
  const p = x.parent;
  if (!p) return false;
  if (p.type === 'AssignmentExpression' && p.right === x) return p.left.type === 'MemberExpression' && propName(p.left) === 'src';
  if (p.type === 'NewExpression') return p.arguments[0] === x && nameOf(p.callee) === 'Audio';
  if (p.type !== 'CallExpression' || p.arguments[1] !== x) return false;
  const callee = unwrap(p.callee);
  const a0 = p.arguments[0];
  return callee.type === 'MemberExpression' && propName(callee) === 'setAttribute' && a0?.type === 'Literal' && a0.value === 'src';
}

/** What `x.toString()` or `String(x)` turns into text: `x`; undefined for any other node. */
function stringified(n: N | undefined): N | undefined {
  if (n?.type !== 'CallExpression') return undefined;
  if (n.arguments.length === 0 && n.callee.type === 'MemberExpression' && propName(n.callee) === 'toString') return n.callee.object as N;
  if (n.arguments.length === 1 && n.callee.type === 'Identifier' && n.callee.name === 'String') return n.arguments[0] as N;
  return undefined;
}

/** The variable a URL argument reads a URL object from: `u`, `u.toString()`, `u.href`, `String(u)`, `${u}`. */
function urlObjectRead(n: N): TSESTree.Identifier | undefined {
  let x = n;
  const s = stringified(x);
  if (s) x = unwrap(s);
  else if (x.type === 'MemberExpression' && propName(x) === 'href') x = unwrap(x.object);
  else if (x.type === 'TemplateLiteral' && x.expressions.length === 1 && x.quasis.every((q) => !q.value.raw)) x = unwrap(x.expressions[0] as N);
  return x.type === 'Identifier' ? x : undefined;
}

function usedInUrl(n: N): boolean {
  // `${params.toString()}`, `String(params)`: the same text as `${params}`
  let x = n;
  const up = x.parent;
  if (stringified(up) === x) x = up!;
  else if (up?.type === 'MemberExpression' && up.object === x && stringified(up.parent) === x) x = up.parent!;
  const p = x.parent;
  return !!p && (p.type === 'TemplateLiteral' || (p.type === 'BinaryExpression' && p.operator === '+') || (p.type === 'AssignmentExpression' && /\.search$/.test(nameOf(p.left))));
}

function isUrlSearchParams(target: N, e: Env): boolean {
  if (target.type !== 'Identifier') return false;
  const b = resolveBinding(target);
  if (b?.kind !== 'var' || !b.declarator.init) return false;
  const init = unwrap(b.declarator.init);
  void e;
  // (also Angular's HttpParams, immutable: `let p = new HttpParams(); p = p.set('client_id', id)`)
  return init.type === 'NewExpression' && (isUrlSearchParamsCtor(init.callee) || /(^|\.)HttpParams$/.test(nameOf(init.callee)));
}

/**
 * The chain a `.set(k, v)` / `.append(k, v)` call is part of when it starts at a new parameter
 * object (`new HttpParams().set('q', q).set('client_id', id)`): its outermost call and the keys it sets.
 */
function paramsChain(c: TSESTree.CallExpression): { top: N; keys: Set<string> } | undefined {
  const isLink = (x: N): x is TSESTree.CallExpression => x.type === 'CallExpression' && x.callee.type === 'MemberExpression' && /^(set|append)$/.test(propName(x.callee) ?? '');
  let root: N = c;
  while (isLink(root)) root = unwrap((root.callee as TSESTree.MemberExpression).object);
  if (root.type !== 'NewExpression' || !(isUrlSearchParamsCtor(root.callee) || /(^|\.)HttpParams$/.test(nameOf(root.callee)))) return undefined;
  let top: N = c;
  while (top.parent?.type === 'MemberExpression' && top.parent.object === top && top.parent.parent && isLink(top.parent.parent) && top.parent.parent.callee === top.parent) top = top.parent.parent;
  const keys = new Set<string>();
  for (let x: N = top; isLink(x); x = unwrap((x.callee as TSESTree.MemberExpression).object)) {
    const k = x.arguments[0];
    if (k?.type === 'Literal' && typeof k.value === 'string') keys.add(k.value);
  }
  return { top, keys };
}

function isFormData(target: N): boolean {
  if (target.type !== 'Identifier') return false;
  const b = resolveBinding(target);
  if (b?.kind !== 'var' || !b.declarator.init) return false;
  const init = unwrap(b.declarator.init);
  return init.type === 'NewExpression' && /FormData$/.test(nameOf(init.callee));
}

/** The merge calls of underscore / lodash / jQuery / Object (`_.extend(target, {...})`, `$.extend`, `Object.assign`, `_.defaults`). */
const MERGE_METHOD = /^(extend|assign|defaults|merge)$/;

/** In the two branches of one `if`: never both run. */
const TOKEN_KEY = /^(oauth_token|access_token)$/;

/**
 * Does `a` run only on some of the paths on which `b` runs: inside a branch of an `if`, a
 * conditional or a short-circuit (of the same function) that does not hold `b`?
 */
function onlySometimes(a: N, b: N): boolean {
  const holds = (x: N, y: N) => startOf(x) <= startOf(y) && endOf(y) <= endOf(x);
  for (let x: N = a; x.parent; x = x.parent) {
    const p: N = x.parent;
    if (p.type.includes('Function')) return false;
    if (holds(p, b)) return false;
    if ((p.type === 'IfStatement' && x !== p.test) || (p.type === 'ConditionalExpression' && x !== p.test) || (p.type === 'LogicalExpression' && x === p.right)) return true;
  }
  return false;
}

/** `a` sits in a branch of an if statement that ends in return or throw, and `b` comes after that statement in the same function: never both run. */
function exitsBefore(a: N, b: N): boolean {
  const fn = enclosingFunction(a);
  if (!fn || enclosingFunction(b) !== fn) return false;
  for (let x: N = a; x.parent && x.parent !== fn; x = x.parent) {
    const p: N = x.parent;
    if (p.type !== 'IfStatement' || x === p.test || startOf(b) < endOf(p)) continue;
    const last = x.type === 'BlockStatement' ? x.body[x.body.length - 1] : x;
    if (last?.type === 'ReturnStatement' || last?.type === 'ThrowStatement') return true;
  }
  return false;
}

/** The query option of request options: axios / got `params` / `searchParams`, request `qs`, ofetch `query`. */
const QUERY_OPTION = /^(params|qs|searchParams|query)$/;

/** `import ... from '@angular/common/http'` (an interceptor's HttpInterceptor, HttpInterceptorFn, HttpRequest). */
const importsAngularHttp = (s: N): boolean => s.type === 'ImportDeclaration' && s.source.value === '@angular/common/http';

/**
 * `req.clone({...})` where `req` is the request parameter of an interceptor (`intercept(req, next)`
 * of a class, or a functional `(req, next) => ...`): the name `req`.
 */
function interceptedClone(c: TSESTree.CallExpression): string | undefined {
  const callee = unwrap(c.callee);
  if (callee.type !== 'MemberExpression' || propName(callee) !== 'clone') return undefined;
  const req = unwrap(callee.object);
  if (req.type !== 'Identifier') return undefined;
  const b = resolveBinding(req);
  return b?.kind === 'param' && b.index === 0 && (b.fn as TSESTree.FunctionLike).params.length === 2 ? req.name : undefined;
}

/** The interceptor's clone whose `params` a chain of `set`/`append` on `req.params` builds: `req.clone({ params: req.params.set('client_id', id) })`. */
function paramsOfClone(c: TSESTree.CallExpression, req: string): TSESTree.CallExpression | undefined {
  let top: N = c;
  while (top.parent?.type === 'MemberExpression' && top.parent.object === top && top.parent.parent?.type === 'CallExpression' && top.parent.parent.callee === top.parent) top = top.parent.parent;
  const prop = top.parent;
  if (prop?.type !== 'Property' || prop.value !== top || propName(prop) !== 'params' || prop.parent?.type !== 'ObjectExpression') return undefined;
  const clone = prop.parent.parent;
  return clone?.type === 'CallExpression' && clone.arguments[0] === prop.parent && interceptedClone(clone) === req ? clone : undefined;
}

function exclusive(a: N, b: N): boolean {
  for (let p: N | undefined = a.parent; p; p = p.parent) {
    if (p.type === 'IfStatement' && p.alternate && startOf(p) <= startOf(b) && endOf(b) <= endOf(p)) {
      const inA = (x: N, branch: N) => startOf(branch) <= startOf(x) && endOf(x) <= endOf(branch);
      return (inA(a, p.consequent) && inA(b, p.alternate)) || (inA(a, p.alternate) && inA(b, p.consequent));
    }
    if (p.type.includes('Function')) return false;
  }
  return false;
}


export { STRING_EXPR, hasAuthorizationHeader };
export { isScParam, projectMentionsSoundCloud, isAuthorizeUrl, isTokenUrl } from './context.js';

/** `name += piece` as a statement: a variable grown by one more piece. */
function growthStatement(a: N | undefined): a is TSESTree.AssignmentExpression & { left: TSESTree.Identifier } {
  return a?.type === 'AssignmentExpression' && a.operator === '+=' && a.left.type === 'Identifier' && a.parent?.type === 'ExpressionStatement';
}

/** `u += piece` as a statement: the URL variable grown by one more piece, not read for use. */
const growsOn = (u: TSESTree.Identifier): boolean => growthStatement(u.parent) && u.parent.left === u;

/**
 * A read of a URL variable that hands the value on: an argument (`sm.on(url, cb)`), a property
 * value (`new Song({ url })`), a returned value, or the value assigned to a field (`audio.src = url`).
 */
function handedOn(u: TSESTree.Identifier): boolean {
  const p = u.parent;
  if (!p) return false;
  if ((p.type === 'CallExpression' || p.type === 'NewExpression') && p.arguments.includes(u)) return true;
  if (p.type === 'Property' && p.value === u) return true;
  if (p.type === 'ReturnStatement') return true;
  return p.type === 'AssignmentExpression' && p.operator === '=' && p.right === u && p.left.type === 'MemberExpression';
}

/** A name that is not a read: a property key (`{ url: x }`) or a member's property (`o.url`). */
function isKeyName(u: TSESTree.Identifier): boolean {
  const p = u.parent;
  return (p?.type === 'Property' && p.key === u && !p.computed && !p.shorthand) || (p?.type === 'MemberExpression' && p.property === u && !p.computed);
}
