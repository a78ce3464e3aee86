/**
 * What the project passes of `fix` share (src/fix/project-wrappers.ts, src/fix/project-builders.ts):
 * a file's findings and facts in the engine's terms, and ts-morph's project model over the texts
 * `fix` works on (loaded only when a pass needs references across files).
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { TSESTree } from '@typescript-eslint/typescript-estree';
import type { Project } from 'ts-morph';
import { rulesById } from '../../rules/index.js';
import { lintText } from '../engine/linter.js';
import { parseFile, type Parsed } from '../engine/parse.js';
import { SETTINGS_KEY, type ProjectContext } from '../engine/project.js';
import type { FileFacts } from '../engine/analysis/facts.js';
import type { TextEdit } from '../engine/types.js';
import { projectFiles } from '../engine/analysis/project-facts.js';
import type { ProviderContext } from './providers.js';
import { constantName } from './style.js';
import { factsOf } from './rewrites.js';
import type { Fn } from './wrappers.js';

export const JS_TS = /\.(m|c)?[jt]sx?$/i;

export function parsedOf(text: string, file: string): Parsed | undefined {
  try { return parseFile(text, file); } catch { return undefined; }
}

export interface FileContext { ctx: ProviderContext; facts: FileFacts }

/** A file's findings of `ruleIds` (those enabled) with its facts; undefined when it does not parse. */
export function fileContext(text: string, file: string, project: ProjectContext, cwd: string, ruleIds: readonly string[], enabled: ReadonlySet<string>): FileContext | undefined {
  const rules = ruleIds.filter((id) => enabled.has(id)).map((id) => rulesById.get(id)!).filter(Boolean);
  const parsed = parsedOf(text, file);
  if (!rules.length || !parsed) return undefined;
  const findings = lintText({ text, filename: file, rules, parsed, cwd, settings: { [SETTINGS_KEY]: { project } } }).findings;
  const ctx: ProviderContext = { text, filename: file, parsed, findings, project, cwd, rules: rules.slice(0, 1), suggestions: false, newFiles: new Map() };
  return { ctx, facts: factsOf(ctx) };
}

/** The facts of a file with no findings asked for (a file that holds calls or requests). */
export function plainContext(text: string, file: string, project: ProjectContext, cwd: string): FileContext | undefined {
  const parsed = parsedOf(text, file);
  if (!parsed) return undefined;
  const ctx: ProviderContext = { text, filename: file, parsed, findings: [], project, cwd, rules: [], suggestions: false, newFiles: new Map() };
  return { ctx, facts: factsOf(ctx) };
}

/**
 * ts-morph's project model: every JS/TS file fix sees, in memory (JS through allowJs). No
 * standard library (`noLib`): references to a function do not depend on its declarations, and
 * parsing lib.*.d.ts was most of the model's cost (865 -> 92 ms for two small files).
 */
export async function tsProject(files: { abs: string; text: string }[]): Promise<{ tsp: Project; M: typeof import('ts-morph').Node; SyntaxKind: typeof import('ts-morph').SyntaxKind }> {
  // require, not import(): Node's ES module loader would first scan ts-morph's CommonJS text for its
  // export names (about 110 ms of a 360 ms load); bin/bundle-loader.js keeps its compiled code
  const { Project: P, Node: M, SyntaxKind, ts } = createRequire(import.meta.url)('ts-morph') as typeof import('ts-morph');
  const tsp = new P({
    useInMemoryFileSystem: true,
    skipFileDependencyResolution: true,
    compilerOptions: { allowJs: true, checkJs: false, noEmit: true, noLib: true, jsx: ts.JsxEmit.Preserve, module: ts.ModuleKind.ESNext, moduleResolution: ts.ModuleResolutionKind.Bundler, target: ts.ScriptTarget.ES2022 },
  });
  for (const f of files) if (JS_TS.test(f.abs)) tsp.createSourceFile(f.abs, f.text, { overwrite: true });
  return { tsp, M, SyntaxKind };
}

/** The project's JS/TS files (other than `known`) whose text names one of `names`. */
export function projectFilesNaming(project: ProjectContext, names: string[], known: ReadonlySet<string>): { abs: string; text: string }[] {
  if (!names.length) return [];
  const re = new RegExp(`\\b(${names.join('|')})\\b`);
  const out: { abs: string; text: string }[] = [];
  for (const abs of projectFiles(project)) {
    if (known.has(abs) || !JS_TS.test(abs)) continue;
    // the bytes first: most files of a project name none of them and need no decoding nor a
    // place in the text cache (the demo's project, this repository: 290 ms of reading text)
    let bytes: Buffer | undefined;
    try { bytes = readFileSync(abs); } catch { bytes = undefined; }
    if (bytes && !names.some((n) => bytes!.includes(n))) continue;
    const text = project.readFile(abs);
    if (text !== undefined && re.test(text)) out.push({ abs, text });
  }
  return out;
}

/** The name a function is declared (and imported) under: `function getJson`, `const getJson = () =>`. */
export function nameNode(fn: Fn): TSESTree.Identifier | undefined {
  if (fn.type === 'FunctionDeclaration') return fn.id ?? undefined;
  const p = fn.parent;
  return p?.type === 'VariableDeclarator' && p.id.type === 'Identifier' && p.init === fn ? p.id : undefined;
}

