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
  /** Parsed module (cached), or undefined. */
  loadModule(absPath: string): Parsed | undefined;
  /** Resolves a relative import specifier from a file to an absolute path of a project file. */
  resolveImport(fromFile: string, specifier: string): string | undefined;
  /** Cache shared by analyses for the life of this context. */
  cache: Map<string, unknown>;
  /** All files of the scan (absolute paths), for project-level rules; absent: rules walk `root`. */
  files?: () => string[];
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

export function createProjectContext(opts: ProjectOptions): ProjectContext {
  const read = opts.read ?? diskRead;
  const exists = opts.exists ?? diskExists;
  const texts = new Map<string, string | undefined>();
  const modules = new Map<string, Parsed | undefined>();
  const ctx: ProjectContext = {
    root: resolve(opts.root),
    cache: new Map(),
    ...(opts.files ? { files: opts.files } : {}),
    readFile(p) {
      if (!texts.has(p)) texts.set(p, read(p));
      return texts.get(p);
    },
    loadModule(p) {
      if (modules.has(p)) return modules.get(p);
      modules.set(p, undefined); // guards import cycles
      const text = ctx.readFile(p);
      let parsed: Parsed | undefined;
      if (text !== undefined && languageOf(p)) {
        // No comments: only the linter reads them (inline ignores of the file it lints). The fix
        // edits imported modules (wrappers), so their nodes keep `loc`.
        try { parsed = parseFile(text, p, undefined, { comments: false }); } catch { parsed = undefined; }
      }
      modules.set(p, parsed);
      return parsed;
    },
    resolveImport(fromFile, specifier) {
      if (!specifier.startsWith('.') && !specifier.startsWith('/')) return undefined;
      const base = resolve(dirname(fromFile), specifier);
      const candidates = [...RESOLVE_EXTS.map((e) => base + e), ...INDEX_FILES.map((f) => join(base, f))];
      // TS ESM style: './x.js' written for './x.ts'
      const ext = extname(base);
      if (ext === '.js' || ext === '.jsx' || ext === '.mjs') candidates.push(base.slice(0, -ext.length) + '.ts', base.slice(0, -ext.length) + '.tsx');
      return candidates.find((c) => (languageOf(c) !== undefined) && exists(c));
    },
  };
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
  if (s?.project) return s.project;
  const root = projectRootOf(context.filename);
  let p = diskProjects.get(root);
  if (!p) {
    const list = diskFiles;
    let files: string[] | undefined;
    diskProjects.set(root, (p = createProjectContext({ root, ...(list ? { files: () => (files ??= list(root)) } : {}) })));
  }
  return p;
}
