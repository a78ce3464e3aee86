/**
 * no-client-id-auth in browser code: `?client_id=` requests to api.soundcloud.com become header
 * auth with an app token the browser gets from the app's OWN backend (a route serving
 * createTokenEndpoint of sc-migrate/runtime, which holds the secret and hands out one cached,
 * shared client_credentials token). The request takes
 * `Authorization: 'OAuth ' + (await soundcloudAccessToken(CLIENT_ID))` (an async function), or waits
 * for the token: `soundcloudAccessToken(CLIENT_ID).then((token) => axios.get(url, { headers }))
 * .then(...)` (the head of a promise chain that ends its function, or a statement of a Promise
 * executor), from a generated browser module (`soundcloud-browser-client.{js,ts}`, a free name)
 * (an ES module; a CommonJS one for the CommonJS modules of a bundled app, browserify's or
 * webpack's `require`, written in ES2015 or later or compiled by the project) that creates the client with the app's own client id, passed at each call (the expression the
 * URL carried: a constant, `process.env.REACT_APP_X`, a literal), and a `tokenEndpoint`
 * (`/api/soundcloud/token` by default). No secret and no new environment variable reach the browser.
 *
 * Left to the marker: React Native, Electron, Cordova/Capacitor, Tauri and NativeScript apps (no
 * same-origin backend), unless `fix --token-endpoint` names the route by a full URL, universal files (SSR: a relative token route does not work on the server),
 * URLs handed to players (no header possible), api-v2, scripts without modules, requests whose
 * arguments or result are not modelled (jQuery/AngularJS promises, callbacks, options built elsewhere).
 */
import type { TSESTree } from '@typescript-eslint/typescript-estree';
import { dirname, join, relative, sep } from 'node:path';
import { EXTENSION_DEPS, runsInBrowser, transpiledProject } from '../engine/analysis/browser.js';
import { resolveBinding } from '../engine/analysis/scope.js';
import type { RequestInfo } from '../engine/analysis/requests.js';
import { propName, requireSpecifier, unwrap } from '../engine/analysis/values.js';
import type { TextEdit } from '../engine/types.js';
import type { Provider, ProviderContext } from './providers.js';
import type { FileFacts, ParamSite } from '../engine/analysis/facts.js';
import {
  addHeader, awaitedNext, clientIdParamAt, enclosingFunction, endsFunction, isModuleBinding, eolOf, executorWait, factsOf, findingsOf, freeName, importEdit, isApiV2, isAsyncContext,
  isSimple, quoteOf, readText, referencesTo, removeInlineParam, removeParam, requestOfParam, sameScope, STREAM_DOC, stringRoot, TOKEN_NAMES,
} from './rewrites.js';
import { freeModulePath, GENERATED_HEAD, moduleDirFor } from './safety.js';
import { urlMethodRequests } from './url-methods.js';
import { isExportedName } from './wrappers.js';
import { styleOf } from './style.js';

type N = TSESTree.Node;

export const BROWSER_MODULE = 'soundcloud-browser-client';
/** The head of a generated browser module (the server module's is `${GENERATED_HEAD}:`). */
export const BROWSER_HEAD = `${GENERATED_HEAD} (browser)`;
/** The backend route the generated module asks for tokens, unless the app sets another. */
export const DEFAULT_TOKEN_ENDPOINT = '/api/soundcloud/token';

/** What the backend must serve: fix's one note per project (on the created module). */
export function backendNote(endpoint: string, moduleText?: string): string {
  if (moduleText?.includes(`SOUNDCLOUD_TOKEN_ENDPOINT = '${SHELL_ENDPOINT}'`) || moduleText?.includes(`SOUNDCLOUD_TOKEN_ENDPOINT = "${SHELL_ENDPOINT}"`)) {
    return 'TODO: set SOUNDCLOUD_TOKEN_ENDPOINT in this module to the full URL of your backend\'s token route (a phone or desktop app has no same-origin backend; until then token requests are refused), and serve POST there createTokenEndpoint({ clientId, clientSecret, tokenStore }) from sc-migrate/runtime (docs/runtime.md); the secret stays on the server';
  }
  const note = `browser requests now get app tokens from your backend: serve POST ${endpoint} there with createTokenEndpoint({ clientId, clientSecret, tokenStore }) from sc-migrate/runtime (Express: toNodeHandler; docs/runtime.md); the secret stays on the server`;
  return moduleText?.includes(STREAM_SRC) ? `${note}; and GET ${streamRouteOf(endpoint)} with createStreamEndpoint({ clientId, clientSecret, tokenStore }) (the same tokenStore: one app token), the stream route of soundcloudStreamSrc` : note;
}

export const STREAM_SRC = 'soundcloudStreamSrc';

