/**
 * URL builders that append the app's `client_id`, their URLs fetched in other files (the project
 * pass of `fix`, next to the token builders of src/fix/project-builders.ts):
 *
 *   // services/api.js                                  // actions/tracks.js
 *   export function publicUrl(path, sep) {              import { publicUrl } from '../services/api';
 *     return `${API}/${path}${sep}client_id=${ID}`;     export async function search(q) {
 *   }                                                     const res = await fetch(publicUrl(`tracks?q=${q}`, '&'));
 *
 * The builder's URL loses the client_id; its module gets `soundcloudAppToken()`, which asks the
 * generated client module of its kind for an app token (browser: `soundcloud-browser-client`, the
 * app's backend route, with the client id the URL carried; server: `soundcloud-client`); every
 * request whose URL the builder made sends `Authorization: 'OAuth ' + (await soundcloudAppToken())`
 * (an async function), or waits for it at the head of a promise chain ending its function, or in a
 * Promise executor (the same waits as the one-file rewrites).
 *
 * Only when it is provable, else the finding keeps its one marker and nothing changes:
 * - the builder is a top-level function of its module whose only return is the URL template, to
 *   api.soundcloud.com (never api-v2); the client id is a module-level value or a literal;
 * - a `${sep}client_id=` separator is a parameter every call passes as the literal '?' or '&', or a
 *   `cond ? '?' : '&'` of the template itself;
 * - every reference to the builder in the project (ts-morph, JS too) is a named import, or a call
 *   that is the URL of a fetch/axios/ky request (directly, or through a `const` used once as it)
 *   that can wait for the token; the module and every file of those requests run on the same side
 *   (browser or server). A URL handed to a player, stored or linked leaves everything as it was.
 */
import type { TSESTree } from '@typescript-eslint/typescript-estree';
import type { Project } from 'ts-morph';
import { runsInBrowser } from '../engine/analysis/browser.js';
import type { FileFacts } from '../engine/analysis/facts.js';
import type { RequestInfo } from '../engine/analysis/requests.js';
import { returnedExpressions, unwrap } from '../engine/analysis/values.js';
import type { ProjectContext } from '../engine/project.js';
import type { TextEdit } from '../engine/types.js';
import { browserImportEdit, chainWait, DEFAULT_TOKEN_ENDPOINT, executorWaitFor, idArgument, moduleStyleOf, PROMISE_LIBS, shellWithoutRoute } from './browser-client.js';
import { builderCalls, contextCache, moduleLevelOnly, requestEdits, requestWithUrl, topLevelFns, topStatement } from './project-builders.js';
import { tidyRemoval, type FileContext } from './project-model.js';
import type { ProviderContext } from './providers.js';
import { addHeader, atSite, clientIdParamAt, clientImportEdit, enclosingFunction, eolOf, findingsOf, isApiV2, isAsyncContext, isFn, lineIndent, moduleStyle, quoteOf, removeParam } from './rewrites.js';
import { styleOf } from './style.js';

type N = TSESTree.Node;
type Fn = TSESTree.FunctionDeclaration | TSESTree.FunctionExpression | TSESTree.ArrowFunctionExpression;

export interface IdBuilderPlan {
  file: string;
  text: string;
  ctx: ProviderContext;
  browser: boolean;
  fn: Fn;
  id: TSESTree.Identifier;
  /** Index of the `${sep}` parameter (must be '?' or '&' at every call). */
  sep?: number;
  removals: TextEdit[];
  /** The client id expression the URL carried (the browser client is created with it). */
  clientId: string;
}

const isSepLiteral = (n: N) => n.type === 'Literal' && (n.value === '?' || n.value === '&');

/** A `client_id` a function writes into a URL template it returns (a finding of no-client-id-auth), with its removal. */
export interface ClientIdTemplate {
  t: TSESTree.TemplateLiteral;
  fn: Fn;
  /** The client id expression (module-level values only). */
  value: N;
  /** Index of the `${sep}` parameter (must be '?' or '&' at every call); undefined for a fixed `?`/`&` or `c ? '?' : '&'`. */
  sep?: number;
  removals: TextEdit[];
  /** The URL is on api.soundcloud.com (false: an unknown host; api-v2 is never one of these). */
  host: boolean;
}

