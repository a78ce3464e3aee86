/**
 * URL builders that read the token themselves, their URLs fetched in other files (the project pass
 * of `fix`, after src/fix/project-wrappers.ts):
 *
 *   // services/api.js                                   // actions/me.js
 *   export function apiUrl(path, sep) {                  import { apiUrl } from '../services/api';
 *     const token = Cookies.get('accessToken');          export const me = () => fetch(apiUrl('me', '?'));
 *     if (!token) return publicUrl(path, sep);
 *     return `//api.soundcloud.com/${path}${sep}oauth_token=${token}`;
 *   }
 *
 * The builder's URL loses the token; the module gets `authHeaders()`, which reads the token the
 * same way and returns `{ Authorization: 'OAuth ' + token }` (or `{}` without one); every request
 * whose URL the builder made sends `headers: authHeaders()`, so the token leaves the URL and rides
 * in the header of that same request, also for the next pages (`addToken(nextHref, '&')`).
 *
 * Only when it is provable, else the finding keeps its marker:
 * - the token is a `const` of the builder initialised from module-level values and globals only
 *   (`Cookies.get('k')`, `localStorage.getItem('k')`, `store.token`), or such a value itself;
 * - every other return of the builder runs only without a token (`if (!token) return ...`, the
 *   `else` of `if (token)`) or returns another builder's URL; a function of the module that returns
 *   a builder's URL is a builder too (and every one of its returns must be a builder's URL);
 * - a `${sep}oauth_token=` separator is a parameter every call passes as the literal '?' or '&';
 * - every reference to a builder in the project (ts-morph) is a named import, or a call that is a
 *   request's URL (`fetch(apiUrl(...))`), or a `const url = builder(...)` used once, as a request's
 *   URL, with no `await` in between (the token is read again at the request), or a builder's return.
 *
 * Where the URLs made without a token carry the app's client id instead (`if (!token) return
 * publicUrl(path, sep)`, `else return `${url}${sep}client_id=${ID}``: fallbackOf), it leaves them
 * too and authHeaders() is async, `{ Authorization: 'OAuth ' + (token || (await soundcloudAppToken())) }`
 * (the app token from the generated client module of the module's side, as project-id-builders.ts);
 * requests await it or wait for it at a chain's head, and `publicUrl`'s own requests send the app
 * token. When a use of the fallback is no request, the plan without it (the user token alone) is tried.
 */
import type { TSESTree } from '@typescript-eslint/typescript-estree';
import type { Node as TsNode, Project } from 'ts-morph';
import type { FileFacts } from '../engine/analysis/facts.js';
import type { RequestInfo } from '../engine/analysis/requests.js';
import { resolveBinding } from '../engine/analysis/scope.js';
import { resolveFunction, returnedExpressions, unwrap } from '../engine/analysis/values.js';
import type { ProjectContext } from '../engine/project.js';
import type { TextEdit } from '../engine/types.js';
import { forEachChild } from '../engine/walk.js';
import { functionReferences, plainContext, tidyRemoval, type FileContext } from './project-model.js';
import type { ProviderContext } from './providers.js';
import { addHeader, at, atSite, clientImportEdit, eolOf, enclosingFunction, findingsOf, isAsyncContext, isFn, isModuleBinding, lineIndent, moduleStyle, ownLineEdits, quoteOf, referencesTo, removeParam, type ModStyle, src } from './rewrites.js';
import { runsInBrowser } from '../engine/analysis/browser.js';
import { browserImportEdit, chainWait, DEFAULT_TOKEN_ENDPOINT, idArgument, moduleStyleOf, PROMISE_LIBS, shellWithoutRoute } from './browser-client.js';
import { appTokenHelper, clientIdTemplates, tokenHeaderEdits, type ClientIdTemplate } from './project-id-builders.js';
import { styleOf } from './style.js';

type N = TSESTree.Node;
type Fn = TSESTree.FunctionDeclaration | TSESTree.FunctionExpression | TSESTree.ArrowFunctionExpression;


export interface BuilderPlan {
  file: string;
  text: string;
  ctx: ProviderContext;
  facts: FileFacts;
  /** Every builder of the module (the ones writing the token, and those returning their URLs), with its name. */
  builders: Map<Fn, TSESTree.Identifier>;
  /** Builder -> index of its `${sep}` parameter (must be '?' or '&' at every call). */
  separators: Map<Fn, number>;
  removals: TextEdit[];
  /** The token: a local `const <name> = <expr>` of the builders, or a module-level expression (no name). */
  token: { name?: string; expr: string };
  /** The top-level statement after which authHeaders() goes. */
  anchor: N;
  /**
   * The app's client id, when the builders' URLs without a user token carried it (`if (!t) return
   * publicUrl(path, sep)`, `else return `${url}${sep}client_id=${ID}``): it leaves those URLs too,
   * and authHeaders() is async, falling back to an app token (`browser`: from the app's backend).
   */
  fallback?: { clientId: string; browser: boolean; style: ModStyle | 'esm' };
  /** Builders whose URLs only ever carried the client id (`publicUrl`): their requests send the app token. */
  app: Set<Fn>;
  /** The plan without the fallback (the user token alone), tried when a use of the fallback is not a request. */
  plain?: BuilderPlan;
}

