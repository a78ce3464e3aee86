/**
 * Lockfiles as one dependency graph: package-lock.json v1/v2/v3 and npm-shrinkwrap.json (the
 * `packages` map keyed by install path; v1's nested tree is turned into one), yarn.lock v1 (@yarnpkg/lockfile) and berry (YAML),
 * pnpm-lock.yaml v5/v6/v9 (YAML). Each node is an installed package (name + version); edges are
 * its dependencies as the package manager resolved them; `roots` are the app's direct dependencies.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { createRequire } from 'node:module';
import { DepsError } from './errors.js';

/** yarn v1's own lockfile parser (CommonJS; its ESM default export differs between loaders). */
const yarnLockfile = createRequire(import.meta.url)('@yarnpkg/lockfile') as { parse(text: string): { type: 'success' | 'merge' | 'conflict'; object: Record<string, unknown> } };

export type LockfileKind = 'package-lock' | 'npm-shrinkwrap' | 'yarn-v1' | 'yarn-berry' | 'pnpm';

export interface DepNode {
  /** Unique in the graph: the install path for npm (`node_modules/a/node_modules/b`), else `name@version`. */
  id: string;
  name: string;
  version: string;
  /** Ids of its dependencies. */
  deps: string[];
  dev?: boolean;
}

export interface DepGraph {
  kind: LockfileKind;
  /** The lockfile's name, relative to the app folder. */
  file: string;
  /** The app's own name (package.json), for dependency paths. */
  rootName: string;
  roots: string[];
  nodes: Map<string, DepNode>;
  /** Entries the parser could not place (a person should look). */
  warnings: string[];
}

export class LockfileError extends DepsError {
  override name = 'LockfileError';
}

/** Lockfiles in the order a package manager would pick them (shrinkwrap wins over package-lock). */
export const LOCKFILES: readonly [string, LockfileKind | 'yarn'][] = [
  ['npm-shrinkwrap.json', 'npm-shrinkwrap'],
  ['package-lock.json', 'package-lock'],
  ['pnpm-lock.yaml', 'pnpm'],
  ['yarn.lock', 'yarn'],
];

interface Manifest { name?: string; version?: string; dependencies?: Record<string, string>; devDependencies?: Record<string, string>; optionalDependencies?: Record<string, string> }

const readJson = (file: string): unknown => JSON.parse(readFileSync(file, 'utf8'));

export function readManifest(dir: string): Manifest {
  try { return readJson(join(dir, 'package.json')) as Manifest; } catch { return {}; }
}

/** Finds and parses the app's lockfile (`lockfile` names one explicitly). */
export function readLockfile(appDir: string, lockfile?: string): DepGraph {
  const found = lockfile ? [lockfile] : LOCKFILES.map(([f]) => f).filter((f) => existsSync(join(appDir, f)));
  const file = found[0];
  if (!file) throw new LockfileError(`no lockfile in ${appDir} (package-lock.json, npm-shrinkwrap.json, yarn.lock or pnpm-lock.yaml): install with your package manager first`);
  let text: string;
  try { text = readFileSync(resolve(appDir, file), 'utf8'); } catch (e) { throw new LockfileError(`cannot read ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`); }
  const manifest = readManifest(appDir);
  const base = file.replace(/^.*[/\\]/, '');
  try {
    const g = base === 'yarn.lock' ? (/^__metadata:/m.test(text) ? parseYarnBerry(text, manifest, file) : parseYarnV1(text, manifest, file))
      : base.endsWith('.yaml') || base.endsWith('.yml') ? parsePnpm(text, manifest, file)
      : parseNpm(text, manifest, file, base === 'npm-shrinkwrap.json' ? 'npm-shrinkwrap' : 'package-lock');
    if (g.kind !== 'package-lock' && g.kind !== 'npm-shrinkwrap') markDev(g, manifest);
    return g;
  } catch (e) {
    if (e instanceof LockfileError) throw e;
    throw new LockfileError(`${file}: cannot parse: ${(e as Error).message}`);
  }
}

