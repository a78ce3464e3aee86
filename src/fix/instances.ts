/**
 * no-client-id-auth, server code: an axios instance whose defaults send the client_id with every
 * request, `const api = axios.create({ baseURL: 'https://api.soundcloud.com', params: { client_id } })`.
 * The key leaves the defaults and the instance gets a request interceptor that sets the app token
 * on every request it sends (axios waits for an async interceptor):
 *
 *   api.interceptors.request.use(async (config) => {
 *     config.headers.Authorization = 'OAuth ' + (await soundcloudAccessToken());
 *     return config;
 *   });
 *
 * Only on api.soundcloud.com (the private api-v2 takes no app token), for an instance declared by
 * a statement of its own (`const api = axios.create(...)`), in JavaScript (axios 0.x types make
 * `config.headers` optional in TypeScript).
 *
 * Browser ES modules (a React/Vue app's `api.js`, also a protocol-relative `//api.soundcloud.com`
 * base) get the same interceptor with the token from the app's backend route, asked for with the
 * client id the defaults carried: `await soundcloudAccessToken(CLIENT_ID)` from the generated
 * browser module (src/fix/browser-client.ts; no secret reaches the browser). A phone or desktop
 * shell without a full `--token-endpoint` keeps the marker.
 */
import type { TSESTree } from '@typescript-eslint/typescript-estree';
import { serverByDefaultInUiProject } from '../engine/analysis/browser.js';
import { classifyUrl } from '../engine/analysis/hosts.js';
import { evalString, findProp, flatText, nameOf, propName, unwrap } from '../engine/analysis/values.js';
import type { Finding, TextEdit } from '../engine/types.js';
import type { Provider } from './providers.js';
import { resolveBinding } from '../engine/analysis/scope.js';
import { traverseCollect } from '../engine/walk.js';
import { browserImportEdit, DEFAULT_TOKEN_ENDPOINT, idArgument, moduleStyleOf, shellWithoutRoute } from './browser-client.js';
import { atSite, bracedLike, clientImportEdit, eolOf, referencesTo, factsOf, findingsOf, insertProp, isBrowserCode, lineIndent, oauthHeaderValue, quoteOf, removePropertyEdits, removePropsEdits } from './rewrites.js';

type N = TSESTree.Node;

/** The indentation one level deeper than `indent`, in the file's unit (tab, 4 or 2 spaces). */
function deeper(text: string, indent: string): string {
  if (/^\t/m.test(text) && !/^ {2}\S/m.test(text)) return `${indent}\t`;
  return `${indent}${/^ {4}\S/m.test(text) && !/^ {2}\S/m.test(text) ? '    ' : '  '}`;
}

/** The finding's parameter as a key of a `params` object in an options object handed to a call: `f(..., { params: { <name>: v } })`. */
function paramsOption(facts: ReturnType<typeof factsOf>, f: Finding, name: string) {
  const sites = facts.params.filter((x) => x.name === name && atSite(f, x));
  const p = sites[0];
  const holder = p?.holder;
  const prop = holder?.parent;
  const opts = prop?.parent;
  const call = opts?.parent;
  if (!p || p.via !== 'object' || !holder || prop?.type !== 'Property' || propName(prop) !== 'params' || opts?.type !== 'ObjectExpression' || call?.type !== 'CallExpression') return undefined;
  const keyProp = (holder.properties as N[]).find((x): x is TSESTree.Property => x.type === 'Property' && x.key === p.report);
  return keyProp && keyProp.value.type !== 'AssignmentPattern' ? { sites, p, holder, prop, opts, call, keyProp } : undefined;
}

