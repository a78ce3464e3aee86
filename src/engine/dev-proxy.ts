/**
 * Proxies written in code that forward an app's own paths to SoundCloud: a browser app calls
 * `/sc-api/search/tracks?client_id=...` and its dev server (or its own server) sends it on.
 * - Vite `server.proxy` / `preview.proxy`, webpack and Vue CLI `devServer.proxy` (an object keyed
 *   by path, or webpack's array of `{ context, target }`), Nuxt `nitro.devProxy`:
 *   `'/sc-api': { target: 'https://api-v2.soundcloud.com', rewrite: (p) => p.replace(/^\/sc-api/, '') }`
 *   (or `pathRewrite: { '^/sc-api': '' }`, or the target alone as a string);
 * - Nuxt `routeRules: { '/sc/**': { proxy: 'https://api.soundcloud.com/**' } }`;
 * - http-proxy-middleware mounted on a path: `app.use('/sc/v1', createProxyMiddleware({ target, pathRewrite }))`
 *   (setupProxy.js of Create React App, an Express server beside the front end);
 * The routes join the hosting rewrites (proxy-routes.ts): the facts give a relative URL they
 * forward its SoundCloud URL. Values are read from literals and the file's variables (by name: a
 * config module's own); a rewrite other than a prefix replaced by a string is not followed (the
 * route is dropped). Not read: Angular's proxy.conf.json / proxy.conf.js (a table not under a
 * `proxy` key, named from angular.json), http-proxy's `proxy.web(req, res)` inside a route handler.
 */
import type { TSESTree } from '@typescript-eslint/typescript-estree';
import { basename, dirname, join } from 'node:path';
import { mayProxyToSc, PROXY_ROUTES_KEY, projectProxyRoutes, routeRulesRoutes, tableRoutes, type Plain, type ProxyRoute, type ProxyRoutes, type RegExpValue, UNKNOWN } from './proxy-routes.js';
import { propName } from './analysis/values.js';
import { traverseCollect } from './walk.js';

type N = TSESTree.Node;

/** A config file of a dev server or framework: its routes serve the app of its folder (else the whole project's). */
const isAppConfig = (file: string): boolean => /^(?:vite|vue|nuxt|webpack[\w.-]*)\.config\.[cm]?[jt]s$|^webpack[\w.-]*\.[cm]?js$/.test(basename(file));

/** The folder whose relative URLs a proxy file's routes forward: its app's (CRA's `src/setupProxy.js`: the folder above). */
export function proxyScope(file: string, root: string): string {
  const name = basename(file);
  if (/^setupProxy\.[cm]?[jt]s$/.test(name)) return dirname(dirname(file));
  return isAppConfig(file) ? dirname(file) : root;
}

/** A property's key as written (`proxy`, `'/sc-api'`); none for a computed one. */
const keyName = (p: TSESTree.Property): string | undefined => (p.computed ? undefined : propName(p));

/** The value of an expression made of literals and the file's own constants (depth-limited). */
function plainOf(n: N | null | undefined, consts: Map<string, N>, depth = 0): Plain {
  if (!n || depth > 8) return undefined;
  switch (n.type) {
    case 'Literal':
      if ('regex' in n && n.regex) return { $regex: n.regex.pattern };
      return typeof n.value === 'string' || typeof n.value === 'number' || typeof n.value === 'boolean' ? n.value : undefined;
    case 'TemplateLiteral':
      return n.expressions.length ? undefined : n.quasis[0]!.value.cooked ?? undefined;
    case 'Identifier': {
      const init = consts.get(n.name);
      return init ? plainOf(init, consts, depth + 1) : undefined;
    }
    case 'TSAsExpression': case 'TSSatisfiesExpression': case 'TSNonNullExpression':
      return plainOf(n.expression, consts, depth + 1);
    case 'ArrayExpression':
      return n.elements.map((e) => (e && e.type !== 'SpreadElement' ? plainOf(e, consts, depth + 1) : undefined));
    case 'ObjectExpression': {
      const o: { [k: string]: Plain } = {};
      for (const p of n.properties) {
        if (p.type !== 'Property') continue;
        const k = keyName(p);
        if (k !== undefined) o[k] = plainOf(p.value as N, consts, depth + 1) ?? UNKNOWN;
      }
      return o;
    }
    case 'ArrowFunctionExpression': case 'FunctionExpression': {
      // (p) => p.replace(/^\/x/, 'y')
      const param = n.params[0];
      let body: N | undefined | null = n.body;
      if (body?.type === 'BlockStatement') body = body.body.length === 1 && body.body[0]!.type === 'ReturnStatement' ? body.body[0]!.argument : undefined;
      if (param?.type !== 'Identifier' || body?.type !== 'CallExpression') return undefined;
      const c = body.callee;
      if (c.type !== 'MemberExpression' || c.computed || c.property.type !== 'Identifier' || c.property.name !== 'replace') return undefined;
      if (c.object.type !== 'Identifier' || c.object.name !== param.name) return undefined;
      const [re, to] = body.arguments.map((a) => plainOf(a as N, consts, depth + 1));
      const pattern = re && typeof re === 'object' && '$regex' in re ? (re as RegExpValue).$regex : typeof re === 'string' ? `^${re}` : undefined;
      return pattern !== undefined && typeof to === 'string' ? { $rewrite: { pattern, to } } : undefined;
    }
    default:
      return undefined;
  }
}

