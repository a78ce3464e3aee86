/**
 * Discovery tests each path against an ignore file through one combined regex first (the
 * alternation of all its rules) and runs the per-rule scan only when that matches. The answer
 * must be exactly the `ignore` package's own, on every kind of pattern.
 */
import { afterAll, describe, expect, it } from 'vitest';
import ignore from 'ignore';
import { discoverFiles } from '../../src/scan/discover.js';
import { cleanup, tempDir, writeTree } from './helpers.js';

afterAll(cleanup);

const GITIGNORE = [
  '# comment', '*.gen.js', '!keep.gen.js', 'build-*', '/rootonly.js', 'sub/deep.js', '**/gen/**', 'docs/',
  'foo?.js', '[ab].js', '\\#hash.js', 'nested/**/x.ts', 'only-dir/', 'Case.JS', 'a/**/b/*.mjs', '!a/keep/b/k.mjs', 'spaced\\ name.js',
].join('\n');

const FILES = [
  'x.gen.js', 'src/y.gen.js', 'src/keep.gen.js', 'build-1/a.js', 'src/build-2.js', 'rootonly.js', 'src/rootonly.js',
  'sub/deep.js', 'other/sub/deep.js', 'p/gen/q.js', 'gen/r.js', 'docs/d.js', 'src/docs/e.js', 'fooA.js', 'fooAB.js', 'a.js', 'c.js',
  '#hash.js', 'nested/x.ts', 'nested/m/n/x.ts', 'only-dir/z.js', 'Case.JS', 'case.js', 'a/q/b/one.mjs', 'a/keep/b/k.mjs',
  'spaced name.js', 'plain.ts', 'deep/er/plain.tsx',
];

describe('discovery: ignore files through one combined regex', () => {
  it('keeps exactly the files the ignore package keeps', () => {
    const d = tempDir();
    writeTree(d, { '.gitignore': GITIGNORE, ...Object.fromEntries(FILES.map((f) => [f, 'x;\n'])) });
    // matching is case-sensitive, as git's is on Linux (Case.JS vs case.js)
    const ig = ignore({ ignorecase: false }).add(GITIGNORE);
    const expected = FILES.filter((f) => !ig.ignores(f)).sort();
    const got = discoverFiles({ cwd: d }).files.map((f) => f.file).sort();
    expect(got).toEqual(expected);
    // the patterns did ignore something, and kept something
    expect(expected.length).toBeGreaterThan(5);
    expect(expected.length).toBeLessThan(FILES.length - 10);
  });
});
