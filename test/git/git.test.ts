import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chmodSync, writeFileSync, readFileSync } from 'node:fs';
import { execFileSync, spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseZeroContextDiff } from '../../src/git/changed.js';
import { unquoteGitPath } from '../../src/git/git.js';
import { cleanup, git, initRepo, REPO, runMain, tempDir, writeRulesModule, writeTree } from '../cli/helpers.js';

afterAll(cleanup);

const BAD = "const u = 'https://api.soundcloud.com/me?oauth_token=abc';\n";
const GOOD = "const u = 'https://api.soundcloud.com/me';\n";
const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
const entry = join(REPO, 'test/cli/cli-entry.ts');
let mod: string;

beforeAll(() => { mod = writeRulesModule(tempDir()); });

/** A repo whose pre-commit hook runs `sc-migrate scan --staged` (the same command .pre-commit-hooks.yaml runs). */
function repoWithHook(): string {
  const d = tempDir('scm-git-');
  initRepo(d);
  writeTree(d, { 'README.md': '# x\n' });
  git(d, 'add', '.');
  git(d, 'commit', '-q', '-m', 'init');
  const hook = join(d, '.git/hooks/pre-commit');
  writeFileSync(hook, `#!/bin/sh\nexec node --import ${tsx} ${entry} scan --staged --rules-module ${mod}\n`);
  chmodSync(hook, 0o755);
  return d;
}

const commit = (d: string) => spawnSync('git', ['commit', '-m', 'change'], { cwd: d, encoding: 'utf8' });

describe('pre-commit: scan --staged', () => {
  it('refuses a commit staging a violation with a readable message and exit 1', () => {
    const d = repoWithHook();
    writeTree(d, { 'src/api.js': BAD });
    git(d, 'add', 'src/api.js');
    const r = commit(d);
    expect(r.status).not.toBe(0);
    expect(r.stdout + r.stderr).toMatch(/src\/api\.js/);
    expect(r.stdout + r.stderr).toMatch(/oauth_token in the query string/);
    expect(r.stderr).toMatch(/commit blocked/);
    const direct = spawnSync('node', ['--import', tsx, entry, 'scan', '--staged', '--rules-module', mod], { cwd: d, encoding: 'utf8' });
    expect(direct.status).toBe(1);
  });

  it('lets a clean commit through', () => {
    const d = repoWithHook();
    writeTree(d, { 'src/api.js': GOOD });
    git(d, 'add', 'src/api.js');
    expect(commit(d).status).toBe(0);
  });

  it('still refuses when the violation is fixed in the working tree but not staged', () => {
    const d = repoWithHook();
    writeTree(d, { 'src/api.js': BAD });
    git(d, 'add', 'src/api.js');
    writeTree(d, { 'src/api.js': GOOD }); // fixed, not staged
    expect(commit(d).status).not.toBe(0);
  });

  it('does not block on a violation in an unstaged file', () => {
    const d = repoWithHook();
    writeTree(d, { 'src/ok.js': GOOD, 'src/wip.js': BAD });
    git(d, 'add', 'src/ok.js');
    expect(commit(d).status).toBe(0);
    // and a staged-clean file whose working copy is bad does not block either
    writeTree(d, { 'src/ok.js': GOOD + '// v2\n' });
    git(d, 'add', 'src/ok.js');
    writeTree(d, { 'src/ok.js': BAD });
    expect(commit(d).status).toBe(0);
  });

  it('resolves imports against the index, not the working tree', async () => {
    const d = tempDir('scm-git-');
    initRepo(d);
    writeTree(d, { 'config.js': "export const API = 'https://api.soundcloud.com';\n", 'client.js': "import { API } from './config.js';\nexport const t = 'q?oauth_token=1';\n" });
    git(d, 'add', '.');
    writeTree(d, { 'config.js': 'export const API = 1;\n' }); // unstaged edit: the index still names SoundCloud
    const r = await runMain(['scan', '--staged', '--format', 'json', '--rules-module', mod], d);
    expect(JSON.parse(r.stdout).findings.map((f: { file: string }) => f.file)).toEqual(['client.js']);
  });

  it('is a usage error outside a git repository', async () => {
    const r = await runMain(['scan', '--staged'], tempDir());
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/needs a git repository/);
  });
});

