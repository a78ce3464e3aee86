/**
 * File discovery for `scan`, `baseline` and `fix`: walks the given paths, skipping dependencies,
 * build output and minified bundles by default. Inside a git work tree the files are git's:
 * tracked files plus untracked files that are not ignored (`git ls-files --cached --others
 * --exclude-standard`), so a tracked file is scanned even when a .gitignore pattern matches it.
 * Outside git (or without a git binary) .gitignore (nested ones too) and .git/info/exclude are
 * applied with git's case-sensitive matching. .sc-migrateignore and config `ignore` globs apply
 * in both cases. Symlinked directories are followed once (cycles are detected by real path).
 * Nothing here reads file contents.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, lstatSync, readdirSync, readFileSync, realpathSync, statSync, type Dirent, type Stats } from 'node:fs';
import { dirname, join, resolve, sep } from 'node:path';
import ignore, { type Ignore } from 'ignore';
import { folderTester, testIgnore, type IgnoreResult } from './ignore-adapter.js';
import { languageOf } from '../engine/languages.js';
import { isEnvFileName } from '../engine/env-files.js';
import { isInside, toPosixRelative } from './paths.js';
import type { SkippedFile } from './types.js';

/** Directory names skipped unless `--no-ignore` (dependencies, VCS, build output, caches). */
export const DEFAULT_IGNORED_DIRS: ReadonlySet<string> = new Set([
  'node_modules', 'bower_components', 'jspm_packages', 'vendor', 'web_modules',
  'dist', 'build', 'out', 'coverage', '.nyc_output', 'lib-cov',
  '.next', '.nuxt', '.output', '.svelte-kit', '.vercel', '.netlify', '.turbo', '.cache', '.parcel-cache',
  '.yarn', '.pnpm-store', '.sc-migrate-cache', 'storybook-static', '.docusaurus', '.expo', '.angular',
]);
/** A default-ignored directory name, in any case (`Build/`, `Dist/` of macOS and Windows tools). */
export const isDefaultIgnoredDir = (name: string): boolean => DEFAULT_IGNORED_DIRS.has(name) || DEFAULT_IGNORED_DIRS.has(name.toLowerCase());
/** Folders a compiler writes a package's build into beside its `src/` (`babel src -d lib`, tsc `outDir`). */
const BUILD_TWIN_DIRS: ReadonlySet<string> = new Set(['lib', 'es', 'esm', 'cjs', 'commonjs']);
const COMPILED_RE = /\.[cm]?js$/;
const SOURCE_EXTS = ['.ts', '.tsx', '.js', '.jsx', '.mjs', '.cjs', '.mts', '.cts'];
/** Never entered, even with `--no-ignore`. */
const ALWAYS_IGNORED_DIRS: ReadonlySet<string> = new Set(['.git', '.hg', '.svn']);
/** File names that are minified bundles by convention. */
export const MINIFIED_NAME_RE = /[.-]min\.[cm]?js$|\.bundle\.[cm]?js$|\.chunk\.[cm]?js$/i;
/** MINIFIED_NAME_RE.test(name), its regex only for names ending in `js` (any case). */
const minifiedName = (name: string): boolean => (name.charCodeAt(name.length - 1) | 32) === 115 /* s */ && (name.charCodeAt(name.length - 2) | 32) === 106 /* j */ && MINIFIED_NAME_RE.test(name);
const NO_TESTS: FolderTest[] = [];
/** The ignore files a folder can hold (matchersIn: .git/info/exclude is looked for at the root only). */
const IGNORE_FILE_NAMES: ReadonlySet<string> = new Set(['.gitignore', '.sc-migrateignore']);
const NO_NAMES: ReadonlySet<string> = new Set();

