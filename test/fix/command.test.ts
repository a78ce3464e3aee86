import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, appendFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runFixCommand } from '../../src/fix/command.js';

const APP = fileURLToPath(new URL('../../fixtures/apps/node-downloader', import.meta.url));
const sink = () => { let s = ''; return { write: (x: string) => { s += x; }, get text() { return s; } }; };

describe('runFixCommand (what `sc-migrate fix` calls)', () => {
  it('refuses a dirty git tree without --force, prints a diff with --dry, writes with --force', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sc-fixcmd-'));
    try {
      cpSync(APP, dir, { recursive: true });
      const git = (...a: string[]) => execFileSync('git', a, { cwd: dir, stdio: 'ignore' });
      git('init', '-q', '.');
      git('add', '-A');
      git('-c', 'user.email=t@t', '-c', 'user.name=t', 'commit', '-qm', 'init');
      appendFileSync(join(dir, 'src/soundcloud.js'), '// local edit\n');
      const before = readFileSync(join(dir, 'src/soundcloud.js'), 'utf8');

      const e1 = sink();
      expect((await runFixCommand({ cwd: dir, stdout: sink(), stderr: e1 })).code).toBe(2);
      expect(e1.text).toMatch(/uncommitted changes/);

      const o2 = sink();
      const dry = await runFixCommand({ cwd: dir, dry: true, stdout: o2, stderr: sink() });
      expect(o2.text).toMatch(/^--- a\/src\/soundcloud\.js/m);
      // streamLocation reads the Location header itself: a deliberate redirect is never removed, it gets a marker
      expect(o2.text).not.toMatch(/^-\s*redirect: 'manual',/m);
      expect(o2.text).toMatch(/^\+\s*\/\* sc-migrate\(no-disabled-redirects\): reads the redirect itself/m);
      expect(o2.text).toMatch(/^-.*'oauth_token', token/m);
      expect(readFileSync(join(dir, 'src/soundcloud.js'), 'utf8')).toBe(before);
      expect(dry.summary.changed).toBeGreaterThan(0);

      const e3 = sink();
      const real = await runFixCommand({ cwd: dir, force: true, stdout: sink(), stderr: e3 });
      expect(e3.text).toMatch(/sc-migrate fix: \d+ changed/);
      // the generated client module reads the app's credentials from the environment: the summary says which
      expect(e3.text).toMatch(/reads these environment variables: SOUNDCLOUD_CLIENT_ID, SOUNDCLOUD_CLIENT_SECRET \(src\/soundcloud-client\.js\)/);
      expect(readFileSync(join(dir, 'src/soundcloud.js'), 'utf8')).not.toBe(before);
      expect(real.summary.failed).toBe(0);
      // the second run has nothing to do
      const again = await runFixCommand({ cwd: dir, force: true, stdout: sink(), stderr: sink() });
      expect(again.summary.changed).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 30_000);

  it('moves a hard-coded secret to process.env in server code and reports the variable (JSON)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sc-fixenv-'));
    try {
      const { writeFileSync } = await import('node:fs');
      writeFileSync(join(dir, 'config.js'), "export const API = 'https://api.soundcloud.com';\nexport const CLIENT_SECRET = 'a8f3k29dk3l20s9f8g7h6j5k4l3m2n1b';\n");
      const out = sink();
      const r = await runFixCommand({ cwd: dir, force: true, format: 'json', stdout: out, stderr: sink() });
      expect(readFileSync(join(dir, 'config.js'), 'utf8')).toContain('export const CLIENT_SECRET = process.env.SOUNDCLOUD_CLIENT_SECRET;');
      const json = JSON.parse(out.text) as { results: { file: string; env: string[] }[] };
      expect(json.results.find((x) => x.file === 'config.js')?.env).toEqual(['SOUNDCLOUD_CLIENT_SECRET']);
      // the secret itself is in no output
      expect(out.text).not.toContain('a8f3k29dk3l20s9f8g7h6j5k4l3m2n1b');
      expect(r.summary.failed).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
