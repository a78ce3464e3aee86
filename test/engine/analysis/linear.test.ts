/**
 * Linear time (issue 10, item 10): value resolution is memoised, so a file of chained exported
 * constants costs work proportional to its size. Counts evaluations, never wall time.
 */
import { describe, expect, it } from 'vitest';
import { lintText, createProjectContext } from '../../../src/engine/index.js';
import { evalStats } from '../../../src/engine/analysis/values.js';
import { allRules } from '../../../rules/index.js';

function constants(n: number): string {
  const lines = ["const BASE = 'https://api.soundcloud.com';", 'export const A0 = BASE;'];
  for (let i = 1; i < n; i++) {
    lines.push(`export const A${i} = DEBUG ? A${i - 1} + '/x${i}' : \`\${A${i - 1}}/y${i}?limit=\${A${Math.max(0, i - 2)}}\`;`);
    if (i % 3 === 0) lines.push(`export const C${i} = { url: A${i}, title: 'item ${i}' };`);
  }
  return lines.join('\n') + '\n';
}

function work(n: number): number {
  const text = constants(n);
  const before = evalStats.evaluations;
  lintText({ text, filename: `/virtual/consts-${n}.js`, displayPath: 'consts.js', rules: allRules, settings: { 'sc-migrate': { project: createProjectContext({ root: '/virtual', read: () => undefined, exists: () => false }) } }, cwd: '/virtual' });
  return evalStats.evaluations - before;
}

describe('value resolution on a file of chained constants', () => {
  it('grows linearly with the number of constants', () => {
    const small = work(400);
    const large = work(1600);
    expect(small).toBeGreaterThan(0);
    // 4x the constants: about 4x the evaluations (an unmemoised resolver does thousands of times more)
    expect(large / small).toBeLessThan(6);
    expect(large / 1600).toBeLessThan(200);
  });
});