/** A call of http-proxy-middleware's factory (`createProxyMiddleware(...)`, v0's `proxy(...)` of `require('http-proxy-middleware')`). */
const isHpmCall = (n: N, hpmNames: Set<string>): n is TSESTree.CallExpression => {
  if (n.type !== 'CallExpression') return false;
  const c = n.callee;
  const name = c.type === 'Identifier' ? c.name : c.type === 'MemberExpression' && !c.computed && c.property.type === 'Identifier' ? c.property.name : undefined;
  return name === 'createProxyMiddleware' || (!!name && hpmNames.has(name));
};

/** The routes to SoundCloud a module's code configures (see the file's comment). */
export function codeProxyRoutes(ast: TSESTree.Program, file: string): ProxyRoute[] {
  const consts = new Map<string, N>();
  const hpmNames = new Set<string>();
  const props: TSESTree.Property[] = [];
  const calls: TSESTree.CallExpression[] = [];
  traverseCollect(ast as never, (raw) => {
    const n = raw as N;
    if (n.type === 'VariableDeclarator' && n.id.type === 'Identifier' && n.init) {
      consts.set(n.id.name, n.init);
      // const proxy = require('http-proxy-middleware')
      const i = n.init;
      if (i.type === 'CallExpression' && i.callee.type === 'Identifier' && i.callee.name === 'require' && i.arguments[0]?.type === 'Literal' && i.arguments[0].value === 'http-proxy-middleware') hpmNames.add(n.id.name);
    } else if (n.type === 'ImportDeclaration' && n.source.value === 'http-proxy-middleware') {
      for (const s of n.specifiers) if (s.type !== 'ImportSpecifier' || (s.imported.type === 'Identifier' && s.imported.name === 'createProxyMiddleware')) hpmNames.add(s.local.name);
    } else if (n.type === 'Property') props.push(n);
    else if (n.type === 'CallExpression') calls.push(n);
  });
  const out: ProxyRoute[] = [];
  for (const p of props) {
    const k = keyName(p);
    if (k === 'proxy' || k === 'devProxy') out.push(...tableRoutes(plainOf(p.value as N, consts), file, k === 'devProxy'));
    else if (k === 'routeRules') out.push(...routeRulesRoutes(plainOf(p.value as N, consts), file));
  }
  // http-proxy-middleware: `app.use('/mount', createProxyMiddleware(opts))`, the middleware maybe in a constant
  const mounts = new Map<N, string>();
  for (const c of calls) {
    const callee = c.callee;
    if (callee.type !== 'MemberExpression' || callee.property.type !== 'Identifier' || !/^(?:use|all|get)$/.test(callee.property.name)) continue;
    const [path, mw] = c.arguments;
    const at = plainOf(path as N, consts);
    if (typeof at !== 'string' || !mw) continue;
    const target = mw.type === 'Identifier' ? consts.get(mw.name) : mw;
    if (target) mounts.set(target, at);
  }
  for (const c of calls) {
    if (!isHpmCall(c, hpmNames)) continue;
    const args = c.arguments.map((a) => plainOf(a as N, consts));
    const opts = args.find((a) => a && typeof a === 'object' && !Array.isArray(a) && 'target' in a) as { [k: string]: Plain } | undefined;
    if (!opts) continue;
    const ctx = typeof args[0] === 'string' ? args[0] : opts.pathFilter ?? opts.context;
    const mount = mounts.get(c);
    const keys = typeof ctx === 'string' ? [ctx] : Array.isArray(ctx) ? ctx.filter((x): x is string => typeof x === 'string') : mount !== undefined ? [mount] : [];
    for (const key of keys) out.push(...tableRoutes({ [key]: opts }, file));
  }
  return out;
}

/** Adds the code routes of `files` (each parsed by `parse` when its text may configure a proxy to SoundCloud) to `routes`, by their scope's folder. */
export function addCodeRoutes(routes: ProxyRoutes, files: readonly string[], root: string, read: (abs: string) => string | undefined, parse: (abs: string, text: string) => TSESTree.Program | undefined): void {
  for (const f of files) {
    let found: ProxyRoute[] = [];
    try {
      const text = read(f);
      const ast = text && mayProxyToSc(text) ? parse(f, text) : undefined;
      if (ast) found = codeProxyRoutes(ast, f);
    } catch { found = []; }
    if (!found.length) continue;
    const dir = proxyScope(f, root);
    routes.set(dir, [...(routes.get(dir) ?? []), ...found]);
  }
}

/** Dev-server configs looked at when no scan seeded the routes (the ESLint plugin, `fix` on given files): the project root's. */
const ROOT_CONFIGS = ['vite.config.js', 'vite.config.ts', 'vite.config.mjs', 'vite.config.mts', 'vue.config.js', 'nuxt.config.js', 'nuxt.config.ts', 'webpack.config.js', 'src/setupProxy.js'];

/** The project's routes: the scan's (seeded in the cache), else those of the configs and dev-server configs in the project root. */
export function projectRoutes(project: { root: string; cache: Map<string, unknown>; readFile(abs: string): string | undefined; loadModule(abs: string): { ast: TSESTree.Program } | undefined }): ProxyRoutes {
  const seeded = project.cache.get(PROXY_ROUTES_KEY) as ProxyRoutes | undefined;
  if (seeded) return seeded;
  const routes = projectProxyRoutes(project);
  addCodeRoutes(routes, ROOT_CONFIGS.map((n) => join(project.root, n)), project.root, (p) => project.readFile(p), (p) => project.loadModule(p)?.ast);
  return routes;
}
