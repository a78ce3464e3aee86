import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { diffLines } from 'diff';
import { allRules } from '../../rules/index.js';
import { lintText } from '../../src/engine/linter.js';
import { parseFile } from '../../src/engine/parse.js';
import { markerTags } from '../../src/engine/markers.js';
import { applyGroups, fixText } from '../../src/fix/apply.js';
import { fixPairText, pairs, read, PAIRS_DIR as PAIRS } from './pairs.js';

const all = pairs();
const ROOT = resolve(import.meta.dirname, '../..');

describe('transform fixture pairs', () => {
  it('has .tsx, .vue, .ts and CRLF+BOM cases', () => {
    const names = all.map((p) => p.name);
    for (const ext of ['.tsx', '.vue', '.ts']) expect(names.some((n) => n.endsWith(ext))).toBe(true);
    expect(all.some((p) => read(p.input).startsWith('\uFEFF') && read(p.input).includes('\r\n'))).toBe(true);
  });

  for (const p of all) {
    describe(`${p.rule}/${p.name}`, () => {
      const input = read(p.input);
      const expected = read(p.output);
      const r = fixPairText(input, p.input);

      it('output equals the pair', () => {
        expect(r.error).toBeUndefined();
        expect(r.text).toBe(expected);
      });
      it('output parses with the same parser', () => {
        expect(() => parseFile(r.text.replace(/^\uFEFF/, ''), p.input)).not.toThrow();
      });
      it('is idempotent (a second run changes nothing)', () => {
        const again = fixPairText(r.text, p.input);
        expect(again.status).toBe('unchanged');
        expect(again.text).toBe(r.text);
      });
      it('leaves no auto-fixable finding', () => {
        const f = lintText({ text: r.text.replace(/^\uFEFF/, ''), filename: p.input, rules: allRules }).findings;
        expect(f.filter((x) => x.fixKind === 'auto' && x.fix?.edits.length)).toEqual([]);
        // whatever is left for a person carries a marker: above it, or above its origin (one per root cause)
        const lines = r.text.split('\n');
        for (const x of f) {
          const at = x.origin && x.origin.file === p.input ? x.origin.line : x.line;
          const near = lines.slice(Math.max(0, at - 8), at).join('\n');
          expect(markerTags(near), `${x.ruleId} at ${x.line}`).toContain(x.ruleId);
          expect(x.marked, `${x.ruleId} at ${x.line}`).toBe(true);
        }
      });
      it('keeps BOM, line endings and the lines outside edits', () => {
        expect(r.text.startsWith('\uFEFF')).toBe(input.startsWith('\uFEFF'));
        if (input.includes('\r\n')) expect(r.text.replace(/\r\n/g, '')).not.toMatch(/\n/);
        // walk the line diff with a cursor in each text: every line the diff calls unchanged is the
        // same line (bytes, \r included) in the output as in the input, at the aligned position
        const inLines = input.split('\n');
        const outLines = r.text.split('\n');
        let i = 0;
        let o = 0;
        let kept = 0;
        for (const x of diffLines(input, r.text)) {
          const n = x.count ?? x.value.split('\n').length - 1;
          if (x.added) { o += n; continue; }
          if (x.removed) { i += n; continue; }
          expect(outLines.slice(o, o + n), `output lines ${o + 1}-${o + n}`).toEqual(inLines.slice(i, i + n));
          i += n; o += n; kept += n;
        }
        expect(i).toBeGreaterThanOrEqual(inLines.length - 1);
        expect(o).toBeGreaterThanOrEqual(outLines.length - 1);
        // the diff aligned something (a file whose every line changed is one where every line had a finding)
        if (inLines.length > 4) expect(kept).toBeGreaterThan(0);
      });
    });
  }
});

