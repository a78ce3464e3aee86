import { createRule } from '../../src/engine/create-rule.js';
import { oauthConfigs } from '../../src/engine/analysis/oauth-libs.js';
import { fileFacts, siteOf, isScParam } from '../../src/engine/analysis/facts.js';
import { reporter } from '../../src/engine/analysis/report.js';
import { startOf } from '../../src/engine/offsets.js';

export default createRule({
  id: 'no-client-secret-in-body',
  gate: /secret/i,
  description: 'client_credentials must authenticate with HTTP Basic; client_id/client_secret in the body are refused.',
  severity: 'error',
  fixKind: 'auto',
  messages: {
    body: 'client_credentials with client_secret in the request body: SoundCloud only accepts HTTP Basic (Authorization: Basic base64(client_id:client_secret)).',
  },
  create(context) {
    const report = reporter(context);
    return {
      'Program:exit'() {
        const facts = fileFacts(context);
        // grant_type=client_credentials, by the object/string/params it sits in
        // OAuth libraries configured for SoundCloud's client_credentials with body authentication
        // (a regex over the whole text: asked only for a configuration that authenticates in the body)
        const ccUsed = () => /client_credentials|clientCredentials|ClientCredentials/.test(context.sourceCode.text);
        for (const c of oauthConfigs(facts)) {
          if (!c.sc || !c.authMethod || !/^(body|client_secret_post|request-body)$/i.test(c.authMethod.value)) continue;
          if (c.clientCredentials || ccUsed()) report(c.authMethod.key, 'body');
        }
        const ccGroups = facts.params.filter((p) => p.name === 'grant_type' && p.value === 'client_credentials' && isScParam(p, facts));
        if (!ccGroups.length) return;
        for (const p of facts.params) {
          if (p.name !== 'client_secret' || p.where === 'query' && p.via !== 'text') continue;
          if (!p.siblings.has('grant_type')) continue;
          const cc = ccGroups.some((g) => g.siblings === p.siblings || (g.holder && g.holder === p.holder) || (g.via === p.via && sameSet(g.siblings, p.siblings) && near(g.report, p.report)));
          if (cc) report(siteOf(p), 'body');
        }
      },
    };
  },
});

const sameSet = (a: Set<string>, b: Set<string>) => a.size === b.size && [...a].every((x) => b.has(x));
const near = (a: { range: [number, number] }, b: { range: [number, number] }) => Math.abs(startOf(a) - startOf(b)) < 2000;
