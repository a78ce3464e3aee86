/**
 * `--staged` reads the package.json files its analysis needs (the nearest one of each staged
 * file's folder) with the staged blobs, in the one `git cat-file` of the listing: no second
 * cat-file, no listing of the whole index, and still the index's text, never the working tree's.
 * A fake `git` on PATH logs each call (then runs the real one).
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { chmodSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { delimiter, join } from 'node:path';
import { createStagedSource } from '../../src/git/staged.js';
import { cleanup, git, initRepo, tempDir, writeTree } from '../cli/helpers.js';

afterAll(cleanup);

const PLAYER = "export const load = (id) => fetch(`https://api.soundcloud.com/tracks/${id}?client_id=abc`);\n";
let log: string;
let savedPath: string | undefined;

beforeAll(() => {
  const bin = tempDir('scm-fakegit-');
  const realGit = execFileSync('sh', ['-c', 'command -v git'], { encoding: 'utf8' }).trim();
  log = join(bin, 'calls.log');
  writeFileSync(join(bin, 'git'), `#!/bin/sh\nfor a in "$@"; do case "$a" in -c|core.quotePath=false) ;; *) printf '%s\\n' "$a" >> '${log}'; break;; esac; done\nexec '${realGit}' "$@"\n`);
  chmodSync(join(bin, 'git'), 0o755);
  savedPath = process.env.PATH;
  process.env.PATH = bin + delimiter + (savedPath ?? '');
});
afterAll(() => { process.env.PATH = savedPath; });
afterEach(() => { writeFileSync(log, ''); });

/** The git subcommands run since the log was last cleared. */
const calls = () => { try { return readFileSync(log, 'utf8').split('\n').filter(Boolean); } catch { return []; } };

function repo(files: Record<string, string>): string {
  const d = tempDir('scm-staged-');
  initRepo(d);
  writeTree(d, { 'README.md': '# x\n', ...files });
  git(d, 'add', '.');
  git(d, 'commit', '-q', '-m', 'init');
  return d;
}

const source = (d: string) => createStagedSource({ cwd: d, root: d, maxFileSize: 1 << 20 });

describe('--staged: package.json files come with the staged blobs', () => {
  it('reads a committed package.json from the index (not the working tree) without listing the index', () => {
    const d = repo({ 'web/package.json': '{ "dependencies": { "react": "18" } }\n' });
    writeTree(d, { 'web/src/player.js': PLAYER, 'web/package.json': '{ "dependencies": { "express": "4" } }\n' }); // package.json edit not staged
    git(d, 'add', 'web/src/player.js');
    writeFileSync(log, '');
    const s = source(d);
    expect(s.list().files.map((f) => f.file)).toEqual(['web/src/player.js']);
    expect(s.readText(join(d, 'web/package.json'))).toContain('react');
    expect(s.exists(join(d, 'web/package.json'))).toBe(true);
    expect(s.exists(join(d, 'web/src/package.json'))).toBe(false);
    expect(s.readText(join(d, 'package.json'))).toBeUndefined();
    expect(calls()).toEqual(['diff', 'cat-file']);
  });

  it('reads a staged package.json and a folder name with spaces', () => {
    const d = repo({});
    writeTree(d, { 'my app/src/player.js': PLAYER, 'my app/package.json': '{ "browser": "x.js" }\n' });
    git(d, 'add', '.');
    writeFileSync(log, '');
    const s = source(d);
    expect(s.list().files.map((f) => f.file)).toEqual(['my app/src/player.js']);
    expect(s.readText(join(d, 'my app/package.json'))).toContain('browser');
    expect(s.readText(join(d, 'my app/src/package.json'))).toBeUndefined();
    expect(calls()).toEqual(['diff', 'cat-file']);
  });

  it('a package.json that is a symlink in the index is no regular file, as before (the index is listed for its mode)', () => {
    const d = tempDir('scm-staged-');
    initRepo(d);
    writeTree(d, { 'real.json': '{ "dependencies": { "react": "18" } }\n' });
    mkdirSync(join(d, 'web'), { recursive: true });
    symlinkSync('../real.json', join(d, 'web/package.json'));
    git(d, 'add', '.');
    git(d, 'commit', '-q', '-m', 'init');
    writeTree(d, { 'web/player.js': PLAYER });
    git(d, 'add', '.');
    writeFileSync(log, '');
    const s = source(d);
    s.list();
    expect(s.readText(join(d, 'web/package.json'))).toBeUndefined();
    expect(s.exists(join(d, 'web/package.json'))).toBe(false);
    expect(calls()).toEqual(['diff', 'cat-file', 'ls-files']);
  });
});
