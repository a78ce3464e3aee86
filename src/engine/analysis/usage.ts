/** How values are used: dead constants (declared, never read, not exported). */
import type { TSESTree } from '@typescript-eslint/typescript-estree';
import { traverseCollect } from './walk.js';
import { programOf } from './scope.js';

type N = TSESTree.Node;
const counts = new WeakMap<N, Map<string, number>>();

function identifierCounts(program: TSESTree.Program): Map<string, number> {
  let m = counts.get(program);
  if (!m) {
    const c = new Map<string, number>();
    traverseCollect(program, (n) => { if (n.type === 'Identifier') c.set(n.name, (c.get(n.name) ?? 0) + 1); });
    counts.set(program, (m = c));
  }
  return m;
}

/** `const X = <node>` where X is never read in the file and not exported. */
export function isDeadConstant(node: N): boolean {
  let x: N = node;
  while (x.parent && (x.parent.type === 'TSAsExpression' || x.parent.type === 'BinaryExpression' || x.parent.type === 'TemplateLiteral')) x = x.parent;
  const d = x.parent;
  if (!d || d.type !== 'VariableDeclarator' || d.init !== x || d.id.type !== 'Identifier') return false;
  const decl = d.parent;
  if (decl?.parent?.type === 'ExportNamedDeclaration') return false;
  const program = programOf(node);
  if (program.body.some((s) => s.type === 'ExportNamedDeclaration' && s.specifiers.some((sp) => sp.local.type === 'Identifier' && sp.local.name === (d.id as TSESTree.Identifier).name))) return false;
  return (identifierCounts(program).get(d.id.name) ?? 0) <= 1;
}
