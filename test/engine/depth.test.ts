import { describe, expect, it } from 'vitest';
import { MAX_ELSE_IF, MAX_NESTING, nestsTooDeep } from '../../src/engine/depth.js';

const URL = "'https://api.soundcloud.com/me'";
const n = MAX_NESTING + 500;

describe('nestsTooDeep (the guard before the native parser)', () => {
  it('flags generated code nested thousands of levels deep, however it nests', () => {
    const deep: Record<string, string> = {
      arrays: `const x = ${'[\n'.repeat(n)}${URL}${'\n]'.repeat(n)};`,
      parens: `const x = ${'('.repeat(n)}${URL}${')'.repeat(n)};`,
      calls: `f(${'g(\n'.repeat(n)}1${')'.repeat(n)});`,
      blocks: `${'{\n'.repeat(n)}run();\n${'}\n'.repeat(n)}`,
      ternaries: `const x = ${'a ?\n1 :\n'.repeat(n)}${URL};`,
      prettierTernaries: `const x = a\n${'  ? 1\n  : b\n'.repeat(n)}  ? 1\n  : 2;`,
      unary: `const x = ${'!'.repeat(2 * MAX_NESTING + 100)}a;`,
      arrows: `const f = ${'() =>\n'.repeat(n)}1;`,
      assignments: `${'a =\n'.repeat(n)}1;`,
      elseIfs: `if (a === 0) {}\n${Array.from({ length: MAX_ELSE_IF + 10 }, (_, i) => `else if (a === ${i + 1}) { b = ${i} }`).join('\n')}`,
    };
    for (const [name, text] of Object.entries(deep)) expect([name, nestsTooDeep(text)]).toEqual([name, true]);
  });

  it('is exact at the limits, whether the count of openers or the scan decides', () => {
    const parens = (k: number) => `${'('.repeat(k)}${URL}${')'.repeat(k)};`;
    // (at most MAX_NESTING openers: the count decides; one more: the scan)
    expect(nestsTooDeep(parens(MAX_NESTING))).toBe(false);
    expect(nestsTooDeep(parens(MAX_NESTING + 1))).toBe(true);
    // `else if` beyond its limit with no opener at all (regular expression literals: no bracket after the `if`)
    const elseIfs = (k: number) => Array.from({ length: k }, () => '/else if/g;').join('\n');
    expect(nestsTooDeep(elseIfs(MAX_ELSE_IF))).toBe(false);
    expect(nestsTooDeep(elseIfs(MAX_ELSE_IF + 1))).toBe(true);
  });

  it('passes big ordinary files: statements without semicolons, long lists, many callbacks and ternaries', () => {
    const ok: Record<string, string> = {
      asi: Array.from({ length: 6000 }, (_, i) => `const v${i} = !flag ? ${i} : ${i + 1}`).join('\n'),
      list: `export const TRACKS = [\n${Array.from({ length: 6000 }, (_, i) => `  { id: ${i}, url: ${URL}, play: () => play(${i}) },`).join('\n')}\n];`,
      handlers: Array.from({ length: 3000 }, (_, i) => `app.get('/r${i}', (req, res) => res.send(req.query.a ?? req.query?.b ?? ${i}));`).join('\n'),
      strings: `const s = '${'((((['.repeat(1000)}';\nconst t = \`${'{{{'.repeat(1000)}\`;\n// ${'(['.repeat(3000)}\n/* ${'{'.repeat(5000)} */`,
      compares: Array.from({ length: 5000 }, (_, i) => `if (a === ${i} || b !== ${i} || c <= ${i} || d >= ${i}) x++`).join('\n'),
    };
    for (const [name, text] of Object.entries(ok)) expect([name, nestsTooDeep(text)]).toEqual([name, false]);
  });
});
