import { createRule } from '../../src/engine/create-rule.js';
import { fileFacts } from '../../src/engine/analysis/facts.js';
import { reporter } from '../../src/engine/analysis/report.js';
import { packagePasswordGrants, valueSites } from '../../src/engine/analysis/grants.js';

export default createRule({
  id: 'no-password-grant',
  gate: /password|grant/i,
  description: 'grant_type=password was removed: use authorization_code (with PKCE) for users, client_credentials for servers.',
  severity: 'error',
  fixKind: 'manual',
  messages: {
    password: 'grant_type=password is no longer accepted by SoundCloud. Use authorization_code with PKCE to act for a user, or client_credentials for server-side access to public resources.',
    package: "The SoundCloud client package '{{name}}' is given a user's username and password: it logs in with grant_type=password, which SoundCloud no longer accepts. Use authorization_code with PKCE to act for a user, or client_credentials for public resources.",
  },
  create(context) {
    const report = reporter(context);
    return {
      'Program:exit'() {
        const facts = fileFacts(context);
        for (const s of valueSites(facts, 'grant_type', /^password$/)) report(s.node, 'password');
        for (const g of packagePasswordGrants(facts, context.sourceCode.text)) report(g.password.key, 'package', { name: g.pkg });
      },
    };
  },
});
