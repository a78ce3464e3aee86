/**
 * no-query-oauth-token, the AngularJS request helper that fills a config object and sends it:
 *
 *   function sendRequest(resource, config) {
 *     config = config || {};
 *     config.url = API + resource;
 *     config.params = config.params || {};
 *     config.params.oauth_token = $window.scAccessToken;
 *     return $http(config);
 *   }
 *
 * The assignment becomes `config.headers = Object.assign({}, config.headers, { Authorization: 'OAuth ' + t });`
 * (the caller's own headers kept, its object not written to). Only `$http(config)` / `axios(config)`
 * with the config named by a plain identifier, the token assigned unconditionally to
 * `<config>.params.oauth_token` in the same function before the call, and nothing assigning the
 * token or `<config>.headers` in between (src/fix/params.ts's mutationOf); else the marker.
 */
import type { TSESTree } from '@typescript-eslint/typescript-estree';
import { unwrap } from '../engine/analysis/values.js';
import type { TextEdit } from '../engine/types.js';
import { traverseCollect } from '../engine/walk.js';
import type { Provider } from './providers.js';
import { mutationOf } from './params.js';
import { factsOf, findingsOf, oauthHeaderValue, src } from './rewrites.js';

type N = TSESTree.Node;


export const configObjectProvider: Provider = (ctx) => {
  const facts = factsOf(ctx);
  const out: { ruleId: string; edits: TextEdit[] }[] = [];
  for (const f of findingsOf(ctx, 'no-query-oauth-token', 'query')) {
    const m = mutationOf(ctx, facts, f, 'oauth_token');
    if (!m || m.ifs || (m.r.lib !== 'angular' && m.r.lib !== 'axios')) continue;
    const call = m.r.call;
    const arg = call.arguments.length === 1 ? unwrap(call.arguments[0] as N) : undefined;
    if (call.callee.type !== 'Identifier' || arg?.type !== 'Identifier') continue;
    // <config>.params.oauth_token = t
    const left = (m.stmt.expression as TSESTree.AssignmentExpression).left;
    const params = left.type === 'MemberExpression' ? unwrap(left.object) : undefined;
    if (params?.type !== 'MemberExpression' || params.computed || params.property.type !== 'Identifier' || params.property.name !== 'params') continue;
    const root = unwrap(params.object);
    if (root.type !== 'Identifier' || root.name !== arg.name) continue;
    // nothing between the assignment and the request writes <config>.headers or <config> itself
    let touched = false;
    traverseCollect(m.fn as never, (x: N) => {
      if (x.type !== 'AssignmentExpression' || x.range[0] < m.stmt.range[1] || x.range[1] > call.range[0]) return;
      const l = unwrap(x.left);
      if (l.type === 'Identifier' && l.name === arg.name || src(ctx.text, l).startsWith(`${arg.name}.headers`)) touched = true;
    });
    if (touched) continue;
    const c = arg.name;
    const semi = ctx.text.slice(m.stmt.range[0], m.stmt.range[1]).trimEnd().endsWith(';') ? ';' : '';
    const text = `${c}.headers = Object.assign({}, ${c}.headers, { Authorization: ${oauthHeaderValue(ctx.text, m.value)} })${semi}`;
    out.push({ ruleId: 'no-query-oauth-token', edits: [{ range: m.stmt.range, text }] });
  }
  return out;
};
