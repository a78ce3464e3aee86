/**
 * Runs a scenario script of an app's folder in a child Node process whose SoundCloud hosts are
 * routed to a strict mock (src/mock-api/preload.ts), with the app's credentials in its environment:
 * how the fix tests prove that migrated code works, not only that it parses.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { startMockApi, type MockApi } from '../../src/mock-api/index.js';
import type { MockClient } from '../../src/mock-api/types.js';

const root = resolve(import.meta.dirname, '../..');

export interface ScenarioRun { ok: boolean; out: string }

export function runScenario(mock: MockApi, dir: string, scenario: string, env: Record<string, string>): Promise<ScenarioRun> {
  return new Promise((res) => {
    execFile(process.execPath, ['--import', 'tsx', '--import', join(root, 'src/mock-api/preload.ts'), join(dir, scenario)], {
      cwd: root, timeout: 30_000,
      env: { ...process.env, ...mock.env, NODE_EXTRA_CA_CERTS: '', ...env },
    }, (err, stdout, stderr) => res({ ok: !err, out: `${stdout}\n${stderr}`.slice(-1500) }));
  });
}

export interface MockApp { readonly mock: MockApi; readonly dir: string }

/**
 * Within a `describe`: a strict mock that knows `client`, and a temporary folder for the app that
 * `setup` fills in (its scenario, stand-in packages); both go after the suite.
 */
export function strictMockApp(client: MockClient, prefix: string, setup: (dir: string) => void): MockApp {
  let mock: MockApi | undefined;
  let dir: string | undefined;
  beforeAll(async () => {
    mock = await startMockApi({ mode: 'strict', clients: [client] });
    dir = mkdtempSync(join(tmpdir(), prefix));
    setup(dir);
  }, 30_000);
  afterAll(async () => {
    await mock?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });
  return { get mock() { return mock!; }, get dir() { return dir!; } };
}
