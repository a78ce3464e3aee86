import { createRule } from '../../src/engine/create-rule.js';
import { oauthConfigs } from '../../src/engine/analysis/oauth-libs.js';
import { fileFacts, siteOf, isScParam } from '../../src/engine/analysis/facts.js';
import { reporter, sdkCallsOf } from '../../src/engine/analysis/report.js';
import { grantAssignments, grantProperties } from '../../src/engine/analysis/grants.js';
import { projectRenewsTokens } from '../../src/engine/analysis/project-facts.js';
import { evalString, findProp, flatText, propName, resolveObject } from '../../src/engine/analysis/values.js';
import { classifyUrl, isTokenPath } from '../../src/engine/analysis/hosts.js';
import { requestUrl } from '../../src/engine/analysis/requests.js';
import type { Node } from '../../src/engine/types.js';

/**
 * A scope value that asks for non-expiring tokens: a short list of scope tokens with `non-expiring`
 * among them (`'non-expiring'`, `'non-expiring *'`), not prose that mentions it (the description of
 * an option in a library's config DSL: `scope: 'specify types of access: (no scope), non-expiring'`).
 */
const SCOPE_LIST = /^\s*(?:[\w*.:/-]+[\s,+]+){0,2}non-expiring(?:[\s,+]+[\w*.:/-]+){0,2}\s*$/;
/** The names a scope goes by in OAuth configs: `scope`, `scopes` (better-auth's genericOAuth), a provider's `defaultScope`. */
const SCOPE_KEYS = ['scope', 'scopes', 'defaultScope', 'defaultScopes'];

/**
 * Client packages whose token exchange has no renewal, and the method that exchanges:
 * soundcloud-nodejs-api-wrapper's `client.exchange_token(cb)` (its password grant), soundcloud-node's
 * `client.getToken(code, cb)` (the code exchange). The package is required or imported (also
 * Meteor's `Npm.require`), by its name or through a variable holding it
 * (`var pkg = 'soundcloud-nodejs-api-wrapper'; Npm.require(pkg)`).
 */
const EXCHANGE_PACKAGES: readonly { name: string; method: string; required: RegExp; nameBinding: RegExp }[] = [
  ['soundcloud-nodejs-api-wrapper', 'exchange_token'],
  ['soundcloud-node', 'getToken'],
].map(([name, method]) => ({
  name: name!, method: method!,
  required: new RegExp(`(?:require\\(\\s*|from\\s*)['"]${name}['"]`),
  nameBinding: new RegExp(`\\b(?:var|let|const)\\s+([\\w$]+)\\s*=\\s*['"]${name}['"]`, 'g'),
}));

/** The exchange methods of the packages the module requires. */
function exchangeMethods(text: string): Set<string> {
  const out = new Set<string>();
  // (both names start so: most files name neither)
  if (!text.includes('soundcloud-node')) return out;
  for (const p of EXCHANGE_PACKAGES) {
    if (!text.includes(p.method) || !text.includes(p.name)) continue;
    if (p.required.test(text) || [...text.matchAll(p.nameBinding)].some((m) => new RegExp(`require\\(\\s*${m[1]!.replace(/\$/g, '\\$')}\\s*\\)`).test(text))) out.add(p.method);
  }
  return out;
}

/**
 * A scope whose value is not fixed but falls back to non-expiring: `scope: process.env.SCOPE ||
 * 'non-expiring'`, `params.set('scope', opts.scope ?? 'non-expiring')` (through constants too).
 * The app asks for it whenever nobody configured another scope.
 */
function defaultAsksNonExpiring(key: Node, env: Parameters<typeof evalString>[1]): boolean {
  const p = key.parent;
  const value = p?.type === 'Property' && p.key === key ? p.value
    : p?.type === 'CallExpression' && p.arguments[0] === key ? p.arguments[1] : undefined;
  if (!value) return false;
  return evalString(value as Node, env).some((a) => a.every((x) => x.kind === 'text') && SCOPE_LIST.test(flatText(a)));
}

