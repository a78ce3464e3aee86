/**
 * Findings that `sc-migrate fix` already judged: a marker `sc-migrate(<rule-id>): ...` (a block
 * comment, or an HTML comment outside `<script>`) on the lines just above the statement holding
 * the finding, which is where fix puts it. Scan keeps reporting them, as `manual` with
 * `marked: true`: what is left is for a person, and the marker says what to do.
 *
 * One marker per root cause: a finding may have an origin (Finding.origin), the statement where
 * what it reports is written when that is elsewhere. The `client_id` of a request comes from a
 * constant (also one exported by another file), a parameter, a getter: one marker above that
 * declaration marks every request it authenticates. A request to the private API (api-v2) has its
 * root cause in the host literal its URL is built from: the one marker there names both rules,
 * `sc-migrate(no-private-api-v2, no-client-id-auth): ...`.
 */
import type { TSESTree } from '@typescript-eslint/typescript-estree';
import { lineStarts, locator } from './parse.js';
import type { Finding, FindingOrigin, Node, Program } from './types.js';
import { forEachChild } from './walk.js';
import type { ProjectContext } from './project.js';
import { enclosingFunction, resolveBinding } from './analysis/scope.js';
import { evalString, moduleAst, moduleExport, resolveExpression, resolveFunction, unwrap, type Env } from './analysis/values.js';
import { API_V2_RE } from './analysis/hosts.js';
import { startOf, endOf } from './offsets.js';

type N = TSESTree.Node;

/** How many lines of markers may stack above a statement (one per rule). */
const REACH = 8;

/** Rules whose findings get an origin (the credential's declaration, the private API's host). */
const ORIGIN_PARAM: Record<string, string> = { 'no-client-id-auth': 'client_id' };

const STATEMENT = /Statement$|Declaration$|^PropertyDefinition$|^MethodDefinition$/;

/** The line (1-based) where the statement (or class member) holding an offset starts. */
export function statementLine(ast: Program, offset: number, fallback: number, at?: (offset: number) => { line: number }): number {
  let best: Node | undefined;
  const visit = (n: Node) => {
    forEachChild(n, (c) => {
      if (startOf(c) > offset || endOf(c) <= offset) return;
      if (STATEMENT.test(c.type) && c.type !== 'BlockStatement') best = c;
      visit(c);
    });
  };
  visit(ast);
  if (!best) return fallback;
  // trees parsed without locations (the scanner's) have offsets only
  return (best as { loc?: Node['loc'] }).loc?.start.line ?? at?.(startOf(best)).line ?? fallback;
}

