import { createRule } from '../../src/engine/create-rule.js';
import { fileFacts, siteOf, isAuthorizeUrl, isScParam, isTokenUrl, hasAuthorizationHeader } from '../../src/engine/analysis/facts.js';
import { reporter, sdkCallsOf, SDK_DATA_CALLS } from '../../src/engine/analysis/report.js';
import { findProp, nameOf, propName, resolveObject, unwrap, type Env } from '../../src/engine/analysis/values.js';
import { scPackageImports } from '../../src/engine/analysis/requests.js';
import { resolveBinding } from '../../src/engine/analysis/scope.js';
import type { TSESTree } from '@typescript-eslint/typescript-estree';
import { runsInBrowser } from '../../src/engine/analysis/browser.js';
import { API_V2_RE } from '../../src/engine/analysis/hosts.js';
import type { Node } from '../../src/engine/types.js';

const CLIENT_ID_KEY = /^client_?id$/i;
/** Keys that give a client package more than the client id: it can get or hold a token. */
const PACKAGE_AUTH_KEY = /^(client_?secret|secret|oauth_?token|access_?token|token|redirect_?uri)$/i;
/** The setup call of a client package object: `SC.init({ id, secret, uri })` (node-soundcloud). */
const PACKAGE_SETUP = /^(init|initialize|config|configure|setup)$/;
/** A client id handed to a package constructor as its only argument: `new Resolver(process.env.SC_CONSUMER_KEY)`. */
const CLIENT_ID_NAME = /(client_?id|consumer_?key|client_?key|api_?key)$/i;
/**
 * A request to the next page of a private API listing: its URL is read from a response's
 * `next_href` (which keeps the host of the first page) in a function that names the private API's
 * host and not the public one (`while (res.data.next_href) res = await axios.get(res.data.next_href, { params: { client_id } })`).
 */
function nextPageOfPrivateApi(urlNode: TSESTree.Node | undefined, src: string, literals: readonly { node: TSESTree.Node; text: string }[]): boolean {
  if (!urlNode || !/\bnext_href\b/.test(src.slice(urlNode.range[0], urlNode.range[1]))) return false;
  let fn: TSESTree.Node | undefined = urlNode.parent;
  while (fn && !fn.type.includes('Function')) fn = fn.parent;
  const texts = literals.filter((l) => !fn || (l.node.range[0] >= fn.range[0] && l.node.range[1] <= fn.range[1])).map((l) => l.text);
  return texts.some((t) => API_V2_RE.test(t)) && !texts.some((t) => /(?<![\w.-])api\.soundcloud\.com/i.test(t));
}

const AUTH_SIBLINGS = ['response_type', 'redirect_uri', 'grant_type', 'client_secret', 'code', 'oauth_token', 'access_token', 'code_challenge'];

