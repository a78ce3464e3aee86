/**
 * What a rule may know beyond its file: other modules of the scanned tree (for constants imported
 * across files) and project-wide facts (for project-level rules). The CLI builds one per scan from
 * the files it reads (so `--staged` sees index contents); under ESLint, rules fall back to a
 * disk-backed context rooted at the nearest package.json.
 */
import { readFileSync, existsSync, statSync } from 'node:fs';
import { dirname, join, resolve, extname } from 'node:path';
import { parseFile, languageOf, type Parsed } from './parse.js';

export interface ProjectContext {
  root: string;
  /** Text of a project file, or undefined when it is not part of the project or unreadable. */
  readFile(absPath: string): string | undefined;
  /**
   * Parsed module, or undefined. Cached within a budget, and for the whole analysis of a file
   * (asked for again by a later file, it may be a new parse). Its nodes have offsets (offsets.ts:
   * `start` / `end` only on the scanner's oxc trees); `loc` and `range` unless `moduleLocations` is off.
   */
  loadModule(absPath: string): Parsed | undefined;
  /** Resolves an import specifier from a file (relative, or rooted: `@/x`, `src/x`) to an absolute path of a project file. */
  resolveImport(fromFile: string, specifier: string): string | undefined;
  /** Cache shared by analyses for the life of this context. */
  cache: Map<string, unknown>;
  /** All files of the scan (absolute paths), for project-level rules; absent: rules walk `root`. */
  files?: () => string[];
  /**
   * The analysis of `file` begins (`projectOf` calls it): modules only the files before it used
   * may leave the cache now.
   */
  enterFile?(file: string): void;
  /**
   * The scanner's trees, shared both ways with the module cache (only where both are parsed the
   * same way: no `loc`, no comments): the tree of a module already loaded for an earlier file, or
   * undefined (`peekModule`); a file's own tree, once linted, for the files that import it
   * (`shareModule`). A file is parsed once, not once more for each file that imports it.
   */
  peekModule?(absPath: string): Parsed | undefined;
  shareModule?(absPath: string, parsed: Parsed): void;
}

export const SETTINGS_KEY = 'sc-migrate';
const MAX_MODULE_BYTES = 1_000_000;
const RESOLVE_EXTS = ['', '.ts', '.tsx', '.js', '.jsx', '.mjs', '.cjs', '.mts', '.cts', '.vue'];
const INDEX_FILES = ['index.ts', 'index.tsx', 'index.js', 'index.jsx', 'index.mjs'];

export interface ProjectOptions {
  root: string;
  /** Reads a file; default reads the disk. The CLI passes its own (staged content, size limits). */
  read?: (absPath: string) => string | undefined;
  /** Tests whether a file exists; default stats the disk. */
  exists?: (absPath: string) => boolean;
  /** All files of the scan (absolute paths), for project-level rules. */
  files?: () => string[];
  /**
   * Other modules' trees get `loc` and `range` on every node (default true). The scanner turns it
   * off (four objects a node; its rules read offsets through offsets.ts); `fix` reads `loc` and
   * `range` of nodes that may be another module's.
   */
  moduleLocations?: boolean;
  /** Read modules with ParseOptions.recover, as the scanner reads the files it lints. */
  recover?: boolean;
  /**
   * Keep other modules' texts and trees within a budget (below) instead of for the life of the
   * context. The scanner turns it on; `fix` and the ESLint plugin keep every tree (a fix compares
   * nodes of other modules across files: one module must stay one tree).
   */
  boundedCaches?: boolean;
}

function diskRead(p: string): string | undefined {
  try {
    const st = statSync(p);
    if (!st.isFile() || st.size > MAX_MODULE_BYTES) return undefined;
    return readFileSync(p, 'utf8');
  } catch {
    return undefined;
  }
}
const diskExists = (p: string) => { try { return statSync(p).isFile(); } catch { return false; } };

