/**
 * no-query-oauth-token at calls the request models do not cover:
 *
 * - An options object that exists right at the call, for the request-family clients used through
 *   bluebird's promisifyAll or by their method names: `request.getAsync(uri, { timeout })`,
 *   `rp.get(url, { json: true })`, `needle.get(url, { timeout })`: the token leaves the URL and
 *   `headers: { Authorization: 'OAuth ' + t }` goes into that object (merged into its `headers`).
 * - jQuery's shorthands cannot send a header: `$.getJSON(url, { oauth_token: t, limit })` (and
 *   `$.get`) become `$.ajax({ url, data: { limit }, dataType: 'json', headers: { Authorization } })`
 *   (a success callback argument becomes `success:`); the call still returns the jqXHR.
 */
import type { TSESTree } from '@typescript-eslint/typescript-estree';
import { resolveBinding } from '../engine/analysis/scope.js';
import { propName, requireSpecifier, unwrap } from '../engine/analysis/values.js';
import type { TextEdit } from '../engine/types.js';
import type { Provider } from './providers.js';
import type { FileFacts } from '../engine/analysis/facts.js';
import { isCallbackParam } from './callbacks.js';
import { at, atSite, bracedLike, enclosingFunction, factsOf, findingsOf, referencesTo, insertProp, oauthHeaderValue, quoteOf, removeParam, removePropsEdits, stringRoot } from './rewrites.js';

type N = TSESTree.Node;

const REQUEST_LIBS = /^(request|request-promise|request-promise-native|needle|got|axios|superagent)$/;
export const METHOD_RE = /^(get|post|put|patch|del|delete|head)(Async)?$/;

/** `request`, `Promise.promisifyAll(require('request'))`, `require('request-promise')`, an import of one: the module. */
export function requestClientOf(n: N): string | undefined {
  const x = unwrap(n);
  if (x.type !== 'Identifier') return undefined;
  const b = resolveBinding(x);
  if (b?.kind === 'import') return REQUEST_LIBS.test(b.node.source.value) ? b.node.source.value : undefined;
  if (b?.kind !== 'var' || !b.declarator.init) return undefined;
  let init = unwrap(b.declarator.init);
  if (init.type === 'CallExpression' && /(^|\.)promisifyAll$/.test(init.callee.type === 'MemberExpression' ? propName(init.callee) ?? '' : init.callee.type === 'Identifier' ? init.callee.name : '') && init.arguments[0]) {
    init = unwrap(init.arguments[0] as N);
  }
  const spec = requireSpecifier(init);
  return spec && REQUEST_LIBS.test(spec) ? spec : undefined;
}
const isRequestClient = (n: N) => !!requestClientOf(n);

/**
 * No options at the call: where they go. `needle.get(url, cb)` / `request.get(url, cb)` take
 * `(url, options, callback)` (a callback: a function, or a parameter the code shows is one);
 * `rp.get(url)`, `got.get(url)`, `request.getAsync(url)` take `(url, options)`.
 */
function optionsSlot(call: TSESTree.CallExpression, lib: string): number | undefined {
  const args = call.arguments as N[];
  if (args.length === 1 && /^(request|request-promise|request-promise-native|needle|got)$/.test(lib)) return args[0]!.range[1];
  const cb = args.length === 2 ? unwrap(args[1]!) : undefined;
  const isCallback = !!cb && (cb.type === 'FunctionExpression' || cb.type === 'ArrowFunctionExpression' || isCallbackParam(cb)
    || (cb.type === 'Identifier' && resolveBinding(cb)?.kind === 'function'));
  return isCallback && /^(request|needle)$/.test(lib) && !/Async$/.test(propName(call.callee as TSESTree.MemberExpression) ?? '') ? args[0]!.range[1] : undefined;
}

const isConsoleCall = (c: N) => c.type === 'CallExpression' && c.callee.type === 'MemberExpression' && unwrap(c.callee.object).type === 'Identifier' && (unwrap(c.callee.object) as TSESTree.Identifier).name === 'console';

/**
 * The call a URL is the first argument of: written in the call, or held in a variable of the same
 * function that nothing else reads (a `console.*` call may log it) and nothing reassigns:
 * `var uri = '...?oauth_token=' + t; request.getAsync(uri, { timeout })`.
 */
export function urlCall(root: N, facts: FileFacts): TSESTree.CallExpression | undefined {
  const parent = root.parent;
  if (parent?.type === 'CallExpression') return parent.arguments[0] === root ? parent : undefined;
  if (parent?.type !== 'VariableDeclarator' || parent.init !== root || parent.id.type !== 'Identifier') return undefined;
  let call: TSESTree.CallExpression | undefined;
  for (const x of referencesTo(parent, facts)) {
    const c = x.parent;
    if (c?.type === 'CallExpression' && c.arguments[0] === x && !call && c.callee !== x && enclosingFunction(c) === enclosingFunction(parent)) { call = c; continue; }
    if (c && isConsoleCall(c) && (c as TSESTree.CallExpression).arguments.includes(x)) continue;
    return undefined;
  }
  return call;
}

