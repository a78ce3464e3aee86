/**
 * no-client-id-auth, server code: the app's client_id handed in a query object to a request
 * helper of another module (the project pass of `fix`):
 *
 *   // lib/request.js                                   // lib/user.js
 *   var rp = require('request-promise');                var request = require('./request');
 *   module.exports = function (path, qs) {              function byId(clientId, id) {
 *     return rp({ uri: API + '/' + path, qs: qs });       return request('users/' + id, { client_id: clientId })
 *   };                                                      .then(function (user) { ... });
 *                                                       }
 *
 * The helper's one request sends the app token (client_credentials, from the generated client
 * module): `Authorization: 'OAuth ' + (await soundcloudAccessToken())` in an async helper, else
 * the returned request waits for it, `return soundcloudAccessToken().then((token) => rp({ ...,
 * headers }))`; every call that carried the client_id (an object key, or `params.client_id = x;`
 * before the call; `{ client_id }` alone as the last argument goes whole) drops it. The helper may
 * also be a top-level function of the caller's own module. Only when it is provable, else every
 * finding keeps its marker:
 * - the helper is `module.exports = function`, `export default function`, a named export or a
 *   top-level function of the module that exports nothing of it (then every reference is a call), and its
 *   one request goes to api.soundcloud.com (every value of its URL; never api-v2) with the
 *   parameter as its query option (`qs`, `params`, `searchParams`), and no Authorization header yet;
 * - the helper module and the callers are server code; no file that imports the helper names
 *   `oauth_token` or `access_token` (a user's token would now travel beside the app's);
 * - a helper that is not async returns its request, a promise library's (axios, request-promise,
 *   fetch, ky), and every call of it in the project (ts-morph: every module that imports it, also
 *   through `require`, and every reference there; a module whose text names the helper's module
 *   but that ts-morph does not list refuses) only waits for the result (`.then`, `.catch`, `await`,
 *   or returned from a `.then` callback): none reads the request object the library returned.
 */
import type { TSESTree } from '@typescript-eslint/typescript-estree';
import type { Node as TsNode, Project } from 'ts-morph';
import { basename, extname } from 'node:path';
import { runsInBrowser } from '../engine/analysis/browser.js';
import { classifyUrl } from '../engine/analysis/hosts.js';
import type { RequestInfo } from '../engine/analysis/requests.js';
import { evalString, flatText, propName, resolveFunction, unwrap } from '../engine/analysis/values.js';
import type { ProjectContext } from '../engine/project.js';
import type { TextEdit } from '../engine/types.js';
import { forEachChild } from '../engine/walk.js';
import { applyFileEdits, JS_TS, fileContext, functionReferences, joinGroup, plainContext, projectFilesNaming, tsProject, type FileContext } from './project-model.js';
import type { ProviderContext } from './providers.js';
import { addHeader, atSite, clientIdParamAt, clientImportEdit, enclosingFunction, findingsOf, freeName, isApiV2, isFn, isReference, moduleStyle, prefersTemplates, quoteOf, removePropertyEdits, removeStatementEdit } from './rewrites.js';
import { resolveRelative } from './safety.js';
import { styleOf } from './style.js';
import { paramName, requestsIn, type Fn } from './wrappers.js';

type N = TSESTree.Node;

/** One finding's call site: the edits that take its client_id out, and the helper call that carried it. */
export interface Site { file: string; call: TSESTree.CallExpression; removal: TextEdit[] }

export interface Helper { file: string; fn: Fn; index: number; sites: Site[] }

/** The query option names of the libraries whose query object a helper hands on. */
const QUERY_OPTION: Record<string, RegExp> = { request: /^qs$/, axios: /^params$/, got: /^searchParams$/ };
/** Request libraries whose call returns a standard promise (or, for request-promise, a thenable that `.then` unwraps). */
const PROMISE_RESULT = new Set(['fetch', 'axios', 'ky']);

/** The call in `fn` after `from` that hands the variable `name` to a function of another module, when there is exactly one. */
function handingCall(c: FileContext, name: string, from: N): TSESTree.CallExpression | undefined {
  const fn = enclosingFunction(from);
  const calls = c.facts.calls.filter((x) => x.range[0] >= from.range[1] && enclosingFunction(x) === fn
    && (x.arguments as N[]).some((a) => { const u = unwrap(a); return u.type === 'Identifier' && u.name === name; }));
  return calls.length === 1 ? calls[0] : undefined;
}

