/**
 * no-client-id-auth on stream and download URLs handed to a player or a download:
 * `audio.src = track.stream_url + '?client_id=' + CLIENT_ID` no longer plays, and no header can
 * go with a URL an `<audio>` element, a player or ffmpeg fetches. The app asks the API, with its
 * token, for a signed URL that plays with no credential (the runtime's `streamUrl`:
 * `GET /tracks/{id}/streams`, or the target of the `/stream` / `/download` redirect):
 * `audio.src = await soundcloudStreamUrl(track.stream_url)`, from the generated client module
 * (server: soundcloud-client, the app token from its credentials; browser ES modules:
 * soundcloud-browser-client, the app token from the app's backend route, with the client id the
 * URL carried).
 *
 * Only where the URL goes straight to its player or download (a call's argument, `.src = `, a
 * player's options, or a variable only that use reads) in the same function, and that function
 * already waits (`async`), or is a `.then` / `.catch` callback of a promise chain or a `setTimeout`
 * callback, which becomes `async` (the chain waits for the callback's promise as it waited for its
 * value, nothing reads a timer callback's; the statements
 * keep their order). A signed URL expires: one stored for later (state, a queue, a returned
 * object) or built where nothing waits keeps its marker.
 */
import type { TSESTree } from '@typescript-eslint/typescript-estree';
import type { FileFacts, ParamSite } from '../engine/analysis/facts.js';
import { serverByDefaultInUiProject } from '../engine/analysis/browser.js';
import { propName, unwrap } from '../engine/analysis/values.js';
import { resolveBinding } from '../engine/analysis/scope.js';
import type { TextEdit } from '../engine/types.js';
import type { Provider, ProviderContext } from './providers.js';
import { projectFiles } from '../engine/analysis/project-facts.js';
import { parseFile } from '../engine/parse.js';
import { browserImportEdit, DEFAULT_TOKEN_ENDPOINT, idArgument, moduleStyleOf, nativeShell, shellWithoutRoute, STREAM_SRC, withStreamSrc } from './browser-client.js';
import {
  clientIdParamAt, clientImportEdit, enclosingFunction, factsOf, findingsOf, isApiV2, isBrowserCode, isFn, isModuleBinding, isPromiseArgument, moduleStyle,
  isWritten, referencesTo, removeInlineParam, removeParam, stringRoot,
} from './rewrites.js';

type N = TSESTree.Node;
type Fn = TSESTree.FunctionDeclaration | TSESTree.FunctionExpression | TSESTree.ArrowFunctionExpression;

