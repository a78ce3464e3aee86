import { createRule } from '../../src/engine/create-rule.js';
import { fileFacts, siteOf, isAuthorizeUrl, isScParam, isTokenUrl, hasAuthorizationHeader, type FileFacts } from '../../src/engine/analysis/facts.js';
import { reporter, sdkCall, sdkCallsOf, SDK_DATA_CALLS } from '../../src/engine/analysis/report.js';
import { assignedBefore, evalString, resolveFunction, findProp, flatText, nameOf, plainText, propName, bindingSpecifier, resolveExpression, resolveModule, resolveObject, unwrap, type Env } from '../../src/engine/analysis/values.js';
import { NOT_API_CLIENT, requestOf, type RequestInfo, scPackageImports, authorizationExcludes, headersWriteAuthorization, optionsCarryAuthorization } from '../../src/engine/analysis/requests.js';
import { enclosingFunction, resolveBinding } from '../../src/engine/analysis/scope.js';
import type { TSESTree } from '@typescript-eslint/typescript-estree';
import { packageOf, runsInBrowser } from '../../src/engine/analysis/browser.js';
import { API_URL_FIELD, inCode } from '../../src/engine/analysis/context.js';
import { leadingTemplateExpression, markupUrls, pageText } from '../../src/engine/analysis/markup.js';
import { locator } from '../../src/engine/lines.js';
import { API_V2_RE, PRIVATE_HOST_RE } from '../../src/engine/analysis/hosts.js';
import { stringBuildOf } from '../../src/engine/analysis/strings.js';
import type { Node } from '../../src/engine/types.js';
import type { ProjectContext } from '../../src/engine/project.js';
import { projectFiles } from '../../src/engine/analysis/project-facts.js';
import { importersOf } from '../../src/engine/analysis/usage.js';
import { ensureParents, traverseCollect } from '../../src/engine/walk.js';
import { dirname, resolve as resolvePath } from 'node:path';
import { startOf, endOf } from '../../src/engine/offsets.js';

const CLIENT_ID_KEY = /^client_?id$/i;
/** Keys that give a client package more than the client id: it can get or hold a token. */
const PACKAGE_AUTH_KEY = /^(client_?secret|secret|oauth_?token|access_?token|token|redirect_?uri)$/i;
/** The setup call of a client package object: `SC.init({ id, secret, uri })` (node-soundcloud). */
const PACKAGE_SETUP = /^(init|initialize|config|configure|setup)$/;
/** A client id handed to a package constructor as its only argument: `new Resolver(process.env.SC_CONSUMER_KEY)`. */
/** Packages whose own function takes the client id as its first argument: `resolve(clientId, pageUrl, cb)` of soundcloud-resolve. */
const POSITIONAL_ID_PACKAGE = /^soundcloud-resolve$/;
const CLIENT_ID_NAME = /(client_?id|consumer_?key|client_?key|api_?key)$/i;
/** The public API's host in a text (not `api-v2.soundcloud.com`, not another `*.api.soundcloud.com`). */
const PUBLIC_HOST = /(?<![\w.-])api\.soundcloud\.com/i;

/**
 * A request to the next page of a private API listing: its URL is read from a response's
 * `next_href` (which keeps the host of the first page) in a function that names the private API's
 * host and not the public one (`while (res.data.next_href) res = await axios.get(res.data.next_href, { params: { client_id } })`).
 */
function nextPageOfPrivateApi(urlNode: TSESTree.Node | undefined, src: string, literals: readonly { node: TSESTree.Node; text: string }[], hosts: readonly string[] = []): boolean {
  // next_href, or the app's own name for it (`options.nextHref`, handed on from the previous page)
  if (!urlNode || !/\bnext_?href\b/i.test(src.slice(startOf(urlNode), endOf(urlNode)))) return false;
  const fn = enclosingFunction(urlNode);
  // the hosts of the function's literals, and of its other client_id URLs (`${baseURL}/tracks` with a module constant)
  const texts = [...literals.filter((l) => !fn || (startOf(l.node) >= startOf(fn) && endOf(l.node) <= endOf(fn))).map((l) => l.text), ...hosts];
  return texts.some((t) => API_V2_RE.test(t)) && !texts.some((t) => PUBLIC_HOST.test(t));
}

/**
 * The module names the private API's host and never the public one (`api.soundcloud.com`): a
 * client_id URL of no known host there (`HLSformats[q].url + '?client_id=' + id`, a media format
 * of a track it fetched from api-v2) is one of the private API's URLs.
 */
const onlyPrivateHost = (src: string, literals?: readonly { text: string }[]) => inCode(src, (t) => API_V2_RE.test(t))
  // the public host in a string of the code (the comment filter can be misled by quotes in a regex
  // literal: a marker of fix, `use api.soundcloud.com`, must not make the module name the public API)
  && !(inCode(src, (t) => PUBLIC_HOST.test(t)) && (!literals || literals.some((l) => PUBLIC_HOST.test(l.text))));

/**
 * The URL is handed straight to a request helper the app imports from a module of its own whose
 * only SoundCloud host is the private API's (`requestSoundCloud(\`users/${id}?client_id=${key}\`)` with
 * `fetch(API_V2_BASE + path)` there).
 */
function privateHelperCall(report: TSESTree.Node, env: Env): boolean {
  let x: TSESTree.Node = report;
  while (x.parent && x.parent.type !== 'CallExpression' && /^(TemplateLiteral|BinaryExpression|TemplateElement|Literal)$/.test(x.parent.type)) x = x.parent;
  const call = x.parent;
  if (call?.type !== 'CallExpression' || !call.arguments.includes(x as TSESTree.CallExpressionArgument) || !env.project) return false;
  const callee = unwrap(call.callee as Node) as TSESTree.Node;
  const id = callee.type === 'Identifier' ? callee : callee.type === 'MemberExpression' && callee.object.type === 'Identifier' ? callee.object : undefined;
  const file = id && importedModule(id, env.project, env.filename);
  if (!file) return false;
  // (every client_id handed to the same helper asks the same question of its module)
  const key = `private-only-module:${file}`;
  let only = env.project.cache.get(key) as boolean | undefined;
  if (only === undefined) {
    const text = env.project.readFile(file);
    env.project.cache.set(key, (only = !!text && onlyPrivateHost(text)));
  }
  return only;
}

/** The app's own module (a relative import or require) that an identifier is bound to, as a file. */
function importedModule(id: TSESTree.Identifier, project: ProjectContext, file: string): string | undefined {
  const spec = bindingSpecifier(resolveBinding(id), false);
  return spec?.startsWith('.') ? resolveModule(project, file, spec) : undefined;
}

/** The hosts of the other client_id sites of the function holding `n`. */
function hostsOfFunction(n: TSESTree.Node | undefined, params: readonly { name: string; url: { host?: string }; report: TSESTree.Node }[]): string[] {
  const fn = n && enclosingFunction(n);
  if (!fn) return [];
  return params.flatMap((p) => (p.name === 'client_id' && p.url.host && startOf(p.report) >= startOf(fn) && endOf(p.report) <= endOf(fn) ? [`https://${p.url.host}`] : []));
}

/**
 * A URL of a track's `media.transcodings` (`${t.url}?client_id=${id}`, with `t` taken from them,
 * or a value named for one, `${transcodingUrl}?client_id=${id}`):
 * only the private API's track objects have transcodings, and their URLs are api-v2 media URLs.
 */
