import { createRule } from '../../src/engine/create-rule.js';
import { fileFacts } from '../../src/engine/analysis/facts.js';
import { reporter } from '../../src/engine/analysis/report.js';
import { valueSites } from '../../src/engine/analysis/grants.js';
import { scPackageImports } from '../../src/engine/analysis/requests.js';
import { nameOf, propName, resolveObject, unwrap } from '../../src/engine/analysis/values.js';
import { resolveBinding } from '../../src/engine/analysis/scope.js';
import type { Node } from '../../src/engine/types.js';

/** A global named for SoundCloud (no import or declaration in the file): a client a framework package provides. */
const GLOBAL_CLIENT = /^Sound[Cc]loud$/;

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
        // A SoundCloud client package given a username and password (`new SC({ client_id,
        // client_secret, username, password })`): the only grant it can make of them is password.
        // ...or a client the page or framework provides as a global of SoundCloud's name, given the
        // client id beside them (a Meteor package's `Soundcloud.setConfig({ client_id, client_secret,
        // username, password })`)
        const packages = scPackageImports(facts.ast, false, facts.calls);
        if (!packages.size && !/\bSound[Cc]loud\s*\./.test(context.sourceCode.text)) return;
        for (const n of [...facts.news, ...facts.calls]) {
          const callee = unwrap(n.callee);
          const root = callee.type === 'MemberExpression' ? unwrap(callee.object) : callee;
          const name = nameOf(root);
          const global = root.type === 'Identifier' && GLOBAL_CLIENT.test(name) && !resolveBinding(root);
          const pkg = packages.get(name) ?? (global ? name : undefined);
          if (!pkg || !n.arguments[0]) continue;
          const o = resolveObject(n.arguments[0] as Node, facts.env);
          if (o?.kind !== 'object') continue;
          const keys = new Map(o.node.properties.flatMap((p) => (p.type === 'Property' ? [[propName(p) ?? '', p] as const] : [])));
          const password = keys.get('password');
          if (!password || !keys.has('username') || o.env.filename !== facts.env.filename) continue;
          if (global && !keys.has('client_id') && !keys.has('clientId')) continue;
          report(password.key, 'package', { name: pkg });
        }
      },
    };
  },
});