/** The top-level function a declaration names: `function f`, `const f = () =>`, also exported. */
export function topLevelFns(ast: TSESTree.Program): Map<Fn, TSESTree.Identifier> {
  const out = new Map<Fn, TSESTree.Identifier>();
  for (let s of ast.body as N[]) {
    if (s.type === 'ExportNamedDeclaration' && s.declaration) s = s.declaration;
    if (s.type === 'FunctionDeclaration' && s.id) out.set(s, s.id);
    if (s.type === 'VariableDeclaration' && s.kind === 'const') {
      for (const d of s.declarations) if (d.id.type === 'Identifier' && d.init && isFn(d.init)) out.set(d.init, d.id);
    }
  }
  return out;
}

export function topStatement(n: N): N {
  let x = n;
  while (x.parent && x.parent.type !== 'Program') x = x.parent;
  return x;
}

/** Every identifier in `init` that is read names a module-level binding or a global, never a local or parameter. */
export function moduleLevelOnly(init: N): boolean {
  let ok = true;
  const visit = (n: N, parent?: N) => {
    if (!ok) return;
    if (isFn(n) || n.type === 'AwaitExpression' || n.type === 'YieldExpression' || n.type === 'AssignmentExpression' || n.type === 'UpdateExpression') { ok = false; return; }
    if (n.type === 'Identifier') {
      const prop = parent?.type === 'MemberExpression' && parent.property === n && !parent.computed;
      if (!prop) {
        const b = resolveBinding(n);
        if (b && !isModuleBinding(b)) ok = false;
      }
      return;
    }
    forEachChild(n, (c) => visit(c, n));
  };
  visit(init);
  return ok;
}


/** A statement that always returns (`return x`, or a block ending with one). */
const alwaysReturns = (n: N): boolean => n.type === 'ReturnStatement' || n.type === 'BlockStatement' && !!n.body.length && alwaysReturns(n.body[n.body.length - 1]!);

/**
 * A return that runs only without a token: under `if (!t)`, in the `else` of `if (t)`, or after an
 * `if (t) { ...; return }` of the same block.
 */
function guardedByNoToken(ret: N, fn: Fn, tokenText: string, text: string): boolean {
  const isToken = (x: N) => src(text, unwrap(x)) === tokenText;
  for (let n: N = ret; n.parent && n !== fn; n = n.parent) {
    const p = n.parent;
    if (p.type === 'BlockStatement') {
      const before = p.body.slice(0, (p.body as N[]).indexOf(n));
      if (before.some((s) => s.type === 'IfStatement' && !s.alternate && isToken(s.test) && alwaysReturns(s.consequent))) return true;
    }
    if (p.type !== 'IfStatement') continue;
    const test = unwrap(p.test);
    if (p.consequent === n && test.type === 'UnaryExpression' && test.operator === '!' && isToken(test.argument)) return true;
    if (p.alternate === n && isToken(test)) return true;
  }
  return false;
}

