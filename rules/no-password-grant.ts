import { createRule } from '../src/engine/create-rule.js';
import { fileFacts, isScParam } from '../src/engine/analysis/facts.js';
import { reporter } from '../src/engine/analysis/report.js';
import { grantProperties } from '../src/engine/analysis/grants.js';

export default createRule({
  id: 'no-password-grant',
  description: 'grant_type=password was removed: use authorization_code (with PKCE) for users, client_credentials for servers.',
  severity: 'error',
  fixKind: 'manual',
  messages: {
    password: 'grant_type=password is no longer accepted by SoundCloud. Use authorization_code with PKCE to act for a user, or client_credentials for server-side access to public resources.',
  },
  create(context) {
    const report = reporter(context);
    return {
      'Program:exit'() {
        const facts = fileFacts(context);
        const covered = new Set<unknown>();
        for (const p of facts.params) {
          if (p.name !== 'grant_type') continue;
          covered.add(p.report);
          if (p.value === 'password' && isScParam(p, facts)) report(p.report, 'password');
        }
        if (!facts.scContext) return;
        for (const g of grantProperties(facts, 'grant_type', /^password$/)) if (!covered.has(g.key)) report(g.key, 'password');
      },
    };
  },
});
