/**
 * Browser or server: decided once per file, from the file first and the project second, so a
 * rule's message, fix's marker and fix's rewrite all tell the same story (a jQuery page is never
 * told to read a secret from the environment; an Express server is never told it is browser code).
 *
 * 1. The file says server: Node built-ins, a server framework (Next.js's `import 'server-only'` too), `module.exports` with `require`
 *    of such, `'use server'`, a serverless handler signature, or a server path (server/, a top-level
 *    api/ or functions/, Next.js pages/api/).
 * 2. The file says browser: DOM globals, jQuery, a UI framework import, `'use client'`, the
 *    SoundCloud JS SDK's global (`SC.initialize`, `SC.connect`, `SC.Widget`), AngularJS's global
 *    (`angular.module(...)`), the WebExtension API (`chrome.runtime.`, `browser.tabs.`), a file
 *    extension only browsers run (.vue, .html, .jsx, .tsx outside server folders), or a script in
 *    a server's static folder (`public/`).
 * 3. Otherwise the project: a UI framework or a browser extension's toolchain (`@types/chrome`,
 *    `webextension-polyfill`, wxt, plasmo) in package.json and no server framework -> browser; a UI
 *    framework and a server framework but no server-rendering one (no Next; Electron only for its
 *    main process) -> browser for a module in the bundle's source folder (src/, client/...), server elsewhere.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

const NODE_BUILTINS = 'fs|http|https|path|os|child_process|crypto|net|stream|zlib|url|querystring|util|events|readline|worker_threads|cluster|dns|tls';
const SERVER_LIBS = 'express|koa|fastify|@hapi\\/hapi|hapi|restify|firebase-functions|firebase-admin|@vercel\\/node|next\\/server|@netlify\\/functions|aws-lambda|serverless-http|server-only|body-parser|cookie-parser|express-session|cookie-session|passport|dotenv|node-fetch|got|request|request-promise|needle';
const SERVER_IMPORT = new RegExp(`(?:from\\s*|require\\(\\s*|import\\(\\s*|import\\s+)['"](?:node:[\\w/]+|(?:${NODE_BUILTINS})(?:/[\\w/]+)?|(?:${SERVER_LIBS})(?:/[\\w/-]+)?)['"]`);
// The hints are alternatives tested one by one: a file matches the alternation exactly when it
// matches one of them, and each alone starts with a literal V8 can scan for (the one multiline
// alternation tried every branch at every position: most of a dense scan's rule time).
// Each with a piece of text it cannot match without (`includes` finds it much faster than a regex
// scan starting with \b): most files have none of them.
const SERVER_HINT: Hint[] = [[/\bprocess\.(?:argv|exit|cwd)\b/, 'process.'], [/\b__dirname\b/, '__dirname'], [/\bexports\.handler\s*=/, 'exports.handler'], [/\bexport\s+(?:async\s+)?function\s+(?:GET|POST|PUT|DELETE|handler)\b/, 'function'], [/\bapp\.(?:listen|use)\(/, 'app.'], [/\bMeteor\.isServer\b/, 'Meteor.isServer']];
const SERVER_PATH = /^\/?(?:api|functions|lambda|netlify|bin|scripts)\/|(?:^|\/)(?:server|servers|backend|serverless|cli)\/|(?:^|\/)(?:pages|app)\/api\/|\.server\.[cm]?[jt]sx?$/i;
// (with the `g` flag: a match in a comment line is searched past, anyInCode)
const BROWSER_HINT: Hint[] = ([[/\b(?:window|document|localStorage|sessionStorage|navigator)\./, '.'], [/\b(?:chrome|browser)\.(?:runtime|tabs|storage|downloads|webRequest|action|browserAction|scripting|contextMenus|identity)\./, 'runtime'], [/\$\(\s*(?:document|window|['"`])/, '$('], [/\$\.(?:ajax|getJSON|get|post|jsonp)\(/, '$.'], [/[?&]callback=\?/, 'callback=?'], [/\bjQuery\b/, 'jQuery'], [/<template>/, '<template>'], [/\bSC\.(?:initialize|connect|stream|Widget)\b/, 'SC.'], [/\bMeteor\.isClient\b/, 'Meteor.isClient'], [/\bangular\.module\(/, 'angular.module'], [/\bnew\s+(?:Audio|AudioContext|webkitAudioContext)\(/, 'Audio'], [/(?:from\s*|require\(\s*)['"](?:react|react-dom|react-native|vue|svelte|@angular\/core|@angular\/common\/http|angular|preact|solid-js|jquery|backbone|howler|soundcloud)['"]/, '']] as Hint[]).map(([re, piece]) => [new RegExp(re.source, 'g'), piece]);
type Hint = [RegExp, string];
const anyOf = (hints: readonly Hint[], text: string): boolean => hints.some(([re, piece]) => text.includes(piece) && re.test(text));
/** A line that is a comment's (`// ...`, a block comment's `* ...` or its first line `/* ...`). */
const COMMENT_LINE = /^\s*(?:\/\/|\/?\*)/;
/**
 * `anyOf` for code only: a hint written in a comment line (a server module's doc comment about the
 * page it scrapes: `* ... in a window.__sc_hydration JSON blob`) says nothing of where the file runs.
 */
