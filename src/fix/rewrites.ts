/**
 * The multi-edit rewrites, computed from the ParamSites the rules report on (fileFacts):
 * no-query-oauth-token (param out, `Authorization: OAuth` header in), no-client-secret-in-body
 * (body credentials out, HTTP Basic header in), require-token-refresh (non-expiring scope out),
 * no-disabled-redirects (superagent `.redirects(0)` out), no-hardcoded-credentials (the literal
 * becomes `process.env.X` in server code; the fix report lists the variables to set). Anything not provably safe is left to a marker.
 */
import type { TSESTree } from '@typescript-eslint/typescript-estree';
import { fileFacts, siteOf, type ParamSite, type FileFacts } from '../engine/analysis/facts.js';
import { fixedHeaders, type RequestInfo } from '../engine/analysis/requests.js';
import { nameOf, propName, resolveObject, unwrap } from '../engine/analysis/values.js';
import { makeSourceCode } from '../engine/linter.js';
import { SETTINGS_KEY } from '../engine/project.js';
import { readFileSync } from 'node:fs';
import { dirname, relative, sep } from 'node:path';
import type { Finding, RuleContext, TextEdit } from '../engine/types.js';
import type { Provider, ProviderContext } from './providers.js';
import { runsInBrowser, serverByDefaultInUiProject } from '../engine/analysis/browser.js';
import { PRIVATE_HOST_RE } from '../engine/analysis/hosts.js';
import { enclosingFunction, resolveBinding, type Binding } from '../engine/analysis/scope.js';
import { traverseCollect } from '../engine/walk.js';
import { assignedUrlRequest, isCallbackParam } from './callbacks.js';
import { emitterWait, promiseWait, routeWait } from './waits.js';
import { appEnvOf, freeModulePath, GENERATED_HEAD, moduleDirFor, type AppEnv } from './safety.js';

type N = TSESTree.Node;
type Group = { ruleId: string; edits: TextEdit[] };

export function factsOf(ctx: ProviderContext): FileFacts {
  const context: RuleContext = {
    id: 'sc-migrate-fix', filename: ctx.filename, cwd: ctx.cwd ?? process.cwd(),
    settings: ctx.project ? { [SETTINGS_KEY]: { project: ctx.project } } : {},
    options: [], sourceCode: makeSourceCode(ctx.parsed), report() {},
  };
  return fileFacts(context);
}

export const at = (f: Finding, n: { loc?: N['loc'] }) => n.loc?.start.line === f.line && n.loc.start.column + 1 === f.column;
/** The finding reported for this parameter (at its own position in a multi-line template). */
export const atSite = (f: Finding, p: ParamSite) => at(f, siteOf(p));
/**
 * The client id parameter a no-client-id-auth finding reports: `client_id`, or `consumer_key` (its name in
 * the API's OAuth 1 years) on a URL of the API's host, as the rule reads it.
 */
export const clientIdParamAt = (facts: Pick<FileFacts, 'params'>, f: Finding): ParamSite | undefined =>
  facts.params.find((x) => (x.name === 'client_id' || x.name === 'consumer_key' && x.url.kind === 'sc') && atSite(f, x));
export const findingsOf = (ctx: ProviderContext, id: string, messageId?: string) => ctx.findings.filter((f) => f.ruleId === id && (!messageId || f.messageId === messageId));

/** Where `n` is written: src/engine/analysis/scope.ts (the fixes import it from here). */
export { enclosingFunction };

