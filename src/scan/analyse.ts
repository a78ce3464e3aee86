/**
 * Analysis of one candidate file with the engine: the part both the main thread and the worker
 * threads run. The engine (parser, typescript) is loaded lazily so trees with no SoundCloud code
 * never pay for it.
 */
import { dirname } from 'node:path';
import type { Finding, ScRule, Severity } from '../engine/types.js';
import type { ProjectContext } from '../engine/project.js';
import type { Parsed } from '../engine/parse.js';
import type { RuleContext } from '../engine/types.js';
import { timed, timingEnabled } from '../engine/timing.js';

export type Engine = typeof import('../engine/index.js');

let enginePromise: Promise<Engine> | undefined;
/** The engine, with its native parser loaded (src/engine/oxc.ts). */
export const loadEngine = (): Promise<Engine> => (enginePromise ??= import('../engine/index.js').then(async (e) => { await e.loadParser(); return e; }));
/** Whether this process has loaded the engine (bin/bundle-loader.js: what its code cache holds). */
export const engineLoaded = (): boolean => enginePromise !== undefined;

/**
 * With `--timing`: builds a file's shared facts on their own before the rules ask for them (every
 * rule asks at Program:exit, so this moves the work without adding any), to time them apart.
 */
export async function timingHook(): Promise<((context: RuleContext) => void) | undefined> {
  if (!timingEnabled()) return undefined;
  const { fileFacts } = await import('../engine/analysis/facts.js');
  return (context) => { fileFacts(context); };
}

export interface AnalyseInput {
  path: string;
  file: string;
  text: string;
}

export type AnalyseOutput =
  | { path: string; ok: true; findings: Finding[]; suppressed: number; recovered?: string }
  | { path: string; ok: false; reason: string };

export interface Analyser {
  analyse(input: AnalyseInput): AnalyseOutput;
  project: ProjectContext;
}

export function createAnalyser(
  engine: Engine,
  opts: {
    root: string;
    cwd: string;
    rules: readonly ScRule[];
    severities?: Record<string, Severity>;
    readText: (abs: string) => string | undefined;
    exists: (abs: string) => boolean;
    /** Texts already read (candidates): the project context sees exactly what the scan sees. */
    known?: Map<string, string>;
    /** Every file of the scan (absolute paths), for project-level facts. */
    files?: () => string[];
    /** Findings keep their node and parse (Finding.handle). */
    keepNodes?: boolean;
    /** `timingHook()`'s result. */
    beforeExit?: (context: RuleContext) => void;
  },
): Analyser {
  const known = opts.known ?? new Map<string, string>();
  const project = engine.createProjectContext({
    root: opts.root,
    read: (p) => (known.has(p) ? known.get(p) : opts.readText(p)),
    exists: (p) => known.has(p) || opts.exists(p),
    ...(opts.files ? { files: opts.files } : {}),
    // Findings that keep their nodes go to `fix`, which reads `loc` of other modules' nodes too
    // and compares them across files: every tree, with locations, for the life of the scan.
    moduleLocations: !!opts.keepNodes,
    boundedCaches: !opts.keepNodes,
    // a file whose end lacks its closing brackets is read after appending them (parse.ts), here only
    recover: true,
  });
  // Files do not come and go during a scan: resolve each (folder, specifier) once. The rules ask
  // for the same imports over and over (every file of a folder imports the same config).
  const resolveImport = project.resolveImport;
  const resolved = new Map<string, string | undefined>();
  project.resolveImport = (from, spec) => {
    const key = `${dirname(from)}\0${spec}`;
    let r = resolved.get(key);
    if (r === undefined && !resolved.has(key)) resolved.set(key, (r = resolveImport(from, spec)));
    return r;
  };
  const settings = { [engine.SETTINGS_KEY]: { project } };
  return {
    project,
    analyse(input) {
      known.set(input.path, input.text);
      try {
        // One tree per file: the one an earlier file loaded as a module, or a parse whose tree
        // the files after it get as a module. (A file with an inline ignore: the linter parses it,
        // with its comments.)
        let parsed: Parsed | undefined;
        if (project.shareModule && !input.text.includes('sc-migrate-ignore')) {
          const hit = project.peekModule?.(input.path);
          parsed = hit && hit.text === input.text ? hit : timed('parse', () => engine.parseFile(input.text, input.path, undefined, { comments: false, locations: false, recover: true }));
        }
        const out = engine.lintText({
          ...(parsed ? { parsed } : {}),
          text: input.text,
          filename: input.path,
          displayPath: input.file,
          rules: opts.rules,
          settings,
          recover: true,
          cwd: opts.cwd,
          ...(opts.severities ? { severities: opts.severities } : {}),
          ...(opts.keepNodes ? { keepNodes: true } : {}),
          ...(opts.beforeExit ? { beforeExit: opts.beforeExit } : {}),
        });
        if (parsed) project.shareModule!(input.path, parsed);
        return { path: input.path, ok: true, findings: out.findings, suppressed: out.suppressed, ...(out.recovered ? { recovered: out.recovered } : {}) };
      } catch (e) {
        if (e instanceof engine.ParseError || (e as Error)?.name === 'ParseError') return { path: input.path, ok: false, reason: (e as Error).message };
        // a recursion of the analysis on a nesting the parser still took
        if (e instanceof RangeError && /call stack/i.test(e.message)) return { path: input.path, ok: false, reason: engine.TOO_DEEP };
        const msg = e instanceof Error ? e.message : String(e);
        return { path: input.path, ok: false, reason: `internal error: ${msg.split('\n')[0]}` };
      }
    },
  };
}
