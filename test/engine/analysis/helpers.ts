/** Parses code into an ESTree with parent pointers, and finds nodes in it (analysis unit tests). */
import type { TSESTree } from '@typescript-eslint/typescript-estree';
import { parseFile, traverse, createProjectContext, type ProjectContext } from '../../../src/engine/index.js';
import { traverseCollect } from '../../../src/engine/analysis/walk.js';
import type { Env } from '../../../src/engine/analysis/values.js';

export type N = TSESTree.Node;

export function parse(code: string, filename = '/virtual/app.js'): TSESTree.Program {
  const ast = parseFile(code, filename).ast as unknown as TSESTree.Program;
  traverse(ast as never, () => {}, () => {});
  return ast;
}

/** The nodes of a type, in source order; `pick` narrows them. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function nodes(root: N, type: string, pick: (n: any) => boolean = () => true): any[] {
  const out: N[] = [];
  traverseCollect(root, (n) => { if (n.type === type && pick(n)) out.push(n); });
  return out.sort((a, b) => a.range[0] - b.range[0]);
}

/** The initialiser of `const <name> = ...`. */
export function init(root: N, name: string): N {
  const d = nodes(root, 'VariableDeclarator', (x) => x.id.type === 'Identifier' && x.id.name === name)[0] as TSESTree.VariableDeclarator | undefined;
  if (!d?.init) throw new Error(`no const ${name}`);
  return d.init;
}

/** An in-memory project: `files` maps absolute paths to their text. */
export function project(files: Record<string, string>): ProjectContext {
  return createProjectContext({ root: '/virtual', read: (p) => files[p], exists: (p) => p in files, files: () => Object.keys(files) });
}

export const envOf = (filename: string, p?: ProjectContext): Env => ({ filename, project: p, depth: 0 });
