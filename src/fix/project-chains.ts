/**
 * The token URL handed on through functions that hand it on again (redux-thunk action creators,
 * the project pass of `fix` next to src/fix/project-wrappers.ts):
 *
 *   // actions/session.js
 *   dispatch(loadIfNeeded(STREAM, `${STREAM_URL}&oauth_token=${token}`));
 *   // actions/lists.js
 *   export const loadIfNeeded = (list, url) => (dispatch) => { if (url) dispatch(load(list, url)); };
 *   export const load = (list, url) => async (dispatch) => { const { json } = await callApi(url); ... };
 *   // utils/api.js
 *   export const callApi = (url, options) => fetch(url, options);
 *
 * The URL loses the token; every function on the way gets a trailing `authorization` parameter
 * and hands it to the next one; the last one sends it as the `Authorization` header of its request
 * (or in the options it gives a pass-through wrapper such as callApi); the first call passes
 * `'OAuth ' + token`. Other calls pass nothing: no header, as before.
 *
 * Only when provable, else the marker stays:
 * - in each function, the URL parameter is sent once (a request, a pass-through wrapper, or the
 *   next function) and otherwise only tested (`if (url)`, `url && ...`, `!url`);
 * - every reference to each function (ts-morph, the whole project) is an import, or a call with
 *   room for the new argument; or, when it is handed on as a value (react-redux
 *   `connect(null, { loadIfNeeded })`), every use of its name in the project keeps the name
 *   (shorthand properties, destructuring, same-name JSX attributes, prop types) and every call of
 *   that name passes no more arguments than the function had parameters.
 * One hop whose request sits in the function itself is the wrapper rewrite's (src/fix/wrappers.ts).
 */
import type { TSESTree } from '@typescript-eslint/typescript-estree';
import type { Node as TsNode, Project } from 'ts-morph';
import { requestOf, type RequestInfo } from '../engine/analysis/requests.js';
import { resolveBinding } from '../engine/analysis/scope.js';
import { resolveFunction, unwrap, type Env } from '../engine/analysis/values.js';
import type { TextEdit } from '../engine/types.js';
import { forEachChild } from '../engine/walk.js';
import { functionReferences, nameNode, tidyRemoval, type FileContext } from './project-model.js';
import { addHeader, at, atSite, enclosingFunction, findingsOf, insertProp, isFn, isReference, oauthHeaderValue, removeParam, stringRoot } from './rewrites.js';
import { paramEdit, paramName, passEdit, passThroughIndex, requestsIn, type Fn } from './wrappers.js';

type N = TSESTree.Node;
type M = typeof import('ts-morph').Node;
type SK = typeof import('ts-morph').SyntaxKind;

const AUTH = 'authorization';
const MAX_HOPS = 4;

interface Hop { fn: Fn; env: Env; name: TSESTree.Identifier; sink: TSESTree.CallExpression }
type End = { kind: 'request'; request: RequestInfo } | { kind: 'options'; call: TSESTree.CallExpression; index: number };
export interface Chain { file: string; call: TSESTree.CallExpression; edits: TextEdit[]; pass: string; hops: Hop[]; end: End }

/** The uses of parameter `name` of `fn` (nested functions included), each with whether it only tests the value. */
function paramUses(fn: Fn, name: string): { id: TSESTree.Identifier; test: boolean }[] {
  const out: { id: TSESTree.Identifier; test: boolean }[] = [];
  const visit = (n: N) => {
    if (n.type === 'Identifier' && n.name === name) {
      const p = n.parent;
      const b = isReference(n) ? resolveBinding(n) : undefined;
      if (b?.kind === 'param' && b.fn === fn) {
        const test = p?.type === 'LogicalExpression' && p.operator === '&&' && p.left === n
          || (p?.type === 'IfStatement' || p?.type === 'ConditionalExpression') && p.test === n
          || p?.type === 'UnaryExpression' && p.operator === '!';
        out.push({ id: n, test });
      }
      return;
    }
    forEachChild(n, visit);
  };
  if (fn.body) visit(fn.body as N);
  return out;
}