export const callOptionsProvider: Provider = (ctx) => {
  const facts = factsOf(ctx);
  const out: { ruleId: string; edits: TextEdit[] }[] = [];
  for (const f of findingsOf(ctx, 'no-query-oauth-token', 'query')) {
    const p = facts.params.find((x) => x.name === 'oauth_token' && atSite(f, x));
    if (!p) continue;
    // 1. client.getAsync(url, { ...options })
    if (!p.request && p.via === 'text') {
      const call = urlCall(stringRoot(p.report), facts);
      if (!call) continue;
      const callee = unwrap(call.callee);
      if (callee.type !== 'MemberExpression' || callee.computed || !METHOD_RE.test(propName(callee) ?? '') || !isRequestClient(callee.object)) continue;
      const opts = call.arguments[1] && unwrap(call.arguments[1] as N);
      const slot = opts?.type === 'ObjectExpression' ? undefined : optionsSlot(call, requestClientOf(callee.object)!);
      if ((opts?.type !== 'ObjectExpression' && slot === undefined) || (opts?.type === 'ObjectExpression' && opts.properties.some((x) => x.type === 'SpreadElement'))) continue;
      const rem = removeParam(ctx.text, p, facts);
      if (!rem) continue;
      const value = oauthHeaderValue(ctx.text, rem.value, rem.template);
      if (slot !== undefined || opts?.type !== 'ObjectExpression') {
        out.push({ ruleId: 'no-query-oauth-token', edits: [...rem.edits, { range: [slot!, slot!], text: `, { headers: { Authorization: ${value} } }` }] });
        continue;
      }
      const headers = (opts.properties as N[]).find((x): x is TSESTree.Property => x.type === 'Property' && propName(x) === 'headers');
      let add: TextEdit;
      if (headers) {
        const h = unwrap(headers.value as N);
        if (h.type !== 'ObjectExpression' || h.properties.some((x) => x.type === 'Property' && propName(x)?.toLowerCase() === 'authorization')) continue;
        add = insertProp(ctx.text, h, `Authorization: ${value}`);
      } else add = insertProp(ctx.text, opts, `headers: ${bracedLike(ctx.text, opts, `Authorization: ${value}`)}`);
      out.push({ ruleId: 'no-query-oauth-token', edits: [...rem.edits, add] });
      continue;
    }
    // 2. $.getJSON(url, { oauth_token: t, ... }[, success]) -> $.ajax({ url, data, dataType, headers, success })
    const r = p.request;
    if (!r || r.lib !== 'jquery' || p.via !== 'object' || !p.holder) continue;
    const callee = unwrap(r.call.callee);
    const m = callee.type === 'MemberExpression' ? propName(callee) : undefined;
    if (callee.type !== 'MemberExpression' || (m !== 'getJSON' && m !== 'get')) continue;
    const args = r.call.arguments as N[];
    if (args.length < 2 || args.length > 3 || unwrap(args[1]!) !== p.holder || args.some((a) => a.type === 'SpreadElement')) continue;
    const cb = args[2] && unwrap(args[2]);
    if (cb && cb.type !== 'FunctionExpression' && cb.type !== 'ArrowFunctionExpression' && cb.type !== 'Identifier') continue;
    const prop = (p.holder.properties as N[]).find((x): x is TSESTree.Property => x.type === 'Property' && x.key === p.report);
    if (!prop) continue;
    const q = quoteOf(ctx.text);
    const src = (n: N) => ctx.text.slice(n.range[0], n.range[1]);
    // the data object without oauth_token, as text
    let data = '';
    if (p.holder.properties.length > 1) {
      const [e] = removePropsEdits(ctx.text, p.holder, [prop]);
      if (!e) continue;
      const hs = p.holder.range[0];
      const holderText = src(p.holder);
      data = holderText.slice(0, e.range[0] - hs) + e.text + holderText.slice(e.range[1] - hs);
    }
    const value = oauthHeaderValue(ctx.text, prop.value as N);
    const parts = [`url: ${src(args[0]!)}`, ...(data ? [`data: ${data}`] : []), ...(m === 'getJSON' ? [`dataType: ${q}json${q}`] : []), `headers: { Authorization: ${value} }`, ...(cb ? [`success: ${src(cb)}`] : [])];
    const obj = src(r.call).includes('\n') ? null : `{ ${parts.join(', ')} }`;
    if (!obj) continue; // multi-line calls: keep the marker rather than reflow the file's layout
    out.push({ ruleId: 'no-query-oauth-token', edits: [{ range: [callee.property.range[0], r.call.range[1]], text: `ajax(${obj})` }] });
  }
  return out;
};