/** The builders of one module whose token URL is a finding, or undefined when anything is not provable. */
function planOf(ctx: ProviderContext, facts: FileFacts, tokenEndpoint?: string, fallback = true): BuilderPlan | undefined {
  const text = ctx.text;
  const fns = topLevelFns(facts.ast);
  const builders = new Map<Fn, TSESTree.Identifier>();
  const separators = new Map<Fn, number>();
  const removals: TextEdit[] = [];
  const roots: Fn[] = [];
  let token: { name?: string; expr: string } | undefined;
  let tokenText = '';
  for (const f of findingsOf(ctx, 'no-query-oauth-token', 'query')) {
    const p = facts.params.find((x) => x.name === 'oauth_token' && atSite(f, x));
    const t = p?.report;
    if (!p || p.request || p.via !== 'text' || t?.type !== 'TemplateLiteral') continue;
    const fn = enclosingFunction(t);
    if (!isFn(fn) || !fns.has(fn) || !returnedExpressions(fn).some((r) => unwrap(r) === t)) continue;
    const i = t.quasis.findIndex((q) => /oauth_token=$/.test(q.value.raw));
    const value = t.expressions[i] as N | undefined;
    if (i < 0 || !value) return undefined;
    const raw = t.quasis[i]!.value.raw;
    let sep: number | undefined;
    if (/[?&]oauth_token=$/.test(raw)) {
      const rem = removeParam(text, p, facts);
      if (!rem) return undefined;
      removals.push(...tidyRemoval(text, t, rem.edits));
    } else if (raw === 'oauth_token=' && i >= 1 && i + 1 === t.quasis.length - 1 && t.quasis[i + 1]!.value.raw === '') {
      // `${url}${sep}oauth_token=${t}`: the separator is a parameter (checked at every call)
      const s = unwrap(t.expressions[i - 1] as N);
      sep = fn.params.findIndex((x) => x.type === 'Identifier' && s.type === 'Identifier' && x.name === s.name);
      if (sep < 0) return undefined;
      const start = t.quasis[i - 1]!.range[1] - 2;
      const end = t.quasis[i + 1]!.range[0] + 1;
      removals.push(...tidyRemoval(text, t, [{ range: [start, end], text: '' }]));
    } else return undefined;
    // the token: a const of the builder from module-level values, or a module-level value itself
    const v = unwrap(value);
    let tk: { name?: string; expr: string } | undefined;
    if (v.type === 'Identifier') {
      const b = resolveBinding(v);
      if (b?.kind === 'var' && b.declKind === 'const' && !b.path.length && b.declarator.id.type === 'Identifier' && b.declarator.init && enclosingFunction(b.declarator) === fn && moduleLevelOnly(b.declarator.init)) {
        tk = { name: v.name, expr: src(text, b.declarator.init) };
      } else if (b && isModuleBinding(b)) tk = { expr: v.name };
    } else if (v.type === 'MemberExpression' && moduleLevelOnly(v)) tk = { expr: src(text, v) };
    if (!tk || token && (token.name !== tk.name || token.expr !== tk.expr)) return undefined;
    token = tk;
    tokenText = src(text, value);
    builders.set(fn, fns.get(fn)!);
    if (sep !== undefined) separators.set(fn, sep);
    roots.push(fn);
  }
  if (!token || !roots.length) return undefined;
  const fb = fallback ? fallbackOf(ctx, facts, fns, roots, builders, separators, tokenText, tokenEndpoint) : undefined;
  const app = new Set<Fn>(fb?.app.keys());
  if (fb) {
    for (const [fn, id] of fb.app) builders.set(fn, id);
    for (const [fn, i] of fb.separators) separators.set(fn, i);
    removals.push(...fb.removals);
  }
  // a function of the module returning a builder's URL is a builder too
  const isBuilderCall = (n: N) => { const x = unwrap(n); if (x.type !== 'CallExpression') return false; const r = resolveFunction(x.callee, facts.env); return !!r && builders.has(r.fn as Fn); };
  for (let grew = true; grew;) {
    grew = false;
    for (const [fn, id] of fns) if (!builders.has(fn) && returnedExpressions(fn).some(isBuilderCall)) { builders.set(fn, id); grew = true; }
  }
  // a function returning only app builders' URLs is one too
  for (let grew = true; grew;) {
    grew = false;
    for (const fn of builders.keys()) {
      if (app.has(fn) || roots.includes(fn)) continue;
      if (returnedExpressions(fn).every((r) => { const x = unwrap(r); return x.type === 'CallExpression' && app.has(resolveFunction(x.callee, facts.env)?.fn as Fn); })) { app.add(fn); grew = true; }
    }
  }
  for (const fn of builders.keys()) {
    if (fb?.app.has(fn)) continue;
    const root = roots.includes(fn);
    for (const r of returnedExpressions(fn)) {
      const x = unwrap(r);
      if (isBuilderCall(x)) continue;
      if (root && x.type === 'TemplateLiteral' && removals.length) {
        if (facts.params.some((p) => p.name === 'oauth_token' && p.report === x)) continue;
      }
      if (root && guardedByNoToken(r.parent ?? r, fn, tokenText, text)) continue;
      if (fb && fb.templates.has(x)) continue;
      return undefined;
    }
  }
  const anchor = topStatement([...roots, ...(fb?.app.keys() ?? [])].reduce((a, b) => (a.range[0] > b.range[0] ? a : b)));
  const plain = fb && planOf(ctx, facts, tokenEndpoint, false);
  return { file: ctx.filename, text, ctx, facts, builders, separators, removals, token, anchor, app, ...(fb ? { fallback: fb.fallback } : {}), ...(plain ? { plain } : {}) };
}

