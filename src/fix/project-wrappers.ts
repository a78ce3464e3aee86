/**
 * The token reaches a wrapper defined in another file (cross-file, the project pass of `fix`):
 *
 *   // lib/api.js                              // actions/me.js
 *   export async function getJson(url) {       import { getJson } from '../lib/api.js';
 *     const res = await fetch(url);            export const me = (t) => getJson(`${API}/me?oauth_token=${t}`);
 *     return res.json();
 *   }
 *
 * The wrapper's signature changes (a trailing `authorization` parameter, `authorization?: string`
 * in TS, sent as the `Authorization` header of its request) and every call site across the
 * project that carries the token passes `'OAuth ' + t` instead (skipped optional parameters
 * become `undefined`); the other call sites need no edit (the parameter is trailing and optional).
 * The references come from ts-morph's project model (imports, re-exports, aliases, namespace
 * imports; JS through allowJs): the rewrite is refused when any reference is not a plain call
 * (`list.map(getJson)`, a spread call) or passes as many arguments as the wrapper has parameters.
 * The edits themselves are the same as the in-file wrapper rewrite (src/fix/wrappers.ts).
 * ts-morph is loaded only when some file has `oauth_token` in a call to an imported wrapper.
 */
import type { TSESTree } from '@typescript-eslint/typescript-estree';
import { rulesById } from '../../rules/index.js';
import { lintText } from '../engine/linter.js';
import { parseFile, type Parsed } from '../engine/parse.js';
import { SETTINGS_KEY, type ProjectContext } from '../engine/project.js';
import type { TextEdit } from '../engine/types.js';
import type { ProviderContext } from './providers.js';
import { factsOf } from './rewrites.js';
import { passEdit, passThroughIndex, routesOf, wrapperEdits, type Fn, type Route } from './wrappers.js';

type N = TSESTree.Node;

const JS_TS = /\.(m|c)?[jt]sx?$/i;

interface Planned { file: string; route: Route }

function parsedOf(text: string, file: string): Parsed | undefined {
  try { return parseFile(text, file); } catch { return undefined; }
}

/** The name a wrapper is declared (and imported) under: `function getJson`, `const getJson = () =>`. */
function nameNode(fn: Fn): TSESTree.Identifier | undefined {
  if (fn.type === 'FunctionDeclaration') return fn.id ?? undefined;
  const p = fn.parent;
  return p?.type === 'VariableDeclarator' && p.id.type === 'Identifier' && p.init === fn ? p.id : undefined;
}

/** Routes in one file whose request is in a wrapper of another file that needs the parameter. */
function externalRoutes(text: string, file: string, project: ProjectContext, cwd: string, enabled: ReadonlySet<string>): Route[] {
  const rule = enabled.has('no-query-oauth-token') ? rulesById.get('no-query-oauth-token') : undefined;
  const secret = enabled.has('no-client-secret-in-body') ? rulesById.get('no-client-secret-in-body') : undefined;
  // client_id-only calls of a module that also sends its user's token take that token (wrappers.ts)
  const clientId = enabled.has('no-client-id-auth') ? rulesById.get('no-client-id-auth') : undefined;
  const parsed = parsedOf(text, file);
  if (!rule || !parsed) return [];
  const findings = lintText({ text, filename: file, rules: [rule, ...(secret ? [secret] : []), ...(clientId ? [clientId] : [])], parsed, cwd, settings: { [SETTINGS_KEY]: { project } } }).findings;
  if (!findings.length) return [];
  const ctx: ProviderContext = { text, filename: file, parsed, findings, project, cwd, rules: [rule], suggestions: false, newFiles: new Map() };
  const facts = factsOf(ctx);
  const all = routesOf(ctx, facts).routes;
  const mine = (r: Route) => r.callee.external && r.pass !== undefined
    && !(r.role === 'url' && !r.hops && passThroughIndex(r.callee.fn, r.request) !== undefined)
    && r.callee.env.filename !== file;
  // a finding whose URL also reaches a wrapper this pass does not change stays whole for the file's own pass
  return all.filter((r) => all.every((o) => o.finding !== r.finding || mine(o)));
}

/**
 * New texts (absolute path -> text) for the files the cross-file wrapper rewrite changes; empty
 * when there is nothing to do or anything is unsafe. `files` are the texts `fix` works on.
 */
