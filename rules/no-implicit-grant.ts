import { createRule } from '../src/engine/create-rule.js';
import { fileFacts, isScParam } from '../src/engine/analysis/facts.js';
import { reporter, sdkCall } from '../src/engine/analysis/report.js';
import { grantProperties } from '../src/engine/analysis/grants.js';

const IMPLICIT = /^(token|code_and_token)$/;

export default createRule({
  id: 'no-implicit-grant',
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
        const covered = new Set<unknown>();
        for (const p of facts.params) {
          if (p.name !== 'response_type') continue;
          covered.add(p.report);
          if (p.value && IMPLICIT.test(p.value) && isScParam(p, facts)) report(p.report, 'responseType', { value: p.value });
        }
        for (const c of facts.calls) if (sdkCall(c) === 'connect') report(c, 'connect');
        if (!facts.scContext) return;
        for (const g of grantProperties(facts, 'response_type', IMPLICIT)) if (!covered.has(g.key)) report(g.key, 'responseType', { value: 'token' });
      },
    };
  },
});
