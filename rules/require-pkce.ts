import type { TSESTree } from '@typescript-eslint/typescript-estree';
import { createRule } from '../src/engine/create-rule.js';
import { fileFacts, isAuthorizeUrl, isScParam } from '../src/engine/analysis/facts.js';
import { reporter } from '../src/engine/analysis/report.js';

/** The function (or file) around a node, as text: PKCE values are often added conditionally nearby. */
function enclosingText(node: TSESTree.Node, text: string): string {
  for (let p = node.parent; p; p = p.parent) {
    if (p.type === 'FunctionDeclaration' || p.type === 'FunctionExpression' || p.type === 'ArrowFunctionExpression' || p.type === 'MethodDefinition') return text.slice(p.range[0], p.range[1]);
  }
  return text;
}

export default createRule({
  id: 'require-pkce',
  description: 'The authorization code flow requires PKCE: code_challenge (S256) on authorize, code_verifier on the exchange.',
  severity: 'error',
  fixKind: 'manual',
  messages: {
    authorize: 'Authorize URL with response_type=code but no code_challenge: SoundCloud requires PKCE (code_challenge + code_challenge_method=S256 + state).',
    exchange: 'Code exchange (grant_type=authorization_code) without code_verifier: SoundCloud requires PKCE.',
  },
  create(context) {
    const report = reporter(context);
    return {
      'Program:exit'() {
        const facts = fileFacts(context);
        const text = context.sourceCode.text;
        for (const p of facts.params) {
          if (!isScParam(p, facts)) continue;
          if (p.name === 'response_type' && p.value === 'code' && p.where !== 'body') {
            if (!isAuthorizeUrl(p.url) && !p.siblings.has('redirect_uri') && !p.siblings.has('client_id')) continue;
            if (p.siblings.has('code_challenge') || /code_challenge|codeChallenge/.test(enclosingText(p.report, text))) continue;
            report(p.report, 'authorize');
          }
          if (p.name === 'grant_type' && p.value === 'authorization_code') {
            if (p.siblings.has('code_verifier') || /code_verifier|codeVerifier/.test(enclosingText(p.report, text))) continue;
            report(p.report, 'exchange');
          }
        }
      },
    };
  },
});