/**
 * Marks what only devDependencies bring in (npm lockfiles say it themselves): the nodes the app's
 * `dependencies` and `optionalDependencies` do not reach. Other roots (workspaces) count as production.
 */
function markDev(g: DepGraph, manifest: Manifest): void {
  const devOnly = new Set(Object.keys(manifest.devDependencies ?? {}).filter((n) => !manifest.dependencies?.[n] && !manifest.optionalDependencies?.[n]));
  const reach = new Set<string>();
  const stack = g.roots.filter((r) => !devOnly.has(g.nodes.get(r)?.name ?? ''));
  while (stack.length) {
    const id = stack.pop()!;
    if (reach.has(id) || !g.nodes.has(id)) continue;
    reach.add(id);
    stack.push(...g.nodes.get(id)!.deps);
  }
  for (const n of g.nodes.values()) if (!reach.has(n.id)) n.dev = true; else delete n.dev;
}

/** The folder of the app's lockfile: the app's own, else the nearest parent's (a workspace root), up to the git top level. */
export function findLockDir(appDir: string): string | undefined {
  let dir = appDir;
  for (;;) {
    if (LOCKFILES.some(([f]) => existsSync(join(dir, f)))) return dir;
    if (existsSync(join(dir, '.git'))) return undefined;
    const up = dirname(dir);
    if (up === dir) return undefined;
    dir = up;
  }
}

const newGraph = (kind: LockfileKind, file: string, manifest: Manifest): DepGraph => ({ kind, file, rootName: manifest.name ?? '(app)', roots: [], nodes: new Map(), warnings: [] });
const depsOf = (o: { dependencies?: Record<string, string>; optionalDependencies?: Record<string, string>; devDependencies?: Record<string, string> } | undefined, dev = false): [string, string][] =>
  Object.entries({ ...(dev ? o?.devDependencies : {}), ...o?.optionalDependencies, ...o?.dependencies });

/**
 * The one installed version of a package, when there is only one: a range the lockfile does not
 * list was rewritten by `resolutions` / overrides, which yarn applies without renaming the range.
 */
function onlyVersion(g: DepGraph): (name: string) => string | undefined {
  const ids = new Map<string, string[]>();
  for (const n of g.nodes.values()) ids.set(n.name, [...(ids.get(n.name) ?? []), n.id]);
  return (name) => { const l = ids.get(name); return l?.length === 1 ? l[0] : undefined; };
}

// ---------------------------------------------------------------- npm (package-lock v2/v3, shrinkwrap)

interface NpmEntry { name?: string; version?: string; link?: boolean; resolved?: string; dev?: boolean; dependencies?: Record<string, string>; optionalDependencies?: Record<string, string>; devDependencies?: Record<string, string>; peerDependencies?: Record<string, string> }

interface NpmV1Entry { version: string; dev?: boolean; optional?: boolean; requires?: Record<string, string>; dependencies?: Record<string, NpmV1Entry> }

/**
 * lockfileVersion 1 (npm 5 and 6, still in many older apps): a nested `dependencies` tree, turned
 * into the v2 `packages` map (keys are install paths, `requires` are the edges).
 */
function v1Packages(deps: Record<string, NpmV1Entry>, manifest: Manifest): Record<string, NpmEntry> {
  const out: Record<string, NpmEntry> = { '': { dependencies: manifest.dependencies ?? {}, devDependencies: manifest.devDependencies ?? {}, optionalDependencies: manifest.optionalDependencies ?? {} } };
  const walk = (tree: Record<string, NpmV1Entry>, prefix: string) => {
    for (const [name, e] of Object.entries(tree)) {
      const key = `${prefix}node_modules/${name}`;
      out[key] = { version: e.version, ...(e.dev ? { dev: true } : {}), ...(e.requires ? (e.optional ? { optionalDependencies: e.requires } : { dependencies: e.requires }) : {}) };
      if (e.dependencies) walk(e.dependencies, `${key}/`);
    }
  };
  walk(deps, '');
  return out;
}