/** The caller's half of each finding: the client_id's removal and the call to another module's helper. */
function sitesOf(c: FileContext, file: string): { site: Site; fn: Fn; helperFile: string; index: number }[] {
  const { ctx, facts } = c;
  const out: { site: Site; fn: Fn; helperFile: string; index: number }[] = [];
  for (const f of findingsOf(ctx, 'no-client-id-auth', 'clientId')) {
    const p = clientIdParamAt(facts, f);
    if (!p || p.request || !p.helperRequest || p.via !== 'object' || p.where !== 'query' || isApiV2(p.url.host)) continue;
    let call: TSESTree.CallExpression | undefined;
    let carrier: N | undefined;
    let removal: TextEdit[] = [];
    if (p.holder) {
      // request('resolve', { url, client_id: id })
      const prop = p.report.parent;
      const holder = p.holder;
      if (prop?.type !== 'Property' || prop.parent !== holder || holder.parent?.type !== 'CallExpression' || !(holder.parent.arguments as N[]).includes(holder)) continue;
      call = holder.parent;
      carrier = holder;
      // `{ client_id: id }` alone as the last argument: the argument goes (`request('me', {})` would read as meant)
      const args = call.arguments as N[];
      const last = args.length > 1 && args[args.length - 1] === holder && holder.properties.length === 1;
      removal = last ? [{ range: [args[args.length - 2]!.range[1], holder.range[1]], text: '' }] : removePropertyEdits(ctx.text, prop);
    } else {
      // params.client_id = id; ... request(path, params)
      const left = p.report;
      const assign = left.parent;
      const stmt = assign?.parent;
      const obj = left.type === 'MemberExpression' ? unwrap(left.object) : undefined;
      if (assign?.type !== 'AssignmentExpression' || assign.operator !== '=' || stmt?.type !== 'ExpressionStatement' || stmt.parent?.type !== 'BlockStatement' || obj?.type !== 'Identifier') continue;
      call = handingCall(c, obj.name, stmt);
      carrier = call && (call.arguments as N[]).find((a) => { const u = unwrap(a); return u.type === 'Identifier' && u.name === obj.name; });
      removal = [removeStatementEdit(ctx.text, stmt)];
    }
    if (!call || !carrier || !removal.length || call.arguments.some((a) => a.type === 'SpreadElement')) continue;
    const r = resolveFunction(call.callee, facts.env);
    const fn = r?.fn as N | undefined;
    if (!r || !isFn(fn)) continue;
    out.push({ site: { file, call, removal }, fn, helperFile: r.env.filename, index: (call.arguments as N[]).indexOf(carrier) });
  }
  return out;
}

/** The function of a parse with the given range. */
export function fnAt(ast: N, range: [number, number]): Fn | undefined {
  let found: Fn | undefined;
  const visit = (n: N) => {
    if (found || n.range[0] > range[0] || n.range[1] < range[1]) return;
    if (isFn(n) && n.range[0] === range[0] && n.range[1] === range[1]) { found = n; return; }
    forEachChild(n, visit);
  };
  visit(ast);
  return found;
}

