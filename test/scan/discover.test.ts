/**
 * Discovery like git (issue 10, item 1): inside a git work tree the files are git's (tracked,
 * plus untracked not ignored); outside git, .gitignore applies with case-sensitive matching; what
 * ignores removed is listed for --verbose.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { mkdirSync, writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { discoverFiles } from '../../src/scan/discover.js';

const dirs: string[] = [];
afterAll(() => { for (const d of dirs) rmSync(d, { recursive: true, force: true }); });

function tree(files: Record<string, string>): string {
  const d = mkdtempSync(join(tmpdir(), 'sc-discover-'));
  dirs.push(d);
  for (const [f, t] of Object.entries(files)) { mkdirSync(dirname(join(d, f)), { recursive: true }); writeFileSync(join(d, f), t); }
  return d;
}
const git = (cwd: string, ...args: string[]) => execFileSync('git', ['-c', 'user.email=t@t', '-c', 'user.name=t', ...args], { cwd, stdio: 'ignore' });
const listed = (cwd: string) => discoverFiles({ cwd }).files.map((f) => f.file).sort();

describe('discovery outside git', () => {
  it('matches .gitignore patterns case-sensitively, as git on Linux', () => {
    const d = tree({ '.gitignore': 'Soundcloud*/\n', 'src/core/soundcloud/api.js': 'x', 'Soundcloud-build/out.js': 'x' });
    expect(listed(d)).toEqual(['src/core/soundcloud/api.js']);
  });

  it('lists what ignore rules removed, with the ignore file', () => {
    const d = tree({ '.gitignore': 'local.js\n', 'local.js': 'x', 'app.js': 'x' });
    const r = discoverFiles({ cwd: d });
    expect(r.files.map((f) => f.file)).toEqual(['app.js']);
    expect(r.ignored).toEqual([{ file: 'local.js', reason: expect.stringMatching(/^ignored by .*\.gitignore$/) }]);
  });
});

describe('discovery outside git: whole-path patterns of nested ignore files', () => {
  it('applies anchored, `**/dir/file` and `dir/**/x` patterns of the root and a nested .gitignore, and negations, in every folder they can reach', () => {
    const d = tree({
      '.gitignore': '/tools/*.js\n**/gen/out.js\ndocs/**/*.tmp.js\n!docs/keep/a.tmp.js\n',
      'pkg/.gitignore': '/local/\nsrc/**/mock.js\n',
      'tools/a.js': 'x', 'x/tools/a.js': 'x', 'gen/out.js': 'x', 'a/b/gen/out.js': 'x', 'a/gen/other.js': 'x', 'gen.js': 'x',
      'docs/x.tmp.js': 'x', 'docs/a/b/x.tmp.js': 'x', 'docs/keep/a.tmp.js': 'x', 'src/docs/x.tmp.js': 'x',
      'pkg/local/a.js': 'x', 'pkg/x/local/a.js': 'x', 'pkg/src/a/mock.js': 'x', 'src/a/mock.js': 'x', 'pkg/src/a/real.js': 'x',
    });
    expect(listed(d)).toEqual(['a/gen/other.js', 'docs/keep/a.tmp.js', 'gen.js', 'pkg/src/a/real.js', 'pkg/x/local/a.js', 'src/a/mock.js', 'src/docs/x.tmp.js', 'x/tools/a.js']);
  });
});

describe('discovery of several paths', () => {
  it('lists a file once when the paths overlap', () => {
    const d = tree({ 'src/a/x.js': 'x', 'src/b.js': 'x' });
    const files = (paths: string[]) => discoverFiles({ cwd: d, paths }).files.map((f) => f.file).sort();
    expect(files(['src', 'src/a', 'src/b.js', 'src/a/x.js'])).toEqual(['src/a/x.js', 'src/b.js']);
    expect(files(['src'])).toEqual(['src/a/x.js', 'src/b.js']);
  });
});