export function parseNpm(text: string, manifest: Manifest, file = 'package-lock.json', kind: LockfileKind = 'package-lock'): DepGraph {
  const lock = JSON.parse(text) as { lockfileVersion?: number; name?: string; packages?: Record<string, NpmEntry>; dependencies?: Record<string, NpmV1Entry> };
  if (!lock.packages && lock.dependencies) lock.packages = v1Packages(lock.dependencies, manifest);
  if (!lock.packages) throw new LockfileError(`${file}: lockfileVersion ${lock.lockfileVersion ?? '?'} lists no packages (run \`npm install\` to write one)`);
  const g = newGraph(kind, file, { ...manifest, name: manifest.name ?? lock.name });
  const pkgs = lock.packages;
  const nameOf = (key: string, e: NpmEntry) => e.name ?? key.slice(key.lastIndexOf('node_modules/') + 'node_modules/'.length);
  // Links (workspaces, file: deps) point at their target folder's entry.
  const target = (key: string): string => { const e = pkgs[key]; return e?.link && e.resolved !== undefined ? e.resolved : key; };
  /** Node's resolution: `dep` required from the package at `from` is the nearest node_modules/dep up the tree. */
  const resolveFrom = (from: string, dep: string): string | undefined => {
    let dir = from;
    for (;;) {
      const key = `${dir ? dir + '/' : ''}node_modules/${dep}`;
      if (pkgs[key]) return target(key);
      if (!dir) return undefined;
      const i = dir.lastIndexOf('/node_modules/');
      dir = i === -1 ? (dir.startsWith('node_modules/') ? '' : dir.includes('/') ? dir.slice(0, dir.lastIndexOf('/')) : '') : dir.slice(0, i);
    }
  };
  for (const [key, e] of Object.entries(pkgs)) {
    if (key === '' || e.link) continue;
    g.nodes.set(key, { id: key, name: nameOf(key, e), version: e.version ?? '0.0.0', deps: [], ...(e.dev ? { dev: true } : {}) });
  }
  for (const [key, e] of Object.entries(pkgs)) {
    if (e.link) continue;
    const node = key === '' ? undefined : g.nodes.get(key)!;
    for (const [dep] of [...depsOf(e, key === '' || !key.includes('node_modules/')), ...Object.entries(e.peerDependencies ?? {})]) {
      const to = resolveFrom(key, dep);
      if (!to || !g.nodes.has(to)) {
        if (!e.peerDependencies?.[dep] && !e.optionalDependencies?.[dep]) g.warnings.push(`${key || 'the app'} depends on ${dep}, which the lockfile does not install`);
        continue;
      }
      if (node) { if (!node.deps.includes(to)) node.deps.push(to); } else if (!g.roots.includes(to)) g.roots.push(to);
    }
  }
  // Workspace packages (folders outside node_modules) are roots of their own.
  for (const key of g.nodes.keys()) if (!key.includes('node_modules/')) g.roots.push(key);
  return g;
}

// ---------------------------------------------------------------- yarn v1

/** `name@range` keys: the name is everything before the last `@` that is not the first character. */
export const splitSpec = (spec: string): [string, string] => {
  const at = spec.indexOf('@', 1);
  return at === -1 ? [spec, ''] : [spec.slice(0, at), spec.slice(at + 1)];
};

