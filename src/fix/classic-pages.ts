/**
 * no-client-id-auth in CLASSIC browser pages: an HTML page loads plain scripts
 * (`<script src="js/app.js">`) with no module system, so the ES module of browser-client.ts cannot
 * be imported. The requests take the app token from a classic-script variant of that client
 * (`soundcloud-browser-client.js` beside the script, a free name): it defines ONE global,
 * `window.soundcloudBrowserClient`, asks the app's backend route (createTokenEndpoint of
 * sc-migrate/runtime, docs/runtime.md) for the app token and caches it until it expires. Every HTML
 * page of the project that loads a rewritten script gets a `<script src>` of the client right
 * before that script's tag (apply.ts: classicPageEdits); when the pages that load the script are
 * not known for certain (none, a root-relative or templated src, a page of a module bundler), the
 * marker stays.
 *
 * Requests (client_id removed, `Authorization: OAuth <token>` sent by the client once the token is there):
 * - jQuery `$.getJSON(url, data?, success?)`, `$.get(url, data?, success?)`, `$.ajax({ ... })` whose
 *   result is unused or heads a `.done/.fail/.always/.then` chain ending its statement: the request
 *   waits for the token as a jQuery promise, `soundcloudBrowserClient.jqueryAccessToken(id).then(function (token) {
 *   return $.ajax({ ..., headers: { Authorization: 'OAuth ' + token } }) })` (jQuery 1.8+ `.then`
 *   chains; callbacks of the chain may take one argument, what jQuery 3 hands on). Not JSONP.
 * - `fetch(url)` heading a promise chain that ends its function (browser-client.ts chainWait), or in
 *   an async function.
 * - XMLHttpRequest: the send waits for the token and sets the header (xhrEdits).
 * - A stream or download URL that no request of the script sends (`audio.src = track.stream_url +
 *   '?client_id=' + ID`, a returned or stored URL): `soundcloudBrowserClient.soundcloudStreamSrc(track.stream_url)`,
 *   a URL built at once of the backend's stream route (createStreamEndpoint of sc-migrate/runtime, next to
 *   the token route), which answers 302 to the track's signed media: what streams.ts writes in ES modules.
 * Left to the marker: requests whose result is kept or returned, synchronous requests, JSONP.
 */
import type { TSESTree } from '@typescript-eslint/typescript-estree';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { runsInBrowser } from '../engine/analysis/browser.js';
import type { RequestInfo } from '../engine/analysis/requests.js';
import { propName, unwrap } from '../engine/analysis/values.js';
import type { TextEdit } from '../engine/types.js';
import type { FileFacts, ParamSite } from '../engine/analysis/facts.js';
import type { Provider, ProviderContext } from './providers.js';
import {
  atSite, clientIdParamAt, enclosingFunction, eolOf, factsOf, findingsOf, isApiV2, quoteOf, readText, removeInlineParam, removeParam, requestOfParam, sameScope, stringRoot,
} from './rewrites.js';
import { GENERATED_HEAD, freeModulePath } from './safety.js';
import { DEFAULT_TOKEN_ENDPOINT, idArgument, nativeShell, SHELL_ENDPOINT, STREAM_SRC, urlVarOnlyFor, xhrEdits } from './browser-client.js';
import { hasPlaceholder, isStreamUrl, urlWithout } from './streams.js';
import { styleOf } from './style.js';
import { angularConfigEdit, hasAngularConfig, angularJsonp, registrationOf, withClassicAngular, withoutEmptyParams } from './angularjs.js';

type N = TSESTree.Node;

/** The head of a generated classic script (not an ES module: browser-client.ts's BROWSER_HEAD is the module's). */
export const CLASSIC_HEAD = `${GENERATED_HEAD} (classic browser script)`;
/** The one global the classic client defines. */
export const CLASSIC_GLOBAL = 'soundcloudBrowserClient';
const CLASSIC_NAME = 'soundcloud-browser-client';

