import { createRule } from '../../src/engine/create-rule.js';
import { fileFacts } from '../../src/engine/analysis/facts.js';
import { reporter, sdkCallsOf } from '../../src/engine/analysis/report.js';
import { valueSites } from '../../src/engine/analysis/grants.js';

const IMPLICIT = /^(token|code_and_token)$/;

export default createRule({
  id: 'no-implicit-grant',
  gate: /response_?type|\bSC\b|token|connect/i,
  description: 'response_type=token / code_and_token and SC.connect() (implicit grant) were removed: use response_type=code with PKCE.',
  severity: 'error',
  fixKind: 'manual',
  messages: {
    responseType: 'response_type={{value}} (implicit grant) is no longer supported: use response_type=code with PKCE and exchange the code on your server.',
    connect: 'SC.connect() logs in with the implicit grant, which SoundCloud removed: use the authorization code flow with PKCE (sc-migrate/runtime authorizeUrl + exchangeCode).',
  },
  create(context) {
    const report = reporter(context);
    return {
      'Program:exit'() {
        const facts = fileFacts(context);
        for (const s of valueSites(facts, 'response_type', IMPLICIT)) report(s.node, 'responseType', { value: s.value || 'token' });
        for (const [c, m] of sdkCallsOf(facts)) if (m === 'connect') report(c, 'connect');
      },
    };
  },
});