export function parseYarnV1(text: string, manifest: Manifest, file = 'yarn.lock'): DepGraph {
  const parsed = yarnLockfile.parse(text);
  if (parsed.type !== 'success') throw new LockfileError(`${file}: merge conflict markers in yarn.lock: resolve them and run \`yarn install\``);
  const g = newGraph('yarn-v1', file, manifest);
  const bySpec = new Map<string, string>();
  const entries = parsed.object as Record<string, { version: string; dependencies?: Record<string, string>; optionalDependencies?: Record<string, string> }>;
  for (const [spec, e] of Object.entries(entries)) {
    const [name] = splitSpec(spec);
    const id = `${name}@${e.version}`;
    if (!g.nodes.has(id)) g.nodes.set(id, { id, name, version: e.version, deps: [] });
    bySpec.set(spec, id);
  }
  const only = onlyVersion(g);
  for (const [spec, e] of Object.entries(entries)) {
    const node = g.nodes.get(bySpec.get(spec)!)!;
    for (const [dep, range] of depsOf(e)) {
      const to = bySpec.get(`${dep}@${range}`) ?? only(dep);
      if (to) { if (!node.deps.includes(to)) node.deps.push(to); } else if (!e.optionalDependencies?.[dep]) g.warnings.push(`${node.id} depends on ${dep}@${range}, which yarn.lock does not list`);
    }
  }
  for (const [dep, range] of depsOf(manifest, true)) {
    const to = bySpec.get(`${dep}@${range}`) ?? only(dep);
    if (to) g.roots.push(to);
    else g.warnings.push(`package.json asks for ${dep}@${range}, which yarn.lock does not list (run \`yarn install\`)`);
  }
  return g;
}

// ---------------------------------------------------------------- yarn berry (2+)

interface BerryEntry { version?: string; resolution?: string; dependencies?: Record<string, string>; optionalDependencies?: Record<string, string>; linkType?: string }

export function parseYarnBerry(text: string, manifest: Manifest, file = 'yarn.lock'): DepGraph {
  const doc = parseYaml(text) as Record<string, BerryEntry>;
  const g = newGraph('yarn-berry', file, manifest);
  const bySpec = new Map<string, string>();
  const workspaces: string[] = [];
  for (const [keys, e] of Object.entries(doc)) {
    if (keys === '__metadata' || !e?.resolution) continue;
    const [name, ref] = splitSpec(e.resolution);
    const isWorkspace = ref.startsWith('workspace:');
    const id = isWorkspace ? e.resolution : `${name}@${e.version ?? ref}`;
    if (!g.nodes.has(id)) g.nodes.set(id, { id, name, version: e.version ?? '0.0.0', deps: [] });
    if (isWorkspace) workspaces.push(id);
    for (const spec of keys.split(',').map((s) => s.trim())) bySpec.set(spec, id);
  }
  const only = onlyVersion(g);
  const lookup = (dep: string, range: string) => bySpec.get(`${dep}@${range}`) ?? bySpec.get(`${dep}@npm:${range}`) ?? only(dep);
  for (const [keys, e] of Object.entries(doc)) {
    if (keys === '__metadata' || !e?.resolution) continue;
    const node = g.nodes.get(bySpec.get(keys.split(',')[0]!.trim())!)!;
    for (const [dep, range] of depsOf(e)) {
      const to = lookup(dep, range);
      if (to) { if (!node.deps.includes(to)) node.deps.push(to); } else if (!e.optionalDependencies?.[dep]) g.warnings.push(`${node.id} depends on ${dep}@${range}, which yarn.lock does not list`);
    }
  }
  // The app is the workspace at "." (its dependencies are the roots); other workspaces are roots too.
  const top = workspaces.find((w) => w.endsWith('@workspace:.'));
  for (const w of workspaces) {
    if (w === top) g.roots.push(...g.nodes.get(w)!.deps);
    else g.roots.push(w);
  }
  if (top) g.nodes.delete(top);
  return g;
}

// ---------------------------------------------------------------- pnpm (lockfile v5, v6, v9)

type PnpmDeps = Record<string, string | { version: string }>;
interface PnpmImporter { dependencies?: PnpmDeps; devDependencies?: PnpmDeps; optionalDependencies?: PnpmDeps }
interface PnpmPackage { name?: string; version?: string; dependencies?: Record<string, string>; optionalDependencies?: Record<string, string>; dev?: boolean }