export interface DiscoverOptions {
  cwd: string;
  /** Files or directories; default `['.']`. */
  paths?: string[];
  /** Include ignored files: no .gitignore / .sc-migrateignore / default dirs / minified names. */
  noIgnore?: boolean;
  /** Extra gitignore-style globs (config `ignore`), relative to `ignoreBase`. Applied even with noIgnore. */
  ignore?: string[];
  /** Folder the `ignore` globs are relative to (the config file's folder); default cwd. */
  ignoreBase?: string;
  /** Folder whose ignore files apply from the top (git top level); default: found from cwd. */
  root?: string;
}

export interface DiscoveredFile {
  /** Absolute path (through symlinks as written, not resolved). */
  path: string;
  /** cwd-relative, `/`-separated. */
  file: string;
  /** Given explicitly on the command line. */
  explicit: boolean;
}

export interface DiscoverResult {
  files: DiscoveredFile[];
  skipped: SkippedFile[];
  /** Files of a supported type that ignore rules removed, with the rule's source (for --verbose). */
  ignored?: SkippedFile[];
  /** Env files of the walked folders (`.env.example`...; git's or not ignored), read for project facts, not scanned. */
  envFiles?: string[];
  /**
   * Source files of a language the engine does not read (CoffeeScript), not ignored: the scan warns
   * about those that name SoundCloud, so that "no problems found" never hides them.
   */
  foreign?: DiscoveredFile[];
}

/** CoffeeScript sources (`.coffee`, literate `.litcoffee`, `.coffee.md`): not parsed, only looked at for a warning. */
export const FOREIGN_SOURCE_RE = /\.(?:coffee|litcoffee|coffee\.md)$/i;
export const FOREIGN_REASON = 'CoffeeScript, which sc-migrate does not read: scan the JavaScript compiled from it (or convert it with decaffeinate)';

export interface Matcher { base: string; /** base + '/' */ prefix: string; ig: Ignore; /** The ignore file (for --verbose). */ source?: string }

export const matcherFor = (base: string, ig: Ignore): Matcher => ({ base, prefix: base.endsWith('/') || base.endsWith('\\') ? base : base + sep, ig });

/** The git top level above `dir` (a folder holding `.git`), else undefined. */
export function findRepoRoot(dir: string): string | undefined {
  let d = resolve(dir);
  for (;;) {
    if (existsSync(join(d, '.git'))) return d;
    const up = dirname(d);
    if (up === d) return undefined;
    d = up;
  }
}