/** The file's client_id URL templates, each in a function and removable (never api-v2). */
export function clientIdTemplates(ctx: ProviderContext, facts: FileFacts): ClientIdTemplate[] {
  const text = ctx.text;
  const out: ClientIdTemplate[] = [];
  for (const f of findingsOf(ctx, 'no-client-id-auth')) {
    const p = clientIdParamAt(facts, f);
    const t = p?.report;
    if (!p || p.request || p.via !== 'text' || t?.type !== 'TemplateLiteral') continue;
    if (p.url.host && (!/^api\.soundcloud\.com$/i.test(p.url.host) || isApiV2(p.url.host))) continue;
    const fn = enclosingFunction(t);
    if (!isFn(fn) || out.some((o) => o.t === t)) continue;
    const i = t.quasis.findIndex((q) => /client_id=$/.test(q.value.raw));
    const value = t.expressions[i] as N | undefined;
    if (i < 0 || !value || !moduleLevelOnly(value)) continue;
    let sep: number | undefined;
    let removals: TextEdit[];
    const raw = t.quasis[i]!.value.raw;
    if (raw === 'client_id=' && i >= 1 && i + 1 === t.quasis.length - 1 && t.quasis[i + 1]!.value.raw === '') {
      // `${url}${sep}client_id=${ID}`: the separator is a parameter (checked at every call) or `c ? '?' : '&'`
      const s = unwrap(t.expressions[i - 1] as N);
      if (s.type === 'ConditionalExpression') {
        if (!isSepLiteral(s.consequent) || !isSepLiteral(s.alternate)) continue;
      } else {
        const k = fn.params.findIndex((x) => x.type === 'Identifier' && s.type === 'Identifier' && x.name === s.name);
        if (k < 0) continue;
        sep = k;
      }
      removals = tidyRemoval(text, t, [{ range: [t.quasis[i - 1]!.range[1] - 2, t.quasis[i + 1]!.range[0] + 1], text: '' }]);
    } else {
      const rem = removeParam(text, p, facts);
      if (!rem) continue;
      removals = tidyRemoval(text, t, rem.edits);
    }
    out.push({ t, fn, value, sep, removals, host: !!p.url.host });
  }
  return out;
}

