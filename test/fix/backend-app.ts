/**
 * What the behavioural tests of the browser rewrites share: the strict mock, the app's backend
 * token route (createTokenEndpoint behind node:http on 127.0.0.1), and the app's files in a
 * temporary folder where `sc-migrate/runtime` resolves to this checkout; `run()` starts the app's
 * scenario.mjs as a "browser" process (Node's fetch, the mock preload routing SoundCloud hosts).
 */
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { startMockApi, type MockApi, type MockClient } from '../../src/mock-api/index.js';
import { createTokenEndpoint, toNodeHandler } from '../../src/runtime/index.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
// tsx by its path: `--import tsx` would be resolved from the temporary app's folder, which has no node_modules/tsx
const TSX = pathToFileURL(join(root, 'node_modules/tsx/dist/loader.mjs')).href;

export interface BackendApp {
  mock: MockApi;
  /** The token route's absolute URL (what fix is given as tokenEndpoint). */
  route: string;
  dir: string;
  /** The route's answers (bodies), in order. */
  answers: string[];
  run(env?: Record<string, string>): Promise<{ ok: boolean; out: string }>;
  close(): Promise<void>;
}

export async function startBackendApp(client: MockClient & { clientSecret: string }, files: Record<string, string>, prefix: string): Promise<BackendApp> {
  const mock = await startMockApi({ mode: 'strict', clients: [client], clientCredentialsLimit: { max: 1, windowSeconds: 12 * 3600 } });
  const handler = toNodeHandler(createTokenEndpoint({ clientId: client.clientId, clientSecret: client.clientSecret, authBase: mock.authUrl, fetch: mock.fetch }));
  const answers: string[] = [];
  const server: Server = createServer((req, res) => {
    const end = res.end.bind(res);
    res.end = ((b?: string) => { answers.push(String(b ?? '')); return end(b); }) as typeof res.end;
    void handler(req, res);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const route = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/soundcloud/token`;
  const dir = mkdtempSync(join(tmpdir(), prefix));
  for (const [rel, text] of Object.entries(files)) { mkdirSync(join(dir, rel, '..'), { recursive: true }); writeFileSync(join(dir, rel), text); }
  // `sc-migrate/runtime` resolves to this checkout's runtime (through tsx)
  const pkg = join(dir, 'node_modules/sc-migrate');
  mkdirSync(pkg, { recursive: true });
  writeFileSync(join(pkg, 'package.json'), JSON.stringify({ name: 'sc-migrate', type: 'module', exports: { './runtime': './src/runtime/index.ts', './runtime/browser': './src/runtime/browser.ts' } }));
  symlinkSync(join(root, 'src'), join(pkg, 'src'));
  return {
    mock, route, dir, answers,
    run: (env = {}) => new Promise((res) => {
      execFile(process.execPath, ['--import', TSX, '--import', join(root, 'src/mock-api/preload.ts'), join(dir, 'scenario.mjs')], {
        cwd: dir, timeout: 30_000, env: { ...process.env, ...mock.env, NODE_EXTRA_CA_CERTS: '', ...env },
      }, (err, stdout, stderr) => res({ ok: !err, out: `${stdout}\n${stderr}`.slice(-1500) }));
    }),
    close: async () => {
      await new Promise((r) => server.close(r));
      await mock.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
