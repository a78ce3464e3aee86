/**
 * The pre-commit hook (.pre-commit-hooks.yaml) installed and run by the real `pre-commit` tool
 * from a git checkout of this repository (its current files), against a local project: a staged
 * file with a finding blocks the commit, a clean one passes. npm installs from a registry on
 * 127.0.0.1 (local-registry.ts). Skipped when `pre-commit` is not installed (Debian: pre-commit).
 */
import { afterAll, describe, expect, it } from 'vitest';
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { spawn, spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { cleanup, git, initRepo, REPO, tempDir } from './helpers.js';
import { startLocalRegistry } from './local-registry.js';

const hasPreCommit = spawnSync('pre-commit', ['--version'], { encoding: 'utf8' }).status === 0;
if (!hasPreCommit) console.warn('pre-commit hook test skipped: the `pre-commit` tool is not installed (apt-get install -y pre-commit)');

afterAll(cleanup, 120_000); // removing the hook environments (npm installs) takes long on a loaded machine

/** A git repository holding this checkout's files (tracked and new, as they are now). */
function hookRepo(): string {
  const d = tempDir('scm-hookrepo-');
  const files = git(REPO, 'ls-files', '-co', '--exclude-standard', '-z').split('\0').filter(Boolean);
  for (const f of files) {
    try { mkdirSync(dirname(join(d, f)), { recursive: true }); copyFileSync(join(REPO, f), join(d, f)); } catch { /* deleted in the work tree */ }
  }
  initRepo(d);
  git(d, 'add', '-A');
  git(d, 'commit', '-qm', 'hook repo');
  return d;
}

describe.skipIf(!hasPreCommit)('pre-commit hook (real pre-commit tool)', () => {
  it('installs from a git checkout; a staged finding blocks the commit, a clean file passes', async () => {
    const registry = await startLocalRegistry(join(REPO, 'package-lock.json'));
    try {
      const repo = hookRepo();
      const rev = git(repo, 'rev-parse', 'HEAD').trim();
      const proj = tempDir('scm-proj-');
      initRepo(proj);
      writeFileSync(join(proj, '.pre-commit-config.yaml'), `repos:\n  - repo: ${repo}\n    rev: ${rev}\n    hooks:\n      - id: sc-migrate\n`);
      git(proj, 'add', '.');
      git(proj, 'commit', '-qm', 'config');
      const env = { ...process.env, PRE_COMMIT_HOME: tempDir('scm-pchome-'), npm_config_registry: registry.url, npm_config_audit: 'false', npm_config_fund: 'false', npm_config_update_notifier: 'false' };
      // async: the registry answers from this process
      const run = (cmd: string, ...args: string[]) => new Promise<{ status: number | null; stdout: string; stderr: string }>((done) => {
        const c = spawn(cmd, args, { cwd: proj, env, stdio: ['ignore', 'pipe', 'pipe'] });
        let stdout = '';
        let stderr = '';
        c.stdout.on('data', (b: Buffer) => { stdout += b; });
        c.stderr.on('data', (b: Buffer) => { stderr += b; });
        c.on('close', (status) => done({ status, stdout, stderr }));
      });
      const install = await run('pre-commit', 'install', '--install-hooks');
      expect(install.status, install.stdout + install.stderr).toBe(0);

      writeFileSync(join(proj, 'api.js'), "export const tracks = () => fetch('https://api.soundcloud.com/tracks?client_id=abc123');\n");
      git(proj, 'add', 'api.js');
      const blocked = await run('git', 'commit', '-m', 'uses client_id');
      expect(blocked.status).not.toBe(0);
      expect(blocked.stdout + blocked.stderr).toMatch(/no-client-id-auth/);
      expect(git(proj, 'log', '--oneline').trim().split('\n')).toHaveLength(1);

      git(proj, 'rm', '-q', '--cached', 'api.js');
      writeFileSync(join(proj, 'clean.js'), "export const add = (a, b) => a + b;\n");
      git(proj, 'add', 'clean.js');
      const passed = await run('git', 'commit', '-m', 'clean');
      expect(passed.status, passed.stdout + passed.stderr).toBe(0);
      expect(passed.stdout + passed.stderr).toMatch(/sc-migrate.*Passed/);
    } finally {
      await registry.close();
    }
  }, 300_000);
});
