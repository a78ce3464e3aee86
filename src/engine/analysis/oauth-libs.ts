/**
 * OAuth libraries configured for SoundCloud (issue 10, item 7): the option objects of
 * simple-oauth2, client-oauth2, @badgateway/oauth2-client, openid-client, next-auth / Auth.js
 * providers, passport strategies (passport-oauth2, passport-soundcloud), node-oauth's
 * `new OAuth2(id, secret, baseSite, authorizePath, accessTokenPath)` and grant / hello.js-style
 * provider tables. Gives each one's authorize and token URLs (also written as host + path), scopes,
 * PKCE setting and client-authentication method, and whether it is SoundCloud's.
 */
import type { TSESTree } from '@typescript-eslint/typescript-estree';
import type { FileFacts } from './facts.js';
import { authJsProject, insidePackage } from './browser.js';
import { classifyUrl } from './hosts.js';
import { resolveBinding } from './scope.js';
import { evalString, findProp, flatText, importedFrom, nameOf, propName, resolveObject, unwrap, type Env, type Str } from './values.js';

type N = TSESTree.Node;

export type OAuthLib = 'simple-oauth2' | 'client-oauth2' | 'oauth2-client' | 'openid-client' | 'next-auth' | 'passport' | 'passport-soundcloud' | 'node-oauth' | 'table';

export interface UrlOption { key: N; value: N; alts: Str[]; env: Env; text: string }

export interface OAuthConfig {
  lib: OAuthLib;
  /** The constructor / factory call or the provider object. */
  node: N;
  options?: TSESTree.ObjectExpression;
  env: Env;
  authorize?: UrlOption;
  token?: UrlOption;
  /** true: PKCE on; false: off or absent where the library has a switch; undefined: unknown. */
  pkce?: boolean;
  /** `authorizationMethod: 'body'`, `authenticationMethod: 'client_secret_post'`, `token_endpoint_auth_method`. */
  authMethod?: { key: N; value: string };
  /** scope / scopes options. */
  scopes: { key: N; values: string[] }[];
  /** The class is for client_credentials only (simple-oauth2 ClientCredentials). */
  clientCredentials: boolean;
  sc: boolean;
}

const AUTHORIZE_KEYS = ['authorizationURL', 'authorizationUri', 'authorizationUrl', 'authorizationEndpoint', 'authorization_endpoint', 'authorizeUrl', 'authorize_url', 'authorizeURL', 'authorization', 'auth'];
const TOKEN_KEYS = ['tokenURL', 'tokenUrl', 'accessTokenUri', 'accessTokenUrl', 'tokenEndpoint', 'token_endpoint', 'access_url', 'accessUrl', 'token', 'grant'];

const ENDPOINT_KEYS: ReadonlySet<string> = new Set([...AUTHORIZE_KEYS, ...TOKEN_KEYS, 'oauth']);

const CTOR_LIB: [RegExp, OAuthLib][] = [
  [/^(ClientOAuth2|ClientOauth2)$/, 'client-oauth2'],
  [/^(AuthorizationCode|ClientCredentials|ResourceOwnerPassword)$/, 'simple-oauth2'],
  [/^OAuth2Client$/, 'oauth2-client'],
  [/^(Issuer|Client)$|\.Client$/, 'openid-client'],
  [/^SoundCloudStrategy$|^SoundcloudStrategy$/, 'passport-soundcloud'],
  [/Strategy$/, 'passport'],
];

