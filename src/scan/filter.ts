/**
 * The discovery rules as a per-path test, for file lists that do not come from a directory walk
 * (`--staged`, lint-staged file lists): default ignored folders, ignore files along the path
 * (only .sc-migrateignore in a git work tree, whose lists hold tracked files), config globs,
 * minified names.
 */
import { existsSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { isDefaultIgnoredDir, isIgnored, matcherFor, matchersIn, MINIFIED_NAME_RE, newIgnore, type Matcher } from './discover.js';
import { isInside } from './paths.js';

export interface FilterOptions {
  root: string;
  cwd: string;
  noIgnore?: boolean;
  ignore?: string[];
  ignoreBase?: string;
}

/** Returns 'ignored' (silently dropped), a skip reason, or undefined (scan it). */
export function discoverFilter(opts: FilterOptions): (abs: string) => 'ignored' | string | undefined {
  const root = resolve(opts.root);
  const cache = new Map<string, Matcher[]>();
  // In a git work tree the list comes from git (staged, changed): its files are tracked, so a
  // .gitignore pattern does not drop them (as in discovery); .sc-migrateignore still applies.
  const gitTree = existsSync(join(root, '.git'));
  const config: Matcher[] = opts.ignore?.length ? [matcherFor(resolve(opts.ignoreBase ?? opts.cwd), newIgnore().add(opts.ignore))] : [];
  const chainFor = (dir: string): Matcher[] => {
    let m = cache.get(dir);
    if (m) return m;
    const parent = dir === root || !isInside(root, dir) ? [] : chainFor(dirname(dir));
    m = [...parent, ...matchersIn(dir, dir === root, undefined, gitTree)];
    cache.set(dir, m);
    return m;
  };
  return (abs) => {
    const dirs: string[] = [];
    for (let d = dirname(abs); isInside(root, d) && d !== root; d = dirname(d)) dirs.unshift(d);
    if (config.length) {
      for (const d of dirs) if (isIgnored(config, d, true)) return 'ignored';
      if (isIgnored(config, abs, false)) return 'ignored';
    }
    if (opts.noIgnore) return undefined;
    const segs = relative(root, abs).split(sep);
    if (segs.slice(0, -1).some(isDefaultIgnoredDir)) return 'ignored';
    for (const d of dirs) if (isIgnored(chainFor(dirname(d)), d, true)) return 'ignored';
    if (isIgnored(chainFor(dirname(abs)), abs, false)) return 'ignored';
    if (MINIFIED_NAME_RE.test(abs)) return 'minified (file name)';
    return undefined;
  };
}
