/**
 * What keeps `fix` from breaking an app (issue 11): a generated module never takes the name of an
 * existing file, every import a fix adds resolves (or the file fails loudly), code that now imports
 * `sc-migrate/runtime` gets the package in its nearest package.json, the app's own environment
 * names are kept, and a redirect the code handles on purpose is never switched back on.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, join, relative, resolve, sep } from 'node:path';
import type { TSESTree } from '@typescript-eslint/typescript-estree';
import type { Program } from '../engine/types.js';

// ---------------------------------------------------------------- imports

/** Module specifiers a text imports (static and dynamic imports, re-exports, require). */
export function importSpecifiers(text: string): Set<string> {
  const out = new Set<string>();
  const re = /(?:^|[^\w$.])(?:import|export)\s[^'"`;]*?\bfrom\s*['"]([^'"\n]+)['"]|(?:^|[^\w$.])import\s*['"]([^'"\n]+)['"]|(?:^|[^\w$.])(?:require|import)\s*\(\s*['"]([^'"\n]+)['"]\s*\)/g;
  for (const m of text.matchAll(re)) out.add((m[1] ?? m[2] ?? m[3])!);
  return out;
}

/** The specifiers `after` imports that `before` did not. */
export function addedImports(before: string, after: string): string[] {
  const had = importSpecifiers(before);
  return [...importSpecifiers(after)].filter((s) => !had.has(s));
}

const RESOLVE_EXTS = ['', '.js', '.mjs', '.cjs', '.jsx', '.ts', '.tsx', '.mts', '.cts', '.vue', '.json'];
const INDEX = ['/index.js', '/index.ts', '/index.jsx', '/index.tsx', '/index.mjs'];
export const fileExists = (p: string): boolean => { try { return statSync(p).isFile(); } catch { return false; } };

/** The file a relative specifier names (TypeScript's `./x.js` -> `x.ts` too), or undefined. */
export function resolveRelative(fromFile: string, spec: string, exists: (p: string) => boolean = fileExists): string | undefined {
  const base = resolve(dirname(fromFile), spec);
  const cands = [...RESOLVE_EXTS.map((e) => base + e), ...INDEX.map((e) => base + e)];
  if (/\.[cm]?js$/.test(base)) cands.push(base.replace(/\.([cm]?)js$/, '.$1ts'), base.replace(/\.js$/, '.tsx'));
  if (/\.jsx$/.test(base)) cands.push(base.replace(/\.jsx$/, '.tsx'));
  return cands.find(exists);
}

export const packageOf = (spec: string): string => (spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0]!);
const BUILTIN = new Set(builtinModules);
export const isBuiltin = (spec: string): boolean => spec.startsWith('node:') || BUILTIN.has(spec) || BUILTIN.has(packageOf(spec));

/** Why the imports a fix added to a file would break it (an empty list: they are fine). */
export function importProblems(file: string, before: string, after: string, exists: (p: string) => boolean = fileExists): string[] {
  const out: string[] = [];
  for (const spec of addedImports(before, after)) {
    if (!spec.startsWith('.')) continue;
    const to = resolveRelative(file, spec, exists);
    if (!to) out.push(`the added import '${spec}' does not resolve`);
    else if (resolve(to) === resolve(file)) out.push(`the added import '${spec}' is the file itself`);
  }
  return out;
}

// ---------------------------------------------------------------- generated modules

/** A module sc-migrate generated (a later run may reuse it). */
export const GENERATED_HEAD = '// Created by sc-migrate';
const MODULE_EXTS = ['.js', '.mjs', '.cjs', '.jsx', '.ts', '.tsx', '.mts', '.cts', '.d.ts', '.json', '.vue'];

/**
 * Folders where every module is a route or a function of a framework (Next.js / Astro `pages/`,
 * Vercel's top-level `api/`, `netlify/functions/`, Nuxt's `server/api|routes|middleware/`, Remix
 * `app/routes/`): a generated module there would be served as an endpoint (or a page). Relative
 * to the package folder; `$1` is the folder that holds the routes.
 */
const ROUTE_DIR = /^((?:src\/)?)pages(?:\/|$)|^()api(?:\/|$)|^(netlify\/)functions(?:\/|$)|^(server\/)(?:api|routes|middleware)(?:\/|$)|^(app\/)routes(?:\/|$)/;

