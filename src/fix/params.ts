/**
 * no-query-oauth-token, a params object that gets the token by assignment and becomes the query
 * of one request of the same function:
 *
 *   const params = { q };
 *   if (token) params.oauth_token = token;
 *   const res = await fetch(API + '/tracks?' + qs.stringify(params));
 *
 * (also `axios.get(url, { params })`, `new URLSearchParams(params)` in a URL variable). The
 * assignment goes (`if (t) { params.oauth_token = t } else { B }` becomes `if (!t) { B }`) and the
 * request sends the header: `Authorization: 'OAuth ' + t`, or `...(t ? { Authorization: ... } : {})`
 * when the assignment was conditional. Only when the token and the test are plain values (no
 * call) that nothing assigns between the assignment and the request, and the params reach that
 * one request; else marker. The `client_id` of server code likewise, in an async function, for
 * the app token (`paramsClientIdProvider`).
 */
import type { TSESTree } from '@typescript-eslint/typescript-estree';
import { propName, unwrap } from '../engine/analysis/values.js';
import type { FileFacts } from '../engine/analysis/facts.js';
import type { RequestInfo } from '../engine/analysis/requests.js';
import type { Finding, TextEdit } from '../engine/types.js';
import { traverseCollect } from '../engine/walk.js';
import type { Provider, ProviderContext } from './providers.js';
import { addHeader, atSite, clientImportEdit, enclosingFunction, factsOf, findingsOf, isApiV2, isAsyncContext, isBrowserCode, isSimple, oauthHeaderValue, quoteOf, removeStatementEdit, src } from './rewrites.js';

type N = TSESTree.Node;


/** A value read without side effects: names, members, literals and operators on them (no call, no assignment). */
function plain(n: N): boolean {
  switch (n.type) {
    case 'Identifier': case 'ThisExpression': case 'Literal': return true;
    case 'MemberExpression': return plain(n.object) && (!n.computed || plain(n.property as N));
    case 'TemplateLiteral': return n.expressions.every((e) => plain(e as N));
    case 'UnaryExpression': return n.operator !== 'delete' && plain(n.argument);
    case 'BinaryExpression': case 'LogicalExpression': return plain(n.left as N) && plain(n.right);
    case 'ChainExpression': return plain(n.expression);
    case 'TSNonNullExpression': case 'TSAsExpression': return plain(n.expression);
    default: return false;
  }
}

/** The names and `this.x` members a plain value reads. */
function readsOf(text: string, n: N): Set<string> {
  const out = new Set<string>();
  traverseCollect(n as never, (x: N) => {
    if (x.type === 'Identifier' && !(x.parent?.type === 'MemberExpression' && x.parent.property === x && !x.parent.computed)) out.add(x.name);
    if (x.type === 'MemberExpression' && unwrap(x.object).type === 'ThisExpression') out.add(src(text, x));
  });
  return out;
}

/** Something in `fn` between `from` and `to` assigns one of `names` (or a member of it). */
function assignedBetween(text: string, fn: N, from: number, to: number, names: Set<string>): boolean {
  let hit = false;
  traverseCollect(fn as never, (x: N) => {
    if (hit || x.range[0] < from || x.range[1] > to) return;
    const target = x.type === 'AssignmentExpression' ? x.left : x.type === 'UpdateExpression' ? x.argument : undefined;
    if (!target) return;
    let root: N = target;
    while (root.type === 'MemberExpression' && unwrap(root.object).type !== 'ThisExpression') root = root.object;
    const name = root.type === 'Identifier' ? root.name : src(text, root);
    if (names.has(name)) hit = true;
  });
  return hit;
}

/** `!test`, with a comparison turned around (`a !== ''` -> `a === ''`). */
function negated(text: string, test: N): string {
  const t = unwrap(test);
  const flip: Record<string, string> = { '===': '!==', '!==': '===', '==': '!=', '!=': '==' };
  const op = t.type === 'BinaryExpression' ? text.slice(t.left.range[1], t.right.range[0]) : '';
  // only a bare operator between the operands (a parenthesised operand keeps `!(...)`)
  if (t.type === 'BinaryExpression' && flip[t.operator] && op.trim() === t.operator) {
    return src(text, t.left as N) + op.replace(t.operator, flip[t.operator]!) + src(text, t.right);
  }
  if (t.type === 'UnaryExpression' && t.operator === '!') return src(text, t.argument);
  return isSimple(t) ? `!${src(text, t)}` : `!(${src(text, t)})`;
}

export interface Mutation { stmt: TSESTree.ExpressionStatement; r: RequestInfo; fn: N; value: N; ifs?: TSESTree.IfStatement }

