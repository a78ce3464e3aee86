/** The package as a user gets it: `npm pack` of this checkout, installed into a temporary project (deps from a registry on 127.0.0.1). */
import { spawn } from 'node:child_process';
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ensureBuilt, REPO, tempDir } from './helpers.js';
import { startLocalRegistry } from './local-registry.js';

export interface RunResult { status: number | null; stdout: string; stderr: string }

/** Runs a command without blocking the event loop (a registry or mock may answer from this process). */
export function runAsync(cmd: string, args: string[], opts: { cwd: string; env?: NodeJS.ProcessEnv; shell?: boolean }): Promise<RunResult> {
  return new Promise((done) => {
    const c = spawn(cmd, args, { cwd: opts.cwd, env: opts.env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'], shell: opts.shell ?? false });
    let stdout = '';
    let stderr = '';
    c.stdout.on('data', (b: Buffer) => { stdout += b; });
    c.stderr.on('data', (b: Buffer) => { stderr += b; });
    c.on('close', (status) => done({ status, stdout, stderr }));
  });
}

/** A temporary project with the packed sc-migrate installed; returns its folder. */
export async function installedProject(): Promise<string> {
  ensureBuilt();
  const packDir = tempDir('scm-pack-');
  const pack = await runAsync('npm', ['pack', '--ignore-scripts', '--pack-destination', packDir], { cwd: REPO });
  if (pack.status !== 0) throw new Error(`npm pack failed: ${pack.stderr}`);
  const tgz = join(packDir, readdirSync(packDir).find((f) => f.endsWith('.tgz'))!);
  const proj = tempDir('scm-user-');
  writeFileSync(join(proj, 'package.json'), JSON.stringify({ name: 'user-app', version: '1.0.0', private: true, type: 'module' }, null, 2));
  const registry = await startLocalRegistry(join(REPO, 'package-lock.json'));
  try {
    const env = { ...process.env, npm_config_registry: registry.url, npm_config_audit: 'false', npm_config_fund: 'false', npm_config_update_notifier: 'false' };
    const i = await runAsync('npm', ['install', '--no-save', tgz], { cwd: proj, env });
    if (i.status !== 0) throw new Error(`npm install of the tarball failed: ${i.stderr}`);
  } finally {
    await registry.close();
  }
  return proj;
}
