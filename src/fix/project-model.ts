/**
 * What the project passes of `fix` share (src/fix/project-wrappers.ts, src/fix/project-builders.ts):
 * a file's findings and facts in the engine's terms, and ts-morph's project model over the texts
 * `fix` works on (loaded only when a pass needs references across files).
 */
import type { Project } from 'ts-morph';
import { rulesById } from '../../rules/index.js';
import { lintText } from '../engine/linter.js';
import { parseFile, type Parsed } from '../engine/parse.js';
import { SETTINGS_KEY, type ProjectContext } from '../engine/project.js';
import type { FileFacts } from '../engine/analysis/facts.js';
import { projectFiles } from '../engine/analysis/project-facts.js';
import type { ProviderContext } from './providers.js';
import { factsOf } from './rewrites.js';

export const JS_TS = /\.(m|c)?[jt]sx?$/i;

export function parsedOf(text: string, file: string): Parsed | undefined {
  try { return parseFile(text, file); } catch { return undefined; }
}

/** A file's findings of `ruleIds` (those enabled) with its facts; undefined when it does not parse. */
export function fileContext(text: string, file: string, project: ProjectContext, cwd: string, ruleIds: readonly string[], enabled: ReadonlySet<string>): { ctx: ProviderContext; facts: FileFacts } | undefined {
  const rules = ruleIds.filter((id) => enabled.has(id)).map((id) => rulesById.get(id)!).filter(Boolean);
  const parsed = parsedOf(text, file);
  if (!rules.length || !parsed) return undefined;
  const findings = lintText({ text, filename: file, rules, parsed, cwd, settings: { [SETTINGS_KEY]: { project } } }).findings;
  const ctx: ProviderContext = { text, filename: file, parsed, findings, project, cwd, rules: rules.slice(0, 1), suggestions: false, newFiles: new Map() };
  return { ctx, facts: factsOf(ctx) };
}

/** The facts of a file with no findings asked for (a file that holds calls or requests). */
export function plainContext(text: string, file: string, project: ProjectContext, cwd: string): { ctx: ProviderContext; facts: FileFacts } | undefined {
  const parsed = parsedOf(text, file);
  if (!parsed) return undefined;
  const ctx: ProviderContext = { text, filename: file, parsed, findings: [], project, cwd, rules: [], suggestions: false, newFiles: new Map() };
  return { ctx, facts: factsOf(ctx) };
}

/** ts-morph's project model: every JS/TS file fix sees, in memory (JS through allowJs). */
export async function tsProject(files: { abs: string; text: string }[]): Promise<{ tsp: Project; M: typeof import('ts-morph').Node }> {
  const { Project: P, Node: M, ts } = await import('ts-morph');
  const tsp = new P({
    useInMemoryFileSystem: true,
    skipFileDependencyResolution: true,
    compilerOptions: { allowJs: true, checkJs: false, noEmit: true, jsx: ts.JsxEmit.Preserve, module: ts.ModuleKind.ESNext, moduleResolution: ts.ModuleResolutionKind.Bundler, target: ts.ScriptTarget.ES2022 },
  });
  for (const f of files) if (JS_TS.test(f.abs)) tsp.createSourceFile(f.abs, f.text, { overwrite: true });
  return { tsp, M };
}

/** The project's JS/TS files (other than `known`) whose text names one of `names`. */
export function projectFilesNaming(project: ProjectContext, names: string[], known: ReadonlySet<string>): { abs: string; text: string }[] {
  if (!names.length) return [];
  const re = new RegExp(`\\b(${names.join('|')})\\b`);
  const out: { abs: string; text: string }[] = [];
  for (const abs of projectFiles(project)) {
    if (known.has(abs) || !JS_TS.test(abs)) continue;
    const text = project.readFile(abs);
    if (text !== undefined && re.test(text)) out.push({ abs, text });
  }
  return out;
}