/** `params.<name> = v;` (also as the consequent of an `if`) on the params of one request after it in the same function. */
export function mutationOf(ctx: ProviderContext, facts: FileFacts, f: Finding, name: string): Mutation | undefined {
  const p = facts.params.find((x) => x.name === name && atSite(f, x));
  const left = p?.report;
  const assign = left?.parent;
  if (!p || p.via !== 'object' || p.holder || !p.request || left?.type !== 'MemberExpression' || propName(left) !== name) return undefined;
  if (assign?.type !== 'AssignmentExpression' || assign.operator !== '=' || assign.left !== left || assign.parent?.type !== 'ExpressionStatement') return undefined;
  // the params reach this one request only
  if (new Set(facts.params.filter((x) => x.report === left).map((x) => x.request)).size !== 1) return undefined;
  const stmt = assign.parent;
  const r = p.request;
  const fn = enclosingFunction(stmt);
  const value = assign.right as N;
  if (!fn || enclosingFunction(r.call) !== fn || r.call.range[0] < stmt.range[1] || !plain(value)) return undefined;
  // if (C) params.oauth_token = t;  /  if (C) { params.oauth_token = t } else { ... }
  let holder: N | undefined = stmt.parent;
  if (holder?.type === 'BlockStatement' && holder.body.length === 1 && holder.parent?.type === 'IfStatement' && holder.parent.consequent === holder) holder = holder.parent;
  const ifs = holder?.type === 'IfStatement' && (holder.consequent === stmt || holder.consequent === stmt.parent) ? holder : undefined;
  if (!ifs && stmt.parent?.type !== 'BlockStatement') return undefined;
  if (ifs && (!plain(ifs.test) || ifs.alternate?.type === 'IfStatement')) return undefined;
  const reads = new Set([...readsOf(ctx.text, value), ...(ifs ? readsOf(ctx.text, ifs.test) : [])]);
  if (assignedBetween(ctx.text, fn, stmt.range[0], r.call.range[0], reads)) return undefined;
  return { stmt, r, fn, value, ...(ifs ? { ifs } : {}) };
}

/** The edit that takes the assignment out: the statement, its `if`, or the `if` turned around onto its else branch. */
function mutationRemoval(text: string, m: Mutation): TextEdit {
  const { ifs } = m;
  if (!ifs) return removeStatementEdit(text, m.stmt);
  return ifs.alternate ? { range: [ifs.range[0], ifs.alternate.range[0]], text: `if (${negated(text, ifs.test)}) ` } : removeStatementEdit(text, ifs);
}

export const paramsMutationProvider: Provider = (ctx) => {
  const facts = factsOf(ctx);
  const out: { ruleId: string; edits: TextEdit[] }[] = [];
  for (const f of findingsOf(ctx, 'no-query-oauth-token', 'query')) {
    const m = mutationOf(ctx, facts, f, 'oauth_token');
    if (!m) continue;
    const hv = oauthHeaderValue(ctx.text, m.value);
    const prop = m.ifs ? `...(${src(ctx.text, m.ifs.test)} ? { Authorization: ${hv} } : {})` : `Authorization: ${hv}`;
    const h = addHeader(ctx.text, m.r, 'Authorization', hv, undefined, prop);
    if (h?.length) out.push({ ruleId: 'no-query-oauth-token', edits: [mutationRemoval(ctx.text, m), ...h] });
  }
  return out;
};

/**
 * no-client-id-auth, server code: `params.client_id = ID;` (unconditional) on the params of one
 * request of the same async function: the assignment goes and the request sends the app token.
 */
export const paramsClientIdProvider: Provider = (ctx) => {
  if (isBrowserCode(ctx)) return [];
  const facts = factsOf(ctx);
  const edits: TextEdit[] = [];
  const q = quoteOf(ctx.text);
  for (const f of findingsOf(ctx, 'no-client-id-auth', 'clientId')) {
    const m = mutationOf(ctx, facts, f, 'client_id');
    if (!m || m.ifs || !isAsyncContext(m.r.call) || facts.params.some((x) => x.report === (m.stmt.expression as TSESTree.AssignmentExpression).left && isApiV2(x.url.host))) continue;
    const h = addHeader(ctx.text, m.r, 'Authorization', `${q}OAuth ${q} + (await soundcloudAccessToken())`);
    if (h?.length) edits.push(mutationRemoval(ctx.text, m), ...h);
  }
  if (!edits.length) return [];
  const imp = clientImportEdit(ctx);
  return [{ ruleId: 'no-client-id-auth', edits: imp ? [...edits, imp] : edits }];
};
