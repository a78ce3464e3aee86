/**
 * The rotated refresh token (issue 11, the not-the-singer driver): SoundCloud answers a
 * `grant_type=refresh_token` request with a NEW refresh token and refuses the old one afterwards
 * (`refresh_token_reused`). Code that reads only `access_token` from that response works once per
 * stored refresh token. No rule reports this (it is not a finding), and a codemod cannot invent
 * a store: when the refresh token comes from an environment variable there is nothing the app can
 * write to (a process.env assignment would last one warm instance and hide the problem). So fix
 * says it once per function, as a note of its summary (`results[].notes` in JSON), never as an edit.
 */
import type { TSESTree } from '@typescript-eslint/typescript-estree';
import type { Parsed } from '../engine/parse.js';
import { traverseCollect } from '../engine/analysis/walk.js';

type N = TSESTree.Node;
type Fn = TSESTree.FunctionDeclaration | TSESTree.FunctionExpression | TSESTree.ArrowFunctionExpression;

const keyName = (k: N): string | undefined => (k.type === 'Identifier' ? k.name : k.type === 'Literal' && typeof k.value === 'string' ? k.value : undefined);
const isString = (n: N, v: string) => (n.type === 'Literal' && n.value === v) || (n.type === 'TemplateLiteral' && n.expressions.length === 0 && n.quasis[0]?.value.cooked === v);
const REFRESH = /^(refresh_token|refreshToken)$/;

/** `process.env.X` / `process.env['X']`: X. */
function envName(n: N | null | undefined): string | undefined {
  if (n?.type !== 'MemberExpression') return undefined;
  const o = n.object;
  if (o.type !== 'MemberExpression' || o.object.type !== 'Identifier' || o.object.name !== 'process' || keyName(o.property) !== 'env') return undefined;
  return n.computed ? (n.property.type === 'Literal' && typeof n.property.value === 'string' ? n.property.value : undefined) : keyName(n.property);
}

/** Notes for refresh grants whose response's new refresh token is dropped (1-based lines). */
export function droppedRefreshTokenNotes(parsed: Parsed, lineOf: (offset: number) => number): string[] {
  const fns: Fn[] = [];
  const grants: TSESTree.ObjectExpression[] = [];
  traverseCollect(parsed.ast as N, (n) => {
    if (n.type === 'FunctionDeclaration' || n.type === 'FunctionExpression' || n.type === 'ArrowFunctionExpression') fns.push(n);
    if (n.type === 'ObjectExpression' && n.properties.some((p) => p.type === 'Property' && keyName(p.key) === 'grant_type' && isString(p.value as N, 'refresh_token'))) grants.push(n);
  });
  const notes: string[] = [];
  const seen = new Set<Fn>();
  for (const g of grants) {
    const fn = fns.filter((f) => f.range[0] <= g.range[0] && g.range[1] <= f.range[1]).sort((a, b) => (a.range[1] - a.range[0]) - (b.range[1] - b.range[0]))[0];
    if (!fn || seen.has(fn)) continue;
    seen.add(fn);
    let readsAccess = false;
    let keepsRefresh = false;
    const locals = new Map<string, string>();
    traverseCollect(fn as N, (n) => {
      if (n.type === 'MemberExpression') {
        const k = n.computed ? (n.property.type === 'Literal' ? String(n.property.value) : undefined) : keyName(n.property);
        if (k === 'access_token' || k === 'accessToken') readsAccess = true;
        if (k && REFRESH.test(k)) keepsRefresh = true; // response.refresh_token, or a stored token object's
      }
      // destructured from the response, or the whole response returned / handed on
      if (n.type === 'ObjectPattern' && n.properties.some((p) => p.type === 'Property' && REFRESH.test(keyName(p.key) ?? ''))) keepsRefresh = true;
      if (n.type === 'ReturnStatement' && n.argument && (n.argument.type === 'Identifier' || n.argument.type === 'AwaitExpression')) keepsRefresh = true;
      if (n.type === 'VariableDeclarator' && n.id.type === 'Identifier') { const e = envName(n.init); if (e) locals.set(n.id.name, e); }
    });
    if (!readsAccess || keepsRefresh) continue;
    const rt = g.properties.find((p) => p.type === 'Property' && keyName(p.key) === 'refresh_token');
    const v = rt?.type === 'Property' ? (rt.value as N) : undefined;
    const env = envName(v) ?? (v?.type === 'Identifier' ? locals.get(v.name) : undefined);
    const where = env
      ? `it comes from the environment variable ${env}, which the app cannot update: keep it in a store the app can write (a database, KV) and save each new one there`
      : 'save each new one where the app keeps it';
    notes.push(`line ${lineOf(g.range[0])}: the refresh grant's response has a new refresh_token (SoundCloud rotates it and refuses the old one as reused), which this code drops; ${where}`);
  }
  return notes;
}
