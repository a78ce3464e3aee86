/**
 * The one AST walker of the engine, on `@typescript-eslint/visitor-keys` (the keys ESLint walks):
 * the linter's walk (ESLint order, `parent` on every node, listeners), `traverse`,
 * `traverseCollect` (pre-order, no parents) and `forEachChild` (one level, for walks that prune)
 * all take a node's children from `childKeys`. A node type the keys do not know (a parser
 * extension) falls back to its own object-valued fields, so no subtree is silently skipped.
 */
import { visitorKeys } from '@typescript-eslint/visitor-keys';
import type { Node } from './types.js';

const KEYS = visitorKeys as Record<string, readonly string[] | undefined>;
const NOT_CHILDREN: ReadonlySet<string> = new Set(['parent', 'loc', 'range', 'comments', 'tokens']);

/** The fields of `node` that hold child nodes: its visitor keys, or (unknown type) its other fields. */
export function childKeys(node: { type: string }): readonly string[] {
  return KEYS[node.type] ?? Object.keys(node).filter((k) => !NOT_CHILDREN.has(k));
}

const isNode = (v: unknown): v is Node => !!v && typeof (v as Node).type === 'string';

/** Calls `fn` on each direct child of `node`, in visitor-key order. */
export function forEachChild<T extends { type: string }>(node: T, fn: (child: T, key: string) => void): void {
  const ks = childKeys(node);
  for (let i = 0; i < ks.length; i++) {
    const v = (node as unknown as Record<string, unknown>)[ks[i]!];
    if (Array.isArray(v)) { for (const c of v) if (isNode(c)) fn(c as unknown as T, ks[i]!); }
    else if (isNode(v)) fn(v as unknown as T, ks[i]!);
  }
}

/**
 * A pre-order walk over every node below (and including) `root`; sets nothing on the nodes.
 * Children go straight onto the stack, last key and last element first (the first child on
 * top): no callback per child and no second array, as `forEachChild` would take.
 */
export function traverseCollect(root: Node, fn: (n: Node) => void): void {
  const stack: Node[] = [root];
  while (stack.length) {
    const n = stack.pop()!;
    fn(n);
    const ks = KEYS[n.type] ?? childKeys(n);
    for (let i = ks.length - 1; i >= 0; i--) {
      const v = (n as unknown as Record<string, unknown>)[ks[i]!];
      if (v === null || typeof v !== 'object') continue;
      if (Array.isArray(v)) { for (let j = v.length - 1; j >= 0; j--) { const c: unknown = v[j]; if (isNode(c)) stack.push(c); } }
      else if (isNode(v)) stack.push(v);
    }
  }
}

export type Listeners = Map<string, ((n: Node) => void)[]>;

/**
 * The linter's walk: `parent` on every node, `enter`/`leave` callbacks and listeners by node
 * type. `Program` listeners (most rules listen only to `Program:exit`) run at the root, outside
 * the per-node loop; the per-node map lookup happens only when some rule listens to another type.
 */
export function walkWith(root: Node, listeners: { enter: Listeners; exit: Listeners } | undefined, enter?: (node: Node) => void, leave?: (node: Node) => void): void {
  // A Program is only ever the root: its listeners need no lookup on every other node.
  const isProgram = root.type === 'Program';
  const rootEnter = isProgram ? listeners?.enter.get('Program') : undefined;
  const rootExit = isProgram ? listeners?.exit.get('Program') : undefined;
  const others = (m: Listeners | undefined) => (m && m.size - (isProgram && m.has('Program') ? 1 : 0) > 0 ? m : undefined);
  const onEnter = others(listeners?.enter);
  const onExit = others(listeners?.exit);
  const run = (l: ((n: Node) => void)[] | undefined, node: Node) => { if (l !== undefined) for (let i = 0; i < l.length; i++) l[i]!(node); };
  const walk = (node: Node, parent: Node | undefined) => {
    (node as { parent?: Node }).parent = parent;
    if (enter) enter(node);
    if (node === root && isProgram) run(rootEnter, node);
    else if (onEnter !== undefined) {
      // inline: most nodes have no listener, and a call per node showed in profiles
      const l = onEnter.get(node.type);
      if (l !== undefined) for (let i = 0; i < l.length; i++) l[i]!(node);
    }
    const ks = KEYS[node.type] ?? childKeys(node);
    for (let i = 0; i < ks.length; i++) {
      const child = (node as unknown as Record<string, unknown>)[ks[i]!];
      if (child === null || typeof child !== 'object') continue;
      if (Array.isArray(child)) {
        for (let j = 0; j < child.length; j++) {
          const c = child[j] as Node | null;
          if (c !== null && typeof c === 'object' && typeof c.type === 'string') walk(c, node);
        }
      } else if (typeof (child as Node).type === 'string') {
        walk(child as Node, node);
      }
    }
    if (node === root && isProgram) run(rootExit, node);
    else if (onExit !== undefined) {
      const l = onExit.get(node.type);
      if (l !== undefined) for (let i = 0; i < l.length; i++) l[i]!(node);
    }
    if (leave) leave(node);
  };
  walk(root, undefined);
}

/** Walks the tree in ESLint's order, setting `parent` on every node. */
export function traverse(root: Node, enter: (node: Node) => void, leave: (node: Node) => void): void {
  walkWith(root, undefined, enter, leave);
}

/**
 * Sets `parent` on every node of a program unless a walk already did (the linter's, ESLint's, an
 * earlier call): every walk sets all of them, so the first statement tells.
 */
export function ensureParents(ast: { body: readonly unknown[] }): void {
  if (!(ast.body[0] as { parent?: unknown } | undefined)?.parent) traverse(ast as unknown as Node, () => {}, () => {});
}