describe('baseline and --changed-since', () => {
  it('a baseline hides old findings, also after lines are inserted above; new ones still show', async () => {
    const d = tempDir('scm-git-');
    writeTree(d, { 'src/a.js': `// soundcloud\n${BAD}legacyCall();\n` });
    const w = await runMain(['baseline', '--rules-module', mod], d);
    expect(w.code).toBe(0);
    const b = JSON.parse(readFileSync(join(d, '.sc-migrate-baseline.json'), 'utf8'));
    expect(b.findings).toHaveLength(2);
    const json = ['scan', '--format', 'json', '--rules-module', mod, '--baseline', '.sc-migrate-baseline.json'];
    let r = await runMain(json, d);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ findings: [], stats: { baselined: 2 } });
    writeTree(d, { 'src/a.js': `// soundcloud\nimport x from 'y';\n\n\n${BAD}legacyCall();\nconst v = 'x?oauth_token=new';\n` });
    r = await runMain(json, d);
    const j = JSON.parse(r.stdout);
    expect(j.findings.map((f: { line: number; ruleId: string }) => `${f.line} ${f.ruleId}`)).toEqual(['7 test-query-token']);
    expect(r.code).toBe(1);
    expect((await runMain([...json.slice(0, -1), 'missing.json'], d)).code).toBe(2);
  });

  it('--changed-since reports only findings on lines changed since the ref (and in untracked files)', async () => {
    const d = tempDir('scm-git-');
    initRepo(d);
    writeTree(d, { 'a.js': `// soundcloud\n${BAD}legacyCall();\n` });
    git(d, 'add', '.');
    git(d, 'commit', '-q', '-m', 'old');
    writeTree(d, { 'a.js': `// soundcloud\n${BAD}legacyCall();\nconst n = 'x?oauth_token=new';\n`, 'new.js': `// soundcloud\nlegacyCall();\n` });
    const r = await runMain(['scan', '--format', 'json', '--rules-module', mod, '--changed-since', 'HEAD'], d);
    const j = JSON.parse(r.stdout);
    expect(j.findings.map((f: { file: string; line: number }) => `${f.file}:${f.line}`)).toEqual(['a.js:4', 'new.js:2']);
    expect(j.stats.unchanged).toBe(2);
    expect((await runMain(['scan', '--rules-module', mod, '--changed-since', 'no-such-ref'], d)).code).toBe(2);
  });

  it('parses zero-context diffs, renames and quoted paths', () => {
    const diff = [
      'diff --git a/x.js b/x.js', '--- a/x.js', '+++ b/x.js', '@@ -1,0 +2,3 @@', '+a', '+b', '+c', '@@ -10 +12 @@', '-x', '+y',
      'diff --git a/old.js b/"sp ace\\303\\251.js"', '--- a/old.js', '+++ "b/sp ace\\303\\251.js"', '@@ -0,0 +1 @@', '+z',
      'diff --git a/gone.js b/gone.js', '--- a/gone.js', '+++ /dev/null', '@@ -1 +0,0 @@', '-q',
    ].join('\n');
    const m = parseZeroContextDiff(diff);
    expect([...(m.get('x.js') as Set<number>)]).toEqual([2, 3, 4, 12]);
    expect([...(m.get('sp aceé.js') as Set<number>)]).toEqual([1]);
    expect(m.has('gone.js')).toBe(false);
    expect(unquoteGitPath('"a\\tb"')).toBe('a\tb');
  });
});

describe('git repo for SARIF paths', () => {
  it('uses repo-relative paths when scanning from a subfolder', async () => {
    const d = tempDir('scm-git-');
    initRepo(d);
    writeTree(d, { 'pkg/src/a.js': BAD.replace('const', '// soundcloud\nconst') });
    const r = await runMain(['scan', '--format', 'sarif', '--rules-module', mod], join(d, 'pkg'));
    const uri = JSON.parse(r.stdout).runs[0].results[0].locations[0].physicalLocation.artifactLocation.uri;
    expect(uri).toBe('pkg/src/a.js');
    execFileSync('true');
  });
});