export const instanceDefaultsProvider: Provider = (ctx) => {
  if (!/\.(c|m)?jsx?$/i.test(ctx.filename)) return [];
  const browser = isBrowserCode(ctx);
  // browser: an ES module (the generated module is imported), never a shell without a route to ask,
  // and no soundcloudAccessToken of another module in the file
  const style = browser ? moduleStyleOf(ctx) : undefined;
  if (browser && (style !== 'esm' || shellWithoutRoute(ctx, ctx.tokenEndpoint) || /\bsoundcloudAccessToken\b/.test(ctx.text))) return [];
  // a module of a UI project that nothing marks as server code (a Nuxt / Next module also runs in the browser): no app credentials
  if (!browser && serverByDefaultInUiProject(ctx.filename, ctx.text, ctx.project)) return [];
  const facts = factsOf(ctx);
  const edits: TextEdit[] = [];
  for (const f of findingsOf(ctx, 'no-client-id-auth', browser ? 'clientIdBrowser' : 'clientId')) {
    const o = paramsOption(facts, f, 'client_id');
    if (!o) continue;
    const { sites, holder, prop, opts, call: create, keyProp } = o;
    if (create.arguments[0] !== opts || !/^axios\.create$/.test(nameOf(create.callee))) continue;
    // the instance's base, and every request of it seen here, is api.soundcloud.com
    const base = findProp(opts, 'baseURL');
    const hosts = base ? evalString(base, facts.env).map((a) => classifyUrl(flatText(a))) : [];
    if (!hosts.length || hosts.some((u) => u.kind !== 'sc' || u.host !== 'api.soundcloud.com')) continue;
    if (sites.some((s) => s.request && (s.url.kind !== 'sc' || s.url.host !== 'api.soundcloud.com'))) continue;
    const decl = create.parent;
    const stmt = decl?.parent;
    if (decl?.type !== 'VariableDeclarator' || decl.init !== create || decl.id.type !== 'Identifier' || stmt?.type !== 'VariableDeclaration' || stmt.declarations.length !== 1) continue;
    if (stmt.parent?.type !== 'Program' && stmt.parent?.type !== 'BlockStatement') continue;
    // the token goes with every request of the instance: each one must stay on api.soundcloud.com
    if (!instanceStaysOnApi(facts, decl)) continue;
    // the browser asks its backend for the token of the app whose client id the defaults carried
    const id = browser ? idArgument(ctx.text, keyProp.value, undefined) : '';
    if (id === undefined) continue;
    const removal = holder.properties.length === 1 ? removePropertyEdits(ctx.text, prop) : removePropsEdits(ctx.text, holder, [keyProp]);
    if (!removal.length) continue;
    const eol = eolOf(ctx.text);
    const indent = lineIndent(ctx.text, stmt.range[0]);
    const inner = deeper(ctx.text, indent);
    const q = quoteOf(ctx.text);
    const api = decl.id.name;
    const config = /\bconfig\b/.test(ctx.text.slice(stmt.range[0], stmt.range[1])) ? 'requestConfig' : 'config';
    const lines = [
      `${api}.interceptors.request.use(async (${config}) => {`,
      `${inner}${config}.headers.Authorization = ${q}OAuth ${q} + (await soundcloudAccessToken(${id}));`,
      `${inner}return ${config};`,
      '});',
    ];
    edits.push(...removal, { range: [stmt.range[1], stmt.range[1]], text: lines.map((l, i) => `${eol}${i === 0 || i === 3 ? indent : ''}${l}`).join('') });
  }
  if (!edits.length) return [];
  const imp = style ? browserImportEdit(ctx, style, ctx.tokenEndpoint ?? DEFAULT_TOKEN_ENDPOINT) : clientImportEdit(ctx);
  return [{ ruleId: 'no-client-id-auth', edits: imp ? [...edits, imp] : edits }];
};

const INSTANCE_METHODS = /^(get|delete|head|options|post|put|patch|request)$/;

/**
 * Every use of the instance in the file is a request of it (`api.get(url, ...)`, `api(url)`,
 * `api.request({ url })`, or its `interceptors`) whose URL is relative to its base or on
 * api.soundcloud.com: an absolute URL to another host, a URL the code does not show (a parameter
 * handed in), or the instance handed elsewhere (exported, passed on) would carry the app token
 * away from SoundCloud.
 */
