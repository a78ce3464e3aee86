import { createRule } from '../../src/engine/create-rule.js';
import { fileFacts, siteOf, isAuthorizeUrl, isScParam, type FileFacts } from '../../src/engine/analysis/facts.js';
import { reporter, sdkCallsOf } from '../../src/engine/analysis/report.js';
import { evalString, findProp, flatText, nameOf, propName, resolveObject, unwrap } from '../../src/engine/analysis/values.js';
import { tableEntryProvider } from '../../src/engine/analysis/providers.js';
import { inAssertionOrMock } from '../../src/engine/analysis/inert.js';
import { resolveBinding } from '../../src/engine/analysis/scope.js';
import type { Node } from '../../src/engine/types.js';
import type { TSESTree } from '@typescript-eslint/typescript-estree';

const TOKEN_KEYS = ['oauth_token', 'access_token'];

/**
 * The options of SC.initialize carry a token: written in the object (also through a constant), or
 * set on the options variable in this file before the call (`config.oauth_token = saved;
 * SC.initialize(config)`, with `config` often a global of another script).
 */
function sdkOptionsHoldToken(arg: Node, facts: FileFacts): boolean {
  const o = resolveObject(arg, facts.env);
  if (o?.kind === 'object' && TOKEN_KEYS.some((k) => findProp(o.node, k))) return true;
  if (arg.type !== 'Identifier') return false;
  return facts.assignments.some((a) => {
    const l = a.left;
    return l.type === 'MemberExpression' && l.object.type === 'Identifier' && l.object.name === arg.name && TOKEN_KEYS.includes(propName(l) ?? '');
  });
}

/** The token key written in the options object literal itself (`SC.initialize({ ..., oauth_token: t })`): where the token is added. */
function tokenKeyOf(arg: Node): TSESTree.Property | undefined {
  const o = unwrap(arg);
  if (o.type !== 'ObjectExpression') return undefined;
  for (const p of o.properties) if (p.type === 'Property' && TOKEN_KEYS.includes(propName(p as TSESTree.Property) ?? '')) return p as TSESTree.Property;
  return undefined;
}

/** Request-option keys whose object goes into the query (request `qs`, axios `params`, got `searchParams`, a table's `query`). */
const QUERY_OPTION = /^(qs|params|query|searchParams)$/;

/**
 * `oauth_token` in the query options of a provider table's SoundCloud entry (multi-provider OAuth
 * libraries: `soundcloud: ({ output }) => ({ qs: { oauth_token: output.access_token } })`), whose
 * request is built from the table elsewhere (`Object.assign(options, custom[provider.name](...))`).
 */
function tableQueryTokens(facts: FileFacts): Node[] {
  const out: Node[] = [];
  for (const p of facts.properties) {
    if (propName(p) !== 'oauth_token') continue;
    const holder = p.parent;
    const opt = holder?.parent;
    if (holder?.type !== 'ObjectExpression' || opt?.type !== 'Property' || opt.value !== holder || !QUERY_OPTION.test(propName(opt) ?? '')) continue;
    if (tableEntryProvider(opt) !== 'sc' || (facts.isTest && inAssertionOrMock(p))) continue;
    // already a parameter of a request of this file (reported through facts.params)
    if (facts.params.some((s) => s.holder === holder && s.name === 'oauth_token')) continue;
    out.push(p);
  }
  return out;
}

const methodOf = (c: TSESTree.CallExpression): string => { const callee = unwrap(c.callee as Node); return callee.type === 'MemberExpression' ? nameOf(callee).split('.').pop() ?? '' : ''; };
const receiverOf = (c: TSESTree.CallExpression): string => { const callee = unwrap(c.callee as Node); return callee.type === 'MemberExpression' ? nameOf(unwrap(callee.object as Node)) : ''; };

/**
 * node-oauth's OAuth2 told to name the token `oauth_token` (`oa.setAccessTokenName('oauth_token')`)
 * and then asked to send a token: `getProtectedResource(url, token, cb)`, `get(url, token, cb)`
 * (unless `useAuthorizationHeaderforGET(true)`) and `_request(method, url, headers, body, token, cb)`
 * with no Authorization header all append `?oauth_token=<token>` to the URL. With an Authorization
 * header of its own, `_request` leaves the query alone.
 */
