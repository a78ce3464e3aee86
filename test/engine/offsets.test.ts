/**
 * Node offsets (src/engine/offsets.ts): the scanner's oxc trees carry `start` / `end` and no
 * `range`; every other tree carries `range`, which the readers take first (ESLint's RuleTester
 * makes `start` / `end` throw); acorn's template elements agree in both.
 */
import { describe, expect, it } from 'vitest';
import { endOf, startOf } from '../../src/engine/offsets.js';
import { parseJs, parseOxc } from '../../src/engine/parse.js';
import { traverseCollect } from '../../src/engine/walk.js';
import type { Node } from '../../src/engine/types.js';

const CODE = 'const u = `https://api.soundcloud.com/${id}/x`;\nfetch(u, { headers: { a: 1 } });\n';

const nodes = (root: unknown): Node[] => { const out: Node[] = []; traverseCollect(root as Node, (n) => out.push(n)); return out; };

describe('node offsets', () => {
  it('raw transfer without locations: start / end on every node, no range', () => {
    const ast = parseOxc(CODE, 'ts', false, 'force-raw')!;
    const all = nodes(ast);
    expect(all.length).toBeGreaterThan(10);
    for (const n of all) {
      expect(n).not.toHaveProperty('range');
      expect(typeof (n as { start?: unknown }).start).toBe('number');
    }
    const call = all.find((n) => n.type === 'CallExpression')!;
    expect(CODE.slice(startOf(call), endOf(call))).toBe('fetch(u, { headers: { a: 1 } })');
  });

  it('with locations: range equals start / end', () => {
    for (const n of nodes(parseOxc(CODE, 'ts', true, 'force-raw')!)) {
      const { start, end } = n as unknown as { start: number; end: number };
      expect(n.range).toEqual([start, end]);
    }
  });

  it('reads range first, never a start that throws (RuleTester)', () => {
    const n = { range: [3, 9] as [number, number] };
    Object.defineProperty(n, 'start', { get() { throw new Error('Use node.range[0] instead of node.start'); } });
    Object.defineProperty(n, 'end', { get() { throw new Error('Use node.range[1] instead of node.end'); } });
    expect([startOf(n), endOf(n)]).toEqual([3, 9]);
  });

  it("acorn's template elements: start / end widened as range is", () => {
    for (const n of nodes(parseJs(CODE)!)) {
      const { start, end } = n as unknown as { start: number; end: number };
      expect([start, end]).toEqual(n.range);
    }
  });
});

describe('no direct range reads on scanner trees', () => {
  // The scanner's trees have no `range` (oxc's `ts` deserialiser): a `.range[i]` read in the engine
  // or a rule is undefined there and fails only on the code paths that reach it (a merge brought
  // one in: `u.range[0]` in facts.ts, caught by three fixtures). Only the places that build ranges
  // for other trees, or read ranges of objects that are not nodes, may name it.
  const ALLOWED = new Set(['src/engine/offsets.ts', 'src/engine/parse.ts', 'src/engine/linter.ts']);
  it('src/engine and rules/*/rule.ts read offsets through startOf / endOf', async () => {
    const { readdirSync, readFileSync, statSync } = await import('node:fs');
    const { join, relative } = await import('node:path');
    const root = join(__dirname, '../..');
    const files: string[] = [];
    const walk = (d: string) => { for (const e of readdirSync(d)) { const p = join(d, e); if (statSync(p).isDirectory()) { if (e !== 'fixtures') walk(p); } else if (/\.ts$/.test(e) && !/fix\.ts$/.test(e)) files.push(p); } };
    walk(join(root, 'src/engine')); walk(join(root, 'rules'));
    const offenders = files.filter((f) => !ALLOWED.has(relative(root, f).replace(/\\/g, '/')))
      .flatMap((f) => readFileSync(f, 'utf8').split('\n').map((l, i) => [f, i + 1, l] as const))
      .filter(([, , l]) => /\.range\[\d\]/.test(l))
      .map(([f, i]) => `${relative(root, f)}:${i}`);
    expect(offenders).toEqual([]);
  });
});
