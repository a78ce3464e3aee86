/**
 * no-client-id-auth, server code: the app's client_id written in a URL that is handed to one
 * request helper of the app (the project pass of `fix`, sibling of project-query-helpers.ts,
 * sharing its walk):
 *
 *   // helpers/helper.js                               // lib/User.js
 *   var request = require('request');                  var Helper = require('../helpers/helper');
 *   function getJsonData(url, cb) {                    User.prototype.byId = function (id, cb) {
 *     request.get({ url: url, json: true },              var url = BASE + '/' + id + '?client_id=' + this.clientId;
 *       function (err, res, body) { ... });              Helper.getJsonData(url, cb);
 *   }                                                  };
 *   module.exports.getJsonData = getJsonData;
 *
 * The helper's one request sends the app token from the generated client module (async: awaited;
 * a callback-style request ending the helper: `soundcloudAccessToken().then((token) => request.get(
 * options, onResponse), onResponse)`; a returned promise: waits, when every call only waits for it),
 * and every caller's URL drops its client_id (the removals of the one-file fix keep `?`/`&` right).
 * Only when every call of the helper in the project (ts-morph) is such a caller: its URL written
 * in the call or in a variable read only by it, api.soundcloud.com (never api-v2), the client_id
 * removable; the helper is `module.exports = function`, `module.exports.name = fn` / `exports.name
 * = fn`, or an ES export; the URL parameter is read only as the request's URL; no Authorization
 * yet; every file server code naming no `oauth_token`/`access_token`. Else every finding keeps its marker.
 */
import type { TSESTree } from '@typescript-eslint/typescript-estree';
import type { Node as TsNode, Project } from 'ts-morph';
import { basename, dirname, extname, join, resolve } from 'node:path';
import { runsInBrowser } from '../engine/analysis/browser.js';
import { propName, resolveFunction, unwrap } from '../engine/analysis/values.js';
import type { ProjectContext } from '../engine/project.js';
import type { TextEdit } from '../engine/types.js';
import { applyFileEdits, JS_TS, fileContext, joinGroup, plainContext, projectFilesNaming, tsProject, type FileContext } from './project-model.js';
import { exportOf, fnAt, groupEdits, helperCalls, helperEdits, type Helper, type HelperExport } from './project-query-helpers.js';
import { addHeader, atSite, clientIdParamAt, callbackWait, enclosingFunction, findingsOf, isApiV2, isFn, isReference, quoteOf, referencesTo, removeInlineParam, removeParam, stringRoot } from './rewrites.js';
import { paramName, requestsIn, type Fn } from './wrappers.js';

type N = TSESTree.Node;

/** The caller's half of each finding: the client_id's removal and the helper call its URL goes to. */
function urlSitesOf(c: FileContext, file: string): { call: TSESTree.CallExpression; removal: TextEdit[]; fn: Fn; helperFile: string; index: number }[] {
  const { ctx, facts } = c;
  const out: { call: TSESTree.CallExpression; removal: TextEdit[]; fn: Fn; helperFile: string; index: number }[] = [];
  for (const f of findingsOf(ctx, 'no-client-id-auth', 'clientId')) {
    const p = clientIdParamAt(facts, f);
    if (!p || p.request || p.via !== 'text' || p.where !== 'query' || isApiV2(p.url.host) || !/^api\.soundcloud\.com$/i.test(p.url.host ?? '')) continue;
    const rem = removeParam(ctx.text, p, facts) ?? removeInlineParam(ctx.text, p);
    if (!rem?.edits.length) continue;
    // the URL: an argument of the call, or a variable of the same function that only the call reads
    const root = stringRoot(p.report);
    let arg: N = root;
    const d = root.parent;
    if (d?.type === 'VariableDeclarator' && d.init === root && d.id.type === 'Identifier') {
      if (d.parent?.type !== 'VariableDeclaration' || d.parent.declarations.length !== 1) continue;
      const refs = referencesTo(d, facts);
      if (refs.length !== 1 || enclosingFunction(refs[0]!) !== enclosingFunction(root)) continue;
      arg = refs[0]!;
    }
    else if (d?.type === 'ReturnStatement') {
      // `function urlOf(id) { return BASE + id + '?client_id=' + ID }` called once, as the helper's URL argument
      const g = returnedBy(root, facts.identifiers);
      if (!g) continue;
      arg = g;
    }
    const call = arg.parent;
    if (call?.type !== 'CallExpression' || !(call.arguments as N[]).includes(arg) || call.arguments.some((a) => a.type === 'SpreadElement')) continue;
    const r = resolveFunction(call.callee, facts.env);
    const fn = r?.fn as N | undefined;
    if (!r || !isFn(fn)) continue;
    out.push({ call, removal: rem.edits, fn, helperFile: r.env.filename, index: (call.arguments as N[]).indexOf(arg) });
  }
  return out;
}

/**
 * The call of a module function whose one statement returns the URL (`return root`), when that
 * call is the function's only reference in the module: the URL goes where that call's value goes.
 */