/**
 * With `boundedCaches`, texts and trees of other modules are kept within a budget (characters of
 * source; a tree costs about 30 bytes of heap per character): a scan of a large tree asks for thousands of modules, and
 * keeping every tree it ever parsed made its heap grow with the tree. Least recently used entries
 * go first, and a tree used by the file being analysed stays until that file is done (within one
 * file, a module is one tree). Files are analysed in path order, so a file's imports are mostly
 * its neighbours' (dense real corpus: no module is parsed twice even with a third of this budget).
 */
const MODULE_BUDGET = 300_000;
const TEXT_BUDGET = 500_000;
/** A linted file's tree joins the module cache up to this size (a large one would push out all the others). */
const SHARED_MAX = MODULE_BUDGET / 6;

/** A Map in least-recently-used order, trimmed to a budget of summed sizes. */
class Lru<V> {
  private readonly map = new Map<string, { value: V; size: number; epoch: number }>();
  private total = 0;
  /** Entries used in this epoch (the file being analysed) are not trimmed. */
  epoch = 0;
  constructor(private readonly budget: number) {}
  has(key: string): boolean { return this.map.has(key); }
  get(key: string): V | undefined {
    const e = this.map.get(key);
    if (!e) return undefined;
    this.map.delete(key);
    e.epoch = this.epoch;
    this.map.set(key, e);
    return e.value;
  }
  set(key: string, value: V, size: number): void {
    const old = this.map.get(key);
    if (old) { this.total -= old.size; this.map.delete(key); }
    this.map.set(key, { value, size, epoch: this.epoch });
    this.total += size;
    this.trim();
  }
  trim(): void {
    if (this.total <= this.budget) return;
    for (const [k, e] of this.map) {
      if (this.total <= this.budget || e.epoch === this.epoch) break;
      this.map.delete(k);
      this.total -= e.size;
    }
  }
}

