/**
 * no-query-oauth-token, node-oauth's `OAuth2` told to name the token `oauth_token` (the passport
 * strategies' idiom):
 *
 *   this._oauth2.setAccessTokenName('oauth_token');
 *   ...
 *   this._oauth2.get(this._profileURL, accessToken, cb);   // -> GET /me?oauth_token=<token>
 *
 * node-oauth's `get(url, token, cb)` sends `Authorization: <authMethod> <token>` instead of the
 * query parameter once `useAuthorizationHeaderforGET(true)` is set, and `setAuthMethod('OAuth')`
 * names the scheme SoundCloud documents. Both calls go right after `setAccessTokenName(...)` (which
 * stays: the token exchange does not read it). Only when every call of the same object that sends
 * a token is `get(...)`: `getProtectedResource(url, token, cb)` and `_request(..., token, cb)` put the
 * token in the query whatever the flag says, so they keep the marker. Nothing when the object is
 * told `useAuthorizationHeaderforGET(false)` elsewhere; an existing `setAuthMethod(...)` is kept.
 */
import type { TSESTree } from '@typescript-eslint/typescript-estree';
import { nameOf, unwrap } from '../engine/analysis/values.js';
import type { TextEdit } from '../engine/types.js';
import type { Provider } from './providers.js';
import { at, eolOf, factsOf, findingsOf, lineIndent, quoteOf, src } from './rewrites.js';

type N = TSESTree.Node;

const calleeOf = (c: TSESTree.CallExpression) => { const x = unwrap(c.callee as N); return x.type === 'MemberExpression' && !x.computed && x.property.type === 'Identifier' ? x : undefined; };
const methodOf = (c: TSESTree.CallExpression) => (calleeOf(c)?.property as TSESTree.Identifier | undefined)?.name ?? '';
const receiverOf = (c: TSESTree.CallExpression) => { const m = calleeOf(c); return m ? nameOf(unwrap(m.object as N)) : ''; };

export const nodeOAuthProvider: Provider = (ctx) => {
  const facts = factsOf(ctx);
  const out: { ruleId: string; edits: TextEdit[] }[] = [];
  for (const f of findingsOf(ctx, 'no-query-oauth-token', 'nodeOAuth')) {
    const c = facts.calls.find((x) => at(f, x) && methodOf(x) === 'setAccessTokenName');
    const stmt = c?.parent;
    if (!c || stmt?.type !== 'ExpressionStatement') continue;
    const recv = receiverOf(c);
    const object = calleeOf(c)!.object as N;
    // a plain name or a member chain (`oauth2`, `this._oauth2`, `strategy._oauth2`): named twice more
    if (!recv || !/^(this|[\w$]+)(\.[\w$]+)*$/.test(src(ctx.text, object))) continue;
    const same = facts.calls.filter((x) => x !== c && receiverOf(x) === recv);
    const methods = same.map(methodOf);
    if (methods.some((m) => m === 'getProtectedResource' || m === '_request')) continue;
    if (!same.some((x) => methodOf(x) === 'get' && x.arguments.length >= 2)) continue;
    if (same.some((x) => methodOf(x) === 'useAuthorizationHeaderforGET')) continue;
    const text = ctx.text;
    const semi = src(text, stmt).trimEnd().endsWith(';') ? ';' : '';
    const q = quoteOf(text);
    const indent = lineIndent(text, stmt.range[0]);
    const eol = eolOf(text);
    const o = src(text, object);
    const lines = [
      ...(methods.includes('setAuthMethod') ? [] : [`${o}.setAuthMethod(${q}OAuth${q})${semi}`]),
      `${o}.useAuthorizationHeaderforGET(true)${semi}`,
    ];
    out.push({ ruleId: 'no-query-oauth-token', edits: [{ range: [stmt.range[1], stmt.range[1]], text: lines.map((l) => `${eol}${indent}${l}`).join('') }] });
  }
  return out;
};
