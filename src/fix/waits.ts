/**
 * A promise-based request that a plain (not async) function returns, or that an arrow function's
 * expression body is: `return fetch(url + '?client_id=' + ID).then((r) => r.json())`,
 * `const search = (q) => axios.get(url, { params: { client_id, q } })`. The request waits for the
 * app token in the chain it already heads:
 * `return soundcloudAccessToken().then((token) => fetch(url, { headers })).then((r) => r.json())`:
 * the function still returns a promise of the same value, and a failed token request rejects it,
 * as a failed request would. Also a chain written as the statement that ends a plain function
 * (`app.get('/s', (req, res) => { axios.get(url).then((r) => res.json(r.data)).catch(next); })`):
 * a failed token request goes down the same chain. Only fetch and axios, whose calls return plain promises (got, ky,
 * superagent and request-promise return objects with methods of their own a caller may use), and
 * only when the request heads a chain of then/catch/finally that is returned.
 */
import type { TSESTree } from '@typescript-eslint/typescript-estree';
import type { RequestInfo } from '../engine/analysis/requests.js';
import { propName } from '../engine/analysis/values.js';
import type { TextEdit } from '../engine/types.js';
import { endsFunction, freeName, isFn } from './rewrites.js';

type N = TSESTree.Node;

export function promiseWait(text: string, r: RequestInfo): { name: string; edits: TextEdit[] } | undefined {
  if (r.lib !== 'fetch' && r.lib !== 'axios') return undefined;
  // the chain the request heads: fetch(u).then(a).catch(b)
  let e: N = r.call;
  while (e.parent?.type === 'MemberExpression' && e.parent.object === e && /^(then|catch|finally)$/.test(propName(e.parent) ?? '') && e.parent.parent?.type === 'CallExpression' && e.parent.parent.callee === e.parent) e = e.parent.parent;
  const p = e.parent;
  let fn: TSESTree.FunctionLike | undefined;
  if (p?.type === 'ArrowFunctionExpression' && p.body === e) fn = p;
  // returned, or the statement that ends the function (an Express handler's `axios.get(u).then((r) => res.json(r.data))`)
  else if (p?.type === 'ReturnStatement' || (p?.type === 'ExpressionStatement' && e !== r.call && endsFunction(p))) for (let x: N | undefined = p.parent; x && !fn; x = x.parent) if (isFn(x)) fn = x;
  if (!fn || fn.async || (fn as { generator?: boolean }).generator) return undefined;
  const scope = text.slice(fn.range[0], fn.range[1]);
  const name = freeName(scope);
  if (!name) return undefined;
  return { name, edits: [
    { range: [r.call.range[0], r.call.range[0]], text: `soundcloudAccessToken().then((${name}) => ` },
    { range: [r.call.range[1], r.call.range[1]], text: ')' },
  ] };
}