const STREAM_NAME = 'soundcloudStreamUrl';
/** A track's stream or download URL: the API path, or a property named so (`track.stream_url`, `song.streamUrl`). */
const STREAM_PATH = /\/tracks\/[^/?#]+\/(?:stream|streams|download)\/?(?:[?#]|$)/;
const STREAM_PROP = /^(?:stream_?url|download_?url)$/i;
/**
 * Calls that play or fetch the media at a URL right away: players, transcoders, voice
 * connections, a download package, a redirect of the response (HTTP requests are known from the
 * file's facts).
 */
const SINK_CALLS = /^(?:Audio|Howl|createSound|createAudioResource|playArbitraryInput|playStream|play|ffmpeg|FFmpeg|input|addInput|setSrc|download|redirect)$/;
/** Options of a player that name the media URL: `soundManager.createSound({ url })`, `new Howl({ src: [url] })`. */
const SINK_KEYS = /^(?:url|src|source|file)$/;
const ATTR_CALLS = /^(?:setAttribute|attr|prop)$/;

/** The name of a callee: `Audio`, `createSound` of `soundManager.createSound`. */
function calleeName(c: TSESTree.CallExpression | TSESTree.NewExpression): string | undefined {
  const x = unwrap(c.callee as N);
  return x.type === 'Identifier' ? x.name : x.type === 'MemberExpression' ? propName(x) : undefined;
}

/** The value is handed to a player or a download as it is used: an argument, `.src =`, a player option, a request's URL. */
function isSink(u: N, facts: FileFacts): boolean {
  const p = u.parent;
  if (!p) return false;
  if (facts.requests.some((r) => r.urlNode && unwrap(r.urlNode) === u && r.lib !== 'sdk')) return true;
  if ((p.type === 'CallExpression' || p.type === 'NewExpression') && (p.arguments as N[]).includes(u)) {
    const name = calleeName(p);
    if (name && ATTR_CALLS.test(name)) { const a = p.arguments[0]; return p.arguments[1] === u && a?.type === 'Literal' && a.value === 'src'; }
    return !!name && SINK_CALLS.test(name);
  }
  if (p.type === 'AssignmentExpression' && p.operator === '=' && p.right === u) {
    return p.left.type === 'MemberExpression' && propName(p.left) === 'src';
  }
  // { url: x } / { src: [x] } given to a player call
  const prop = p.type === 'ArrayExpression' && p.elements.length === 1 && p.parent?.type === 'Property' ? p.parent : p;
  if (prop.type === 'Property' && prop.value === (prop === p ? u : p) && SINK_KEYS.test(propName(prop) ?? '')) {
    const obj = prop.parent;
    const call = obj?.parent;
    return (call?.type === 'CallExpression' || call?.type === 'NewExpression') && (call.arguments as N[]).includes(obj as N) && SINK_CALLS.test(calleeName(call) ?? '');
  }
  return false;
}

/**
 * Where the URL is resolved: the string itself when it is used right there, or the `const` (or
 * `let`/`var` never written again) it initialises when that variable's one use, in the same
 * function and after it, is the sink.
 */
function sinkSite(root: N, facts: FileFacts): N | undefined {
  if (isSink(root, facts)) return root;
  const d = root.parent;
  if (d?.type !== 'VariableDeclarator' || d.init !== root || d.id.type !== 'Identifier') return undefined;
  const fn = enclosingFunction(d);
  if (!fn) return undefined;
  const refs = referencesTo(d, fn);
  const written = refs.some(isWritten);
  const use = refs.length === 1 ? refs[0]! : undefined;
  if (!use || written || use.range[0] < d.range[1] || !isSink(use, facts)) return undefined;
  // used in the same function, or in a Promise executor written there (it runs at once)
  const at = enclosingFunction(use);
  return at === fn || at && isExecutor(at) && enclosingFunction(at) === fn ? root : undefined;
}

/** `new Promise((resolve, reject) => {...})`: the executor runs when the promise is made. */
function isExecutor(fn: N): boolean {
  return isFn(fn) && isPromiseArgument(fn);
}

/** A `.then(cb)` / `.catch(cb)` callback (also then's second argument). */
function isChainCallback(fn: Fn): boolean {
  const c = fn.parent;
  if (c?.type !== 'CallExpression' || !(c.arguments as N[]).includes(fn) || c.callee.type !== 'MemberExpression') return false;
  const m = propName(c.callee);
  const i = (c.arguments as N[]).indexOf(fn);
  return m === 'then' && i <= 1 || m === 'catch' && i === 0;
}

/**
 * `setTimeout(cb, ms)`'s callback (also `window.setTimeout`): nothing reads what it returns, so it
 * can become `async`; its statements keep their order, later than before by the signed URL's request.
 */
function isTimerCallback(fn: Fn): boolean {
  const c = fn.parent;
  if (c?.type !== 'CallExpression' || c.arguments[0] !== fn) return false;
  const callee = unwrap(c.callee as N);
  const name = callee.type === 'Identifier' ? callee.name
    : callee.type === 'MemberExpression' && unwrap(callee.object as N).type === 'Identifier' && /^(?:window|globalThis|self)$/.test((unwrap(callee.object as N) as TSESTree.Identifier).name) ? propName(callee) : undefined;
  return name === 'setTimeout';
}

/** Whether an `await` can go at the site: an async function, or a chain or timer callback made async (the edit). */
function awaitable(site: N, text: string): { ok: boolean; edit?: TextEdit } {
  const fn = enclosingFunction(site);
  if (!isFn(fn) || fn.generator) return { ok: false };
  if (fn.async) return { ok: true };
  // TypeScript: a callback with a declared return type (`(r): void => ...`) cannot just become async
  if (fn.type === 'FunctionDeclaration' || !(isChainCallback(fn) || isTimerCallback(fn)) || fn.returnType) return { ok: false };
  // `function (x) {...}` reading `arguments` stays as it is (an async function has them too, but keep it simple)
  if (fn.type === 'FunctionExpression' && /\barguments\b/.test(text.slice(fn.range[0], fn.range[1]))) return { ok: false };
  return { ok: true, edit: { range: [fn.range[0], fn.range[0]], text: 'async ' } };
}

/** The URL's text with the client_id taken out (the removal's edits applied to the string's own text). */
export function urlWithout(text: string, p: ParamSite, facts: FileFacts, root: N): { url: string; value: N; inline?: string } | undefined {
  const query = queryConstant(text, p, root);
  if (query) return query;
  const param = removeParam(text, p, facts);
  const rem = param ?? removeInlineParam(text, p);
  // `${track.stream_url}?client_id=3f9c...`: the URL is the expression alone (no template is left)
  const t = unwrap(root);
  if (!rem && !param && p.via === 'text' && p.value && t === p.report && t.type === 'TemplateLiteral' && t.expressions.length === 1
    && t.quasis[0]!.value.raw === '' && t.quasis[1]!.value.raw === `?${p.name}=${p.value}`) {
    const e = t.expressions[0]!;
    return { url: text.slice(e.range[0], e.range[1]), value: t, inline: p.value };
  }
  if (!rem || rem.holder || !rem.edits.every((e) => e.range[0] >= root.range[0] && e.range[1] <= root.range[1])) return undefined;
  let out = text.slice(root.range[0], root.range[1]);
  for (const e of [...rem.edits].sort((a, b) => b.range[0] - a.range[0])) {
    out = out.slice(0, e.range[0] - root.range[0]) + e.text + out.slice(e.range[1] - root.range[0]);
  }
  if (/client_?id/i.test(out) && !/client_?id/i.test(text.slice(rem.value.range[0], rem.value.range[1]))) return undefined;
  // (`track.stream_url + `?client_id=${id}`` leaves an empty piece: `track.stream_url + ''` is the URL itself)
  out = out.replace(/\s*\+\s*(?:''|""|``)$/, '');
  return { url: out, value: rem.value, inline: param ? undefined : p.value };
}

/** Parameters of a listing that mean nothing to a stream or download URL (a query constant may carry them along). */
const PAGING = /^(?:limit|offset|linked_partitioning)$/;

/**
 * `track.stream_url + KEY` (or `${track.stream_url}${KEY}`), KEY a constant of the app holding the
 * whole query, `'?client_id=abc'` (`&limit=50` after it, the same constant serving the app's
 * searches, means nothing to a stream): the URL is the stream property alone. Only when the
 * constant's text is known (the rule read it: a literal `const`, also imported) and is the
 * client_id and paging parameters, nothing else.
 */
function queryConstant(text: string, p: ParamSite, root: N): { url: string; value: N; inline: string } | undefined {
  const ps = pieces(root);
  if (!ps || ps.length !== 2 || p.value === undefined) return undefined;
  const [lead, key] = ps as [string | N, string | N];
  if (typeof lead === 'string' || typeof key === 'string') return undefined;
  const k = unwrap(key);
  if (!(k.type === 'Identifier' || k.type === 'MemberExpression' && !k.computed)) return undefined;
  const l = unwrap(lead);
  if (l.type !== 'MemberExpression' || !STREAM_PROP.test(propName(l) ?? '')) return undefined;
  const m = /^\uFFFC\?([^#]*)$/.exec(p.url.text);
  if (!m) return undefined;
  const params = m[1]!.split('&').map((kv) => kv.split('=')[0]!);
  if (params[0] !== p.name || params.slice(1).some((n) => !PAGING.test(n))) return undefined;
  return { url: text.slice(l.range[0], l.range[1]), value: k, inline: p.value };
}

/** A stream or download URL of the public API (by its path, or the property it starts from). */
export function isStreamUrl(p: ParamSite, root: N): boolean {
  if (p.url.host && !/^api\.soundcloud\.com$/i.test(p.url.host)) return false;
  if (STREAM_PATH.test(p.url.path) || STREAM_PATH.test(p.url.text)) return true;
  // `${track.stream_url}?client_id=${id}`, track.stream_url + '?client_id=' + id: the string starts with the property
  let lead: N | undefined = unwrap(root);
  while (lead?.type === 'BinaryExpression') lead = unwrap(lead.left as N);
  if (lead?.type === 'TemplateLiteral') lead = lead.quasis[0]!.value.raw === '' ? unwrap(lead.expressions[0] as N) : undefined;
  // (also a local named for it: `const { streamUrl } = media.sourceData`, a parameter `stream_url`)
  return (lead?.type === 'MemberExpression' && STREAM_PROP.test(propName(lead) ?? '')) || (lead?.type === 'Identifier' && STREAM_PROP.test(lead.name));
}

/** A placeholder of a URL template: `{id}`, `%track.id%`, `/:id`. */
const PLACEHOLDER = /(?<!\$)\{\w+\}|%[A-Za-z_][\w.]*%|\/:[A-Za-z_]\w*/;
export const hasPlaceholder = (text: string): boolean => PLACEHOLDER.test(text);

export const streamUrlProvider: Provider = (ctx) => {
  const browser = isBrowserCode(ctx);
  // the server module needs a server (its credentials); the browser one an ES module with a backend
  // (a phone or desktop shell: only the stream route's URL, once the module names the backend)
  if (browser ? !moduleStyleOf(ctx) || shellWithoutRoute(ctx, ctx.tokenEndpoint) : serverByDefaultInUiProject(ctx.filename, ctx.text, ctx.project)) return [];
  const shell = browser && nativeShell(ctx);
  const facts = factsOf(ctx);
  const edits: TextEdit[] = [];
  let sync = false;
  for (const f of findingsOf(ctx, 'no-client-id-auth', browser ? 'clientIdBrowser' : 'clientId')) {
    const p = clientIdParamAt(facts, f);
    if (!p || p.via !== 'text' || isApiV2(p.url.host)) continue;
    const root = stringRoot(p.report);
    const site = shell ? undefined : sinkSite(root, facts);
    const wait = site && awaitable(site, ctx.text);
    // a URL template filled in later (`'.../tracks/{id}/stream?client_id=...'` and `.replace('{id}', ...)`):
    // wrapped, its placeholder would be escaped inside the route's URL and never replaced
    if (hasPlaceholder(ctx.text.slice(root.range[0], root.range[1]))) continue;
    if (!isStreamUrl(p, root)) {
      // `addClientId(url, sep) => `${url}${sep}client_id=${ID}``, every call of which in the project hands it a stream URL
      const lead = browser && streamHelperParam(root, p, ctx);
      if (lead) { edits.push({ range: root.range, text: `${STREAM_SRC}(${lead})` }); sync = true; }
      continue;
    }
    const url = urlWithout(ctx.text, p, facts, root);
    if (!url) continue;
    if (!site || !wait?.ok) {
      // browser code that needs the URL now (render time, a selector, a synchronous play()): the
      // backend's stream route, whose URL is built at once and answers 302 to the signed media
      if (!browser) continue;
      edits.push({ range: root.range, text: `${STREAM_SRC}(${url.url})` });
      sync = true;
      continue;
    }
    if (!wait.ok) continue;
    let call = `${STREAM_NAME}(${url.url})`;
    if (browser) {
      const id = idArgument(ctx.text, url.value, url.inline);
      if (!id) continue;
      call = `${STREAM_NAME}(${url.url}, ${id})`;
    }
    edits.push({ range: root.range, text: `await ${call}` }, ...(wait.edit ? [wait.edit] : []));
  }
  if (!edits.length) return [];
  const style = browser ? moduleStyleOf(ctx)! : moduleStyle(ctx);
  const names = edits.some((e) => e.text.startsWith('await ')) ? [STREAM_NAME] : [];
  if (sync) names.push(STREAM_SRC);
  const imp = browser ? browserImportEdit(ctx, style as 'esm' | 'ts', ctx.tokenEndpoint ?? DEFAULT_TOKEN_ENDPOINT, names, sync ? withStreamSrc : undefined) : clientImportEdit(ctx, style, names);
  if (!imp && !names.every((n) => new RegExp(`\\b${n}\\b`).test(ctx.text))) return [];
  // two chain callbacks made async at the same place would be one edit
  const unique = edits.filter((e, i) => edits.findIndex((x) => x.range[0] === e.range[0] && x.range[1] === e.range[1] && x.text === e.text) === i);
  return [{ ruleId: 'no-client-id-auth', edits: imp ? [...unique, imp] : unique }];
};

/** The pieces of a URL joined with `+` or a template: strings and expressions, in order. */
function pieces(x: N): (string | N)[] | undefined {
  const u = unwrap(x);
  if (u.type === 'Literal' && typeof u.value === 'string') return [u.value];
  if (u.type === 'TemplateLiteral') return u.quasis.flatMap((q, i) => [q.value.cooked ?? q.value.raw, ...(i < u.expressions.length ? [u.expressions[i] as N] : [])]).filter((v) => v !== '');
  if (u.type === 'BinaryExpression' && u.operator === '+') { const l = pieces(u.left as N); const r = pieces(u.right as N); return l && r ? [...l, ...r] : undefined; }
  return [u];
}

/** A stream or download URL as a call's argument: `track.stream_url`, `stream_url`, `'/tracks/1/stream'`. */
function streamArgument(a: N): boolean {
  const x = unwrap(a);
  if (x.type === 'MemberExpression') return STREAM_PROP.test(propName(x) ?? '');
  if (x.type === 'Identifier') return STREAM_PROP.test(x.name);
  const ps = pieces(x);
  const text = ps?.map((v) => (typeof v === 'string' ? v : '${}')).join('') ?? '';
  return /^(?:https?:)?\/\/api\.soundcloud\.com\//i.test(text) && STREAM_PATH.test(text.replace(/\$\{\}/g, 'x'));
}

/** A string literal, or a module's own `const` or an import (a value no call of the helper changes). */
function isConstant(x: N): boolean {
  const u = unwrap(x);
  if (u.type === 'Literal') return typeof u.value === 'string';
  if (u.type !== 'Identifier') return false;
  const b = resolveBinding(u);
  return !!b && isModuleBinding(b) && (b.kind === 'import' || b.kind === 'var' && b.declKind === 'const');
}

/** Every node of a tree (no `parent` links followed). */
function walk(n: unknown, visit: (x: N) => void): void {
  if (!n || typeof n !== 'object') return;
  if (Array.isArray(n)) { for (const c of n) walk(c, visit); return; }
  const x = n as N;
  if (typeof x.type !== 'string') return;
  visit(x);
  for (const k of Object.keys(x)) if (k !== 'parent' && k !== 'range' && k !== 'loc') walk((x as unknown as Record<string, unknown>)[k], visit);
}

/**
 * A helper of browser code that appends the client_id to the URL it is given, returned as it is
 * built: `export function addClientId(url, sep) { return `${url}${sep}client_id=${ID}`; }`
 * (the URL parameter first, then only `?` / `&` or a parameter for it, the client_id and its value).
 * When every reference to it in the project is its import or a call handing it a stream or
 * download URL (`addClientId(track.stream_url, '?')` in an `<audio src>`), it returns the stream
 * route's URL: the name of the URL parameter, else undefined (the marker stays).
 */
function streamHelperParam(root: N, p: ParamSite, ctx: ProviderContext): string | undefined {
  if (!ctx.project || (p.url.host && !/^api\.soundcloud\.com$/i.test(p.url.host))) return undefined;
  const fn = enclosingFunction(root);
  if (!isFn(fn) || fn.generator) return undefined;
  const returned = fn.type === 'ArrowFunctionExpression' && fn.body === root || root.parent?.type === 'ReturnStatement' && root.parent.parent === fn.body;
  if (!returned) return undefined;
  const ps = pieces(root);
  const lead = ps?.[0];
  if (!ps || !lead || typeof lead === 'string' || lead.type !== 'Identifier') return undefined;
  const index = fn.params.findIndex((x) => x.type === 'Identifier' && x.name === lead.name);
  if (index < 0) return undefined;
  // then `?`/`&` (a literal, or another parameter), `client_id=`, its value, and nothing more
  const rest = ps.slice(1);
  const sepParam = (v: string | N | undefined) => typeof v !== 'string' && v?.type === 'Identifier' && fn.params.some((x) => x.type === 'Identifier' && x.name === v.name && x.name !== lead.name);
  const head = sepParam(rest[0]) ? rest.slice(1) : rest;
  const shapes = typeof head[0] === 'string' && /^[?&]?client_id=$/.test(head[0]) && head.length === 2 && typeof head[1] !== 'string'
    || typeof head[0] === 'string' && /^[?&]?client_id=\w+$/.test(head[0]) && head.length === 1
    // `${url}?${CLIENT_ID_PARAM}` (a constant `client_id=${ID}`, also imported), `${url}?${'client_id=abc'}`: the rule read
    // the text after the URL, which is the client_id alone
    || head.length === 2 && typeof head[0] === 'string' && /^[?&]$/.test(head[0]) && typeof head[1] !== 'string' && isConstant(head[1]!)
      && /^\uFFFC[?&]client_id=(?:[^&#?\uFFFC]*|\uFFFC)$/.test(p.url.text);
  if (!shapes) return undefined;
  // the helper's name: a module-level function declaration or `const name = (...) =>`
  const decl = fn.type === 'FunctionDeclaration' ? fn.id : fn.parent?.type === 'VariableDeclarator' && fn.parent.id.type === 'Identifier' ? fn.parent.id : undefined;
  const holder = fn.type === 'FunctionDeclaration' ? fn : fn.parent?.parent;
  const top = holder?.parent?.type === 'ExportNamedDeclaration' ? holder.parent.parent : holder?.parent;
  if (!decl || top?.type !== 'Program') return undefined;
  const name = decl.name;
  const own = ctx.filename;
  const named = new RegExp(`(?<![\\w$])${name.replace(/\$/g, '\\$')}(?![\\w$])`);
  const files = [{ abs: own, text: ctx.text }];
  for (const abs of projectFiles(ctx.project)) {
    if (abs === own) continue;
    const text = ctx.project.readFile(abs);
    if (text === undefined || !named.test(text)) continue;
    // a page, a .vue or .svelte file naming it: its calls are not read here
    if (!/\.(m|c)?[jt]sx?$/i.test(abs)) return undefined;
    files.push({ abs, text });
  }
  let calls = 0;
  for (const f of files) {
    let parsed: { ast: unknown } | undefined;
    try { parsed = f.abs === own ? ctx.parsed : parseFile(f.text, f.abs); } catch { return undefined; }
    if (!parsed) return undefined;
    let ok = true;
    const parents = new Map<N, N>();
    walk(parsed.ast, (x) => { for (const k of Object.keys(x)) { if (k === 'parent') continue; const v = (x as unknown as Record<string, unknown>)[k]; for (const c of Array.isArray(v) ? v : [v]) if (c && typeof c === 'object' && typeof (c as N).type === 'string') parents.set(c as N, x); } });
    walk(parsed.ast, (x) => {
      if (!ok || x.type !== 'Identifier' || x.name !== name) return;
      const up = parents.get(x);
      if (f.abs === own && x.range[0] === decl.range[0]) return;
      if (up?.type === 'ExportSpecifier' && f.abs === own) { ok = up.local.type === 'Identifier' && up.local.name === name && up.exported.type === 'Identifier' && up.exported.name === name; return; }
      if (up?.type === 'ImportSpecifier') { ok = up.imported.type === 'Identifier' && up.imported.name === name && up.local.name === name && f.abs !== own; return; }
      if (up?.type === 'CallExpression' && up.callee === x) {
        const a = up.arguments[index];
        ok = !!a && a.type !== 'SpreadElement' && !up.arguments.some((y) => y.type === 'SpreadElement') && streamArgument(a as N);
        calls++;
        return;
      }
      // a property key of the same text is another thing (`ns.name(...)` through a namespace import is not followed: the marker stays)
      if (up?.type === 'Property' && up.key === x && !up.computed && up.value !== x) return;
      // so is a property read or a declared field of that name (`track.streamUrl`, `streamUrl: string;` of an interface)
      if (up?.type === 'MemberExpression' && up.property === x && !up.computed) return;
      if ((up?.type === 'TSPropertySignature' || up?.type === 'PropertyDefinition') && up.key === x && !up.computed) return;
      ok = false;
    });
    if (!ok) return undefined;
  }
  return calls ? lead.name : undefined;
}