/** The classic-script client: one global, the token from the backend route, cached until it expires. */
export function classicClientText(like: string, endpoint = DEFAULT_TOKEN_ENDPOINT): string {
  const q = quoteOf(like);
  const s = styleOf(like).semi ? ';' : '';
  const shell = endpoint === SHELL_ENDPOINT;
  const lines = [
    `${CLASSIC_HEAD}: app tokens for the page's SoundCloud requests.`,
    '// SoundCloud refuses `client_id` alone, and a browser must never hold the client secret:',
    `// the tokens come from YOUR backend, which must serve POST ${shell ? 'SOUNDCLOUD_TOKEN_ENDPOINT (below)' : endpoint}`,
    '// with createTokenEndpoint from sc-migrate/runtime (it holds the secret and hands out one',
    '// cached, shared app token; see sc-migrate\'s docs/runtime.md). Load this script before the',
    `// scripts that use window.${CLASSIC_GLOBAL}.`,
    `window.${CLASSIC_GLOBAL} = window.${CLASSIC_GLOBAL} || (function () {`,
    shell
      ? '  // Your backend\'s token route by its full URL (https://<your backend>/api/soundcloud/token):\n  // a phone or desktop app has no same-origin backend. Set it: until then tokens are refused.'
      : '  // Your backend\'s token route (same origin; a full URL when the backend runs elsewhere).',
    `  var SOUNDCLOUD_TOKEN_ENDPOINT = ${q}${endpoint}${q}${s}`,
    `  var tokens = {}${s}`,
    '',
    '  /** An app access token for `Authorization: OAuth <token>` (cached until it nearly expires). */',
    '  function soundcloudAccessToken(clientId) {',
    `    var id = clientId || ${q}${q}${s}`,
    `    var now = Date.now()${s}`,
    `    if (tokens[id] && tokens[id].until > now) return tokens[id].token${s}`,
    `    if (!SOUNDCLOUD_TOKEN_ENDPOINT) return Promise.reject(new Error(${q}SOUNDCLOUD_TOKEN_ENDPOINT is not set (your backend token route)${q}))${s}`,
    '    var token = fetch(SOUNDCLOUD_TOKEN_ENDPOINT, {',
    `      method: ${q}POST${q},`,
    `      headers: { ${q}Content-Type${q}: ${q}application/x-www-form-urlencoded${q}, Accept: ${q}application/json${q} },`,
    `      body: ${q}grant_type=client_credentials${q} + (id ? ${q}&client_id=${q} + encodeURIComponent(id) : ${q}${q}),`,
    '    }).then(function (res) {',
    `      if (!res.ok) throw new Error(${q}token endpoint answered ${q} + res.status)${s}`,
    `      return res.json()${s}`,
    '    }).then(function (body) {',
    `      if (!body || !body.access_token) throw new Error(${q}token endpoint answered without an access_token${q})${s}`,
    `      tokens[id].until = Date.now() + Math.max(0, (Number(body.expires_in) || 3600) - 60) * 1000${s}`,
    `      return body.access_token${s}`,
    `    })${s}`,
    `    tokens[id] = { token: token, until: Infinity }${s}`,
    `    token.catch(function () { delete tokens[id]${s} })${s}`,
    `    return token${s}`,
    '  }',
    '',
    '  /** fetch(url, init) with the app token in the Authorization header. */',
    '  function soundcloudFetch(url, init, clientId) {',
    '    return soundcloudAccessToken(clientId).then(function (token) {',
    `      var headers = new Headers((init && init.headers) || {})${s}`,
    `      headers.set(${q}Authorization${q}, ${q}OAuth ${q} + token)${s}`,
    `      return fetch(url, Object.assign({}, init, { headers: headers }))${s}`,
    `    })${s}`,
    '  }',
    '',
    '  /** $.ajax(settings) with the app token in the Authorization header: a jQuery promise. */',
    '  function ajax(settings, clientId) {',
    `    var $ = window.jQuery${s}`,
    `    var pending = jqueryAccessToken(clientId)${s}`,
    '    // no token (the route refused, or is not served yet): the request\'s own error and complete',
    '    // callbacks run, as they would for a failed request (a spinner they hide does not stay up)',
    '    pending.fail(function (error) {',
    `      var why = String((error && error.message) || error)${s}`,
    `      var xhr = { readyState: 4, status: 0, statusText: ${q}error${q}, responseText: why }${s}`,
    `      var context = settings.context || settings${s}`,
    `      $.each([].concat(settings.error || []), function (i, f) { f.call(context, xhr, ${q}error${q}, why)${s} })${s}`,
    `      $.each([].concat(settings.complete || []), function (i, f) { f.call(context, xhr, ${q}error${q})${s} })${s}`,
    `    })${s}`,
    '    // pipe: the promise of the request (jQuery 1.6 to 3; then does the same from 1.8 on)',
    '    return (pending.pipe || pending.then).call(pending, function (token) {',
    `      var headers = $.extend({}, settings.headers, { Authorization: ${q}OAuth ${q} + token })${s}`,
    `      return $.ajax($.extend({}, settings, { headers: headers }))${s}`,
    `    })${s}`,
    '  }',
    '',
    '  /** The app token as a jQuery promise. */',
    '  function jqueryAccessToken(clientId) {',
    `    var deferred = window.jQuery.Deferred()${s}`,
    '    soundcloudAccessToken(clientId).then(function (token) {',
    `      deferred.resolve(token)${s}`,
    '    }, function (error) {',
    `      deferred.reject(error)${s}`,
    `    })${s}`,
    `    return deferred.promise()${s}`,
    '  }',
    '',
    '  return {',
    '    soundcloudAccessToken: soundcloudAccessToken,',
    '    soundcloudFetch: soundcloudFetch,',
    '    ajax: ajax,',
    '    jqueryAccessToken: jqueryAccessToken,',
    `  }${s}`,
    `})()${s}`,
  ];
  const eol = eolOf(like);
  return lines.join(eol) + eol;
}

