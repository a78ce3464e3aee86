/**
 * no-client-id-auth, server code, at calls the request models do not cover: a request-family
 * client used through bluebird's promisifyAll or by its method names, with its options object
 * written right at the call (src/fix/calls.ts does the same for `oauth_token`):
 *
 *   return new Promise(function (resolve, reject) {
 *     var uri = 'https://api.soundcloud.com/resolve.json?url=' + u + '&client_id=' + id;
 *     request.getAsync(uri, { timeout: 10000 }).spread(function (res) { ... }).catch(reject);
 *   });
 *
 * The client_id leaves the URL and the options get `headers: { Authorization: 'OAuth ' + token }`
 * with the app token of the generated client module: awaited in an `async` function, else the
 * statement of a Promise executor waits for it (`soundcloudAccessToken().then((token) =>
 * request.getAsync(...).spread(...), reject)`, a failed token request rejects the promise).
 * Only for api.soundcloud.com (never api-v2) and an options object literal with no spread; else marker.
 */
import type { TSESTree } from '@typescript-eslint/typescript-estree';
import type { RequestInfo } from '../engine/analysis/requests.js';
import { propName, unwrap } from '../engine/analysis/values.js';
import type { TextEdit } from '../engine/types.js';
import { METHOD_RE, requestClientOf, urlCall } from './calls.js';
import type { Provider } from './providers.js';
import {
  clientIdParamAt, bracedLike, clientImportEdit, executorWait, factsOf, findingsOf, insertProp, isApiV2, isAsyncContext, isBrowserCode,
  mayBeApiV2, prefersTemplates, quoteOf, removeInlineParam, removeParam, stringRoot,
} from './rewrites.js';

type N = TSESTree.Node;

export const callOptionsClientIdProvider: Provider = (ctx) => {
  if (isBrowserCode(ctx)) return [];
  const facts = factsOf(ctx);
  const q = quoteOf(ctx.text);
  const tpl = prefersTemplates(ctx.text);
  const edits: TextEdit[] = [];
  for (const f of findingsOf(ctx, 'no-client-id-auth', 'clientId')) {
    const p = clientIdParamAt(facts, f);
    if (!p || p.request || p.via !== 'text' || !/^api\.soundcloud\.com$/i.test(p.url.host ?? '') || isApiV2(p.url.host)) continue;
    const root = stringRoot(p.report);
    const call = urlCall(root, facts);
    const callee = call && unwrap(call.callee);
    if (!call || callee?.type !== 'MemberExpression' || callee.computed || !METHOD_RE.test(propName(callee) ?? '') || !requestClientOf(callee.object)) continue;
    if (mayBeApiV2(p.url.host, ctx.text, call.arguments[0] as N)) continue;
    const opts = call.arguments[1] && unwrap(call.arguments[1] as N);
    if (opts?.type !== 'ObjectExpression' || opts.properties.some((x) => x.type === 'SpreadElement')) continue;
    const headers = (opts.properties as N[]).find((x): x is TSESTree.Property => x.type === 'Property' && propName(x) === 'headers');
    const h = headers && unwrap(headers.value as N);
    if (headers && (h?.type !== 'ObjectExpression' || h.properties.some((x) => x.type !== 'Property' || propName(x)?.toLowerCase() === 'authorization'))) continue;
    // the token: awaited in an async function, else the executor's statement waits for it
    const async = isAsyncContext(call);
    const wait = async ? undefined : executorWait(ctx.text, { call } as RequestInfo);
    if (!async && !wait) continue;
    const rem = removeParam(ctx.text, p, facts) ?? removeInlineParam(ctx.text, p);
    if (!rem) continue;
    const value = wait
      ? (tpl ? `\`OAuth \${${wait.name}}\`` : `${q}OAuth ${q} + ${wait.name}`)
      : (tpl ? '`OAuth ${await soundcloudAccessToken()}`' : `${q}OAuth ${q} + (await soundcloudAccessToken())`);
    const add = h?.type === 'ObjectExpression' ? insertProp(ctx.text, h, `Authorization: ${value}`) : insertProp(ctx.text, opts, `headers: ${bracedLike(ctx.text, opts, `Authorization: ${value}`)}`);
    // the removal stays in the URL (before the call or in it); the options are inside the call
    if (rem.edits.some((e) => e.range[0] < root.range[0] || e.range[1] > root.range[1])) continue;
    edits.push(...rem.edits, add, ...(wait?.edits ?? []));
  }
  if (!edits.length) return [];
  const imp = clientImportEdit(ctx);
  return [{ ruleId: 'no-client-id-auth', edits: imp ? [...edits, imp] : edits }];
};