function urlOption(obj: TSESTree.ObjectExpression, env: Env, keys: string[]): UrlOption | undefined {
  for (const k of keys) {
    const p = obj.properties.find((x) => x.type === "Property" && propName(x) === k) as TSESTree.Property | undefined;
    if (!p) continue;
    let v = p.value as N;
    let venv = env;
    const o = resolveObject(v, env);
    if (o?.kind === 'object') { const u = findProp(o.node, 'url'); if (!u) continue; v = u; venv = o.env; }
    const alts = evalString(v, venv);
    const text = alts.map(flatText).find((t) => /^(https?:)?\/\//.test(t)) ?? flatText(alts[0] ?? []);
    if (!/^(https?:)?\/\//.test(text)) continue;
    return { key: p.key, value: v, alts, env: venv, text };
  }
  return undefined;
}

/** simple-oauth2's `auth: { tokenHost, tokenPath, authorizeHost, authorizePath }`. */
function hostPathOptions(auth: TSESTree.ObjectExpression, env: Env): { authorize?: UrlOption; token?: UrlOption } {
  const text = (k: string) => { const v = findProp(auth, k); return v ? { v, alts: evalString(v, env) } : undefined; };
  const host = text('tokenHost');
  const out: { authorize?: UrlOption; token?: UrlOption } = {};
  const join = (h: typeof host, pathKey: string, dflt: string): UrlOption | undefined => {
    if (!h) return undefined;
    const path = text(pathKey);
    const prop = auth.properties.find((x) => x.type === "Property" && propName(x) === (path ? pathKey : 'tokenHost')) as TSESTree.Property;
    const t = flatText(h.alts[0] ?? []).replace(/\/$/, '') + (path ? flatText(path.alts[0] ?? []) : dflt);
    return { key: prop.key, value: path?.v ?? h.v, alts: path ? [[...(h.alts[0] ?? []), ...(path.alts[0] ?? [])]] : h.alts, env, text: t };
  };
  out.token = join(host, 'tokenPath', '/oauth/token');
  out.authorize = join(text('authorizeHost') ?? host, 'authorizePath', '/oauth/authorize');
  return out;
}

const isSc = (u?: UrlOption) => !!u && classifyUrl(u.text).kind === 'sc';

function scopesOf(obj: TSESTree.ObjectExpression, env: Env): { key: N; values: string[] }[] {
  const out: { key: N; values: string[] }[] = [];
  for (const p of obj.properties) {
    if (p.type !== 'Property' || !/^(scope|scopes)$/.test(propName(p) ?? '')) continue;
    const v = unwrap(p.value as N);
    const values = v.type === 'ArrayExpression'
      ? v.elements.flatMap((e) => (e && e.type !== 'SpreadElement' ? evalString(e, env).map(flatText) : []))
      : evalString(v, env).map(flatText);
    out.push({ key: p.key, values });
  }
  // next-auth: authorization: { params: { scope } }
  const auth = findProp(obj, 'authorization');
  const ao = auth && resolveObject(auth, env);
  const params = ao?.kind === 'object' ? findProp(ao.node, 'params') : undefined;
  const po = params && resolveObject(params, env);
  if (po?.kind === 'object') out.push(...scopesOf(po.node, po.env));
  return out;
}

function configOf(lib: OAuthLib, node: N, obj: TSESTree.ObjectExpression | undefined, env: Env, facts: FileFacts, ctor = ''): OAuthConfig {
  const cfg: OAuthConfig = { lib, node, env, scopes: [], clientCredentials: ctor === 'ClientCredentials', sc: false };
  if (obj) {
    cfg.options = obj;
    cfg.authorize = urlOption(obj, env, AUTHORIZE_KEYS);
    cfg.token = urlOption(obj, env, TOKEN_KEYS);
    const auth = findProp(obj, 'auth');
    const ao = auth && resolveObject(auth, env);
    if (ao?.kind === 'object' && findProp(ao.node, 'tokenHost')) Object.assign(cfg, hostPathOptions(ao.node, ao.env));
    const oauth = findProp(obj, 'oauth'); // hello.js
    const oo = oauth && resolveObject(oauth, env);
    if (oo?.kind === 'object') { cfg.authorize ??= urlOption(oo.node, oo.env, ['auth']); cfg.token ??= urlOption(oo.node, oo.env, ['grant', 'token']); }
    cfg.scopes = scopesOf(obj, env);
    const pkce = findProp(obj, 'pkce') ?? findProp(obj, 'usePKCE') ?? findProp(obj, 'usePkce');
    const checks = findProp(obj, 'checks');
    if (pkce) cfg.pkce = !(unwrap(pkce).type === 'Literal' && (unwrap(pkce) as TSESTree.Literal).value === false);
    else if (checks) cfg.pkce = evalString(checks, env).some((a) => /pkce/.test(flatText(a))) || (unwrap(checks).type === 'ArrayExpression' && (unwrap(checks) as TSESTree.ArrayExpression).elements.some((e) => e?.type === 'Literal' && e.value === 'pkce'));
    // Auth.js (next-auth 5, @auth/core) sends PKCE unless `checks` says otherwise; next-auth 4 does not
    // (also a module that imports Auth.js itself, `@auth/core/providers`, whatever its package.json says)
    else if (lib === 'next-auth') cfg.pkce = authJsProject(facts.env.filename, facts.project) || importsAuthJs(facts.ast);
    else if (lib === 'passport') cfg.pkce = false;
    const options = findProp(obj, 'options');
    const oo2 = options && resolveObject(options, env);
    for (const [o, oenv] of [[obj, env], ...(oo2?.kind === 'object' ? [[oo2.node, oo2.env]] : [])] as [TSESTree.ObjectExpression, Env][]) {
      for (const k of ['authorizationMethod', 'authenticationMethod', 'token_endpoint_auth_method', 'tokenEndpointAuthMethod']) {
        const p = o.properties.find((x) => x.type === "Property" && propName(x) === k) as TSESTree.Property | undefined;
        if (p) cfg.authMethod = { key: p.key, value: flatText(evalString(p.value as N, oenv)[0] ?? []) };
      }
    }
    const id = findProp(obj, 'id') ?? findProp(obj, 'name');
    const named = id && evalString(id, env).some((a) => /soundcloud/i.test(flatText(a)));
    cfg.sc = isSc(cfg.authorize) || isSc(cfg.token) || !!named;
  }
  if (lib === 'passport-soundcloud') cfg.sc = true;
  return cfg;
}

function importSource(callee: N): string | undefined {
  let x = unwrap(callee);
  while (x.type === 'MemberExpression') x = unwrap(x.object);
  if (x.type !== 'Identifier') return undefined;
  const b = resolveBinding(x);
  if (b?.kind === 'import') return importedFrom(b.node);
  if (b?.kind === 'var' && b.declarator.init) {
    let init = unwrap(b.declarator.init);
    while (init.type === 'MemberExpression') init = unwrap(init.object);
    if (init.type === 'CallExpression' && nameOf(init.callee) === 'require' && init.arguments[0]?.type === 'Literal') return String(init.arguments[0].value);
  }
  return undefined;
}

/** The export a local name is bound to: `var OAuth = require('oauth').OAuth2`, `import { OAuth2 as OAuth } from 'oauth'`. */
function boundMember(callee: N): string | undefined {
  const x = unwrap(callee);
  if (x.type !== 'Identifier') return undefined;
  const b = resolveBinding(x);
  if (b?.kind === 'import') return b.imported;
  const init = b?.kind === 'var' && !b.path.length && b.declarator.init ? unwrap(b.declarator.init) : undefined;
  return init?.type === 'MemberExpression' ? propName(init) : undefined;
}

/** node-oauth's base site + path argument (the library's default path when it is absent or null). */
function positionalUrl(base: N, path: N | undefined, dflt: string, env: Env): UrlOption | undefined {
  const b = evalString(base, env);
  const p = path && !(path.type === 'Literal' && path.value === null) ? evalString(path, env) : undefined;
  const alts: Str[] = b.flatMap((x) => (p ?? [[{ kind: 'text', text: dflt, owner: base, file: env.filename }]]).map((y) => [...x, ...y]));
  const text = alts.map(flatText).find((t) => /^(https?:)?\/\//.test(t)) ?? '';
  if (!text) return undefined;
  const at = p ? path! : base;
  return { key: at, value: at, alts, env, text };
}

/** The module imports Auth.js's core (`@auth/core`, `@auth/core/providers`, `@auth/nextjs`...), whose providers default to PKCE. */
function importsAuthJs(ast: TSESTree.Program): boolean {
  return ast.body.some((st) => st.type === 'ImportDeclaration' && /^@auth\/(core|nextjs|sveltekit|express|qwik|solid-start)(\/|$)/.test(String(st.source.value)));
}

const LIB_SOURCES = /^(simple-oauth2|client-oauth2|@badgateway\/oauth2-client|openid-client|passport-oauth2|passport-soundcloud|passport-oauth|next-auth(\/providers\/.*)?|@auth\/core(\/providers\/.*)?)$/;

/** The OAuth library configurations of a file (memoised on the facts). */
export function oauthConfigs(facts: FileFacts): OAuthConfig[] {
  const cached = (facts as FileFacts & { oauth?: OAuthConfig[] }).oauth;
  if (cached) return cached;
  const out: OAuthConfig[] = [];
  const env = facts.env;
  for (const nx of facts.news) {
    const cn = nameOf(nx.callee).split('.').pop() ?? '';
    const hit = CTOR_LIB.find(([re]) => re.test(cn) || re.test(nameOf(nx.callee)));
    if (!hit) continue;
    const src = importSource(nx.callee);
    let lib = hit[1];
    if (src === 'passport-soundcloud') {
      // the package's own repository (its examples require it by name): its source reports its defaults
      if (insidePackage(facts.env.filename, src, facts.project)) continue;
      lib = 'passport-soundcloud';
    }
    else if (src && !LIB_SOURCES.test(src)) continue;
    else if (!src && lib !== 'passport' && lib !== 'passport-soundcloud') continue;
    const o = nx.arguments[0] ? resolveObject(nx.arguments[0] as N, env) : undefined;
    out.push(configOf(lib, nx, o?.kind === 'object' ? o.node : undefined, o?.kind === 'object' ? o.env : env, facts, cn));
  }
  // node-oauth (the `oauth` package, under passport-oauth2 and many old API wrappers): endpoints as
  // positional arguments, base site + authorize path + access token path
  for (const nx of facts.news) {
    if (((nameOf(nx.callee).split('.').pop() ?? '') !== 'OAuth2' && boundMember(nx.callee) !== 'OAuth2') || importSource(nx.callee) !== 'oauth') continue;
    const [, , base, auth, token] = nx.arguments as N[];
    if (!base) continue;
    const cfg: OAuthConfig = { lib: 'node-oauth', node: nx, env, scopes: [], clientCredentials: false, sc: false };
    cfg.authorize = positionalUrl(base, auth, '/oauth/authorize', env);
    cfg.token = positionalUrl(base, token, '/oauth/access_token', env);
    cfg.sc = isSc(cfg.authorize) || isSc(cfg.token);
    out.push(cfg);
  }
  for (const c of facts.calls) {
    const cn = nameOf(c.callee);
    // simple-oauth2 v1-3 `create(...)`, next-auth/Auth.js provider factories (`SoundCloud({...})`) and custom providers
    if (/(^|\.)create$/.test(cn) && /simple-oauth2/.test(importSource(c.callee) ?? '')) {
      const o = c.arguments[0] ? resolveObject(c.arguments[0] as N, env) : undefined;
      if (o?.kind === 'object') out.push(configOf('simple-oauth2', c, o.node, o.env, facts));
    }
  }
  // next-auth / Auth.js custom providers and provider tables: objects with an id/name and endpoints
  for (const p of facts.properties) {
    const obj = p.parent;
    if (obj?.type !== 'ObjectExpression' || obj.properties[0] !== p) continue; // each object once
    if (out.some((c) => c.options === obj)) continue;
    // Without an endpoint key (`auth` for host + path, `oauth` for hello.js) there is no authorize or
    // token URL: configOf would find nothing to keep (most objects of a file).
    if (!obj.properties.some((x) => x.type === 'Property' && ENDPOINT_KEYS.has(propName(x) ?? ''))) continue;
    const isProvider = !!findProp(obj, 'type') && /^(oauth|oidc)$/.test(flatText(evalString(findProp(obj, 'type')!, env)[0] ?? []));
    const key = obj.parent?.type === 'Property' ? propName(obj.parent) ?? '' : '';
    // a table entry counts under a SoundCloud key or with hello.js's `oauth`: asked before its
    // URLs are worked out (most objects with a `token` or `auth` key are app state, not tables)
    if (!isProvider && !/soundcloud/i.test(key) && !findProp(obj, 'oauth')) continue;
    const cfg = configOf(isProvider ? 'next-auth' : 'table', obj, obj, env, facts);
    if (!cfg.sc || (!cfg.authorize && !cfg.token)) continue;
    out.push(cfg);
  }
  (facts as FileFacts & { oauth?: OAuthConfig[] }).oauth = out;
  return out;
}