function instanceStaysOnApi(facts: ReturnType<typeof factsOf>, decl: TSESTree.VariableDeclarator): boolean {
  const urlOk = (u: N | undefined): boolean => !!u && evalString(u, facts.env).every((alt) => {
    const first = alt[0];
    if (!first || first.kind !== 'text') return false;
    const url = classifyUrl(flatText(alt));
    return url.kind === 'relative' || (url.kind === 'sc' && url.host === 'api.soundcloud.com') || (url.kind === 'unknown' && !/^[\w+.-]*:|^\/\//.test(first.text));
  });
  for (const x of referencesTo(decl, facts)) {
    const p = x.parent;
    if (p?.type === 'CallExpression' && p.callee === x) { if (!urlOk(configUrl(p.arguments[0] as N | undefined))) return false; continue; }
    if (p?.type !== 'MemberExpression' || p.object !== x || p.computed) return false;
    const m = propName(p) ?? '';
    if (m === 'interceptors' || m === 'defaults') continue;
    const call = p.parent;
    if (!INSTANCE_METHODS.test(m) || call?.type !== 'CallExpression' || call.callee !== p) return false;
    if (!urlOk(m === 'request' ? configUrl(call.arguments[0] as N | undefined) : call.arguments[0] as N | undefined)) return false;
  }
  return true;
}

/** The URL of `api(url)` / `api({ url })`. */
function configUrl(a: N | undefined): N | undefined {
  const x = a && unwrap(a);
  return x?.type === 'ObjectExpression' ? findProp(x, 'url') : a;
}

const CONFIG_AT: Record<string, number> = { get: 1, delete: 1, head: 1, options: 1, post: 2, put: 2, patch: 2 };

/** `this.http` / `api` is an axios instance: assigned `axios.create(...)` (a class field, `this.http = ...`, or a const). */
function isAxiosInstance(x: N): boolean {
  const created = (v: N | null | undefined) => !!v && v.type === 'CallExpression' && /^axios\.create$/.test(nameOf(v.callee));
  if (x.type === 'Identifier') {
    const b = resolveBinding(x);
    return b?.kind === 'var' && !b.path.length && b.declKind === 'const' && created(b.declarator.init as N | null);
  }
  if (x.type !== 'MemberExpression' || x.computed || x.object.type !== 'ThisExpression') return false;
  const name = propName(x);
  let cls: N | undefined = x.parent;
  while (cls && cls.type !== 'ClassBody') cls = cls.parent;
  if (!cls || !name) return false;
  const values: (N | null | undefined)[] = [];
  for (const m of (cls as TSESTree.ClassBody).body) if (m.type === 'PropertyDefinition' && !m.static && propName(m) === name && m.value) values.push(m.value);
  traverseCollect(cls as never, (a: N) => {
    if (a.type === 'AssignmentExpression' && a.left.type === 'MemberExpression' && a.left.object.type === 'ThisExpression' && propName(a.left) === name) values.push(a.right);
  });
  return values.length > 0 && values.every(created);
}

/**
 * no-query-oauth-token: `this.http.get('/me', { params: { oauth_token: this.token } })` on an
 * axios instance (a class field or a const set by `axios.create`): the key leaves `params` and
 * the config sends the header (`params` holding only the token becomes `headers`).
 */
export const instanceCallProvider: Provider = (ctx) => {
  const facts = factsOf(ctx);
  const out: { ruleId: string; edits: TextEdit[] }[] = [];
  for (const f of findingsOf(ctx, 'no-query-oauth-token', 'query')) {
    const o = paramsOption(facts, f, 'oauth_token');
    if (!o || o.sites.some((s) => s.request)) continue;
    const { holder, prop, opts: cfg, call, keyProp } = o;
    if (call.callee.type !== 'MemberExpression' || call.callee.computed) continue;
    const method = propName(call.callee) ?? '';
    if (CONFIG_AT[method] === undefined || call.arguments[CONFIG_AT[method]!] !== cfg || !isAxiosInstance(call.callee.object)) continue;
    const value = oauthHeaderValue(ctx.text, keyProp.value as N);
    const headers = (cfg.properties as N[]).find((x): x is TSESTree.Property => x.type === 'Property' && propName(x) === 'headers');
    const auth = `Authorization: ${value}`;
    let edits: TextEdit[];
    if (headers) {
      if (headers.value.type !== 'ObjectExpression') continue;
      edits = [...removePropsEdits(ctx.text, holder, [keyProp]), insertProp(ctx.text, headers.value, auth)];
      if (holder.properties.length === 1) edits = [...removePropertyEdits(ctx.text, prop), insertProp(ctx.text, headers.value, auth)];
    } else if (holder.properties.length === 1) edits = [{ range: prop.range, text: `headers: ${bracedLike(ctx.text, holder, auth)}` }];
    else edits = [...removePropsEdits(ctx.text, holder, [keyProp]), insertProp(ctx.text, cfg, `headers: ${bracedLike(ctx.text, cfg, auth)}`)];
    out.push({ ruleId: 'no-query-oauth-token', edits });
  }
  return out;
};
