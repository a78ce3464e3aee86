/**
 * no-query-oauth-token, the token sent both ways: the request already carries
 * `Authorization: OAuth <t>` (a retry written to try the query too, or a headers object shared
 * by the function's requests), and `oauth_token: t` rides in its params as well:
 *
 *   const params = { limit, oauth_token: token };
 *   const headers = { Authorization: `OAuth ${token}`, Accept: 'application/json' };
 *   await axios.get(URL, { params, headers });
 *   await axios.get(URL, { params: { ...params, oauth_token: fresh }, headers: { ...headers, Authorization: `OAuth ${fresh}` } });
 *
 * The query copy goes; nothing else changes (the header is there already). Only when every
 * request that sends the params object carries the header with the same value: an object written
 * in the request's `params`, or a `const` of the same function whose every use is such a request's
 * `params` (also spread into them); else the other providers or a marker.
 */
import type { TSESTree } from '@typescript-eslint/typescript-estree';
import type { FileFacts } from '../engine/analysis/facts.js';
import type { RequestInfo } from '../engine/analysis/requests.js';
import { programOf, resolveBinding } from '../engine/analysis/scope.js';
import { findProp, propName, resolveObject, unwrap } from '../engine/analysis/values.js';
import type { TextEdit } from '../engine/types.js';
import type { Provider } from './providers.js';
import { atSite, enclosingFunction, factsOf, findingsOf, isSimple, referencesTo, removeParam, src } from './rewrites.js';

type N = TSESTree.Node;
type Obj = TSESTree.ObjectExpression;

const QUERY_KEYS = new Set(['params', 'qs', 'searchParams', 'query']);

/** `'OAuth ' + t` or `` `OAuth ${t}` ``: the token expression of an Authorization value. */
function oauthToken(v: N): N | undefined {
  const x = unwrap(v);
  if (x.type === 'TemplateLiteral' && x.expressions.length === 1 && x.quasis[0]!.value.cooked === 'OAuth ' && x.quasis[1]!.value.cooked === '') return x.expressions[0] as N;
  if (x.type === 'BinaryExpression' && x.operator === '+' && x.left.type === 'Literal' && x.left.value === 'OAuth ') return x.right;
  return undefined;
}

/**
 * The headers are written at the request, or are a `const` object that nothing changes: every use
 * of its name is a request's `headers` value or a spread into another object.
 */
function readOnlyHeaders(h: N): boolean {
  const x = unwrap(h);
  if (x.type === 'ObjectExpression') return true;
  if (x.type !== 'Identifier') return false;
  const b = resolveBinding(x);
  if (b?.kind !== 'var' || b.declKind !== 'const' || b.path.length || unwrap((b.declarator.init ?? x) as N).type !== 'ObjectExpression') return false;
  const d = b.declarator as TSESTree.VariableDeclarator & { id: TSESTree.Identifier };
  return referencesTo(d, (enclosingFunction(d) ?? programOf(d)) as N).every((y) => {
    const p = y.parent;
    const asHeaders = p?.type === 'Property' && (p.value === y || p.shorthand && p.key === y) && propName(p) === 'headers';
    return asHeaders || p?.type === 'SpreadElement';
  });
}

/** The request sends `Authorization: OAuth <token>`, the same plain read in the same function. */
function carriesToken(text: string, r: RequestInfo, token: N): boolean {
  if (!isSimple(token)) return false;
  return r.options.some((o) => {
    const h = findProp(o.node, 'headers');
    const ho = h && readOnlyHeaders(h) ? resolveObject(h, o.env) : undefined;
    if (ho?.kind !== 'object') return false;
    // the last Authorization wins, and no spread after it may replace it
    const props = ho.node.properties as N[];
    const i = props.map((p) => p.type === 'Property' && /^authorization$/i.test(propName(p) ?? '')).lastIndexOf(true);
    if (i < 0 || props.slice(i + 1).some((p) => p.type === 'SpreadElement')) return false;
    const t = oauthToken((props[i] as TSESTree.Property).value as N);
    return !!t && src(text, unwrap(t)) === src(text, unwrap(token)) && enclosingFunction(t) === enclosingFunction(token);
  });
}