function transcodingUrl(urlNode: TSESTree.Node | undefined, src: string, calls?: readonly TSESTree.CallExpression[]): boolean {
  if (!urlNode) return false;
  const TRANSCODINGS = /\btranscodings\b/;
  // or named for one: `${transcodingUrl}?client_id=${id}`
  if (/transcoding/i.test(src.slice(startOf(urlNode), endOf(urlNode)))) return true;
  const parts = urlNode.type === 'TemplateLiteral' ? urlNode.expressions : urlNode.type === 'BinaryExpression' ? [urlNode.left, urlNode.right] : [urlNode];
  return parts.some((e) => {
    let x = e as TSESTree.Node;
    while (x.type === 'MemberExpression') x = x.object;
    if (x.type !== 'Identifier') return false;
    const b = resolveBinding(x);
    const init = b?.kind === 'var' ? b.declarator.init : undefined;
    // or a parameter typed as one: `(media: Transcoding, clientID: string) => appendURL(media.url, ...)`
    const type = b?.kind === 'param' ? (b.node as { typeAnnotation?: TSESTree.Node }).typeAnnotation : undefined;
    return !!init && TRANSCODINGS.test(src.slice(startOf(init), endOf(init))) || !!type && /\bTranscoding\b/.test(src.slice(startOf(type), endOf(type)))
      // or a parameter every call of the function in this file hands a transcoding's URL: `playlistUrl(id, hls.url)`
      || (b?.kind === 'param' && x === e && !!calls && paramGetsTranscoding(b.node as TSESTree.Node, src, calls));
  });
}

/** Every call of the function declaring `param` (by its name, in this file) passes a transcoding URL at its position (and there is one). */
function paramGetsTranscoding(param: TSESTree.Node, src: string, calls: readonly TSESTree.CallExpression[]): boolean {
  const fn = param.parent;
  if (!fn || !fn.type.includes('Function')) return false;
  const i = (fn as TSESTree.FunctionLike).params.indexOf(param as TSESTree.Parameter);
  const holder = fn.parent;
  const name = fn.type === 'FunctionDeclaration' ? fn.id?.name : holder?.type === 'VariableDeclarator' && holder.id.type === 'Identifier' ? holder.id.name : undefined;
  if (i < 0 || !name) return false;
  const args = calls.filter((c) => c.callee.type === 'Identifier' && c.callee.name === name).map((c) => c.arguments[i] as TSESTree.Node | undefined);
  return args.length > 0 && args.every((a) => !!a && transcodingUrl(a, src));
}

/**
 * The URL a helper call appends the client id to (`appendURL(options.nextHref, 'client_id', id)`),
 * or the base of the axios instance whose `params` defaults hold it (`axios.create({ baseURL, params: { client_id } })`).
 */
function urlOfSite(p: { via: string; report: TSESTree.Node; holder?: TSESTree.ObjectExpression }): TSESTree.Node | undefined {
  // a URL written as text: the whole expression it is part of (`${res.next_href}&client_id=${ID}`, stored for the next call)
  if (p.via === 'text') return stringBuildOf(p.report);
  const call = p.report.parent;
  if (p.via === 'helper' && call?.type === 'CallExpression' && call.arguments[0] !== p.report) return call.arguments[0] as TSESTree.Node;
  const opts = instanceDefaults(p.holder);
  return opts && findProp(opts, 'baseURL') as TSESTree.Node | undefined;
}

/** The defaults of an HTTP client instance whose `params` a parameter is written in: `axios.create({ baseURL, params: { client_id } })`. */
function instanceDefaults(holder: TSESTree.ObjectExpression | undefined): TSESTree.ObjectExpression | undefined {
  const params = holder?.parent;
  const opts = params?.type === 'Property' && propName(params) === 'params' ? params.parent : undefined;
  const create = opts?.parent;
  return opts?.type === 'ObjectExpression' && create?.type === 'CallExpression' && create.arguments[0] === opts && /(^|\.)create$/.test(nameOf(create.callee)) ? opts : undefined;
}

/** The object of `axios.defaults.params = {...}` (also an instance's defaults). */
function globalDefaultParams(holder: TSESTree.ObjectExpression | undefined): boolean {
  const a = holder?.parent;
  if (a?.type !== 'AssignmentExpression' || a.right !== holder || a.left.type !== 'MemberExpression' || propName(a.left) !== 'params') return false;
  const d = unwrap(a.left.object);
  return d.type === 'MemberExpression' && propName(d) === 'defaults';
}

/** An Authorization header written into an HTTP client's defaults: `axios.defaults.headers.common.Authorization = ...`, `.defaults.headers = { Authorization }`. */
const DEFAULT_AUTH_HEADER = /\.defaults\s*\.\s*headers\b[^;\n]*\bAuthorization\b|\.defaults\s*\.\s*headers(?:\s*\.\s*common)?\s*=\s*\{[^}]*\bAuthorization\b/;

/** An argument that names the user's OAuth token: `oauthToken`, `this.accessToken`, `token`. */
const TOKEN_ARG = /^(oauth_?token|access_?token|auth_?token|user_?token|token)$/i;

/**
 * Is the URL text holding the parameter handed, as an argument, to a call that is not a known
 * request and that also gets a token argument (`send(method, url, body, this.oauthToken)`), directly
 * or through the `const` it initialises?
 */
function handedWithToken(report: TSESTree.Node, facts: FileFacts): boolean {
  const x = stringBuildOf(report);
  // the token itself, or options whose headers write an Authorization (`ipcFetch(url, { headers: { Authorization: ... } })`)
  const withToken = (call: TSESTree.Node | undefined, arg: TSESTree.Node) => call?.type === 'CallExpression' && call.arguments.some((a) => {
    if (a === arg || a.type === 'SpreadElement') return false;
    const o = unwrap(a as Node);
    return TOKEN_ARG.test(lastName(a)) || (o.type === 'ObjectExpression' && headersWriteAuthorization({ node: o, env: facts.env }));
  });
  // (through a `const` only inside a function, as the token and the sender are a method's locals)
  if (x.parent?.type === 'VariableDeclarator' && !enclosingFunction(x.parent)) return false;
  return facts.usesOf(x as Node).some((u: Node) => withToken((u as TSESTree.Node).parent, u as TSESTree.Node));
}

/**
 * A URL (or the query object of a URL builder: `withQuery(url, { client_id })`) handed to the app's
 * own sender, whose every request of that argument writes an Authorization header in its options
 * (`const appFetch = (url, o) => fetch(url, { headers: { authorization: token } })`; not a header set
 * under a condition, which the sender's callers may not meet): the client id is not the only
 * credential. Up through at most four calls (the builders between).
 */
function sentByAuthorizingWrapper(report: TSESTree.Node, facts: FileFacts): boolean {
  let x = report;
  for (let calls = 0; x.parent && calls < 4;) {
    const up: TSESTree.Node = x.parent;
    if (up.type === 'Property' || up.type === 'ObjectExpression' || up.type === 'TemplateLiteral' || (up.type === 'BinaryExpression' && up.operator === '+')) { x = up; continue; }
    if (up.type !== 'CallExpression' || up.callee === x) return false;
    calls++;
    if (requestOf(up, facts.env)) return false;
    const f = resolveFunction(up.callee as Node, facts.env);
    const param = f?.fn.params[up.arguments.indexOf(x as TSESTree.CallExpressionArgument)];
    if (f && param?.type === 'Identifier' && f.fn.body) {
      const sent: boolean[] = [];
      traverseCollect(f.fn.body as Node, (n) => {
        if (n.type !== 'CallExpression') return;
        const r = requestOf(n as TSESTree.CallExpression, f.env);
        const u = r?.urlNode && unwrap(r.urlNode);
        if (u?.type === 'Identifier' && u.name === param.name) sent.push(writesAuthorization(r!));
      });
      if (sent.length) return sent.every(Boolean);
    }
    x = up;
  }
  return false;
}