describe('discovery in a git work tree', () => {
  it('scans tracked files even when a .gitignore pattern matches them, and skips untracked ignored ones', () => {
    const d = tree({ 'tracked/keep.js': 'x', 'app.js': 'x' });
    git(d, 'init', '-q');
    git(d, 'add', '-A');
    git(d, 'commit', '-qm', 'init');
    writeFileSync(join(d, '.gitignore'), 'tracked/\nscratch.js\n');
    writeFileSync(join(d, 'scratch.js'), 'x');
    writeFileSync(join(d, 'new.js'), 'x');
    mkdirSync(join(d, 'tracked', 'more'));
    writeFileSync(join(d, 'tracked', 'more', 'untracked.js'), 'x');
    expect(listed(d)).toEqual(['app.js', 'new.js', 'tracked/keep.js']);
    const r = discoverFiles({ cwd: d });
    expect(r.ignored?.map((x) => x.file).sort()).toEqual(['scratch.js', 'tracked/more/']);
  });

  it('still honours .sc-migrateignore and config ignore globs', () => {
    const d = tree({ 'a.js': 'x', 'gen/b.js': 'x', 'c.js': 'x', '.sc-migrateignore': 'gen/\n' });
    git(d, 'init', '-q');
    git(d, 'add', '-A');
    expect(discoverFiles({ cwd: d, ignore: ['c.js'] }).files.map((f) => f.file)).toEqual(['a.js']);
  });
});

describe('the per-path filter (staged / changed lists)', () => {
  it('keeps a tracked file that a .gitignore pattern matches in a git work tree, and applies .gitignore outside git', async () => {
    const { discoverFilter } = await import('../../src/scan/filter.js');
    const d = tree({ '.gitignore': 'Soundcloud*/\nlocal.js\n', 'Soundcloud-app/api.js': 'x', 'local.js': 'x' });
    const outside = discoverFilter({ root: d, cwd: d });
    expect(outside(join(d, 'Soundcloud-app', 'api.js'))).toBe('ignored');
    expect(outside(join(d, 'local.js'))).toBe('ignored');
    git(d, 'init', '-q');
    const inside = discoverFilter({ root: d, cwd: d });
    expect(inside(join(d, 'Soundcloud-app', 'api.js'))).toBeUndefined();
  });
});

describe('build output beside the sources', () => {
  it('skips default output folders in any case (Build/ of a static-site tool)', () => {
    const d = tree({ 'index.html': 'x', 'Build/index.html': 'x', 'Dist/app.js': 'x', 'builder/app.js': 'x' });
    expect(listed(d)).toEqual(['builder/app.js', 'index.html']);
  });

  it('skips lib/ (es/, cjs/...) files compiled from a discovered src/ twin, and lists why', () => {
    const d = tree({
      'src/back/adapter.js': 'x', 'lib/back/adapter.js': 'x', 'lib/extra.js': 'x',
      'packages/a/src/index.ts': 'x', 'packages/a/esm/index.js': 'x', 'packages/a/lib/index.d.ts': 'x',
    });
    const r = discoverFiles({ cwd: d });
    expect(r.files.map((f) => f.file).sort()).toEqual(['lib/extra.js', 'packages/a/lib/index.d.ts', 'packages/a/src/index.ts', 'src/back/adapter.js']);
    expect(r.skipped).toEqual(expect.arrayContaining([
      { file: 'lib/back/adapter.js', reason: 'build output (compiled copy of src/back/adapter.js)' },
      { file: 'packages/a/esm/index.js', reason: 'build output (compiled copy of src/index.ts)' },
    ]));
  });

  it("skips Cordova's platform copies of www/ (the source is scanned), not platform code of its own", () => {
    const d = tree({
      'www/js/app.js': 'x', 'www/index.html': 'x', 'platforms/ios/www/js/app.js': 'x', 'platforms/ios/www/cordova.js': 'x',
      'platforms/android/app/src/main/assets/www/index.html': 'x', 'platforms/browser/platform_www/js/app.js': 'x',
    });
    const r = discoverFiles({ cwd: d });
    expect(r.files.map((f) => f.file).sort()).toEqual(['platforms/ios/www/cordova.js', 'www/index.html', 'www/js/app.js']);
    expect(r.skipped).toEqual(expect.arrayContaining([
      { file: 'platforms/ios/www/js/app.js', reason: "build output (Cordova's copy of www/js/app.js)" },
      { file: 'platforms/android/app/src/main/assets/www/index.html', reason: "build output (Cordova's copy of www/index.html)" },
    ]));
  });

  it('keeps them with --no-ignore and when named on the command line', () => {
    const d = tree({ 'src/a.js': 'x', 'lib/a.js': 'x' });
    expect(discoverFiles({ cwd: d, noIgnore: true }).files.map((f) => f.file).sort()).toEqual(['lib/a.js', 'src/a.js']);
    expect(discoverFiles({ cwd: d, paths: ['lib/a.js', 'src'] }).files.map((f) => f.file).sort()).toEqual(['lib/a.js', 'src/a.js']);
  });
});
