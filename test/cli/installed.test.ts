/**
 * README's commands, run exactly as written: those about an installed package against the
 * `npm pack` tarball installed in a temporary project (the preload export, `sc-migrate mock-api`),
 * those about a clone in this checkout. A command added to a README `sh` block that no test runs
 * fails here.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { cleanup, REPO } from './helpers.js';
import { installedProject, runAsync } from './installed.js';

/** The commands of README's ```sh blocks, comments removed. */
export function readmeShellCommands(md: string): string[] {
  const out: string[] = [];
  for (const m of md.matchAll(/```sh\n([\s\S]*?)```/g)) {
    for (const line of m[1]!.split('\n')) {
      const cmd = line.replace(/\s+#.*$/, '').trim();
      if (cmd && !cmd.startsWith('#')) out.push(cmd);
    }
  }
  return out;
}

const README = readFileSync(join(REPO, 'README.md'), 'utf8');
const COMMANDS = readmeShellCommands(README);
/** Commands that CI runs itself, exactly as written (.ci/run: `npm ci`, then `npm test`). */
const BY_CI = ['npm test'];
let proj = '';

beforeAll(async () => { proj = await installedProject(); }, 240_000);
afterAll(cleanup);

describe('README commands', () => {
  it('every README shell command is run by this test or by CI', () => {
    const covered = ['npm ci && npm run demo', 'sc-migrate mock-api', 'node --import sc-migrate/mock-api/preload app.js', ...BY_CI];
    expect(COMMANDS.filter((c) => !covered.includes(c))).toEqual([]);
    expect(readFileSync(join(REPO, '.ci/run'), 'utf8')).toMatch(/npm ci[^\n]*\nnpm test/);
  });

  it('`npm run demo` (after npm ci) scans the bundled apps and exits 0', async () => {
    // `npm ci` is what .ci/run does first in a fresh clone; here the checkout is installed already.
    const r = await runAsync('npm', ['run', 'demo'], { cwd: REPO });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/problems? \(/);
  });

  it('installed package: `sc-migrate mock-api` then `node --import sc-migrate/mock-api/preload app.js` routes the app to the mock', async () => {
    const env = { ...process.env, PATH: `${join(proj, 'node_modules/.bin')}${delimiter}${process.env.PATH}` };
    const [mockCmd, ...mockArgs] = 'sc-migrate mock-api'.split(' ');
    const mock = spawn(mockCmd!, mockArgs, { cwd: proj, env, stdio: ['ignore', 'pipe', 'pipe'] });
    try {
      let out = '';
      await new Promise<void>((ok, fail) => {
        mock.stdout.on('data', (b: Buffer) => { out += b; if (/export SC_MIGRATE_MOCK_CA_FILE=/.test(out)) ok(); });
        mock.on('exit', (code) => fail(new Error(`mock-api exited ${code}: ${out}`)));
      });
      const exported = Object.fromEntries([...out.matchAll(/export (\w+)=(\S+)/g)].map((m) => [m[1]!, m[2]!]));
      expect(Object.keys(exported)).toContain('SC_MIGRATE_MOCK_API_URL');
      // An unmodified app calling the real host without a token: the strict mock answers 401.
      writeFileSync(join(proj, 'app.js'), "const r = await fetch('https://api.soundcloud.com/tracks?q=x');\nconsole.log('status', r.status);\n");
      const cmd = 'node --import sc-migrate/mock-api/preload app.js'.split(' ');
      const app = await runAsync(cmd[0]!, cmd.slice(1), { cwd: proj, env: { ...env, ...exported } });
      expect(app.stderr).toBe('');
      expect(app.stdout.trim()).toBe('status 401');
    } finally {
      mock.kill('SIGTERM');
    }
  }, 60_000);

  it('installed package: the exports map has the preload, and the bin prints its version', async () => {
    const r = await runAsync('node', ['-e', "import('sc-migrate/mock-api/preload').then(() => console.log('ok'))"], { cwd: proj });
    // without the mock's env the preload refuses to route (or does nothing): either way it resolves
    expect(r.stderr).not.toMatch(/ERR_PACKAGE_PATH_NOT_EXPORTED|ERR_MODULE_NOT_FOUND/);
    const v = await runAsync(join(proj, 'node_modules/.bin/sc-migrate'), ['-v'], { cwd: proj });
    expect(v.stdout.trim()).toBe(JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')).version);
  });
});