/** The folder for a generated module used by a file of `dir`: `dir`, or the folder holding its routes folder. */
export function moduleDirFor(dir: string): string {
  const pkg = nearestPackageJson(join(dir, 'x'));
  if (!pkg) return dir;
  const root = dirname(pkg);
  const rel = relative(root, dir).split(sep).join('/');
  const m = ROUTE_DIR.exec(rel);
  if (!m) return dir;
  const holder = m.slice(1).find((x) => x !== undefined) ?? '';
  return join(root, holder);
}

/**
 * The path for a generated module `<base><ext>` in `dir`: an earlier sc-migrate module of that
 * name, else the first of `base`, `sc-migrate-<base>`, `<base>-2`, ... that no file or folder uses
 * under any extension (an app's own `soundcloud-client.js` is never imported in its place).
 */
export function freeModulePath(dir: string, base: string, ext: string, read: (p: string) => string | undefined, planned: ReadonlySet<string> = new Set()): string {
  const names = [base, `sc-migrate-${base}`, ...Array.from({ length: 20 }, (_, i) => `${base}-${i + 2}`)];
  for (const name of names) {
    const taken = MODULE_EXTS.map((e) => join(dir, name + e)).filter((p) => planned.has(p) || read(p) !== undefined);
    const folder = existsSync(join(dir, name));
    if (!taken.length && !folder) return join(dir, name + ext);
    const ours = taken.find((p) => planned.has(p) || read(p)?.startsWith(GENERATED_HEAD));
    if (ours && !folder && taken.length === 1) return ours;
  }
  throw new Error(`no free name for a generated module ${base}${ext} in ${dir}`);
}

// ---------------------------------------------------------------- package.json

export const RUNTIME_PACKAGE = 'sc-migrate';

/** Whether a text (newly) imports a package. */
export const importsPackage = (text: string, pkg: string): boolean => [...importSpecifiers(text)].some((s) => packageOf(s) === pkg);

/** The nearest package.json above a file (up to `stop`, the project root, when given). */
export function nearestPackageJson(file: string, stop?: string): string | undefined {
  let dir = dirname(resolve(file));
  for (;;) {
    const p = join(dir, 'package.json');
    if (fileExists(p)) return p;
    if (stop && resolve(dir) === resolve(stop)) return undefined;
    const up = dirname(dir);
    if (up === dir) return undefined;
    dir = up;
  }
}

/** Whether a package.json text lists a package in any of its dependency fields. */
export function hasDependency(pkgText: string, name: string): boolean {
  try {
    const j = JSON.parse(pkgText) as Record<string, unknown>;
    if (j.name === name) return true;
    return ['dependencies', 'devDependencies', 'peerDependencies', 'optionalDependencies'].some((k) => !!j[k] && typeof j[k] === 'object' && name in (j[k] as object));
  } catch { return false; }
}

/**
 * package.json text with `"name": "range"` added to `dependencies`, keeping everything else
 * byte-identical: the file's indentation, line endings, key order (an alphabetical list stays
 * alphabetical) and final newline. Undefined when the text is not a JSON object.
 */