function nodeOAuthQueryTokens(facts: FileFacts, text: string): TSESTree.CallExpression[] {
  // (the method's name in the text first: naming every call of every file costs 20-40 ms on the dense corpus)
  if (!facts.scContext || !text.includes('setAccessTokenName')) return [];
  const out: TSESTree.CallExpression[] = [];
  for (const c of facts.calls) {
    if (methodOf(c) !== 'setAccessTokenName' || !c.arguments[0]) continue;
    if (!evalString(c.arguments[0] as Node, facts.env).some((a) => flatText(a) === 'oauth_token')) continue;
    const recv = receiverOf(c);
    if (!recv) continue;
    const calls = facts.calls.filter((x) => x !== c && receiverOf(x) === recv);
    const headerForGet = calls.some((x) => methodOf(x) === 'useAuthorizationHeaderforGET' && !(x.arguments[0]?.type === 'Literal' && x.arguments[0].value === false));
    const sends = calls.some((x) => {
      const m = methodOf(x);
      if (m === 'getProtectedResource' || (m === 'get' && !headerForGet)) return x.arguments.length >= 2;
      if (m !== '_request' || x.arguments.length < 5) return false;
      const h = resolveObject(x.arguments[2] as Node, facts.env);
      return h?.kind === 'object' && !h.node.properties.some((p) => p.type === 'Property' && /^authorization$/i.test(propName(p) ?? ''));
    });
    if (sends) out.push(c);
  }
  return out;
}

/** Names a query-string object goes by (request's `qs`, a hook's `query`). */
const QUERY_PARAM_NAME = /^(qs|query|querystring|query_?params|search_?params)$/i;

/**
 * `qs.oauth_token = token` on a parameter named for the query string, in a SoundCloud file: a
 * request hook of a multi-provider client (hello.js modules: `xhr: formatRequest` with
 * `function formatRequest(p, qs) { qs.oauth_token = token }`) that puts the token in the query of
 * every request the library makes. Only where the file itself names SoundCloud.
 */
function queryParamTokens(facts: FileFacts): Node[] {
  if (!facts.directSc) return [];
  const out: Node[] = [];
  for (const a of facts.assignments) {
    const l = a.left;
    if (a.operator !== '=' || l.type !== 'MemberExpression' || propName(l) !== 'oauth_token' || l.object.type !== 'Identifier' || !QUERY_PARAM_NAME.test(l.object.name)) continue;
    if (resolveBinding(l.object)?.kind !== 'param' || facts.params.some((s) => s.report === l)) continue;
    if (facts.isTest && inAssertionOrMock(a)) continue;
    out.push(l);
  }
  return out;
}

/** Parameters that only OAuth 1.0a requests carry beside `oauth_token` (its signature's). */
const OAUTH1_SIBLINGS = ['oauth_consumer_key', 'oauth_signature_method', 'oauth_nonce', 'oauth_signature'];

/** A URL (or bare host) of the API: `https://api.soundcloud.com`, `api-v2.soundcloud.com/me`. */
const API_HOST_URL = /^(?:https?:\/\/)?api(?:-v2)?\.soundcloud\.com(?:[/:?]|$)/i;
/** A request description's key naming the query parameter that carries the token (`tokenKey`, `accessTokenName`, `token_param`). */
const TOKEN_NAME_KEY = /^(?:access_?)?token_?(?:key|name|param|param_?name|field)$/i;

/**
 * A request description that names its token's query parameter `oauth_token` beside a SoundCloud
 * host (`{ host: 'api.soundcloud.com', path: '/me.json', tokenKey: 'oauth_token', query: {} }` of a
 * multi-provider login kit, whose generic code then sets `query[tokenKey] = access_token`), also as
 * an endpoint's `auth: { query: 'oauth_token' }` beside its `url`.
 */