describe('fix core', () => {
  it('applies non-overlapping edits; on overlap the first wins', () => {
    const r = applyGroups('abcdef', [
      { ruleId: 'a', edits: [{ range: [1, 3], text: 'X' }] },
      { ruleId: 'b', edits: [{ range: [2, 4], text: 'Y' }] },
      { ruleId: 'c', edits: [{ range: [5, 6], text: 'Z' }] },
    ]);
    expect(r).toEqual({ text: 'aXdeZ', applied: 2 });
  });
  it('refuses a file that does not parse, returning the original', () => {
    const src = 'const x = "http://api.soundcloud.com";\nfunction (\n';
    const r = fixText(src, { filename: '/tmp/x.js', rules: allRules });
    expect(r.status).toBe('failed');
    expect(r.text).toBe(src);
    expect(r.error).toMatch(/does not parse/);
  });
  it('refuses an edit that would break parsing', () => {
    const bad = { ...allRules[0]!, create: (ctx: any) => ({ 'Program:exit'() { ctx.report({ node: ctx.sourceCode.ast, messageId: 'insecure', fix: (f: any) => f.insertTextBeforeRange([0, 0], '}}}') }); } }) } as any;
    bad.meta = { ...bad.meta, docs: { ...bad.meta.docs, scMigrate: { ...bad.meta.docs.scMigrate, id: 'no-insecure-http' } } };
    const src = 'const a = 1;\n';
    const r = fixText(src, { filename: '/tmp/y.js', rules: [bad] });
    expect(r.status).toBe('failed');
    expect(r.text).toBe(src);
  });
  it('markers are not duplicated and use the file line endings', () => {
    const src = 'const t = fetch("https://api-v2.soundcloud.com/search?q=x");\r\n';
    const r1 = fixText(src, { filename: '/tmp/z.js', rules: allRules });
    expect(r1.markers).toBe(1);
    expect(r1.text).toMatch(/^\/\* sc-migrate\(no-private-api-v2\): .* \*\/\r\nconst t/);
    const r2 = fixText(r1.text, { filename: '/tmp/z.js', rules: allRules });
    expect(r2.status).toBe('unchanged');
  });
  it('puts markers in HTML outside scripts as HTML comments', () => {
    const src = '<html>\n<head>\n  <script src="https://connect.soundcloud.com/sdk/sdk-3.3.2.js"></script>\n</head>\n</html>\n';
    const r = fixText(src, { filename: '/tmp/p.html', rules: allRules });
    expect(r.text).toContain('  <!-- sc-migrate(no-deprecated-sdk):');
    expect(fixText(r.text, { filename: '/tmp/p.html', rules: allRules }).status).toBe('unchanged');
  });
});