/** Where the URL given as argument `index` of `call` goes, hop by hop, to the request that sends it. */
function follow(call: TSESTree.CallExpression, index: number, env: Env, seen: Set<N>): { hops: Hop[]; end: End } | undefined {
  if (seen.size >= MAX_HOPS) return undefined;
  const r = resolveFunction(call.callee, env);
  const fn = r?.fn as N | undefined;
  if (!r || !isFn(fn) || seen.has(fn)) return undefined;
  const name = nameNode(fn);
  const pname = paramName(fn, index);
  if (!name || !pname || fn.params.some((p) => p.type === 'RestElement')) return undefined;
  const sinks = paramUses(fn, pname).filter((u) => !u.test);
  const s = sinks.length === 1 ? sinks[0]!.id : undefined;
  const sink = s?.parent;
  if (!s || sink?.type !== 'CallExpression' || sink.callee === s) return undefined;
  const j = (sink.arguments as N[]).indexOf(s);
  if (j < 0 || sink.arguments.some((a) => a.type === 'SpreadElement')) return undefined;
  const hop: Hop = { fn, env: r.env, name, sink };
  const req = requestOf(sink, r.env);
  if (req) return req.urlNode && unwrap(req.urlNode) === s ? { hops: [hop], end: { kind: 'request', request: req } } : undefined;
  // a pass-through wrapper: callApi(url, options) => fetch(url, options)
  const next = resolveFunction(sink.callee, r.env);
  const nfn = next?.fn as N | undefined;
  if (!next || !isFn(nfn)) return undefined;
  const nparam = paramName(nfn, j);
  const own = nparam ? requestsIn(nfn, next.env).filter((q) => { const u = q.urlNode && unwrap(q.urlNode); return u?.type === 'Identifier' && u.name === nparam; }) : [];
  const pt = own.length === 1 ? passThroughIndex(nfn, own[0]!) : undefined;
  if (pt !== undefined) return { hops: [hop], end: { kind: 'options', call: sink, index: pt } };
  const rest = follow(sink, j, r.env, new Set([...seen, fn]));
  return rest && { hops: [hop, ...rest.hops], end: rest.end };
}

/** Engine-only planning: the token URLs of a file that reach a request through two or more functions. */
export function planChains(c: FileContext): Chain[] {
  const { ctx, facts } = c;
  const text = ctx.text;
  const file = ctx.filename;
  const out: Chain[] = [];
  for (const f of findingsOf(ctx, 'no-query-oauth-token', 'query')) {
    const p = facts.params.find((x) => x.name === 'oauth_token' && atSite(f, x));
    if (!p || p.request || p.via !== 'text') continue;
    const rem = removeParam(text, p, facts);
    const carrier = stringRoot(p.report);
    const call = carrier.parent;
    if (!rem || call?.type !== 'CallExpression' || call.callee === carrier) continue;
    const index = (call.arguments as N[]).indexOf(carrier);
    const route = index >= 0 ? follow(call, index, facts.env, new Set()) : undefined;
    if (!route) continue;
    // one hop with its request in the function itself: the wrapper rewrite's case
    const last = route.hops[route.hops.length - 1]!;
    if (route.hops.length === 1 && enclosingFunction(last.sink) === last.fn) continue;
    out.push({ file, call, edits: tidyRemoval(text, carrier, rem.edits), pass: oauthHeaderValue(text, rem.value), ...route });
  }
  return out;
}

/** Every use of `name` in the project keeps the name, and every call of it passes at most `max` arguments. */
function nameFlowSafe(tsp: Project, M: M, SyntaxKind: SK, name: string, max: number): boolean {
  const callOk = (call: TsNode | undefined, callee: TsNode) => !!call && M.isCallExpression(call) && call.getExpression() === callee
    && call.getArguments().length <= max && !call.getArguments().some((a) => M.isSpreadElement(a));
  for (const sf of tsp.getSourceFiles()) {
    if (!sf.getFullText().includes(name)) continue;
    for (const id of sf.getDescendantsOfKind(SyntaxKind.Identifier)) {
      if (id.getText() !== name) continue;
      const p = id.getParent();
      if (!p) return false;
      if (M.isImportSpecifier(p) || M.isExportSpecifier(p)) { if (p.getAliasNode()) return false; continue; }
      if ((M.isVariableDeclaration(p) || M.isFunctionDeclaration(p) || M.isPropertySignature(p) || M.isJsxAttribute(p)) && p.getNameNode() === id) continue;
      if (M.isShorthandPropertyAssignment(p)) continue;
      if (M.isBindingElement(p) && (!p.getPropertyNameNode() || p.getPropertyNameNode()!.getText() === name)) continue;
      if (M.isPropertyAssignment(p)) {
        if (p.getNameNode() === id) continue;
        if (p.getNameNode().getText() === name) continue;
        return false;
      }
      // x.name: the member access is the use
      const use = M.isPropertyAccessExpression(p) && p.getNameNode() === id ? p : id;
      const up = use.getParent();
      if (callOk(up, use)) continue;
      if (up && M.isJsxExpression(up) && (() => { const a = up.getParent(); return !!a && M.isJsxAttribute(a) && a.getNameNode().getText() === name; })()) continue;
      return false;
    }
  }
  return true;
}