/** How the helper module exports it: `module.exports = fn`, `export default`, `export function name` / `export const name = ...`. */
export type HelperExport = { kind: 'cjs' } | { kind: 'default' } | { kind: 'named'; name: string } | { kind: 'local'; id: TSESTree.Identifier } | { kind: 'cjs-member'; name: string };
export function exportOf(fn: Fn, ast: TSESTree.Program): HelperExport | undefined {
  const p = fn.parent;
  if (p?.type === 'AssignmentExpression' && p.right === fn && p.left.type === 'MemberExpression' && p.parent?.type === 'ExpressionStatement' && p.parent.parent === ast) {
    const l = p.left;
    if (unwrap(l.object).type === 'Identifier' && (unwrap(l.object) as TSESTree.Identifier).name === 'module' && propName(l) === 'exports') return { kind: 'cjs' };
  }
  if (p?.type === 'ExportDefaultDeclaration') return { kind: 'default' };
  if (fn.type === 'FunctionDeclaration' && fn.id && p?.type === 'ExportNamedDeclaration') return { kind: 'named', name: fn.id.name };
  const d = p?.type === 'VariableDeclarator' && p.init === fn && p.id.type === 'Identifier' ? p : undefined;
  if (d && d.parent?.type === 'VariableDeclaration' && d.parent.kind === 'const' && d.parent.parent?.type === 'ExportNamedDeclaration') return { kind: 'named', name: (d.id as TSESTree.Identifier).name };
  // a function of the module itself (its calls are found by its name)
  if (fn.type === 'FunctionDeclaration' && fn.id && p?.type === 'Program') return { kind: 'local', id: fn.id };
  if (d && d.parent?.type === 'VariableDeclaration' && d.parent.parent?.type === 'Program') return { kind: 'local', id: d.id as TSESTree.Identifier };
  return undefined;
}

/** The helper's one request, when it sends parameter `name` as its query option and goes to api.soundcloud.com only. */
function helperRequest(fn: Fn, name: string, c: FileContext): RequestInfo | undefined {
  const rs = requestsIn(fn, c.facts.env);
  const r = rs.length === 1 ? rs[0]! : undefined;
  const opt = r && QUERY_OPTION[r.lib];
  if (!r || !opt || !r.urlNode || r.baseNode || r.options.length !== 1) return undefined;
  const o = r.options[0]!.node;
  const q = (o.properties as N[]).find((x): x is TSESTree.Property => x.type === 'Property' && opt.test(propName(x) ?? ''));
  const v = q && unwrap(q.value as N);
  if (v?.type !== 'Identifier' || v.name !== name) return undefined;
  // no Authorization yet, nothing spread in (it could bring one)
  if (o.properties.some((x) => x.type === 'SpreadElement') || /authorization/i.test(c.ctx.text.slice(o.range[0], o.range[1]))) return undefined;
  const alts = evalString(r.urlNode, c.facts.env);
  if (!alts.length || alts.some((s) => { const u = classifyUrl(flatText(s)); return u.kind !== 'sc' || !/^api\.soundcloud\.com$/i.test(u.host ?? ''); })) return undefined;
  return r;
}

/** The library a helper's request comes from resolves to a promise (a request-promise module, not request's callbacks). */
function promiseResult(r: RequestInfo, text: string): boolean {
  if (PROMISE_RESULT.has(r.lib)) return true;
  if (r.lib !== 'request') return false;
  const callee = unwrap(r.call.callee);
  const root = callee.type === 'MemberExpression' ? unwrap(callee.object) : callee;
  if (root.type !== 'Identifier') return false;
  const n = root.name.replace(/\$/g, '\\$');
  return new RegExp(`\\b${n}\\s*=\\s*require\\(\\s*['"]request-promise(-native)?['"]\\s*\\)|import\\s+${n}\\s+from\\s*['"]request-promise(-native)?['"]`).test(text);
}

