/** A fast pre-order walk over every child node (no visitor keys needed). */
import type { TSESTree } from '@typescript-eslint/typescript-estree';

type N = TSESTree.Node;

export function traverseCollect(root: N, fn: (n: N) => void): void {
  const stack: N[] = [root];
  while (stack.length) {
    const n = stack.pop()!;
    fn(n);
    for (const key in n) {
      const v = (n as unknown as Record<string, unknown>)[key];
      // Most keys hold primitives: test the value first, the skipped key names after.
      if (v === null || typeof v !== 'object' || key === 'parent' || key === 'loc' || key === 'range' || key === 'comments' || key === 'tokens') continue;
      if (Array.isArray(v)) { for (let i = v.length - 1; i >= 0; i--) { const c = v[i]; if (c && typeof c === 'object' && typeof (c as N).type === 'string') stack.push(c as N); } }
      else if (v && typeof v === 'object' && typeof (v as N).type === 'string') stack.push(v as N);
    }
  }
}

