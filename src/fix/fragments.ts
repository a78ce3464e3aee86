/**
 * no-query-oauth-token through a shared query fragment, the AngularJS-service idiom where every
 * request method appends the same token fragment to its URL:
 *
 *   var auth = '?oauth_token=' + $rootScope.token;        function auth() { return '&oauth_token=' + token; }
 *   $http.get(base + '/me' + auth);                        $http.put(base + '/me/followings/' + id + auth());
 *
 * Every request whose URL ends with the fragment (`... + auth` / `... + auth()`, the last term of
 * the URL expression given to the request) loses it and sends `Authorization: OAuth <value>`
 * instead; then the fragment's declaration goes. Only when every use of the fragment is such a
 * request, the fragment is a local `var`/`let`/`const` or function (not `this.x`: other code may
 * call it), and its value means the same at each request (its root name is not re-declared in
 * between). Otherwise: marker.
 */
import type { TSESTree } from '@typescript-eslint/typescript-estree';
import { declarationsOf, resolveBinding } from '../engine/analysis/scope.js';
import { traverseCollect } from '../engine/analysis/walk.js';
import { returnedExpressions, unwrap } from '../engine/analysis/values.js';
import type { TextEdit } from '../engine/types.js';
import type { Provider } from './providers.js';
import { addHeader, at, atSite, factsOf, findingsOf, isFn, oauthHeaderValue, removeStatementEdit } from './rewrites.js';

type N = TSESTree.Node;

const FRAG_RE = /^[?&]oauth_token=$/;
const SCOPES = /^(Program|BlockStatement|FunctionDeclaration|FunctionExpression|ArrowFunctionExpression|ForStatement|ForInStatement|ForOfStatement|CatchClause)$/;

/** The root identifier of `x`, `x.y.z`, `x.y()`, `x()`. */
function rootId(n: N): TSESTree.Identifier | undefined {
  let x = unwrap(n);
  for (;;) {
    if (x.type === 'Identifier') return x;
    if (x.type === 'MemberExpression') x = unwrap(x.object);
    else if (x.type === 'CallExpression' && x.arguments.length === 0) x = unwrap(x.callee);
    else return undefined;
  }
}

/** The name `root` means the same at `site` as where `from` is written: no scope in between re-declares it. */
function sameMeaning(root: TSESTree.Identifier, site: N, from: N): boolean {
  let common: N | undefined = from;
  while (common && !(common.range[0] <= site.range[0] && site.range[1] <= common.range[1])) common = common.parent;
  if (!common) return false;
  for (let s: N | undefined = site.parent; s && s !== common; s = s.parent) {
    if (SCOPES.test(s.type) && declarationsOf(s).has(root.name)) return false;
  }
  return true;
}

/** A statement removal also takes the blank line after it when a blank line precedes it (no double gap). */
function removeWithBlankLine(text: string, e: TextEdit): TextEdit {
  const after = /^[ \t]*\r?\n/.exec(text.slice(e.range[1]));
  const blankBefore = /\n[ \t]*\r?\n$/.test(text.slice(0, e.range[0]));
  return after && blankBefore ? { range: [e.range[0], e.range[1] + after[0].length], text: e.text } : e;
}

export const fragmentProvider: Provider = (ctx) => {
  const facts = factsOf(ctx);
  const out: { ruleId: string; edits: TextEdit[] }[] = [];
  const ids: TSESTree.Identifier[] = [];
  traverseCollect(facts.ast, (n) => { if (n.type === 'Identifier') ids.push(n); });
  for (const f of findingsOf(ctx, 'no-query-oauth-token', 'query')) {
    const p = facts.params.find((x) => x.name === 'oauth_token' && atSite(f, x));
    if (!p || p.request || p.via !== 'text') continue;
    const lit = p.report;
    if (lit.type !== 'Literal' || typeof lit.value !== 'string' || !FRAG_RE.test(lit.value)) continue;
    const bin = lit.parent;
    if (bin?.type !== 'BinaryExpression' || bin.operator !== '+' || bin.left !== lit) continue;
    const value = bin.right as N;
    const root = rootId(value);
    if (!root) continue;
    // the fragment: `var auth = '?oauth_token=' + v`, or a function that only returns it
    let decl: N | undefined;
    let name: TSESTree.Identifier | undefined;
    let called = false;
    const holder = bin.parent;
    if (holder?.type === 'VariableDeclarator' && holder.init === bin && holder.id.type === 'Identifier') { decl = holder; name = holder.id; }
    else {
      const fn = holder?.type === 'ReturnStatement' ? holder.parent?.parent : holder;
      if (isFn(fn) && returnedExpressions(fn).length === 1 && unwrap(returnedExpressions(fn)[0]!) === bin && fn.params.length === 0
        && (fn.body.type !== 'BlockStatement' || fn.body.body.length === 1)) {
        if (fn.type === 'FunctionDeclaration' && fn.id) { decl = fn; name = fn.id; }
        else if (fn.parent?.type === 'VariableDeclarator' && fn.parent.id.type === 'Identifier') { decl = fn.parent; name = fn.parent.id; }
        called = true;
      }
    }
    if (!decl || !name) continue;
    const stmt = decl.type === 'VariableDeclarator' ? decl.parent : decl;
    if (!stmt || stmt.type === 'VariableDeclaration' && stmt.declarations.length !== 1) continue;
    if (stmt.parent?.type === 'ExportNamedDeclaration') continue;
    // a value that is the fragment's own local cannot travel
    const rb = resolveBinding(root);
    if (!rb || rb.kind === 'var' && rb.declarator.range[0] >= decl.range[0] && rb.declarator.range[1] <= decl.range[1]) continue;
    // every use: the last term of a request's URL
    const uses = ids.filter((i) => i !== name && i.name === name!.name && resolveBinding(i) && (() => {
      const b = resolveBinding(i)!;
      return b.kind === 'var' ? b.declarator === decl : b.kind === 'function' && b.node === decl;
    })());
    if (!uses.length) continue;
    const edits: TextEdit[] = [];
    let ok = true;
    for (const u of uses) {
      const term: N = called ? u.parent! : u;
      if (called && (term.type !== 'CallExpression' || term.callee !== u || term.arguments.length)) { ok = false; break; }
      const plus = term.parent;
      if (plus?.type !== 'BinaryExpression' || plus.operator !== '+' || plus.right !== term) { ok = false; break; }
      const r = facts.requests.find((x) => x.urlNode && unwrap(x.urlNode) === plus);
      if (!r || !sameMeaning(root, r.call, bin)) { ok = false; break; }
      const h = addHeader(ctx.text, r, 'Authorization', oauthHeaderValue(ctx.text, value));
      if (!h?.length) { ok = false; break; }
      edits.push({ range: [plus.left.range[1], term.range[1]], text: '' }, ...h);
    }
    if (!ok) continue;
    edits.push(removeWithBlankLine(ctx.text, removeStatementEdit(ctx.text, stmt)));
    out.push({ ruleId: 'no-query-oauth-token', edits });
  }
  return out;
};