function returnedBy(root: N, identifiers: readonly TSESTree.Identifier[]): TSESTree.CallExpression | undefined {
  const ret = root.parent;
  const body = ret?.parent;
  const fn = body?.parent;
  if (ret?.type !== 'ReturnStatement' || body?.type !== 'BlockStatement' || body.body.length !== 1) return undefined;
  if (fn?.type !== 'FunctionDeclaration' || !fn.id || fn.parent?.type !== 'Program' || fn.async || fn.generator) return undefined;
  const id = fn.id;
  const refs = identifiers.filter((x) => x.name === id.name && x !== id && isReference(x));
  const ref = refs.length === 1 ? refs[0]! : undefined;
  const call = ref?.parent;
  return call?.type === 'CallExpression' && call.callee === ref ? call : undefined;
}

/** `module.exports.name = fn` / `exports.name = fn` (the function declared by that name at the top), else the sibling's kinds. */
function urlHelperExport(fn: Fn, ast: TSESTree.Program, identifiers: readonly TSESTree.Identifier[], text: string): HelperExport | undefined {
  const how = exportOf(fn, ast);
  if (how && how.kind !== 'local') return how;
  const id = fn.type === 'FunctionDeclaration' && fn.parent?.type === 'Program' ? fn.id : undefined;
  if (!id) return undefined;
  const exported = ast.body.filter((s) => {
    if (s.type !== 'ExpressionStatement' || s.expression.type !== 'AssignmentExpression' || s.expression.operator !== '=') return false;
    const { left, right } = s.expression;
    if (left.type !== 'MemberExpression' || unwrap(right).type !== 'Identifier' || (unwrap(right) as TSESTree.Identifier).name !== id.name) return false;
    const o = unwrap(left.object);
    const viaModule = o.type === 'MemberExpression' && unwrap(o.object).type === 'Identifier' && (unwrap(o.object) as TSESTree.Identifier).name === 'module' && propName(o) === 'exports';
    const viaExports = o.type === 'Identifier' && o.name === 'exports';
    return (viaModule || viaExports) && propName(left) === id.name;
  });
  // the module reads the name in its one export only (it calls the function nowhere else)
  const reads = identifiers.filter((x) => x.name === id.name && x !== id && isReference(x));
  const right = exported.length === 1 ? unwrap((exported[0] as TSESTree.ExpressionStatement & { expression: TSESTree.AssignmentExpression }).expression.right) : undefined;
  // nor through the exports object (`exports.name(...)`, `module.exports['name']`): its one member access is the export
  const n = id.name.replace(/\$/g, '\\$');
  const members = (text.match(new RegExp(`\\.\\s*${n}\\b`, 'g'))?.length ?? 0) + (text.match(new RegExp(`\\[\\s*['"\`]${n}['"\`]`, 'g'))?.length ?? 0);
  return right && reads.length === 1 && reads[0] === right && members === 1 ? { kind: 'cjs-member', name: id.name } : undefined;
}

/**
 * The helper's module is what its package gives other code (package.json `main`, a string `exports`
 * or `exports['.']`, else index.js): calls from outside the project are not to be seen.
 */
function packageEntry(file: string, project: ProjectContext): boolean {
  for (let d = dirname(file); ; d = dirname(d)) {
    const pkg = project.readFile(join(d, 'package.json'));
    if (pkg !== undefined) {
      let j: { main?: unknown; exports?: unknown };
      try { j = JSON.parse(pkg) as typeof j; } catch { return true; }
      const e = j.exports;
      const dot = e && typeof e === 'object' && !Array.isArray(e) ? (e as Record<string, unknown>)['.'] : e;
      const entries = [j.main, dot].filter((x): x is string => typeof x === 'string');
      if (e !== undefined && typeof dot !== 'string') return true; // conditional exports: not read here
      if (!entries.length) entries.push('index.js');
      return entries.some((x) => { const r = resolve(d, x); return r === file || r + '.js' === file || join(r, 'index.js') === file; });
    }
    if (dirname(d) === d) return false;
  }
}