/** The file's client_id URL builders whose findings this pass can prove (one plan per builder). */
export function planIdBuilders(c: FileContext, tokenEndpoint?: string): IdBuilderPlan[] {
  const { ctx, facts } = c;
  const text = ctx.text;
  if (!/client_id=\$\{/.test(text)) return [];
  const browser = ctx.browser ?? runsInBrowser(ctx.filename, text, ctx.project);
  if (browser && (shellWithoutRoute(ctx, tokenEndpoint) || !moduleStyleOf(ctx))) return [];
  const fns = topLevelFns(facts.ast);
  const out: IdBuilderPlan[] = [];
  for (const site of clientIdTemplates(ctx, facts)) {
    const { t, fn, value } = site;
    if (!site.host || !fns.has(fn)) continue;
    const rets = returnedExpressions(fn);
    if (rets.length !== 1 || unwrap(rets[0]!) !== t || out.some((o) => o.fn === fn)) continue;
    const clientId = idArgument(text, value, undefined);
    if (!clientId) continue;
    out.push({ file: ctx.filename, text, ctx, browser, fn, id: fns.get(fn)!, sep: site.sep, removals: site.removals, clientId });
  }
  return out;
}

/** The header edits of one request: `await` in an async function, else the token waited for. */
export function tokenHeaderEdits(text: string, r: RequestInfo, call: string): TextEdit[] | undefined {
  if (!PROMISE_LIBS.has(r.lib)) return undefined;
  const q = quoteOf(text);
  const async = isAsyncContext(r.call);
  const wait = async ? undefined : chainWait(text, r, '', call) ?? executorWaitFor(text, r, '', call);
  if (!async && !wait) return undefined;
  const value = wait ? `${q}OAuth ${q} + ${wait.name}` : `${q}OAuth ${q} + (await ${call})`;
  const h = addHeader(text, r, 'Authorization', value, undefined, undefined, !!wait);
  return h && (wait ? [...h, ...wait.edits] : h);
}

/**
 * The edits (file -> edits) of each plan whose every reference in the project is a request that
 * can take the header; a plan with anything else is left out (its finding keeps its marker).
 */
export function idBuilderEdits(plans: IdBuilderPlan[], texts: Map<string, string>, project: ProjectContext, cwd: string, tsp: Project, M: typeof import('ts-morph').Node, newFiles: Map<string, string>, tokenEndpoint?: string): Map<string, TextEdit[]>[] {
  const out: Map<string, TextEdit[]>[] = [];
  const contextOf = contextCache(texts, project, cwd);
  // one helper per module, however many of its builders qualify
  const byModule = new Map<string, IdBuilderPlan[]>();
  for (const p of plans) byModule.set(p.file, [...(byModule.get(p.file) ?? []), p]);
  for (const group of byModule.values()) {
    const imports = new Map<string, import('ts-morph').Node>();
    const found = group.map((plan) => { try { return consumers(plan, texts, tsp, M, contextOf, imports); } catch { return undefined; } });
    const kept = group.filter((_, i) => found[i]);
    let done: Map<string, TextEdit[]> | undefined;
    try { done = kept.length ? moduleEdits(kept, found.filter((x): x is Map<string, RequestInfo[]> => !!x), imports, texts, M, newFiles, tokenEndpoint) : undefined; } catch { /* markers */ }
    if (done) out.push(done);
  }
  return out;
}

/** The requests (file -> requests) taking the builder's URLs, or undefined when any reference is something else. */
function consumers(plan: IdBuilderPlan, texts: Map<string, string>, tsp: Project, M: typeof import('ts-morph').Node, contextOf: (file: string) => FileContext | undefined, imports: Map<string, import('ts-morph').Node>): Map<string, RequestInfo[]> | undefined {
  if (texts.get(plan.file) !== plan.text) return undefined;
  const calls = builderCalls(tsp, M, plan.file, plan.id, texts, imports, plan.sep);
  if (!calls) return undefined;
  const requests = new Map<string, RequestInfo[]>();
  for (const { file, range } of calls) {
    const c = contextOf(file);
    const tcall = c?.facts.calls.find((x) => x.range[0] === range[0] && x.range[1] === range[1]);
    if (!c || !tcall) return undefined;
    // the request runs where the builder's module runs (one generated module, one kind of token)
    if ((c.ctx.browser ?? runsInBrowser(file, c.ctx.text, c.ctx.project)) !== plan.browser) return undefined;
    const r = requestWithUrl(c.facts as FileFacts, tcall, c.ctx.text);
    if (!r || !tokenHeaderEdits(c.ctx.text, r, 'x()')) return undefined;
    requests.set(file, [...(requests.get(file) ?? []), r]);
  }
  return requests.size ? requests : undefined;
}

function moduleEdits(plans: IdBuilderPlan[], found: Map<string, RequestInfo[]>[], imports: Map<string, import('ts-morph').Node>, texts: Map<string, string>, M: typeof import('ts-morph').Node, newFiles: Map<string, string>, tokenEndpoint?: string): Map<string, TextEdit[]> | undefined {
  const plan = plans[0]!;
  const requests = new Map<string, RequestInfo[]>();
  for (const m of found) for (const [f, rs] of m) requests.set(f, [...(requests.get(f) ?? []), ...rs]);
  // one client id per module (one helper)
  if (plans.some((p) => p.clientId !== plan.clientId || p.browser !== plan.browser)) return undefined;
  const name = ['soundcloudAppToken', 'scAppToken'].find((n) => [plan.file, ...requests.keys()].every((f) => !new RegExp(`\\b${n}\\b`).test(texts.get(f)!)));
  if (!name || /\bsoundcloudAccessToken\b/.test(plan.text)) return undefined;
  const edits = new Map<string, TextEdit[]>();
  const add = (file: string, ...es: TextEdit[]) => edits.set(file, [...(edits.get(file) ?? []), ...es]);
  const exported = [...requests.keys()].some((f) => f !== plan.file);
  const ctx: ProviderContext = { ...plan.ctx, newFiles };
  const imp = plan.browser ? browserImportEdit(ctx, moduleStyleOf(ctx)!, tokenEndpoint ?? DEFAULT_TOKEN_ENDPOINT) : clientImportEdit(ctx, moduleStyle(ctx));
  if (!imp) return undefined;
  add(plan.file, ...plans.flatMap((p) => p.removals), imp, helperEdit(plans, name, exported));
  return requestEdits(requests, plan.file, name, imports, texts, M, (text, r) => tokenHeaderEdits(text, r, `${name}()`), add) ? edits : undefined;
}

/** `export function soundcloudAppToken() { return soundcloudAccessToken(CLIENT_ID); }` after the last builder. */
function helperEdit(plans: IdBuilderPlan[], name: string, exported: boolean): TextEdit {
  const plan = plans[0]!;
  const text = plan.text;
  const eol = eolOf(text);
  const semi = styleOf(text, plan.file).semi ? ';' : '';
  const body = plans.map((p) => p.fn.body).find((b): b is TSESTree.BlockStatement => b?.type === 'BlockStatement' && b.body.length > 0);
  const indent = body ? lineIndent(text, body.body[0]!.range[0]) || '  ' : '  ';
  const fn = appTokenHelper(name, exported, plan.browser ? plan.clientId : '', { indent, semi, eol, ts: /\.(ts|tsx|mts|cts)$/.test(plan.file) }).join(eol);
  const anchor = topStatement(plans.map((p) => p.fn as N).reduce((a, b) => (a.range[0] > b.range[0] ? a : b)));
  return { range: [anchor.range[1], anchor.range[1]], text: `${eol}${eol}${fn}` };
}

/** The lines of the app token's helper (`soundcloudAccessToken` from the generated module; `clientId`: its argument, browser only). */
export function appTokenHelper(name: string, exported: boolean, clientId: string, o: { indent: string; semi: string; eol: string; ts: boolean }): string[] {
  return [
    `/** An app token for the requests of these URLs (\`Authorization: OAuth <token>\`). */`,
    `${exported ? 'export ' : ''}function ${name}()${o.ts ? ': Promise<string>' : ''} {`,
    `${o.indent}return soundcloudAccessToken(${clientId})${o.semi}`,
    '}',
  ];
}
