/** The yargs-free path for plain command lines (src/cli/fast-args.ts) gives what yargs gives. */
import { describe, expect, it } from 'vitest';
import { fastParse } from '../../src/cli/fast-args.js';
import { parse } from '../../src/cli/program.js';
import { COMMANDS } from '../../src/cli/commands/index.js';
import type { Command } from '../../src/cli/command.js';

const V = '9.9.9';

/** Tokens for one command: every option in each of its forms, good and bad values, words. */
function tokensOf(c: Command): string[][] {
  const out: string[][] = [['src'], ['a/b.js'], ['123'], ['-1'], ['--'], ['-h'], ['--help'], ['-v'], ['--bogus'], ['-x'], ['scan'], ['true']];
  for (const [key, o] of Object.entries(c.options)) {
    const names = [`--${key}`, ...[o.alias ?? []].flat().map((a) => (a.length === 1 ? `-${a}` : `--${a}`))];
    const camel = key.replace(/-([a-z])/g, (_, x: string) => x.toUpperCase());
    if (camel !== key) names.push(`--${camel}`);
    for (const n of names) {
      if (o.type === 'boolean') {
        out.push([n], [`--no-${key}`], [n, 'false'], [n, 'true'], [`${n}=false`], [n, 'src']);
      } else {
        const good = (o.choices as string[] | undefined)?.[1] ?? 'v1';
        out.push([n, good], [`${n}=${good}`], [n], [n, ''], [n, '-1'], [n, 'nope'], [`--no-${key}`], [n, '2'], [`${n}=a=b`]);
      }
    }
  }
  return out;
}

/** Deterministic pseudo-random numbers (mulberry32). */
function rng(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('fastParse', () => {
  it('takes the pre-commit, bench and version command lines (so yargs is not loaded for them)', () => {
    for (const argv of [['scan', '--staged'], ['scan', '--staged', '--format', 'json', '--fail-on', 'none'], ['scan', '.', '-f', 'sarif', '-o', 'x.sarif'], ['fix', 'src', '--dry'], ['--version'], ['-v']]) {
      expect(fastParse(argv, COMMANDS, V), argv.join(' ')).toBeDefined();
    }
  });

  it('leaves help, usage errors and unusual forms to yargs', () => {
    for (const argv of [[], ['--help'], ['scan', '--help'], ['scna'], ['scan', '--formt', 'json'], ['scan', '--format', 'xml'], ['scan', '--rule'], ['scan', '--rule', 'a', '--rule', 'b'], ['scan', '--', 'x'], ['scan', '--staged', 'false'], ['rules', 'extra'], ['scan', '--no-config']]) {
      expect(fastParse(argv, COMMANDS, V), argv.join(' ')).toBeUndefined();
    }
  });

  it('gives what yargs gives, on thousands of generated command lines', async () => {
    const random = rng(12);
    let fast = 0;
    let total = 0;
    for (const c of COMMANDS) {
      const tokens = tokensOf(c);
      const lines: string[][] = [[c.name], ...tokens.map((t) => [c.name, ...t])];
      for (let i = 0; i < 400; i++) {
        const n = 1 + Math.floor(random() * 4);
        lines.push([c.name, ...Array.from({ length: n }, () => tokens[Math.floor(random() * tokens.length)]!).flat()]);
      }
      for (const argv of lines) {
        const f = fastParse(argv, COMMANDS, V);
        total++;
        if (!f) continue;
        fast++;
        const y = await parse(argv, COMMANDS, V);
        expect(f, argv.join(' ')).toEqual(y);
      }
    }
    // The generator reaches the fast path often enough for the comparison to mean something.
    expect(fast).toBeGreaterThan(total / 8);
  });
});