/**
 * The classic client with `soundcloudStreamSrc(track)`: the URL of the backend's stream route
 * (createStreamEndpoint of sc-migrate/runtime, next to the token route) for a track, its id or its
 * stream / download URL, built at once (the runtime's streamRouteOf + streamSrc, written for a page
 * without modules). The route asks SoundCloud with the app token and answers 302 to the signed media;
 * the URL never expires, so it may be stored, returned or put in `<audio src>`. Unchanged when the
 * client has it, or is not a classic client of sc-migrate.
 */
export function withClassicStreamSrc(client: string): string {
  if (!client.startsWith(CLASSIC_HEAD) || client.includes(STREAM_SRC)) return client;
  const m = /^  var SOUNDCLOUD_TOKEN_ENDPOINT = (['"]).*?\1(;?)\r?$/m.exec(client);
  const at = client.indexOf('\n  return {\n') >= 0 ? client.indexOf('\n  return {\n') : client.indexOf('\r\n  return {\r\n');
  if (!m || at < 0) return client;
  const q = m[1]!;
  const s = m[2]!;
  const eol = eolOf(client);
  const block = [
    '',
    `  var TRACK_ID = /^(?:soundcloud:tracks:)?(\\d+)$/${s}`,
    '',
    '  /**',
    '   * A URL that plays at once (`<audio src>`, a player, a link) for a track, its id or its stream URL:',
    '   * your backend\'s stream route (createStreamEndpoint of sc-migrate/runtime, next to the token route)',
    '   * answers 302 to the track\'s signed media, asking SoundCloud with the app token.',
    '   */',
    `  function ${STREAM_SRC}(track) {`,
    `    if (!SOUNDCLOUD_TOKEN_ENDPOINT) throw new Error(${q}SOUNDCLOUD_TOKEN_ENDPOINT is not set (your backend token route)${q})${s}`,
    `    if (track === null || track === undefined || track === ${q}${q}) return ${q}${q}${s}`,
    `    var bare = SOUNDCLOUD_TOKEN_ENDPOINT.replace(/[?#].*$/, ${q}${q})${s}`,
    `    var route = /\\/[^/]*$/.test(bare) ? bare.replace(/\\/[^/]*$/, ${q}/stream${q}) : ${q}stream${q}${s}`,
    `    var value = track${s}`,
    `    if (typeof track === ${q}object${q}) {`,
    `      value = track.id !== null && track.id !== undefined && TRACK_ID.test(String(track.id))`,
    '        ? track.id',
    `        : track.stream_url || track.streamUrl || track.download_url || track.uri${s}`,
    `      if (!value) return ${q}${q}${s}`,
    '    }',
    `    var text = String(value).trim()${s}`,
    `    var join = route.indexOf(${q}?${q}) === -1 ? ${q}?${q} : ${q}&${q}${s}`,
    `    var id = TRACK_ID.exec(text)${s}`,
    `    if (id) return route + join + ${q}id=${q} + id[1]${s}`,
    `    var url = text.replace(/([?&])(?:client_id|oauth_token)=[^&#]*&?/g, ${q}$1${q}).replace(/[?&]$/, ${q}${q})${s}`,
    `    return route + join + ${q}url=${q} + encodeURIComponent(url)${s}`,
    '  }',
    '',
  ];
  const head = client.slice(0, at);
  const rest = client.slice(at).replace(`  return {${eol}`, `  return {${eol}    ${STREAM_SRC}: ${STREAM_SRC},${eol}`);
  return head + block.join(eol) + rest;
}

// ---------------------------------------------------------------- pages

const SKIP_DIRS = /^(node_modules|\.git|bower_components|jspm_packages|vendor|dist|build|out|coverage)$/;
const pageCache = new Map<string, { file: string; text: string }[]>();

/** Forgets the pages read (fixFiles calls it once per run: pages are read once per run, never from an earlier one). */
export function resetPages(): void { pageCache.clear(); }

/** The project's HTML pages (a bounded walk; generated and package folders skipped). */
function htmlPages(root: string): { file: string; text: string }[] {
  const hit = pageCache.get(root);
  if (hit) return hit;
  const out: { file: string; text: string }[] = [];
  let budget = 20000;
  const walk = (d: string) => {
    let es: import('node:fs').Dirent[];
    try { es = readdirSync(d, { withFileTypes: true }); } catch { return; }
    for (const e of es) {
      if (--budget < 0) return;
      if (e.isDirectory()) { if (!SKIP_DIRS.test(e.name)) walk(join(d, e.name)); continue; }
      if (!/\.html?$/i.test(e.name)) continue;
      const p = join(d, e.name);
      try { if (statSync(p).size < 2_000_000) out.push({ file: p, text: readFileSync(p, 'utf8') }); } catch { /* unreadable */ }
    }
  };
  walk(root);
  pageCache.set(root, out);
  return out;
}

/** `<script ... src="x">` tags of a page: the tag's start, its src and quote, whether it is a module. */
export function scriptTags(html: string): { start: number; src: string; quote: string; module: boolean }[] {
  const out: { start: number; src: string; quote: string; module: boolean }[] = [];
  const masked = html.replace(/<!--[\s\S]*?-->/g, (m) => ' '.repeat(m.length));
  for (const m of masked.matchAll(/<script\b([^>]*)>/gi)) {
    const src = /\bsrc\s*=\s*(["'])([^"']*)\1/i.exec(m[1]!);
    if (!src) continue;
    out.push({ start: m.index!, src: src[2]!, quote: src[1]!, module: /\btype\s*=\s*["']?module\b/i.test(m[1]!) });
  }
  return out;
}

/** A src that names a file relative to its page (no scheme, host, root, query or template). */
const relativeSrc = (src: string) => !!src && !/^([a-z][\w+.-]*:|\/|#)|[?{}<>%$]/i.test(src);

/**
 * The pages that load the classic script `file` by a relative `<script src>`, or undefined when
 * that is not certain: no page, a page that names the script's file name another way (root-relative,
 * a template), or as a module.
 */
export function pagesLoading(file: string, root: string): { file: string; text: string; tags: number[] }[] | undefined {
  const base = file.split(sep).pop()!;
  const out: { file: string; text: string; tags: number[] }[] = [];
  for (const page of htmlPages(root)) {
    const tags: number[] = [];
    for (const t of scriptTags(page.text)) {
      const named = t.src.split(/[?#]/)[0]!.split('/').pop() === base;
      if (!named) continue;
      if (!relativeSrc(t.src) || t.module) return undefined;
      if (resolve(dirname(page.file), t.src) === file) tags.push(t.start);
    }
    // a page that names the file elsewhere (a loader's list, a template): not certain
    if (!tags.length && page.text.includes(base)) return undefined;
    if (tags.length) out.push({ ...page, tags });
  }
  return out.length ? out : undefined;
}

/** The page with a `<script src>` of the client before each tag of the script (its line's indentation kept); unchanged when it has one. */
export function pageWithClient(page: { file: string; text: string; tags: number[] }, client: string): string {
  let spec = relative(dirname(page.file), client).split(sep).join('/');
  const loaded = scriptTags(page.text).filter((t) => relativeSrc(t.src) && resolve(dirname(page.file), t.src) === client);
  let text = page.text;
  let tags = scriptTags(text).filter((t) => page.tags.includes(t.start));
  const first = Math.min(...tags.map((t) => t.start));
  if (loaded.length && loaded[0]!.start < first) return page.text;
  if (loaded.length) {
    // the client is loaded after this script (added for a script below it): it moves up, as a script
    // may read the global while it loads (AngularJS: `M.config(soundcloudBrowserClient.angularConfig)`)
    const t = loaded[0]!;
    const lineStart = text.lastIndexOf('\n', t.start - 1) + 1;
    const close = /^<script\b[^>]*><\/script>[ \t]*\r?\n/i.exec(text.slice(t.start));
    if (!close || !/^[ \t]*$/.test(text.slice(lineStart, t.start))) return page.text;
    text = text.slice(0, lineStart) + text.slice(t.start + close[0].length);
    tags = scriptTags(text).filter((x) => page.tags.includes(x.start));
  }
  // (a tag inside a block a build tool regenerates, `<!-- injector:js -->` ... `<!-- endinjector -->`
  // of grunt-asset-injector / gulp-inject, goes before the block: regenerated in sorted order, the
  // block would lose it, or load it after the script)
  const done = new Set<number>();
  for (const t of [...tags].sort((a, b) => b.start - a.start)) {
    const at = injectedBlockStart(text, t.start) ?? t.start;
    if (done.has(at)) continue;
    done.add(at);
    const lineStart = text.lastIndexOf('\n', at - 1) + 1;
    const lead = text.slice(lineStart, at);
    const tag = `<script src=${t.quote}${spec}${t.quote}></script>`;
    const insert = /^[ \t]*$/.test(lead) ? `${tag}${eolOf(text)}${lead}` : tag;
    text = text.slice(0, at) + insert + text.slice(at);
  }
  return text;
}

const INJECT_OPEN = /<!--\s*(?:injector|inject|bower)(?::\w+)*\s*-->/gi;
const INJECT_CLOSE = /<!--\s*end(?:injector|inject|bower)\s*-->/i;

/** The start of the generated block (`<!-- injector:js -->`, `<!-- inject:js -->`, `<!-- bower:js -->`) a tag sits in. */
function injectedBlockStart(text: string, at: number): number | undefined {
  let open: number | undefined;
  INJECT_OPEN.lastIndex = 0;
  for (let m; (m = INJECT_OPEN.exec(text)) && m.index < at;) open = m.index;
  if (open === undefined) return undefined;
  const close = INJECT_CLOSE.exec(text.slice(open));
  return close && open + close.index > at ? open : undefined;
}

// ---------------------------------------------------------------- the scripts

/** A script of a page, with no module system: no import/export, require, define or module.exports. */
function classicScript(ctx: ProviderContext): boolean {
  if (!/\.js$/i.test(ctx.filename)) return false;
  if (ctx.parsed.ast.body.some((s) => s.type === 'ImportDeclaration' || s.type.startsWith('Export'))) return false;
  return !/\brequire\s*\(|\bdefine\s*\(|\bmodule\.exports\b|\bexports\.\w|\bimport\s*\(/.test(ctx.text);
}

const JQ_METHODS = new Set(['getJSON', 'get', 'ajax']);
const JQ_CHAIN = /^(done|fail|always|then)$/;
const isFn = (n: N | undefined): n is TSESTree.FunctionExpression | TSESTree.ArrowFunctionExpression => !!n && (n.type === 'FunctionExpression' || n.type === 'ArrowFunctionExpression');

/** The text of `node` with the edits inside it applied. */
function sliceWith(text: string, node: N, edits: TextEdit[]): string {
  const [a, b] = node.range;
  let out = text.slice(a, b);
  for (const e of [...edits].filter((x) => x.range[0] >= a && x.range[1] <= b).sort((x, y) => y.range[0] - x.range[0])) {
    out = out.slice(0, e.range[0] - a) + e.text + out.slice(e.range[1] - a);
  }
  return out;
}

/**
 * A jQuery request with the app token: `$.getJSON(url, data, success)` becomes
 * `soundcloudBrowserClient.ajax({ url: url, data: data, dataType: 'json', success: success }, id)`,
 * `$.ajax({ ... })` becomes `soundcloudBrowserClient.ajax({ ... }, id)` (its settings are read at
 * the call, as before; the client adds the header once the token is there), the chain kept.
 */
function jqueryEdits(text: string, r: RequestInfo, id: string, removal: TextEdit[]): TextEdit[] | undefined {
  const call = r.call;
  const callee = call.callee;
  if (callee.type !== 'MemberExpression' || callee.object.type !== 'Identifier' || !/^(\$|jQuery)$/.test(callee.object.name)) return undefined;
  const m = propName(callee) ?? '';
  if (!JQ_METHODS.has(m) || call.arguments.some((a) => a.type === 'SpreadElement')) return undefined;
  const body = text.slice(call.range[0], call.range[1]);
  // JSONP sends no header; a synchronous request cannot wait for the token
  if (/jsonp|callback=\?|\basync\s*:\s*false/i.test(body)) return undefined;
  // the result: unused, or the head of a chain of .done/.fail/.always/.then whose callbacks take at most one argument
  let e: N = call;
  while (e.parent?.type === 'MemberExpression' && e.parent.object === e && e.parent.parent?.type === 'CallExpression' && e.parent.parent.callee === e.parent) {
    if (!JQ_CHAIN.test(propName(e.parent) ?? '')) return undefined;
    const args = e.parent.parent.arguments as N[];
    if (!args.every((a) => isFn(a) && a.params.length <= 1)) return undefined;
    e = e.parent.parent;
  }
  if (e.parent?.type !== 'ExpressionStatement') return undefined;
  const q = quoteOf(text);
  const a = call.arguments as N[];
  let settings: string;
  if (m === 'ajax') {
    const opts = a.length === 1 ? unwrap(a[0]!) : undefined;
    if (opts?.type !== 'ObjectExpression' || !opts.properties.length) return undefined;
    settings = sliceWith(text, a[0]!, removal);
  } else {
    // $.getJSON(url, data?, success?) / $.get(url, data?, success?): the same request as $.ajax settings
    if (!a.length || a.length > 3) return undefined;
    const [url, second, third] = a;
    const data = second && !isFn(unwrap(second)) ? second : undefined;
    const success = data ? third : second;
    if (data && third && !isFn(unwrap(third))) return undefined;
    if (success && !isFn(unwrap(success)) && success.type !== 'Identifier') return undefined;
    const props = [`url: ${sliceWith(text, url!, removal)}`];
    if (data) props.push(`data: ${sliceWith(text, data, removal)}`);
    if (m === 'getJSON') props.push(`dataType: ${q}json${q}`);
    if (success) props.push(`success: ${text.slice(success.range[0], success.range[1])}`);
    settings = `{ ${props.join(', ')} }`;
  }
  return [{ range: [call.range[0], call.range[1]], text: `${CLASSIC_GLOBAL}.ajax(${settings}, ${id})` }];
}

/** `fetch(url, init?)` becomes `soundcloudBrowserClient.soundcloudFetch(url, init, id)`: the same promise of the response, the header added. */
function fetchEdits(text: string, r: RequestInfo, id: string, removal: TextEdit[]): TextEdit[] | undefined {
  const call = r.call;
  const a = call.arguments as N[];
  if (call.callee.type !== 'Identifier' || call.callee.name !== 'fetch' || !a.length || a.length > 2 || a.some((x) => x.type === 'SpreadElement')) return undefined;
  // a header of its own named Authorization: not replaced
  if (a[1] && /authorization/i.test(text.slice(a[1].range[0], a[1].range[1]))) return undefined;
  const url = sliceWith(text, a[0]!, removal);
  const init = a[1] ? sliceWith(text, a[1], removal) : 'undefined';
  return [{ range: [call.range[0], call.range[1]], text: `${CLASSIC_GLOBAL}.soundcloudFetch(${url}, ${init}, ${id})` }];
}



/**
 * The host of a request whose URL is a name assigned once in its function, before the request,
 * by a string literal (`url = 'http://api.soundcloud.com/search'; $.getJSON(url, { client_id })`,
 * an undeclared global of a page script).
 */
function assignedHost(text: string, r: RequestInfo): string | undefined {
  const u = r.urlNode && unwrap(r.urlNode);
  const fn = enclosingFunction(r.call);
  if (u?.type !== 'Identifier' || !fn) return undefined;
  const name = u.name.replace(/\$/g, "\\$");
  const scope = text.slice(fn.range[0], fn.range[1]);
  const all = [...scope.matchAll(new RegExp(`(?<![\\w$.])${name}\\s*(=(?!=)|\\+=|\\+\\+|--)`, 'g'))];
  const m = new RegExp(`(?<![\\w$.])${name}\\s*=\\s*(['"])(https?://([^/'"?#]+)[^'"]*)\\1`).exec(scope);
  if (all.length !== 1 || !m || m.index !== all[0]!.index || fn.range[0] + m.index > r.call.range[0]) return undefined;
  return m[3];
}

/** A classic client made in this run has the AngularJS interceptor. */
const hasClassicAngular = (ctx: ProviderContext) => [...ctx.newFiles.values()].some((t) => t.startsWith(CLASSIC_HEAD) && hasAngularConfig(t));

/** Where a classic script's client goes: one made in this run in its folder, or a free name beside it. */
function classicClientPath(ctx: ProviderContext, endpoint: string): string | undefined {
  const dir = dirname(ctx.filename);
  const made = [...ctx.newFiles].find(([p, t]) => t.startsWith(CLASSIC_HEAD) && dirname(p) === dir)?.[0];
  if (made) return made;
  const p = freeModulePath(dir, CLASSIC_NAME, '.js', (x) => ctx.project?.readFile(x) ?? readText(x), new Set(ctx.newFiles.keys()));
  if (p === ctx.filename) return undefined;
  const existing = readText(p);
  if (existing !== undefined && !existing.startsWith(CLASSIC_HEAD)) return undefined;
  if (existing === undefined) {
    const made = classicClientText(ctx.text, !nativeShell(ctx) ? endpoint : SHELL_ENDPOINT);
    // one page may load two clients, the first one loaded defining the global: each has what another of this run has
    ctx.newFiles.set(p, hasClassicAngular(ctx) ? withClassicAngular(made, CLASSIC_HEAD) : made);
  }
  return p;
}

export const classicPageProvider: Provider = (ctx) => {
  if (!classicScript(ctx) || !(ctx.browser ?? runsInBrowser(ctx.filename, ctx.text, ctx.project))) return [];
  if (new RegExp(`\\b${CLASSIC_GLOBAL}\\b`).test(ctx.text) && !ctx.text.includes(`${CLASSIC_GLOBAL}.`)) return [];
  const root = ctx.project?.root ?? ctx.cwd;
  if (!root || !pagesLoading(ctx.filename, root)) return [];
  const facts = factsOf(ctx);
  const edits: TextEdit[] = [];
  const streams: TextEdit[] = [];
  const angular: TextEdit[] = [];
  for (const f of findingsOf(ctx, 'no-client-id-auth', 'clientIdBrowser')) {
    const p = clientIdParamAt(facts, f);
    if (!p) continue;
    const r = requestOfParam(p, facts);
    if (!r) { const e = streamSrcEdit(ctx.text, p, facts); if (e) streams.push(e); continue; }
    if (r.lib !== 'jquery' && r.lib !== 'fetch' && r.lib !== 'xhr' && r.lib !== 'angular') continue;
    const host = p.url.host ?? (p.via === 'object' ? assignedHost(ctx.text, r) : undefined);
    if (!host || !/^api\.soundcloud\.com$/i.test(host) || isApiV2(host)) continue;
    const param = removeParam(ctx.text, p, facts);
    const inline = param ? undefined : removeInlineParam(ctx.text, p);
    const rem = param ?? inline;
    if (!rem || !sameScope(rem.value, r)) continue;
    // the removal lies inside the request (its URL, data or settings), which is rewritten as one text,
    // or in the declaration of a URL variable that only this request reads
    const inside = rem.edits.every((x) => x.range[0] >= r.call.range[0] && x.range[1] <= r.call.range[1]);
    if (!inside && (r.lib === 'xhr' || !urlVarOnlyFor(ctx.text, r, rem.edits))) continue;
    if (r.lib === 'angular') {
      // AngularJS $http (angularjs.ts): the request is left as it is, less its client_id; the client's interceptor sends the token
      const reg = registrationOf(ctx.text, r.call, ctx.parsed.ast);
      if (!reg || angularJsonp(ctx.text, r)) continue;
      angular.push(...withoutEmptyParams(ctx.text, rem.holder, rem.removedAll, rem.edits));
      const c = angularConfigEdit(ctx.text, reg, CLASSIC_GLOBAL);
      if (c && !angular.some((e) => e.range[0] === c.range[0] && e.text === c.text)) angular.push(c);
      continue;
    }
    const id = idArgument(ctx.text, rem.value, inline ? p.value : undefined);
    if (!id) continue;
    const own = inside ? rem.edits : [];
    const out = r.lib === 'jquery' ? jqueryEdits(ctx.text, r, id, own)
      : r.lib === 'fetch' ? fetchEdits(ctx.text, r, id, own)
        : (() => { const w = xhrEdits(ctx.text, r, `${CLASSIC_GLOBAL}.soundcloudAccessToken(${id})`); return w && [...rem.edits, ...w]; })();
    if (out) edits.push(...(inside ? [] : rem.edits), ...out);
  }
  if (!edits.length && !streams.length && !angular.length) return [];
  const client = classicClientPath(ctx, ctx.tokenEndpoint ?? DEFAULT_TOKEN_ENDPOINT);
  if (!client) return [];
  if (angular.length) {
    // a client made in this run gets the interceptor; one of an earlier run without it is not used for $http (the marker stays)
    // (every client of this run: a page loading two of them keeps the first one's global)
    for (const [p, t] of ctx.newFiles) if (t.startsWith(CLASSIC_HEAD)) ctx.newFiles.set(p, withClassicAngular(t, CLASSIC_HEAD));
    if (hasAngularConfig(ctx.newFiles.get(client) ?? readText(client) ?? '')) edits.push(...angular);
  }
  if (streams.length) {
    // a client made in this run gets the stream route's function; one of an earlier run without it is not used for streams
    const made = ctx.newFiles.get(client);
    if (made !== undefined) ctx.newFiles.set(client, withClassicStreamSrc(made));
    // a stream URL inside a request rewritten as one text (`$.get(url, function (r) { audio.src = r.stream_url + ... })`) waits for the next pass
    const free = streams.filter((e) => !edits.some((x) => x.range[0] <= e.range[0] && e.range[1] <= x.range[1]));
    if ((ctx.newFiles.get(client) ?? readText(client) ?? '').includes(`function ${STREAM_SRC}(`)) edits.push(...free);
  }
  if (!edits.length) return [];
  return [{ ruleId: 'no-client-id-auth', edits }];
};

/**
 * A stream or download URL of the public API that no request of the script sends (`audio.src =
 * track.stream_url + '?client_id=' + ID`, a returned or stored URL): the backend's stream route,
 * `soundcloudBrowserClient.soundcloudStreamSrc(track.stream_url)`, a URL that plays with no credential
 * in the page. Not the JSON listing of a track's streams (`/tracks/1/streams`: an API request, not media).
 */
function streamSrcEdit(text: string, p: ParamSite, facts: FileFacts): TextEdit | undefined {
  if (p.via !== 'text' || isApiV2(p.url.host) || /\/streams(?:[/?#]|$)/.test(p.url.path) || /\/streams(?:[/?#]|$)/.test(p.url.text)) return undefined;
  const root = stringRoot(p.report);
  if (!isStreamUrl(p, root) || hasPlaceholder(text.slice(root.range[0], root.range[1]))) return undefined;
  const url = urlWithout(text, p, facts, root);
  if (!url) return undefined;
  return { range: root.range, text: `${CLASSIC_GLOBAL}.${STREAM_SRC}(${url.url})` };
}

/**
 * After fix: the classic clients the fixed scripts now use (created) and the pages that load those
 * scripts, each with a `<script src>` of the client before the script's tag (path -> new text).
 */
export function classicPageEdits(fixed: { abs: string; before: string; after: string }[], root: string, planned: ReadonlyMap<string, string>, read: (p: string) => string | undefined, current: (p: string) => string | undefined = () => undefined): { pages: Map<string, string>; clients: Set<string> } {
  const pages = new Map<string, string>();
  const clients = new Set<string>();
  const use = `${CLASSIC_GLOBAL}.`;
  for (const f of fixed) {
    if (!f.after.includes(use) || f.before.includes(use)) continue;
    const dir = dirname(f.abs);
    const client = [...planned].find(([p, t]) => t.startsWith(CLASSIC_HEAD) && dirname(p) === dir)?.[0]
      ?? [`${CLASSIC_NAME}.js`, ...Array.from({ length: 20 }, (_, i) => `${CLASSIC_NAME}-${i + 2}.js`)].map((n) => join(dir, n)).find((p) => read(p)?.startsWith(CLASSIC_HEAD));
    if (!client) continue;
    const loading = pagesLoading(f.abs, root);
    if (!loading) continue;
    clients.add(client);
    for (const page of loading) {
      const now = pages.get(page.file) ?? current(page.file) ?? page.text;
      // the tags' offsets of the current text (an earlier script may have added a tag above)
      const tags = scriptTags(now).filter((t) => relativeSrc(t.src) && resolve(dirname(page.file), t.src) === f.abs).map((t) => t.start);
      const next = pageWithClient({ file: page.file, text: now, tags }, client);
      if (next !== now) pages.set(page.file, next);
    }
  }
  return { pages, clients };
}