/**
 * The removal edits inside `node`, as one edit of the whole node when they leave a template of one
 * value (`` `${URL}` `` -> `URL`: the project passes are not restyled as a file's own pass is).
 */
export function tidyRemoval(text: string, node: TSESTree.Node, edits: TextEdit[]): TextEdit[] {
  const inside = edits.every((e) => e.range[0] >= node.range[0] && e.range[1] <= node.range[1]);
  if (!inside || node.type !== 'TemplateLiteral') return edits;
  let t = text.slice(node.range[0], node.range[1]);
  for (const e of [...edits].sort((a, b) => b.range[0] - a.range[0])) t = t.slice(0, e.range[0] - node.range[0]) + e.text + t.slice(e.range[1] - node.range[0]);
  const only = /^`\$\{([\w$]+(?:\.[\w$]+)*)\}`$/.exec(t);
  // (of a constant's name only: `${x}` is String(x), and a variable may hold null)
  return only && constantName(only[1]!) ? [{ range: node.range, text: only[1]! }] : edits;
}

/**
 * A reference to a function, as ts-morph's project model finds it: what the project passes check
 * before they change the function's signature ("every reference is provably a request / a call
 * with room for one more argument"). `file`: the file holding the reference.
 */
export type FnReference = { file: string; ref: import('ts-morph').Node } & (
  | { kind: 'import-specifier'; node: import('ts-morph').ImportSpecifier; aliased: boolean }
  | { kind: 'import-clause' | 'export-specifier' | 'export-assignment' | 'declaration' | 'value' }
  | { kind: 'call'; call: import('ts-morph').CallExpression; args: import('ts-morph').Node[]; member: boolean; spread: boolean }
);

/**
 * Every reference to the function declared under `id` in `file`, classified; undefined when the
 * name is not an identifier there or a reference has no parent. `text`: the file's text, to add
 * it to the model when it is not there yet.
 */
export function functionReferences(tsp: Project, M: typeof import('ts-morph').Node, file: string, id: TSESTree.Identifier, text?: string): FnReference[] | undefined {
  const sf = tsp.getSourceFile(file) ?? (text === undefined ? undefined : tsp.createSourceFile(file, text, { overwrite: true }));
  const decl = sf?.getDescendantAtPos(id.range[0]);
  if (!decl || !M.isIdentifier(decl) || decl.getText() !== id.name) return undefined;
  const out: FnReference[] = [];
  for (const ref of decl.findReferencesAsNodes()) {
    const parent = ref.getParent();
    if (!parent) return undefined;
    const at = { file: ref.getSourceFile().getFilePath() as string, ref };
    if (M.isImportSpecifier(parent)) { out.push({ ...at, kind: 'import-specifier', node: parent, aliased: !!parent.getAliasNode() }); continue; }
    if (M.isImportClause(parent)) { out.push({ ...at, kind: 'import-clause' }); continue; }
    if (M.isExportSpecifier(parent)) { out.push({ ...at, kind: 'export-specifier' }); continue; }
    if (M.isExportAssignment(parent)) { out.push({ ...at, kind: 'export-assignment' }); continue; }
    if ((M.isVariableDeclaration(parent) || M.isFunctionDeclaration(parent)) && parent.getNameNode() === ref) { out.push({ ...at, kind: 'declaration' }); continue; }
    // f(...) or x.f(...)
    const member = M.isPropertyAccessExpression(parent) && parent.getNameNode() === ref;
    const callee = member ? parent : ref;
    const call = callee.getParent();
    if (call && M.isCallExpression(call) && call.getExpression() === callee) {
      const args = call.getArguments();
      out.push({ ...at, kind: 'call', call, args, member, spread: args.some((a) => M.isSpreadElement(a)) });
      continue;
    }
    out.push({ ...at, kind: 'value' });
  }
  return out;
}

/** Two edits touch: their ranges overlap, or both start at one offset. */
const editsTouch = (a: TextEdit, b: TextEdit) => a.range[0] < b.range[1] && b.range[0] < a.range[1] || a.range[0] === b.range[0];

/** Adds one plan's edits (by file) to `edits` when they touch no range already there. */
export function joinGroup(edits: Map<string, TextEdit[]>, group: Map<string, TextEdit[]>): void {
  if ([...group].some(([file, es]) => (edits.get(file) ?? []).some((a) => es.some((b) => editsTouch(a, b))))) return;
  for (const [file, es] of group) edits.set(file, [...(edits.get(file) ?? []), ...es]);
}

/**
 * The new text of every file the edits change (applied from the end of the file); an empty map,
 * so that nothing is written, when two edits of a file overlap or a result does not parse.
 */
export function applyFileEdits(edits: Map<string, TextEdit[]>, texts: Map<string, string>, project: ProjectContext): Map<string, string> {
  const out = new Map<string, string>();
  for (const [file, es] of edits) {
    const text = texts.get(file) ?? project.readFile(file);
    if (text === undefined) continue;
    const sorted = [...es].sort((a, b) => b.range[0] - a.range[0] || b.range[1] - a.range[1]);
    if (sorted.some((e, i) => i > 0 && e.range[1] > sorted[i - 1]!.range[0])) return new Map(); // overlapping: do nothing
    let next = text;
    for (const e of sorted) next = next.slice(0, e.range[0]) + e.text + next.slice(e.range[1]);
    if (!parsedOf(next, file)) return new Map();
    out.set(file, next);
  }
  return out;
}
