/**
 * The packages installed under an app's node_modules (npm and yarn trees, pnpm's `.pnpm` store
 * through its symlinks), each once by real path, with the code files it ships: dist bundles and
 * minified files included, nested node_modules (other packages) and type declarations left out.
 */
import { readdirSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { languageOf } from '../engine/languages.js';

export interface InstalledPackage {
  name: string;
  version: string;
  /** Real path of the package folder. */
  dir: string;
  /** Where the app sees it, relative to the app (`node_modules/a/node_modules/b`), `/`-separated. */
  relDir: string;
}

const MAX_DEPTH = 40;

function readPkg(dir: string): { name?: string; version?: string } | undefined {
  try { return JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name?: string; version?: string }; } catch { return undefined; }
}

const listDir = (dir: string): string[] => { try { return readdirSync(dir).sort(); } catch { return []; } };
const isDir = (p: string): boolean => { try { return statSync(p).isDirectory(); } catch { return false; } };

/** Every installed package under `appDir/node_modules`, in a stable order (shallowest first). */
export function listInstalled(appDir: string): InstalledPackage[] {
  const out: InstalledPackage[] = [];
  const seen = new Set<string>();
  const queue: [string, string, number][] = [[join(appDir, 'node_modules'), 'node_modules', 0]];
  const visit = (dir: string, rel: string, depth: number) => {
    let real: string;
    try { real = realpathSync(dir); } catch { return; }
    if (seen.has(real) || !isDir(real)) return;
    const pkg = readPkg(real);
    if (!pkg?.name) return;
    seen.add(real);
    out.push({ name: pkg.name, version: pkg.version ?? '0.0.0', dir: real, relDir: rel });
    if (depth < MAX_DEPTH) queue.push([join(dir, 'node_modules'), `${rel}/node_modules`, depth + 1]);
  };
  // Breadth first: a package reached at several places keeps its shallowest path.
  for (let i = 0; i < queue.length; i++) {
    const [nm, rel, depth] = queue[i]!;
    const names = listDir(nm);
    for (const name of names) {
      if (name.startsWith('.')) continue;
      if (name.startsWith('@')) for (const sub of listDir(join(nm, name))) visit(join(nm, name, sub), `${rel}/${name}/${sub}`, depth);
      else visit(join(nm, name), `${rel}/${name}`, depth);
    }
    // pnpm: the store, after the top-level links (so the app-visible path wins).
    if (names.includes('.pnpm')) for (const entry of listDir(join(nm, '.pnpm'))) if (entry !== 'node_modules') queue.push([join(nm, '.pnpm', entry, 'node_modules'), `${rel}/.pnpm/${entry}/node_modules`, depth + 1]);
  }
  return out;
}

const DECLARATION = /\.d\.[cm]?ts$/;
const MAX_FILES = 5000;

/** Code files a package ships (absolute paths), without nested packages and declarations. */
export function packageFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string, depth: number) => {
    for (const e of listDir(d)) {
      if (out.length >= MAX_FILES) return;
      if (e === 'node_modules' || e.startsWith('.')) continue;
      const p = join(d, e);
      let st;
      try { st = statSync(p); } catch { continue; }
      if (st.isDirectory()) { if (depth < 30) walk(p, depth + 1); }
      else if (st.isFile() && languageOf(e) && !DECLARATION.test(e)) out.push(p);
    }
  };
  walk(dir, 0);
  return out;
}
