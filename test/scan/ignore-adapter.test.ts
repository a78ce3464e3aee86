/**
 * Contract of src/scan/ignore-adapter.ts, the one place that uses the private `_rules` of the
 * `ignore` package: with the installed version the fast path is on and answers like the public
 * API; when the private API is missing or answers differently, the adapter falls back to the
 * public one (a user's scan stays right), and this test fails (an `ignore` update is noticed here).
 */
import ignore, { type Ignore } from 'ignore';
import { describe, expect, it } from 'vitest';
import { folderTester, ignoreMode, privateRulesAgree, PROBE, testIgnore } from '../../src/scan/ignore-adapter.js';

/**
 * Random rule sets (seeded; a pattern negated one time in four) and random paths whose parent
 * folders are not ignored (as the walk tests them): `answer` must agree with the public API, for
 * case-sensitive and case-insensitive rules. Returns how many paths were compared.
 */
function compareOnRandomRules(
  seed: number, segs: string[], size: { sets: number; lines: number; paths: number; depth: number },
  pattern: (r: { pick: <T>(a: T[]) => T; rnd: (n: number) => number }) => string,
  answer: (ig: Ignore, parts: string[], isDir: boolean) => { ignored: boolean; unignored: boolean },
): number {
  const rnd = (n: number) => { seed = (seed * 1103515245 + 12345) & 0x7fffffff; return seed % n; };
  const pick = <T,>(a: T[]) => a[rnd(a.length)]!;
  let compared = 0;
  for (let t = 0; t < size.sets; t++) {
    const lines = Array.from({ length: 1 + rnd(size.lines) }, () => { const p = pattern({ pick, rnd }); return rnd(4) === 0 ? '!' + p : p; }).join('\n');
    for (const ignorecase of [false, true]) {
      const ig = ignore({ ignorecase }).add(lines);
      for (let q = 0; q < size.paths; q++) {
        const parts = Array.from({ length: 1 + rnd(size.depth) }, () => pick(segs));
        const isDir = rnd(3) === 0;
        if (parts.slice(0, -1).some((_, i) => ig.test(parts.slice(0, i + 1).join('/') + '/').ignored)) continue;
        const p = parts.join('/') + (isDir ? '/' : '');
        const pub = ig.test(p);
        expect({ lines, p, ...answer(ig, parts, isDir) }).toMatchObject({ lines, p, ignored: pub.ignored, unignored: pub.unignored });
        compared++;
      }
    }
  }
  return compared;
}

