/**
 * require-token-refresh, the non-expiring scope held in a `const` that only the authorize URL reads:
 *
 *   const scope = 'non-expiring';
 *   const url = `https://secure.soundcloud.com/authorize?client_id=${id}&response_type=code&scope=${scope}`;
 *
 * The URL's `&scope=${scope}` goes (`?scope=${scope}&` before other parameters), and so does the
 * `const` with its line. Only when the const is declared alone on its own line, in the same
 * function, holds exactly 'non-expiring', and nothing else reads it; else the marker.
 */
import type { TSESTree } from '@typescript-eslint/typescript-estree';
import { resolveBinding } from '../engine/analysis/scope.js';
import type { TextEdit } from '../engine/types.js';
import type { Provider } from './providers.js';
import { atSite, enclosingFunction, factsOf, findingsOf, ownLineEdits, referencesTo } from './rewrites.js';

type N = TSESTree.Node;

/** The declaration of `id` when it is `const id = 'non-expiring'` of the same function, read only here. */
function soleScopeConst(id: TSESTree.Identifier): TSESTree.VariableDeclaration | undefined {
  const b = resolveBinding(id);
  const d = b?.kind === 'var' && !b.path.length ? b.declarator : undefined;
  const decl = d?.parent;
  if (!d || decl?.type !== 'VariableDeclaration' || decl.kind !== 'const' || decl.declarations.length !== 1) return undefined;
  if (d.id.type !== 'Identifier' || d.init?.type !== 'Literal' || d.init.value !== 'non-expiring') return undefined;
  const fn = enclosingFunction(d);
  if (fn !== enclosingFunction(id)) return undefined;
  return referencesTo(d as typeof d & { id: TSESTree.Identifier }, (fn ?? decl.parent!) as N).length === 1 ? decl : undefined;
}

export const scopeConstProvider: Provider = (ctx) => {
  const facts = factsOf(ctx);
  const out: { ruleId: string; edits: TextEdit[] }[] = [];
  for (const f of findingsOf(ctx, 'require-token-refresh', 'nonExpiring')) {
    const p = facts.params.find((x) => x.name === 'scope' && x.via === 'text' && atSite(f, x));
    const owner = p?.report;
    if (owner?.type !== 'TemplateLiteral') continue;
    for (let i = 0; i < owner.expressions.length; i++) {
      const raw = owner.quasis[i]!.value.raw;
      const m = /([?&])scope=$/.exec(raw);
      const e = owner.expressions[i] as N;
      if (!m || e.type !== 'Identifier') continue;
      const decl = soleScopeConst(e);
      const next = owner.quasis[i + 1]!;
      if (!decl) break;
      const declEdits = ownLineEdits(ctx.text, decl);
      if (!declEdits.length) break;
      // raw text offsets: a quasi's range includes the ` or } before and the ${ after it
      const from = owner.quasis[i]!.range[0] + 1 + m.index;
      const nextRaw = next.value.raw;
      const nextStart = next.range[0] + 1;
      let edit: TextEdit | undefined;
      if (m[1] === '&' && (nextRaw === '' || /^[&#]/.test(nextRaw))) edit = { range: [from, nextStart], text: '' };
      else if (m[1] === '?' && nextRaw.startsWith('&')) edit = { range: [from + 1, nextStart + 1], text: '' };
      else if (m[1] === '?' && (nextRaw === '' || nextRaw.startsWith('#'))) edit = { range: [from, nextStart], text: '' };
      if (edit) out.push({ ruleId: 'require-token-refresh', edits: [edit, ...declEdits] });
      break;
    }
  }
  return out;
};