/** A comment that applies to the line after it: a marker between it and that line would take its place. */
const NEXT_LINE_DIRECTIVE = /^\s*(?:\/\/|\/\*|\{\/\*)\s*(?:eslint-disable-next-line|@ts-ignore|@ts-expect-error|prettier-ignore|istanbul ignore next|c8 ignore next|jshint ignore:line|noinspection)\b/;

/**
 * The first line (1-based) of a JSDoc block that ends right above `line`, and of the comments
 * right above it that apply to the next line (`// eslint-disable-next-line`, `// @ts-ignore`),
 * else `line`: markers go above them, never between them and the line they are about.
 */
export function docCommentStart(lines: readonly string[], line: number): number {
  while (line > 1 && NEXT_LINE_DIRECTIVE.test(lines[line - 2] ?? '')) line--;
  if (!/\*\/\s*$/.test(lines[line - 2] ?? '')) return line;
  for (let l = line - 1; l >= 1 && l >= line - 80; l--) {
    const t = lines[l - 1]!.trim();
    if (t.startsWith('/**')) return l;
    if (t.startsWith('/*') || (l < line - 1 && /\*\/\s*$/.test(t))) return line;
  }
  return line;
}

/** The rule ids a line's markers name: `sc-migrate(a)`, `sc-migrate(a, b)`. */
export function markerTags(line: string): string[] {
  const out: string[] = [];
  for (const m of line.matchAll(/sc-migrate\(([\w-]+(?:\s*,\s*[\w-]+)*)\)/g)) out.push(...m[1]!.split(',').map((s) => s.trim()));
  return out;
}

/** A marker naming rule `id` on the lines up to REACH above `line` (above its JSDoc block, if any). */
function markedAbove(lines: readonly string[], line: number, id: string): boolean {
  return lines.slice(Math.max(0, docCommentStart(lines, line) - 1 - REACH), line - 1).some((l) => l.includes('sc-migrate(') && markerTags(l).includes(id));
}

/** Where to look beyond the file: the project (other files' texts and modules). */
export interface MarkContext { filename: string; project?: ProjectContext | (() => ProjectContext | undefined) }

/**
 * Sets `origin` on findings whose root cause is written elsewhere, and `marked` (fixKind
 * `manual`) on findings with their rule's marker above their statement or above their origin.
 */
export function markLeftForPerson(text: string, ast: Program, findings: Finding[], ctx?: MarkContext): void {
  if (!findings.length) return;
  let lines: string[] | undefined;
  const ownLines = () => (lines ??= text.split('\n'));
  let starts: number[] | undefined;
  let at: ((offset: number) => { line: number }) | undefined;
  const offsetOf = (f: Finding) => ((starts ??= lineStarts(text))[f.line - 1] ?? 0) + f.column - 1;
  if (ctx && findings.some((f) => ORIGIN_PARAM[f.ruleId])) {
    if (typeof ctx.project === 'function') ctx = { ...ctx, project: ctx.project() };
    for (const f of findings) {
      if (!ORIGIN_PARAM[f.ruleId]) continue;
      const o = findingOrigin(ast, f, offsetOf(f), (starts ??= lineStarts(text)), text, ctx as { filename: string; project?: ProjectContext });
      if (o) f.origin = o;
    }
  }
  const others = new Map<string, string[] | undefined>();
  const linesOf = (file: string) => {
    if (file === ctx?.filename) return ownLines();
    const project = typeof ctx?.project === 'function' ? (ctx = { ...ctx, project: ctx.project() }).project as ProjectContext | undefined : ctx?.project;
    if (!others.has(file)) { const t = project?.readFile(file); others.set(file, t?.includes('sc-migrate(') ? t.split('\n') : undefined); }
    return others.get(file);
  };
  const anyMarker = text.includes('sc-migrate(');
  for (const f of findings) {
    let marked = false;
    if (anyMarker) {
      marked = markedAbove(ownLines(), f.line, f.ruleId)
        || markedAbove(ownLines(), statementLine(ast, offsetOf(f), f.line, (at ??= locator(text))), f.ruleId);
    }
    if (!marked && f.origin && (f.origin.file !== ctx?.filename || anyMarker)) {
      const ls = linesOf(f.origin.file);
      marked = !!ls && markedAbove(ls, f.origin.line, f.ruleId);
    }
    if (marked) { f.fixKind = 'manual'; f.marked = true; }
  }
}

/**
 * The innermost node whose range is exactly [start, end), or the template literal a parameter
 * of a multi-line template is reported in (at its own line, inside one of its quasis).
 */
function nodeAt(ast: Program, start: number, end: number): N | undefined {
  let found: N | undefined;
  let inner: N | undefined;
  const visit = (n: Node) => {
    forEachChild(n, (c) => {
      if (startOf(c) > start || endOf(c) < end) return;
      inner = c as unknown as N;
      if (startOf(c) === start && endOf(c) === end) found = c as unknown as N;
      visit(c);
    });
  };
  visit(ast);
  const within = inner as N | undefined;
  return found ?? (within?.type === 'TemplateElement' ? within.parent : undefined);
}

/** The statement (or class member) holding a node. */
function statementOf(n: N): N {
  let best: N = n;
  for (let p: N | undefined = n; p; p = p.parent) {
    if (STATEMENT.test(p.type) && p.type !== 'BlockStatement') return p;
    best = p;
  }
  return best;
}

/** The origin of a finding, or undefined when it is its own statement (and not on the private API). */
function findingOrigin(ast: Program, f: Finding, start: number, starts: readonly number[], text: string, ctx: { filename: string; project?: ProjectContext }): FindingOrigin | undefined {
  const end = (starts[f.endLine - 1] ?? 0) + f.endColumn - 1;
  const node = nodeAt(ast, start, end);
  if (!node?.parent) return undefined;
  const env: Env = { filename: ctx.filename, depth: 0, ...(ctx.project ? { project: ctx.project } : {}) };
  const name = ORIGIN_PARAM[f.ruleId]!;
  let where: { node: N; file: string } | undefined;
  let kind: FindingOrigin['kind'] = 'private-api';
  try {
    where = privateApiHost(node, name, env);
    // on the private API, its host written where the URL is not followed (a URL builder): the finding's own statement
    if (!where && f.messageId === 'clientIdPrivate') where = privateApiInFunction(node, env) ?? { node, file: ctx.filename };
    // a client_id whose URL is not followed (a params object joined in a loop: `for (k in params) url += ...`)
    // in a function that names the private API's host and not the public API's: the private API's request
    if (!where && !urlExpressionOf(node)) {
      const fn = enclosingFunction(node);
      if (fn && !namesPublicApi(fn as N)) where = privateApiInFunction(node, env);
    }
    if (!where) {
      // browser code: the client_id itself has to go (a backend makes the requests), once where it
      // is declared; server code: each request gets its token, except where the URL may be the
      // private API's (a URL from a response or a parameter), to be checked once per source
      // (browser: where the client_id is declared first; server: the URL helper it is added in first)
      kind = 'value';
      const browser = f.messageId === 'clientIdBrowser';
      if (!browser && namesApiHost(node, env)) return undefined;
      const value = valueOf(node, name);
      const declared = () => value && originOfValue(value, env, 0);
      where = browser ? declared() ?? helperOf(node, ctx.filename) : helperOf(node, ctx.filename) ?? declared();
    }
  } catch {
    return undefined;
  }
  if (!where) return undefined;
  const stmt = statementOf(where.node);
  const own = statementOf(node);
  if (kind === 'value' && where.file === ctx.filename && stmt === own) return undefined;
  const otherText = where.file === ctx.filename ? text : ctx.project?.readFile(where.file);
  if (otherText === undefined) return undefined;
  // a helper that is a method of an object literal (a module object of methods): above that method
  const at = methodOnItsLine(where.node, otherText) ?? stmt;
  const line = (at as { loc?: TSESTree.SourceLocation }).loc?.start.line ?? locator(otherText)(startOf(at)).line;
  return { file: where.file, line, kind, ...(kind === 'value' && !namesApiHost(node, env) ? { unknownHost: true } : {}) };
}

/**
 * The property of a helper that is a method of an object literal and starts its own line
 * (`  streamUrl: function (track) {` of `module.exports = { ... }`): a marker above it sits beside the
 * helper, not above a statement tens of lines long.
 */
function methodOnItsLine(fn: N, text: string): N | undefined {
  const p = fn.parent;
  if ((fn.type !== 'FunctionExpression' && fn.type !== 'ArrowFunctionExpression') || p?.type !== 'Property' || p.value !== fn || p.parent?.type !== 'ObjectExpression') return undefined;
  const start = startOf(p);
  const lineStart = text.lastIndexOf('\n', start - 1) + 1;
  return /\S/.test(text.slice(lineStart, start)) ? undefined : p;
}

/** A helper that adds the parameter to a URL it is given (`(url) => addParam(url, 'client_id', ID)`): the function. */
function helperOf(node: N, file: string): { node: N; file: string } | undefined {
  let base = urlExpressionOf(node);
  // the URL starts with the parameter (`url`, `url + '?x'`, `${url}?x`, `opts.url`)
  while (base && (base.type === 'MemberExpression' || base.type === 'BinaryExpression' || (base.type === 'TemplateLiteral' && !textOf(base.quasis[0]!)))) {
    base = base.type === 'MemberExpression' ? base.object : base.type === 'BinaryExpression' ? base.left : base.expressions[0];
  }
  if (base?.type !== 'Identifier') return undefined;
  const b = resolveBinding(base);
  return b?.kind === 'param' ? { node: b.fn, file } : undefined;
}

/** Text of a literal or template piece. */
const textOf = (n: N): string | undefined =>
  n.type === 'Literal' && typeof n.value === 'string' ? n.value : n.type === 'TemplateElement' ? n.value.cooked ?? n.value.raw : undefined;

/** The expression that supplies the parameter at a reported node: `name=${X}`, `'name=' + X`, `{ name: X }`, `f(u, 'name', X)`, `o.name = X`. */
function valueOf(node: N, name: string): N | undefined {
  const p = node.parent!;
  const ends = new RegExp(`[?&]?${name}=\\s*$`);
  if (node.type === 'Literal' && node.value === name && p.type === 'CallExpression') {
    const i = p.arguments.indexOf(node as TSESTree.CallExpressionArgument);
    return i >= 0 ? p.arguments[i + 1] : undefined;
  }
  if (p.type === 'Property' && p.key === node) return p.value;
  if (p.type === 'AssignmentExpression' && p.left === node) return p.right;
  if (node.type === 'TemplateLiteral') {
    const i = node.quasis.findIndex((q) => ends.test(textOf(q) ?? ''));
    return i >= 0 ? node.expressions[i] : undefined;
  }
  if (node.type === 'Literal' && ends.test(textOf(node) ?? '') && p.type === 'BinaryExpression' && p.operator === '+') {
    if (p.left === node) return p.right;
    const g = p.parent;
    if (p.right === node && g?.type === 'BinaryExpression' && g.operator === '+' && g.left === p) return g.right;
  }
  return undefined;
}

/** The URL expression a reported parameter is part of: a helper's URL argument, or the whole `+` chain / template. */
function urlExpressionOf(node: N): N | undefined {
  const p = node.parent!;
  if (node.type === 'Literal' && p.type === 'CallExpression') {
    const i = p.arguments.indexOf(node as TSESTree.CallExpressionArgument);
    return i >= 1 ? p.arguments[0] : undefined;
  }
  if (node.type !== 'TemplateLiteral' && node.type !== 'Literal') return undefined;
  let top: N = node;
  while (top.parent?.type === 'BinaryExpression' && top.parent.operator === '+') top = top.parent;
  return top;
}

/** The literal writing the private API's host into the URL of the reported parameter, if any. */
function privateApiHost(node: N, name: string, env: Env): { node: N; file: string } | undefined {
  const url = urlExpressionOf(node);
  if (!url) return undefined;
  for (const alt of evalString(url, env)) {
    for (const part of alt) {
      // (a host set by an env file has no literal of the code to mark: the finding's own statement is marked)
      if (part.kind === 'text' && !part.envFile && API_V2_RE.test(part.text)) return { node: part.owner, file: part.file };
      // the host comes before the parameter: stop at it
      if (part.kind === 'text' && part.text.includes(`${name}=`)) break;
    }
  }
  return undefined;
}

/** The URL of the reported parameter names a SoundCloud API host (or cannot be told: an options object). */
function namesApiHost(node: N, env: Env): boolean {
  const url = urlExpressionOf(node);
  if (!url) return true;
  return evalString(url, env).some((alt) => alt.some((p) => p.kind === 'text' && /api\.soundcloud\.com/i.test(p.text)));
}

/** A string of the function's code (not a comment) names the public API's host. */
function namesPublicApi(fn: N): boolean {
  let found = false;
  const visit = (n: Node) => forEachChild(n, (c) => {
    if (found) return;
    const x = c as unknown as N;
    if (x.type === 'Literal' && typeof x.value === 'string' && /(^|[/.])api\.soundcloud\.com/i.test(x.value)) found = true;
    else if (x.type === 'TemplateElement' && /(^|[/.])api\.soundcloud\.com/i.test(x.value.raw)) found = true;
    else visit(c);
  });
  visit(fn as unknown as Node);
  return found;
}

/**
 * The rule found the request on the private API, through a URL builder this module does not
 * follow (`url = build(path, { client_id })`, then `get(baseV2 + url)`): the one private API host
 * the enclosing function names, if it names exactly one.
 */
function privateApiInFunction(node: N, env: Env): { node: N; file: string } | undefined {
  const fn = enclosingFunction(node);
  if (!fn) return undefined;
  const owners = new Map<N, string>();
  const visit = (n: Node) => {
    forEachChild(n, (c) => {
      const x = c as unknown as N;
      const template = x.type === 'TemplateLiteral' && x.quasis.some((q) => API_V2_RE.test(q.value.raw));
      if (x.type === 'Identifier' || (x.type === 'Literal' && typeof x.value === 'string') || template) {
        // a string naming the host (also a template's text), or a constant / import that may hold it (parameters and properties cannot)
        if (x.type === 'Literal' ? !API_V2_RE.test(String(x.value)) : x.type === 'Identifier' && !['var', 'import'].includes(resolveBinding(x)?.kind ?? '')) return;
        for (const alt of evalString(x, env)) for (const part of alt) if (part.kind === 'text' && !part.envFile && API_V2_RE.test(part.text)) owners.set(part.owner, part.file);
        return;
      }
      visit(c);
    });
  };
  visit(fn as unknown as Node);
  if (owners.size !== 1) return undefined;
  const [[owner, file]] = [...owners];
  return { node: owner, file };
}

/**
 * Where a value is declared: a module-level constant (following imports into the file that
 * exports it), the function whose parameter it is, the getter it is called from, the class
 * field or object property it reads. Undefined for what has no declaration of its own
 * (a literal, `process.env.X`).
 */
function originOfValue(value: N, env: Env, depth: number): { node: N; file: string } | undefined {
  if (depth > 6) return undefined;
  const x = unwrap(value);
  const here = (node: N) => ({ node, file: env.filename });
  if (x.type === 'Identifier') {
    const b = resolveBinding(x);
    if (!b) return undefined;
    if (b.kind === 'var') {
      const init = b.declarator.init;
      const deeper = init && !b.path.length ? originOfValue(init, env, depth + 1) : undefined;
      return deeper ?? here(b.declarator);
    }
    if (b.kind === 'param') return here(b.fn);
    if (b.kind === 'function') return here(b.node);
    if (b.kind === 'import') {
      if (b.imported === '*') return undefined;
      const m = moduleAst(env.project, env.filename, b.node.source.value);
      const menv = m && { ...env, filename: m.file, args: undefined };
      const ex = m && moduleExport(m.ast, menv!, b.imported);
      if (!ex) return undefined;
      return originOfValue(ex.node, ex.env, depth + 1) ?? { node: ex.node, file: ex.env.filename };
    }
    return undefined;
  }
  if (x.type === 'MemberExpression') {
    const loc = resolveExpression(x, env);
    if (!loc) return undefined;
    return originOfValue(loc.node, loc.env, depth + 1) ?? { node: loc.node, file: loc.env.filename };
  }
  if (x.type === 'CallExpression' && x.arguments.length === 0) {
    const fn = resolveFunction(x.callee, env);
    return fn && { node: fn.fn, file: fn.env.filename };
  }
  if (x.type === 'AwaitExpression') return originOfValue(x.argument, env, depth + 1);
  return undefined;
}
