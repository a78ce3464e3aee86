import { createRule } from '../../src/engine/create-rule.js';
import { fileFacts } from '../../src/engine/analysis/facts.js';
import { API_V2_RE } from '../../src/engine/analysis/hosts.js';
import { reporter } from '../../src/engine/analysis/report.js';
import { isDeadConstant } from '../../src/engine/analysis/usage.js';

export default createRule({
  id: 'no-private-api-v2',
  gate: /api-v2/i,
  description: 'api-v2.soundcloud.com is the web app\'s private API: no supported access, no migration path.',
  severity: 'warning',
  fixKind: 'manual',
  messages: {
    privateApi: 'api-v2.soundcloud.com is a private API (client_id scraped from the web app): it has no supported migration. Move to the public API (api.soundcloud.com) with OAuth, or accept the risk.',
  },
  create(context) {
    const report = reporter(context);
    return {
      'Program:exit'() {
        const facts = fileFacts(context);
        for (const l of facts.literals) {
          if (!API_V2_RE.test(l.text)) continue;
          if (facts.notSent(l.node, l.text) || (facts.isTest && !inRequestCall(l.node, facts))) continue;
          if (isDeadConstant(l.node, facts.identifiers)) continue;
          report(l.node, 'privateApi');
        }
      },
    };
  },
});

function inRequestCall(node: import('../../src/engine/types.js').Node, facts: ReturnType<typeof fileFacts>): boolean {
  for (let p = node.parent; p; p = p.parent) {
    if (p.type === 'CallExpression' && facts.requests.some((r) => r.call === p)) return true;
    if (p.type.includes('Function')) return false;
  }
  return false;
}
