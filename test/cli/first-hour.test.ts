/** Issue 13, "the first hour": files that could not be checked, counts, progress, friendly errors, fix's safety checks. */
import { afterAll, describe, expect, it } from 'vitest';
import { createServer } from 'node:net';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { main } from '../../src/cli/main.js';
import { cleanup, ensureBuilt, git, initRepo, REPO, runMain, tempDir, writeRulesModule, writeTree } from './helpers.js';

afterAll(cleanup);

const BROKEN = "// soundcloud client\nconst u = 'https://api.soundcloud.com/tracks?oauth_token=abc' +;\n";
const FINDING = "// soundcloud\nconst u = 'https://api.soundcloud.com/me?oauth_token=x&q=1';\nlegacyCall();\n";

describe('files that could not be checked', () => {
  it('a file named on the command line that cannot be analysed is an error (exit 2)', async () => {
    const d = tempDir();
    writeTree(d, { 'a.js': BROKEN });
    const mod = writeRulesModule(tempDir());
    const r = await runMain(['scan', 'a.js', '--rules-module', mod], d);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/a\.js: could not be checked: .*(syntax|Unexpected|parse)/i);
    expect(r.stdout).not.toMatch(/No SoundCloud API migration problems found/);
  });

  it('in a folder scan, skipped files that mention SoundCloud are a warning in every format; --fail-on-skipped fails', async () => {
    const d = tempDir();
    writeTree(d, { 'src/a.js': BROKEN, 'src/b.js': 'export const x = 1;\n' });
    const mod = writeRulesModule(tempDir());
    const base = ['scan', '--rules-module', mod];
    const pretty = await runMain(base, d);
    expect(pretty.code).toBe(0);
    expect(pretty.stdout).toMatch(/⚠ could not check src\/a\.js \(it mentions SoundCloud\)/);
    const json = JSON.parse((await runMain([...base, '-f', 'json'], d)).stdout);
    expect(json.skipped).toEqual([expect.objectContaining({ file: 'src/a.js', soundcloud: true })]);
    const sarif = JSON.parse((await runMain([...base, '-f', 'sarif'], d)).stdout);
    const notes = sarif.runs[0].invocations[0].toolExecutionNotifications;
    expect(notes[0]).toMatchObject({ level: 'warning', message: { text: expect.stringMatching(/could not check src\/a\.js/) }, locations: [{ physicalLocation: { artifactLocation: { uri: 'src/a.js' } } }] });
    expect((await runMain([...base, '-f', 'github'], d)).stdout).toMatch(/^::warning file=src\/a\.js,title=sc-migrate%3A file not checked::could not check src\/a\.js/m);
    expect((await runMain([...base, '-f', 'markdown'], d)).stdout).toMatch(/\[!WARNING\][\s\S]*1 file\(s\) that mention SoundCloud could not be checked[\s\S]*src\/a\.js/);
    expect((await runMain([...base, '-f', 'html'], d)).stdout).toMatch(/id="unchecked"[\s\S]*could not check src\/a\.js/);
    const strict = await runMain([...base, '--fail-on-skipped'], d);
    expect(strict.code).toBe(1);
    expect(strict.stderr).toMatch(/1 file\(s\) that mention SoundCloud could not be checked \(--fail-on-skipped\)/);
    // a file without SoundCloud that is skipped (empty) is no warning
    writeTree(d, { 'src/a.js': '' });
    expect((await runMain([...base, '--fail-on-skipped'], d)).code).toBe(0);
  });
});

describe('one count of fixable findings', () => {
  it('the pretty summary, the Markdown summary and fix give the same number', async () => {
    const d = tempDir();
    writeTree(d, { 'a.js': FINDING, 'b.js': FINDING.replace('legacyCall();\n', '') });
    const mod = writeRulesModule(tempDir());
    const base = ['--rules-module', mod];
    const pretty = (await runMain(['scan', ...base], d)).stdout;
    const md = (await runMain(['scan', '-f', 'markdown', ...base], d)).stdout;
    const fix = JSON.parse((await runMain(['fix', '--dry', '-f', 'json', ...base], d)).stdout);
    const fromPretty = Number(/(\d+) fixable by `sc-migrate fix`/.exec(pretty)?.[1]);
    const fromMd = Number(/\*\*(\d+)\*\* finding\(s\) fixed automatically/.exec(md)?.[1]);
    expect(fromPretty).toBe(2); // the two query tokens; the legacy call is left for a person
    // the dry run behind the count is part of the wait: the summary says how long it took
    expect(pretty).toMatch(/Scanned 2 files \(2 analysed\), 0 skipped in \d+\.\d\ds \(fix preview \d+\.\d\ds\)/);
    expect(fromMd).toBe(fromPretty);
    expect(fix.summary.fixed).toBe(fromPretty);
    expect(fix.summary.left).toBe(1);
  });
});