/** New texts (absolute path -> text) for the URL helpers and callers this pass rewrites. */
export async function urlHelperTexts(files: { abs: string; text: string }[], project: ProjectContext, cwd: string, enabled: ReadonlySet<string>, newFiles: Map<string, string>): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  if (!enabled.has('no-client-id-auth')) return out;
  const texts = new Map(files.map((f) => [f.abs, f.text]));
  const helpers = new Map<string, Helper>();
  for (const f of files) {
    if (!JS_TS.test(f.abs) || !/\bclient_id\b/.test(f.text) || runsInBrowser(f.abs, f.text, project)) continue;
    try {
      const c = fileContext(f.text, f.abs, project, cwd, ['no-client-id-auth'], enabled);
      if (!c) continue;
      for (const s of urlSitesOf(c, f.abs)) {
        const key = `${s.helperFile}:${s.fn.range[0]}:${s.index}`;
        const h = helpers.get(key) ?? { file: s.helperFile, fn: s.fn, index: s.index, sites: [] };
        h.sites.push({ file: f.abs, call: s.call, removal: s.removal });
        helpers.set(key, h);
      }
    } catch { /* that file keeps its markers */ }
  }
  if (!helpers.size) return out;
  // the helpers' own modules (a helper module with no finding is not among the files fix works on)
  const known = new Set(files.map((f) => f.abs));
  const own = [...new Set([...helpers.values()].map((h) => h.file))].filter((p) => !known.has(p)).flatMap((p) => { const t = project.readFile(p); return t === undefined ? [] : [{ abs: p, text: t }]; });
  const all = [...files, ...own, ...projectFilesNaming(project, [...new Set([...helpers.values()].map((h) => basename(h.file, extname(h.file))))].filter((n) => /^[\w$-]+$/.test(n)).map((n) => n.replace(/-/g, '\\-')), new Set([...known, ...own.map((f) => f.abs)]))];
  const { tsp, M } = await tsProject(all);
  const edits = new Map<string, TextEdit[]>();
  for (const h of helpers.values()) {
    try {
      const group = urlHelperGroup(h, texts, all, project, cwd, tsp, M, newFiles);
      if (group) joinGroup(edits, group);
    } catch { /* markers */ }
  }
  return applyFileEdits(edits, texts, project);
}

function urlHelperGroup(h: Helper, texts: Map<string, string>, all: { abs: string; text: string }[], project: ProjectContext, cwd: string, tsp: Project, M: typeof import('ts-morph').Node, newFiles: Map<string, string>): Map<string, TextEdit[]> | undefined {
  const text = texts.get(h.file) ?? project.readFile(h.file);
  if (text === undefined || !JS_TS.test(h.file) || runsInBrowser(h.file, text, project) || packageEntry(h.file, project)) return undefined;
  const c = plainContext(text, h.file, project, cwd);
  const fn = c && fnAt(c.ctx.parsed.ast as N, h.fn.range);
  const name = fn && paramName(fn, h.index);
  const how = fn && urlHelperExport(fn, c.ctx.parsed.ast, c.facts.identifiers, text);
  if (!c || !fn || !name || !how || how.kind === 'local') return undefined;
  // the helper's one request takes the parameter as its URL, read nowhere else, and has no Authorization yet
  const rs = requestsIn(fn, c.facts.env);
  const r = rs.length === 1 ? rs[0]! : undefined;
  const u = r?.urlNode && unwrap(r.urlNode as N);
  if (!r || r.lib === 'sdk' || r.baseNode || u?.type !== 'Identifier' || u.name !== name) return undefined;
  if (/authorization/i.test(text.slice(r.call.range[0], r.call.range[1])) || r.options.some((o) => o.node.properties.some((x) => x.type === 'SpreadElement'))) return undefined;
  const reads = c.facts.identifiers.filter((x) => x.name === name && isReference(x) && x.range[0] > fn.body.range[0] && x.range[1] <= fn.body.range[1] && enclosingFunction(x) === fn);
  if (new Set(reads.map((x) => x.range[0])).size !== 1) return undefined;
  let he = helperEdits(c, fn, r);
  if (!he && !fn.async) {
    // a callback-style request ending the helper: it waits for the token, a failed token request reaches the callback
    const w = callbackWait(text, r, h.file);
    const q = quoteOf(text);
    const hd = w && addHeader(text, r, 'Authorization', `${q}OAuth ${q} + ${w.name}`, undefined, undefined, true);
    if (w && hd?.length) he = { edits: [...hd, ...w.edits], waits: false };
  }
  if (!he) return undefined;
  const calls = helperCalls(tsp, M, h, how, all);
  if (!calls?.length) return undefined;
  // every call of the helper is a finding's call (each one's URL loses its client_id), and the other way round,
  // or hands it a URL written as a literal that no server but SoundCloud's API can receive (a test's 'not-a-url')
  const isSite = (x: { file: string; node: TsNode }) => h.sites.some((s) => s.file === x.file && x.node.getStart() === s.call.range[0] && x.node.getEnd() === s.call.range[1]);
  const others = calls.filter((x) => !isSite(x));
  if (others.length && (he.waits || (r.lib !== 'request' && r.lib !== 'fetch') || !others.every((x) => harmlessUrl(x.node, h.index, M)))) return undefined;
  return groupEdits(h, c, he, calls.filter(isSite), texts, project, M, newFiles, true);
}

/**
 * The call's URL argument is a string literal that names no host (the request fails before it
 * is sent: request and fetch refuse a URL with no scheme, where axios 0.x would ask localhost), or names
 * https://api.soundcloud.com: the app token the helper now sends reaches no other server.
 */
function harmlessUrl(call: TsNode, index: number, M: typeof import('ts-morph').Node): boolean {
  if (!M.isCallExpression(call)) return false;
  const a = call.getArguments()[index];
  if (!a || !(M.isStringLiteral(a) || M.isNoSubstitutionTemplateLiteral(a))) return false;
  const v = a.getLiteralValue();
  if (/^\s*https:\/\/api\.soundcloud\.com(\/|$)/i.test(v)) return true;
  return !/[:/\\@]/.test(v) && !/\./.test(v.split(/[?#]/)[0] ?? '');
}
