/**
 * The one AST walker of the engine, on `@typescript-eslint/visitor-keys` (the keys ESLint walks):
 * the linter's walk (ESLint order, `parent` and `range` on every node, listeners), `traverse`,
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

/** A pre-order walk over every node below (and including) `root`; sets nothing on the nodes. */
export function traverseCollect(root: Node, fn: (n: Node) => void): void {
  const stack: Node[] = [root];
  const kids: Node[] = [];
  while (stack.length) {
    const n = stack.pop()!;
    fn(n);
    forEachChild(n, (c) => { kids.push(c); });
    while (kids.length) stack.push(kids.pop()!); // first child on top
  }
}

export type Listeners = Map<string, ((n: Node) => void)[]>;

/**
 * The linter's walk: `parent` on every node (and `range` on oxc trees parsed without
 * locations), `enter`/`leave` callbacks and listeners by node type (a map lookup only when some
 * rule listens: most rules only listen to `Program:exit`).
 */
export function walkWith(root: Node, listeners: { enter: Listeners; exit: Listeners } | undefined, enter?: (node: Node) => void, leave?: (node: Node) => void): void {
  const onEnter = listeners?.enter.size ? listeners.enter : undefined;
  const onExit = listeners?.exit.size ? listeners.exit : undefined;
  const walk = (node: Node, parent: Node | undefined) => {
    (node as { parent?: Node }).parent = parent;
    // oxc trees parsed without locations carry offsets only: `range` comes with the walk
    if (node.range === undefined) (node as { range: [number, number] }).range = [(node as unknown as { start: number }).start, (node as unknown as { end: number }).end];
    if (enter) enter(node);
    if (onEnter) { const l = onEnter.get(node.type); if (l) for (const fn of l) fn(node); }
    forEachChild(node, (c) => walk(c, node));
    if (onExit) { const l = onExit.get(node.type); if (l) for (const fn of l) fn(node); }
    if (leave) leave(node);
  };
  walk(root, undefined);
}

/** Walks the tree in ESLint's order, setting `parent` on every node. */
export function traverse(root: Node, enter: (node: Node) => void, leave: (node: Node) => void): void {
  walkWith(root, undefined, enter, leave);
}