describe('progress line', () => {
  const run = async (argv: string[], cwd: string, env: Record<string, string>, tty: boolean) => {
    let stderr = '';
    let stdout = '';
    const code = await main(argv, {
      cwd, env,
      stdout: { write: (s: string) => { stdout += s; return true; }, isTTY: tty },
      stderr: { write: (s: string) => { stderr += s; return true; }, isTTY: tty, columns: 80 },
    });
    return { code, stderr, stdout };
  };

  it('on a TTY stderr: files done/total and the phase, erased at the end; never in CI, machine formats or pipes', async () => {
    const d = tempDir();
    const files: Record<string, string> = {};
    for (let i = 0; i < 30; i++) files[`f${i}.js`] = i % 3 ? `export const a${i} = ${i};\n` : FINDING;
    writeTree(d, files);
    const mod = writeRulesModule(tempDir());
    const base = ['scan', '--rules-module', mod, '--fail-on', 'none', '-j', '1'];
    const tty = await run(base, d, {}, true);
    expect(tty.stderr).toMatch(/\rsc-migrate: reading \d+\/30 files/);
    expect(tty.stderr).toMatch(/sc-migrate: analysing \d+\/\d+ files/);
    expect(tty.stderr.endsWith('\r\x1b[K')).toBe(true);
    expect(tty.stdout).not.toMatch(/reading \d+/);
    expect((await run(base, d, { CI: 'true' }, true)).stderr).toBe('');
    expect((await run([...base, '-f', 'json'], d, {}, true)).stderr).toBe('');
    expect((await run(base, d, {}, false)).stderr).toBe('');
  });
});

describe('friendly errors', () => {
  it('unknown git ref for --changed-since: which ref and why', async () => {
    const d = tempDir();
    initRepo(d);
    writeTree(d, { 'a.js': 'export const a = 1;\n' });
    git(d, 'add', '.');
    git(d, 'commit', '-qm', 'one');
    const r = await runMain(['scan', '--changed-since', 'origin/nope'], d);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--changed-since: unknown git ref "origin\/nope": no such remote branch here \(fetch it first/);
    const r2 = await runMain(['scan', '--changed-since', 'v9.9'], d);
    expect(r2.stderr).toMatch(/unknown git ref "v9\.9": no branch, tag or commit of that name/);
    expect(r2.stderr).not.toMatch(/\n\s+at /); // no stack trace
  });

  it('mock-api: invalid port and port in use are usage errors, not stack traces', async () => {
    const d = tempDir();
    for (const bad of ['abc', '70000', '-1']) {
      const r = await runMain(['mock-api', `--port=${bad}`], d);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/--port: invalid port|invalid port/);
    }
    ensureBuilt();
    const busy = createServer();
    await new Promise<void>((r) => busy.listen(0, '127.0.0.1', r));
    const port = (busy.address() as AddressInfo).port;
    try {
      const r = await new Promise<{ code: number | null; stderr: string }>((done) => {
        const c = spawn(process.execPath, [join(REPO, 'bin/sc-migrate.js'), 'mock-api', '--port', String(port)], { stdio: ['ignore', 'pipe', 'pipe'] });
        let stderr = '';
        c.stderr.on('data', (b: Buffer) => { stderr += b; });
        const t = setTimeout(() => c.kill('SIGTERM'), 20_000); // a mock that started anyway is stopped (and the test fails)
        c.on('close', (code) => { clearTimeout(t); done({ code, stderr }); });
      });
      expect(r.stderr).toMatch(new RegExp(`port ${port} is already in use`));
      expect(r.stderr).not.toMatch(/\n\s+at /);
      expect(r.code).toBe(2);
    } finally {
      busy.close();
    }
  }, 30_000);
});

describe('fix refuses what git could not undo', () => {
  it('outside a git repository, and with untracked files it would change, like a dirty tree (--force overrides)', async () => {
    const mod = writeRulesModule(tempDir());
    const d = tempDir();
    writeTree(d, { 'a.js': FINDING });
    const outside = await runMain(['fix', '--rules-module', mod], d);
    expect(outside.code).toBe(2);
    expect(outside.stderr).toMatch(/not inside a git repository.*pass --force \(or use --dry\)/);
    const g = tempDir();
    initRepo(g);
    writeTree(g, { 'tracked.js': 'export const a = 1;\n' });
    git(g, 'add', '.');
    git(g, 'commit', '-qm', 'one');
    writeTree(g, { 'new.js': FINDING, 'notes.txt': 'untracked but not changed by fix\n' });
    const untracked = await runMain(['fix', '--rules-module', mod], g);
    expect(untracked.code).toBe(2);
    expect(untracked.stderr).toMatch(/1 file\(s\) it would change are not tracked by git \(e\.g\. new\.js\)/);
    git(g, 'add', 'new.js');
    git(g, 'commit', '-qm', 'two');
    const ok = await runMain(['fix', '--rules-module', mod], g);
    expect(ok.stderr).toMatch(/1 changed/);
    expect((await runMain(['fix', '--force', '--rules-module', mod], d)).stderr).toMatch(/1 changed/);
  });
});
