/**
 * no-insecure-http, the scheme chosen at run time: `(secureDocument || /^https/i.test(url) ? 'https' : 'http') + '://api.' + domain`
 * (the custom player scripts of the SoundCloud widget era). SoundCloud answers https only, so the
 * choice goes: the conditional becomes `'https'`, joined with the string literal after it
 * (`'https://api.' + domain`). Only when the other branch is the https scheme and the test only
 * reads values (names, members, literals, a regular expression's `.test(x)`): nothing it did is lost.
 */
import type { TSESTree } from '@typescript-eslint/typescript-estree';
import type { TextEdit } from '../engine/types.js';
import { traverseCollect } from '../engine/walk.js';
import type { Provider } from './providers.js';
import { at, findingsOf } from './rewrites.js';

type N = TSESTree.Node;

/** Reads values only: no assignment, no call other than a regular expression literal's `.test(plain)`. */
function pure(n: N): boolean {
  switch (n.type) {
    case 'Identifier': case 'Literal': case 'ThisExpression': return true;
    case 'MemberExpression': return pure(n.object) && (!n.computed || pure(n.property as N));
    case 'UnaryExpression': return n.operator !== 'delete' && pure(n.argument);
    case 'BinaryExpression': case 'LogicalExpression': return pure(n.left as N) && pure(n.right);
    case 'CallExpression': {
      const c = n.callee;
      return c.type === 'MemberExpression' && !c.computed && c.property.type === 'Identifier' && c.property.name === 'test'
        && c.object.type === 'Literal' && 'regex' in c.object && n.arguments.every((a) => pure(a as N));
    }
    default: return false;
  }
}

const GROUPING_PARENTS = new Set(['BinaryExpression', 'LogicalExpression', 'VariableDeclarator', 'AssignmentExpression', 'ReturnStatement', 'Property', 'ArrayExpression']);

const scheme = (n: N | undefined) => (n?.type === 'Literal' && typeof n.value === 'string' && /^https?:?$/.test(n.value) ? n.value : undefined);

export const schemeChoiceProvider: Provider = (ctx) => {
  const out: { ruleId: string; edits: TextEdit[] }[] = [];
  const findings = findingsOf(ctx, 'no-insecure-http');
  if (!findings.length) return out;
  const { text } = ctx;
  traverseCollect(ctx.parsed.ast as never, (c: N) => {
    if (c.type !== 'ConditionalExpression') return;
    const [a, b] = [scheme(c.consequent), scheme(c.alternate)];
    const insecure = a && !a.startsWith('https') ? c.consequent : b && !b.startsWith('https') ? c.alternate : undefined;
    const secure = insecure === c.consequent ? b : a;
    if (!insecure || !secure?.startsWith('https') || secure.replace('https', 'http') !== scheme(insecure) || !findings.some((f) => at(f, insecure))) return;
    if (!pure(c.test)) return;
    // the conditional with the parentheses around it
    // (spaces inside them allowed: `( secure ? 'https' : 'http' )`); only where a parenthesis next
    // to it cannot be a call's or a statement's own: an operand, an initialiser, a returned value
    let start = c.range[0];
    let end = c.range[1];
    for (const grouping = GROUPING_PARENTS.has(c.parent?.type ?? ''); grouping;) {
      const before = /\(\s*$/.exec(text.slice(Math.max(0, start - 40), start));
      const after = /^\s*\)/.exec(text.slice(end, end + 40));
      if (!before || !after) break;
      start -= before[0].length;
      end += after[0].length;
    }
    const q = text[insecure.range[0]]!;
    const bin = c.parent;
    const next = bin?.type === 'BinaryExpression' && bin.operator === '+' && bin.left === c ? bin.right : undefined;
    if (next?.type === 'Literal' && typeof next.value === 'string' && text[next.range[0]] === q) {
      // (c ? 'https' : 'http') + '://api.' -> 'https://api.'
      out.push({ ruleId: 'no-insecure-http', edits: [{ range: [start, next.range[1]], text: `${q}${secure}${text.slice(next.range[0] + 1, next.range[1])}` }] });
      return;
    }
    out.push({ ruleId: 'no-insecure-http', edits: [{ range: [start, end], text: `${q}${secure}${q}` }] });
  });
  return out;
};
