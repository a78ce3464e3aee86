/**
 * Hosting rewrites that forward an app's own paths to SoundCloud. The private API (api-v2) and the
 * public one answer a browser app from another origin without CORS headers, so such apps call a
 * relative path (`fetch('/api/soundcloud/search/tracks?client_id=' + id)`) that the host's config
 * forwards: Vercel's `vercel.json` (`rewrites: [{ source: '/api/soundcloud/(.*)', destination:
 * 'https://api-v2.soundcloud.com/$1' }]`, `routes: [{ src, dest }]`), Netlify's `netlify.toml`
 * (`[[redirects]] from = "/sc/*" to = "https://api.soundcloud.com/:splat"`) and `_redirects` file
 * (`/sc/*  https://api.soundcloud.com/:splat  200`). A project-level fact like the env hosts
 * (env-files.ts): read once per scan from the config files discovery lists, by folder; only routes
 * whose destination is a SoundCloud host are kept. The facts give a relative URL of a request the
 * URL the route forwards it to (analysis/facts.ts), so rules and fixes see SoundCloud's host.
 *
 * Proxies written in code (Vite's `server.proxy`, `setupProxy.js`...) are read from the AST by
 * dev-proxy.ts into the same routes. Not read: Next.js `rewrites()` (functions of a config module).
 *
 * No dependencies beyond node:path: the scan's first pass uses it before the engine loads.
 */
import { basename, dirname, join } from 'node:path';

export interface ProxyRoute {
  /** The app's path the route matches: a prefix when `prefix`, else the whole path. */
  from: string;
  prefix: boolean;
  /** Where it goes: an absolute SoundCloud URL (its captured rest appended when `prefix`). */
  to: string;
  file: string;
}

/** Folder (absolute) -> the routes of its configs to SoundCloud. */
export type ProxyRoutes = Map<string, ProxyRoute[]>;

export const PROXY_ROUTES_KEY = 'proxy-routes';

/** A file that may configure a proxy to SoundCloud in code (dev-proxy.ts): worth parsing for its routes (a text check). */
export const mayProxyToSc = (text: string): boolean =>
  // (the scan asks it of every file naming SoundCloud: the words, which most lack, first and by `includes`;
  // each of them holds `roxy` or is `pathRewrite`)
  (text.includes('roxy') || text.includes('pathRewrite')) && /\b(?:proxy|devProxy|createProxyMiddleware|pathRewrite)\b/.test(text)
  && /https?:\/\/(?:[a-z0-9-]+\.)*soundcloud\.com/i.test(text);

/** A config that can hold hosting rewrites. */
export const isProxyConfigName = (name: string): boolean => name === 'vercel.json' || name === 'now.json' || name === 'netlify.toml' || name === '_redirects';