function tokenKeyNames(facts: FileFacts): Node[] {
  const out: Node[] = [];
  for (const p of facts.properties) {
    if (p.value.type !== 'Literal' || p.value.value !== 'oauth_token') continue;
    let holder = p.parent;
    if (holder?.type !== 'ObjectExpression') continue;
    if (!TOKEN_NAME_KEY.test(propName(p) ?? '')) {
      // an endpoint's `auth: { query: 'oauth_token' }` (anvil connect's provider files): the endpoint's own url
      const auth = holder.parent;
      if (propName(p) !== 'query' || auth?.type !== 'Property' || propName(auth) !== 'auth' || auth.parent?.type !== 'ObjectExpression') continue;
      holder = auth.parent;
    }
    const scHost = holder.properties.some((q) => q !== p && q.type === 'Property' && /^(host|hostname|uri|url|base_?url)$/i.test(propName(q as TSESTree.Property) ?? '')
      && evalString((q as TSESTree.Property).value as Node, facts.env).some((a) => API_HOST_URL.test(flatText(a))));
    if (scHost) out.push(p.value);
  }
  // ...or assigned to a provider class's prototype beside its SoundCloud endpoints
  // (`SoundCloud.prototype.tokenName = 'oauth_token'` next to `SoundCloud.prototype.providerInfo =
  // { apiUrl: 'https://api.soundcloud.com' }`: a login kit's core then puts the token in the query)
  for (const a of facts.assignments) {
    const l = a.left;
    if (a.operator !== '=' || l.type !== 'MemberExpression' || a.right.type !== 'Literal' || a.right.value !== 'oauth_token' || !TOKEN_NAME_KEY.test(propName(l) ?? '')) continue;
    const owner = nameOf(l.object);
    if (!owner || !facts.assignments.some((b) => b !== a && b.left.type === 'MemberExpression' && nameOf(b.left.object) === owner && b.right.type === 'ObjectExpression'
      && b.right.properties.some((q) => q.type === 'Property' && /(url|uri|host|hostname)$/i.test(propName(q) ?? '')
        && evalString(q.value as Node, facts.env).some((v) => API_HOST_URL.test(flatText(v)))))) continue;
    out.push(a.right);
  }
  return out;
}

export default createRule({
  id: 'no-query-oauth-token',
  gate: /token|\bSC\b/i,
  description: 'Access tokens go in the `Authorization: OAuth <token>` header, never in the query (?oauth_token=).',
  severity: 'error',
  fixKind: 'auto',
  messages: {
    query: 'Access token sent as ?oauth_token= in the URL: SoundCloud rejects it. Send the header `Authorization: OAuth <token>` instead.',
    nodeOAuth: "node-oauth's OAuth2 is told to name the token oauth_token and sends it in the URL (?oauth_token=): SoundCloud rejects it. Send the header `Authorization: OAuth <token>` (pass it in the headers of _request, or useAuthorizationHeaderforGET(true) with setAuthMethod('OAuth')).",
    sdk: 'SC.initialize({ oauth_token }) (or SC.accessToken(token)) makes the old SDK put the token in the query: SoundCloud rejects it.',
  },
  create(context) {
    const report = reporter(context);
    return {
      'Program:exit'() {
        const facts = fileFacts(context);
        for (const p of facts.params) {
          if (p.name !== 'oauth_token' || p.where === 'body' || !isScParam(p, facts)) continue;
          // OAuth 1.0a's signed parameters (another service's, or a signature base string): not an OAuth 2 token in the query
          if (OAUTH1_SIBLINGS.some((s) => p.siblings.has(s))) continue;
          // ...nor the OAuth 1.0a request token on the authorize page the user is sent to
          // (`soundcloud.com/oauth/authorize?oauth_token=` + requestToken): OAuth 2 authorize pages take none
          if (isAuthorizeUrl(p.url)) continue;
          report(siteOf(p), 'query');
        }
        for (const p of tableQueryTokens(facts)) report(p, 'query');
        for (const v of tokenKeyNames(facts)) report(v, 'query');
        for (const l of queryParamTokens(facts)) report(l, 'query');
        for (const c of nodeOAuthQueryTokens(facts, context.sourceCode.text)) report(c, 'nodeOAuth');
        for (const [c, m] of sdkCallsOf(facts)) {
          const arg = c.arguments[0] as Node | undefined;
          if (!arg || (m !== 'initialize' && m !== 'accessToken')) continue;
          // SC.accessToken(token): the SDK 1/2 setter; every later SDK call sends it as ?oauth_token=
          if (m === 'accessToken' || sdkOptionsHoldToken(arg, facts)) report(tokenKeyOf(arg) ?? c, 'sdk');
        }
      },
    };
  },
});
