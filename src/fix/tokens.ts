/**
 * require-token-refresh ("never renews") -> token handling routed through sc-migrate/runtime, for
 * the common shape of a server's own token function: an async function that asks the token
 * endpoint for a client_credentials token and returns its `access_token` (directly, or through a
 * variable it stores it in). Its body becomes
 *
 *   return soundcloudAccessToken({ clientId: <id>, clientSecret: <secret> });
 *
 * from the generated client module: cached, shared through SOUNDCLOUD_TOKEN_FILE, renewed with the
 * refresh grant before `expires_in`, client_credentials only when nothing else works (its rate
 * limit). Anything else the function does, or a result other than the token string: marker.
 */
import type { TSESTree } from '@typescript-eslint/typescript-estree';
import { programOf, resolveBinding } from '../engine/analysis/scope.js';
import { propName, returnedExpressions, unwrap } from '../engine/analysis/values.js';
import type { TextEdit } from '../engine/types.js';
import type { Provider } from './providers.js';
import { traverseCollect } from '../engine/analysis/walk.js';
import { at, clientImportEdit, enclosingFunction, eolOf, factsOf, findingsOf, isBrowserCode, lineIndent } from './rewrites.js';

type N = TSESTree.Node;
type Fn = TSESTree.FunctionDeclaration | TSESTree.FunctionExpression | TSESTree.ArrowFunctionExpression;

/** Calls a token function may make besides its request (reading the response, building the form). */
const HARMLESS_CALLS = /^(json|text|toString|from|stringify|encodeURIComponent|Error|URLSearchParams|String|Number)$/;

const inside = (n: N, outer: N) => n.range[0] >= outer.range[0] && n.range[1] <= outer.range[1];
/** `x.access_token`, or a variable declared from one (`const { access_token } = ...`, `const t = body.access_token`). */
function isAccessToken(n: N): boolean {
  const x = unwrap(n);
  if (x.type === 'MemberExpression') return propName(x) === 'access_token';
  if (x.type !== 'Identifier') return false;
  const b = resolveBinding(x);
  if (b?.kind !== 'var') return false;
  if (b.path.length === 1 && b.path[0] === 'access_token') return true;
  return b.path.length === 0 && !!b.declarator.init && unwrap(b.declarator.init).type === 'MemberExpression' && propName(unwrap(b.declarator.init) as TSESTree.MemberExpression) === 'access_token';
}

/** Every value the function returns is the token string (or a variable that only ever holds it). */
function returnsAccessToken(fn: Fn): boolean {
  const rets = returnedExpressions(fn);
  if (!rets.length) return false;
  return rets.every((r) => {
    const x = unwrap(r);
    if (isAccessToken(x)) return true;
    if (x.type !== 'Identifier') return false;
    const b = resolveBinding(x);
    if (b?.kind !== 'var' || b.path.length) return false;
    // a cache: `let token;` written only with the token, inside this function
    const writes: N[] = [];
    traverseCollect(programOf(fn), (n) => { if (n.type === 'AssignmentExpression' && n.left.type === 'Identifier' && n.left.name === x.name && resolveBinding(n.left) === b) writes.push(n.right); });
    const init = b.declarator.init;
    return writes.length > 0 && writes.every((w) => inside(w, fn) && isAccessToken(w)) && (!init || unwrap(init).type === 'Identifier' && (unwrap(init) as TSESTree.Identifier).name === 'undefined' || init.type === 'Literal' && init.value === null);
  });
}

/** The identifiers of an expression all name something defined outside the function (or its parameters). */
function freeOutside(expr: N, fn: Fn): boolean {
  let ok = true;
  traverseCollect(expr, (n) => {
    if (n.type !== 'Identifier' || !ok) return;
    const p = n.parent;
    if (p?.type === 'MemberExpression' && p.property === n && !p.computed) return;
    if (p?.type === 'Property' && p.key === n && !p.computed) return;
    const b = resolveBinding(n);
    if (!b) return; // a global (process, Buffer)
    const decl = b.kind === 'var' ? b.declarator : b.kind === 'param' ? undefined : b.node;
    if (decl && inside(decl, fn.body as N)) ok = false;
  });
  return ok;
}

export const tokenRenewalProvider: Provider = (ctx) => {
  if (isBrowserCode(ctx)) return [];
  const facts = factsOf(ctx);
  const out: { ruleId: string; edits: TextEdit[] }[] = [];
  for (const f of findingsOf(ctx, 'require-token-refresh', 'noRefresh')) {
    const r = facts.requests.find((x) => x.urlNode && at(f, x.urlNode));
    const fn = r && enclosingFunction(r.call);
    if (!r || !fn || (fn.type !== 'FunctionDeclaration' && fn.type !== 'FunctionExpression' && fn.type !== 'ArrowFunctionExpression') || !fn.async || fn.body.type !== 'BlockStatement') continue;
    const grant = facts.params.find((p) => p.request === r && p.name === 'grant_type');
    if (grant?.value !== 'client_credentials' || grant.via !== 'object' || !grant.holder) continue;
    const props = (grant.holder.properties as N[]).filter((x): x is TSESTree.Property => x.type === 'Property');
    const id = props.find((x) => propName(x) === 'client_id')?.value as N | undefined;
    const secret = props.find((x) => propName(x) === 'client_secret')?.value as N | undefined;
    if (!id || !secret || !freeOutside(id, fn) || !freeOutside(secret, fn) || !returnsAccessToken(fn)) continue;
    // nothing else happens in it: only the request and reading its answer
    let other = false;
    traverseCollect(fn.body, (n) => {
      if (n.type !== 'CallExpression' && n.type !== 'NewExpression' || n === r.call) return;
      const c = unwrap(n.callee);
      const name = c.type === 'Identifier' ? c.name : c.type === 'MemberExpression' ? propName(c) ?? '' : '';
      if (!HARMLESS_CALLS.test(name)) other = true;
    });
    if (other) continue;
    const t = (n: N) => ctx.text.slice(n.range[0], n.range[1]);
    const eol = eolOf(ctx.text);
    const indent = lineIndent(ctx.text, fn.body.range[0]);
    const body = `{${eol}${indent}  return soundcloudAccessToken({ clientId: ${t(id)}, clientSecret: ${t(secret)} });${eol}${indent}}`;
    const imp = clientImportEdit(ctx);
    out.push({ ruleId: 'require-token-refresh', edits: [{ range: fn.body.range, text: body }, ...(imp ? [imp] : [])] });
  }
  return out;
};