export function addDependency(pkgText: string, name: string, range: string): string | undefined {
  const bom = pkgText.startsWith('\uFEFF') ? '\uFEFF' : '';
  const text = bom ? pkgText.slice(1) : pkgText;
  let json: Record<string, unknown>;
  try { json = JSON.parse(text) as Record<string, unknown>; } catch { return undefined; }
  if (!json || typeof json !== 'object' || Array.isArray(json)) return undefined;
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const unit = /^[{[][^\n]*\n([ \t]+)"/.exec(text)?.[1] ?? '  ';
  const entry = `${JSON.stringify(name)}: ${JSON.stringify(range)}`;
  const deps = json.dependencies;
  const keyAt = topLevelKey(text, 'dependencies');
  if (deps && typeof deps === 'object' && keyAt !== undefined) {
    const open = text.indexOf('{', keyAt);
    const close = matchingBrace(text, open);
    if (open < 0 || close < 0) return undefined;
    const inner = text.slice(open + 1, close);
    const keys = Object.keys(deps);
    if (!keys.length) return bom + text.slice(0, open + 1) + `${eol}${unit}${unit}${entry}${eol}${unit}` + text.slice(close);
    // the entries and where each starts
    const entries = [...inner.matchAll(/(\r?\n)([ \t]*)("(?:[^"\\]|\\.)*")\s*:/g)];
    if (entries.length !== keys.length) {
      // one-line object: { "a": "1" }
      return bom + text.slice(0, close).replace(/\s*$/, '') + `, ${entry}` + text.slice(close).replace(/^/, inner.endsWith(' ') ? ' ' : '');
    }
    const sorted = keys.every((k, i) => i === 0 || keys[i - 1]!.localeCompare(k) <= 0);
    const indent = entries[0]![2]!;
    let idx = sorted ? keys.findIndex((k) => k.localeCompare(name) > 0) : -1;
    if (idx === -1) idx = keys.length;
    if (idx < keys.length) {
      const at = open + 1 + entries[idx]!.index!;
      return bom + text.slice(0, at) + `${eol}${indent}${entry},` + text.slice(at);
    }
    // after the last entry: find the end of its value
    const lastStart = open + 1 + entries[entries.length - 1]!.index!;
    const valueEnd = endOfValue(text, text.indexOf(':', lastStart) + 1);
    return bom + text.slice(0, valueEnd) + `,${eol}${indent}${entry}` + text.slice(valueEnd);
  }
  // no dependencies: add the field after the last top-level entry
  const close = text.lastIndexOf('}');
  const before = text.slice(0, close).replace(/\s*$/, '');
  const empty = before.endsWith('{');
  return bom + before + `${empty ? '' : ','}${eol}${unit}"dependencies": {${eol}${unit}${unit}${entry}${eol}${unit}}${eol}` + text.slice(close);
}

/** Offset of a top-level key's opening quote in a JSON object text. */
function topLevelKey(text: string, key: string): number | undefined {
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === '"') {
      const end = stringEnd(text, i);
      if (depth === 1 && text.slice(i + 1, end) === key && /^\s*:/.test(text.slice(end + 1))) return i;
      i = end;
    } else if (c === '{' || c === '[') depth++;
    else if (c === '}' || c === ']') depth--;
  }
  return undefined;
}
function stringEnd(text: string, i: number): number {
  for (let j = i + 1; j < text.length; j++) { if (text[j] === '\\') j++; else if (text[j] === '"') return j; }
  return text.length;
}
function matchingBrace(text: string, open: number): number {
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    const c = text[i]!;
    if (c === '"') i = stringEnd(text, i);
    else if (c === '{' || c === '[') depth++;
    else if ((c === '}' || c === ']') && --depth === 0) return i;
  }
  return -1;
}
function endOfValue(text: string, from: number): number {
  let i = from;
  while (/\s/.test(text[i] ?? '')) i++;
  if (text[i] === '"') return stringEnd(text, i) + 1;
  if (text[i] === '{' || text[i] === '[') return matchingBrace(text, i) + 1;
  while (i < text.length && !/[,}\]\s]/.test(text[i]!)) i++;
  return i;
}

/** The range to add for this package ("^<version>" of the running sc-migrate). */
export function runtimeRange(): string {
  let dir = dirname(new URL(import.meta.url).pathname);
  for (let i = 0; i < 6; i++) {
    const p = join(dir, 'package.json');
    try {
      const j = JSON.parse(readFileSync(p, 'utf8')) as { name?: string; version?: string };
      if (j.name === RUNTIME_PACKAGE && j.version) return `^${j.version}`;
    } catch { /* keep looking */ }
    dir = dirname(dir);
  }
  return 'latest';
}

// ---------------------------------------------------------------- environment names

export interface AppEnv { clientId?: string; clientSecret?: string }

/** Words of an env name that name no service (framework prefixes, the credential's own words). */
const GENERIC_WORDS = new Set(['REACT', 'APP', 'VITE', 'GATSBY', 'NEXT', 'NUXT', 'EXPO', 'PUBLIC', 'API', 'CLIENT', 'ID', 'SECRET', 'KEY', 'CLIENTID', 'CLIENTSECRET']);

/**
 * The environment variables an app already reads for its SoundCloud client id and secret: a name
 * that names SoundCloud (`SC_CLIENT_ID`, `VITE_SOUNDCLOUD_CLIENT_SECRET`, also `GATSBY_SOUNDCLOUD_API_KEY`
 * for the id), else a generic one (`CLIENT_ID`, `REACT_APP_CLIENT_SECRET`); never one naming
 * another service (`GATSBY_SPOTIFY_CLIENT_ID`, `DISCORD_CLIENT_ID`: its credentials would be sent to SoundCloud).
 */
