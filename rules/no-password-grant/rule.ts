import { createRule } from '../../src/engine/create-rule.js';
import { fileFacts } from '../../src/engine/analysis/facts.js';
import { reporter } from '../../src/engine/analysis/report.js';
import { valueSites } from '../../src/engine/analysis/grants.js';

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
        for (const s of valueSites(fileFacts(context), 'grant_type', /^password$/)) report(s.node, 'password');
      },
    };
  },
});