const anyInCode = (hints: readonly Hint[], text: string): boolean => hints.some(([g, piece]) => {
  if (!text.includes(piece)) return false;
  g.lastIndex = 0;
  for (let m = g.exec(text); m; m = g.exec(text)) {
    const lineStart = text.lastIndexOf('\n', m.index) + 1;
    if (!COMMENT_LINE.test(text.slice(lineStart, m.index))) return true;
    if (!m[0].length) g.lastIndex++;
  }
  return false;
});

const LINE_END = /[\n\r\u2028\u2029]/;
const WS = /\s/;
/**
 * `/^\s*['"]use client['"]/m` without its backtracking (quadratic on runs of blank lines): a
 * quoted directive whose run of whitespace before it reaches the start of the text or a line end.
 */
function directiveAtLineStart(text: string, re: RegExp): boolean {
  re.lastIndex = 0;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    let i = m.index - 1;
    for (; i >= 0 && WS.test(text[i]!); i--) if (LINE_END.test(text[i]!)) return true;
    if (i < 0) return true;
    re.lastIndex = m.index + 1;
  }
  return false;
}
const USE_SERVER = /['"]use server['"]/g;
const USE_CLIENT = /['"]use client['"]/g;
/** A server's static folder (express.static('public'), Rails public/js): its scripts are sent to browsers as they are. */
const STATIC_PATH = /(?:^|\/)public\/(?:.*\/)?[^/]+\.[cm]?js$/i;
const BROWSER_EXT = /\.(?:vue|html?|svelte|jsx|tsx)$/i;
/** UI frameworks (`angular` is AngularJS 1.x from npm, bundled by webpack or browserify). */
const UI_DEPS = /^(react|react-dom|react-native|vue|svelte|@angular\/core|angular|jquery|preact|solid-js|nuxt|@sveltejs\/kit)$/;
/** Bundlers that build pages for the browser (an HTML template, a dev server serving it). */
const PAGE_BUNDLER_DEPS = /^(html-webpack-plugin|webpack-dev-server|parcel|parcel-bundler|vite)$/;
/** A browser extension's toolchain (its background and content scripts run in the browser, never in Node). */
export const EXTENSION_DEPS = /^(@types\/chrome|@types\/firefox-webext-browser|webextension-polyfill|@types\/webextension-polyfill|wxt|plasmo|@crxjs\/vite-plugin|web-ext)$/;
const SERVER_DEPS = /^(express|koa|fastify|@hapi\/hapi|hapi|restify|firebase-functions|@vercel\/node|serverless-http)$/;
/** The folders a bundler takes a UI app's modules from (CRA, Vite, Vue CLI, Angular: src/; full-stack layouts: client/, frontend/). */
const BUNDLE_PATH = /(?:^|\/)(?:src|client|frontend|web|www)\//;
/** Frameworks that render UI modules on the server as well, and shells that run them in Node. */
const SSR_DEPS = /^(next|nuxt|nuxt3|gatsby|@remix-run\/[\w-]+|@sveltejs\/kit|astro|@nguniversal\/[\w-]+|@angular\/ssr|@angular\/platform-server|vite-plugin-ssr|vike|razzle|react-dom-server|electron|electron-prebuilt|nw|meteor-node-stubs|firebase-functions)$/;

/** Desktop shells: a BrowserWindow page runs the bundle (the renderer) in Chromium, only the main process is Node. */
const DESKTOP_SHELL_DEPS = /^(electron|electron-prebuilt|nw)$/;
/**
 * A desktop shell's main process inside the bundle folder: electron-vue's `src/main/`, Vue CLI
 * Electron Builder's `src/background.js`, or a file using the main process's own API (a window, the
 * app's lifecycle, the main side of IPC).
 */
const SHELL_MAIN_PATH = /(?:^|\/)(?:main|electron|electron-main)\/|(?:^|\/)(?:background|electron|electron-main|main-process)\.[cm]?[jt]s$/i;
const SHELL_MAIN_API = /\b(?:BrowserWindow|ipcMain|app\.(?:on|whenReady|quit))\b/;

/**
 * Whether dependency `d` says the package's UI modules may run on a server or in Node: a
 * server-rendering framework (not an Angular renderer only the dev build has), or a desktop shell
 * for its main process only (the renderer modules of an Electron app are browser code, loaded by
 * its page like any bundle's).
 */
function rendersOutsideBrowser(pkg: Pkg, d: string, rel: string, text: string): boolean {
  if (!SSR_DEPS.test(d) || bundleOnlyRenderer(pkg, d)) return false;
  return !DESKTOP_SHELL_DEPS.test(d) || SHELL_MAIN_PATH.test(rel) || SHELL_MAIN_API.test(text);
}

/** Angular's server renderers: the server must load them itself (`renderModule`, an express engine). */
const ANGULAR_SSR = /^(@nguniversal\/[\w-]+|@angular\/ssr|@angular\/platform-server)$/;

/**
 * An Angular server renderer listed only among the devDependencies of a package whose server
 * framework is a runtime dependency: the server installs its dependencies and runs without it, so
 * it only serves the bundle (an Angular app built by webpack, `@angular/*` all in devDependencies
 * beside `express` in dependencies). A renderer among the dependencies still says server rendering.
 */
function bundleOnlyRenderer(pkg: Pkg, d: string): boolean {
  const has = (o: Record<string, string> | undefined, k: string) => !!o && Object.prototype.hasOwnProperty.call(o, k);
  return ANGULAR_SSR.test(d) && !has(pkg.dependencies, d) && has(pkg.devDependencies, d) && Object.keys(pkg.dependencies ?? {}).some((x) => SERVER_DEPS.test(x));
}

const SERVER_IMPORT_ALL = new RegExp(SERVER_IMPORT.source, 'g');
const BUILTIN_NAME = new RegExp(`['"](${NODE_BUILTINS})['"]$`);

/** Built-ins that bundlers for the browser port (webpack 4, browserify): on their own they do not say server. */
const PORTED_BUILTIN = /^(?:events|url|querystring|util|path|stream)$/;

/**
 * An import of a Node built-in or a server library: 'strong', or 'weak' when every one is a
 * built-in a browser bundler ports (`require('events').EventEmitter` of a Flux store), which
 * browser hints of the file outweigh. A bare built-in name the nearest package.json lists as a
 * dependency is the npm package of that name (`querystring`, `url`: the browser port), no sign.
 */
function serverImport(text: string, path: string, project?: BrowserProject): 'strong' | 'weak' | undefined {
  if (!SERVER_IMPORT.test(text)) return undefined;
  let deps: Record<string, string> | undefined;
  let weak = false;
  SERVER_IMPORT_ALL.lastIndex = 0;
  for (let m = SERVER_IMPORT_ALL.exec(text); m; m = SERVER_IMPORT_ALL.exec(text)) {
    const name = BUILTIN_NAME.exec(m[0])?.[1];
    if (!name) return 'strong';
    deps ??= nearestPackage(path, project)?.dependencies ?? {};
    if (Object.prototype.hasOwnProperty.call(deps, name)) continue;
    if (!PORTED_BUILTIN.test(name)) return 'strong';
    weak = true;
  }
  return weak ? 'weak' : undefined;
}

export interface BrowserProject { root?: string; readFile?(absPath: string): string | undefined }

export type Runtime = 'browser' | 'server';

/**
 * The last answer: several rules (and fix) ask about the same file in a row; the answer depends
 * only on the path, the text and the project.
 */
let last: { filename: string; text: string; project: BrowserProject | undefined; runtime: Runtime } | undefined;

/** Where a file runs (see the module comment). */
export function runtimeOf(filename: string, text: string, project?: BrowserProject): Runtime {
  if (last && last.filename === filename && last.text === text && last.project === project) return last.runtime;
  const runtime = runtimeUncached(filename, text, project);
  last = { filename, text, project, runtime };
  return runtime;
}

function runtimeUncached(filename: string, text: string, project?: BrowserProject): Runtime {
  const path = filename.split('\\').join('/');
  const imported = serverImport(text, path, project);
  if (imported === 'strong' || (text.includes('use server') && directiveAtLineStart(text, USE_SERVER)) || anyOf(SERVER_HINT, text)) return 'server';
  if (anyInCode(BROWSER_HINT, text) || (text.includes('use client') && directiveAtLineStart(text, USE_CLIENT))) return 'browser';
  if (imported) return 'server';
  const rel = project?.root && path.startsWith(project.root) ? path.slice(project.root.length) : path;
  if (SERVER_PATH.test(rel)) return 'server';
  if (BROWSER_EXT.test(path) || STATIC_PATH.test(rel)) return 'browser';
  const pkg = nearestPackage(path, project);
  if (pkg) {
    const deps = Object.keys({ ...pkg.dependencies, ...pkg.devDependencies });
    if (pkg.browser !== undefined) return 'browser';
    if (nextServerModule(deps, text)) return 'server';
    if (deps.some((d) => UI_DEPS.test(d) || EXTENSION_DEPS.test(d)) && !deps.some((d) => SERVER_DEPS.test(d))) return 'browser';
    // a UI app whose server only serves its bundle (server.js: express.static + index.html): a module
    // with nothing of the server in it, in the bundle's source folder (src/, client/...), is the
    // bundle's, unless a framework renders it on the server too (Next, Nuxt...) or it is a desktop
    // shell's main process (Electron's renderer modules are the page's). Elsewhere (routes/, lib/,
    // services/ beside server.js) it stays the server's: a full-stack package's API helpers run in Node.
    if (deps.some((d) => UI_DEPS.test(d)) && !deps.some((d) => rendersOutsideBrowser(pkg, d, rel, text)) && BUNDLE_PATH.test(rel)) return 'browser';
    // a page bundle with no UI framework (webpack with html-webpack-plugin or its dev server,
    // Parcel, Vite) and no server framework: its source folder's modules run in the browser
    if (deps.some((d) => PAGE_BUNDLER_DEPS.test(d)) && !deps.some((d) => SERVER_DEPS.test(d) || rendersOutsideBrowser(pkg, d, rel, text)) && BUNDLE_PATH.test(rel)) return 'browser';
  }
  return 'server';
}

/**
 * Next.js inlines only NEXT_PUBLIC_ variables into the browser bundle: in a Next.js project, a module
 * that reads another (`process.env.SOUNDCLOUD_CLIENT_ID`) is written for the server (a route handler's lib module).
 */
const nextServerModule = (deps: readonly string[], text: string): boolean => deps.includes('next') && readsServerEnv(text);

const PROCESS_ENV = /\bprocess\.env\.([A-Za-z_]\w*)|\bprocess\.env\[\s*['"]([A-Za-z_]\w*)['"]\s*\]/g;
/** The text reads an environment variable Next.js keeps out of the browser bundle (not NEXT_PUBLIC_*, not NODE_ENV). */
function readsServerEnv(text: string): boolean {
  if (!text.includes('process.env')) return false;
  PROCESS_ENV.lastIndex = 0;
  for (let m = PROCESS_ENV.exec(text); m; m = PROCESS_ENV.exec(text)) {
    const name = m[1] ?? m[2]!;
    if (!name.startsWith('NEXT_PUBLIC_') && name !== 'NODE_ENV') return true;
  }
  return false;
}

export const runsInBrowser = (filename: string, text: string, project?: BrowserProject): boolean => runtimeOf(filename, text, project) === 'browser';

/**
 * Server only by the project's default in a project that also has a UI framework (Nuxt, Next with
 * Express...): nothing in the file or its path says server, and its code may well be bundled for
 * the browser (a `utils/` module imported by pages). fix gives such a file no app credentials.
 */
export function serverByDefaultInUiProject(filename: string, text: string, project?: BrowserProject): boolean {
  const path = filename.split('\\').join('/');
  if (runtimeOf(filename, text, project) !== 'server' || serverImport(text, path, project) || anyOf(SERVER_HINT, text) || (text.includes('use server') && directiveAtLineStart(text, USE_SERVER))) return false;
  if (SERVER_PATH.test(project?.root && path.startsWith(project.root) ? path.slice(project.root.length) : path)) return false;
  const pkg = nearestPackage(path, project);
  const deps = pkg ? Object.keys({ ...pkg.dependencies, ...pkg.devDependencies }) : [];
  // (a Next.js module reading a server-only variable says server itself)
  return deps.some((d) => UI_DEPS.test(d)) && !nextServerModule(deps, text);
}

interface Pkg { name?: unknown; keywords?: unknown; dependencies?: Record<string, string>; devDependencies?: Record<string, string>; peerDependencies?: Record<string, string>; browser?: unknown }

const LOCAL_SPEC = /^(?:workspace|file|link|portal):/;
/** A version spec that names a git repository: `git://...`, `git+https://...`, `github:user/repo`, `user/repo#ref`. */
const GIT_SPEC = /^(?:git(?:\+[a-z]+)?:\/\/|(?:github|gitlab|bitbucket):|[\w.-]+\/[\w.-]+(?:#.*)?$)/i;

/**
 * Whether the nearest package.json of `filename` takes package `name` from somewhere else than the
 * registry: the tree itself (a `workspace:` (pnpm, yarn, bun), `file:`, `link:` or `portal:` version
 * spec: a monorepo's own package called `soundcloud`), or a git repository other than `upstream`
 * (an author's own wrapper published as `"soundcloud": "git://github.com/me/soundcloud.git"`).
 * It is then imported as 'soundcloud', and is not the npm package of that name.
 */
export function localPackage(filename: string, name: string, project?: BrowserProject, upstream?: RegExp): boolean {
  const pkg = packageOf(filename, project) as Pkg | undefined;
  const spec = pkg && (pkg.dependencies?.[name] ?? pkg.devDependencies?.[name] ?? pkg.peerDependencies?.[name]);
  if (typeof spec !== 'string') return false;
  const s = spec.trim();
  return LOCAL_SPEC.test(s) || (GIT_SPEC.test(s) && !(upstream?.test(s) ?? false));
}

/**
 * Auth.js (`@auth/core`, next-auth 5): an OAuth provider's `checks` default to `['pkce']`, where
 * next-auth 4's default to `['state']`. True when the nearest package.json depends on `@auth/core`
 * or `@auth/*` framework packages, or on next-auth at a 5 / beta version.
 */
export function authJsProject(filename: string, project?: BrowserProject): boolean {
  const pkg = packageOf(filename, project) as Pkg | undefined;
  if (!pkg) return false;
  const deps = { ...pkg.devDependencies, ...pkg.peerDependencies, ...pkg.dependencies };
  if (Object.keys(deps).some((d) => /^@auth\/(core|nextjs|sveltekit|express|qwik|solid-start)$/.test(d))) return true;
  const v = deps['next-auth'];
  return typeof v === 'string' && /^(?:[\^~>=\s]*5\b|beta|latest-beta|5\.0\.0-beta)/.test(v.trim());
}

/** Compilers of newer JavaScript to older (a bundle built through one may use ES2015 syntax whatever its sources are written in). */
const TRANSPILERS = /^(babel-core|@babel\/core|babel-loader|babelify|6to5|buble|traceur|typescript|ts-loader|esbuild|esbuild-loader|@swc\/core|swc-loader|sucrase|vite|parcel|parcel-bundler)$/;

/** The nearest package.json names a JavaScript compiler (Babel, TypeScript, esbuild, swc, a bundler that runs one). */
export function transpiledProject(filename: string, project?: BrowserProject): boolean {
  const pkg = packageOf(filename, project) as Pkg | undefined;
  return !!pkg && Object.keys({ ...pkg.dependencies, ...pkg.devDependencies }).some((d) => TRANSPILERS.test(d));
}

/**
 * Whether `filename` is inside the repository of the package `name`: a package.json in its folder
 * or one of the 5 folders above it has that name (an example with a package.json of its own, one
 * folder below the package's, still counts). The package.json files come from the same per-folder
 * cache as packageOf's.
 */
export function insidePackage(filename: string, name: string, project: BrowserProject): boolean {
  let byDir = packages.get(project);
  if (!byDir) packages.set(project, (byDir = new Map()));
  for (let dir = dirname(filename.split('\\').join('/')), n = 0; n < 6; n++) {
    const found = packageOfDir(dir, project, byDir);
    if (found.up === 0 && found.pkg?.name === name) return true;
    const up = dirname(dir);
    if (up === dir) break;
    dir = up;
  }
  return false;
}

/** The nearest package.json of `filename` (parsed; cached per folder and project), or undefined. */
export function packageOf(filename: string, project?: BrowserProject): { name?: unknown; keywords?: unknown } | undefined {
  return nearestPackage(filename.split('\\').join('/'), project);
}

/**
 * The nearest package.json of each folder, per project: every file of a folder asks the same, and
 * a folder without one answers with its parent's answer (reading every ancestor's package.json
 * path again for each folder, and parsing a big package.json per file, were hot spots). The
 * project's own reader caches the texts for its life anyway. `up`: how many folders above the
 * asked one the answer was found (the walk stops after 40).
 */
type Found = { pkg: Pkg | undefined; up: number };
const packages = new WeakMap<BrowserProject, Map<string, Found>>();
const MAX_UP = 40;

function nearestPackage(file: string, project?: BrowserProject): Pkg | undefined {
  if (!project) return nearestPackageUncached(dirname(file), project);
  let byDir = packages.get(project);
  if (!byDir) packages.set(project, (byDir = new Map()));
  return packageOfDir(dirname(file), project, byDir).pkg;
}

function packageOfDir(dir: string, project: BrowserProject, byDir: Map<string, Found>): Found {
  const hit = byDir.get(dir);
  if (hit) return hit;
  let found: Found;
  const p = join(dir, 'package.json');
  const text = project.readFile?.(p) ?? (existsSync(p) ? safeRead(p) : undefined);
  const up = dirname(dir);
  if (text !== undefined) { let pkg: Pkg | undefined; try { pkg = JSON.parse(text) as Pkg; } catch { pkg = undefined; } found = { pkg, up: 0 }; }
  else if ((project.root && dir === project.root) || up === dir) found = { pkg: undefined, up: 0 };
  else {
    const parent = packageOfDir(up, project, byDir);
    // Past the walk's limit from here: as the plain walk would, give up.
    found = parent.up + 1 < MAX_UP ? { pkg: parent.pkg, up: parent.up + 1 } : { pkg: nearestPackageUncached(dir, project), up: 0 };
  }
  byDir.set(dir, found);
  return found;
}

function nearestPackageUncached(start: string, project?: BrowserProject): Pkg | undefined {
  let dir = start;
  for (let i = 0; i < MAX_UP; i++) {
    const p = join(dir, 'package.json');
    const text = project?.readFile?.(p) ?? (existsSync(p) ? safeRead(p) : undefined);
    if (text !== undefined) { try { return JSON.parse(text) as Pkg; } catch { return undefined; } }
    if (project?.root && dir === project.root) return undefined;
    const up = dirname(dir);
    if (up === dir) return undefined;
    dir = up;
  }
  return undefined;
}
function safeRead(p: string): string | undefined { try { return readFileSync(p, 'utf8'); } catch { return undefined; } }