export function appEnvNames(texts: Iterable<string>): AppEnv {
  const sc: AppEnv = {};
  const generic: AppEnv = {};
  for (const t of texts) {
    for (const m of t.matchAll(/\b(?:process\.env|import\.meta\.env|Deno\.env\.get\(|env)\s*(?:\.\s*([A-Za-z_][\w]*)|\[\s*['"]([A-Za-z_]\w*)['"]\s*\]|['"]([A-Za-z_]\w*)['"])/g)) {
      const name = (m[1] ?? m[2] ?? m[3])!;
      if (name === 'SOUNDCLOUD_CLIENT_ID' || name === 'SOUNDCLOUD_CLIENT_SECRET') continue;
      const words = name.toUpperCase().split('_').filter(Boolean);
      const soundcloud = words.some((w) => w === 'SC' || w.startsWith('SOUNDCLOUD'));
      if (!soundcloud && !words.every((w) => GENERIC_WORDS.has(w))) continue;
      const out = soundcloud ? sc : generic;
      if (/CLIENT_?ID$/i.test(name) || soundcloud && /(?:^|_)API_?KEY$/i.test(name)) out.clientId ??= name;
      else if (/CLIENT_?SECRET$|^S(?:OUND)?C(?:LOUD)?_?SECRET$/i.test(name)) out.clientSecret ??= name;
    }
  }
  return { ...(sc.clientId ?? generic.clientId ? { clientId: sc.clientId ?? generic.clientId } : {}), ...(sc.clientSecret ?? generic.clientSecret ? { clientSecret: sc.clientSecret ?? generic.clientSecret } : {}) };
}

// ---------------------------------------------------------------- deliberate redirects

const READS_REDIRECT = /\.status(?:Code)?\s*(?:===?|!==?|>=?|<=?)\s*3\d\d\b|\b3\d\d\s*(?:===?|!==?|>=?|<=?)\s*[\w$.]+\.status(?:Code)?\b|\bheaders\s*\.\s*get\(\s*['"`]location['"`]\s*\)|\bheaders\s*(?:\.\s*location\b|\[\s*['"`]location['"`]\s*\])|\bcase\s+30[1278]\s*:|\.redirected\b/i;

/**
 * Whether the code around an offset reads a redirect itself (the response's 3xx status or its
 * Location header): the function holding it, or the whole file at top level.
 */
export function readsRedirect(ast: Program, text: string, offset: number): boolean {
  let fn: TSESTree.Node | undefined;
  const visit = (n: TSESTree.Node) => {
    for (const key of Object.keys(n)) {
      if (key === 'parent' || key === 'loc' || key === 'range') continue;
      const v = (n as unknown as Record<string, unknown>)[key];
      for (const k of Array.isArray(v) ? v : [v]) {
        const c = k as TSESTree.Node | undefined;
        if (!c || typeof c.type !== 'string' || !c.range || c.range[0] > offset || c.range[1] <= offset) continue;
        if (/Function/.test(c.type)) fn = c;
        visit(c);
      }
    }
  };
  visit(ast as unknown as TSESTree.Node);
  // the outermost function that is not the whole module wrapper: widen to the enclosing top-level function
  const scope = fn ? text.slice(fn.range[0], fn.range[1]) : text;
  return READS_REDIRECT.test(scope);
}



/** The app's env names for its client id and secret: this file, the modules it imports, and the package's .env files. */
export function appEnvOf(file: string, text: string, project?: { readFile(p: string): string | undefined }): AppEnv {
  const read = (p: string) => project?.readFile(p) ?? (fileExists(p) ? readFileSync(p, 'utf8') : undefined);
  const texts = [text];
  for (const spec of importSpecifiers(text)) {
    if (!spec.startsWith('.')) continue;
    const p = resolveRelative(file, spec);
    const t = p && read(p);
    if (t) texts.push(t);
  }
  const pkg = nearestPackageJson(file);
  if (pkg) for (const name of ['.env.example', '.env.sample', '.env.template']) {
    const t = read(join(dirname(pkg), name));
    if (t) texts.push(t.replace(/^([A-Za-z_]\w*)=/gm, 'process.env.$1='));
  }
  return appEnvNames(texts);
}