/** Every reference to the function is an import or a call with room for one more argument (else the name-flow check). */
function callersSafe(tsp: Project, M: M, SyntaxKind: SK, file: string, fn: Fn, name: TSESTree.Identifier, texts: Map<string, string>): boolean {
  const refs = functionReferences(tsp, M, file, name);
  if (!refs) return false;
  const max = fn.params.length;
  let values = false;
  for (const ref of refs) {
    if (!texts.has(ref.file)) return false;
    if (ref.kind === 'import-specifier') { if (ref.aliased) return false; continue; }
    if (ref.kind === 'export-specifier' || ref.kind === 'declaration') continue;
    if (ref.kind === 'call') {
      if (ref.spread || ref.args.length > max) return false;
      continue;
    }
    values = true;
  }
  return !values || nameFlowSafe(tsp, M, SyntaxKind, name.name, max);
}

/** `authorization ? { headers: { Authorization: authorization } } : undefined` as the options a pass-through wrapper gets. */
function optionsAuthEdit(text: string, call: TSESTree.CallExpression, index: number): TextEdit | undefined {
  const args = call.arguments as N[];
  const a = args[index];
  const cond = `...(${AUTH} ? { Authorization: ${AUTH} } : {})`;
  if (!a) {
    const last = args[args.length - 1];
    if (!last || index > args.length + 2) return undefined;
    return { range: [last.range[1], last.range[1]], text: `${', undefined'.repeat(index - args.length)}, ${AUTH} ? { headers: { Authorization: ${AUTH} } } : undefined` };
  }
  const o = unwrap(a);
  if (o.type !== 'ObjectExpression' || o.properties.some((p) => p.type === 'SpreadElement')) return undefined;
  const h = (o.properties as N[]).find((p): p is TSESTree.Property => p.type === 'Property' && !p.computed && (p.key.type === 'Identifier' ? p.key.name : String((p.key as TSESTree.Literal).value)) === 'headers');
  if (!h) return insertProp(text, o, `headers: { ${cond} }`);
  const hv = unwrap(h.value as N);
  return hv.type === 'ObjectExpression' ? insertProp(text, hv, cond) : undefined;
}

/** The edits (file -> edits) of all chains, or nothing when any is unsafe or two overlap. */
export function chainEdits(chains: Chain[], texts: Map<string, string>, tsp: Project, M: M, SyntaxKind: SK): Map<string, TextEdit[]> {
  const edits = new Map<string, Map<string, TextEdit>>();
  const add = (file: string, e: TextEdit) => {
    const m = edits.get(file) ?? new Map<string, TextEdit>();
    m.set(`${e.range[0]}:${e.range[1]}:${e.text}`, e);
    edits.set(file, m);
  };
  const checked = new Map<Fn, boolean>();
  for (const ch of chains) {
    const text = (f: string) => texts.get(f);
    const ok = ch.hops.every((h) => {
      if (!checked.has(h.fn)) checked.set(h.fn, text(h.env.filename) !== undefined && callersSafe(tsp, M, SyntaxKind, h.env.filename, h.fn, h.name, texts));
      return checked.get(h.fn);
    });
    if (!ok) continue;
    const planned: [string, TextEdit][] = [];
    const first = passEdit(ch.call, ch.hops[0]!.fn, ch.pass);
    if (!first) continue;
    planned.push(...ch.edits.map((e): [string, TextEdit] => [ch.file, e]), [ch.file, first]);
    let good = true;
    ch.hops.forEach((h, k) => {
      const t = text(h.env.filename)!;
      const pe = paramEdit(t, h.env.filename, h.fn);
      const next = ch.hops[k + 1];
      const se = next ? [passEdit(h.sink, next.fn, AUTH)]
        : ch.end.kind === 'request' ? addHeader(t, ch.end.request, 'Authorization', AUTH, undefined, `...(${AUTH} ? { Authorization: ${AUTH} } : {})`) ?? [undefined]
          : [optionsAuthEdit(t, ch.end.call, ch.end.index)];
      if (!pe || !se.length || se.some((e) => !e)) { good = false; return; }
      for (const e of [...pe, ...se]) planned.push([h.env.filename, e!]);
    });
    if (good) for (const [f, e] of planned) add(f, e);
  }
  const out = new Map<string, TextEdit[]>();
  for (const [f, m] of edits) {
    const es = [...m.values()].sort((a, b) => a.range[0] - b.range[0] || a.range[1] - b.range[1]);
    if (es.some((e, i) => i > 0 && e.range[0] < es[i - 1]!.range[1])) return new Map();
    out.set(f, es);
  }
  return out;
}