/** The stream route next to a token route (as the runtime's streamRouteOf computes it): `/api/soundcloud/token` -> `/api/soundcloud/stream`. */
function streamRouteOf(endpoint: string): string {
  const bare = endpoint.replace(/[?#].*$/, '');
  return bare.includes('/') ? bare.replace(/\/[^/]*$/, '/stream') : 'stream';
}

/**
 * A generated browser module with soundcloudStreamSrc: a URL that plays at once (`<audio src>`,
 * a selector, a synchronous `play()`), the backend's stream route (createStreamEndpoint of
 * sc-migrate/runtime, next to the token route) answering 302 to the track's signed media URL.
 * The module's own style (quotes, semicolons, indentation, TypeScript) is kept.
 */
export function withStreamSrc(moduleText: string): string {
  if (moduleText.includes(STREAM_SRC) || !moduleText.startsWith(BROWSER_HEAD)) return moduleText;
  const imp = /^import \{ SoundCloudClient \} from (['"])sc-migrate\/runtime\/browser\1(;?)/m.exec(moduleText)
    ?? /^const \{ SoundCloudClient \} = require\((['"])sc-migrate\/runtime\/browser\1\)(;?)/m.exec(moduleText);
  if (!imp) return moduleText;
  const cjs = imp[0].startsWith('const');
  const q = imp[1]!;
  const s = imp[2]!;
  // the module's own indentation (the first indented line that is code, not a doc comment's ` * `)
  const i = /\n([ \t]+)[^\s*]/.exec(moduleText)?.[1] ?? '  ';
  const ts = /: SoundCloudClient\b/.test(moduleText);
  const eol = eolOf(moduleText);
  const shell = moduleText.includes(`SOUNDCLOUD_TOKEN_ENDPOINT = ${q}${SHELL_ENDPOINT}${q}`);
  const block = [
    '',
    '/** Your backend\'s stream route (createStreamEndpoint of sc-migrate/runtime), next to the token route. */',
    `export const SOUNDCLOUD_STREAM_ROUTE = streamRouteOf(SOUNDCLOUD_TOKEN_ENDPOINT)${s}`,
    '',
    '/**',
    ' * A URL that plays at once (`<audio src>`, a player): the stream route answers 302 to the',
    ' * track\'s signed media URL, asking SoundCloud with the app token (nothing secret in the URL).',
    ' */',
    `export function ${STREAM_SRC}(track${ts ? ': Parameters<typeof streamSrc>[1]' : ''})${ts ? ': string' : ''} {`,
    ...(shell ? [`${i}if (!SOUNDCLOUD_TOKEN_ENDPOINT) throw new Error(${q}${UNSET_ERROR}${q})${s}`] : []),
    `${i}return streamSrc(SOUNDCLOUD_STREAM_ROUTE, track)${s}`,
    '}',
  ];
  const names = 'SoundCloudClient, streamRouteOf, streamSrc';
  const head = moduleText.replace(imp[0], cjs ? `const { ${names} } = require(${q}sc-migrate/runtime/browser${q})${s}` : `import { ${names} } from ${q}sc-migrate/runtime/browser${q}${s}`);
  const added = block.join(eol) + eol;
  return head.replace(/(\r?\n)*$/, '') + eol + (cjs ? commonJsModule(added, s) : added);
}

/**
 * Apps whose browser code has no same-origin backend to ask (a phone or desktop shell, and a
 * browser extension: its pages are the extension's own, a relative route reaches no server).
 */
const NATIVE_DEPS = /^(react-native|expo|electron|electron-prebuilt|@capacitor\/core|cordova|cordova-android|cordova-ios|@ionic-native\/core|nativescript|@nativescript\/core|@tauri-apps\/api|nw|jpm|cfx)$/;
/** (the Firefox Add-on SDK's own modules: `require('sdk/request')`) */
const NATIVE_IMPORT = /(?:from\s*|require\(\s*)['"](?:react-native|expo(?:-[\w-]+)?|electron|@capacitor\/[\w-]+|@tauri-apps\/[\w-]+|webextension-polyfill|sdk\/[\w/-]+)['"]/;

export function nativeShell(ctx: Pick<ProviderContext, 'text' | 'filename' | 'project'>): boolean {
  if (NATIVE_IMPORT.test(ctx.text)) return true;
  const read = (p: string) => ctx.project?.readFile(p) ?? readText(p);
  const root = ctx.project?.root;
  for (let dir = dirname(ctx.filename), up = 0; up < 40; up++) {
    const text = read(join(dir, 'package.json'));
    if (text !== undefined) {
      try {
        const pkg = JSON.parse(text) as { dependencies?: object; devDependencies?: object; engines?: { firefox?: unknown } };
        // (a WebExtension toolchain: browser.ts's EXTENSION_DEPS; the Firefox Add-on SDK's jpm / cfx, or its `engines.firefox`)
        if (Object.keys({ ...pkg.dependencies, ...pkg.devDependencies }).some((d) => NATIVE_DEPS.test(d) || EXTENSION_DEPS.test(d)) || pkg.engines?.firefox !== undefined) return true;
      } catch { /* unreadable: look further up */ }
    }
    if (dir === root || dirname(dir) === dir) break;
    dir = dirname(dir);
  }
  return false;
}

/**
 * A token route the app names by its full URL (`fix --token-endpoint https://api.example.com/token`):
 * a phone or desktop shell can ask it too (https, or http on the developer's own machine).
 */
export function absoluteEndpoint(endpoint: string | undefined): boolean {
  return !!endpoint && /^(https:\/\/[^/\s]+|http:\/\/(localhost|127\.0\.0\.1|\[::1\])(:\d+)?)(\/|$)/i.test(endpoint);
}

/**
 * A native shell given a token route that it cannot ask (`--token-endpoint /api/...` or plain
 * http to another host): no rewrite, the marker asks for a full URL. Without `--token-endpoint` a
 * shell takes the rewrite, its generated module's SOUNDCLOUD_TOKEN_ENDPOINT left for the app to
 * set (SHELL_ENDPOINT; fix's note names it): a guessed URL would send the requests elsewhere.
 */
export function shellWithoutRoute(ctx: Pick<ProviderContext, 'text' | 'filename' | 'project'>, endpoint: string | undefined): boolean {
  return endpoint !== undefined && !absoluteEndpoint(endpoint) && nativeShell(ctx);
}

/** The token route of a phone or desktop shell's module until the app sets it (no same-origin backend to default to). */
export const SHELL_ENDPOINT = '';
/** What the generated module of a shell rejects with while SOUNDCLOUD_TOKEN_ENDPOINT is unset. */
const UNSET_ERROR = 'SOUNDCLOUD_TOKEN_ENDPOINT is not set (your backend token route)';

/** The route a generated module asks: a shell without a full URL gets SHELL_ENDPOINT, for the app to set. */
function routeFor(ctx: Pick<ProviderContext, 'text' | 'filename' | 'project'>, endpoint: string): string {
  return !absoluteEndpoint(endpoint) && nativeShell(ctx) ? SHELL_ENDPOINT : endpoint;
}

type Style = 'esm' | 'ts' | 'cjs';
/**
 * Modules a bundler resolves the runtime package for: ES modules (TypeScript gets a .ts module),
 * and CommonJS modules of a bundled browser app (browserify, webpack: `var api = require('./api')`
 * at the top of the file; not AMD's `define`, and not a script that only exports itself when a
 * `module` exists) written in ES2015 or later, as the rewrite's `.then((token) => ...)` is, or
 * compiled by the project (Babel, TypeScript...).
 */
export function moduleStyleOf(ctx: ProviderContext): Style | undefined {
  const body = ctx.parsed.ast.body;
  if (!body.some((s) => s.type === 'ImportDeclaration' || s.type.startsWith('Export'))) return bundledCommonJs(ctx) ? 'cjs' : undefined;
  if (/\.(ts|tsx|mts|cts)$/.test(ctx.filename) || /\.(vue|svelte)$/.test(ctx.filename) && /<script[^>]*\blang=["']ts["']/.test(ctx.text)) return 'ts';
  return 'esm';
}

/** A top-level `require('x')`: the statement's expression or a declarator's initial value (`require('x').y` too). */
function topRequire(st: TSESTree.ProgramStatement): boolean {
  const inits = st.type === 'VariableDeclaration' ? st.declarations.map((d) => d.init) : st.type === 'ExpressionStatement' ? [st.expression] : [];
  return inits.some((x) => {
    let e = x && unwrap(x);
    while (e?.type === 'MemberExpression' || e?.type === 'CallExpression' && e.callee.type === 'MemberExpression') e = unwrap(e.type === 'MemberExpression' ? e.object : e.callee);
    return requireSpecifier(e) !== undefined;
  });
}

/** (ES2015 or later: the file writes it, or the project compiles its code with Babel and the like) */
function bundledCommonJs(ctx: ProviderContext): boolean {
  const body = ctx.parsed.ast.body;
  if (!/\.(js|jsx|cjs)$/.test(ctx.filename) || !body.some(topRequire)) return false;
  if (body.some((st) => st.type === 'ExpressionStatement' && st.expression.type === 'CallExpression' && st.expression.callee.type === 'Identifier' && st.expression.callee.name === 'define')) return false;
  return /=>|\b(const|let)\s|`/.test(ctx.text) || transpiledProject(ctx.filename, ctx.project);
}

/**
 * The CommonJS form of a generated module written as an ES module (its own lines only: imports
 * on one line, `export const X = ...` on one line, `export function f(...) {` ending at a `}` line):
 * `const { A } = require('x')`, `const X = exports.X = ...`, `exports.f = f` after the function.
 */
export function commonJsModule(esm: string, semi = /^import \{[^}]*\} from ['"][^'"]+['"];\r?$/m.test(esm) ? ';' : ''): string {
  const out: string[] = [];
  let open: string | undefined;
  for (const line of esm.split('\n')) {
    const eolCr = line.endsWith('\r') ? '\r' : '';
    const l = eolCr ? line.slice(0, -1) : line;
    const imp = /^import \{ ([^}]*) \} from (['"][^'"]+['"])(;?)$/.exec(l);
    const cst = /^export const (\w+) = (.*)$/.exec(l);
    const fn = /^export function (\w+)/.exec(l);
    if (imp) out.push(`const { ${imp[1]} } = require(${imp[2]})${imp[3]}${eolCr}`);
    else if (cst) out.push(`const ${cst[1]} = exports.${cst[1]} = ${cst[2]}${eolCr}`);
    else if (fn) { open = fn[1]; out.push(line.slice('export '.length)); }
    else {
      out.push(line);
      if (open && l === '}') { out.push(`exports.${open} = ${open}${semi}${eolCr}`); open = undefined; }
    }
  }
  return out.join('\n');
}

/** The indentation unit of a file (its first indented line), for the generated module. */
function indentOf(text: string): string {
  const m = /\n([ \t]+)\S/.exec(text);
  return m ? (m[1]!.startsWith('\t') ? '\t' : m[1]!.length >= 4 ? '    ' : '  ') : '  ';
}

export function browserModuleText(style: Style, like: string, endpoint = DEFAULT_TOKEN_ENDPOINT): string {
  const q = quoteOf(like);
  const s = styleOf(like).semi ? ';' : '';
  const i = indentOf(like);
  const ts = style === 'ts';
  const shell = endpoint === SHELL_ENDPOINT;
  // a shell's module: until the app sets its route, token requests reject with what to do (no request is sent)
  const unset = (shell ? [`${i}if (!SOUNDCLOUD_TOKEN_ENDPOINT) return Promise.reject(new Error(${q}${UNSET_ERROR}${q}))${s}`] : []);
  const lines = [
    `${BROWSER_HEAD}: app tokens for the SoundCloud API requests of this app.`,
    '// SoundCloud refuses `client_id` alone, and a browser must never hold the client secret:',
    `// the tokens come from YOUR backend, which must serve POST ${shell ? 'SOUNDCLOUD_TOKEN_ENDPOINT (below)' : endpoint}`,
    '// with createTokenEndpoint from sc-migrate/runtime (it holds the secret and hands out one',
    '// cached, shared app token; see sc-migrate\'s docs/runtime.md).',
    `import { SoundCloudClient } from ${q}sc-migrate/runtime/browser${q}${s}`,
    '',
    ...(shell
      ? ['/**', ' * Your backend\'s token route by its full URL (`https://<your backend>/api/soundcloud/token`):',
        ' * a phone or desktop app has no same-origin backend. Set it: until then tokens are refused.', ' */']
      : ['/** Your backend\'s token route (same origin; a full URL when the backend runs elsewhere). */']),
    `export const SOUNDCLOUD_TOKEN_ENDPOINT = ${q}${endpoint}${q}${s}`,
    '',
    `const clients${ts ? ': Record<string, SoundCloudClient>' : ''} = {}${s}`,
    '',
    '/** The SoundCloudClient of the app with this client id (its tokens: SOUNDCLOUD_TOKEN_ENDPOINT). */',
    `export function soundcloudClient(clientId${ts ? ': string | undefined' : ''})${ts ? ': SoundCloudClient' : ''} {`,
    `${i}const id = clientId || ${q}${q}${s}`,
    `${i}if (!clients[id]) {`,
    `${i}${i}clients[id] = new SoundCloudClient({ clientId: id, tokenEndpoint: SOUNDCLOUD_TOKEN_ENDPOINT, clientCredentials: true })${s}`,
    `${i}}`,
    `${i}return clients[id]${s}`,
    '}',
    '',
    '/** An app access token for `Authorization: OAuth <token>` (cached until it expires). */',
    `export function soundcloudAccessToken(clientId${ts ? ': string | undefined' : ''})${ts ? ': Promise<string>' : ''} {`,
    ...unset,
    `${i}return soundcloudClient(clientId).getAccessToken()${s}`,
    '}',
    '',
    `/** ${STREAM_DOC} */`,
    `export function soundcloudStreamUrl(track${ts ? ": Parameters<SoundCloudClient['streamUrl']>[0]" : ''}, clientId${ts ? ': string | undefined' : ''})${ts ? ': Promise<string>' : ''} {`,
    ...unset,
    `${i}return soundcloudClient(clientId).streamUrl(track)${s}`,
    '}',
  ];
  const eol = eolOf(like);
  const text = lines.join(eol) + eol;
  return style === 'cjs' ? commonJsModule(text) : text;
}

/** Imports soundcloudAccessToken from the browser module (one made in this run, or a new one next to the file). */
export function browserImportEdit(ctx: ProviderContext, style: Style, endpoint: string, names?: readonly string[], extend?: (moduleText: string) => string): TextEdit | undefined {
  const dir = dirname(ctx.filename);
  let modPath = [...ctx.newFiles].find(([, text]) => text.startsWith(BROWSER_HEAD))?.[0];
  if (!modPath) {
    modPath = freeModulePath(moduleDirFor(dir), BROWSER_MODULE, style === 'ts' ? '.ts' : '.js', (p) => ctx.project?.readFile(p) ?? readText(p), new Set(ctx.newFiles.keys()));
    if (modPath === ctx.filename) return undefined;
    if (readText(modPath) === undefined) ctx.newFiles.set(modPath, browserModuleText(style, ctx.text, routeFor(ctx, endpoint)));
  }
  let spec = relative(dir, modPath).split(sep).join('/');
  if (!spec.startsWith('.')) spec = './' + spec;
  // the file's own convention: bundler imports written without an extension stay so
  const rel = style === 'cjs' ? [...ctx.text.matchAll(/\brequire\(\s*['"](\.\.?\/[^'"]*)['"]\s*\)/g)].map((m) => m[1]!)
    : ctx.parsed.ast.body.flatMap((st) => (st.type === 'ImportDeclaration' && /^\.\.?\//.test(String(st.source.value)) ? [String(st.source.value)] : []));
  // (TypeScript without relative imports: none either, as bundlers resolve `./x` to x.ts and not `./x.js`)
  const bare = rel.length ? rel.every((x) => !/\.[cm]?[jt]sx?$/.test(x)) : style === 'ts';
  spec = bare ? spec.replace(/\.[jt]s$/, '') : spec.replace(/\.ts$/, '.js');
  // a module made in this run gets what the rewrite needs (soundcloudStreamSrc); one of an earlier run stays as it is
  const made = ctx.newFiles.get(modPath);
  if (extend && made !== undefined) ctx.newFiles.set(modPath, extend(made));
  // a module of an earlier run that does not export a name (soundcloudStreamUrl came later): not imported
  const mod = ctx.newFiles.get(modPath) ?? ctx.project?.readFile(modPath) ?? readText(modPath) ?? '';
  if (names?.some((n) => !new RegExp(`\\b${n}\\b`).test(mod))) return undefined;
  return importEdit(ctx, style, spec, names);
}

/** Libraries whose request is a standard Promise (wrapping it in `token.then(...)` changes nothing for its consumers). */
/** Requests that return a promise of their response (a chain or an executor can wait for the token before them). */
export const PROMISE_LIBS = new Set(['fetch', 'axios', 'ky']);
const CHAIN = /^(then|catch|finally)$/;

/**
 * The request heads a promise chain (`axios.get(url).then(...).catch(...)`, or is returned) that
 * ends its function: it waits for the token, `soundcloudAccessToken(id).then((token) => axios.get(url, { headers }))`,
 * and the chain goes on on that promise (a failed token request reaches its `.catch`).
 */
export function chainWait(text: string, r: RequestInfo, id: string, head = `soundcloudAccessToken(${id})`, names = TOKEN_NAMES): { name: string; edits: TextEdit[] } | undefined {
  if (!PROMISE_LIBS.has(r.lib)) return undefined;
  let e: N = r.call;
  while (e.parent?.type === 'MemberExpression' && e.parent.object === e && e.parent.parent?.type === 'CallExpression' && e.parent.parent.callee === e.parent) {
    if (!CHAIN.test(propName(e.parent) ?? '')) return undefined;
    e = e.parent.parent;
  }
  const p = e.parent;
  const fn = p?.type === 'ArrowFunctionExpression' && p.body === e ? p : undefined;
  const ok = fn || p?.type === 'ReturnStatement' || (p?.type === 'ExpressionStatement' && endsFunction(p)) || awaitedNext(e);
  const outer = fn ?? (p && enclosingFunction(p));
  if (!ok || !outer || (outer as { generator?: boolean }).generator) return undefined;
  const scope = text.slice(outer.range[0], outer.range[1]);
  const name = freeName(scope, names);
  if (!name) return undefined;
  return { name, edits: [
    { range: [r.call.range[0], r.call.range[0]], text: `${head}.then((${name}) => ` },
    { range: [r.call.range[1], r.call.range[1]], text: ')' },
  ] };
}

/** The client id expression the URL carried, to pass on: a name, a member chain, a call without arguments, or its text. */
export function idArgument(text: string, value: N, inline: string | undefined): string | undefined {
  if (inline !== undefined) { const q = quoteOf(text); return `${q}${inline}${q}`; }
  const x = unwrap(value);
  if (isSimple(x) || x.type === 'Literal' && typeof x.value === 'string') return text.slice(value.range[0], value.range[1]);
  if (x.type === 'CallExpression' && !x.arguments.length && isSimple(x.callee)) return text.slice(value.range[0], value.range[1]);
  return undefined;
}

export const browserClientIdProvider: Provider = (ctx) => {
  // browser files only (a universal module may run during server rendering, where the relative route does not exist)
  if (!(ctx.browser ?? runsInBrowser(ctx.filename, ctx.text, ctx.project)) || shellWithoutRoute(ctx, ctx.tokenEndpoint)) return [];
  const style = moduleStyleOf(ctx);
  // a soundcloudAccessToken of another module (the server one) is not shadowed by a second import
  if (!style || /\bsoundcloudAccessToken\b/.test(ctx.text) && !ctx.text.includes(BROWSER_MODULE)) return [];
  const facts = factsOf(ctx);
  const q = quoteOf(ctx.text);
  const edits: TextEdit[] = [];
  const headed = new Set<N>();
  const findings = findingsOf(ctx, 'no-client-id-auth', 'clientIdBrowser');
  const reported = new Set(findings.map((f) => clientIdParamAt(facts, f)));
  for (const f of findings) {
    const p = clientIdParamAt(facts, f);
    if (!p || (p.url.host ? !/^api\.soundcloud\.com$/i.test(p.url.host) || isApiV2(p.url.host) : p.via !== 'object')) continue;
    const r = requestOfParam(p, facts) ?? requestOfUrlConst(p, facts, ctx.text);
    if (!r) { edits.push(...urlMethodEdits(ctx, p, facts, headed, reported) ?? []); continue; }
    if (r.lib === 'xhr') { edits.push(...moduleXhrEdits(ctx.text, p, r, facts) ?? []); continue; }
    if (r.lib === 'sdk' || r.lib === 'jquery' || r.lib === 'angular') continue;
    if (!p.url.host && !resourcePath(r)) continue;
    const param = removeParam(ctx.text, p, facts);
    const inline = param ? undefined : removeInlineParam(ctx.text, p);
    const rem = param ?? inline;
    // a URL kept in a module constant: only when that constant is read by this one request and nothing else
    if (!rem || !(sameScope(rem.value, r) || moduleValue(ctx.text, rem.value, r) && requestOfUrlConst(p, facts, ctx.text) === r)) continue;
    const id = idArgument(ctx.text, rem.value, inline ? p.value : undefined);
    if (!id) continue;
    const async = isAsyncContext(r.call);
    const wait = async ? undefined : chainWait(ctx.text, r, id) ?? executorWaitFor(ctx.text, r, id);
    if (!async && !wait) continue;
    const value = wait ? `${q}OAuth ${q} + ${wait.name}` : `${q}OAuth ${q} + (await soundcloudAccessToken(${id}))`;
    const h = addHeader(ctx.text, r, 'Authorization', value, rem.holder ? { prop: rem.prop!, holder: rem.holder, removedAll: !!rem.removedAll } : undefined, undefined, !!wait);
    if (!h) continue;
    if (wait) h.push(...wait.edits);
    const replaced = h.find((e) => rem.holder && e.range[0] === rem.holder.parent?.range[0] && e.range[1] === rem.holder.parent?.range[1]);
    edits.push(...(replaced ? h : [...rem.edits, ...h]));
  }
  if (!edits.length) return [];
  const imp = browserImportEdit(ctx, style, ctx.tokenEndpoint ?? DEFAULT_TOKEN_ENDPOINT);
  return [{ ruleId: 'no-client-id-auth', edits: imp ? [...edits, imp] : edits }];
};

/**
 * XMLHttpRequest in a browser module (`var url = API + '/users/' + id + '/tracks?client_id=' + ID;
 * xhr.open('GET', url, true); xhr.send()`): the client_id leaves the URL (in the open call, or in a
 * variable of the function that only the request reads) and the send waits for the app token of the
 * imported `soundcloudAccessToken`, as on a classic page (xhrEdits).
 */
function moduleXhrEdits(text: string, p: ParamSite, r: RequestInfo, facts: FileFacts): TextEdit[] | undefined {
  if (!p.url.host) return undefined;
  const param = removeParam(text, p, facts);
  const inline = param ? undefined : removeInlineParam(text, p);
  const rem = param ?? inline;
  if (!rem || !sameScope(rem.value, r)) return undefined;
  const inside = rem.edits.every((x) => x.range[0] >= r.call.range[0] && x.range[1] <= r.call.range[1]);
  if (!inside && !urlVarOnlyFor(text, r, rem.edits)) return undefined;
  const id = idArgument(text, rem.value, inline ? p.value : undefined);
  const wait = id && xhrEdits(text, r, `soundcloudAccessToken(${id})`);
  return wait ? [...rem.edits, ...wait] : undefined;
}

/**
 * A class method's URL builder (src/fix/url-methods.ts): the client_id leaves the URL it builds and
 * every request its result goes to takes the token, with the client id of a module import or constant.
 */
function urlMethodEdits(ctx: ProviderContext, p: ParamSite, facts: FileFacts, headed: Set<N>, reported: Set<ParamSite | undefined>): TextEdit[] | undefined {
  if (!p.url.host || !/^api\.soundcloud\.com$/i.test(p.url.host)) return undefined;
  const found = urlMethodRequests(ctx, p, facts);
  if (!found) return undefined;
  const { requests: rs, method } = found;
  // every client_id the method writes leaves (one URL a return, each a finding of its own), or none does
  const sites = facts.params.filter((s) => s.name === 'client_id' && s.via === 'text' && s.report.range[0] >= method.range[0] && s.report.range[1] <= method.range[1]);
  if (!sites.includes(p) || sites.some((s) => !reported.has(s))) return undefined;
  let id: string | undefined;
  let rem: ReturnType<typeof removeParam>;
  for (const s of sites) {
    const r = removeParam(ctx.text, s, facts) ?? removeInlineParam(ctx.text, s);
    const sid = r?.edits.length && !r.holder ? idArgument(ctx.text, r.value, undefined) : undefined;
    if (!r || !sid || (id !== undefined && sid !== id) || !rs.every((x) => moduleValue(ctx.text, r.value, x, true) || sameThis(r.value, x))) return undefined;
    id = sid;
    // (this finding's own removal: the edits it makes)
    if (s === p) rem = r;
  }
  if (!rem || !id) return undefined;
  const q = quoteOf(ctx.text);
  const edits = [...rem.edits];
  for (const r of rs) {
    // (one header a request, for all the method's URLs)
    if (headed.has(r.call)) continue;
    const h = addHeader(ctx.text, r, 'Authorization', `${q}OAuth ${q} + (await soundcloudAccessToken(${id}))`);
    if (!h) return undefined;
    edits.push(...h);
  }
  for (const r of rs) headed.add(r.call);
  return edits;
}

/**
 * The client id is a field of the builder's instance (`this.clientId`) and the request calls the
 * builder on `this` (`axios({ url: this.url(id) })` in a method of the class): the same instance there.
 */
function sameThis(value: N, r: RequestInfo): boolean {
  const v = unwrap(value);
  const u = r.urlNode && unwrap(r.urlNode);
  return v.type === 'MemberExpression' && !v.computed && v.object.type === 'ThisExpression'
    && u?.type === 'CallExpression' && u.callee.type === 'MemberExpression' && u.callee.object.type === 'ThisExpression';
}

/** What a SoundCloud resource has under its `uri`: `/streams`, `/comments`, `/favoriters`... */
const SUBRESOURCE = /^\/(?:streams?|download|comments|favoriters|likers|likes|reposters|reposts|tracks|playlists|followings|followers|favorites|web-profiles|related)(?:[/?#]|$)/;

/**
 * A request URL that is a sub-resource of a SoundCloud resource's own `uri` (`song.uri + '/streams'`,
 * `` `${track.uri}/comments` ``): every resource names itself on api.soundcloud.com by `uri` (the
 * private API's answers too), so the request goes to the public API. Only for a resource the code
 * was handed (a parameter, a local, `this.track`), not a module's own value (`config.uri` may name
 * any server), and with the query parameter in an object (the URL text is the resource's and the path's).
 */
function resourcePath(r: RequestInfo): boolean {
  const u = r.urlNode && unwrap(r.urlNode);
  let lead: N | undefined;
  let next: string | undefined;
  if (u?.type === 'BinaryExpression' && u.operator === '+') {
    let left: N = u;
    while (left.type === 'BinaryExpression' && left.operator === '+' && left.left.type === 'BinaryExpression' && left.left.operator === '+') left = left.left;
    if (left.type !== 'BinaryExpression') return false;
    lead = unwrap(left.left as N);
    const piece = unwrap(left.right as N);
    next = piece.type === 'Literal' && typeof piece.value === 'string' ? piece.value : piece.type === 'TemplateLiteral' ? piece.quasis[0]!.value.cooked ?? undefined : undefined;
  } else if (u?.type === 'TemplateLiteral' && u.quasis[0]!.value.raw === '' && u.expressions.length) {
    lead = unwrap(u.expressions[0] as N);
    next = u.quasis[1]!.value.cooked ?? undefined;
  }
  if (lead?.type !== 'MemberExpression' || lead.computed || propName(lead) !== 'uri' || !next || !SUBRESOURCE.test(next)) return false;
  let root: N = unwrap(lead.object as N);
  while (root.type === 'MemberExpression') root = unwrap(root.object as N);
  if (root.type === 'ThisExpression') return true;
  const b = root.type === 'Identifier' ? resolveBinding(root) : undefined;
  return !!b && !isModuleBinding(b);
}

/**
 * `const URL = 'https://api.soundcloud.com/tracks?client_id=x&limit=50&q='; axios.get(`${URL}${q}`)`:
 * the request whose URL starts with a `const` of its own function that nothing else reads. Also a
 * module's own `const` (not exported) that one request of the file reads and nothing else:
 * `const usersApi = `${base}/users/1/tracks?client_id=${id}`; function get() { return fetch(usersApi)... }`,
 * also through one `const` of that request's function that only the request reads
 * (`const url = baseURL + searchParam; fetch(url)`).
 */
function requestOfUrlConst(p: ParamSite, facts: FileFacts, text: string): RequestInfo | undefined {
  if (p.via !== 'text') return undefined;
  const root = stringRoot(p.report);
  const d = root.parent;
  if (d?.type !== 'VariableDeclarator' || d.init !== root || d.id.type !== 'Identifier' || d.parent?.type !== 'VariableDeclaration' || d.parent.kind !== 'const') return undefined;
  const fn = enclosingFunction(d);
  const moduleConst = !fn && d.parent.parent?.type === 'Program' && !isExportedName(d.id.name, facts, text);
  const refs = referencesTo(d as typeof d & { id: TSESTree.Identifier }, (fn ?? facts.ast) as N);
  if (refs.length !== 1) return undefined;
  const ref = refs[0]!;
  // the URL is the name, or starts with it: `${URL}${q}`, URL + q
  const leads = (u: N, x: N): boolean => u === x
    || u.type === 'TemplateLiteral' && u.quasis[0]!.value.raw === '' && u.expressions[0] === x
    || u.type === 'BinaryExpression' && u.operator === '+' && leads(u.left as N, x);
  const rs = facts.requests.filter((r) => r.urlNode && leads(unwrap(r.urlNode), ref) && (moduleConst || enclosingFunction(r.call) === fn));
  if (rs.length === 1 || !moduleConst) return rs.length === 1 ? rs[0] : undefined;
  // one hop: `const url = baseURL + q;` in a function, read only by its request's URL
  let top: N = ref;
  while (top.parent?.type === 'BinaryExpression' && top.parent.operator === '+' && top.parent.left === top || top.parent?.type === 'TemplateLiteral' && top.parent.expressions[0] === top && top.parent.quasis[0]!.value.raw === '') top = top.parent;
  const local = top.parent;
  if (local?.type !== 'VariableDeclarator' || local.init !== top || local.id.type !== 'Identifier' || local.parent?.type !== 'VariableDeclaration' || local.parent.kind !== 'const') return undefined;
  const inner = enclosingFunction(local);
  if (!inner) return undefined;
  const localRefs = referencesTo(local as typeof local & { id: TSESTree.Identifier }, inner as N);
  if (localRefs.length !== 1) return undefined;
  const hop = facts.requests.filter((r) => r.urlNode && leads(unwrap(r.urlNode), localRefs[0]!) && enclosingFunction(r.call) === inner);
  return hop.length === 1 ? hop[0] : undefined;
}

/**
 * The client id of a URL kept in a module constant, named where its request is sent: a module's
 * own constant or import (`clientId`, `config.clientId`) or `process.env.X`, whose name no function
 * around the request declares again (`inFunction`: the URL itself may be written in another function).
 */
function moduleValue(text: string, value: N, r: RequestInfo, inFunction = false): boolean {
  if (!inFunction && enclosingFunction(value)) return false;
  let x = unwrap(value);
  while (x.type === 'MemberExpression' && !x.computed) x = unwrap(x.object as N);
  if (x.type !== 'Identifier') return false;
  const b = resolveBinding(x);
  if (b ? !(isModuleBinding(b) && (b.kind === 'import' || b.kind === 'var' && b.declKind === 'const')) : x.name !== 'process') return false;
  const fn = enclosingFunction(r.call);
  let outer: N | undefined = fn;
  for (let f = fn; f; f = enclosingFunction(f)) outer = f;
  return !!outer && !new RegExp(`\\b${x.name}\\b`).test(text.slice(outer.range[0], outer.range[1]));
}

/** The module exports the name (`export const X`, `export { X }`, `module.exports = { X }`, `exports.X`). */
/** A request in a Promise executor (src/fix/rewrites.ts executorWait), the token asked for with the app's client id. */
export function executorWaitFor(text: string, r: RequestInfo, id: string, head = `soundcloudAccessToken(${id})`): { name: string; edits: TextEdit[] } | undefined {
  const w = executorWait(text, r);
  if (!w) return undefined;
  const first = w.edits[0]!;
  return { name: w.name, edits: [{ ...first, text: first.text.replace('soundcloudAccessToken()', head) }, ...w.edits.slice(1)] };
}

/**
 * `x.open('GET', url); ...; x.send()`: the send waits for the token and sets the header first,
 * `soundcloudAccessToken(id).then(function (token) { x.setRequestHeader('Authorization',
 * 'OAuth ' + token); x.send(); }, function (error) { if (x.onerror) x.onerror(error); })` (`tokenCall`: the
 * classic client's `soundcloudBrowserClient.soundcloudAccessToken(id)`, or the module's import). Only when
 * open and send are statements of one block, the request is asynchronous, its send has no body
 * or a constant one, and nothing reads the request after its send (it is sent later now).
 */
export function xhrEdits(text: string, r: RequestInfo, tokenCall: string): TextEdit[] | undefined {
  const call = r.call;
  const callee = call.callee;
  if (callee.type !== 'MemberExpression' || callee.object.type !== 'Identifier') return undefined;
  const x = callee.object.name;
  const a = call.arguments as N[];
  if (a.length > 3 || (a[2] && !(a[2].type === 'Literal' && a[2].value === true))) return undefined;
  const stmt = call.parent;
  const block = stmt?.parent;
  if (stmt?.type !== 'ExpressionStatement' || (block?.type !== 'BlockStatement' && block?.type !== 'Program')) return undefined;
  const fn = enclosingFunction(call);
  const scope = fn ? text.slice(fn.range[0], fn.range[1]) : text;
  const esc = x.replace(/\$/g, '\\$');
  // a request of its own function (`var xhr = new XMLHttpRequest()` there), not a shared one
  if (!new RegExp(`\\b(var|let|const)\\s+${esc}\\s*=\\s*new\\b`).test(scope)) return undefined;
  if ((scope.match(new RegExp(`(?<![\\w$.])${esc}\\.send\\s*\\(`, 'g')) ?? []).length !== 1) return undefined;
  if (/setRequestHeader\s*\(\s*['"]authorization/i.test(scope)) return undefined;
  const body = (block as TSESTree.BlockStatement | TSESTree.Program).body as N[];
  const at = body.indexOf(stmt);
  const send = body.slice(at + 1).find((st) => st.type === 'ExpressionStatement' && st.expression.type === 'CallExpression'
    && st.expression.callee.type === 'MemberExpression' && st.expression.callee.object.type === 'Identifier' && st.expression.callee.object.name === x && propName(st.expression.callee) === 'send');
  if (send?.type !== 'ExpressionStatement' || send.expression.type !== 'CallExpression') return undefined;
  const arg = send.expression.arguments[0] as N | undefined;
  if (send.expression.arguments.length > 1 || (arg && arg.type !== 'Literal')) return undefined;
  // nothing reads the request after its send (in the rest of its function)
  const end = fn ? fn.range[1] : text.length;
  if (new RegExp(`(?<![\\w$.])${esc}\\b`).test(text.slice(send.range[1], end))) return undefined;
  const q = quoteOf(text);
  const name = 'token';
  if (new RegExp(`\\b${name}\\b`).test(scope)) return undefined;
  const semi = /;\s*$/.test(text.slice(send.range[0], send.range[1])) ? ';' : '';
  const sent = text.slice(send.expression.range[0], send.expression.range[1]);
  // on lines of their own, indented as the send
  const lead = text.slice(text.lastIndexOf('\n', send.range[0] - 1) + 1, send.range[0]);
  const nl = /^[ \t]*$/.test(lead) ? eolOf(text) + lead : ' ';
  const i = nl === ' ' ? '' : lead.startsWith('\t') ? '\t' : '  ';
  return [{ range: [send.range[0], send.range[1]], text: `${tokenCall}.then(function (${name}) {${nl}${i}${x}.setRequestHeader(${q}Authorization${q}, ${q}OAuth ${q} + ${name})${semi}${nl}${i}${sent}${semi}${nl}}, function (error) {${nl}${i}if (${x}.onerror) ${x}.onerror(error)${semi}${nl}})${semi}` }];
}

/**
 * `var url = 'https://api.soundcloud.com/resolve.json?url=' + u + '&client_id=...'; $.get(url, fn)`:
 * the request's URL is a variable declared in its function before it and read by this request only,
 * and the client_id removal lies between that declaration and the request.
 */
export function urlVarOnlyFor(text: string, r: RequestInfo, removal: TextEdit[]): boolean {
  const u = r.urlNode && unwrap(r.urlNode);
  const fn = enclosingFunction(r.call);
  if (u?.type !== 'Identifier' || !fn) return false;
  const esc = u.name.replace(/\$/g, '\\$');
  const scope = text.slice(fn.range[0], fn.range[1]);
  const decl = new RegExp(`\\b(var|let|const)\\s+${esc}\\s*=`).exec(scope);
  const uses = scope.match(new RegExp(`(?<![\\w$.])${esc}(?![\\w$])`, 'g')) ?? [];
  if (!decl || uses.length !== 2) return false;
  const from = fn.range[0] + decl.index;
  return from < r.call.range[0] && removal.every((x) => x.range[0] > from && x.range[1] < r.call.range[0]);
}