export default createRule({
  id: 'require-token-refresh',
  gate: /non-expiring|grant|token|oauth|scope/i,
  description: 'Tokens expire (use expires_in) and must be renewed with grant_type=refresh_token; scope=non-expiring is refused.',
  severity: 'error',
  fixKind: 'manual',
  scope: 'project',
  messages: {
    nonExpiring: 'scope=non-expiring is refused (403): SoundCloud tokens expire. Drop the scope and renew with grant_type=refresh_token.',
    noRefresh: 'Token request in a project that never renews tokens (no grant_type=refresh_token, no expires_in): tokens expire after about an hour. Store the refresh token and renew before expires_in (sc-migrate/runtime does this).',
  },
  create(context) {
    const report = reporter(context);
    return {
      'Program:exit'() {
        const facts = fileFacts(context);
        const covered = new Set<unknown>();
        // (an explicit non-expiring scope is the root cause: the file's code exchange is not reported again)
        let asked = 0;
        const nonExpiring = (n: Parameters<typeof report>[0]) => { asked++; report(n, 'nonExpiring'); };
        for (const p of facts.params) {
          if (p.name !== 'scope') continue;
          covered.add(p.report);
          if ((p.value ? /non-expiring/.test(p.value) : defaultAsksNonExpiring(p.report, facts.env)) && isScParam(p, facts)) nonExpiring(siteOf(p));
        }
        for (const [c, m] of sdkCallsOf(facts)) {
          if ((m !== 'initialize' && m !== 'connect') || !c.arguments[0]) continue;
          const o = resolveObject(c.arguments[0] as Node, facts.env);
          const scope = o?.kind === 'object' ? findProp(o.node, 'scope') : undefined;
          if (scope && evalString(scope, facts.env).some((a) => /non-expiring/.test(flatText(a)))) {
            const prop = o!.kind === 'object' ? o!.node.properties.find((p) => p.type === 'Property' && p.value === scope) : undefined;
            if (prop && prop.type === 'Property') { covered.add(prop.key); nonExpiring(prop.key); }
          }
        }
        // (`scopes: ['non-expiring']`: better-auth's genericOAuth and other libraries name the list so)
        if (facts.scContext) for (const key of SCOPE_KEYS) for (const g of grantProperties(facts, key, SCOPE_LIST)) if (!covered.has(g.key)) nonExpiring(g.key);
        // `query.scope = 'non-expiring'` on an object a library sends (node-oauth's getOAuthAccessToken),
        // a provider class's default (`SoundCloud.prototype.defaultScope = ['non-expiring']`)
        for (const key of SCOPE_KEYS) for (const g of grantAssignments(facts, key, SCOPE_LIST)) if (!covered.has(g.key) && !covered.has(g.assignment.right)) nonExpiring(g.key);
        // OAuth libraries configured for SoundCloud: scope / scopes options (strings or arrays)
        for (const c of oauthConfigs(facts)) {
          if (!c.sc) continue;
          for (const s of c.scopes) if (s.values.some((v) => /non-expiring/.test(v)) && !covered.has(s.key)) nonExpiring(s.key);
        }

        // Token requests: a request to SoundCloud's token endpoint, or a grant whose request is elsewhere.
        // (A code exchange after a reported non-expiring scope is left out: that scope is the root
        // cause; a client_credentials or password token request of the same file is a flow of its own.)
        const sendsGrant = (r: (typeof facts.requests)[number], value: string) => facts.params.some((p) => p.request === r && p.name === 'grant_type' && p.value === value);
        const grants = facts.params.filter((p) => p.name === 'grant_type' && p.value && /^(authorization_code|client_credentials|password)$/.test(p.value) && !(asked && p.value === 'authorization_code') && isScParam(p, facts));
        const tokenRequests = facts.requests.filter((r) => r.urlNode && requestUrl(r, facts.env).some((a) => { const u = classifyUrl(flatText(a)); return u.kind === 'sc' && isTokenPath(u.path); })
          && !(asked && sendsGrant(r, 'authorization_code')));
        // the token exchange of a client package that has no renewal (`client.exchange_token(cb)` of
        // soundcloud-nodejs-api-wrapper, `client.getToken(code, cb)` of soundcloud-node, required in this file)
        const text = context.sourceCode.text;
        // (called, or handed to a wrapper that calls it: `Meteor.wrapAsync(client.exchange_token)`)
        const methods = asked ? undefined : exchangeMethods(text);
        const isExchange = (n: Node) => n.type === 'MemberExpression' && methods!.has(propName(n) ?? '');
        const packageExchanges: Node[] = methods?.size
          ? facts.calls.flatMap((c) => isExchange(c.callee as Node) ? [c as Node] : (c.arguments as Node[]).filter(isExchange)) : [];
        // node-oauth's OAuth2 client on SoundCloud's base site, whose code exchange (`getOAuthAccessToken`) is called
        const nodeOAuth = asked || !text.includes('getOAuthAccessToken') ? [] : oauthConfigs(facts).filter((c) => c.lib === 'node-oauth' && c.sc);
        if (!grants.length && !tokenRequests.length && !packageExchanges.length && !nodeOAuth.length) return;
        if (projectRenewsTokens(facts.project)) return;
        for (const c of packageExchanges) report(c, 'noRefresh');
        for (const c of nodeOAuth) report(c.node, 'noRefresh');
        for (const r of tokenRequests) if (!sendsGrant(r, 'refresh_token')) report(r.urlNode!, 'noRefresh');
        for (const g of grants) {
          if (g.request?.urlNode) report(g.request.urlNode, 'noRefresh');
          else if (!tokenRequests.length) report(g.report, 'noRefresh');
        }
      },
    };
  },
});