describe('fixFiles', () => {
  it('writes changed files atomically, creates the client module once, and writes nothing when dry', async () => {
    const { mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync, chmodSync } = await import('node:fs');
    const { join } = await import('node:path');
    const { tmpdir } = await import('node:os');
    const { fixFiles } = await import('../../src/fix/apply.js');
    const dir = mkdtempSync(join(tmpdir(), 'sc-fixfiles-'));
    try {
      const a = read(`${PAIRS}/no-client-id-auth/server-cjs.input.js`);
      const b = 'const axios = require("axios");\nconst { CLIENT_ID } = require("./config");\nexports.r = async (url) => axios.get("https://api.soundcloud.com/resolve", { params: { url, client_id: CLIENT_ID } });\n';
      writeFileSync(join(dir, 'package.json'), '{ "name": "app" }\n');
      writeFileSync(join(dir, 'a.js'), a);
      writeFileSync(join(dir, 'b.js'), b);
      chmodSync(join(dir, 'a.js'), 0o640);
      const files = [{ path: 'a.js', text: a }, { path: 'b.js', text: b }, { path: 'notes.txt', text: 'x' }];
      const dry = await fixFiles({ files, rules: allRules, cwd: dir, dry: true });
      expect(dry.results.map((r) => [r.file, r.status])).toEqual([['a.js', 'changed'], ['b.js', 'changed'], ['notes.txt', 'skipped'], ['soundcloud-client.js', 'changed'], ['package.json', 'changed']]);
      expect(readFileSync(join(dir, 'a.js'), 'utf8')).toBe(a);
      expect(readdirSync(dir).sort()).toEqual(['a.js', 'b.js', 'package.json']);
      const real = await fixFiles({ files, rules: allRules, cwd: dir });
      expect(readFileSync(join(dir, 'a.js'), 'utf8')).toBe(read(`${PAIRS}/no-client-id-auth/server-cjs.output.js`));
      expect(statSync(join(dir, 'a.js')).mode & 0o777).toBe(0o640);
      const mod = readFileSync(join(dir, 'soundcloud-client.js'), 'utf8');
      expect(() => parseFile(mod, join(dir, 'soundcloud-client.js'))).not.toThrow();
      expect(mod).toContain("import('sc-migrate/runtime')");
      expect(real.results.find((r) => r.file === 'b.js')!.after).toContain("require(\"./soundcloud-client.js\")");
      expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
      // second run: nothing to do
      const again = await fixFiles({ files: ['a.js', 'b.js', 'soundcloud-client.js'].map((p) => ({ path: p, text: readFileSync(join(dir, p), 'utf8') })), rules: allRules, cwd: dir });
      expect(again.results.map((r) => r.status)).toEqual(['unchanged', 'unchanged', 'unchanged']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('transforms/<id>.ts under jscodeshift', () => {
  const require = createRequire(import.meta.url);
  const { applyTransform } = require('jscodeshift/src/testUtils.js') as typeof import('jscodeshift/src/testUtils.js');
  // the pairs of each rule through its own entry (applyTransform trims both ends, as jscodeshift's own tests do)
  const own = all.filter((p) => existsSync(join(ROOT, 'transforms', `${p.rule}.ts`)) && !/\.suggest\.input\./.test(p.input));
  it('has an entry per rule with pairs', () => { expect(own.length).toBeGreaterThan(20); });
  for (const p of own) {
    it(`${p.rule}/${p.name} (applyTransform)`, async () => {
      const mod = await import(`../../transforms/${p.rule}.ts`);
      // rules work together: a pair's expected output needs every rule, so compare with that rule alone
      const alone = fixText(read(p.input), { filename: p.input, rules: allRules.filter((r) => r.meta.docs.scMigrate.id === p.rule) });
      const out = await applyTransform(mod, { dry: true }, { source: read(p.input), path: p.input });
      expect(out).toBe(alone.status === 'changed' ? alone.text.trim() : '');
    });
  }
  it('transforms/all.ts gives every pair its expected output', async () => {
    const mod = await import('../../transforms/all.js');
    for (const p of all.filter((x) => !/\.suggest\.input\./.test(x.input))) {
      const out = await applyTransform(mod, { dry: true }, { source: read(p.input), path: p.input });
      const expected = read(p.output);
      expect(out, p.name).toBe(expected === read(p.input) ? '' : expected.trim());
    }
  });
  it('creates the client module once and adds sc-migrate to the nearest package.json (not with --dry)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sc-jscs-mod-'));
    try {
      const pkg = '{\n  "name": "app",\n  "dependencies": {\n    "axios": "1.0.0"\n  }\n}\n';
      writeFileSync(join(dir, 'package.json'), pkg);
      const src = read(join(PAIRS, 'no-client-id-auth/server-cjs.input.js'));
      const mod = await import('../../transforms/no-client-id-auth.js');
      await applyTransform(mod, { dry: true }, { source: src, path: join(dir, 'a.js') });
      expect(readFileSync(join(dir, 'package.json'), 'utf8')).toBe(pkg);
      expect(existsSync(join(dir, 'soundcloud-client.js'))).toBe(false);
      const out = await applyTransform(mod, {}, { source: src, path: join(dir, 'a.js') });
      expect(out).toContain("require('./soundcloud-client.js')");
      expect(readFileSync(join(dir, 'soundcloud-client.js'), 'utf8')).toMatch(/^\/\/ Created by sc-migrate/);
      expect(JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')).dependencies).toMatchObject({ axios: '1.0.0', 'sc-migrate': expect.stringMatching(/^\^/) });
      // a second file reuses the module
      await applyTransform(mod, {}, { source: src, path: join(dir, 'b.js') });
      expect(readdirSync(dir).sort()).toEqual(['package.json', 'soundcloud-client.js']);
    } finally { rmSync(dir, { recursive: true, force: true }); }
  });
  it('a file that does not parse makes the transform fail', async () => {
    const mod = await import('../../transforms/no-insecure-http.js');
    await expect(applyTransform(mod, {}, { source: 'function (\n', path: '/tmp/x.js' })).rejects.toThrow(/does not parse/);
  });
  it('npx jscodeshift -t transforms/<id>.ts rewrites a file and reports a failing one as an error (built engine)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sc-jscs-'));
    try {
      writeFileSync(join(dir, 'a.js'), "fetch('http://api.soundcloud.com/tracks');\n");
      writeFileSync(join(dir, 'bad.js'), 'function (\n');
      const r = spawnSync(process.execPath, [require.resolve('jscodeshift/bin/jscodeshift.js'), '-t', join(ROOT, 'transforms/no-insecure-http.ts'), join(dir, 'a.js'), join(dir, 'bad.js')], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, VITEST: '' } });
      expect(r.stdout).toMatch(/1 errors/);
      expect(r.stdout).toMatch(/1 ok/);
      expect(readFileSync(join(dir, 'a.js'), 'utf8')).toBe("fetch('https://api.soundcloud.com/tracks');\n");
    } finally { rmSync(dir, { recursive: true, force: true }); }
  }, 120_000);
});