/** A part of a URL the string resolver does not know (analysis/values.ts HOLE; not imported: this module loads before the engine). */
const HOLE = '\uFFFC';
const SC_DEST_RE = /^https?:\/\/(?:[a-z0-9-]+\.)*soundcloud\.com(?=[/?#:]|$)/i;
const MAX_CHARS = 64 * 1024;

/**
 * One route from its source pattern and destination: a source ending in a capture (`/(.*)`,
 * `/:path*`, `/*`) whose destination ends in the same capture (`/$1`, `/:path*`, `/:splat`)
 * forwards the rest of the path; a source without one forwards that path only. Anything else
 * (captures in the middle, a destination that reorders them) is not read.
 */
export function routeOf(source: string, destination: string, file: string): ProxyRoute | undefined {
  const dest = destination.trim();
  if (!SC_DEST_RE.test(dest) || !source.startsWith('/')) return undefined;
  const src = /^(\/[^:*()[\]?]*?)\/?(?:\(\.\*\)|\(\.\+\)|:[A-Za-z_]\w*[*+]?|\*)$/.exec(source.trim());
  if (src) {
    const to = /^(.*?)\/?(?:\$1|:[A-Za-z_]\w*[*+]?|:splat)$/.exec(dest);
    if (!to || /[$:*(]/.test(to[1]!.replace(/^https?:/i, ''))) return undefined;
    return { from: src[1]!.replace(/\/$/, '') + '/', prefix: true, to: to[1]!.replace(/\/$/, '') + '/', file };
  }
  if (/[:*()[\]]/.test(source) || /[$*(]/.test(dest.replace(/^https?:/i, ''))) return undefined;
  return { from: source.trim(), prefix: false, to: dest, file };
}

/**
 * Proxy tables as plain values (dev-proxy.ts reads them from code): `{ '/path': target | { target,
 * rewrite | pathRewrite } }`, webpack's `[{ context, target }]`, Nuxt's `routeRules`.
 */
/** A rewrite `(p) => p.replace(/^\/prefix/, 'to')`, read as its pattern and replacement. */
export interface Rewrite { $rewrite: { pattern: string; to: string } }
export type Plain = string | number | boolean | RegExpValue | Rewrite | typeof UNKNOWN | Plain[] | { [k: string]: Plain } | undefined;
export interface RegExpValue { $regex: string }
/** A value the reader could not work out (a call, a computed rewrite): present, so an entry that has it is not read as without it. */
export const UNKNOWN = Object.freeze({ $unknown: true as const });

const strip = (s: string): string => s.replace(/\/+$/, '');

/** The prefix a rewrite pattern matches at the start (`^\/sc-api` -> `/sc-api`), or undefined when it is not a plain prefix. */
function patternPrefix(pattern: string): string | undefined {
  if (!pattern.startsWith('^')) return undefined;
  const p = pattern.slice(1).replace(/\\\//g, '/').replace(/\\-/g, '-').replace(/\\\./g, '.');
  return /^[\w\-./]*$/.test(p) ? p : undefined;
}

/**
 * One proxy entry: the app's path `key`, the target, and a rewrite of the path (a prefix replaced
 * by a string) if any. The path is kept when there is no rewrite (Vite, webpack, http-proxy-middleware 2).
 */
function entryRoute(key: string, target: string, rewrite: { pattern: string; to: string } | undefined, file: string, stripsKey = false): ProxyRoute | undefined {
  let from = key.replace(/^\^/, '').replace(/\/\*\*?$|\/\(\.\*\)$|\*$/, '');
  if (!from.startsWith('/') || /[*()[\]?:$\\]/.test(from)) return undefined;
  from = strip(from) || '/';
  let rest = stripsKey ? '' : from;
  if (rewrite) {
    const prefix = patternPrefix(rewrite.pattern);
    if (prefix === undefined || !(from + '/').startsWith(strip(prefix) + '/') && from !== prefix) return undefined;
    rest = strip(rewrite.to + from.slice(strip(prefix).length));
  }
  const route = routeOf(`${from === '/' ? '' : from}/(.*)`, `${strip(target)}${rest && !rest.startsWith('/') ? '/' : ''}${rest}/$1`, file);
  return route;
}

/** The rewrite of an entry: a function (`rewrite`, `pathRewrite`) or http-proxy-middleware's `{ '^/x': 'y' }` table (its one entry). */
function rewriteOf(v: { [k: string]: Plain }): { pattern: string; to: string } | undefined | false {
  const r = v.rewrite ?? v.pathRewrite;
  if (r === undefined) return undefined;
  if (typeof r === 'object' && r && '$rewrite' in r) return (r as Rewrite).$rewrite;
  if (typeof r === 'object' && r && !Array.isArray(r) && !('$regex' in r)) {
    const entries = Object.entries(r);
    if (entries.length === 1 && typeof entries[0]![1] === 'string') return { pattern: entries[0]![0], to: entries[0]![1] };
  }
  return false;
}

const targetOf = (v: Plain): string | undefined => {
  if (typeof v === 'string') return v;
  if (v && typeof v === 'object' && !Array.isArray(v) && !('$regex' in v) && !('$rewrite' in v)) {
    const t = (v as { [k: string]: Plain }).target;
    return typeof t === 'string' ? t : undefined;
  }
  return undefined;
};

/** The routes of a proxy table: `{ '/path': target | { target, rewrite | pathRewrite } }` or webpack's `[{ context, target }]`. */
export function tableRoutes(table: Plain, file: string, stripsKey = false): ProxyRoute[] {
  const out: ProxyRoute[] = [];
  const add = (key: string, v: Plain) => {
    const target = targetOf(v);
    if (!target) return;
    const rw = typeof v === 'object' && v && !Array.isArray(v) ? rewriteOf(v as { [k: string]: Plain }) : undefined;
    if (rw === false) return;
    const r = entryRoute(key, target, rw, file, stripsKey);
    if (r) out.push(r);
  };
  if (Array.isArray(table)) {
    for (const item of table) {
      if (!item || typeof item !== 'object' || Array.isArray(item) || '$regex' in item || '$rewrite' in item) continue;
      const ctx = (item as { [k: string]: Plain }).context;
      for (const c of Array.isArray(ctx) ? ctx : [ctx]) if (typeof c === 'string') add(c, item);
    }
  } else if (table && typeof table === 'object' && !('$regex' in table) && !('$rewrite' in table)) {
    for (const [k, v] of Object.entries(table)) add(k, v);
  }
  return out;
}

/** Nuxt's `routeRules: { '/sc/**': { proxy: 'https://api.soundcloud.com/**' } }` (or `proxy: { to }`). */
export function routeRulesRoutes(rules: Plain, file: string): ProxyRoute[] {
  const out: ProxyRoute[] = [];
  if (!rules || typeof rules !== 'object' || Array.isArray(rules) || '$regex' in rules || '$rewrite' in rules) return out;
  for (const [k, v] of Object.entries(rules)) {
    if (!v || typeof v !== 'object' || Array.isArray(v)) continue;
    const p = (v as { [k: string]: Plain }).proxy;
    const to = typeof p === 'string' ? p : p && typeof p === 'object' && !Array.isArray(p) ? (p as { [k: string]: Plain }).to : undefined;
    if (typeof to !== 'string') continue;
    const r = routeOf(k.replace(/\/\*\*$/, '/(.*)'), to.replace(/\/\*\*$/, '/$1'), file);
    if (r) out.push(r);
  }
  return out;
}

/** The routes of one config's text to SoundCloud. */
export function routesIn(text: string, file: string): ProxyRoute[] {
  if (!/soundcloud\.com/i.test(text)) return [];
  const t = text.slice(0, MAX_CHARS);
  const out: ProxyRoute[] = [];
  const add = (s: unknown, d: unknown) => { if (typeof s === 'string' && typeof d === 'string') { const r = routeOf(s, d, file); if (r) out.push(r); } };
  const name = basename(file);
  if (name.endsWith('.json')) {
    let cfg: { rewrites?: unknown; routes?: unknown };
    try { cfg = JSON.parse(t) as typeof cfg; } catch { return []; }
    for (const r of Array.isArray(cfg.rewrites) ? cfg.rewrites : []) add((r as { source?: unknown }).source, (r as { destination?: unknown }).destination);
    for (const r of Array.isArray(cfg.routes) ? cfg.routes : []) add((r as { src?: unknown }).src, (r as { dest?: unknown }).dest);
  } else if (name === 'netlify.toml') {
    // each [[redirects]] table: its from / to keys
    for (const block of t.split(/^\s*\[\[redirects\]\]\s*$/m).slice(1)) {
      const body = block.split(/^\s*\[/m)[0]!;
      const key = (k: string) => new RegExp(`^\\s*${k}\\s*=\\s*(["'])(.*?)\\1`, 'm').exec(body)?.[2];
      add(key('from'), key('to'));
    }
  } else {
    // _redirects: `from to [status]` a line
    for (const line of t.split(/\r?\n/)) {
      const [from, to] = line.replace(/#.*$/, '').trim().split(/\s+/);
      add(from, to);
    }
  }
  return out;
}

/** Reads the configs among `files` (discovery's env and deployment files) and keeps their routes to SoundCloud, by folder. */
export function readProxyRoutes(files: readonly string[], read: (abs: string) => string | undefined): ProxyRoutes {
  const out: ProxyRoutes = new Map();
  for (const f of files) {
    if (!isProxyConfigName(basename(f))) continue;
    let text: string | undefined;
    try { text = read(f); } catch { text = undefined; }
    const routes = text ? routesIn(text, f) : [];
    // a `_redirects` of the site's static folder (copied into the published site) is the app's
    let dir = dirname(f);
    if (/^(?:public|static)$/.test(basename(dir))) dir = dirname(dir);
    if (routes.length) out.set(dir, [...(out.get(dir) ?? []), ...routes]);
  }
  return out;
}

/**
 * The SoundCloud URL a relative URL of `file` is forwarded to by the routes of its folder or a
 * folder above it (up to the project root), or undefined. The query and fragment go along.
 */
export function proxiedUrl(routes: ProxyRoutes, root: string, file: string, url: string): string | undefined {
  if (!routes.size || !url.startsWith('/') || url.startsWith('//')) return undefined;
  const cut = url.search(/[?#]/);
  const path = cut < 0 ? url : url.slice(0, cut);
  const rest = cut < 0 ? '' : url.slice(cut);
  for (let dir = dirname(file); ; ) {
    for (const r of routes.get(dir) ?? []) {
      if (r.prefix && (path + '/').startsWith(r.from)) return r.to + path.slice(r.from.length) + rest;
      // a path joined from pieces: `${PROXY}${new URL(u).pathname}` (the piece after the prefix unknown: U+FFFC)
      if (r.prefix && path.startsWith(r.from.slice(0, -1) + HOLE)) return r.to + path.slice(r.from.length - 1) + rest;
      if (!r.prefix && path === r.from) return r.to + rest;
    }
    const up = dirname(dir);
    if (up === dir || dir === root || dir.length < root.length) return undefined;
    dir = up;
  }
}

/** The project's routes: the scan's (seeded in the cache), else those of the configs in the project root. */
export function projectProxyRoutes(project: { root: string; cache: Map<string, unknown>; readFile(abs: string): string | undefined }): ProxyRoutes {
  let routes = project.cache.get(PROXY_ROUTES_KEY) as ProxyRoutes | undefined;
  if (!routes) {
    const files = ['vercel.json', 'now.json', 'netlify.toml', '_redirects', 'public/_redirects', 'static/_redirects'].map((n) => join(project.root, n));
    project.cache.set(PROXY_ROUTES_KEY, (routes = readProxyRoutes(files, (p) => project.readFile(p))));
  }
  return routes;
}
