/**
 * The pre-commit path (`scan --staged` on one file that names SoundCloud, through bin/ and the
 * bundle) loads no Node module it does not use: no ES module at all (oxc's native binding is
 * required directly: src/engine/oxc.ts `platformBinding`), no node:v8 (heap tuning is for large
 * scans: src/scan/heap.ts) and no node:fs/promises (async writes are for `fix`: src/scan/output.ts).
 * Each costs milliseconds of every start-up. (What they cost is measured by `npm run bench`.)
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { cleanup, ensureBuilt, git, initRepo, REPO, tempDir, writeTree } from './helpers.js';

// Prints the built-in modules loaded after it, at exit.
const PRELOAD = `const before = new Set(process.moduleLoadList);
process.on('exit', () => process.stderr.write('\\nLOADED ' + JSON.stringify(process.moduleLoadList.filter((m) => !before.has(m))) + '\\n'));`;

let repo = '';
beforeAll(() => {
  ensureBuilt();
  repo = tempDir('scm-mods-');
  initRepo(repo);
  writeTree(repo, { 'player.js': "export const load = (id) => fetch(`https://api.soundcloud.com/tracks/${id}?client_id=abc`);\n", 'preload.cjs': PRELOAD });
  git(repo, 'add', 'player.js');
}, 180_000);
afterAll(cleanup);

describe('start-up of the pre-commit path', () => {
  it('loads no ES module, node:v8 or node:fs/promises', () => {
    const r = spawnSync(process.execPath, ['-r', join(repo, 'preload.cjs'), join(REPO, 'bin/sc-migrate.js'), 'scan', '--staged', '--format', 'json', '--fail-on', 'none'], { cwd: repo, encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).findings.length).toBeGreaterThan(0);
    const loaded = JSON.parse(/LOADED (.*)/.exec(r.stderr)![1]!) as string[];
    expect(loaded).not.toContain('NativeModule v8');
    expect(loaded).not.toContain('NativeModule fs/promises');
    if (process.platform === 'linux' || process.platform === 'darwin') expect(loaded).not.toContain('NativeModule internal/modules/esm/module_job');
  });
});