export function createProjectContext(opts: ProjectOptions): ProjectContext {
  const read = opts.read ?? diskRead;
  const exists = opts.exists ?? diskExists;
  const bounded = opts.boundedCaches === true;
  const texts = new Lru<string | undefined>(bounded ? TEXT_BUDGET : Infinity);
  const modules = new Lru<Parsed>(bounded ? MODULE_BUDGET : Infinity);
  /** Modules that do not parse (or are not code): not tried twice. */
  const unparsable = new Set<string>();
  let current: string | undefined;
  // Module trees are the linter's trees (no `loc`, no comments) only in the scanner's mode.
  const shared = bounded && opts.moduleLocations === false;
  const ctx: ProjectContext = {
    root: resolve(opts.root),
    cache: new Map(),
    ...(opts.files ? { files: opts.files } : {}),
    ...(shared ? {
      peekModule: (p: string) => modules.get(p),
      shareModule: (p: string, parsed: Parsed) => { if (parsed.text.length <= SHARED_MAX && !parsed.ast.comments?.length) modules.set(p, parsed, parsed.text.length); },
    } : {}),
    enterFile(file) {
      if (file === current) return;
      current = file;
      texts.epoch++;
      modules.epoch++;
      texts.trim();
      modules.trim();
    },
    readFile(p) {
      if (texts.has(p)) return texts.get(p);
      const text = read(p);
      texts.set(p, text, 64 + (text?.length ?? 0));
      return text;
    },
    loadModule(p) {
      const hit = modules.get(p);
      if (hit || unparsable.has(p)) return hit;
      const text = ctx.readFile(p);
      let parsed: Parsed | undefined;
      if (text !== undefined && languageOf(p)) {
        // No comments: only the linter reads them (inline ignores of the file it lints); `loc` only
        // where a caller needs it (fix edits wrappers inside imported modules)
        try { parsed = parseFile(text, p, undefined, { locations: opts.moduleLocations !== false, comments: false, ...(opts.recover ? { recover: true } : {}) }); } catch { parsed = undefined; }
      }
      if (parsed) modules.set(p, parsed, text!.length);
      else unparsable.add(p);
      return parsed;
    },
    resolveImport(fromFile, specifier) {
      if (!specifier.startsWith('.') && !specifier.startsWith('/')) return resolveRooted(specifier);
      return resolveBase(resolve(dirname(fromFile), specifier));
    },
  };
  /**
   * A specifier relative to the source root, as bundlers resolve it: `@/x` and `~/x` (the alias of
   * the source folder in Vue CLI, Vite and Nuxt projects), and `src/x` / `components/x` (create-react-app's
   * NODE_PATH, a jsconfig `baseUrl`), tried in the project root and its `src/`. A package import
   * (`lodash/fp`, `react-dom/server`) resolves only where the tree holds such a file; one-segment
   * names (`soundcloud`, `axios`) are always packages.
   */
  const rootedBases = new Map<string, string | undefined>();
  function resolveRooted(specifier: string): string | undefined {
    if (rootedBases.has(specifier)) return rootedBases.get(specifier);
    let hit: string | undefined;
    const alias = /^[@~]\//.test(specifier);
    if (alias || (/^[\w][\w.-]*\//.test(specifier) && !specifier.includes('..'))) {
      const rest = alias ? specifier.slice(2) : specifier;
      for (const dir of [join(ctx.root, 'src'), ctx.root]) if ((hit = resolveBase(join(dir, rest)))) break;
    }
    rootedBases.set(specifier, hit);
    return hit;
  }
  function resolveBase(base: string): string | undefined {
    // The first that exists of: base + each extension, base/index.*, then (TS ESM style: './x.js'
    // written for './x.ts') the .ts and .tsx beside it. Built one at a time, in that order, up to
    // the first hit (the whole list with its path joins was built for every import: 1.4% of a dense scan).
    const hit = (c: string) => languageOf(c) !== undefined && exists(c);
    for (let i = 0; i < RESOLVE_EXTS.length; i++) { const c = base + RESOLVE_EXTS[i]!; if (hit(c)) return c; }
    for (let i = 0; i < INDEX_FILES.length; i++) { const c = join(base, INDEX_FILES[i]!); if (hit(c)) return c; }
    const ext = extname(base);
    if (ext === '.js' || ext === '.jsx' || ext === '.mjs') {
      const stem = base.slice(0, -ext.length);
      if (hit(stem + '.ts')) return stem + '.ts';
      if (hit(stem + '.tsx')) return stem + '.tsx';
    }
    return undefined;
  }
  return ctx;
}

const diskProjects = new Map<string, ProjectContext>();

/** Nearest folder with a package.json (or .git), else the file's folder. */
export function projectRootOf(file: string): string {
  let dir = dirname(resolve(file));
  for (;;) {
    if (existsSync(join(dir, 'package.json')) || existsSync(join(dir, '.git'))) return dir;
    const up = dirname(dir);
    if (up === dir) return dirname(resolve(file));
    dir = up;
  }
}

let diskFiles: ((root: string) => string[]) | undefined;

/**
 * Sets how a disk-backed project (ESLint) lists its files: the ESLint plugin passes the CLI's
 * discovery (src/scan/discover.ts: .gitignore, default ignores), so both see the same files.
 */
export function setProjectFileLister(list: ((root: string) => string[]) | undefined): void {
  diskFiles = list;
  diskProjects.clear();
}

/** The project context of a rule: the one in settings (CLI), or a cached disk-backed one (ESLint). */
export function projectOf(context: { settings: Record<string, unknown>; filename: string }): ProjectContext {
  const s = context.settings?.[SETTINGS_KEY] as { project?: ProjectContext } | undefined;
  if (s?.project) { s.project.enterFile?.(context.filename); return s.project; }
  const root = projectRootOf(context.filename);
  let p = diskProjects.get(root);
  if (!p) {
    const list = diskFiles;
    let files: string[] | undefined;
    diskProjects.set(root, (p = createProjectContext({ root, ...(list ? { files: () => (files ??= list(root)) } : {}) })));
  }
  p.enterFile?.(context.filename);
  return p;
}