describe('ignore adapter', () => {
  it('the installed `ignore` passes the probe: the private fast path is used', () => {
    expect(privateRulesAgree()).toBe(true);
    expect(privateRulesAgree((t) => ignore().add(t))).toBe(true); // case-insensitive rules too
    expect(ignoreMode()).toBe('private');
  });

  it('answers like the public API on gitignore cases (paths whose parents are not ignored)', () => {
    const patterns = ['node_modules', '*.min.js', '!keep.min.js', '/config/*.json', '!config/app.json', 'logs/', '**/tmp/**', 'a?c.ts', '[Tt]est*.js', 'doc/*.md', '!doc/README.md'];
    const ig = ignore().add(patterns.join('\n'));
    const paths = ['node_modules/', 'x/node_modules/', 'node_modules', 'app.min.js', 'x/keep.min.js', 'config/a.json', 'config/app.json', 'x/config/a.json',
      'logs/', 'logs', 'x/logs/', 'x/tmp/y.js', 'abc.ts', 'abbc.ts', 'test1.js', 'Test2.js', 'doc/a.md', 'doc/README.md', 'doc/x/a.md', 'src/main.ts'];
    for (const p of paths) {
      const pub = ig.test(p);
      expect({ p, ...testIgnore(ig, p) }).toMatchObject({ p, ignored: pub.ignored, unignored: pub.unignored });
    }
    for (const ignorecase of [false, true]) {
      const probe = ignore({ ignorecase }).add(PROBE.patterns);
      for (const [p, ignored, unignored] of PROBE.cases) {
        expect(testIgnore(probe, p), p).toMatchObject({ ignored, unignored });
        expect(probe.test(p), p).toMatchObject({ ignored, unignored }); // the probe's answers are the public API's (and git's)
      }
    }
  });

  it('literal rules (a name, `*.ext`, `prefix*`, `*infix*`, folders only) and negations answer like the public API', () => {
    const patterns = ['coverage', 'logs/', '*.log', 'npm-debug.log*', '*cache*', '!keep-cache.js', '**/tmp', '\\#x', 'a+b$', '!x/coverage', '*.min.js', 'out/', '!out/'];
    const paths = ['coverage', 'coverage/', 'x/coverage/', 'y/coverage/', 'coverage.js', 'a/coverage', 'logs', 'logs/', 'a/logs/', 'a.log', 'a/b.log', 'a.log.js',
      'npm-debug.log.1', 'x/npm-debug.log', 'npm-debug.lo', 'mycache.js', 'a/cache/', 'keep-cache.js', 'tmp', 'a/tmp/', 'tmp.js', '#x', 'a/#x', 'a+b$', 'aab',
      'x.min.js', 'min.js', 'out/', 'a/out/', 'out'];
    for (const ignorecase of [false, true]) {
      const ig = ignore({ ignorecase }).add(patterns.join('\n'));
      for (const p of paths) {
        const pub = ig.test(p);
        expect({ p, ignorecase, ...testIgnore(ig, p) }).toMatchObject({ p, ignorecase, ignored: pub.ignored, unignored: pub.unignored });
      }
    }
  });

  it('answers like the public API on random rule sets (seeded), for paths whose parent folders are not ignored', () => {
    const segs = ['a', 'src', 'dist', 'x.js', 'a.log', 'Foo', '.idea', 'a b', 'c.d', 'foo.min.js', 'a-b', '#x', 'a+b', 'x$', 'q.ts', 'LOGS'];
    const compared = compareOnRandomRules(12345, segs, { sets: 400, lines: 10, paths: 25, depth: 3 },
      ({ pick, rnd }) => { const s = pick(segs); return [s, `*${s}`, `${s}*`, `*${s}*`, `${s}/`, `/${s}`, `**/${s}`, `${s}/${pick(segs)}`, `${s}/*`, `${s}/**`, `*.${s}`, `${s}?`, `[ab]${s}`][rnd(13)]!; },
      (ig, parts, isDir) => testIgnore(ig, parts.join('/') + (isDir ? '/' : '')));
    expect(compared).toBeGreaterThan(5000);
  });

  it('folderTester (the entries of a folder, what depends on the folder worked out once) answers like the public API, path rules included', () => {
    const segs = ['a', 'src', 'gen', 'x.js', 'a.log', '.idea', 'app-x', 'b c', 'q.ts', 'out', 'A'];
    // anchored paths (`/a/x.js`, `src/gen`), `**/seg/x`, `seg/**/x`, wildcards after a folder
    const compared = compareOnRandomRules(777, segs, { sets: 300, lines: 8, paths: 30, depth: 4 },
      ({ pick, rnd }) => {
        const [s, t, u] = [pick(segs), pick(segs), pick(segs)];
        return [`/${s}/${t}`, `${s}/${t}`, `**/${s}/${t}`, `${s}/**/${t}`, `${s}/*`, `/${s}/${t}*`, `${s}/${t}/${u}`, `**/${s}`, `${s}`, `*.${s}`, `${s}/`, `/${s}`, `${s}?/${t}`, `[ab]/${t}`][rnd(14)]!;
      },
      (ig, parts, isDir) => folderTester(ig, parts.slice(0, -1).join('/'))(parts[parts.length - 1]!, isDir));
    expect(compared).toBeGreaterThan(5000);
  });

  it('folderTester skips whole-path rules only where they cannot match (anchored prefixes, `**/seg/x` folders)', () => {
    const ig = ignore({ ignorecase: false }).add(['/.idea/*', '**/app/gen/out.js', 'docs/**/*.tmp', '.github/actions/**/dist'].join('\n'));
    const cases: [dir: string, name: string, isDir: boolean, ignored: boolean][] = [
      ['.idea', 'workspace.xml', false, true], ['', '.idea', true, false], ['x/.idea', 'a', false, false],
      ['app/gen', 'out.js', false, true], ['x/app/gen', 'out.js', false, true], ['x/app', 'gen', true, false], ['', 'app', true, false], ['x/gen', 'out.js', false, false],
      ['docs/a/b', 'c.tmp', false, true], ['docs', 'c.tmp', false, true], ['src/docs', 'c.tmp', false, false],
      ['.github/actions/x', 'dist', true, true], ['.github/actions', 'dist', true, true], ['.github', 'actions', true, false],
    ];
    for (const [dir, name, isDir, ignored] of cases) {
      const p = (dir ? dir + '/' : '') + name + (isDir ? '/' : '');
      expect({ p, ignored: folderTester(ig, dir)(name, isDir).ignored }).toEqual({ p, ignored });
      expect({ p, ignored: ig.test(p).ignored }).toEqual({ p, ignored });
    }
  });

  it('falls back to the public API when the private rule list is missing or answers wrongly', () => {
    const real = (t: string) => ignore().add(t);
    // Only the public API (as if `ignore` renamed its private field).
    const without = (t: string) => { const ig = real(t); return { test: (p: string) => ig.test(p) } as unknown as Ignore; };
    const liar = (t: string) => { const ig = real(t); (ig as unknown as { _rules: unknown })._rules = { test: () => ({ ignored: false, unignored: false }) }; return ig; };
    const thrower = (t: string) => { const ig = real(t); (ig as unknown as { _rules: unknown })._rules = { test: () => { throw new Error('changed'); } }; return ig; };
    expect(privateRulesAgree(without)).toBe(false);
    expect(privateRulesAgree(liar)).toBe(false);
    expect(privateRulesAgree(thrower)).toBe(false);
    // An Ignore without the private list is still answered (by the public API).
    const ig: Ignore = without('*.log');
    expect(testIgnore(ig, 'a.log')).toMatchObject({ ignored: true });
    expect(testIgnore(ig, 'a.js')).toMatchObject({ ignored: false });
  });
});
