/**
 * Strings and parameters as the file writes them: which expressions build strings, the
 * `name=value` pairs written in URL or body text and where they go (query, body), the literal that
 * wrote each (where a finding is reported), object keys as parameters, and the URL a string is.
 */
import type { TSESTree } from '@typescript-eslint/typescript-estree';
import { classifyUrl, type UrlInfo } from './hosts.js';
import { enclosingFunction, resolveBinding } from './scope.js';
import { HOLE, evalString, flatText, nameOf, propName, resolveFunction, resolveObject, returnedExpressions, unwrap, type Env, type Part, type Str, type TextPart } from './values.js';
import type { Where } from './facts.js';
import { startOf, endOf } from '../offsets.js';

type N = TSESTree.Node;

export const STRING_EXPR = new Set(['Literal', 'TemplateLiteral', 'BinaryExpression']);

export const isStringBuild = (n: N): boolean =>
  (n.type === 'Literal' && typeof n.value === 'string') || n.type === 'TemplateLiteral' || (n.type === 'BinaryExpression' && n.operator === '+');

/** The outermost string-building expression: not itself part of a larger one. */
export function isOutermost(n: N): boolean {
  const p = n.parent;
  if (!p) return true;
  if (p.type === 'BinaryExpression' && p.operator === '+') return false;
  if (p.type === 'TemplateLiteral') return false;
  if (p.type === 'TSAsExpression' || p.type === 'TSNonNullExpression') return isOutermost(p);
  return true;
}

/**
 * The whole string build a piece is written in: up through the template literals and `+`
 * concatenations around it (`${res.next_href}&client_id=${ID}` for its `&client_id=` piece).
 */
export function stringBuildOf(n: N): N {
  let x = n;
  while (x.parent && (x.parent.type === 'TemplateLiteral' || (x.parent.type === 'BinaryExpression' && x.parent.operator === '+'))) x = x.parent;
  return x;
}

/**
 * The whole expression a value is written in, where it ends up: up through binary operators of
 * any kind, template literals and `as` casts (wider than stringBuildOf: `(base + '?id=' + id) as string`
 * handed to a call, `x === 'a' + b` as an operand).
 */
export function expressionOf(n: N): N {
  let x = n;
  while (x.parent && (x.parent.type === 'BinaryExpression' || x.parent.type === 'TemplateLiteral' || x.parent.type === 'TSAsExpression')) x = x.parent;
  return x;
}

/** Non-code string positions: import sources, object keys, types, directives. */
export function isInertPosition(n: N): boolean {
  const p = n.parent;
  if (!p) return false;
  if ((p.type === 'ImportDeclaration' || p.type === 'ExportNamedDeclaration' || p.type === 'ExportAllDeclaration' || p.type === 'ImportExpression') && (p as { source?: N }).source === n) return true;
  if (p.type === 'Property' && p.key === n && !p.computed) return true;
  if (p.type === 'ExpressionStatement' && (p as { directive?: string }).directive) return true;
  if (p.type.startsWith('TS') && p.type !== 'TSAsExpression' && p.type !== 'TSNonNullExpression' && p.type !== 'TSSatisfiesExpression') return true;
  if (p.type === 'CallExpression' && p.callee.type === 'Identifier' && p.callee.name === 'require') return true;
  return false;
}


/** Is the expression sent as a request body (not a URL)? */
export function isBodyPosition(n: N): boolean {
  let x: N = n;
  while (x.parent && (x.parent.type === 'TSAsExpression' || x.parent.type === 'CallExpression' && /\.(toString|trim)$/.test(nameOf(x.parent.callee)))) x = x.parent;
  const p = x.parent;
  if (!p) return false;
  if (p.type === 'Property' && p.value === x) return /^(body|data|form|json|content|formData)$/.test(propName(p) ?? '');
  if (p.type === 'CallExpression' && p.callee.type === 'MemberExpression' && propName(p.callee) === 'send') return true;
  if (p.type === 'CallExpression' && p.arguments.length > 1 && p.arguments[1] === x && /\.(post|put|patch)$/i.test(nameOf(p.callee))) return true;
  if (p.type === 'CallExpression' && p.callee.type === 'MemberExpression' && /^(write|end)$/.test(propName(p.callee) ?? '')) return true;
  return false;
}