/** The request whose query option (`params: <obj>`) holds `value` (written there, or spread into it), and that option's object. */
function requestOfQueryValue(value: N, facts: FileFacts): { r: RequestInfo; q: Obj } | undefined {
  let v: N = value;
  if (v.parent?.type === 'SpreadElement' && v.parent.parent?.type === 'ObjectExpression') v = v.parent.parent;
  const prop = v.parent;
  if (prop?.type !== 'Property' || prop.value !== v && !(prop.shorthand && prop.key === v) || !QUERY_KEYS.has(propName(prop) ?? '') || prop.parent?.type !== 'ObjectExpression') return undefined;
  const opts = prop.parent;
  const r = facts.requests.find((x) => x.options.some((o) => o.node === opts));
  const o = v.type === 'ObjectExpression' ? undefined : resolveObject(v, facts.env);
  const q = v.type === 'ObjectExpression' ? v : o?.kind === 'object' ? o.node : undefined;
  return r && q ? { r, q } : undefined;
}

/**
 * Every request the params object reaches, with the query object it sends: the one it is written
 * in, or, for a `const` of the same function, the request of each of its uses; undefined when a use
 * is anything else.
 */
function requestsOf(holder: Obj, facts: FileFacts): { r: RequestInfo; q: Obj }[] | undefined {
  const own = requestOfQueryValue(holder, facts);
  if (own) return [own];
  const d = holder.parent;
  if (d?.type !== 'VariableDeclarator' || d.init !== holder || d.id.type !== 'Identifier' || (d.parent as TSESTree.VariableDeclaration).kind !== 'const') return undefined;
  const fn = enclosingFunction(d);
  if (!fn) return undefined;
  const uses = referencesTo(d as typeof d & { id: TSESTree.Identifier }, fn);
  const out: { r: RequestInfo; q: Obj }[] = [];
  for (const u of uses) {
    const rq = requestOfQueryValue(u, facts);
    if (!rq) return undefined;
    out.push(rq);
  }
  return out.length ? out : undefined;
}

/** The token a query object sends: its last `oauth_token`, also from an object spread into it. */
function effectiveToken(q: Obj, facts: FileFacts, depth = 0): N | undefined {
  for (let i = q.properties.length - 1; i >= 0; i--) {
    const p = q.properties[i] as N;
    if (p.type === 'Property' && propName(p) === 'oauth_token') return p.value as N;
    if (p.type === 'SpreadElement') {
      const o = depth < 2 ? resolveObject(p.argument, facts.env) : undefined;
      if (o?.kind !== 'object') return undefined;
      const t = effectiveToken(o.node, facts, depth + 1);
      if (t) return t;
    }
  }
  return undefined;
}

export const headerPresentProvider: Provider = (ctx) => {
  const facts = factsOf(ctx);
  const out: { ruleId: string; edits: TextEdit[] }[] = [];
  /**
   * The object's token can go: every request it reaches sends, in the header, the token its query
   * sent; and the objects spread into it lose theirs too (else theirs would take its place).
   */
  const removable = (holder: Obj, depth = 0): boolean => {
    const rs = requestsOf(holder, facts);
    if (!rs?.every(({ r, q }) => { const t = effectiveToken(q, facts); return !!t && carriesToken(ctx.text, r, t); })) return false;
    return (holder.properties as N[]).every((p) => {
      if (p.type !== 'SpreadElement') return true;
      const o = resolveObject(p.argument, facts.env);
      return o?.kind === 'object' && (!findProp(o.node, 'oauth_token') || depth < 2 && removable(o.node, depth + 1));
    });
  };
  for (const f of findingsOf(ctx, 'no-query-oauth-token', 'query')) {
    const p = facts.params.find((x) => x.name === 'oauth_token' && x.via === 'object' && atSite(f, x));
    if (!p?.holder) continue;
    const rem = removeParam(ctx.text, p, facts);
    if (!rem || rem.removedAll || !removable(p.holder)) continue;
    out.push({ ruleId: 'no-query-oauth-token', edits: rem.edits });
  }
  return out;
};
