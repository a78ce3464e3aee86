import { createRule } from '../src/engine/create-rule.js';
import { fileFacts, inAssertionOrMock } from '../src/engine/analysis/facts.js';
import { LEGACY_AUTH_RE } from '../src/engine/analysis/hosts.js';
import { reporter } from '../src/engine/analysis/report.js';
import { flatText, partAt } from '../src/engine/analysis/values.js';
import { requestUrl } from '../src/engine/analysis/requests.js';
import type { Fixer } from '../src/engine/types.js';

const TOKEN_RE = /(https?:)?(\/\/)?api\.soundcloud\.com\/oauth2\/token/gi;
const CONNECT_RE = /(https?:)?(\/\/)?(?:api\.|www\.)?soundcloud\.com\/connect\b/gi;

export default createRule({
  id: 'no-legacy-auth-endpoint',
  description: 'The token and authorize endpoints moved to secure.soundcloud.com.',
  severity: 'error',
  fixKind: 'auto',
  messages: {
    token: 'Legacy token endpoint api.soundcloud.com/oauth2/token: use https://secure.soundcloud.com/oauth/token.',
    connect: 'Legacy authorize endpoint soundcloud.com/connect: use https://secure.soundcloud.com/authorize.',
  },
  create(context) {
    const report = reporter(context);
    return {
      'Program:exit'() {
        const facts = fileFacts(context);
        const src = context.sourceCode.text;
        const fix = (node: { range: [number, number] }) => (fixer: Fixer) => {
          const raw = src.slice(node.range[0], node.range[1]);
          const fixed = raw
            .replace(TOKEN_RE, (_m, s?: string, sl?: string) => `${s ? 'https:' : ''}${sl ?? ''}secure.soundcloud.com/oauth/token`)
            .replace(CONNECT_RE, (_m, s?: string, sl?: string) => `${s ? 'https:' : ''}${sl ?? ''}secure.soundcloud.com/authorize`);
          return fixed === raw ? null : fixer.replaceTextRange(node.range, fixed);
        };
        const kind = (t: string) => (/oauth2\/token/i.test(t) ? 'token' : 'connect');
        for (const l of facts.literals) {
          const m = LEGACY_AUTH_RE.exec(l.text);
          if (!m || (facts.isTest && inAssertionOrMock(l.node))) continue;
          report(l.node, kind(m[0]), undefined, fix(l.node));
        }
        for (const s of facts.strings) {
          for (const alt of s.alts) {
            const text = flatText(alt);
            const m = LEGACY_AUTH_RE.exec(text);
            if (!m) continue;
            const at = m.index + m[0].search(/\/(oauth2|connect)/);
            const part = partAt(alt, at);
            if (part?.kind === 'text' && part.file === facts.env.filename) {
              report(part.owner, kind(m[0]));
            }
          }
        }
        // got('oauth2/token', { prefixUrl }), https.request({ host, path })
        for (const r of facts.requests) {
          for (const alt of requestUrl(r, facts.env)) {
            const text = flatText(alt);
            const m = LEGACY_AUTH_RE.exec(text);
            if (!m) continue;
            const part = partAt(alt, m.index + m[0].search(/\/(oauth2|connect)/) + 1);
            if (part?.kind === 'text' && part.file === facts.env.filename) report(part.owner, kind(m[0]));
          }
        }
      },
    };
  },
});
