import { createRule } from '../../src/engine/create-rule.js';
import { fileFacts, siteOf, isScParam, type FileFacts } from '../../src/engine/analysis/facts.js';
import { reporter, sdkCallsOf } from '../../src/engine/analysis/report.js';
import { findProp, propName, resolveObject } from '../../src/engine/analysis/values.js';
import { tableEntryProvider } from '../../src/engine/analysis/providers.js';
import { inAssertionOrMock } from '../../src/engine/analysis/inert.js';
import type { Node } from '../../src/engine/types.js';

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

export default createRule({
  id: 'no-query-oauth-token',
  description: 'Access tokens go in the `Authorization: OAuth <token>` header, never in the query (?oauth_token=).',
  severity: 'error',
  fixKind: 'auto',
  messages: {
    query: 'Access token sent as ?oauth_token= in the URL: SoundCloud rejects it. Send the header `Authorization: OAuth <token>` instead.',
    sdk: 'SC.initialize({ oauth_token }) (or SC.accessToken(token)) makes the old SDK put the token in the query: SoundCloud rejects it.',
  },
  create(context) {
    const report = reporter(context);
    return {
      'Program:exit'() {
        const facts = fileFacts(context);
        for (const p of facts.params) {
          if (p.name !== 'oauth_token' || p.where === 'body' || !isScParam(p, facts)) continue;
          report(siteOf(p), 'query');
        }
        for (const p of tableQueryTokens(facts)) report(p, 'query');
        for (const [c, m] of sdkCallsOf(facts)) {
          const arg = c.arguments[0] as Node | undefined;
          if (!arg || (m !== 'initialize' && m !== 'accessToken')) continue;
          // SC.accessToken(token): the SDK 1/2 setter; every later SDK call sends it as ?oauth_token=
          if (m === 'accessToken' || sdkOptionsHoldToken(arg, facts)) report(c, 'sdk');
        }
      },
    };
  },
});