/** The helper's edits: the header with an awaited token (async), or the returned request waiting for it. */
export function helperEdits(c: FileContext, fn: Fn, r: RequestInfo): { edits: TextEdit[]; waits: boolean } | undefined {
  const text = c.ctx.text;
  const q = quoteOf(text);
  const tpl = prefersTemplates(text);
  if (fn.async) {
    const h = addHeader(text, r, 'Authorization', tpl ? '`OAuth ${await soundcloudAccessToken()}`' : `${q}OAuth ${q} + (await soundcloudAccessToken())`);
    return h?.length ? { edits: h, waits: false } : undefined;
  }
  if (!promiseResult(r, text) || fn.generator) return undefined;
  // the request, or a chain of then/catch/finally it heads (`return fetch(url).then((r) => r.json())`): the
  // token's promise goes before the request, the chain goes on from the request's promise as before
  let head: N = r.call;
  for (let m = head.parent; m?.type === 'MemberExpression' && m.object === head && /^(then|catch|finally)$/.test(propName(m) ?? '') && m.parent?.type === 'CallExpression' && m.parent.callee === m; m = head.parent) head = m.parent;
  const p = head.parent;
  const returned = p?.type === 'ReturnStatement' && enclosingFunction(p) === fn || p === fn && fn.type === 'ArrowFunctionExpression';
  if (!returned) return undefined;
  const scope = text.slice(fn.range[0], fn.range[1]);
  const name = freeName(scope);
  if (!name) return undefined;
  const h = addHeader(text, r, 'Authorization', tpl ? `\`OAuth \${${name}}\`` : `${q}OAuth ${q} + ${name}`, undefined, undefined, true);
  if (!h?.length) return undefined;
  // a file that writes no arrow function gets a function expression (when the call reads no `this` or `arguments`)
  const call = text.slice(r.call.range[0], r.call.range[1]);
  const es5 = !/=>/.test(text) && !/\b(this|arguments)\b/.test(call);
  const semi = styleOf(text, c.ctx.filename).semi ? ';' : '';
  return { edits: [
    { range: [r.call.range[0], r.call.range[0]], text: es5 ? `soundcloudAccessToken().then(function (${name}) { return ` : `soundcloudAccessToken().then((${name}) => ` },
    ...h,
    { range: [r.call.range[1], r.call.range[1]], text: es5 ? `${semi} })` : ')' },
  ], waits: true };
}

/** A call of the helper whose result is only waited for: `.then`/`.catch`, `await`, or returned from a `.then` callback. */
export function onlyAwaited(call: TsNode, M: typeof import('ts-morph').Node): boolean {
  let e: TsNode = call;
  for (let p = e.getParent(); p && M.isParenthesizedExpression(p); p = p.getParent()) e = p;
  const p = e.getParent();
  if (!p) return false;
  if (M.isAwaitExpression(p)) return true;
  if (M.isPropertyAccessExpression(p) && p.getExpression() === e && /^(then|catch)$/.test(p.getName())) {
    const c = p.getParent();
    return !!c && M.isCallExpression(c) && c.getExpression() === p;
  }
  // returned from a callback handed to .then / .catch: the promise it settles unwraps it
  const fn = M.isReturnStatement(p) ? p.getFirstAncestor((a) => M.isFunctionExpression(a) || M.isArrowFunction(a) || M.isFunctionDeclaration(a) || M.isMethodDeclaration(a))
    : M.isArrowFunction(p) && p.getBody() === e ? p : undefined;
  if (!fn || !(M.isFunctionExpression(fn) || M.isArrowFunction(fn))) return false;
  const c = fn.getParent();
  if (!c || !M.isCallExpression(c) || !c.getArguments().includes(fn)) return false;
  const callee = c.getExpression();
  return M.isPropertyAccessExpression(callee) && /^(then|catch)$/.test(callee.getName());
}

/**
 * Every call of the helper in the project (file -> call ranges), found through the modules that
 * import its module (ts-morph); undefined when any reference is not a plain call, or a module that
 * names the helper's module in an import is not one ts-morph lists.
 */
