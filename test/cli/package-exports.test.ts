/**
 * Every entry of package.json `exports` (and `bin`) names a file the build makes, and the main
 * entry (`import ... from 'sc-migrate'`, resolved by the package's own name) scans a tree.
 * `npm test` builds first. An entry that points at nothing fails here, not in a user's app.
 */
import { describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
  exports: Record<string, string | { types?: string; require?: string; default: string }>;
  files: string[];
  bin: Record<string, string>;
};

describe('package.json exports', () => {
  for (const [entry, target] of Object.entries(pkg.exports)) {
    const files = typeof target === 'string' ? [target] : [target.default, ...[target.types, target.require].filter((f): f is string => !!f)];
    it(`${entry} -> ${files.join(', ')} exists`, () => {
      for (const f of files) expect(existsSync(join(root, f)), f).toBe(true);
    });
  }
  it('bin files exist', () => {
    for (const f of Object.values(pkg.bin)) expect(existsSync(join(root, f)), f).toBe(true);
  });

  // webpack 4 and Metro before React Native 0.72 ignore "exports": they look for the subpath as a
  // file (`runtime/browser.js`) or a folder's index.js. The code fix generates imports both.
  for (const entry of ['./runtime', './runtime/browser']) {
    it(`${entry} resolves without "exports" to the same module`, async () => {
      const legacy = [`${entry}.js`, `${entry}/index.js`].map((f) => join(root, f)).find((f) => existsSync(f));
      expect(legacy, `${entry}.js or ${entry}/index.js`).toBeDefined();
      expect(pkg.files).toContain(entry.split('/')[1]);
      const target = pkg.exports[entry] as { default: string; types?: string };
      const viaExports = await import(join(root, target.default));
      const viaPath = await import(legacy!);
      expect(Object.keys(viaPath).sort()).toEqual(Object.keys(viaExports).sort());
      expect(existsSync(legacy!.replace(/\.js$/, '.d.ts')), 'types beside it').toBe(true);
    });
  }

  it("'sc-migrate' (self-reference) runs a scan and formats it", async () => {
    const api = (await import('sc-migrate' as string)) as typeof import('../../src/index.js');
    const dir = mkdtempSync(join(tmpdir(), 'sc-api-'));
    try {
      writeFileSync(join(dir, 'a.js'), "fetch('https://api.soundcloud.com/me?oauth_token=' + token);\n");
      writeFileSync(join(dir, 'b.js'), "fetch('https://api.github.com/user?client_id=' + id);\n");
      const result = await api.runScan({ cwd: dir, paths: ['.'], noConfig: true, jobs: 1 });
      expect(result.findings.map((f) => `${f.file}:${f.line} ${f.ruleId}`)).toEqual(['a.js:1 no-query-oauth-token']);
      expect(JSON.parse(api.formatResult(result, 'sarif')).runs[0].results).toHaveLength(1);
      expect(api.rulesById.has('no-query-oauth-token')).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