/**
 * The client id the builders' no-token URLs carry, when it can leave them all: every return of a
 * token builder that runs without a token is a client_id template of the builder itself (`else
 * return `${url}${sep}client_id=${ID}``) or the URL of an app builder of the module, a function
 * whose only return is a client_id template to api.soundcloud.com (`publicUrl`); one client id from
 * module-level values; the same `${sep}` parameter as the token's in a token builder; a browser
 * module that can reach a token route (ES module, no phone or desktop shell without a full route URL).
 */
function fallbackOf(ctx: ProviderContext, facts: FileFacts, fns: Map<Fn, TSESTree.Identifier>, roots: Fn[], builders: Map<Fn, TSESTree.Identifier>, separators: Map<Fn, number>, tokenText: string, tokenEndpoint: string | undefined): { fallback: NonNullable<BuilderPlan['fallback']>; app: Map<Fn, TSESTree.Identifier>; separators: Map<Fn, number>; removals: TextEdit[]; templates: Set<N> } | undefined {
  const text = ctx.text;
  if (!/client_id=\$\{/.test(text) || /\bsoundcloudAccessToken\b/.test(text)) return undefined;
  const sites = clientIdTemplates(ctx, facts);
  const app = new Map<Fn, TSESTree.Identifier>();
  const seps = new Map<Fn, number>();
  const removals: TextEdit[] = [];
  const templates = new Set<N>();
  let clientId: string | undefined;
  const use = (site: ClientIdTemplate) => {
    const id = idArgument(text, site.value, undefined);
    if (!id || clientId !== undefined && id !== clientId) return false;
    clientId = id;
    removals.push(...site.removals);
    templates.add(site.t);
    return true;
  };
  for (const fn of roots) {
    for (const r of returnedExpressions(fn)) {
      const x = unwrap(r);
      if (!guardedByNoToken(r.parent ?? r, fn, tokenText, text)) continue;
      const own = sites.find((t) => t.t === x && t.fn === fn);
      if (own) {
        if (own.sep !== undefined && own.sep !== separators.get(fn) || !use(own)) return undefined;
        if (own.sep !== undefined) seps.set(fn, own.sep);
        continue;
      }
      const callee = x.type === 'CallExpression' ? resolveFunction(x.callee, facts.env)?.fn as Fn | undefined : undefined;
      if (callee && builders.has(callee)) continue;
      const site = callee && fns.has(callee) ? sites.find((t) => t.fn === callee && t.host) : undefined;
      const rets = callee ? returnedExpressions(callee) : [];
      if (!site || rets.length !== 1 || unwrap(rets[0]!) !== site.t) return undefined;
      if (!app.has(callee!)) {
        if (!use(site)) return undefined;
        app.set(callee!, fns.get(callee!)!);
        if (site.sep !== undefined) seps.set(callee!, site.sep);
      }
    }
  }
  if (clientId === undefined) return undefined;
  const browser = ctx.browser ?? runsInBrowser(ctx.filename, text, ctx.project);
  const style = browser ? moduleStyleOf(ctx) : moduleStyle(ctx);
  if (!style || browser && shellWithoutRoute(ctx, tokenEndpoint)) return undefined;
  return { fallback: { clientId, browser, style }, app, separators: seps, removals, templates };
}

/** Engine-only planning (no ts-morph): the file's provable token URL builders, if any. */
export function planBuilder(c: FileContext, tokenEndpoint?: string): BuilderPlan | undefined {
  return /oauth_token=\$\{/.test(c.ctx.text) ? planOf(c.ctx, c.facts, tokenEndpoint) : undefined;
}

const SPECIFIER = /\bfrom\s*['"]([^'"]+)['"]|\brequire\(\s*['"]([^'"]+)['"]\s*\)|\bimport\(\s*['"]([^'"]+)['"]\s*\)/g;

/** Some other module imports the builder's module (or re-exports it), or a request of its own module takes a URL a call gives. */
export function builderUsed(plan: BuilderPlan, files: { abs: string; text: string }[], project: ProjectContext): boolean {
  const own = plan.facts.requests.some((r) => { const u = r.urlNode && unwrap(r.urlNode); return u?.type === 'CallExpression' || u?.type === 'Identifier'; });
  if (own) return true;
  const names = new RegExp(`\\b(${[...plan.builders.values()].map((id) => id.name).join('|')})\\b|\\bexport\\s*\\*`);
  // the last segment of a specifier that can name the module: its base name, or its folder for an index file
  const base = plan.file.replace(/\\/g, '/').split('/').slice(-2);
  const stem = base[1]!.replace(/\.[^.]+$/, '');
  const can = (spec: string) => { const last = spec.replace(/\/$/, '').split('/').pop()!.replace(/\.[^.]+$/, ''); return last === stem || stem === 'index' && last === base[0]; };
  return files.some((f) => f.abs !== plan.file && names.test(f.text) && [...f.text.matchAll(SPECIFIER)].some((m) => {
    const spec = m[1] ?? m[2] ?? m[3];
    return !!spec && spec.startsWith('.') && can(spec) && project.resolveImport(f.abs, spec) === plan.file;
  }));
}

/** `headers: authHeaders()` into a request (merged into headers it already writes: `{ ...authHeaders(), X }`). */
function headerEdits(text: string, r: RequestInfo, spread: string, whole = spread, inCall = false): TextEdit[] | undefined {
  if (r.lib === 'sdk' || r.lib === 'node' || r.lib === 'superagent') return undefined;
  const es = addHeader(text, r, 'Authorization', '', undefined, `...${spread}`, inCall);
  if (!es?.length) return undefined;
  return es.map((e) => ({ ...e, text: e.text.replace(`headers: { ...${spread} }`, whole === 'headers' ? 'headers' : `headers: ${whole}`) }));
}

/** The facts of a project file, parsed once per pass (undefined: not a text of the pass, or no parse). */
export function contextCache(texts: Map<string, string>, project: ProjectContext, cwd: string): (file: string) => FileContext | undefined {
  const contexts = new Map<string, FileContext | undefined>();
  return (file) => {
    if (!contexts.has(file)) { const t = texts.get(file); contexts.set(file, t === undefined ? undefined : plainContext(t, file, project, cwd)); }
    return contexts.get(file);
  };
}

/**
 * The edits (file -> edits) of each builder plan whose every reference in the project is provably
 * a request's URL; a plan with anything else is left out (its findings keep their markers).
 */
export function builderEdits(plans: BuilderPlan[], texts: Map<string, string>, project: ProjectContext, cwd: string, tsp: Project, M: typeof import('ts-morph').Node, newFiles = new Map<string, string>(), tokenEndpoint?: string): Map<string, TextEdit[]>[] {
  const out: Map<string, TextEdit[]>[] = [];
  const contextOf = contextCache(texts, project, cwd);
  for (const plan of plans) {
    try {
      // with the client id fallback if every use allows it, else the user token alone
      const group = planEdits(plan, texts, tsp, M, contextOf, newFiles, tokenEndpoint) ?? (plan.plain && planEdits(plan.plain, texts, tsp, M, contextOf, newFiles, tokenEndpoint));
      if (group) out.push(group);
    } catch { /* markers */ }
  }
  return out;
}

function planEdits(plan: BuilderPlan, texts: Map<string, string>, tsp: Project, M: typeof import('ts-morph').Node, contextOf: (file: string) => FileContext | undefined, newFiles: Map<string, string>, tokenEndpoint?: string): Map<string, TextEdit[]> | undefined {
  const sf = tsp.getSourceFile(plan.file);
  const own = contextOf(plan.file);
  if (!sf || !own || texts.get(plan.file) !== plan.text) return undefined;
  const requests = new Map<string, RequestInfo[]>();
  const appRequests = new Set<RequestInfo>();
  const imports = new Map<string, TsNode>();
  let exported = false;
  const addRequest = (file: string, r: RequestInfo) => requests.set(file, [...(requests.get(file) ?? []), r]);
  // the builder's own calls in its module are matched by position in the plan's AST: the builder returning it
  const ownReturn = (range: [number, number]) => [...plan.builders.keys()].find((g) => returnedExpressions(g).some((r) => { const x = unwrap(r); return x.range[0] === range[0] && x.range[1] === range[1] && x.type === 'CallExpression'; }));
  // `publicUrl(path, sep)` returned by a builder that hands on its own checked `${sep}` parameter
  const handsOnSep = (ref: { file: string; call: TsNode; args: TsNode[] }, sep: number) => {
    const g = ref.file === plan.file ? ownReturn([ref.call.getStart(), ref.call.getEnd()]) : undefined;
    const i = g && plan.separators.get(g);
    const p = i === undefined ? undefined : g!.params[i];
    return p?.type === 'Identifier' && ref.args[sep]?.getText() === p.name;
  };
  for (const [fn, id] of plan.builders) {
    const calls = builderCalls(tsp, M, plan.file, id, texts, imports, plan.separators.get(fn), handsOnSep);
    if (!calls) return undefined;
    for (const { file, range } of calls) {
      if (file === plan.file && ownReturn(range)) continue;
      const c = contextOf(file);
      const tcall = c?.facts.calls.find((x) => x.range[0] === range[0] && x.range[1] === range[1]);
      if (!c || !tcall) return undefined;
      const r = requestWithUrl(c.facts, tcall, c.ctx.text);
      if (!r) return undefined;
      // the app token is asked for on the module's side: every request runs there too
      if (plan.fallback && (c.ctx.browser ?? runsInBrowser(file, c.ctx.text, c.ctx.project)) !== plan.fallback.browser) return undefined;
      addRequest(file, r);
      if (plan.app.has(fn)) appRequests.add(r);
      if (file !== plan.file) exported = true;
    }
  }
  if (!requests.size) return undefined;
  // a free name for the header helper (and the app token's) in every file that calls it
  const free = (names: string[]) => names.find((n) => [plan.file, ...requests.keys()].every((f) => !new RegExp(`\\b${n}\\b`).test(texts.get(f)!)));
  const name = free(['authHeaders', 'soundcloudAuthHeaders', 'scAuthHeaders']);
  const appName = plan.fallback ? free(['soundcloudAppToken', 'scAppToken']) : undefined;
  if (!name || plan.fallback && !appName) return undefined;
  const edits = new Map<string, TextEdit[]>();
  const add = (file: string, ...es: TextEdit[]) => edits.set(file, [...(edits.get(file) ?? []), ...es]);
  add(plan.file, ...collapseBranches(plan), helperEdit(plan, name, exported, appName));
  if (plan.fallback) {
    const ctx: ProviderContext = { ...plan.ctx, newFiles };
    const imp = plan.fallback.browser ? browserImportEdit(ctx, plan.fallback.style as 'esm' | 'ts', tokenEndpoint ?? DEFAULT_TOKEN_ENDPOINT) : clientImportEdit(ctx, plan.fallback.style);
    if (!imp) return undefined;
    add(plan.file, imp);
  }
  const users = [...requests.values()].flat().filter((r) => !appRequests.has(r));
  const helpers = (f: string) => [...(requests.get(f)!.some((r) => !appRequests.has(r)) ? [name] : []), ...(requests.get(f)!.some((r) => appRequests.has(r)) ? [appName!] : [])];
  const header = (text: string, r: RequestInfo) => appRequests.has(r) ? tokenHeaderEdits(text, r, `${appName}()`) : plan.fallback ? asyncHeaderEdits(text, r, `${name}()`) : headerEdits(text, r, `${name}()`);
  if (!users.length && !plan.fallback) return undefined;
  return requestEdits(requests, plan.file, helpers, imports, texts, M, header, add) ? edits : undefined;
}

/** `text`'s slice [start, end) with the edits inside it applied. */
function editedSlice(text: string, start: number, end: number, edits: TextEdit[]): string {
  let out = '';
  let at = start;
  for (const e of [...edits].filter((x) => x.range[0] >= start && x.range[1] <= end).sort((a, b) => a.range[0] - b.range[0])) {
    out += text.slice(at, e.range[0]) + e.text;
    at = e.range[1];
  }
  return out + text.slice(at, end);
}

/** A read of the token that does nothing else: `t`, `store.token`, `Cookies.get('k')`, `localStorage.getItem('k')`. */
const PURE_READ = /^(?:[\w$]+(?:\.[\w$]+)*|(?:Cookies|cookies|Cookie|(?:window\.)?(?:localStorage|sessionStorage))\.(?:get|getItem)\(\s*(?:'[^'\\]*'|"[^"\\]*")\s*\))$/;

/**
 * The plan's removals, where a builder's `if (token) { return A } else { return B }` (or `if (token)
 * return A; return B;`) is left with two identical returns: that `if` becomes the one return, and the
 * builder's `const token = <read>` goes when nothing else reads it. Only when the test and the read
 * are plain reads (PURE_READ): then the single return is exactly what both branches did.
 */
function collapseBranches(plan: BuilderPlan): TextEdit[] {
  const text = plan.text;
  let edits = [...plan.removals];
  const single = (n: N | null | undefined): TSESTree.ReturnStatement | undefined => {
    if (n?.type === 'ReturnStatement') return n;
    return n?.type === 'BlockStatement' && n.body.length === 1 && n.body[0]!.type === 'ReturnStatement' ? n.body[0] : undefined;
  };
  const tokenText = plan.token.name ?? plan.token.expr;
  if (!PURE_READ.test(plan.token.expr.trim())) return edits;
  for (const fn of plan.builders.keys()) {
    if (fn.body.type !== 'BlockStatement') continue;
    const body = fn.body.body as N[];
    let collapsed = false;
    for (let i = 0; i < body.length; i++) {
      const s = body[i]!;
      if (s.type !== 'IfStatement') continue;
      const test = unwrap(s.test);
      const t = test.type === 'UnaryExpression' && test.operator === '!' ? unwrap(test.argument) : test;
      if (src(text, t) !== tokenText) continue;
      const a = single(s.consequent);
      const next = s.alternate ? undefined : body[i + 1];
      const b = s.alternate ? single(s.alternate) : next?.type === 'ReturnStatement' ? next : undefined;
      if (!a?.argument || !b?.argument || !edits.some((e) => e.range[0] >= s.range[0] && e.range[1] <= (next ?? s).range[1])) continue;
      const ra = editedSlice(text, a.range[0], a.range[1], edits);
      const rb = editedSlice(text, b.range[0], b.range[1], edits);
      if (ra !== rb) continue;
      const end = (s.alternate ? s : b).range[1];
      edits = [...edits.filter((e) => e.range[1] <= s.range[0] || e.range[0] >= end), { range: [s.range[0], end], text: ra }];
      collapsed = true;
    }
    if (!collapsed || !plan.token.name) continue;
    // the token's const, when nothing of the builder reads it any more
    const decl = body.find((x): x is TSESTree.VariableDeclaration => x.type === 'VariableDeclaration' && x.declarations.length === 1 && x.declarations[0]!.id.type === 'Identifier' && x.declarations[0]!.id.name === plan.token.name);
    if (!decl) continue;
    const rest = editedSlice(text, decl.range[1], fn.body.range[1], edits);
    if (new RegExp(`(?<![\\w$.])${plan.token.name.replace(/\$/g, '\\$')}(?![\\w$])`).test(rest)) continue;
    edits.push(...ownLineEdits(text, decl));
  }
  return edits;
}

/** `headers: await authHeaders()` in an async function, else the request waits for them: `authHeaders().then((headers) => fetch(url, { headers }))`. */
function asyncHeaderEdits(text: string, r: RequestInfo, call: string): TextEdit[] | undefined {
  if (!PROMISE_LIBS.has(r.lib)) return undefined;
  if (isAsyncContext(r.call)) return headerEdits(text, r, `(await ${call})`, `await ${call}`);
  const wait = chainWait(text, r, '', call, ['headers', 'scHeaders', 'authHeadersValue']);
  const h = wait && headerEdits(text, r, wait.name, wait.name, true);
  return h && [...h, ...wait.edits];
}

/**
 * Each request's header edits (`header`), and in every other file than `file` the helper `name`
 * added to the import of the builder (after the last name it brings); false when one cannot be made.
 */
export function requestEdits(requests: Map<string, RequestInfo[]>, file: string, name: string | ((file: string) => string[]), imports: Map<string, TsNode>, texts: Map<string, string>, M: typeof import('ts-morph').Node, header: (text: string, r: RequestInfo) => TextEdit[] | undefined, add: (file: string, ...es: TextEdit[]) => void): boolean {
  for (const [f, rs] of requests) {
    const text = texts.get(f)!;
    for (const r of rs) {
      const h = header(text, r);
      if (!h) return false;
      add(f, ...h);
    }
    if (f === file) continue;
    const named = imports.get(f)?.getParent();
    const last = named && M.isNamedImports(named) ? named.getElements().at(-1) : undefined;
    if (!last) return false;
    const names = typeof name === 'string' ? [name] : name(f);
    add(f, { range: [last.getEnd(), last.getEnd()], text: names.map((n) => `, ${n}`).join('') });
  }
  return true;
}

/**
 * The calls of a builder across the project (ts-morph's references); its named imports go to
 * `imports`. Undefined when any reference is something else (an aliased import, a value, a member
 * or spread call) or a `${sep}` argument (index `sep`) is not the literal '?' or '&'.
 */
export function builderCalls(tsp: Project, M: typeof import('ts-morph').Node, file: string, id: TSESTree.Identifier, texts: Map<string, string>, imports: Map<string, TsNode>, sep?: number, handsOnSep?: (ref: { file: string; call: TsNode; args: TsNode[] }, sep: number) => boolean): { file: string; range: [number, number] }[] | undefined {
  const refs = functionReferences(tsp, M, file, id);
  if (!refs) return undefined;
  const out: { file: string; range: [number, number] }[] = [];
  for (const ref of refs) {
    if (!texts.has(ref.file)) return undefined;
    if (ref.kind === 'import-specifier') {
      if (ref.aliased || ref.file === file) return undefined;
      imports.set(ref.file, ref.node);
      continue;
    }
    if (ref.kind === 'declaration' && ref.file === file) continue;
    if (ref.kind !== 'call' || ref.member || ref.spread) return undefined;
    if (sep !== undefined) {
      const a = ref.args[sep];
      const literal = !!a && (M.isStringLiteral(a) || M.isNoSubstitutionTemplateLiteral(a)) && ['?', '&'].includes(a.getLiteralText());
      if (!literal && !handsOnSep?.(ref, sep)) return undefined;
    }
    out.push({ file: ref.file, range: [ref.call.getStart(), ref.call.getEnd()] });
  }
  return out;
}

/**
 * The request whose URL is `call`, directly or through `const`s each used once on the way with no
 * await in between, also as the fallback of a link the caller may hand in: `const url = nextHref ||
 * initHref` (a next page's URL, which the API made for a request of the same kind).
 */
export function requestWithUrl(facts: FileFacts, call: TSESTree.CallExpression, text: string): RequestInfo | undefined {
  let e: N = call;
  for (let hop = 0; hop < 3; hop++) {
    const p = e.parent;
    if (p?.type === 'LogicalExpression' && (p.operator === '||' || p.operator === '??') && p.right === e && unwrap(p.left).type === 'Identifier') e = p;
    const at = e;
    const direct = facts.requests.find((r) => r.urlNode && unwrap(r.urlNode) === at);
    if (direct) return direct;
    const use = onlyUse(facts, e);
    if (!use) return undefined;
    e = use;
  }
  return undefined;
}

/** The one read of a `const` that `init` initialises, with no await between them. */
function onlyUse(facts: FileFacts, init: N): TSESTree.Identifier | undefined {
  const d = init.parent;
  if (d?.type !== 'VariableDeclarator' || d.init !== init || d.id.type !== 'Identifier' || d.parent?.type !== 'VariableDeclaration' || d.parent.kind !== 'const') return undefined;
  const uses = referencesTo(d, facts);
  if (uses.length !== 1 || pausesBetween(d, uses[0]!)) return undefined;
  return uses[0];
}

/** An `await` or `yield` that completes after `from` and before `to` (the token could change in between). */
function pausesBetween(from: N, to: N): boolean {
  const fn = enclosingFunction(from);
  if (!fn || fn !== enclosingFunction(to)) return true;
  let found = false;
  const visit = (n: N) => {
    if (found || n !== fn && isFn(n)) return;
    if ((n.type === 'AwaitExpression' || n.type === 'YieldExpression') && n.range[0] >= from.range[1] && n.range[1] <= to.range[0]) { found = true; return; }
    forEachChild(n, visit);
  };
  visit(fn);
  return found;
}

/**
 * `export function authHeaders() { const t = <expr>; return t ? { Authorization: 'OAuth ' + t } : {}; }`
 * after the last builder; with the client id fallback, the app token's helper and
 * `export async function authHeaders() { const t = <expr>; return { Authorization: 'OAuth ' + (t || (await soundcloudAppToken())) }; }`.
 */
function helperEdit(plan: BuilderPlan, name: string, exported: boolean, appName?: string): TextEdit {
  const text = plan.text;
  const eol = eolOf(text);
  const style = styleOf(text, plan.file);
  const semi = style.semi ? ';' : '';
  const q = quoteOf(text);
  const first = [...plan.builders.keys()].map((f) => f.body).find((b): b is TSESTree.BlockStatement => b?.type === 'BlockStatement' && b.body.length > 0);
  const indent = first ? lineIndent(text, first.body[0]!.range[0]) || '  ' : '  ';
  const v = plan.token.name ?? plan.token.expr;
  const local = plan.token.name ? [`${indent}const ${plan.token.name} = ${plan.token.expr}${semi}`] : [];
  const ex = exported ? 'export ' : '';
  if (plan.fallback && appName) {
    const fb = plan.fallback;
    const either = `${/^[\w$.]+$/.test(v) ? v : `(${v})`} || (await ${appName}())`;
    const value = style.templates ? `\`OAuth \${${either}}\`` : `${q}OAuth ${q} + (${either})`;
    const fns = [
      ...appTokenHelper(appName, plan.app.size > 0 && exported, fb.browser ? fb.clientId : '', { indent, semi, eol, ts: /\.(ts|tsx|mts|cts)$/.test(plan.file) }),
      '',
      `${ex}async function ${name}() {`, ...local, `${indent}return { Authorization: ${value} }${semi}`, '}',
    ];
    return { range: [plan.anchor.range[1], plan.anchor.range[1]], text: `${eol}${eol}${fns.join(eol)}` };
  }
  const value = style.templates ? `\`OAuth \${${v}}\`` : `${q}OAuth ${q} + ${/^[\w$.]+$/.test(v) ? v : `(${v})`}`;
  const body = [...local, `${indent}return ${v} ? { Authorization: ${value} } : {}${semi}`];
  const fn = [`${ex}function ${name}() {`, ...body, '}'].join(eol);
  return { range: [plan.anchor.range[1], plan.anchor.range[1]], text: `${eol}${eol}${fn}` };
}