export async function crossFileWrapperTexts(files: { abs: string; text: string }[], project: ProjectContext, cwd: string, enabled: ReadonlySet<string> = new Set(['no-query-oauth-token', 'no-client-secret-in-body', 'no-client-id-auth'])): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  const candidates = files.filter((f) => JS_TS.test(f.abs) && /oauth_token|client_secret/.test(f.text));
  if (!candidates.length) return out;
  const planned: Planned[] = [];
  for (const f of candidates) {
    try { for (const route of externalRoutes(f.text, f.abs, project, cwd, enabled)) planned.push({ file: f.abs, route }); } catch { /* that file keeps its marker */ }
  }
  if (!planned.length) return out;

  // the project model: every JS/TS file fix sees, in memory
  const { Project, Node: M, ts } = await import('ts-morph');
  const tsp = new Project({
    useInMemoryFileSystem: true,
    skipFileDependencyResolution: true,
    compilerOptions: { allowJs: true, checkJs: false, noEmit: true, jsx: ts.JsxEmit.Preserve, module: ts.ModuleKind.ESNext, moduleResolution: ts.ModuleResolutionKind.Bundler, target: ts.ScriptTarget.ES2022 },
  });
  const texts = new Map(files.map((f) => [f.abs, f.text]));
  for (const f of files) if (JS_TS.test(f.abs)) tsp.createSourceFile(f.abs, f.text, { overwrite: true });

  const byWrapper = new Map<string, Planned[]>();
  for (const p of planned) {
    const key = `${p.route.callee.env.filename}:${p.route.callee.fn.range[0]}`;
    byWrapper.set(key, [...(byWrapper.get(key) ?? []), p]);
  }
  // A finding whose URL reaches several wrapper calls (`url` sent by request.put and request.delete)
  // is fixed in every one or in none: a wrapper that cannot take the header drops its findings everywhere.
  const failed = new Set<unknown>();
  let edits = new Map<string, TextEdit[]>();
  for (let round = 0; round < 4; round++) {
    edits = new Map();
    const before = failed.size;
    for (const all of byWrapper.values()) {
      const ps = all.filter((p) => !failed.has(p.route.finding));
      if (!ps.length) continue;
      const es = wrapperGroupEdits(ps);
      if (!es) { for (const p of all) failed.add(p.route.finding); continue; }
      for (const [file, e] of es) edits.set(file, [...(edits.get(file) ?? []), ...e]);
    }
    if (failed.size === before) break;
  }
  function wrapperGroupEdits(ps: Planned[]): Map<string, TextEdit[]> | undefined {
    const { fn, env } = ps[0]!.route.callee;
    const hops = ps[0]!.route.hops ?? [];
    const wfile = env.filename;
    const wtext = texts.get(wfile) ?? project.readFile(wfile);
    const id = nameNode(fn);
    if (!wtext || !id || ps.some((p) => p.route.request.call !== ps[0]!.route.request.call)) return undefined;
    // every reference: an import/export of the name, or a plain call with room for one more argument
    const sf = tsp.getSourceFile(wfile) ?? tsp.createSourceFile(wfile, wtext, { overwrite: true });
    for (const f of [fn, ...hops.map((h) => h.fn)]) {
      const fid = nameNode(f);
      const decl = fid && sf.getDescendantAtPos(fid.range[0]);
      if (!fid || !decl || !M.isIdentifier(decl) || decl.getText() !== fid.name) return undefined;
      for (const ref of decl.findReferencesAsNodes()) {
        const parent = ref.getParent();
        if (!parent) return undefined;
        if (M.isImportSpecifier(parent) || M.isExportSpecifier(parent) || M.isImportClause(parent) || M.isExportAssignment(parent)) continue;
        if (M.isVariableDeclaration(parent) && parent.getNameNode() === ref || M.isFunctionDeclaration(parent) && parent.getNameNode() === ref) continue;
        const callee = M.isPropertyAccessExpression(parent) && parent.getNameNode() === ref ? parent : ref;
        const call = callee.getParent();
        if (!call || !M.isCallExpression(call) || call.getExpression() !== callee) return undefined;
        const args = call.getArguments();
        if (args.some((a) => M.isSpreadElement(a)) || args.length >= f.params.length + 1) return undefined;
      }
    }
    const wparsed = parsedOf(wtext, wfile);
    if (!wparsed) return undefined;
    const wctx: ProviderContext = { text: wtext, filename: wfile, parsed: wparsed, findings: [], project, cwd, rules: [], suggestions: false, newFiles: new Map() };
    const we = wrapperEdits(wctx, ps[0]!.route.callee, ps[0]!.route.request, false, hops);
    if (!we) return undefined;
    const out = new Map<string, TextEdit[]>([[wfile, we]]);
    for (const p of ps) {
      const e = passEdit(p.route.call, fn, p.route.pass!);
      if (!e) return undefined;
      out.set(p.file, [...(out.get(p.file) ?? []), ...p.route.edits, e]);
      const list = p.route.list;
      if (list) out.set(list.file, [...(out.get(list.file) ?? []), ...list.edits]);
    }
    return out;
  }
  for (const [file, es] of edits) {
    const text = texts.get(file) ?? project.readFile(file);
    if (text === undefined) continue;
    // the same edit planned twice (one removal for two wrapper calls, an inner wrapper shared by two outer ones) is made once
    const unique = es.filter((e, i) => es.findIndex((o) => o.range[0] === e.range[0] && o.range[1] === e.range[1] && o.text === e.text) === i);
    const sorted = [...unique].sort((a, b) => b.range[0] - a.range[0] || b.range[1] - a.range[1]);
    if (sorted.some((e, i) => i > 0 && e.range[1] > sorted[i - 1]!.range[0])) return new Map(); // overlapping: do nothing
    let next = text;
    for (const e of sorted) next = next.slice(0, e.range[0]) + e.text + next.slice(e.range[1]);
    if (!parsedOf(next, file)) return new Map();
    out.set(file, next);
  }
  return out;
}