/** Does an options object of the request write the header as a literal (`{ headers: { Authorization: ... } }`)? */
const writesAuthorization = (r: RequestInfo): boolean => r.options.some((o) => {
  const h = findProp(o.node, 'headers');
  const x = h && unwrap(h as Node);
  return x?.type === 'ObjectExpression' && x.properties.some((p) => p.type === 'Property' && /^authorization$/i.test(propName(p) ?? ''));
});

/** The last name of an identifier or a member chain: `token`, `this.oauthToken` -> `oauthToken` (also with a fallback: `token || ''`, `token ?? ''`). */
function lastName(a: TSESTree.Node): string {
  let u = unwrap(a as Node) as TSESTree.Node;
  if (u.type === 'LogicalExpression' && u.operator !== '&&') u = unwrap(u.left as Node) as TSESTree.Node;
  if (u.type === 'Identifier') return u.name;
  return u.type === 'MemberExpression' && !u.computed ? propName(u) ?? '' : '';
}

/** The private API's host written in the site's base or helper URL: a literal, or a constant holding one. */
function namesPrivateHost(urlNode: TSESTree.Node | undefined, env: Env): boolean {
  return !!urlNode && evalString(urlNode as Node, env).some((a) => API_V2_RE.test(flatText(a)));
}

/**
 * A `consumer_key` of SoundCloud's: on a URL of its host, or on a URL of no known host in a file
 * that writes (or builds) the API's host itself and names no other provider (`url += 'consumer_key=' + key`
 * in a loader whose callers hand it `https://api.soundcloud.com/resolve?url=...`, or on a track's
 * `stream_url`). Naming SoundCloud is not enough: other OAuth 1 APIs send consumer_key too.
 */
const consumerKeyOfSc = (p: { url: { kind: string } }, facts: Pick<FileFacts, 'otherProvider' | 'literals' | 'allStrings'>) =>
  p.url.kind === 'sc' || (p.url.kind === 'unknown' && !facts.otherProvider && (facts.literals.some((l) => PUBLIC_HOST.test(l.text))
    // (or builds it: `'https://api.' + domain + '/resolve?url='` with `domain = 'soundcloud.com'`)
    || facts.allStrings.some((s) => s.url.kind === 'sc' && PUBLIC_HOST.test(s.url.host ?? ''))));

/** Client packages of the private API (api-v2): `new Soundcloud(clientId)` of soundcloud.ts. */
const PRIVATE_API_PACKAGE = /^soundcloud\.ts$/;

const TOKEN_PARAMS = new Set(['oauth_token', 'access_token']);

/** The statement a node is written in, when no condition (`a ? b : c`, `a && b`) lies on the way up to it. */
function unconditionalStatement(n: Node): Node | undefined {
  for (let x: Node | undefined = n.parent; x; x = x.parent) {
    if (x.type === 'ConditionalExpression' || x.type === 'LogicalExpression' || x.type.includes('Function')) return undefined;
    if (x.type.endsWith('Statement') || x.type === 'VariableDeclaration') return x;
  }
  return undefined;
}

/** Two parameters written in one statement with no condition between them: one request sends both. */
function sentTogether(a: Node, b: Node): boolean {
  const s = unconditionalStatement(a);
  return !!s && s === unconditionalStatement(b);
}
const AUTH_SIBLINGS = ['response_type', 'redirect_uri', 'grant_type', 'client_secret', 'code', 'oauth_token', 'access_token', 'code_challenge'];