export function helperCalls(tsp: Project, M: typeof import('ts-morph').Node, h: Helper, how: HelperExport, all: { abs: string; text: string }[]): { file: string; node: TsNode }[] | undefined {
  const sf = tsp.getSourceFile(h.file);
  if (!sf) return undefined;
  const out: { file: string; node: TsNode }[] = [];
  if (how.kind === 'local') {
    // every reference is in the module (it exports nothing of it) and is a plain call
    const refs = functionReferences(tsp, M, h.file, how.id);
    if (!refs) return undefined;
    for (const r of refs) {
      if (r.kind === 'declaration' && r.file === h.file) continue;
      if (r.kind !== 'call' || r.file !== h.file || r.member || r.spread) return undefined;
      out.push({ file: h.file, node: r.call });
    }
    return out;
  }
  const importers = new Set<string>();
  for (const ref of sf.getReferencingNodesInOtherSourceFiles()) {
    const file = ref.getSourceFile().getFilePath() as string;
    importers.add(file);
    let local: TsNode | undefined;
    if (M.isCallExpression(ref)) {
      // var request = require('./request')
      const d = ref.getParent();
      if ((how.kind !== 'cjs' && how.kind !== 'cjs-member') || !d || !M.isVariableDeclaration(d) || d.getInitializer() !== ref) return undefined;
      local = d.getNameNode();
    } else if (M.isImportDeclaration(ref)) {
      if (ref.getNamespaceImport()) return undefined;
      const def = ref.getDefaultImport();
      const named = ref.getNamedImports();
      if (how.kind === 'cjs-member') return undefined;
      if (how.kind === 'named') {
        if (def) return undefined;
        const s = named.filter((x) => x.getName() === how.name);
        if (named.length && !s.length) continue; // another export of the module
        local = s[0] && (s[0].getAliasNode() ?? s[0].getNameNode());
      } else {
        if (named.length && how.kind === 'cjs') return undefined;
        local = def;
      }
      if (!local) continue;
    } else return undefined; // a re-export, import(), import x = require
    if (!local || !M.isIdentifier(local)) return undefined;
    for (const r of local.findReferencesAsNodes()) {
      if (r.getSourceFile() !== local.getSourceFile() || r === local) continue;
      if (how.kind === 'cjs-member') {
        // var Helper = require('./helper'); Helper.getJsonData(url, cb): other members are other functions
        const m = r.getParent();
        if (!m || !M.isPropertyAccessExpression(m) || m.getExpression() !== r) return undefined;
        if (m.getName() !== how.name) continue;
        const c = m.getParent();
        if (!c || !M.isCallExpression(c) || c.getExpression() !== m) return undefined;
        out.push({ file, node: c });
        continue;
      }
      const c = r.getParent();
      if (!c || !M.isCallExpression(c) || c.getExpression() !== r) return undefined;
      out.push({ file, node: c });
    }
  }
  // a module that imports the helper's module by a path ts-morph did not resolve: not proven
  const stem = basename(h.file, extname(h.file));
  const spec = new RegExp(`(?:require\\(\\s*|from\\s*|import\\(\\s*)['"](\\.{1,2}/[^'"]*${stem.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?:\\.[cm]?[jt]sx?)?)['"]`, 'g');
  for (const f of all) {
    if (f.abs === h.file) continue;
    for (const m of f.text.matchAll(spec)) {
      if (resolveRelative(f.abs, m[1]!, (p) => p === h.file) === h.file && !importers.has(f.abs)) return undefined;
    }
  }
  // the helper's own module calls it too (a named export): those calls count
  if (how.kind === 'named') {
    const decl = sf.getDescendantAtPos((h.fn.type === 'FunctionDeclaration' ? h.fn.id! : (h.fn.parent as TSESTree.VariableDeclarator).id).range[0]);
    if (!decl || !M.isIdentifier(decl)) return undefined;
    for (const r of decl.findReferencesAsNodes()) {
      if (r.getSourceFile() !== sf || r === decl) continue;
      const p = r.getParent();
      if (p && (M.isExportSpecifier(p) || M.isExportAssignment(p))) continue;
      if (!p || !M.isCallExpression(p) || p.getExpression() !== r) return undefined;
      out.push({ file: h.file, node: p });
    }
  }
  return out;
}

/**
 * New texts (absolute path -> text) for the helpers and callers this pass rewrites; empty when
 * nothing is provable. `files` are the texts `fix` works on (after the other project passes).
 */
export async function queryHelperTexts(files: { abs: string; text: string }[], project: ProjectContext, cwd: string, enabled: ReadonlySet<string>, newFiles: Map<string, string>): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  if (!enabled.has('no-client-id-auth')) return out;
  const texts = new Map(files.map((f) => [f.abs, f.text]));
  const server = (file: string, text: string) => !runsInBrowser(file, text, project);
  const helpers = new Map<string, Helper>();
  for (const f of files) {
    if (!JS_TS.test(f.abs) || !/\bclient_id\b/.test(f.text) || !server(f.abs, f.text)) continue;
    try {
      const c = fileContext(f.text, f.abs, project, cwd, ['no-client-id-auth'], enabled);
      if (!c) continue;
      for (const s of sitesOf(c, f.abs)) {
        const key = `${s.helperFile}:${s.fn.range[0]}:${s.index}`;
        const h = helpers.get(key) ?? { file: s.helperFile, fn: s.fn, index: s.index, sites: [] };
        h.sites.push(s.site);
        helpers.set(key, h);
      }
    } catch { /* that file keeps its markers */ }
  }
  if (!helpers.size) return out;
  const all = [...files, ...projectFilesNaming(project, [...new Set([...helpers.values()].map((h) => basename(h.file, extname(h.file))))].filter((n) => /^[\w$-]+$/.test(n)).map((n) => n.replace(/-/g, '\\-')), new Set(files.map((f) => f.abs)))];
  const { tsp, M } = await tsProject(all);
  const edits = new Map<string, TextEdit[]>();
  for (const h of helpers.values()) {
    try {
      const group = helperGroup(h, texts, all, project, cwd, tsp, M, newFiles);
      if (!group) continue;
      // one helper's group joins when it touches no range another group edits
      joinGroup(edits, group);
    } catch { /* markers */ }
  }
  return applyFileEdits(edits, texts, project);
}