/** `1.2.3(react@18.0.0)` -> `1.2.3`; `/a/1.0.0_peer` (v5) -> `1.0.0`. */
const plainVersion = (v: string) => v.replace(/\(.*$/, '').replace(/_.*$/, '');

export function parsePnpm(text: string, manifest: Manifest, file = 'pnpm-lock.yaml'): DepGraph {
  const doc = parseYaml(text) as { lockfileVersion?: string | number; importers?: Record<string, PnpmImporter>; packages?: Record<string, PnpmPackage>; snapshots?: Record<string, PnpmPackage> } & PnpmImporter;
  const g = newGraph('pnpm', file, manifest);
  const major = Number(String(doc.lockfileVersion ?? '5').split('.')[0]);
  // Snapshot keys (v9 `snapshots`, else `packages`): v9 `a@1.0.0(peer)`, v6 `/a@1.0.0(peer)`, v5 `/a/1.0.0_peer`.
  const snaps = major >= 9 ? (doc.snapshots ?? {}) : (doc.packages ?? {});
  const parseKey = (key: string): [string, string] => {
    const k = key.startsWith('/') ? key.slice(1) : key;
    if (major < 6) { const i = k.lastIndexOf('/'); return [k.slice(0, i), plainVersion(k.slice(i + 1))]; }
    const [n, v] = splitSpec(k);
    return [n, plainVersion(v)];
  };
  const keyFor = (dep: string, ref: string): string | undefined => {
    // A ref is a version (with peer suffix), or an alias / path (`/b@1.0.0`, `b@1.0.0`, `link:../x`).
    if (ref.startsWith('link:')) return undefined;
    const candidates = major >= 9 ? [`${dep}@${ref}`, ref] : major >= 6 ? [`/${dep}@${ref}`, ref] : [`/${dep}/${ref}`, ref];
    return candidates.find((c) => snaps[c] !== undefined);
  };
  for (const [key, e] of Object.entries(snaps)) {
    const [name, version] = parseKey(key);
    g.nodes.set(key, { id: key, name: e.name ?? name, version: e.version ?? version, deps: [], ...(e.dev ? { dev: true } : {}) });
  }
  for (const [key, e] of Object.entries(snaps)) {
    const node = g.nodes.get(key)!;
    for (const [dep, ref] of depsOf(e)) {
      const to = keyFor(dep, ref);
      if (to) { if (!node.deps.includes(to)) node.deps.push(to); } else if (!ref.startsWith('link:') && !e.optionalDependencies?.[dep]) g.warnings.push(`${node.id} depends on ${dep}@${ref}, which pnpm-lock.yaml does not list`);
    }
  }
  const importers: Record<string, PnpmImporter> = doc.importers ?? { '.': doc };
  for (const [where, imp] of Object.entries(importers)) {
    for (const [dep, v] of depsOf(imp as { dependencies?: Record<string, string> }, true) as [string, string | { version: string }][]) {
      const ref = typeof v === 'string' ? v : v.version;
      const to = keyFor(dep, ref);
      if (to) { if (!g.roots.includes(to)) g.roots.push(to); } else if (!ref.startsWith('link:')) g.warnings.push(`${where === '.' ? 'the app' : where} depends on ${dep}@${ref}, which pnpm-lock.yaml does not list`);
    }
  }
  return g;
}

// ---------------------------------------------------------------- paths

/** Shortest dependency paths from the app to each node (names@versions, app first), at most `max` per node. */
export function dependencyPaths(g: DepGraph, max = 3): Map<string, string[][]> {
  const label = (id: string) => { const n = g.nodes.get(id)!; return `${n.name}@${n.version}`; };
  const out = new Map<string, string[][]>();
  let frontier: string[][] = g.roots.filter((r) => g.nodes.has(r)).map((r) => [r]);
  const depth = new Map<string, number>();
  for (let level = 0; frontier.length; level++) {
    const next: string[][] = [];
    for (const path of frontier) {
      const id = path[path.length - 1]!;
      const seen = depth.get(id);
      if (seen !== undefined && seen < level) continue; // only shortest paths
      depth.set(id, level);
      const list = out.get(id) ?? [];
      if (list.length >= max) continue;
      list.push([g.rootName, ...path.map(label)]);
      out.set(id, list);
      if (list.length === 1) for (const d of g.nodes.get(id)!.deps) if (!path.includes(d)) next.push([...path, d]);
    }
    frontier = next;
  }
  return out;
}