export default createRule({
  id: 'no-client-id-auth',
  description: 'Public resources need a client_credentials token in the Authorization header; ?client_id= alone is refused.',
  severity: 'error',
  fixKind: 'suggest',
  messages: {
    clientId: 'Request authenticated only by ?client_id=: SoundCloud now requires `Authorization: OAuth <token>`. Get a client_credentials token with your client secret (sc-migrate/runtime caches and refreshes it) and send it in the header.',
    clientIdBrowser: 'Request authenticated only by ?client_id=: SoundCloud now requires `Authorization: OAuth <token>`, and this code runs in a browser, where no client secret may go. Get an app token from your own backend (a token route: createTokenEndpoint of sc-migrate/runtime holds the secret) and send it in the header, or let the backend make the request.',
    clientIdPrivate: 'Request to the private API (api-v2) authenticated by ?client_id=: no app token works there and it has no supported migration (see no-private-api-v2). Move the feature to the public API (api.soundcloud.com) with an app token, or drop it.',
    sdk: 'SC.initialize({ client_id }) with SDK data calls: the old SDK authenticates them with ?client_id= only, which SoundCloud refuses.',
    package: "The SoundCloud client package '{{name}}' is given only a client id: it sends ?client_id= alone on its requests, which SoundCloud refuses. Give it an app token (client_credentials, sent in the Authorization header) or call the API with one.",
  },
  create(context) {
    const report = reporter(context);
    return {
      'Program:exit'() {
        const facts = fileFacts(context);
        let browser: boolean | undefined;
        for (const p of facts.params) {
          if (p.name !== 'client_id' || p.where !== 'query' || !isScParam(p, facts)) continue;
          if (isAuthorizeUrl(p.url) || isTokenUrl(p.url)) continue;
          if (AUTH_SIBLINGS.some((s) => p.siblings.has(s))) continue;
          if (p.request && hasAuthorizationHeader(p.request)) continue;
          if (p.helperRequest && hasAuthorizationHeader(p.helperRequest)) continue;
          // the private API takes no app token: its own message (and one marker with no-private-api-v2)
          if ((p.url.host && API_V2_RE.test(p.url.host)) || (!p.url.host && nextPageOfPrivateApi(p.request?.urlNode as TSESTree.Node | undefined, context.sourceCode.text, facts.literals))) report(siteOf(p), 'clientIdPrivate');
          else report(siteOf(p), (browser ??= runsInBrowser(context.filename, context.sourceCode.text, facts.project)) ? 'clientIdBrowser' : 'clientId');
        }
        // new SoundCloud({ CLIENT_ID }) of soundcloud-api-client, resolve({ url, client_id }) of
        // soundcloud-resolve-jsonp, new Resolver(CLIENT_ID) of soundcloud-resolver, and the setup
        // call of a package object: SC.init({ id }) of node-soundcloud
        const packages = scPackageImports(facts.ast);
        if (packages.size) {
          for (const n of [...facts.news, ...facts.calls]) {
            const callee = unwrap(n.callee);
            const setup = callee.type === 'MemberExpression' && PACKAGE_SETUP.test(propName(callee) ?? '');
            const root = setup ? unwrap((callee as TSESTree.MemberExpression).object) : callee;
            const pkg = root.type === 'Identifier' ? packages.get(root.name) : undefined;
            const b = pkg && resolveBinding(root as TSESTree.Identifier);
            if (!b || (b.kind !== 'import' && b.kind !== 'var') || !n.arguments[0]) continue;
            if (packageGetsClientIdOnly(n, setup, facts.env)) report(n, 'package', { name: pkg });
          }
        }
        const sdkCalls = sdkCallsOf(facts);
        if (!sdkCalls.some(([, m]) => SDK_DATA_CALLS.has(m))) return;
        for (const [c, m] of sdkCalls) {
          if (m !== 'initialize' || !c.arguments[0]) continue;
          const o = resolveObject(c.arguments[0] as Node, facts.env);
          // a token beside the client id (`oauth_token`, or `access_token` of SDK 3) authenticates the calls
          if (o?.kind === 'object' && findProp(o.node, 'client_id') && !findProp(o.node, 'oauth_token') && !findProp(o.node, 'access_token')) report(c, 'sdk');
        }
      },
    };
  },
});

/** Is a client package given a client id and nothing that gets or holds a token? */
function packageGetsClientIdOnly(n: TSESTree.CallExpression | TSESTree.NewExpression, setup: boolean, env: Env): boolean {
  const arg = n.arguments[0] as Node;
  const o = resolveObject(arg, env);
  if (o?.kind === 'object') {
    const keys = o.node.properties.flatMap((p) => (p.type === 'Property' ? [propName(p) ?? ''] : []));
    // node-soundcloud names the client id `id` in its setup call
    const isId = (k: string) => CLIENT_ID_KEY.test(k) || (setup && k === 'id');
    return keys.some(isId) && !keys.some((k) => PACKAGE_AUTH_KEY.test(k));
  }
  // a constructor given the client id alone
  if (n.type !== 'NewExpression' || n.arguments.length !== 1) return false;
  const a = unwrap(arg);
  if (a.type === 'Literal') return typeof a.value === 'string' && /^[A-Za-z0-9]{20,40}$/.test(a.value);
  return CLIENT_ID_NAME.test(nameOf(a));
}
