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
import type { ProjectContext } from '../engine/project.js';
import type { TextEdit } from '../engine/types.js';
import type { ProviderContext } from './providers.js';
import { builderEdits, builderUsed, planBuilder, type BuilderPlan } from './project-builders.js';
import { chainEdits, planChains, type Chain } from './project-chains.js';
import { idBuilderEdits, planIdBuilders, type IdBuilderPlan } from './project-id-builders.js';
import { applyFileEdits, fileContext, functionReferences, joinGroup, JS_TS, nameNode, parsedOf, projectFilesNaming, tsProject, type FileContext } from './project-model.js';
import { passEdit, passThroughIndex, routesOf, wrapperEdits, type Route } from './wrappers.js';

interface Planned { file: string; route: Route }


/** Routes in one file whose request is in a wrapper of another file that needs the parameter. */
function externalRoutes(c: FileContext, file: string): Route[] {
  const all = routesOf(c.ctx, c.facts).routes;
  const mine = (r: Route) => r.callee.external && r.pass !== undefined
    && !(r.role === 'url' && !r.hops && passThroughIndex(r.callee.fn, r.request) !== undefined)
    && r.callee.env.filename !== file;
  // a finding whose URL also reaches a wrapper this pass does not change stays whole for the file's own pass
  return all.filter((r) => all.every((o) => o.finding !== r.finding || mine(o)));
}

/**
 * New texts (absolute path -> text) for the files the cross-file rewrites change: wrappers of
 * another file (here), token URL builders (project-builders.ts), thunk chains (project-chains.ts);
 * empty when there is nothing to do or anything is unsafe. `files` are the texts `fix` works on.
 */
export async function crossFileWrapperTexts(files: { abs: string; text: string }[], project: ProjectContext, cwd: string, enabled: ReadonlySet<string> = new Set(['no-query-oauth-token', 'no-client-secret-in-body', 'no-client-id-auth']), newFiles = new Map<string, string>(), tokenEndpoint?: string): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  if (!enabled.has('no-query-oauth-token') && !enabled.has('no-client-id-auth')) return out;
  const candidates = files.filter((f) => JS_TS.test(f.abs) && /oauth_token|client_secret|client_id=\$\{/.test(f.text));
  if (!candidates.length) return out;
  const planned: Planned[] = [];
  const builders: BuilderPlan[] = [];
  const chains: Chain[] = [];
  const idBuilders: IdBuilderPlan[] = [];
  for (const f of candidates) {
    try {
      // one lint per file for the three plans
      const c = fileContext(f.text, f.abs, project, cwd, ['no-query-oauth-token', 'no-client-secret-in-body', 'no-client-id-auth'], enabled);
      if (!c || !c.ctx.findings.length) continue;
      if (enabled.has('no-client-id-auth')) idBuilders.push(...planIdBuilders(c, tokenEndpoint));
      if (!enabled.has('no-query-oauth-token')) continue;
      for (const route of externalRoutes(c, f.abs)) planned.push({ file: f.abs, route });
      if (!c.ctx.findings.some((x) => x.ruleId === 'no-query-oauth-token')) continue;
      const b = planBuilder(c, tokenEndpoint);
      if (b) builders.push(b);
      chains.push(...planChains(c));
    } catch { /* that file keeps its markers */ }
  }

  if (!planned.length && !builders.length && !chains.length && !idBuilders.length) return out;
  // a builder's or a chain's references may lie in files without findings: every project file that names one joins
  const planNames = () => [...builders.flatMap((b) => [...b.builders.values()].map((id) => id.name)), ...idBuilders.map((b) => b.id.name), ...chains.flatMap((c) => c.hops.map((h) => h.name.name))];
  const all = [...files, ...projectFilesNaming(project, planNames(), new Set(files.map((f) => f.abs)))];
  // a builder no other module imports and no request of its own module uses: nothing to prove (no ts-morph)
  builders.splice(0, builders.length, ...builders.filter((b) => builderUsed(b, all, project)));
  if (!planned.length && !builders.length && !chains.length && !idBuilders.length) return out;
  // the project model (ts-morph), of the files that can refer to a planned function: they name it, or re-export a whole module
  const wrapperNames = planned.map((p) => nameNode(p.route.callee.fn)?.name).filter((n): n is string => !!n);
  const naming = new RegExp(`\\b(${[...new Set([...planNames(), ...wrapperNames])].join('|') || '(?!)'})\\b|\\bexport\\s*\\*`);
  const { tsp, M, SyntaxKind } = await tsProject(all.filter((f) => naming.test(f.text)));
  const texts = new Map(all.map((f) => [f.abs, f.text]));

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
    for (const f of [fn, ...hops.map((h) => h.fn)]) {
      const fid = nameNode(f);
      const refs = fid && functionReferences(tsp, M, wfile, fid, wtext);
      if (!refs || refs.some((r) => r.kind === 'value' || r.kind === 'call' && (r.spread || r.args.length >= f.params.length + 1))) return undefined;
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
  // URL builders that read the token themselves (src/fix/project-builders.ts): a group joins when it overlaps no wrapper edit
  const chained = chains.length ? chainEdits(chains, texts, tsp, M, SyntaxKind) : new Map<string, TextEdit[]>();
  // a client_id builder that a token builder falls back to is that builder's (project-builders.ts)
  const taken = new Set(builders.flatMap((b) => [...b.app]));
  const idPlans = idBuilders.filter((p) => !taken.has(p.fn));
  const idGroups = idPlans.length ? idBuilderEdits(idPlans, texts, project, cwd, tsp, M, newFiles, tokenEndpoint) : [];
  for (const group of [chained, ...builderEdits(builders, texts, project, cwd, tsp, M, newFiles, tokenEndpoint), ...idGroups]) {
    joinGroup(edits, group);
  }
  // the same edit planned twice (one removal for two wrapper calls, an inner wrapper shared by two outer ones) is made once
  const unique = (es: TextEdit[]) => es.filter((e, i) => es.findIndex((o) => o.range[0] === e.range[0] && o.range[1] === e.range[1] && o.text === e.text) === i);
  return applyFileEdits(new Map([...edits].map(([file, es]) => [file, unique(es)])), texts, project);
}