export function quoteOf(text: string): string {
  const s = (text.match(/'/g) ?? []).length;
  const d = (text.match(/"/g) ?? []).length;
  return d > s ? '"' : "'";
}

/** The file builds strings with template literals rather than `+` (an airbnb-style project: prefer-template). */
export function prefersTemplates(text: string): boolean {
  const templates = (text.match(/`[^`\n]*\$\{/g) ?? []).length;
  const concats = (text.match(/['"]\s*\+\s*[\w(]|[\w)\]]\s*\+\s*['"]/g) ?? []).length;
  return templates > concats;
}

/** `'OAuth ' + t` (or `` `OAuth ${t}` `` in a file that writes templates), in the file's quotes. */
export function oauthHeaderValue(text: string, value: N, template = prefersTemplates(text)): string {
  // the token as it was escaped for the query string: the header takes it as it is
  value = unescaped(value);
  const v = text.slice(value.range[0], value.range[1]);
  if (template) return `\`OAuth \${${v}}\``;
  const q = quoteOf(text);
  const x = unwrap(value);
  // a call or member chain binds tighter than +: no parentheses needed
  const tight = isSimple(value) || x.type === 'CallExpression' || x.type === 'MemberExpression' || x.type === 'Literal' || x.type === 'TemplateLiteral';
  return tight ? `${q}OAuth ${q} + ${v}` : `${q}OAuth ${q} + (${v})`;
}

const URL_ESCAPE = /^(encodeURIComponent|encodeURI|escape|(querystring|qs)\.escape)$/;

/** `encodeURIComponent(token)` -> `token` (an escape for the query string, which a header value does not take). */
function unescaped(value: N): N {
  const x = unwrap(value);
  return x.type === 'CallExpression' && x.arguments.length === 1 && x.arguments[0]!.type !== 'SpreadElement' && URL_ESCAPE.test(nameOf(x.callee)) ? x.arguments[0] as N : value;
}

export const eolOf = (text: string) => (/\r\n/.test(text) ? '\r\n' : '\n');

/** Where the line holding an offset starts. */
export const lineStart = (text: string, offset: number) => text.lastIndexOf('\n', offset - 1) + 1;

/** The indentation of the line holding an offset. */
export function lineIndent(text: string, offset: number): string {
  return /^[ \t]*/.exec(text.slice(lineStart(text, offset)))![0];
}

type Fn = TSESTree.FunctionDeclaration | TSESTree.FunctionExpression | TSESTree.ArrowFunctionExpression;
export const isFn = (n: N | undefined): n is Fn => !!n && (n.type === 'FunctionDeclaration' || n.type === 'FunctionExpression' || n.type === 'ArrowFunctionExpression');

/** The outermost string expression a node is part of (through `+`, templates and TS casts). */
export function stringRoot(n: N): N {
  let x = n;
  for (let p = x.parent; p; p = x.parent) {
    if (p.type === 'BinaryExpression' && p.operator === '+' || p.type === 'TemplateLiteral' || p.type === 'TSAsExpression' || p.type === 'TSNonNullExpression') x = p;
    else break;
  }
  return x;
}

/** `s.replace(...)`, `s.trim()`...: a call that returns a string whatever `s` is (safe to take out of `${}`). */
const STRING_RESULT = /^(replace|replaceAll|concat|trim|trimStart|trimEnd|toString|slice|substring|toLowerCase|toUpperCase|padStart|padEnd)$/;
/** api-v2.soundcloud.com: private, no supported migration (no app token, no rewrite). */
/** The private APIs (api-v2, the widget's and the mobile app's): no app token works there, no rewrite. */
export const isApiV2 = (host: string | undefined) => !!host && PRIVATE_HOST_RE.test(host);
/**
 * A URL that may be api-v2's: on api-v2, or of no known host, handed in by the callers (a
 * parameter, or `for (const url of urls)` over one), in a module that names api-v2's host
 * (`requestWithFallback([v2Url, apiUrl], ...)`): no app token goes there, the finding keeps its marker.
 */
export function mayBeApiV2(host: string | undefined, text: string, urlNode: N | undefined): boolean {
  if (isApiV2(host)) return true;
  if (host || !urlNode || !/api-v2\.soundcloud\.com/i.test(text)) return false;
  const fromCaller = (x: N, depth: number): boolean => {
    const u = unwrap(x);
    if (u.type !== 'Identifier' || depth > 1) return false;
    const b = resolveBinding(u);
    if (b?.kind === 'param') return true;
    const loop = b?.kind === 'var' ? b.declarator.parent?.parent : undefined;
    return loop?.type === 'ForOfStatement' && fromCaller(loop.right, depth + 1);
  };
  return fromCaller(urlNode, 0);
}

export const isStringCall = (n: N) => { const x = unwrap(n); return x.type === 'CallExpression' && x.callee.type === 'MemberExpression' && !x.callee.computed && STRING_RESULT.test(propName(x.callee) ?? ''); };

export const isSimple = (n: N) => { const x = unwrap(n); return x.type === 'Identifier' || x.type === 'MemberExpression' && !x.computed || x.type === 'ThisExpression'; };

/**
 * Removes an object property with its comma; takes the whole line when the property stood alone
 * (every edit: the last property on its own line also takes the comma before it).
 */
export function removePropertyEdits(text: string, prop: N): TextEdit[] {
  const obj = prop.parent;
  return obj?.type === 'ObjectExpression' ? removePropsEdits(text, obj, [prop]) : [];
}

/** Removes properties of one object (or elements of one array), keeping the commas and layout of the rest valid. */
export function removePropsEdits(text: string, obj: TSESTree.ObjectExpression | TSESTree.ArrayExpression, props: N[]): TextEdit[] {
  const all = (obj.type === 'ObjectExpression' ? obj.properties : obj.elements) as N[];
  if (all.some((p) => !p)) return []; // an array with holes: left alone
  const gone = new Set(props);
  const out: TextEdit[] = [];
  // every property goes: `{}` (also when they stood on their own lines), unless a comment is inside
  if (all.every((p) => gone.has(p)) && all[0] && (all[0].loc.start.line === obj.loc.start.line || !/\/[/*]/.test(text.slice(obj.range[0], obj.range[1])))) {
    return [{ range: [obj.range[0] + 1, obj.range[1] - 1], text: '' }];
  }
  for (const prop of props) {
    const i = all.indexOf(prop);
    const [start, end] = prop.range;
    const ls = lineStart(text, start);
    const le = text.indexOf('\n', end);
    const tail = le === -1 ? '' : text.slice(end, le);
    const next = all.slice(i + 1).find((p) => !gone.has(p));
    if (/^\s*$/.test(text.slice(ls, start)) && le !== -1 && /^\s*,?\s*$/.test(tail)) {
      out.push({ range: [ls, le + 1], text: '' });
      // the last property went with its line: the one now last keeps no comma it did not have before
      const prev = next ? undefined : [...all.slice(0, i)].reverse().find((p) => !gone.has(p));
      const lastGone = all.reduce((m, p) => (gone.has(p) ? p : m), prop);
      const comma = prev && lastGone === prop && !/,/.test(text.slice(end, obj.range[1] - 1)) ? text.indexOf(',', prev.range[1]) : -1;
      if (prev && comma !== -1 && comma < ls && /^\s*$/.test(text.slice(prev.range[1], comma))) out.push({ range: [comma, comma + 1], text: '' });
      continue;
    }
    if (next) { out.push({ range: [start, next.range[0]], text: '' }); continue; }
    const prev = [...all.slice(0, i)].reverse().find((p) => !gone.has(p));
    if (prev) {
      // drop from the end of the previous kept property; a later removed one (also last) is covered
      const lastGone = all.slice(i).reduce((m, p) => (gone.has(p) ? p : m), prop);
      out.push({ range: [prev.range[1], lastGone.range[1]], text: '' });
      break;
    }
    out.push({ range: [start, end], text: '' });
  }
  return mergeAdjacent(out);
}

/** The source text of a node. */
export const src = (text: string, n: N): string => text.slice(n.range[0], n.range[1]);

/** A reference to a binding (not a property name written with the same letters). */
export function isReference(x: TSESTree.Identifier): boolean {
  const p = x.parent;
  if (p?.type === 'MemberExpression' && p.property === x && !p.computed) return false;
  if (p?.type === 'Property' && p.key === x && !p.computed && !p.shorthand) return false;
  return true;
}

/** A binding of the module: an import, or a declaration at the top level (also an exported one). */
export function isModuleBinding(b: Binding): boolean {
  if (b.kind === 'import') return true;
  const d = b.kind === 'var' ? b.declarator.parent : b.kind === 'function' || b.kind === 'class' ? b.node : undefined;
  const p = d?.parent;
  return p?.type === 'Program' || p?.type === 'ExportNamedDeclaration' && p.parent?.type === 'Program';
}

/** `x` is a reference to the variable that `d` declares (not its own name, not a look-alike). */
export function refersTo(x: N, d: TSESTree.VariableDeclarator): x is TSESTree.Identifier {
  return x.type === 'Identifier' && x !== d.id && x.name === (d.id as TSESTree.Identifier).name && isReference(x) && (resolveBinding(x) as { declarator?: N } | undefined)?.declarator === d;
}

/**
 * The references to the variable that `d` declares, in walk order: under `root`, or anywhere in
 * the file of `facts` (its identifiers, collected in the one walk).
 */
export function referencesTo(d: TSESTree.VariableDeclarator, root: N | Pick<FileFacts, 'identifiers'>): TSESTree.Identifier[] {
  if (!('type' in root)) return root.identifiers.filter((x) => refersTo(x, d));
  const out: TSESTree.Identifier[] = [];
  traverseCollect(root as never, (x: N) => { if (refersTo(x, d)) out.push(x); });
  return out;
}

/**
 * `const options = { url, json: true }; request.get(options, cb)`: the option object of a variable
 * declared before the call in the same function, that nothing but this call reads.
 */
function localOptions(r: RequestInfo): TSESTree.ObjectExpression | undefined {
  const fn = enclosingFunction(r.call);
  for (const { node } of r.options) {
    const d = node.parent;
    if (d?.type !== 'VariableDeclarator' || d.init !== node || d.id.type !== 'Identifier' || enclosingFunction(d) !== fn || d.range[1] > r.call.range[0]) continue;
    const arg = (r.call.arguments as N[]).find((a) => refersTo(unwrap(a), d));
    if (!arg) continue;
    if (referencesTo(d, (fn ?? d.parent!.parent!) as N).every((x) => x === unwrap(arg))) return node;
  }
  return undefined;
}

/**
 * The function written there, or the one a name is bound to (a function declaration, a `const`
 * holding a function expression): request's second argument is then its callback, not its
 * options. A parameter could be either: undefined.
 */
function functionValue(x: N): Fn | undefined {
  if (isFn(x)) return x;
  if (x.type !== 'Identifier') return undefined;
  const b = resolveBinding(x);
  if (b?.kind === 'function') return b.node;
  if (b?.kind !== 'var' || b.path.length || !b.declarator.init) return undefined;
  const init = unwrap(b.declarator.init as N);
  if (!isFn(init)) return undefined;
  // `var onResponse = function (...) {...}` that nothing assigns again holds that function as a `const` would
  if (b.declKind === 'const') return init;
  const d = b.declarator;
  const scope = (enclosingFunction(d) ?? d.parent!.parent!) as N;
  return referencesTo(d, scope).every((r) => !isWritten(r)) ? init : undefined;
}

/** Is the identifier written (assigned, updated, a for-in/of target)? */
export const isWritten = (r: TSESTree.Identifier): boolean => {
  const p = r.parent;
  return (p?.type === 'AssignmentExpression' && p.left === r) || p?.type === 'UpdateExpression' || ((p?.type === 'ForInStatement' || p?.type === 'ForOfStatement') && p.left === r);
};

/** Edits that add a header to a request, merging with existing headers; undefined when unsafe. */
export function addHeader(text: string, r: RequestInfo, name: string, value: string, replacing?: { prop: N; holder: TSESTree.ObjectExpression; removedAll: boolean }, rawProp?: string, inCall = false): TextEdit[] | undefined {
  const q = quoteOf(text);
  const call = r.call;
  const args = call.arguments as N[];
  if (r.lib === 'superagent') return rawProp ? undefined : [{ range: [call.range[1], call.range[1]], text: `.set(${q}${name}${q}, ${value})` }];
  if (r.lib === 'sdk') return undefined;
  // Node http(s): `https.get(url[, cb])` takes options between the URL and the callback; options written as `{ host, path }` merge below
  if (r.lib === 'node' && !r.options.length && (!r.urlNode || args[0] !== r.urlNode)) return undefined;
  if (r.lib === 'xhr') return xhrHeader(text, r, name, value, rawProp);
  // the option object written as a direct argument of the call
  const opt = args.map((a) => unwrap(a)).find((a): a is TSESTree.ObjectExpression => a.type === 'ObjectExpression' && r.options.some((o) => o.node === a)) ?? localOptions(r);
  const key = /^[A-Za-z_$][\w$]*$/.test(name) ? name : `${q}${name}${q}`;
  const prop = rawProp ?? `${key}: ${value}`;
  if (!opt) {
    if (r.options.length) return undefined; // options built elsewhere: not safe to guess
    const okArity = (r.lib === 'fetch' || r.lib === 'ky' || r.lib === 'got' || r.lib === 'request' || r.lib === 'node') ? args.length === 1
      : r.lib === 'axios' || r.lib === 'angular' ? args.length === (['POST', 'PUT', 'PATCH'].includes(r.method) ? 2 : 1) && unwrap(call.callee).type === 'MemberExpression'
        : false;
    // axios.put(url) / $http.put(url): no data argument yet, the config is the third one
    const noData = !okArity && (r.lib === 'axios' || r.lib === 'angular') && ['POST', 'PUT', 'PATCH'].includes(r.method) && args.length === 1 && unwrap(call.callee).type === 'MemberExpression';
    // request(url, function (err, res, body) {...}): the options go between the URL and the callback
    const cb = (r.lib === 'request' || r.lib === 'node') && args.length === 2 && unwrap(args[0]!).type !== 'ObjectExpression' ? unwrap(args[1]!) : undefined;
    if (cb && (functionValue(cb) || isCallbackParam(cb))) return [{ range: [args[0]!.range[1], args[0]!.range[1]], text: `, { headers: { ${prop} } }` }];
    if (!okArity && !noData || args[args.length - 1]!.type === 'SpreadElement') return undefined;
    return [{ range: [args[args.length - 1]!.range[1], args[args.length - 1]!.range[1]], text: `${noData ? ', undefined' : ''}, { headers: { ${prop} } }` }];
  }
  const headersProp = (opt.properties as N[]).find((p: N): p is TSESTree.Property => p.type === 'Property' && propName(p) === 'headers');
  if (inCall && (opt.range[0] < call.range[0] || opt.range[1] > call.range[1])) {
    // the value is only in scope inside the call (a token awaited around it): the call sends a
    // copy of the options declared before it, with the header
    const arg = args.find((a) => unwrap(a).type === 'Identifier' && opt.parent?.type === 'VariableDeclarator' && (opt.parent.id as TSESTree.Identifier).name === (unwrap(a) as TSESTree.Identifier).name);
    if (!arg || (headersProp && unwrap(headersProp.value as N).type !== 'ObjectExpression')) return undefined;
    const x = text.slice(arg.range[0], arg.range[1]);
    return [{ range: arg.range, text: `{ ...${x}, headers: { ${headersProp ? `...${x}.headers, ` : ''}${prop} } }` }];
  }
  const optEnv = r.options.find((o) => o.node === opt)?.env;
  if (headersProp) {
    const h = unwrap(headersProp.value as N);
    if (h.type !== 'ObjectExpression') {
      // a plain object of fixed headers, by name or from a factory (`headers: makeHeaders()`): spread into a new one with the header
      if (!optEnv || !fixedHeaders(h, optEnv)) return undefined;
      const held = text.slice(h.range[0], h.range[1]);
      return headersProp.shorthand ? [{ range: headersProp.range, text: `headers: { ...${held}, ${prop} }` }] : [{ range: h.range, text: `{ ...${held}, ${prop} }` }];
    }
    if (h.properties.some((p) => p.type === 'Property' && propName(p)?.toLowerCase() === name.toLowerCase())) return [];
    return [insertProp(text, h, prop)];
  }
  // options spread into the object (`{ ...opts, params }`) may hold headers the new key would
  // replace: the new headers keep theirs (`{ ...opts.headers, Authorization }`), when each spread
  // is an object literal of the file (a parameter may be undefined: no guess)
  let inherited = '';
  for (const sp of opt.properties) {
    if (sp.type !== 'SpreadElement') continue;
    const a = unwrap(sp.argument as N);
    const o = optEnv && (a.type === 'Identifier' || a.type === 'MemberExpression') ? resolveObject(a, optEnv) : undefined;
    if (o?.kind !== 'object') return undefined;
    if (o.node.properties.some((p) => p.type !== 'Property' || propName(p) === 'headers')) inherited += `...${text.slice(a.range[0], a.range[1])}.headers, `;
  }
  const hp = `headers: ${bracedLike(text, opt, inherited + prop)}`;
  if (replacing?.removedAll) {
    // params: { oauth_token } only: the params property becomes the headers property
    const pp = replacing.holder.parent;
    if (pp?.type === 'Property' && pp.value === replacing.holder && pp.parent === opt) return [{ range: pp.range, text: hp }];
  }
  return [insertProp(text, opt, hp)];
}

/**
 * XMLHttpRequest: `x.setRequestHeader(name, value)` on the line after `x.open(...)` (headers go
 * between open and send). `rawProp` is the header as an object property (`Name: v`, or the
 * conditional `...(c ? { Name: v } : {})`, which becomes `if (c) x.setRequestHeader(...)`).
 */
function xhrHeader(text: string, r: RequestInfo, name: string, value: string, rawProp?: string): TextEdit[] | undefined {
  const stmt = r.call.parent;
  const callee = unwrap(r.call.callee);
  if (stmt?.type !== 'ExpressionStatement' || (stmt.parent?.type !== 'BlockStatement' && stmt.parent?.type !== 'Program') || callee.type !== 'MemberExpression') return undefined;
  if ((r.headerCalls ?? []).some((c) => { const a = c.arguments[0]; return !a || a.type !== 'Literal' || String(a.value).toLowerCase() === name.toLowerCase(); })) return [];
  const q = quoteOf(text);
  const set = (n: string, v: string) => `${text.slice(callee.object.range[0], callee.object.range[1])}.setRequestHeader(${q}${n}${q}, ${v});`;
  let code = set(name, value);
  if (rawProp) {
    const cond = /^\.\.\.\((.+) \? \{ ([\w$]+): (.+) \} : \{\}\)$/.exec(rawProp);
    const plain = /^([\w$]+): (.+)$/.exec(rawProp);
    if (cond) code = `if (${cond[1]}) ${set(cond[2]!, cond[3]!)}`;
    else if (plain) code = set(plain[1]!, plain[2]!);
    else return undefined;
  }
  return [{ range: [stmt.range[1], stmt.range[1]], text: `${eolOf(text)}${lineIndent(text, stmt.range[0])}${code}` }];
}

/** `{ inner }`, or `{inner}` when the object it goes into writes no space inside its braces. */
export function bracedLike(text: string, obj: TSESTree.ObjectExpression, inner: string): string {
  return obj.properties.length && /^\{\S/.test(text.slice(obj.range[0], obj.range[1])) && /\S\}$/.test(text.slice(obj.range[0], obj.range[1])) ? `{${inner}}` : `{ ${inner} }`;
}

export function insertProp(text: string, obj: TSESTree.ObjectExpression, prop: string): TextEdit {
  const first = obj.properties[0];
  if (!first) return { range: [obj.range[0], obj.range[1]], text: `{ ${prop} }` };
  const multiline = first.loc.start.line !== obj.loc.start.line;
  return { range: [first.range[0], first.range[0]], text: multiline ? `${prop},${eolOf(text)}${lineIndent(text, first.range[0])}` : `${prop}, ` };
}

/** A constant's string whose reads go on with `&...` (`${URL}&q=${q}`, `URL + '&q=' + q`). */
function extendedWithAmp(owner: N, facts: FileFacts): boolean {
  const d = owner.parent;
  if (d?.type !== 'VariableDeclarator' || d.init !== owner || d.id.type !== 'Identifier') return false;
  const name = d.id.name;
  const b = resolveBinding(d.id);
  return facts.identifiers.some((u) => {
    if (u === d.id || u.name !== name || resolveBinding(u) !== b) return false;
    const p = u.parent;
    if (p?.type === 'TemplateLiteral') {
      const i = p.expressions.indexOf(u);
      return i >= 0 && p.quasis[i + 1]!.value.raw.startsWith('&');
    }
    if (p?.type === 'BinaryExpression' && p.operator === '+' && p.left === u) {
      const r = p.right;
      return (r.type === 'Literal' && typeof r.value === 'string' && r.value.startsWith('&')) || (r.type === 'TemplateLiteral' && r.quasis[0]!.value.raw.startsWith('&'));
    }
    return false;
  });
}

/** Removal of a parameter and the expression giving its value. */
interface Removal { edits: TextEdit[]; value: N; template: boolean; removedAll?: boolean; prop?: N; holder?: TSESTree.ObjectExpression }

export function removeParam(text: string, p: ParamSite, facts: FileFacts, alsoRemove: string[] = []): Removal | undefined {
  if (p.via === 'object' && p.holder) {
    const prop = (p.holder.properties as N[]).find((x: N): x is TSESTree.Property => x.type === 'Property' && x.key === p.report);
    if (!prop || prop.shorthand && false) return undefined;
    const props = [prop, ...alsoRemove.map((n) => (p.holder!.properties as N[]).find((x: N): x is TSESTree.Property => x.type === 'Property' && propName(x) === n)).filter((x): x is TSESTree.Property => !!x)];
    const removedAll = p.holder.properties.length === props.length;
    // Object.assign({}, { client_id: id }, query): the emptied source goes with its comma (no `{}` left)
    const call = p.holder.parent;
    const i = call?.type === 'CallExpression' ? call.arguments.indexOf(p.holder) : -1;
    if (removedAll && i > 0 && call?.type === 'CallExpression' && call.callee.type === 'MemberExpression' && text.slice(call.callee.range[0], call.callee.range[1]) === 'Object.assign') {
      return { edits: [{ range: [call.arguments[i - 1]!.range[1], p.holder.range[1]], text: '' }], value: prop.value as N, template: false, removedAll, prop, holder: p.holder };
    }
    const edits = removePropsEdits(text, p.holder, props);
    return { edits, value: prop.value as N, template: false, removedAll, prop, holder: p.holder };
  }
  if (p.via === 'call') {
    const call = p.report.parent;
    if (call?.type !== 'CallExpression' || !call.arguments[1]) return undefined;
    const stmt = call.parent;
    if (stmt?.type !== 'ExpressionStatement' || (stmt.parent?.type !== 'BlockStatement' && stmt.parent?.type !== 'Program')) return undefined;
    return { edits: [removeStatementEdit(text, stmt)], value: call.arguments[1] as N, template: false };
  }
  if (p.via === 'text') {
    const owner = p.report;
    // `const URL = `.../tracks?client_id=${KEY}`` read as `${URL}&q=${q}`: the query's one parameter
    // cannot go (the reads would start their parameters with `&`, in the path): the marker stays
    if (new RegExp(`\\?${p.name}=[^&]*[\`'"]?$`).test(text.slice(owner.range[0], owner.range[1])) && extendedWithAmp(owner, facts)) return undefined;
    if (owner.type === 'TemplateLiteral') {
      for (let i = 0; i < owner.quasis.length; i++) {
        const qx = owner.quasis[i]!;
        const raw = qx.value.raw;
        const m = new RegExp(`([?&])${p.name}=$`).exec(raw);
        if (!m) {
          const r = raw === `${p.name}=` && i > 0 ? afterSeparatorExpression(owner, i) : undefined;
          if (r) return r;
          continue;
        }
        const expr = owner.expressions[i] as N | undefined;
        const next = owner.quasis[i + 1];
        if (!expr || !next) return undefined;
        // quasi range includes the ` or } before and ${ after: offsets of the raw text
        const rawStart = qx.range[0] + 1;
        const pStart = rawStart + m.index; // at ? or &
        const nextRawStart = next.range[0] + 1;
        const nextRaw = next.value.raw;
        if (m[1] === '?') {
          // ?oauth_token=${t}&x  -> ?x ; ?oauth_token=${t} -> (nothing)
          if (nextRaw.startsWith('&')) return { edits: [{ range: [pStart + 1, nextRawStart + 1], text: '' }], value: expr, template: true };
          // `${URL}?oauth_token=${t}` -> URL (no `${URL}` leftover)
          const lead = owner.expressions[0] as N | undefined;
          if (nextRaw === '' && i === 1 && m.index === 0 && owner.quasis.length === 3 && owner.quasis[0]!.value.raw === '' && lead && (isSimple(lead) || isStringCall(lead))) {
            return { edits: [{ range: owner.range, text: text.slice(lead.range[0], lead.range[1]) }], value: expr, template: true };
          }
          // `path?oauth_token=${t}` -> 'path' (a template left without a piece is a plain string in the file's quotes)
          const q = quoteOf(text);
          if (nextRaw === '' && owner.expressions.length === 1 && !/[`'"\\\n$]/.test(raw.slice(0, m.index))) {
            return { edits: [{ range: owner.range, text: q + raw.slice(0, m.index) + q }], value: expr, template: true };
          }
          if (nextRaw === '' || /^[#'"]/.test(nextRaw)) return { edits: [{ range: [pStart, nextRawStart], text: '' }], value: expr, template: true };
          return undefined;
        }
        // `...?&oauth_token=${t}` at the end: the `?` goes too (no URL ending in `?`)
        const bare = raw[m.index - 1] === '?' && (nextRaw === '' || /^[#'"]/.test(nextRaw)) ? 1 : 0;
        return { edits: [{ range: [pStart - bare, nextRawStart], text: '' }], value: expr, template: true };
      }
      return undefined;
    }
    if (owner.type === 'Literal' && typeof owner.value === 'string') {
      // 'base?oauth_token=' + token  (token the last term)
      const raw = text.slice(owner.range[0] + 1, owner.range[1] - 1);
      const m = new RegExp(`([?&])${p.name}=$`).exec(raw);
      const bin = owner.parent;
      if (!m && raw === `${p.name}=`) return afterSeparatorChoice(owner, bin) ?? afterSeparatorTerm(text, owner, bin);
      if (!m || bin?.type !== 'BinaryExpression' || bin.operator !== '+') return undefined;
      let outer: N = bin;
      let value: N;
      if (bin.left === owner) value = bin.right;
      else {
        const o = bin.parent;
        if (o?.type !== 'BinaryExpression' || o.operator !== '+' || o.left !== bin) return undefined;
        outer = o;
        value = o.right;
      }
      const cut = owner.range[0] + 1 + m.index;
      if (outer.parent?.type === 'BinaryExpression' && outer.parent.operator === '+') {
        // '...?oauth_token=' + t + '&format=json' -> '...?format=json' (the next literal takes the separator)
        const next = outer.parent.left === outer ? unwrap(outer.parent.right) : undefined;
        if (next?.type !== 'Literal' || typeof next.value !== 'string' || !/^['"]/.test(text[next.range[0]]!)) return undefined;
        const nextRaw = text.slice(next.range[0] + 1, next.range[1] - 1);
        // `'...?client_id=' + id + ''` (an empty last term): the parameter, its value and that term go
        const top = outer.parent.parent?.type === 'BinaryExpression' && outer.parent.parent.operator === '+' && outer.parent.parent.left === outer.parent ? undefined : outer.parent;
        if (nextRaw === '' && top) {
          const bare = m[1] === '&' && raw[m.index - 1] === '?' ? 1 : 0;
          if (cut === owner.range[0] + 1 && bin.right === owner) return { edits: [{ range: [bin.left.range[1], next.range[1]], text: '' }], value, template: false };
          return { edits: [{ range: [cut - bare, owner.range[1] - 1], text: '' }, { range: [owner.range[1], next.range[1]], text: '' }], value, template: false };
        }
        if (!nextRaw.startsWith('&')) return undefined;
        // `'...?client_id=' + id + "&q=" + q` (the pieces in other quotes): the rest joins the first piece, in its quotes
        const q1 = text[owner.range[1] - 1]!;
        if (text[next.range[0]] !== q1) {
          if (nextRaw.includes(q1) || nextRaw.includes('\\')) return undefined;
          return { edits: [{ range: m[1] === '?' ? [cut + 1, next.range[1]] : [cut, next.range[1]], text: (m[1] === '?' ? nextRaw.slice(1) : nextRaw) + q1 }], value, template: false };
        }
        return { edits: [{ range: m[1] === '?' ? [cut + 1, next.range[0] + 2] : [cut, next.range[0] + 1], text: '' }], value, template: false };
      }
      if (cut === owner.range[0] + 1 && bin.right === owner) return { edits: [{ range: [bin.left.range[1], value.range[1]], text: '' }], value, template: false };
      // '...json?&oauth_token=' + t: the `?` left at the end goes too
      const bare = m[1] === '&' && raw[m.index - 1] === '?' ? 1 : 0;
      return { edits: [{ range: [cut - bare, owner.range[1] - 1], text: '' }, { range: [owner.range[1], value.range[1]], text: '' }], value, template: false };
    }
  }
  void facts;
  return undefined;
}

/** `'?'` or `'&'`, the one a URL builder picks by whether the URL has a query yet. */
const isSeparator = (n: N) => { const x = unwrap(n); return x.type === 'Literal' && (x.value === '?' || x.value === '&'); };

/**
 * `url + (url.includes('?') ? '&' : '?') + 'oauth_token=' + t` (or `url + sep + ...` of a variable
 * holding that choice), the last terms of the URL: the separator choice, the name and the value go together (`url` is left as it was); followed by
 * `+ '&limit=' + n`, the next parameter takes the chosen separator instead. Undefined when the
 * choice is not between `'?'` and `'&'` or anything else follows the value.
 */
function afterSeparatorChoice(owner: N, bin: N | undefined): Removal | undefined {
  const o = bin?.parent;
  if (bin?.type !== 'BinaryExpression' || bin.operator !== '+' || bin.right !== owner || o?.type !== 'BinaryExpression' || o.operator !== '+' || o.left !== bin) return undefined;
  const head = bin.left;
  if (head.type !== 'BinaryExpression' || head.operator !== '+' || !isSeparatorChoice(head.right)) return undefined;
  const after = o.parent?.type === 'BinaryExpression' && o.parent.operator === '+' ? o.parent : undefined;
  if (!after) return { edits: [{ range: [head.left.range[1], o.range[1]], text: '' }], value: o.right as N, template: false };
  // `... + 'oauth_token=' + t + '&limit=' + n`: the next parameter takes the chosen separator (`'limit=' + n`)
  const next = after.left === o ? after.right : undefined;
  if (next?.type !== 'Literal' || typeof next.value !== 'string' || !next.value.startsWith('&') || next.raw[0] !== (owner as TSESTree.Literal).raw[0]) return undefined;
  return { edits: [{ range: [owner.range[0] + 1, next.range[0] + 2], text: '' }], value: o.right as N, template: false };
}

/** `url.includes('?') ? '&' : '?'`, written in place or as the variable a name reads (declared with it, never written again). */
function isSeparatorChoice(n: N): boolean {
  let x = unwrap(n);
  if (x.type === 'Identifier') {
    const b = resolveBinding(x);
    const init = b?.kind === 'var' && b.declarator.id === b.id ? b.declarator.init : undefined;
    if (!init || (b!.kind === 'var' && b!.declKind !== 'const' && writtenAgain(b!.declarator))) return false;
    x = unwrap(init as N);
  }
  return x.type === 'ConditionalExpression' && isSeparator(x.consequent) && isSeparator(x.alternate);
}

/** Is the name of a `var`/`let` declarator assigned or updated anywhere in its statement list (by name)? */
function writtenAgain(d: TSESTree.VariableDeclarator): boolean {
  const name = (d.id as TSESTree.Identifier).name;
  const list = d.parent?.parent;
  if (!list) return true;
  let hit = false;
  traverseCollect(list as N, (n) => {
    if ((n.type === 'AssignmentExpression' && n.left.type === 'Identifier' && n.left.name === name) || (n.type === 'UpdateExpression' && n.argument.type === 'Identifier' && n.argument.name === name)) hit = true;
  });
  return hit;
}

/**
 * The template form of afterSeparatorChoice: `${path}${sep}oauth_token=${t}` (the quasi `i` is
 * the parameter's name alone, the expression before it the separator choice). At the URL's end
 * the separator, the name and the value go (`${path}`); followed by `&limit=...`, the name, the
 * value and that `&` go and the next parameter takes the chosen separator. Else undefined.
 */
function afterSeparatorExpression(owner: TSESTree.TemplateLiteral, i: number): Removal | undefined {
  const sep = owner.expressions[i - 1] as N | undefined;
  const value = owner.expressions[i] as N | undefined;
  const qx = owner.quasis[i]!;
  const next = owner.quasis[i + 1];
  if (!sep || !value || !next || !isSeparatorChoice(sep)) return undefined;
  const nextRaw = next.value.raw;
  const nextRawStart = next.range[0] + 1;
  // quasi ranges hold their delimiters: `${` of the separator ends the quasi before it
  if (nextRaw === '' || /^[#'"]/.test(nextRaw)) return { edits: [{ range: [owner.quasis[i - 1]!.range[1] - 2, nextRawStart], text: '' }], value, template: true };
  if (nextRaw.startsWith('&')) return { edits: [{ range: [qx.range[0] + 1, nextRawStart + 1], text: '' }], value, template: true };
  return undefined;
}

/** A string literal written in quotes (not a template): its text between them. */
const quotedText = (text: string, n: N | undefined): string | undefined => {
  const x = n && unwrap(n);
  return x?.type === 'Literal' && typeof x.value === 'string' && /^['"]/.test(text[x.range[0]]!) ? text.slice(x.range[0] + 1, x.range[1] - 1) : undefined;
};

/**
 * `'https://api.soundcloud.com/resolve.json?' + 'client_id=' + id + '&' + 'url=' + u` (a URL
 * written a parameter a line): the term before the name ends with the separator. Followed by
 * `+ '&'` the name, the value and that term go (`'...json?' + 'url=' + u`); followed by
 * `+ '&url='` the next term keeps its text but not its `&` (in the quotes of the name, as
 * afterSeparatorChoice); the last terms of the URL: they go with the separator that ends the term
 * before (`'...json?' + 'client_id=' + id` -> `'...json'`). Undefined for anything else.
 */
function afterSeparatorTerm(text: string, owner: N, bin: N | undefined): Removal | undefined {
  const o = bin?.parent;
  if (bin?.type !== 'BinaryExpression' || bin.operator !== '+' || bin.right !== owner || o?.type !== 'BinaryExpression' || o.operator !== '+' || o.left !== bin) return undefined;
  const prev = bin.left.type === 'BinaryExpression' && bin.left.operator === '+' ? bin.left.right : bin.left;
  const prevRaw = quotedText(text, prev);
  if (!prevRaw || !/[?&]$/.test(prevRaw)) return undefined;
  const value = o.right as N;
  const after = o.parent?.type === 'BinaryExpression' && o.parent.operator === '+' && o.parent.left === o ? o.parent : undefined;
  if (after) {
    const nextRaw = quotedText(text, after.right);
    if (nextRaw === undefined || !nextRaw.startsWith('&')) return undefined;
    if (nextRaw === '&') return { edits: [{ range: [bin.left.range[1], after.range[1]], text: '' }], value, template: false };
    if (text[after.right.range[0]] !== text[owner.range[0]]) return undefined;
    return { edits: [{ range: [owner.range[0] + 1, after.right.range[0] + 2], text: '' }], value, template: false };
  }
  // the URL's last terms: a separator term of its own goes with them, else the separator ending the term before
  if (prevRaw.length === 1 && prev !== bin.left && bin.left.type === 'BinaryExpression') return { edits: [{ range: [bin.left.left.range[1], o.range[1]], text: '' }], value, template: false };
  if (prevRaw.length === 1) return undefined;
  return { edits: [{ range: [prev.range[1] - 2, prev.range[1] - 1], text: '' }, { range: [bin.left.range[1], o.range[1]], text: '' }], value, template: false };
}

function mergeAdjacent(edits: TextEdit[]): TextEdit[] {
  const s = [...edits].sort((a, b) => a.range[0] - b.range[0]);
  const out: TextEdit[] = [];
  for (const e of s) {
    const last = out[out.length - 1];
    if (last && e.range[0] <= last.range[1]) last.range = [last.range[0], Math.max(last.range[1], e.range[1])];
    else out.push({ range: [e.range[0], e.range[1]], text: e.text });
  }
  return out;
}

export function removeStatementEdit(text: string, stmt: N): TextEdit {
  const ls = lineStart(text, stmt.range[0]);
  const le = text.indexOf('\n', stmt.range[1]);
  if (/^\s*$/.test(text.slice(ls, stmt.range[0])) && le !== -1 && /^\s*$/.test(text.slice(stmt.range[1], le))) return { range: [ls, le + 1], text: '' };
  // `a(); u.searchParams.set(...); b();`: the spaces after it go too (no `a();  b();`)
  const gap = /[ \t]$/.test(text.slice(0, stmt.range[0])) ? /^[ \t]+(?=\S)/.exec(text.slice(stmt.range[1]))?.[0].length ?? 0 : 0;
  return { range: [stmt.range[0], stmt.range[1] + gap], text: '' };
}

/**
 * `'https://api.soundcloud.com/tracks?client_id=30d6...&q=' + q`: a parameter whose value is
 * written in the string itself goes with its separator (`?a=1&client_id=x&b=2` -> `?a=1&b=2`,
 * `?client_id=x&q=` -> `?q=`, `...?client_id=x` at the end -> `...`, a `+ '&client_id=x'` term
 * -> nothing); no `?&` or trailing `?` is left. The value is text only (no expression in it).
 * Elsewhere (a `?client_id=x` followed by an expression in the same string): undefined.
 */
export function removeInlineParam(text: string, p: ParamSite): Removal | undefined {
  const owner = p.report;
  if (p.via !== 'text' || !p.value) return undefined;
  // the string's text pieces: a quoted literal, or the quasis of a template (each followed by `${` but the last)
  const pieces: { start: number; raw: string; last: boolean }[] = owner.type === 'Literal' && typeof owner.value === 'string' && /^['"]/.test(text[owner.range[0]]!)
    ? [{ start: owner.range[0] + 1, raw: text.slice(owner.range[0] + 1, owner.range[1] - 1), last: true }]
    : owner.type === 'TemplateLiteral' ? owner.quasis.map((qx, i) => ({ start: qx.range[0] + 1, raw: qx.value.raw, last: i === owner.quasis.length - 1 })) : [];
  const found = pieces.flatMap((x) => [...x.raw.matchAll(new RegExp(`([?&])${p.name}=([\\w.~-]+)(?=[&#]|$)`, 'g'))].map((m) => ({ x, m })));
  if (found.length !== 1) return undefined;
  const { x, m } = found[0]!;
  const start = x.start + m.index!;
  const end = start + m[0].length;
  const rest = x.raw.slice(m.index! + m[0].length);
  const done = (range: [number, number]): Removal => ({ edits: [{ range, text: '' }], value: owner, template: owner.type === 'TemplateLiteral' });
  if (rest.startsWith('&')) return done([start + 1, end + 1]); // `?client_id=x&q=` -> `?q=`
  // at the end of a template: unless only `${url}` would be left
  const templateEnd = rest === '' && x.last && owner.type === 'TemplateLiteral' && pieces.some((y) => (y === x ? y.raw.length > m[0].length : y.raw !== ''));
  if (rest.startsWith('#') || templateEnd) return done([start, end]);
  if (rest !== '' || owner.type !== 'Literal') return undefined; // `?client_id=x${more}`: the next piece would follow the `?`
  // a literal ending with the parameter: nothing may be concatenated after it, but text starting a new parameter
  const bin = owner.parent;
  const after = bin?.type === 'BinaryExpression' && bin.operator === '+' ? (bin.left === owner ? bin.right : bin.parent?.type === 'BinaryExpression' && bin.parent.operator === '+' && bin.parent.left === bin ? bin.parent.right : undefined) : undefined;
  if (after && !(after.type === 'Literal' && typeof after.value === 'string' && /^[&#]/.test(after.value) && m[1] === '&')) return undefined;
  // `url + '&client_id=x'`: the whole term goes
  if (m.index === 0 && bin?.type === 'BinaryExpression' && bin.operator === '+' && bin.right === owner) return done([bin.left.range[1], owner.range[1]]);
  return m.index === 0 ? undefined : done([start, end]);
}

/** The value expression and the request are in the same function (so the header can name it). */
export function sameScope(value: N, r: RequestInfo): boolean {
  return enclosingFunction(value) === enclosingFunction(r.call);
}

/** `u.searchParams.set('oauth_token', t); fetch(u)`: the request of the URL variable, in the same function. */
function requestOfUrlVar(p: ParamSite, facts: FileFacts): RequestInfo | undefined {
  if (p.via !== 'call') return undefined;
  const call = p.report.parent;
  if (call?.type !== 'CallExpression' || call.callee.type !== 'MemberExpression') return undefined;
  const target = unwrap(call.callee.object);
  const base = target.type === 'MemberExpression' && propName(target) === 'searchParams' ? unwrap(target.object) : undefined;
  if (base?.type !== 'Identifier') return undefined;
  const fn = enclosingFunction(call);
  const rs = facts.requests.filter((r) => {
    let u = r.urlNode && unwrap(r.urlNode);
    // fetch(url.toString()), fetch(String(url)): the URL object's text
    if (u?.type === 'CallExpression' && !u.arguments.length && u.callee.type === 'MemberExpression' && propName(u.callee) === 'toString') u = unwrap(u.callee.object);
    else if (u?.type === 'CallExpression' && u.arguments.length === 1 && u.callee.type === 'Identifier' && u.callee.name === 'String') u = unwrap(u.arguments[0] as N);
    return u && (u.type === 'Identifier' && u.name === base.name || u.type === 'MemberExpression' && unwrap(u.object).type === 'Identifier' && (unwrap(u.object) as TSESTree.Identifier).name === base.name) && enclosingFunction(r.call) === fn && r.call.range[0] > call.range[0];
  });
  return rs.length === 1 ? rs[0] : undefined;
}

/** The request a URL parameter goes to: its own, the URL variable's, or the request whose `url` option the URL is (an options variable). */
export function requestOfParam(p: ParamSite, facts: FileFacts): RequestInfo | undefined {
  if (p.request) return p.request;
  if (p.via === 'call') return requestOfUrlVar(p, facts);
  if (p.via !== 'text') return undefined;
  const root = stringRoot(p.report);
  const rs = facts.requests.filter((r) => r.urlNode && unwrap(r.urlNode) === root);
  return rs.length === 1 ? rs[0] : assignedUrlRequest(root, facts.requests);
}

// ---------------------------------------------------------------- no-query-oauth-token
export const queryTokenProvider: Provider = (ctx) => {
  const facts = factsOf(ctx);
  const out: Group[] = [];
  for (const f of findingsOf(ctx, 'no-query-oauth-token', 'query')) {
    const p = facts.params.find((x) => x.name === 'oauth_token' && atSite(f, x));
    if (!p) continue;
    const r = requestOfParam(p, facts);
    if (!r) continue;
    const rem = removeParam(ctx.text, p, facts);
    if (!rem) continue;
    if (!sameScope(rem.value, r)) continue;
    const value = oauthHeaderValue(ctx.text, rem.value, rem.template || prefersTemplates(ctx.text));
    const h = addHeader(ctx.text, r, 'Authorization', value, rem.holder ? { prop: rem.prop!, holder: rem.holder, removedAll: !!rem.removedAll } : undefined);
    if (!h) continue;
    // a params holder that the header replaces needs no removal of its own
    // superagent .query({ oauth_token }) only: the .query() call goes
    const hc = rem.holder?.parent;
    if (rem.removedAll && hc?.type === 'CallExpression' && hc.callee.type === 'MemberExpression' && propName(hc.callee) === 'query' && r.lib === 'superagent') {
      out.push({ ruleId: 'no-query-oauth-token', edits: [{ range: [hc.callee.object.range[1], hc.range[1]], text: '' }, ...h] });
      continue;
    }
    const replaced = h.find((e) => rem.holder && e.range[0] === rem.holder.parent?.range[0] && e.range[1] === rem.holder.parent?.range[1]);
    out.push({ ruleId: 'no-query-oauth-token', edits: replaced ? h : [...rem.edits, ...h] });
  }
  return out;
};

// ---------------------------------------------------------------- no-client-secret-in-body
export const secretInBodyProvider: Provider = (ctx) => {
  const facts = factsOf(ctx);
  const out: Group[] = [];
  for (const f of findingsOf(ctx, 'no-client-secret-in-body')) {
    const p = facts.params.find((x) => x.name === 'client_secret' && atSite(f, x));
    if (p?.via === 'call') { const g = secretCallsEdits(ctx.text, p, facts, isBrowserCode(ctx)); if (g) out.push(g); continue; }
    if (!p?.request || p.via !== 'object' || !p.holder) continue;
    const idProp = (p.holder.properties as N[]).find((x: N): x is TSESTree.Property => x.type === 'Property' && propName(x) === 'client_id');
    const secretProp = (p.holder.properties as N[]).find((x: N): x is TSESTree.Property => x.type === 'Property' && x.key === p.report);
    if (!idProp || !secretProp) continue;
    if (!sameScope(idProp.value as N, p.request) || !sameScope(secretProp.value as N, p.request)) continue;
    const g = basicGroup(ctx.text, p.request, idProp.value as N, secretProp.value as N, isBrowserCode(ctx), removePropsEdits(ctx.text, p.holder, [idProp, secretProp]));
    if (g) out.push(g);
  }
  return out;
};

/**
 * The request sends the client credentials as HTTP Basic (`'Basic ' + Buffer.from(...)`, `btoa(...)`
 * in browser code) and `removals` take them out of its body; undefined when the header cannot be
 * added or its edits would overlap the removals.
 */
function basicGroup(text: string, r: RequestInfo, id: N, secret: N, browser: boolean, removals: TextEdit[]): Group | undefined {
  const pair = `encodeURIComponent(${text.slice(id.range[0], id.range[1])}) + ':' + encodeURIComponent(${text.slice(secret.range[0], secret.range[1])})`;
  const q = quoteOf(text);
  const b64 = browser ? `btoa(${pair})` : `Buffer.from(${pair}).toString(${q}base64${q})`;
  const h = addHeader(text, r, 'Authorization', `${q}Basic ${q} + ${b64.replace(/'/g, q)}`);
  if (!h || h.some((e) => removals.some((x) => e.range[0] < x.range[1] && x.range[0] < e.range[1]))) return undefined;
  return { ruleId: 'no-client-secret-in-body', edits: [...removals, ...h] };
}

/**
 * A body filled in by statements (`body.set('client_id', ID); body.set('client_secret', SECRET);`, or
 * `append`): both statements go and the request sends them as HTTP Basic. Their values must be
 * readable where the request is: in its function, literals, or bindings of the module.
 */
function secretCallsEdits(text: string, p: ParamSite, facts: FileFacts, browser = false): Group | undefined {
  const call = p.report.parent?.type === 'CallExpression' ? p.report.parent : undefined;
  const callee = call?.callee;
  const stmt = call?.parent;
  if (!call || callee?.type !== 'MemberExpression' || stmt?.type !== 'ExpressionStatement' || callee.object.type !== 'Identifier' || !/^(set|append)$/.test(propName(callee) ?? '')) return undefined;
  const target = callee.object;
  const binding = resolveBinding(target);
  const idCalls = facts.calls.filter((c) => c.callee.type === 'MemberExpression' && c.callee.object.type === 'Identifier' && c.callee.object.name === target.name
    && resolveBinding(c.callee.object) === binding && /^(set|append)$/.test(propName(c.callee) ?? '') && c.arguments[0]?.type === 'Literal' && c.arguments[0].value === 'client_id');
  const idCall = idCalls.length === 1 ? idCalls[0]! : undefined;
  const idStmt = idCall?.parent;
  const idValue = idCall?.arguments[1] as N | undefined;
  const secretValue = call.arguments[1] as N | undefined;
  if (!idStmt || idStmt.type !== 'ExpressionStatement' || idStmt.parent !== stmt.parent || !idValue || !secretValue) return undefined;
  // the one request that sends the object as its body (`fetch(url, { body: form })`, `body.toString()`, `axios.post(url, form)`)
  const isTarget = (v: N) => { let x = unwrap(v); if (x.type === 'CallExpression' && !x.arguments.length && x.callee.type === 'MemberExpression' && propName(x.callee) === 'toString') x = unwrap(x.callee.object); return x.type === 'Identifier' && x.name === target.name && resolveBinding(x) === binding; };
  const senders = facts.requests.filter((q) => (q.call.arguments as N[]).some((a) => isTarget(a) || (a.type === 'ObjectExpression' && a.properties.some((pr) => pr.type === 'Property' && /^(body|data|form)$/.test(propName(pr) ?? '') && isTarget(pr.value as N)))));
  const r = p.request ?? (senders.length === 1 ? senders[0] : undefined);
  if (!r) return undefined;
  const visible = (v: N) => { const x = unwrap(v); if (sameScope(v, r) || x.type === 'Literal') return true; const b = x.type === 'Identifier' ? resolveBinding(x) : undefined; return !!b && isModuleBinding(b); };
  if (!visible(idValue) || !visible(secretValue)) return undefined;
  return basicGroup(text, r, idValue, secretValue, browser, [removeStatementEdit(text, idStmt), removeStatementEdit(text, stmt)]);
}

// ---------------------------------------------------------------- require-token-refresh (non-expiring)
/**
 * The `scope` property of an object that is not handed straight to a call, in a file that reads a
 * `scope` by name (`cfg.scope`, `const { authorizeUrl, scope } = providerUrls()`): removing it would
 * leave that read `undefined` (`scope=undefined` in the URL it builds). The marker stays.
 */
function scopeReadByName(text: string, prop: N): boolean {
  const obj = prop.parent;
  const direct = obj?.parent && (obj.parent.type === 'CallExpression' || obj.parent.type === 'NewExpression') && (obj.parent.arguments as N[]).includes(obj);
  return !direct && /\.\s*scope\b|\{[^{}]*\bscope\b[^{}]*\}\s*=[^=>]/.test(text);
}

export const nonExpiringProvider: Provider = (ctx) => {
  const facts = factsOf(ctx);
  const out: Group[] = [];
  for (const f of findingsOf(ctx, 'require-token-refresh', 'nonExpiring')) {
    const p = facts.params.find((x) => x.name === 'scope' && atSite(f, x));
    let key: N | undefined = p?.via === 'object' ? p.report : undefined;
    if (!p) {
      // SC.initialize/connect({ scope: 'non-expiring' }) or grant objects: the finding is on the key
      const found: N[] = [];
      for (const c of facts.calls) for (const a of c.arguments) if (a.type === 'ObjectExpression') for (const pr of a.properties) if (pr.type === 'Property' && at(f, pr.key)) found.push(pr.key);
      // an OAuth library's options: new SoundCloudStrategy({ ..., scope: ['non-expiring'] })
      key = found[0] ?? facts.properties.find((pr) => pr.type === 'Property' && at(f, pr.key))?.key;
    }
    if (key) {
      const prop = key.parent;
      const arr = prop?.type === 'Property' && prop.value.type === 'ArrayExpression' ? prop.value : undefined;
      if (arr) {
        // scope: ['non-expiring'] -> the property goes; ['non-expiring', 'x'] -> ['x']
        const gone = arr.elements.filter((e) => e?.type === 'Literal' && e.value === 'non-expiring') as N[];
        if (!gone.length || arr.elements.some((e) => !e || e.type === 'SpreadElement')) continue;
        if (gone.length === arr.elements.length && scopeReadByName(ctx.text, prop!)) continue;
        const edits = gone.length === arr.elements.length ? removePropertyEdits(ctx.text, prop!) : removePropsEdits(ctx.text, arr, gone);
        if (edits.length) out.push({ ruleId: 'require-token-refresh', edits });
        continue;
      }
      if (prop?.type !== 'Property' || prop.value.type !== 'Literal' || typeof prop.value.value !== 'string') continue;
      const rest = prop.value.value.split(/[\s+,]+/).filter((s) => s && s !== 'non-expiring');
      const q = ctx.text[prop.value.range[0]]!;
      if (!rest.length && scopeReadByName(ctx.text, prop)) continue;
      const edits = rest.length ? [{ range: prop.value.range, text: `${q}${rest.join(' ')}${q}` }] : removePropertyEdits(ctx.text, prop);
      if (edits.length) out.push({ ruleId: 'require-token-refresh', edits });
      continue;
    }
    if (p?.via === 'call') {
      // url.searchParams.set('scope', 'non-expiring') on a line of its own: the line goes
      const call = p.report.parent;
      const v = call?.type === 'CallExpression' ? call.arguments[1] : undefined;
      if (call?.type !== 'CallExpression' || call.callee.type !== 'MemberExpression' || !/^(set|append)$/.test(propName(call.callee) ?? '') || v?.type !== 'Literal' || typeof v.value !== 'string') continue;
      const rest = v.value.split(/[\s+,]+/).filter((x) => x && x !== 'non-expiring');
      const q = ctx.text[v.range[0]]!;
      const edits = rest.length ? [{ range: v.range, text: `${q}${rest.join(' ')}${q}` }] : call.parent?.type === 'ExpressionStatement' ? ownLineEdits(ctx.text, call.parent) : [];
      if (edits.length) out.push({ ruleId: 'require-token-refresh', edits });
      continue;
    }
    if (p?.via === 'text') {
      const owner = p.report;
      const s = ctx.text.slice(owner.range[0], owner.range[1]);
      const bin0 = owner.parent;
      // `...&` + `scope=non-expiring` (the last piece of a + chain): the piece goes, and the '&' before it
      if ((owner.type === 'Literal' || owner.type === 'TemplateLiteral') && /^['"`]scope=non-expiring['"`]$/.test(s) && bin0?.type === 'BinaryExpression' && bin0.operator === '+' && bin0.right === owner && bin0.parent?.type !== 'BinaryExpression') {
        const left = bin0.left.type === 'BinaryExpression' && bin0.left.operator === '+' ? bin0.left.right : bin0.left;
        const lt = ctx.text.slice(left.range[0], left.range[1]);
        if ((left.type === 'Literal' || (left.type === 'TemplateLiteral' && !/\$\{[^}]*$/.test(lt))) && /&['"`]$/.test(lt)) {
          out.push({ ruleId: 'require-token-refresh', edits: [{ range: [left.range[1] - 2, left.range[1] - 1], text: '' }, { range: [bin0.left.range[1], owner.range[1]], text: '' }] });
          continue;
        }
      }
      const fixed = s.replace(/([?&])scope=non-expiring(&?)/, (_m, sep: string, amp: string) => (sep === '?' ? (amp ? '?' : '') : amp ? '&' : ''));
      const bin = owner.parent;
      // `... + '&scope=non-expiring' + ...`: the whole operand goes
      if (owner.type === 'Literal' && fixed.length === 2 && s[1] === '&' && bin?.type === 'BinaryExpression' && bin.operator === '+' && bin.right === owner) {
        out.push({ ruleId: 'require-token-refresh', edits: [{ range: [bin.left.range[1], owner.range[1]], text: '' }] });
      } else if (fixed !== s) out.push({ ruleId: 'require-token-refresh', edits: [{ range: owner.range, text: fixed }] });
    }
  }
  return out;
};

/** Removes a statement written on a line of its own, with its line; nothing when the line holds more. */
export function ownLineEdits(text: string, stmt: N): TextEdit[] {
  const start = lineStart(text, stmt.range[0]);
  let end = text.indexOf('\n', stmt.range[1]);
  if (end < 0) end = text.length;
  if (text.slice(start, stmt.range[0]).trim() || text.slice(stmt.range[1], end).trim()) return [];
  return [{ range: [start, Math.min(end + 1, text.length)], text: '' }];
}

// ---------------------------------------------------------------- no-disabled-redirects (.redirects(0))
export const redirectsProvider: Provider = (ctx) => {
  const facts = factsOf(ctx);
  const out: Group[] = [];
  for (const f of findingsOf(ctx, 'no-disabled-redirects')) {
    if (f.fix?.edits.length) continue;
    const c = facts.calls.find((x) => x.callee.type === 'MemberExpression' && at(f, x.callee.property));
    if (!c || c.callee.type !== 'MemberExpression') continue;
    out.push({ ruleId: 'no-disabled-redirects', edits: [{ range: [c.callee.object.range[1], c.range[1]], text: '' }] });
  }
  return out;
};

// ---------------------------------------------------------------- no-hardcoded-credentials (server code)
export const hardcodedCredentialsProvider: Provider = (ctx) => {
  if (ctx.suggestions || isBrowserCode(ctx)) return []; // with --suggestions the rule's own suggestion is applied
  return findingsOf(ctx, 'no-hardcoded-credentials', 'literal')
    .filter((f) => f.suggestions?.[0] && /process\.env\.\w+/.test(f.suggestions[0].edits.map((e) => e.text).join('')))
    .map((f) => ({ ruleId: 'no-hardcoded-credentials', edits: f.suggestions![0]!.edits }));
};

// ---------------------------------------------------------------- no-client-id-auth (server code)
const CLIENT_MODULE = 'soundcloud-client';

export function readText(p: string): string | undefined { try { return readFileSync(p, 'utf8'); } catch { return undefined; } }

export type ModStyle = 'esm' | 'cjs' | 'ts';
export function moduleStyle(ctx: ProviderContext): ModStyle {
  if (/\.(ts|mts|cts)$/.test(ctx.filename)) return 'ts';
  if (/\.mjs$/.test(ctx.filename)) return 'esm';
  if (/\.cjs$/.test(ctx.filename)) return 'cjs';
  const esm = ctx.parsed.ast.body.some((s) => s.type === 'ImportDeclaration' || s.type.startsWith('Export'));
  if (esm) return 'esm';
  return /\brequire\(|module\.exports|exports\./.test(ctx.text) ? 'cjs' : 'esm';
}

/** The doc line of the generated `soundcloudStreamUrl` (server and browser modules). */
export const STREAM_DOC = 'A URL that plays with no credential (signed, it expires: ask for it when playing).';

/**
 * The generated server client module. Its syntax is what the app's own toolchain parses: no `??=`
 * (TypeScript before 4.0, as a bot pinning `typescript ^3.1` builds with, emits `client ?  ? = ...`
 * from it, a module that no longer loads; Babel 6 does not parse it either).
 */
export function clientModuleText(style: ModStyle, eol = '\n', env: AppEnv = {}): string {
  // the app's own environment names are kept (createClientFromEnv reads SOUNDCLOUD_* otherwise)
  const own = [env.clientId && `clientId: process.env.${env.clientId}`, env.clientSecret && `clientSecret: process.env.${env.clientSecret}`].filter(Boolean);
  const args = own.length ? `{ ${own.join(', ')}, ...overrides }` : 'overrides';
  const head = [
    `${GENERATED_HEAD}: one SoundCloud client for the app (client_credentials; tokens cached,`,
    `// shared and renewed before they expire). Credentials: ${env.clientId ?? 'SOUNDCLOUD_CLIENT_ID'}, ${env.clientSecret ?? 'SOUNDCLOUD_CLIENT_SECRET'}`,
    '// (SOUNDCLOUD_TOKEN_FILE shares tokens across processes: client_credentials is rate-limited).',
  ];
  const lines = style === 'cjs' ? [
    ...head,
    'let client;',
    '',
    '/** The shared SoundCloudClient of sc-migrate/runtime (an ES module, loaded once); `overrides` count on first use. */',
    'function soundcloudClient(overrides = {}) {',
    `  if (!client) client = import('sc-migrate/runtime').then((m) => m.createClientFromEnv(${args}));`,
    '  return client;',
    '}',
    '',
    '/** An access token for `Authorization: OAuth <token>`. */',
    'async function soundcloudAccessToken(overrides = {}) {',
    '  return (await soundcloudClient(overrides)).getAccessToken();',
    '}',
    '',
    `/** ${STREAM_DOC} */`,
    'async function soundcloudStreamUrl(track, overrides = {}) {',
    '  return (await soundcloudClient(overrides)).streamUrl(track);',
    '}',
    '',
    'module.exports = { soundcloudClient, soundcloudAccessToken, soundcloudStreamUrl };',
  ] : [
    ...head,
    "import { createClientFromEnv } from 'sc-migrate/runtime';",
    '',
    style === 'ts' ? 'let client: ReturnType<typeof createClientFromEnv> | undefined;' : 'let client;',
    '',
    '/** The shared SoundCloudClient of sc-migrate/runtime; `overrides` (e.g. clientId, clientSecret) count on first use. */',
    `export function soundcloudClient(overrides${style === 'ts' ? ': Parameters<typeof createClientFromEnv>[0]' : ''} = {}) {`,
    `  if (!client) client = createClientFromEnv(${args});`,
    '  return client;',
    '}',
    '',
    '/** An access token for `Authorization: OAuth <token>`. */',
    `export function soundcloudAccessToken(overrides${style === 'ts' ? ': Parameters<typeof createClientFromEnv>[0]' : ''} = {})${style === 'ts' ? ': Promise<string>' : ''} {`,
    '  return soundcloudClient(overrides).getAccessToken();',
    '}',
    '',
    `/** ${STREAM_DOC} */`,
    `export function soundcloudStreamUrl(track${style === 'ts' ? ": Parameters<ReturnType<typeof createClientFromEnv>['streamUrl']>[0]" : ''}, overrides${style === 'ts' ? ': Parameters<typeof createClientFromEnv>[0]' : ''} = {})${style === 'ts' ? ': Promise<string>' : ''} {`,
    '  return soundcloudClient(overrides).streamUrl(track);',
    '}',
  ];
  return lines.join(eol) + eol;
}

export function isAsyncContext(n: N): boolean {
  const fn = enclosingFunction(n) as TSESTree.FunctionLike | undefined;
  return !!fn && !!(fn as { async?: boolean }).async && !headsCatchingChain(n);
}

/**
 * A request heading a chain that handles a failure (`axios.get(...).then(f).catch(g)`, `.then(f, g)`):
 * an `await` for the token inside its arguments would throw before the chain exists, so the
 * chain's own handler would never see a failed token request (the fallback it gives is lost).
 */
export function headsCatchingChain(n: N): boolean {
  for (let x: N = n; x.parent?.type === 'MemberExpression' && x.parent.object === x && x.parent.parent?.type === 'CallExpression' && x.parent.parent.callee === x.parent; x = x.parent.parent) {
    const m = propName(x.parent);
    if (m === 'catch' || (m === 'then' && x.parent.parent.arguments.length > 1)) return true;
  }
  return false;
}

/** After a statement's trailing comment on its line (`require('request'); // HTTP`): a line added there keeps the comment on its own line. */
const afterTrailingComment = (text: string, offset: number) => offset + (/^[ \t]*(?:\/\/[^\r\n]*|\/\*(?:(?!\*\/)[^\r\n])*\*\/[ \t]*)(?=\r?\n|$)/.exec(text.slice(offset))?.[0].length ?? 0);

/**
 * The edit that imports `names` (default soundcloudAccessToken) from the client module: none when
 * they are there, a name added to an import (or destructuring require) of the same module, else
 * a new line.
 */
export function importEdit(ctx: ProviderContext, style: ModStyle, spec: string, names: readonly string[] = ['soundcloudAccessToken']): TextEdit | undefined {
  const quoted = new RegExp(`['"]${spec.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}['"]`);
  if (names.every((n) => new RegExp(`\\b${n}\\b`).test(ctx.text)) && quoted.test(ctx.text)) return undefined;
  const q = quoteOf(ctx.text);
  const eol = eolOf(ctx.text);
  const body = ctx.parsed.ast.body;
  // `import { soundcloudAccessToken } from './soundcloud-client.js'` (or its require) already there: the name joins it
  for (const st of body) {
    const pattern = st.type === 'ImportDeclaration' && st.source.value === spec && st.specifiers.every((x) => x.type === 'ImportSpecifier') ? st.specifiers
      : st.type === 'VariableDeclaration' && st.declarations.length === 1 && st.declarations[0]!.id.type === 'ObjectPattern' && st.declarations[0]!.init && new RegExp(`^require\\(\\s*${quoted.source}\\s*\\)$`).test(ctx.text.slice(st.declarations[0]!.init.range[0], st.declarations[0]!.init.range[1])) ? (st.declarations[0]!.id as TSESTree.ObjectPattern).properties : undefined;
    const lastSpec = pattern?.[pattern.length - 1];
    if (!lastSpec) continue;
    const missing = names.filter((n) => !pattern!.some((x) => ctx.text.slice(x.range[0], x.range[1]) === n));
    return missing.length ? { range: [lastSpec.range[1], lastSpec.range[1]], text: missing.map((n) => `, ${n}`).join('') } : undefined;
  }
  const list = names.join(', ');
  if (style === 'cjs') {
    const reqs = body.filter((s) => s.type === 'VariableDeclaration' && s.declarations.some((d) => d.init && /^require\(/.test(ctx.text.slice(d.init.range[0], d.init.range[1]))));
    // after the requires the file opens with (and its directives), not after a later one: code
    // between them may already call the token function while the module loads
    let last: N | undefined;
    for (const st of body) {
      if (reqs.includes(st) || (st.type === 'ExpressionStatement' && (st as { directive?: string }).directive)) { last = st; continue; }
      break;
    }
    // an ES5 file (var only, no const or let) gets `var name = require('...').name;`, as its own requires are written
    const es5 = names.length === 1 && /\bvar\s/.test(ctx.text) && !/\b(const|let)\s/.test(ctx.text);
    const line = es5 ? `var ${list} = require(${q}${spec}${q}).${list};` : `const { ${list} } = require(${q}${spec}${q});`;
    const end = last && afterTrailingComment(ctx.text, last.range[1]);
    if (end) return { range: [end, end], text: `${eol}${line}` };
    return { range: [body[0]?.range[0] ?? 0, body[0]?.range[0] ?? 0], text: `${line}${eol}` };
  }
  const imports = body.filter((s) => s.type === 'ImportDeclaration');
  const last = imports[imports.length - 1];
  const line = `import { ${list} } from ${q}${spec}${q};`;
  const end = last && afterTrailingComment(ctx.text, last.range[1]);
  if (end) return { range: [end, end], text: `${eol}${line}` };
  const first = body[0];
  return { range: [first?.range[0] ?? 0, first?.range[0] ?? 0], text: `${line}${eol}${eol}` };
}

/** Imports `names` (soundcloudAccessToken) from the project's client module (one made in this run, one next to the file, or a new one). */
export function clientImportEdit(ctx: ProviderContext, style: ModStyle = moduleStyle(ctx), names?: readonly string[]): TextEdit | undefined {
  const dir = dirname(ctx.filename);
  const ext = style === 'ts' ? '.ts' : style === 'cjs' && /\.cjs$/.test(ctx.filename) ? '.cjs' : style === 'esm' && /\.mjs$/.test(ctx.filename) ? '.mjs' : '.js';
  // one made in this run, else a free name (an app's own soundcloud-client.js is never imported in its place)
  let modPath = [...ctx.newFiles].find(([, text]) => text.startsWith(`${GENERATED_HEAD}:`))?.[0]; // the server module (a browser one is `... (browser)`)
  if (!modPath) {
    modPath = freeModulePath(moduleDirFor(dir), CLIENT_MODULE, ext, (p) => ctx.project?.readFile(p) ?? readText(p), new Set(ctx.newFiles.keys()));
    if (modPath === ctx.filename) return undefined;
    if (readText(modPath) === undefined) ctx.newFiles.set(modPath, clientModuleText(style, eolOf(ctx.text), appEnvOf(ctx.filename, ctx.text, ctx.project)));
  }
  // a module of an earlier run that does not export a name (soundcloudStreamUrl came later): not imported
  const mod = ctx.newFiles.get(modPath) ?? ctx.project?.readFile(modPath) ?? readText(modPath) ?? '';
  if (names?.some((n) => !new RegExp(`\\b${n}\\b`).test(mod))) return undefined;
  let spec = relative(dir, modPath).split(sep).join('/').replace(/\.ts$/, '.js');
  if (!spec.startsWith('.')) spec = './' + spec;
  // the file's own convention: a module whose relative imports are all written without an
  // extension is bundled (Next, webpack), where `./x.js` need not find x.ts
  const rel = style === 'cjs' ? [] : ctx.parsed.ast.body.flatMap((st) => (st.type === 'ImportDeclaration' && /^\.\.?\//.test(String(st.source.value)) ? [String(st.source.value)] : []));
  if (rel.length && rel.every((x) => !/\.[cm]?[jt]sx?$/.test(x))) spec = spec.replace(/\.[jt]s$/, '');
  return importEdit(ctx, style, spec, names);
}

/** Server code only: browser files, DOM globals or a browser-framework project get a marker. */
export const isBrowserCode = (ctx: Pick<ProviderContext, 'filename' | 'text' | 'project'> & { browser?: boolean }) => ctx.browser ?? runsInBrowser(ctx.filename, ctx.text, ctx.project);

/** `new Promise(x)`: `x` is the promise's executor (a function, or a function's `.bind(this)`), which runs at once. */
export function isPromiseArgument(x: N): boolean {
  const p = x.parent;
  return p?.type === 'NewExpression' && p.arguments[0] === x && p.callee.type === 'Identifier' && p.callee.name === 'Promise';
}

/** The names an inserted `.then((token) => ...)` gives the app token, in order of preference. */
export const TOKEN_NAMES: readonly string[] = ['token', 'scToken', 'appToken'];

/** How many times `name` is written in `text` as a whole word (code, strings and comments alike). */
export const mentionCount = (text: string, name: string): number => text.match(new RegExp(`\\b${name}\\b`, 'g'))?.length ?? 0;

/** The first of `names` that the code `scope` (the text of the function it goes in) does not use. */
export function freeName(scope: string, names: readonly string[] = TOKEN_NAMES): string | undefined {
  return names.find((n) => !new RegExp(`\\b${n}\\b`).test(scope));
}

/**
 * `new Promise((resolve, reject) => { request(url, (err, res, body) => {...}); })`: the request's
 * statement, written in the executor's body, waits for the app token:
 * `soundcloudAccessToken().then((token) => request(url, { headers }, cb), reject);` (a failed
 * token request rejects the promise, as a failed request would).
 */
export function executorWait(text: string, r: RequestInfo): { name: string; edits: TextEdit[] } | undefined {
  // the statement's expression is the request, or a chain hanging on it: request.getAsync(u).spread(...)
  let e: N = r.call;
  while (e.parent?.type === 'MemberExpression' && e.parent.object === e && e.parent.parent?.type === 'CallExpression' && e.parent.parent.callee === e.parent) e = e.parent.parent;
  const stmt = e.parent;
  // written in the executor's body, also in a block or an if/else branch of it
  let block = stmt?.parent;
  for (;;) {
    let up = block?.parent;
    while (up?.type === 'IfStatement' && up.parent?.type === 'IfStatement') up = up.parent;
    if (block?.type !== 'BlockStatement' || (up?.type !== 'IfStatement' && up?.type !== 'BlockStatement')) break;
    block = up.type === 'IfStatement' ? up.parent : up;
  }
  const fn = block?.parent;
  if (stmt?.type !== 'ExpressionStatement' || stmt.parent?.type !== 'BlockStatement' || block?.type !== 'BlockStatement' || !isFn(fn) || fn.async || fn.generator) return undefined;
  // new Promise(function (resolve, reject) {...}.bind(this)): the arrow keeps the bound `this`
  const bound = fn.parent?.type === 'MemberExpression' && fn.parent.object === fn && propName(fn.parent) === 'bind' && fn.parent.parent?.type === 'CallExpression' ? fn.parent.parent : undefined;
  const reject = fn.params[1];
  if (!isPromiseArgument(bound ?? fn) || reject?.type !== 'Identifier') return undefined;
  const body = text.slice(e.range[0], e.range[1]);
  if (/\barguments\b/.test(body) && fn.type !== 'ArrowFunctionExpression') return undefined;
  const name = freeName(text.slice(fn.range[0], fn.range[1]));
  if (!name) return undefined;
  return { name, edits: [
    { range: [e.range[0], e.range[0]], text: `soundcloudAccessToken().then((${name}) => ` },
    { range: [e.range[1], e.range[1]], text: `, ${reject.name})` },
  ] };
}

/**
 * A request's chain `e` given to a variable (`var res = axios.get(url).catch(fallback);`) that the next
 * statement awaits before it does anything else (`var data = (await res).data;`, `return await res;`):
 * no code runs between the request's start and that wait, so waiting for the token first, in the
 * chain, changes nothing the function sees but the order of the two requests.
 */
export function awaitedNext(e: N): boolean {
  const d = e.parent;
  if (d?.type !== 'VariableDeclarator' || d.init !== e) return false;
  const decl = d.parent;
  if (d.id.type !== 'Identifier' || decl?.type !== 'VariableDeclaration' || decl.declarations.length !== 1) return false;
  const block = decl.parent;
  if (block?.type !== 'BlockStatement') return false;
  const next = block.body[block.body.indexOf(decl) + 1];
  let x: N | null | undefined = next?.type === 'VariableDeclaration' ? next.declarations[0]?.init
    : next?.type === 'ExpressionStatement' ? next.expression : next?.type === 'ReturnStatement' ? next.argument : undefined;
  // the first thing its expression evaluates: the object of a member, the callee of a call
  while (x && (x.type === 'MemberExpression' || x.type === 'CallExpression' || x.type === 'TSAsExpression' || x.type === 'TSNonNullExpression')) x = x.type === 'MemberExpression' ? x.object : x.type === 'CallExpression' ? x.callee : x.expression;
  return x?.type === 'AwaitExpression' && x.argument.type === 'Identifier' && x.argument.name === d.id.name && !!(enclosingFunction(decl) as { async?: boolean } | undefined)?.async;
}

/**
 * A statement that ends what its function does (the last statement of the function's body, also
 * through the branches of a trailing if/else): nothing after it can change what the request reads
 * when it is sent later, once the token is there.
 */
export function endsFunction(stmt: N): boolean {
  let s: N = stmt;
  for (;;) {
    const p = s.parent;
    if (p?.type === 'IfStatement' && (p.consequent === s || p.alternate === s)) { s = p; continue; }
    if (p?.type !== 'BlockStatement' || p.body[p.body.length - 1] !== s) return false;
    if (isFn(p.parent)) return true;
    s = p;
  }
}

/**
 * A callback-style request (`request.get(options, function (error, response, body) {...})`) as
 * the last statement of a plain function: it waits for the app token, and a failed token request
 * goes to the request's own callback as its error, as a failed request would:
 * `soundcloudAccessToken().then((token) => request.get(options, onResponse), onResponse)`.
 * An inline callback is first kept in a constant of a free name; a callback given by name is
 * used as it is.
 */
export function callbackWait(text: string, r: RequestInfo, filename: string): { name: string; edits: TextEdit[] } | undefined {
  // superagent: the chain's `.end(callback)` (`request.get(url).query(q).end(function (err, res) {...})`)
  const call = r.lib === 'superagent' ? superagentEnd(r.call) : r.call;
  if (!call || (r.lib !== 'request' && r.lib !== 'superagent')) return undefined;
  const stmt = call.parent;
  const fn = enclosingFunction(r.call);
  const args = call.arguments as N[];
  const last = args[args.length - 1];
  if (stmt?.type !== 'ExpressionStatement' || !fn || (fn as { generator?: boolean }).generator || !last || args.length < (call === r.call ? 2 : 1) || !endsFunction(stmt)) return undefined;
  const cb = unwrap(last);
  const scope = text.slice(fn.range[0], fn.range[1]);
  const name = freeName(scope);
  if (!name) return undefined;
  // the callback: a parameter, or a function (written here or by name) that does not read `this`
  // (request's own object when it calls back; a rejection handler gets none)
  const readsThis = (f: Fn) => f.type !== 'ArrowFunctionExpression' && /\bthis\b/.test(text.slice(f.range[0], f.range[1]));
  if (cb.type === 'Identifier') {
    const fnOf = functionValue(cb);
    if (resolveBinding(cb)?.kind !== 'param' && (!fnOf || readsThis(fnOf))) return undefined;
    return { name, edits: [
      { range: [call.range[0], call.range[0]], text: `soundcloudAccessToken().then((${name}) => ` },
      { range: [call.range[1], call.range[1]], text: `, ${cb.name})` },
    ] };
  }
  if (!isFn(cb) || readsThis(cb)) return undefined;
  // TypeScript: a callback taken out of the call loses the parameter types the call gave it
  if (/\.[cm]?tsx?$/i.test(filename) && cb.params.some((x) => !(x as { typeAnnotation?: unknown }).typeAnnotation)) return undefined;
  const cbName = freeName(scope, ['onResponse', 'handleResponse', 'onSoundcloudResponse']);
  if (!cbName || new RegExp(`\\b${cbName}\\b`).test(text)) return undefined;
  const decl = /\b(const|let)\s/.test(text) ? 'const' : 'var';
  const semi = /;\s*$/.test(text.slice(stmt.range[0], stmt.range[1])) ? ';' : '';
  return { name, edits: [
    { range: [call.range[0], call.range[0]], text: `${decl} ${cbName} = ${text.slice(last.range[0], last.range[1])}${semi}${eolOf(text)}${lineIndent(text, stmt.range[0])}soundcloudAccessToken().then((${name}) => ` },
    { range: last.range, text: cbName },
    { range: [call.range[1], call.range[1]], text: `, ${cbName})` },
  ] };
}

/** The methods of a superagent request before its `.end(callback)` (the request is built, not sent). */
const SUPERAGENT_BUILD = /^(set|query|send|type|accept|timeout|retry|field|attach|redirects|buffer|ok|withCredentials)$/;

/** The `.end(callback)` call that sends a superagent request built from `call`; undefined when the chain does anything else. */
function superagentEnd(call: TSESTree.CallExpression): TSESTree.CallExpression | undefined {
  let e: TSESTree.CallExpression = call;
  while (e.parent?.type === 'MemberExpression' && e.parent.object === e && e.parent.parent?.type === 'CallExpression' && e.parent.parent.callee === e.parent) {
    const m = propName(e.parent) ?? '';
    e = e.parent.parent;
    if (m === 'end') return e.arguments.length === 1 ? e : undefined;
    if (!SUPERAGENT_BUILD.test(m)) return undefined;
  }
  return undefined;
}

export const clientIdProvider: Provider = (ctx) => {
  // browser code, or a module of a UI project that nothing marks as server code: no app credentials
  if (isBrowserCode(ctx) || serverByDefaultInUiProject(ctx.filename, ctx.text, ctx.project)) return [];
  const facts = factsOf(ctx);
  const style = moduleStyle(ctx);
  const edits: TextEdit[] = [];
  for (const f of findingsOf(ctx, 'no-client-id-auth', 'clientId')) {
    const p = clientIdParamAt(facts, f);
    // api-v2 (the web app's private API) takes no client_credentials token: its marker says so
    if (!p || isApiV2(p.url.host)) continue;
    const r = requestOfParam(p, facts);
    if (r && mayBeApiV2(p.url.host, ctx.text, r.urlNode as N | undefined)) continue;
    if (!r || r.lib === 'sdk') continue;
    // not in an async function: a callback-style request in a Promise executor waits for the token with .then
    const async = isAsyncContext(r.call);
    const wait = async ? undefined : executorWait(ctx.text, r) ?? callbackWait(ctx.text, r, ctx.filename) ?? promiseWait(ctx.text, r, facts.identifiers) ?? routeWait(ctx.text, r, facts.identifiers) ?? emitterWait(ctx.text, r, facts.env, ctx.filename);
    if (!async && !wait) continue;
    const rem = removeParam(ctx.text, p, facts) ?? removeInlineParam(ctx.text, p);
    if (!rem || !sameScope(rem.value, r)) continue;
    const q = quoteOf(ctx.text);
    const h = addHeader(ctx.text, r, 'Authorization', wait ? `${q}OAuth ${q} + ${wait.name}` : `${q}OAuth ${q} + (await soundcloudAccessToken())`, rem.holder ? { prop: rem.prop!, holder: rem.holder, removedAll: !!rem.removedAll } : undefined, undefined, !!wait);
    if (!h) continue;
    if (wait) h.push(...wait.edits);
    const hc = rem.holder?.parent;
    if (rem.removedAll && hc?.type === 'CallExpression' && hc.callee.type === 'MemberExpression' && propName(hc.callee) === 'query' && r.lib === 'superagent') {
      edits.push({ range: [hc.callee.object.range[1], hc.range[1]], text: '' }, ...h);
      continue;
    }
    const replaced = h.find((e) => rem.holder && e.range[0] === rem.holder.parent?.range[0] && e.range[1] === rem.holder.parent?.range[1]);
    const mine = replaced ? h : [...rem.edits, ...h];
    // a request inside another's callback that this pass moves (`const onComplete = <callback>`) waits for the next pass
    if (clashes([...edits, ...mine])) continue;
    edits.push(...mine);
  }
  if (!edits.length) return [];
  const imp = clientImportEdit(ctx, style);
  return [{ ruleId: 'no-client-id-auth', edits: imp ? [...edits, imp] : edits }];
};

/** Do any of the edits overlap (an insertion inside a replaced range counts), which one group may not hold? */
function clashes(edits: readonly TextEdit[]): boolean {
  const sorted = [...edits].sort((a, b) => a.range[0] - b.range[0] || a.range[1] - b.range[1]);
  return sorted.some((e, i) => i > 0 && e.range[0] < sorted[i - 1]!.range[1]);
}

/** Does the module's text export `name` the CommonJS way (`exports.name`, `module.exports = { name }`, `module.exports = name`)? */
export function commonJsExports(name: string, text: string): boolean {
  return new RegExp(`\\bexports\\.${name}\\b|module\\.exports\\b[^;]*\\b${name}\\b`).test(text);
}
