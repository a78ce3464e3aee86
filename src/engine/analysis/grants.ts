/** Object properties with a known value anywhere in the file (config objects not passed to a request). */
import type { TSESTree } from '@typescript-eslint/typescript-estree';
import type { FileFacts } from './facts.js';
import { traverseCollect } from './walk.js';
import { evalString, flatText, propName } from './values.js';

export function grantProperties(facts: FileFacts, key: string, value: RegExp): { key: TSESTree.Node; prop: TSESTree.Property }[] {
  const out: { key: TSESTree.Node; prop: TSESTree.Property }[] = [];
  traverseCollect(facts.ast, (n) => {
    if (n.type !== 'Property' || propName(n) !== key) return;
    const alts = evalString(n.value as TSESTree.Node, facts.env);
    if (alts.some((a) => a.every((p) => p.kind === 'text') && value.test(flatText(a)))) out.push({ key: n.key, prop: n });
  });
  return out;
}