function helperGroup(h: Helper, texts: Map<string, string>, all: { abs: string; text: string }[], project: ProjectContext, cwd: string, tsp: Project, M: typeof import('ts-morph').Node, newFiles: Map<string, string>): Map<string, TextEdit[]> | undefined {
  const text = texts.get(h.file) ?? project.readFile(h.file);
  if (text === undefined || !JS_TS.test(h.file) || runsInBrowser(h.file, text, project)) return undefined;
  const c = plainContext(text, h.file, project, cwd);
  const fn = c && fnAt(c.ctx.parsed.ast as N, h.fn.range);
  const name = fn && paramName(fn, h.index);
  const how = fn && exportOf(fn, c.ctx.parsed.ast);
  if (!c || !fn || !name || !how) return undefined;
  const r = helperRequest(fn, name, c);
  // the parameter is only handed on: its one read is the request's query option (nothing reads or reassigns it)
  const reads = c.facts.identifiers.filter((x) => x.name === name && isReference(x) && x.range[0] > fn.body.range[0] && x.range[1] <= fn.body.range[1] && enclosingFunction(x) === fn);
  if (!r || new Set(reads.map((x) => x.range[0])).size !== 1) return undefined;
  const he = helperEdits(c, fn, r);
  if (!he) return undefined;
  const calls = helperCalls(tsp, M, h, how, all);
  if (!calls) return undefined;
  return groupEdits(h, c, he, calls, texts, project, M, newFiles, false);
}

/**
 * A helper's group of edits once its request is rewritten (`he`) and its calls are known: every
 * file server code naming no user token; every finding's call one ts-morph found (`every`: and
 * every call a finding's); a helper that now waits only waited for; the client module imported.
 */
export function groupEdits(h: Helper, c: FileContext, he: { edits: TextEdit[]; waits: boolean }, calls: { file: string; node: TsNode }[], texts: Map<string, string>, project: ProjectContext, M: typeof import('ts-morph').Node, newFiles: Map<string, string>, every: boolean): Map<string, TextEdit[]> | undefined {
  // (`every`: the helper's module too)
  const files = new Set([...every ? [h.file] : [], ...calls.map((x) => x.file), ...h.sites.map((s) => s.file)]);
  for (const f of files) {
    const t = texts.get(f) ?? project.readFile(f) ?? '';
    if (/\b(oauth_token|access_token)\b/.test(t) || runsInBrowser(f, t, project)) return undefined;
  }
  // every finding's call is one ts-morph found; a helper that now waits is only waited for
  for (const s of h.sites) if (!calls.some((x) => x.file === s.file && x.node.getStart() === s.call.range[0] && x.node.getEnd() === s.call.range[1])) return undefined;
  if (every && calls.length !== h.sites.length) return undefined;
  if (he.waits && calls.some((x) => !onlyAwaited(x.node, M))) return undefined;
  const ctx: ProviderContext = { ...c.ctx, newFiles };
  const imp = clientImportEdit(ctx, moduleStyle(ctx));
  if (!imp) return undefined;
  const out = new Map<string, TextEdit[]>([[h.file, [...he.edits, imp]]]);
  for (const s of h.sites) out.set(s.file, [...(out.get(s.file) ?? []), ...s.removal]);
  return out;
}