export default createRule({
  id: 'no-client-id-auth',
  gate: /client_?id|clientid|client-id|consumer_?key|\bSC\b|(?:from|require\s*\(|import\s*\()\s*['"`][^'"`\n]*soundcloud['"`]|api(?:-v2)?\.soundcloud|[?&]client/i,
  description: 'Public resources need a client_credentials token in the Authorization header; ?client_id= alone is refused.',
  severity: 'error',
  fixKind: 'suggest',
  // the private API (api-v2) has no supported migration: those findings are left for a person
  fixKinds: { clientIdPrivate: 'manual', sdk: 'manual' },
  messages: {
    clientId: 'Request authenticated only by ?client_id=: SoundCloud now requires `Authorization: OAuth <token>`. Get a client_credentials token with your client secret (sc-migrate/runtime caches and refreshes it) and send it in the header.',
    clientIdBrowser: 'Request authenticated only by ?client_id=: SoundCloud now requires `Authorization: OAuth <token>`, and this code runs in a browser, where no client secret may go. Get an app token from your own backend (a token route: createTokenEndpoint of sc-migrate/runtime holds the secret) and send it in the header, or let the backend make the request.',
    clientIdPrivate: 'Request to a private API of the SoundCloud web app (api-v2, api-widget, api-mobi) authenticated by ?client_id=: no app token works there and it has no supported migration (see no-private-api-v2). Move the feature to the public API (api.soundcloud.com) with an app token, or drop it.',
    sdk: 'SC.initialize({ client_id }) with SDK data calls: the old SDK authenticates them with ?client_id= only, which SoundCloud refuses.',
    package: "The SoundCloud client package '{{name}}' is given only a client id: it sends ?client_id= alone on its requests, which SoundCloud refuses. Give it an app token (client_credentials, sent in the Authorization header) or call the API with one.",
  },
  create(context) {
    const report = reporter(context);
    return {
      'Program:exit'() {
        const facts = fileFacts(context);
        let browser: boolean | undefined;
        let privateModule: boolean | undefined;
        // one finding a site: a URL template reached by two flows (a request, and a string handed on) is one place to change
        const reported = new Set<number>();
        for (const p of facts.params) {
          // `consumer_key`: the client id's name in the API's first (OAuth 1) years, still sent by
          // old code; asked only of a URL that names the API's host (other OAuth 1 APIs use it too),
          // or of a URL of no known host (a helper's parameter, a track's `stream_url`) in a file
          // that names SoundCloud and no other provider
          if ((p.name !== 'client_id' && !(p.name === 'consumer_key' && consumerKeyOfSc(p, facts))) || p.where !== 'query' || !isScParam(p, facts)) continue;
          if (isAuthorizeUrl(p.url) || isTokenUrl(p.url)) continue;
          if (AUTH_SIBLINGS.some((s) => p.siblings.has(s))) continue;
          // ...also a token the same request sends from another object (superagent's `.query({ client_id }).query({ oauth_token })`)
          if (p.request && facts.params.some((q) => q.request === p.request && TOKEN_PARAMS.has(q.name) && q.where === 'query' && sentTogether(p.report, q.report))) continue;
          // ...unless the header is only set when the parameter is not (`if (token) headers.Authorization = ...; else url += '&client_id=' + id`)
          if (p.request && hasAuthorizationHeader(p.request) && !authorizationExcludes(p.request, p.report)) continue;
          if (p.helperRequest && hasAuthorizationHeader(p.helperRequest)) continue;
          // the instance's defaults send the header too: `axios.create({ params: { client_id }, headers: { Authorization } })`
          const defaults = !p.request && instanceDefaults(p.holder);
          if (defaults && optionsCarryAuthorization({ node: defaults, env: facts.env })) continue;
          // ...or the global defaults do: `axios.defaults.params = { client_id }` beside `axios.defaults.headers.common.Authorization = ...`
          if (!p.request && globalDefaultParams(p.holder) && DEFAULT_AUTH_HEADER.test(context.sourceCode.text)) continue;
          // a URL handed to the app's own sender together with the user's token (an IPC bridge:
          // `electronAPI.scWrite(method, url, body, this.oauthToken)`): that call authenticates it
          if (p.via === 'text' && !p.request && handedWithToken(p.report, facts)) continue;
          // ...or to the app's own sender, which always sends an Authorization header
          if (!p.request && sentByAuthorizingWrapper(p.report, facts)) continue;
          // a fragment constant of this module that every request reading it sends with the header
          if (p.via === 'text' && !p.request && fragmentOnlyAuthorized(p, facts)) continue;
          // the private API takes no app token: its own message (and one marker with no-private-api-v2)
          const site = siteOf(p);
          const at = startOf(site);
          if (reported.has(at)) continue;
          reported.add(at);
          const siteUrl = p.url.host ? undefined : urlOfSite(p);
          const privateUrl = (u: TSESTree.Node | undefined) => nextPageOfPrivateApi(u, context.sourceCode.text, facts.literals, hostsOfFunction(u, facts.params)) || transcodingUrl(u, context.sourceCode.text, facts.calls);
          if ((p.url.host && PRIVATE_HOST_RE.test(p.url.host)) || (!p.url.host && (privateUrl(p.request?.urlNode as TSESTree.Node | undefined) || privateUrl(siteUrl) || namesPrivateHost(siteUrl, facts.env) || (privateModule ??= onlyPrivateHost(context.sourceCode.text, facts.literals)) || privateHelperCall(p.report, facts.env)))) report(site, 'clientIdPrivate');
          else report(site, (browser ??= runsInBrowser(context.filename, context.sourceCode.text, facts.project)) ? 'clientIdBrowser' : 'clientId');
        }
        // new SoundCloud({ CLIENT_ID }) of soundcloud-api-client, resolve({ url, client_id }) of
        // soundcloud-resolve-jsonp, new Resolver(CLIENT_ID) of soundcloud-resolver, and the setup
        // call of a package object: SC.init({ id }) of node-soundcloud; and players given a client
        // id: new SoundCloudAudio(clientId) of soundcloud-audio resolves and streams with it
        const packages = scPackageImports(facts.ast, true, facts.calls);
        // the package's own repository requiring it by its name (Node's self-reference, its
        // examples): its request code is in this tree and reports itself there
        const own = packages.size ? packageOf(context.filename, facts.project)?.name : undefined;
        if (typeof own === 'string') for (const [local, spec] of packages) if (spec === own) packages.delete(local);
        if (packages.size) {
          for (const n of [...facts.news, ...facts.calls]) {
            const callee = unwrap(n.callee);
            const setup = callee.type === 'MemberExpression' && PACKAGE_SETUP.test(propName(callee) ?? '');
            let root = setup ? unwrap((callee as TSESTree.MemberExpression).object) : callee;
            // the package object kept on a field of a service class: `this.api = SC; this.api.init({ id })`
            if (setup && root.type === 'MemberExpression' && unwrap(root.object).type === 'ThisExpression') {
              const held = resolveExpression(root, facts.env);
              const v = held && unwrap(held.node as TSESTree.Node);
              if (v?.type === 'Identifier') root = v;
            }
            if (root.type === 'Identifier' && !packages.has(root.name)) root = interopAlias(root, packages) ?? root;
            const pkg = root.type === 'Identifier' ? packages.get(root.name) : undefined;
            const b = pkg && resolveBinding(root as TSESTree.Identifier);
            if (!b || (b.kind !== 'import' && b.kind !== 'var') || !n.arguments[0]) continue;
            // a package of the private API (soundcloud.ts: api-v2 with a scraped client id) takes no app token
            if (packageGetsClientIdOnly(n, setup, facts.env, pkg)) report(n, PRIVATE_API_PACKAGE.test(pkg) ? 'clientIdPrivate' : 'package', { name: pkg });
            // set up with the app's secret and redirect URI too, but no module of the project ever
            // gets or hands it a token: its data calls (`SC.get('/tracks')`) go out with ?client_id= alone
            // (here, or in the modules that require this setup module for the object it exports: `SC.init({...}); module.exports = SC`)
            else if (setup && setupWithAppKeysOnly(n, facts.env)
              && (packageDataCalls(facts.calls, (root as TSESTree.Identifier).name) || (exportsSdk(facts.ast, n as TSESTree.CallExpression) && importersCallExported(facts.project, context.filename)))
              && !projectGetsPackageToken(facts.project, pkg, context.filename, context.sourceCode.text, facts.properties)) report(n, 'package', { name: pkg });
            // constructed with them (`new SC({ client_id, client_secret, redirect_uri })`) and its
            // data calls made on the instance, or on the client it hands out without a token
            // (`sc.client().get('/tracks')` of soundcloud-nodejs-api-wrapper)
            else if (n.type === 'NewExpression' && setupWithAppKeysOnly(n, facts.env, true)
              && constructedClients(n, facts.calls).some((name) => packageDataCalls(facts.calls, name))
              && !projectGetsPackageToken(facts.project, pkg, context.filename, context.sourceCode.text, facts.properties)) report(n, 'package', { name: pkg });
          }
        }
        // react-soundplayer's containers (`<SoundPlayerContainer clientId={id} streamUrl=...>`, a
        // component wrapped by its withSoundCloudAudio) resolve and stream with ?client_id= alone
        if (context.sourceCode.text.includes('react-soundplayer')) for (const a of soundPlayerClientIds(facts.ast)) report(a, 'package', { name: 'react-soundplayer' });
        // a Gatsby source plugin given a client id only in gatsby-config.js (`{ resolve: 'gatsby-source-soundcloud',
        // options: { userID, clientID } }`): it fetches the user's tracks at build time with ?client_id= alone
        if (GATSBY_CONFIG.test(context.filename)) for (const [site, name] of sourcePluginClientIds(facts.properties)) report(site, 'package', { name });
        const sdkCalls = sdkCallsOf(facts);
        // SC.initialize({ client_id }) alone, then SDK data calls: in this file, or (the SDK is one
        // global object) in another module of the project: the app's SoundCloud setup module and
        // the modules that use it. Calls made once the user is connected carry the user's token.
        let dataCalls: boolean | undefined;
        let connects: Set<TSESTree.CallExpression> | undefined;
        for (const [c, m] of sdkCalls) {
          if (m !== 'initialize' || !c.arguments[0]) continue;
          // `options = { oauth_token }` just before a second set-up replaces the first set-up's options
          const arg = unwrap(c.arguments[0] as Node);
          const o = resolveObject((arg.type === 'Identifier' && assignedBefore(arg)) || arg, facts.env);
          // a token beside the client id (`oauth_token`, or `access_token` of SDK 3) authenticates the calls
          if (o?.kind === 'object') {
            const id = findProp(o.node, 'client_id');
            // (`SC.initialize({ client_id: null })` of a log-out: no credential set up)
            if (!id || noValue(id) || findProp(o.node, 'oauth_token') || findProp(o.node, 'access_token')) continue;
          } else if (!checkedForClientId(arg, context.sourceCode.text) && !constructedWithClientId(arg, facts.env)) continue;
          // a module that drives no login (no SC.connect) sets the shared global up for the app's
          // data calls, also those of a module that repeats the same client-id-only setup
          // (connect() also on a field that holds the SDK: `this.SC.connect().then(() => this.SC.get('/me'))`)
          connects ??= new Set(sdkCalls.filter(([, cm]) => cm === 'connect').map(([cc]) => cc));
          dataCalls ??= sdkCalls.some(([d, dm]) => SDK_DATA_CALLS.has(dm) && !afterConnect(d, undefined, connects) && !onlyCalledAfterConnect(d, facts.calls, context.sourceCode.text, connects!) && !carriesToken(d, context.sourceCode.text)) || (!PAGE_FILE.test(facts.env.filename)
            ? projectSdkDataCalls(facts.project, facts.env.filename, exportsSdk(facts.ast, c), !sdkCalls.some(([, cm]) => cm === 'connect'))
            // a page's own scripts (`<script src="js/services.js">`) share its SC object
            : !sdkCalls.some(([, cm]) => cm === 'connect') && pageScripts(facts.project, facts.env.filename).some((f) => publicSdkCalls(facts.project, f)));
          if (dataCalls) report(c, 'sdk');
        }
        // A page's markup: `<source src="<%= stream_url %>?client_id=...">` of a template block,
        // `<img src="https://api.soundcloud.com/...?client_id=...">`: the browser fetches it with the client id only.
        const page = pageText(context);
        let at: ReturnType<typeof locator> | undefined;
        for (const u of page ? markupUrls(page, 'html', /[?&]client_id=/) : []) {
          if (/[?&](?:oauth_token|access_token)=/.test(u.text)) continue;
          const lead = leadingTemplateExpression(u.text);
          if (lead ? !API_URL_FIELD.test(lead) : !/^\s*(?:https?:)?\/\/api(?:-v2)?\.soundcloud\.com[/?]/i.test(u.text)) continue;
          const m = /[?&]client_id=([A-Za-z0-9]{16,64})(?=[&#]|$)/.exec(u.text);
          if (!m) continue;
          const start = u.start + m.index + m[0].length - m[1]!.length;
          at ??= locator(page!);
          report({ range: [start, start + m[1]!.length], loc: { start: at(start), end: at(start + m[1]!.length) } }, API_V2_RE.test(u.text) ? 'clientIdPrivate' : 'clientIdBrowser');
        }
      },
    };
  },
});

const SOUND_PLAYER = /^react-soundplayer(?:\/|$)/;

/**
 * The `clientId` props given to react-soundplayer's components: JSX elements named by an import
 * from the package (`react-soundplayer/addons`, `/components`), or by a variable holding one of its
 * `withSoundCloudAudio(Component)` wrappers.
 */
function soundPlayerClientIds(ast: TSESTree.Program): TSESTree.JSXAttribute[] {
  const names = new Set<string>();
  const hocs = new Set<string>();
  for (const st of ast.body) {
    if (st.type !== 'ImportDeclaration' || !SOUND_PLAYER.test(st.source.value)) continue;
    for (const sp of st.specifiers) {
      const imported = sp.type === 'ImportSpecifier' && sp.imported.type === 'Identifier' ? sp.imported.name : '';
      (imported === 'withSoundCloudAudio' ? hocs : names).add(sp.local.name);
    }
  }
  if (!names.size && !hocs.size) return [];
  const out: TSESTree.JSXAttribute[] = [];
  const elements: TSESTree.JSXOpeningElement[] = [];
  traverseCollect(ast as unknown as Node, (n) => {
    const x = n as unknown as TSESTree.Node;
    if (x.type === 'JSXOpeningElement') elements.push(x);
    // `const Player = withSoundCloudAudio(Controls)`, `export default withSoundCloudAudio(Controls)` is the component's own file
    else if (x.type === 'VariableDeclarator' && x.id.type === 'Identifier' && x.init?.type === 'CallExpression' && x.init.callee.type === 'Identifier' && hocs.has(x.init.callee.name)) names.add(x.id.name);
  });
  for (const el of elements) {
    if (el.name.type !== 'JSXIdentifier' || !names.has(el.name.name)) continue;
    for (const a of el.attributes) if (a.type === 'JSXAttribute' && a.name.type === 'JSXIdentifier' && a.name.name === 'clientId') out.push(a);
  }
  return out;
}

/** Keys that hand a client package a user's token (the app's secret and redirect URI only prepare a login). */
const PACKAGE_TOKEN_KEY = /^(oauth_?token|access_?token|token)$/i;
/** The request methods of a client package object: `SC.get('/tracks', params, cb)`. */
/** (`getAsync`: the method as bluebird's `Promise.promisifyAll(SC)` adds it beside the callback one) */
const PACKAGE_DATA_CALL = /^(get|post|put|delete|del|request)(Async)?$/;
/** What a module writes to get a token through a client package or hand one to it. */
const PACKAGE_TOKEN_TEXT = /\.(authorize|getConnectUrl|getToken|getAccessToken|setToken|setAccessToken|exchange_token)\s*\(|\baccess_?token\s*[:=]|\baccessToken\b|\boauth_?token\b/i;

/**
 * A setup call given the client id beside the app's secret or redirect URI, and no token. A
 * constructor needs the redirect URI (`login`): set up for a user's login, which no package
 * completes alone (given only the secret, a package may get its own app token).
 */
function setupWithAppKeysOnly(n: TSESTree.CallExpression | TSESTree.NewExpression, env: Env, login = false): boolean {
  const o = resolveObject(n.arguments[0] as Node, env);
  if (o?.kind !== 'object') return false;
  const keys = o.node.properties.flatMap((p) => (p.type === 'Property' ? [propName(p) ?? ''] : []));
  return keys.some((k) => CLIENT_ID_KEY.test(k) || k === 'id') && !keys.some((k) => PACKAGE_TOKEN_KEY.test(k)) && (!login || keys.some((k) => /^redirect_?ur[il]$/i.test(k)));
}

/** The method of a client package instance that hands out its request client: `sc.client()`. */
const PACKAGE_CLIENT_FACTORY = /^(client|createClient|getClient)$/;

/** The variable a value is kept in (`var sc = <value>`, `sc = <value>`). */
function keptIn(x: Node): string | undefined {
  let e: Node = x;
  while (e.parent && (e.parent.type === 'TSAsExpression' || e.parent.type === 'TSNonNullExpression' || (e.parent.type as string) === 'ParenthesizedExpression')) e = e.parent as Node;
  const p = e.parent;
  if (p?.type === 'VariableDeclarator' && p.init === e && p.id.type === 'Identifier') return p.id.name;
  if (p?.type === 'AssignmentExpression' && p.right === e && p.left.type === 'Identifier') return p.left.name;
  return undefined;
}

/**
 * The names a constructed package instance is called through: its variable, and the variables of
 * the request clients it hands out with no token (`sc.client()`, `(new SC({...})).client()`).
 */
function constructedClients(n: TSESTree.NewExpression, calls: readonly TSESTree.CallExpression[]): string[] {
  const names: string[] = [];
  const own = keptIn(n);
  if (own) names.push(own);
  for (const c of calls) {
    const callee = unwrap(c.callee);
    if (callee.type !== 'MemberExpression' || !PACKAGE_CLIENT_FACTORY.test(propName(callee) ?? '') || !c.arguments.every((a) => noCredential(a as Node))) continue;
    const object = unwrap(callee.object);
    if (object !== n && !(own && object.type === 'Identifier' && object.name === own)) continue;
    const held = keptIn(c);
    if (held) names.push(held);
  }
  return names;
}

/** Does the file call a request method on the package object bound to `name`? */
function packageDataCalls(calls: readonly TSESTree.CallExpression[], name: string): boolean {
  return calls.some((c) => {
    const callee = unwrap(c.callee);
    return callee.type === 'MemberExpression' && unwrap(callee.object).type === 'Identifier' && (unwrap(callee.object) as TSESTree.Identifier).name === name && PACKAGE_DATA_CALL.test(propName(callee) ?? '');
  });
}

/**
 * Does any module of the project that names the package, or that imports the setup module, get a
 * token through it or hand it one (`SC.authorize(code)`, `SC.getConnectUrl()`, `SC.setToken(t)`,
 * `accessToken: t`)? The package object is one shared instance: the login may live in another
 * module than the setup, also behind the app's own wrapper of it.
 */
function projectGetsPackageToken(project: ProjectContext, pkg: string, file: string, own: string, properties: readonly TSESTree.Property[]): boolean {
  if (ownGetsPackageToken(own, properties)) return true;
  if (importersOf(project, file).some((f) => PACKAGE_TOKEN_TEXT.test(project.readFile(f) ?? ''))) return true;
  // the modules that name the package and write a token (the module itself was asked above, by its tree)
  const key = `package-token:${pkg}`;
  let hits = project.cache.get(key) as string[] | undefined;
  if (hits === undefined) {
    hits = projectFiles(project).filter((f) => { const t = project.readFile(f); return !!t && (t.includes(`'${pkg}'`) || t.includes(`"${pkg}"`)) && PACKAGE_TOKEN_TEXT.test(t); });
    project.cache.set(key, hits);
  }
  return hits.some((f) => f !== file);
}

/** Every match of PACKAGE_TOKEN_TEXT (matchAll works on its own copy of a global regex). */
const PACKAGE_TOKEN_ALL = new RegExp(PACKAGE_TOKEN_TEXT.source, 'gi');

/** The secrets of OAuth 1.0a credentials: `new Twit({ consumer_key, consumer_secret, access_token, access_token_secret })`. */
const OAUTH1_SECRET_KEY = /^(access_?token_?secret|consumer_?secret|token_?secret)$/i;

/**
 * PACKAGE_TOKEN_TEXT in the module itself, where its tree is at hand: an `access_token:` key of
 * another service's OAuth 1.0a credentials (a bot that posts to Twitter what it reads from
 * SoundCloud) is no token of the SoundCloud package.
 */
function ownGetsPackageToken(text: string, properties: readonly TSESTree.Property[]): boolean {
  for (const m of text.matchAll(PACKAGE_TOKEN_ALL)) {
    if (!/^access_?token/i.test(m[0])) return true;
    const at = m.index;
    const key = properties.find((p) => startOf(p) === at);
    const object = key?.parent;
    if (object?.type !== 'ObjectExpression' || !object.properties.some((p) => p.type === 'Property' && OAUTH1_SECRET_KEY.test(propName(p) ?? ''))) return true;
  }
  return false;
}

/** Is a client package given a client id and nothing that gets or holds a token? */
/** An argument that passes no credential: `undefined`, `null`, an options object without token/secret keys (or a choice of these). */
function noCredential(x: Node): boolean {
  const a = unwrap(x);
  if (a.type === 'Identifier') return a.name === 'undefined';
  if (a.type === 'Literal') return a.value === null;
  if (a.type === 'ConditionalExpression') return noCredential(a.consequent as Node) && noCredential(a.alternate as Node);
  if (a.type === 'ObjectExpression') return a.properties.every((p) => p.type === 'Property' && !PACKAGE_AUTH_KEY.test(propName(p) ?? '') && !/token|secret/i.test(propName(p) ?? ''));
  return false;
}

/**
 * The package's constructor under another name, from the ESM/CommonJS interop idiom:
 * `const Soundcloud = (SoundcloudModule as any).default || SoundcloudModule` (also `??`, or
 * `.default` alone), where SoundcloudModule is the package's import.
 */
function interopAlias(id: TSESTree.Identifier, packages: Map<string, string>): TSESTree.Identifier | undefined {
  const b = resolveBinding(id);
  if (!b || b.kind !== 'var' || b.declKind !== 'const' || b.path.length || !b.declarator.init) return undefined;
  const init = unwrap(b.declarator.init as Node);
  const parts = init.type === 'LogicalExpression' && (init.operator === '||' || init.operator === '??') ? [init.left, init.right] : [init];
  for (const part of parts) {
    let x = unwrap(part as Node);
    if (x.type === 'MemberExpression' && propName(x) === 'default') x = unwrap(x.object as Node);
    if (x.type === 'Identifier' && packages.has(x.name)) return x;
  }
  return undefined;
}

function packageGetsClientIdOnly(n: TSESTree.CallExpression | TSESTree.NewExpression, setup: boolean, env: Env, pkg: string): boolean {
  const arg = n.arguments[0] as Node;
  // a package function that takes the client id first: soundcloud-resolve's `resolve(clientId, pageUrl, cb)`
  if (n.type === 'CallExpression' && !setup && POSITIONAL_ID_PACKAGE.test(pkg) && n.arguments.length >= 2) {
    const a = unwrap(arg);
    return a.type !== 'ObjectExpression' && a.type !== 'SpreadElement' && !/token|secret/i.test(nameOf(a));
  }
  const o = resolveObject(arg, env);
  if (o?.kind === 'object') {
    const keys = o.node.properties.flatMap((p) => (p.type === 'Property' ? [propName(p) ?? ''] : []));
    // node-soundcloud names the client id `id` in its setup call
    const isId = (k: string) => CLIENT_ID_KEY.test(k) || (setup && k === 'id');
    return keys.some(isId) && !keys.some((k) => PACKAGE_AUTH_KEY.test(k));
  }
  // a constructor or setup call given the client id alone (later arguments, if any, carry no credential:
  // `new Soundcloud(clientId, undefined, useProxy ? { proxy } : undefined)` of soundcloud.ts,
  // `sc.init(process.env.SC_CLIENT_ID)` of soundclouder, whose full form adds the secret and redirect URI)
  if ((n.type !== 'NewExpression' && !setup) || !n.arguments.length || !n.arguments.slice(1).every((x) => noCredential(x as Node))) return false;
  const a = unwrap(arg);
  if (a.type === 'Literal') return typeof a.value === 'string' && /^[A-Za-z0-9]{20,40}$/.test(a.value);
  return CLIENT_ID_NAME.test(nameOf(a));
}

const GATSBY_CONFIG = /(^|[/\\])gatsby-config\.[cm]?[jt]s$/;
/** A Gatsby source plugin of the SoundCloud API (`gatsby-source-soundcloud`; not a player's or an embed's). */
const SC_SOURCE_PLUGIN = /^gatsby-source-[\w-]*soundcloud[\w-]*$/i;

/**
 * The client-id options of the SoundCloud source plugins a Gatsby config lists
 * (`{ resolve: 'gatsby-source-soundcloud', options: { userID: '1', clientID: '...' } }`, also nested
 * in the options), when the options hold no token or secret: each key's property, and the plugin's name.
 */
function sourcePluginClientIds(properties: readonly TSESTree.Property[]): [TSESTree.Node, string][] {
  const out: [TSESTree.Node, string][] = [];
  for (const p of properties) {
    if (propName(p) !== 'resolve' || p.parent?.type !== 'ObjectExpression') continue;
    const name = plainText(unwrap(p.value as Node)) ?? '';
    if (!SC_SOURCE_PLUGIN.test(name) || NOT_API_CLIENT.test(name.replace(/^gatsby-source-/, ''))) continue;
    const options = findProp(p.parent, 'options');
    const o = options && unwrap(options as Node);
    if (o?.type !== 'ObjectExpression') continue;
    // also in the queries a plugin of the project's own takes (`queries: [{ path, queryParams: { client_id } }]`)
    const ids: TSESTree.Property[] = [];
    let auth = false;
    traverseCollect(o as Node, (q) => {
      if (q.type !== 'Property') return;
      const k = propName(q) ?? '';
      if (CLIENT_ID_KEY.test(k)) ids.push(q);
      else if (PACKAGE_AUTH_KEY.test(k)) auth = true;
    });
    if (!auth) for (const id of ids) out.push([id, name]);
  }
  return out;
}

/**
 * Does an SDK data call carry the user's token itself: `SC.get('/me/activities?oauth_token=' + token)`,
 * `SC.get('/me', { oauth_token: token })`? The client id the SDK adds is then not its only credential.
 */
function carriesToken(call: TSESTree.CallExpression, src: string): boolean {
  return call.arguments.slice(0, 2).some((a) => /\b(oauth_?token|access_?token)\b/.test(src.slice(startOf(a), endOf(a))));
}

/**
 * Does an SDK call run only once the user is connected: inside the callback of `SC.connect(cb)`,
 * or in a `.then` of the chain that starts at `SC.connect()`? `sdkObject` also names the SDK
 * object where it is imported from the app's own setup module.
 */
function afterConnect(call: TSESTree.CallExpression, sdkObject?: (id: TSESTree.Identifier) => boolean, connects?: ReadonlySet<TSESTree.Node>): boolean {
  const isConnect = (c: TSESTree.CallExpression): boolean => {
    if (sdkCall(c) === 'connect' || connects?.has(c)) return true;
    const callee = unwrap(c.callee);
    if (!sdkObject || callee.type !== 'MemberExpression' || propName(callee) !== 'connect') return false;
    const obj = unwrap(callee.object);
    return obj.type === 'Identifier' && sdkObject(obj);
  };
  for (let n: TSESTree.Node | undefined = call; n?.parent; n = n.parent) {
    const p: TSESTree.Node = n.parent;
    if ((n.type !== 'FunctionExpression' && n.type !== 'ArrowFunctionExpression') || p.type !== 'CallExpression' || !p.arguments.includes(n)) continue;
    // SC.connect(cb), or SC.connect().then(f).then(g): walk down the chain to its first call
    let c: TSESTree.Node = p;
    while (c.type === 'CallExpression') {
      if (isConnect(c)) return true;
      const callee = unwrap(c.callee);
      if (callee.type !== 'MemberExpression' || !['then', 'catch', 'finally'].includes(propName(callee) ?? '')) break;
      c = unwrap(callee.object);
    }
  }
  return false;
}

/**
 * A data call inside a helper of the file that only the connect callback calls: `var Profile = { load:
 * function (id) { SC.get(...) } }` with `Profile.load(me.id)` only in `SC.connect(function () {...})`
 * (also a function declaration, or such a helper's helper). Every use of the helper's name in the text
 * must be one of those calls (one that is handed on, exported or bound elsewhere is not followed).
 */
function onlyCalledAfterConnect(call: TSESTree.CallExpression, calls: readonly TSESTree.CallExpression[], text: string, connects: ReadonlySet<TSESTree.Node>, depth = 0): boolean {
  const fn = enclosingFunction(call);
  if (!fn || depth > 2) return false;
  const p = fn.parent;
  let name: string | undefined;
  // a class's method, called on the instance (`this.getUpdates()`, `self.getUpdates()` of `var self = this`)
  let method = false;
  if (fn.type === 'FunctionDeclaration') name = fn.id?.name;
  else if (p?.type === 'VariableDeclarator' && p.init === fn && p.id.type === 'Identifier') name = p.id.name;
  else if (p?.type === 'Property' && p.value === fn && p.parent?.type === 'ObjectExpression' && p.parent.parent?.type === 'VariableDeclarator' && p.parent.parent.id.type === 'Identifier') name = `${p.parent.parent.id.name}.${propName(p) ?? ''}`;
  else if (p?.type === 'MethodDefinition' && p.value === fn && p.kind === 'method' && !p.static && !p.computed && p.key.type === 'Identifier') { name = p.key.name; method = true; }
  if (!name || name.endsWith('.')) return false;
  const onInstance = (c: TSESTree.CallExpression) => {
    const callee = unwrap(c.callee);
    if (callee.type !== 'MemberExpression' || callee.computed || propName(callee) !== name) return false;
    const o = unwrap(callee.object);
    return o.type === 'ThisExpression' || o.type === 'Identifier';
  };
  const uses = calls.filter(method ? onInstance : (c) => nameOf(unwrap(c.callee)) === name);
  if (!uses.length) return false;
  const escaped = name.replace(/[$.]/g, (ch) => `\\${ch}`);
  // (a method: every mention but its definition is one of those calls, none hands the method on)
  const mentions = text.match(new RegExp(method ? `(?<![\\w$])${escaped}(?![\\w$])` : `(?<![\\w$.])${escaped}(?![\\w$])`, 'g'))?.length ?? 0;
  // the name's own declaration (a function, variable or method) is one more mention; an object's key is written `load:`
  if (mentions !== uses.length + (name.includes('.') ? 0 : 1)) return false;
  return uses.every((u) => afterConnect(u, undefined, connects) || onlyCalledAfterConnect(u, calls, text, connects, depth + 1));
}

const SDK_DATA_TEXT = /\.(get|put|post|delete|stream|resolve)(Async)?\s*\(/;

/** `null`, `undefined`: a key written with no value (an empty string is a config template's blank the user fills in). */
const noValue = (v: TSESTree.Node): boolean => {
  const x = unwrap(v as Node) as TSESTree.Node;
  return (x.type === 'Literal' && x.value === null && x.raw === 'null') || (x.type === 'Identifier' && x.name === 'undefined');
};

/**
 * A page or server template: the SDK global of its scripts lives in that page, shared with the
 * scripts it loads, not with the project's other pages and modules.
 */
const PAGE_FILE = /\.(html?|hbs|handlebars|ejs|njk|liquid|twig|erb|php)$/i;

/** The SDK's data calls in a module's text: `SC.get(`, or a `soundcloud` import and a data call. */
const SDK_TEXT = /\bSC\.(get|put|post|delete|stream|resolve)\s*\(|(require\(\s*|from\s+)['"](?:npm:)?soundcloud['"]/;
/** A module that loads the npm SDK package. */
const SDK_PACKAGE_TEXT = /(?:require\(\s*|from\s+)['"](?:npm:)?soundcloud['"]/;

/** Does a module with no SC.initialize of its own make SDK data calls outside a connect callback? */
function publicSdkCalls(project: ProjectContext, f: string, onObject?: (id: TSESTree.Identifier) => boolean, sharedSetup = false): boolean {
  const text = project.readFile(f);
  if (!text || !SDK_DATA_TEXT.test(text)) return false;
  // a minified copy of the SDK itself (or another bundle): not the app's calls, and not scanned
  if (text.length > 4096 && text.length / text.split('\n').length > 300) return false;
  const mod = project.loadModule(f);
  if (!mod) return false;
  ensureParents(mod.ast);
  let own = false;
  let found = false;
  traverseCollect(mod.ast as Node, (n) => {
    if (own || n.type !== 'CallExpression') return;
    const m = sdkCall(n);
    // its own setup configures its calls, unless (sharedSetup) it is the same client-id-only setup
    if (m === 'initialize') { if (!sharedSetup || !clientIdOnlySetup(n)) own = true; return; }
    if (found) return;
    const callee = unwrap(n.callee);
    if (callee.type !== 'MemberExpression' || !SDK_DATA_CALLS.has((propName(callee) ?? '').replace(/Async$/, ''))) return;
    const obj = unwrap(callee.object);
    const sdk = m !== undefined || (!!onObject && obj.type === 'Identifier' && onObject(obj));
    if (sdk && !afterConnect(n, onObject)) found = true;
  });
  return found && !own;
}

/**
 * Does another module of the project make SDK data calls outside a connect callback, with no
 * SC.initialize of its own (its calls are configured there; but where both load the `soundcloud`
 * package, one object, also after its own client-id-only setup): on the SDK itself (the SC global,
 * the `soundcloud` package; found once per project), or, when `file` is the app's setup module
 * that exports the initialised SDK, on what its importers take from it? Asked only for a file
 * with SC.initialize({ client_id }) alone and no such call of its own; the text decides first.
 */
function projectSdkDataCalls(project: ProjectContext, file: string, exported: boolean, sharedSetup = false): boolean {
  let calls = project.cache.get('sdk-global-calls') as { global: string[]; pkg: string[] } | undefined;
  if (!calls) {
    calls = { global: [], pkg: [] };
    for (const f of projectFiles(project)) {
      const t = PAGE_FILE.test(f) ? undefined : project.readFile(f);
      if (!t || !SDK_TEXT.test(t)) continue;
      if (publicSdkCalls(project, f)) calls.global.push(f);
      // the npm package is one object in the whole bundle: a module's data calls after its own
      // client-id-only setup go out as the other modules' same setup leaves them
      else if (SDK_PACKAGE_TEXT.test(t) && publicSdkCalls(project, f, undefined, true)) calls.pkg.push(f);
    }
    project.cache.set('sdk-global-calls', calls);
  }
  if (calls.global.some((f) => f !== file)) return true;
  if (calls.pkg.some((f) => f !== file) && SDK_PACKAGE_TEXT.test(project.readFile(file) ?? '')) return true;
  // a script that sets the global up with the client id alone, loaded by a page beside another
  // script that repeats that setup before its data calls: both configure the same SC object
  if (sharedSetup) {
    const beside = scriptsBeside(project, file);
    if (beside.some((f) => f !== file && SDK_TEXT.test(project.readFile(f) ?? '') && publicSdkCalls(project, f, undefined, true))) return true;
  }
  return exported && importersCallExported(project, file);
}

/** Does a module importing `file` make data calls on the object `file` exports (the SDK, a client package object set up there)? */
function importersCallExported(project: ProjectContext, file: string): boolean {
  return importersOf(project, file).some((f) => publicSdkCalls(project, f, (id) => importedModule(id, project, f) === file));
}

/** `<script src>` of a page, relative to it (no URL with a scheme or host). */
const PAGE_SCRIPT_SRC = /<script\b[^>]*?\ssrc\s*=\s*["']([^"'?#]+)/gi;

/** The scripts a page loads by a relative `<script src>` (no URL with a scheme or host). */
function pageScripts(project: ProjectContext, page: string): string[] {
  const text = project.readFile(page);
  if (!text) return [];
  const dir = dirname(page);
  return [...text.matchAll(PAGE_SCRIPT_SRC)].map((m) => m[1]!).filter((src) => !/^([a-z][a-z0-9+.-]*:|\/\/)/i.test(src)).map((src) => resolvePath(dir, src));
}

/** The scripts that the project's HTML pages load beside `file` (pages that load it by a relative `<script src>`). */
function scriptsBeside(project: ProjectContext, file: string): string[] {
  let pages = project.cache.get('page-scripts') as string[][] | undefined;
  if (!pages) {
    pages = [];
    for (const page of projectFiles(project)) {
      if (!/\.html?$/i.test(page)) continue;
      const text = project.readFile(page);
      if (!text || !/<script\b[^>]*\ssrc/i.test(text)) continue;
      const srcs = pageScripts(project, page);
      if (srcs.length > 1) pages.push(srcs);
    }
    project.cache.set('page-scripts', pages);
  }
  const norm = resolvePath(file);
  return pages.filter((srcs) => srcs.includes(norm)).flat();
}

/**
 * Options the code cannot see (an app config read at run time, `SC.initialize(settings)` with
 * `settings = ENV.Soundcloud`) that the function checks for a client id and never reads a token of
 * (`if (!settings || !settings.client_id) return reject('No settings')`): client-id-only options.
 */
function checkedForClientId(arg: Node, text: string): boolean {
  if (arg.type !== 'Identifier') return false;
  // the function the name is declared in (the set-up may sit in a callback further in)
  const b = resolveBinding(arg);
  const fn = b?.kind === 'var' ? enclosingFunction(b.declarator) : b?.kind === 'param' ? b.fn : undefined;
  if (!fn) return false;
  const body = text.slice(startOf(fn), endOf(fn));
  const name = arg.name.replace(/\$/g, '\\$');
  return new RegExp(`\\b${name}\\s*\\.\\s*client_id\\b`).test(body) && !new RegExp(`\\b${name}\\s*\\.\\s*(?:oauth_token|access_token)\\b`).test(body);
}

/**
 * Options built by a class of the app (`new ScInitOptions(this.config.clientId, redirectUri)`, in a
 * class field or a variable; the class itself is often out of reach, behind a path alias): a client
 * id among the constructor's arguments and no token.
 */
function constructedWithClientId(arg: Node, env: Env): boolean {
  const v = resolveExpression(arg, env);
  const x = v && unwrap(v.node);
  if (x?.type !== 'NewExpression') return false;
  const names = x.arguments.map((a) => nameOf(unwrap(a as Node)) ?? '');
  return names.some((n) => /(?:^|\.)client_?id$/i.test(n)) && !names.some((n) => /token/i.test(n));
}

/** SC.initialize({ client_id, ... }) written as an object with a client id and no token: the setup the rule reports. */
function clientIdOnlySetup(init: TSESTree.CallExpression): boolean {
  const o = init.arguments[0] ? unwrap(init.arguments[0] as TSESTree.Node) : undefined;
  if (o?.type !== 'ObjectExpression') return false;
  const keys = o.properties.map((p) => (p.type === 'Property' ? propName(p) : undefined));
  return keys.includes('client_id') && !keys.some((k) => k === undefined || k === 'oauth_token' || k === 'access_token');
}

/**
 * A query fragment kept in a constant of this module that it does not export (`const KEY = '?client_id='
 * + ID`), every read of which is written into the URL of a request that also sends an Authorization
 * header (`fetch(API + '/me' + KEY, { headers: { Authorization: 'OAuth ' + token } })`): the client id
 * is never the only credential.
 */
function fragmentOnlyAuthorized(p: FileFacts['params'][number], facts: FileFacts): boolean {
  const x = stringBuildOf(p.report);
  const d = x.parent;
  if (d?.type !== 'VariableDeclarator' || d.init !== x || d.parent?.type !== 'VariableDeclaration' || d.parent.kind !== 'const' || d.parent.parent?.type !== 'Program') return false;
  // (usesOf: the constant's references, or the value itself when nothing reads it)
  const reads = facts.usesOf(x as Node);
  if (reads[0] === x) return false;
  return reads.every((i) => facts.params.some((q) => q !== p && q.name === p.name && q.request && startOf(q.report) <= startOf(i) && endOf(i) <= endOf(q.report)
    && hasAuthorizationHeader(q.request) && !authorizationExcludes(q.request, q.report)));
}

/** Does the module export the SDK object it initialises (`export default SC`, `module.exports = SC`)? */
function exportsSdk(ast: TSESTree.Program, init: TSESTree.CallExpression): boolean {
  const callee = unwrap(init.callee);
  const name = callee.type === 'MemberExpression' ? nameOf(callee.object) : '';
  return ast.body.some((st) => (st.type === 'ExportDefaultDeclaration' && nameOf(st.declaration as Node) === name)
    || (st.type === 'ExpressionStatement' && st.expression.type === 'AssignmentExpression' && nameOf(st.expression.left) === 'module.exports' && nameOf(st.expression.right) === name));
}