function readIgnoreFile(file: string): string | undefined {
  try {
    const st = statSync(file);
    if (!st.isFile() || st.size > 1_000_000) return undefined;
    return readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

/** gitignore-style matcher with git's case-sensitive matching (as git on Linux). */
export const newIgnore = (): Ignore => ignore({ ignorecase: false });

/**
 * One matcher per distinct ignore text: monorepos repeat the same .gitignore in every package,
 * example and template (payload: 89 files, 38 texts), and `ignore` parses a few thousand lines
 * slowly. A matcher is never changed after its rules are added, so one can serve many folders.
 */
const parsedIgnores = new Map<string, Ignore>();
function parsedIgnore(text: string): Ignore {
  let ig = parsedIgnores.get(text);
  if (!ig) {
    if (parsedIgnores.size >= 1000) parsedIgnores.clear();
    ig = newIgnore().add(text);
    parsedIgnores.set(text, ig);
  }
  return ig;
}

/**
 * Ignore files of a folder; `present` (names in the folder, when known) saves failing stats.
 * `gitFiles`: git decides what is ignored, so only .sc-migrateignore is read.
 */
export function matchersIn(dir: string, isRoot: boolean, present?: ReadonlySet<string>, gitFiles = false): Matcher[] {
  const out: Matcher[] = [];
  const names = gitFiles ? ['.sc-migrateignore'] : isRoot ? ['.git/info/exclude', '.gitignore', '.sc-migrateignore'] : ['.gitignore', '.sc-migrateignore'];
  for (const name of names) {
    if (present && !name.includes('/') && !present.has(name)) continue;
    const text = readIgnoreFile(join(dir, name));
    if (text) out.push({ ...matcherFor(dir, parsedIgnore(text)), source: name === '.git/info/exclude' ? name : toPosixRelative(process.cwd(), join(dir, name)) });
  }
  return out;
}

/**
 * What git lists in the work tree at `root` (tracked, plus untracked not ignored), as absolute
 * paths, and every folder holding one; undefined when `root` is no git work tree or git fails.
 */
export function gitListedFiles(root: string): { files: Set<string>; dirs: Set<string> } | undefined {
  if (!existsSync(join(root, '.git'))) return undefined;
  let out: Buffer;
  try {
    out = execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard', '-z'], { cwd: root, maxBuffer: 1 << 30, stdio: ['ignore', 'pipe', 'ignore'] });
  } catch {
    return undefined;
  }
  const files = new Set<string>();
  const dirs = new Set<string>([root]);
  // git prints normalized `/`-separated paths: on POSIX, joining and taking parents are string cuts
  const posixRoot = sep === '/' ? (root.endsWith('/') ? root : root + '/') : undefined;
  const parent = posixRoot ? (p: string) => p.slice(0, p.lastIndexOf('/')) : dirname;
  for (const rel of out.toString('utf8').split('\0')) {
    if (!rel) continue;
    const abs = posixRoot ? posixRoot + rel : join(root, rel);
    files.add(abs);
    for (let d = parent(abs); d.length > root.length && !dirs.has(d); d = parent(d)) dirs.add(d);
  }
  return { files, dirs };
}

/** gitignore semantics across levels: the deepest decisive pattern wins. */
export function isIgnored(matchers: readonly Matcher[], abs: string, isDir: boolean): boolean {
  return ignoredBy(matchers, abs, isDir) !== undefined;
}

/** The matcher whose pattern ignores the path (the deepest decisive one), or undefined. */
export function ignoredBy(matchers: readonly Matcher[], abs: string, isDir: boolean): Matcher | undefined {
  let by: Matcher | undefined;
  for (const m of matchers) {
    if (!abs.startsWith(m.prefix)) continue;
    const tail = abs.slice(m.prefix.length);
    const rel = (sep === '/' ? tail : tail.split(sep).join('/')) + (isDir ? '/' : '');
    const r = testIgnore(m.ig, rel); // private fast path of `ignore`, with a fallback (ignore-adapter.ts)
    if (r.ignored) by = m;
    else if (r.unignored) by = undefined;
  }
  return by;
}

/** A matcher's test of the entries of one folder (folderTester), with the matcher (for --verbose). */
interface FolderTest { m: Matcher; test: (name: string, isDir: boolean) => IgnoreResult }

/** The matchers that apply to the entries of `dir`, each with its test for that folder. */
function folderTests(matchers: readonly Matcher[], dir: string): FolderTest[] {
  const out: FolderTest[] = [];
  const dirSep = dir.endsWith(sep) ? dir : dir + sep;
  for (const m of matchers) {
    if (!dirSep.startsWith(m.prefix)) continue;
    out.push({ m, test: folderTester(m.ig, posix(dirSep.slice(m.prefix.length, dirSep.length - 1))) });
  }
  return out;
}

/** `ignoredBy` for an entry of the folder of `tests`: the deepest decisive pattern wins. */
function ignoredIn(tests: readonly FolderTest[], name: string, isDir: boolean): Matcher | undefined {
  let by: Matcher | undefined;
  for (let i = 0; i < tests.length; i++) {
    const r = tests[i]!.test(name, isDir);
    if (r.ignored) by = tests[i]!.m;
    else if (r.unignored) by = undefined;
  }
  return by;
}

/**
 * Sorts entries by name, last first. libuv lists a folder sorted (strcmp): then a check and a
 * reverse do, else (another platform, names whose UTF-16 order differs) the sort.
 */
function byNameDescending(entries: Dirent[]): void {
  for (let i = 1; i < entries.length; i++) {
    if (!(entries[i - 1]!.name < entries[i]!.name)) {
      entries.sort((a, b) => (a.name < b.name ? 1 : a.name > b.name ? -1 : 0));
      return;
    }
  }
  entries.reverse();
}

/** Whether `real` is the real path of `e` or of a folder it was entered from. */
function isAncestor(e: { real: string; up: unknown } | undefined, real: string): boolean {
  for (let x = e as { real: string; up: unknown } | undefined; x; x = x.up as typeof x) if (x.real === real) return true;
  return false;
}

const posix = (p: string) => (sep === '/' ? p : p.split(sep).join('/'));

/** Whether discovery would pick this file type at all. */
export const isSupportedFile = (name: string): boolean => languageOf(name) !== undefined;

export function discoverFiles(opts: DiscoverOptions): DiscoverResult {
  const cwd = resolve(opts.cwd);
  const paths = opts.paths?.length ? opts.paths : ['.'];
  const useIgnoreFiles = !opts.noIgnore;
  const root = opts.root ?? findRepoRoot(cwd) ?? cwd;
  const files: DiscoveredFile[] = [];
  const skipped: SkippedFile[] = [];
  const envFiles: string[] = [];
  const foreign: DiscoveredFile[] = [];
  // One path lists each file once (a folder is entered once by its real path, and a file's path
  // goes through the folder it was listed in): only several paths (`scan src src/a`) can repeat one.
  const seenFiles = paths.length > 1 ? new Set<string>() : undefined;
  const configMatcher: Matcher[] = opts.ignore?.length ? [{ ...matcherFor(resolve(opts.ignoreBase ?? cwd), newIgnore().add(opts.ignore)), source: 'config ignore' }] : [];
  // Inside a git work tree, git says which files belong to the tree.
  const git = useIgnoreFiles ? gitListedFiles(root) : undefined;
  // isInside(root, abs) for the walk's paths (normalized) by a prefix test (path.relative is slow)
  const rootPrefix = root.endsWith(sep) ? root : root + sep;
  const byGit = (abs: string) => !!git && (sep === '/' && abs.startsWith(rootPrefix) ? !abs.startsWith('..', rootPrefix.length) : isInside(root, abs));
  const ignored: SkippedFile[] = [];
  const why = (m: Matcher) => `ignored by ${m.source ?? 'an ignore file'}`;
  // Discovery builds normalized paths below cwd: the relative path is a slice (path.relative is slow).
  const cwdPrefix = cwd.endsWith(sep) ? cwd : cwd + sep;
  const rel = (abs: string) => (abs.startsWith(cwdPrefix) ? posix(abs.slice(cwdPrefix.length)) : toPosixRelative(cwd, abs));
  const skip = (abs: string, reason: string) => skipped.push({ file: rel(abs), reason });
  const addFile = (abs: string, explicit: boolean) => {
    if (seenFiles) {
      if (seenFiles.has(abs)) return;
      seenFiles.add(abs);
    }
    files.push({ path: abs, file: rel(abs), explicit });
  };

  /** Ignore files from the root down to (not including) `dir`. */
  const inheritedMatchers = (dir: string): Matcher[] => {
    if (!useIgnoreFiles) return [];
    const start = isInside(root, dir) ? root : dir;
    const chain: string[] = [];
    for (let d = dirname(dir); isInside(start, d); d = dirname(d)) {
      chain.unshift(d);
      if (d === start || dirname(d) === d) break;
    }
    const out: Matcher[] = [];
    for (const d of chain) out.push(...matchersIn(d, d === root, undefined, byGit(d)));
    return out;
  };

  const walk = (startDir: string) => {
    const visited = new Set<string>();
    const base = inheritedMatchers(startDir);
    // `up`: the folder this one was entered from (its real path and its own `up`), for loop checks.
    type Entered = { dir: string; matchers: Matcher[]; real: string; up: Entered | undefined };
    const stack: Entered[] = [];
    let startReal: string;
    try { startReal = realpathSync(startDir); } catch (e) { skip(startDir, `unreadable: ${(e as NodeJS.ErrnoException).code ?? e}`); return; }
    stack.push({ dir: startDir, matchers: base, real: startReal, up: undefined });
    visited.add(startReal);
    while (stack.length) {
      const entered = stack.pop()!;
      const { dir, matchers: parentMatchers, real } = entered;
      let entries: Dirent[];
      try {
        entries = readdirSync(dir, { withFileTypes: true });
      } catch (e) {
        skip(dir, `unreadable directory: ${(e as NodeJS.ErrnoException).code ?? String(e)}`);
        continue;
      }
      let matchers = parentMatchers;
      if (useIgnoreFiles) {
        let names: Set<string> | undefined;
        for (const e of entries) if (e.name.charCodeAt(0) === 46 /* . */ && IGNORE_FILE_NAMES.has(e.name)) (names ??= new Set()).add(e.name);
        if (names || dir === root) {
          const own = matchersIn(dir, dir === root, names ?? NO_NAMES, byGit(dir));
          if (own.length) matchers = [...parentMatchers, ...own];
        }
      }
      byNameDescending(entries); // popped in name order
      const subdirs: typeof stack = [];
      const tests = matchers.length ? folderTests(matchers, dir) : NO_TESTS;
      const configTests = configMatcher.length ? folderTests(configMatcher, dir) : NO_TESTS;
      for (const ent of entries) {
        const name = ent.name;
        // (most entries of a tree are files of other types: nothing more is built for them)
        const regular = ent.isFile();
        if (regular && !isSupportedFile(name)) {
          // an env file (`.env.example`): not scanned, read for the project's API hosts (engine/env-files.ts);
          // a CoffeeScript source: not scanned, looked at for a warning (scan.ts)
          const env = isEnvFileName(name);
          if (env || FOREIGN_SOURCE_RE.test(name)) {
            const abs = dir + sep + name;
            if (!(byGit(abs) && !git!.files.has(abs)) && !ignoredIn(tests, name, false) && !ignoredIn(configTests, name, false)) {
              if (env) envFiles.push(abs);
              else foreign.push({ path: abs, file: rel(abs), explicit: false });
            }
          }
          continue;
        }
        const abs = dir + sep + name;
        let isDir = ent.isDirectory();
        let isFile = regular;
        let realDir: string | undefined;
        if (ent.isSymbolicLink()) {
          let st: Stats;
          try { st = statSync(abs); } catch {
            if (isSupportedFile(name)) skip(abs, 'broken symlink');
            continue;
          }
          isDir = st.isDirectory();
          isFile = st.isFile();
          if (isDir) {
            try { realDir = realpathSync(abs); } catch { skip(abs, 'broken symlink'); continue; }
          }
        }
        if (isDir) {
          if (ALWAYS_IGNORED_DIRS.has(name)) continue;
          if (useIgnoreFiles && isDefaultIgnoredDir(name)) continue;
          if (byGit(abs) && !git!.dirs.has(abs)) { ignored.push({ file: rel(abs) + '/', reason: 'ignored by git (no tracked or unignored file)' }); continue; }
          const by = ignoredIn(tests, name, true) ?? ignoredIn(configTests, name, true);
          if (by) { ignored.push({ file: rel(abs) + '/', reason: why(by) }); continue; }
          const r = realDir ?? (real.endsWith(sep) ? real + name : real + sep + name); // (real paths are normalized)
          if (isAncestor(entered, r)) { skip(abs, 'symlink loop'); continue; }
          if (visited.has(r)) { skip(abs, 'symlinked directory already scanned'); continue; }
          visited.add(r);
          subdirs.push({ dir: abs, matchers, real: r, up: entered });
          continue;
        }
        if (!regular && !isSupportedFile(name)) continue;
        if (byGit(abs) && !git!.files.has(abs)) { ignored.push({ file: rel(abs), reason: 'ignored by git' }); continue; }
        const by = ignoredIn(tests, name, false) ?? ignoredIn(configTests, name, false);
        if (by) { ignored.push({ file: rel(abs), reason: why(by) }); continue; }
        if (!isFile) { skip(abs, 'not a regular file'); continue; }
        if (useIgnoreFiles && minifiedName(name)) { skip(abs, 'minified (file name)'); continue; }
        addFile(abs, false);
      }
      for (let i = subdirs.length - 1; i >= 0; i--) stack.push(subdirs[i]!);
    }
  };

  for (const p of paths) {
    const abs = resolve(cwd, p);
    let st: Stats;
    try {
      st = lstatSync(abs);
      if (st.isSymbolicLink()) st = statSync(abs);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') throw new PathError(`no such file or directory: ${p}`);
      skip(abs, `unreadable: ${code ?? String(e)}`);
      continue;
    }
    if (st.isDirectory()) walk(abs);
    else if (!st.isFile()) skip(abs, 'not a regular file');
    else if (!isSupportedFile(abs)) skip(abs, FOREIGN_SOURCE_RE.test(abs) ? FOREIGN_REASON : 'unsupported file type');
    else addFile(abs, true);
  }
  if (useIgnoreFiles) return { files: withoutCompiledTwins(files, skipped), skipped, ignored, envFiles, foreign };
  return { files, skipped, ignored, envFiles, foreign };
}

/**
 * Cordova's copies of the app's `www/` in its platform folders (`cordova prepare` writes
 * platforms/ios/www, platforms/android/assets/www, platforms/android/app/src/main/assets/www,
 * platforms/<p>/platform_www; an edit there is overwritten by the next build).
 */
const CORDOVA_COPY_RE = /^(.*)[/\\]platforms[/\\][^/\\]+[/\\](?:www|platform_www|assets[/\\]www|app[/\\]src[/\\]main[/\\]assets[/\\]www)[/\\](.+)$/;

/**
 * Compiled copies committed beside their sources: `lib/a/b.js` (also `es/`, `esm/`, `cjs/`,
 * `commonjs/`) when `src/a/b.{ts,js,...}` of the same folder level is discovered too. The source
 * is scanned; its build output would repeat every finding. Likewise Cordova's platform copies of
 * `www/` when the file is in `www/` too. Structural only (no file is read).
 */
function withoutCompiledTwins(files: DiscoveredFile[], skipped: SkippedFile[]): DiscoveredFile[] {
  let paths: Set<string> | undefined;
  const drop = new Set<DiscoveredFile>();
  for (const f of files) {
    if (f.explicit) continue;
    const cordova = CORDOVA_COPY_RE.exec(f.path);
    if (cordova) {
      paths ??= new Set(files.map((x) => x.path));
      if (paths.has(join(cordova[1]!, 'www', cordova[2]!))) {
        drop.add(f);
        skipped.push({ file: f.file, reason: `build output (Cordova's copy of www/${cordova[2]!.split(sep).join('/')})` });
        continue;
      }
    }
    if (!COMPILED_RE.test(f.path)) continue;
    const segs = f.path.split(sep);
    for (let i = segs.length - 2; i > 0; i--) {
      if (!BUILD_TWIN_DIRS.has(segs[i]!)) continue;
      paths ??= new Set(files.map((x) => x.path));
      const twin = [...segs.slice(0, i), 'src', ...segs.slice(i + 1)].join(sep).replace(COMPILED_RE, '');
      const src = SOURCE_EXTS.find((e) => paths!.has(twin + e));
      if (src) {
        drop.add(f);
        skipped.push({ file: f.file, reason: `build output (compiled copy of src/${segs.slice(i + 1).join('/').replace(COMPILED_RE, src)})` });
        break;
      }
    }
  }
  return drop.size ? files.filter((f) => !drop.has(f)) : files;
}

/** A path given on the command line does not exist (a usage error). */
export class PathError extends Error {
  constructor(message: string) { super(message); this.name = 'PathError'; }
}