const PARAM_TEXT_RE = /(^|[?&#\uFFFC])([A-Za-z_][\w.[\]-]*)=([^&#?\uFFFC]*)/g;

export function paramsInText(text: string): { name: string; value: string; index: number; sep: string }[] {
  const out: { name: string; value: string; index: number; sep: string }[] = [];
  if (!text.includes('=')) return out;
  for (const m of text.matchAll(PARAM_TEXT_RE)) out.push({ name: m[2]!, value: m[3]!, index: m.index! + m[1]!.length, sep: m[1]! });
  return out;
}

/** Where the parameters of a string go: query (a URL with '?', or a fragment attached to one) or body. */
/** The part is the start of the literal that wrote it (`'client_id=' + ID`, not `...${sep}client_id=`). */
export function startsOwner(part: TextPart): boolean {
  const o = part.owner;
  if (o.type === 'Literal') return String(o.value).startsWith(part.text);
  if (o.type === 'TemplateLiteral') { const q = o.quasis[0]; return !!q && (q.value.cooked ?? q.value.raw) === part.text; }
  return false;
}

/** Offset of a part in the flat text of its alternative. */
export function partOffset(s: Str, part: Part): number {
  let at = 0;
  for (const p of s) { if (p === part) return at; at += p.kind === 'text' ? p.text.length : 1; }
  return -1;
}

/** A constant that is a query fragment (`const AUTH = 'client_id=' + ID`), not sent as a body. */
export function isFragmentConstant(node: N, text: string, index: number, uses: N[]): boolean {
  if (index !== 0 || !/^[A-Za-z_]\w*=[^&]*(&[A-Za-z_]\w*=[^&]*)*$/.test(text)) return false;
  const d = node.parent;
  if (d?.type !== 'VariableDeclarator' || d.init !== node) return false;
  return !uses.some((u) => { let x: N = u; while (x.parent && isStringBuild(x.parent)) x = x.parent; return isBodyPosition(x); });
}

export function textWhere(text: string, index: number, sep: string, node: N): Where {
  if (isBodyPosition(node)) return 'body';
  const q = text.indexOf('?');
  if (q !== -1 && q < index) return 'query';
  if (sep === '?' || (sep === '&' && index === 1)) return 'query';
  if (sep === HOLE) return 'query'; // `${url}${sep}client_id=`: appended to a URL
  if (sep === '&' && (text[0] === HOLE || text[index - 2] === HOLE)) return 'query';
  if (/^\s*(https?:)?\/\/[^/]/i.test(text)) return 'query'; // written into an absolute URL
  return 'unknown';
}

function within(n: N, outer: N): boolean {
  return startOf(n) >= startOf(outer) && endOf(n) <= endOf(outer);
}

/** The constant a fragment is written into (`export const CLIENT_ID_PARAM = \`client_id=${ID}\``), if any. */
function fragmentConstantName(owner: N): string | undefined {
  let x: N = owner;
  while (x.parent && isStringBuild(x.parent)) x = x.parent;
  const d = x.parent;
  return d?.type === 'VariableDeclarator' && d.init === x && d.id.type === 'Identifier' ? d.id.name : undefined;
}

/** A string build that is the whole value of a module constant (`const X = ...`, `export const X = ...`). */
function moduleConstant(n: N): boolean {
  let x: N = n;
  while (x.parent && isStringBuild(x.parent)) x = x.parent;
  const d = x.parent;
  const decl = d?.type === 'VariableDeclarator' && d.init === x ? d.parent : undefined;
  return decl?.type === 'VariableDeclaration' && decl.kind === 'const' && (decl.parent?.type === 'ExportNamedDeclaration' || decl.parent?.type === 'Program');
}

/** Whether a string build names `name` (`X`, `consts.X`) among its pieces. */
function mentionsName(expr: N, name: string, depth = 0): boolean {
  const x = unwrap(expr);
  if (x.type === 'Identifier') {
    if (x.name === name) return true;
    // `import { CLIENT_ID_PARAM as q }`, or a local variable that holds it (`const q = CLIENT_ID_PARAM`)
    const b = resolveBinding(x);
    if (b?.kind === 'import') return b.imported === name;
    if (b?.kind !== 'var') return false;
    // `const { CLIENT_ID_PARAM: q } = require('./urls')`
    if (b.path.length) return b.path[b.path.length - 1] === name;
    return !!b.declarator.init && depth < 4 && mentionsName(b.declarator.init, name, depth + 1);
  }
  const m = (n: N) => mentionsName(n, name, depth);
  if (x.type === 'MemberExpression') return propName(x) === name || m(x.object);
  if (x.type === 'BinaryExpression' || x.type === 'LogicalExpression') return m(x.left) || m(x.right);
  if (x.type === 'TemplateLiteral') return x.expressions.some(m);
  if (x.type === 'CallExpression') return x.arguments.some(m) || m(x.callee);
  if (x.type === 'ConditionalExpression') return m(x.consequent) || m(x.alternate);
  return false;
}

/** A string literal or template whose text starts with an absolute URL (`https://...`, `//host/...`). */
function absoluteUrlOwner(owner: N): boolean {
  const first = owner.type === 'TemplateLiteral' ? owner.quasis[0]?.value.cooked ?? '' : owner.type === 'Literal' && typeof owner.value === 'string' ? owner.value : '';
  return /^\s*([a-z][a-z0-9+.-]*:)?\/\/[^/\s]/i.test(first);
}

/** The report node for a parameter written in `part`, found while evaluating `expr` of this file. */
export function reportNodeFor(part: TextPart, expr: N, env: Env, fragment: boolean): N | undefined {
  if (part.file === env.filename && within(part.owner, expr)) return part.owner;
  // A shared fragment constant ('?client_id=' + ID, module level or another file) attached here:
  // report the attaching expression too (the constant reports itself where it is written). A local
  // variable of the same function is one root cause.
  // (a whole URL constant, `//api.soundcloud.com/tracks?...&client_id=${ID}`, is no fragment: it
  // reports itself, and each expression that adds a path or parameters to it is not another cause)
  if (fragment && !absoluteUrlOwner(part.owner) && (part.file !== env.filename || enclosingFunction(part.owner) !== enclosingFunction(expr))) {
    // ...unless another module attached it: `TRACKS_URL + '&q=' + q` where that module wrote
    // TRACKS_URL = `${API}/tracks?${CLIENT_ID_PARAM}` (its URL constant is the attaching place)
    const name = part.file !== env.filename ? fragmentConstantName(part.owner) : undefined;
    return name && !mentionsName(expr, name) ? undefined : expr;
  }
  // A fragment constant attached at the top of the same module (`export const SEARCH_URL =
  // \`${API}/tracks?${KEY_PARAM}\``, `const USER_OPTIONS = { url: \`${USERS}?${KEY_PARAM}\` }`): each is a
  // place it is attached, as a function's URL is
  if (fragment && part.file === env.filename && !enclosingFunction(expr) && moduleConstant(part.owner) && !absoluteUrlOwner(part.owner)) return expr;
  // A local piece (`let url = '/me?oauth_token=' + t; get(BASE + url)`): the literal that wrote it.
  if (part.file === env.filename) return part.owner;
  return undefined;
}

/**
 * A position reported instead of a node: a parameter's name inside a multi-line template literal.
 * `loc` only where the tree has locations (the scanner's trees have offsets only; its reporter computes
 * the line and column).
 */
export interface SitePosition { range: [number, number]; loc?: TSESTree.SourceLocation }

/**
 * Where a parameter of a multi-line template literal is written (`offset`: the index of its name
 * in the part's text): the line of `&client_id=`, not the template's first line. Undefined for
 * anything else (a parameter on the template's first line, a string literal).
 */
export function positionInTemplate(part: TextPart, offset: number, name: string, report: N): SitePosition | undefined {
  const q = part.quasi;
  if (!q || report !== part.owner || report.type !== 'TemplateLiteral') return undefined;
  const raw = q.value.raw;
  let at = offset;
  if (raw !== part.text) {
    // escapes: the k-th `name=` of the cooked text is the k-th of the raw text
    const k = part.text.slice(0, offset).split(`${name}=`).length - 1;
    at = -1;
    for (let i = 0; i <= k; i++) { at = raw.indexOf(`${name}=`, at + 1); if (at < 0) return undefined; }
  }
  if (raw.slice(at, at + name.length) !== name) return undefined;
  const before = raw.slice(0, at);
  const earlier = report.quasis.slice(0, report.quasis.indexOf(q)).reduce((n, x) => n + (x.value.raw.match(/\n/g)?.length ?? 0), 0);
  const own = before.match(/\n/g)?.length ?? 0;
  if (!earlier && !own) return undefined;
  const start = startOf(q) + 1 + at;
  const range: [number, number] = [start, start + name.length];
  if (!q.loc) return { range };
  const nl = before.lastIndexOf('\n');
  const line = q.loc.start.line + own;
  const column = nl < 0 ? q.loc.start.column + 1 + at : at - nl - 1;
  return { range, loc: { start: { line, column }, end: { line, column: column + name.length } } };
}

export const CRED_NAMES = /^(client_id|consumer_key|oauth_token|client_secret|grant_type|response_type|scope|code_challenge|code_challenge_method|code_verifier|redirect_uri|access_token|refresh_token|code|username|password|state)$/;

/**
 * The name of a computed key that is a constant: `{ [PARAM_CLIENT_ID]: CLIENT_ID }` with
 * `PARAM_CLIENT_ID = 'client_id'` (also imported from the app's constants module).
 */
export function computedKeyName(p: TSESTree.Property, env: Env): string | undefined {
  const key = unwrap(p.key as N);
  if (!p.computed || (key.type !== 'Identifier' && key.type !== 'MemberExpression')) return undefined;
  const alts = evalString(key, env);
  return alts.length === 1 && alts[0]!.every((x) => x.kind === 'text') ? flatText(alts[0]!) || undefined : undefined;
}

/**
 * The object a spread call returns: `{ ...defaultParams(), grant_type }` with a helper of the app
 * whose one return value is an object literal (`const defaultParams = () => ({ client_id, client_secret })`).
 */
function spreadCallObject(arg: N, env: Env): ReturnType<typeof resolveObject> {
  const x = unwrap(arg);
  if (x.type !== 'CallExpression') return undefined;
  const f = resolveFunction(x.callee as N, env);
  const rets = f ? returnedExpressions(f.fn) : [];
  return f && rets.length === 1 ? resolveObject(rets[0]!, { ...f.env, args: undefined }) : undefined;
}

export function objectParams(obj: TSESTree.ObjectExpression, env: Env): { name: string; value?: string; key: N; file: string }[] {
  const out: { name: string; value?: string; key: N; file: string }[] = [];
  for (const p of obj.properties) {
    if (p.type === 'SpreadElement') {
      const o = resolveObject(p.argument, env) ?? spreadCallObject(p.argument, env);
      if (o?.kind === 'object') out.push(...objectParams(o.node, o.env));
      continue;
    }
    const name = propName(p) ?? computedKeyName(p, env);
    if (!name) continue;
    const alts = evalString(p.value as N, env);
    const v = alts.length === 1 && alts[0]!.every((x) => x.kind === 'text') ? flatText(alts[0]!) : undefined;
    out.push({ name, value: v, key: p.key, file: env.filename });
  }
  return out;
}

export function urlOf(alts: Str[]): UrlInfo {
  // Prefer a SoundCloud alternative, then a known one.
  const infos = alts.map((a) => classifyUrl(flatText(a)));
  return infos.find((i) => i.kind === 'sc') ?? infos.find((i) => i.kind === 'foreign') ?? infos.find((i) => i.kind === 'relative') ?? infos[0] ?? { kind: 'unknown', text: '', path: '' };
}

/** A switch case that cannot fall through into the next one (ends in break, return, throw or continue). */
const endsCase = (c: TSESTree.SwitchCase) => /^(Break|Return|Throw|Continue)Statement$/.test(c.consequent[c.consequent.length - 1]?.type ?? '');

/**
 * Are two nodes in different branches of one if/else or conditional, or in two cases of one switch
 * where the earlier case ends before the next (never both run)?
 * `switch (true) { case !!token: u.searchParams.set('oauth_token', token); break; case !!id: u.searchParams.set('client_id', id); }`
 */
function exclusive(a: N, b: N): boolean {
  const branchOf = (n: N) => {
    const out = new Map<N, N>();
    for (let x: N = n; x.parent; x = x.parent) {
      if (x.parent.type === 'IfStatement' || x.parent.type === 'ConditionalExpression') out.set(x.parent, x);
      else if (x.type === 'SwitchCase' && x.parent.type === 'SwitchStatement') out.set(x.parent, x);
    }
    return out;
  };
  const A = branchOf(a);
  const B = branchOf(b);
  for (const [stmt, child] of A) {
    const other = B.get(stmt);
    if (!other || other === child) continue;
    if (stmt.type === 'SwitchStatement') {
      const [first] = [child, other].sort((x, y) => startOf(x) - startOf(y)) as TSESTree.SwitchCase[];
      if (endsCase(first!)) return true;
      continue;
    }
    if ((stmt as TSESTree.IfStatement).test !== child && (stmt as TSESTree.IfStatement).test !== other) return true;
  }
  return false;
}

export function siblingsOfTarget(target: N, calls: TSESTree.CallExpression[], self?: N): Set<string> {
  const tn = nameOf(target);
  // (a variable: the calls on that variable, not on another function's variable of the same name)
  const tb = target.type === 'Identifier' ? resolveBinding(target) : undefined;
  const out = new Set<string>();
  for (const c of calls) {
    const callee = unwrap(c.callee);
    if (self && c !== self && exclusive(c, self)) continue;
    if (callee.type === 'MemberExpression' && nameOf(callee.object) === tn && /^(set|append)$/.test(propName(callee) ?? '')) {
      const o = unwrap(callee.object);
      if (tb && o.type === 'Identifier' && resolveBinding(o) !== tb) continue;
      const a = c.arguments[0];
      if (a?.type === 'Literal' && typeof a.value === 'string') out.add(a.value);
    }
  }
  // new URLSearchParams({ ... }) initial keys
  if (target.type === 'Identifier') {
    const b = resolveBinding(target);
    if (b?.kind === 'var' && b.declarator.init) {
      const init = unwrap(b.declarator.init);
      if (init.type === 'NewExpression' && init.arguments[0]?.type === 'ObjectExpression') {
        for (const p of init.arguments[0].properties) if (p.type === 'Property') { const k = propName(p); if (k) out.add(k); }
      }
    }
  }
  return out;
}

export function decodeSafe(s: string): string {
  try { return decodeURIComponent(s.replace(/\+/g, ' ')); } catch { return s; }
}


