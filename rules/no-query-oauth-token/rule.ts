import { createRule } from '../../src/engine/create-rule.js';
import { fileFacts, isScParam } from '../../src/engine/analysis/facts.js';
import { reporter, sdkCall } from '../../src/engine/analysis/report.js';
import { findProp, resolveObject } from '../../src/engine/analysis/values.js';
import type { Node } from '../../src/engine/types.js';

export default createRule({
  id: 'no-query-oauth-token',
  description: 'Access tokens go in the `Authorization: OAuth <token>` header, never in the query (?oauth_token=).',
  severity: 'error',
  fixKind: 'auto',
  messages: {
    query: 'Access token sent as ?oauth_token= in the URL: SoundCloud rejects it. Send the header `Authorization: OAuth <token>` instead.',
    sdk: 'SC.initialize({ oauth_token }) makes the old SDK put the token in the query: SoundCloud rejects it.',
  },
  create(context) {
    const report = reporter(context);
    return {
      'Program:exit'() {
        const facts = fileFacts(context);
        for (const p of facts.params) {
          if (p.name !== 'oauth_token' || p.where === 'body' || !isScParam(p, facts)) continue;
          report(p.report, 'query');
        }
        for (const c of facts.calls) {
          if (sdkCall(c) !== 'initialize' || !c.arguments[0]) continue;
          const o = resolveObject(c.arguments[0] as Node, facts.env);
          if (o?.kind === 'object' && (findProp(o.node, 'oauth_token') || findProp(o.node, 'access_token'))) report(c, 'sdk');
        }
      },
    };
  },
});
