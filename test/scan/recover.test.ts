/**
 * A file whose end lacks its closing brackets: the scan reads it after appending them and says so
 * (pretty and JSON); `fix` rewrites no code there, it only inserts markers, and the file still
 * reads with the same repair. An error in the middle of a file still skips it.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { allRules } from '../../rules/index.js';
import { parseFile } from '../../src/engine/parse.js';
import { fixText } from '../../src/fix/apply.js';
import { formatJson } from '../../src/report/json.js';
import { formatPretty } from '../../src/report/pretty.js';
import { runScan } from '../../src/scan/run.js';

const FIX = join(import.meta.dirname, 'fixtures', 'recover');
const dir = mkdtempSync(join(tmpdir(), 'scm-recover-'));
cpSync(FIX, dir, { recursive: true });
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('scan: files read after repairing their end', () => {
  it('reports the findings of a truncated file and lists it; a broken middle is still skipped', async () => {
    const scan = await runScan({ cwd: dir, noConfig: true, jobs: 1 });
    const byFile = (f: string) => scan.findings.filter((x) => x.file === f).map((x) => `${x.ruleId}:${x.line}`).sort();
    expect(byFile('truncated-jquery.js')).toEqual(['no-client-id-auth:2', 'no-deprecated-sdk:2']);
    expect(byFile('truncated-page.html').length).toBeGreaterThan(0);
    expect(byFile('truncated-clean.js')).toEqual([]);
    expect(byFile('broken-middle.js')).toEqual([]);
    expect(scan.skipped.map((s) => s.file)).toEqual(['broken-middle.js']);
    expect(scan.recovered?.map((s) => s.file)).toEqual(['truncated-clean.js', 'truncated-jquery.js', 'truncated-page.html']);
    const json = JSON.parse(formatJson(scan)) as { recovered: { file: string; reason: string }[] };
    expect(json.recovered.find((r) => r.file === 'truncated-jquery.js')!.reason).toMatch(/'\}' expected/);
    expect(formatPretty(scan, { color: false })).toMatch(/truncated-jquery\.js does not parse as it is \(syntax error at \d+:\d+: '\}' expected\): it was read after closing its unclosed brackets at the end/);
  });

  it('fix: markers only, no code rewritten; the file reads with the same repair and its findings are marked', () => {
    const filename = join(dir, 'truncated-jquery.js');
    const text = readFileSync(filename, 'utf8');
    const r = fixText(text, { filename, rules: allRules });
    expect(r.status).toBe('changed');
    expect(r.recovered).toMatch(/'\}' expected/);
    expect(r.markers).toBeGreaterThan(0);
    // only whole comment lines were added
    const added = r.text.split('\n').filter((l) => !text.split('\n').includes(l));
    expect(added.length).toBeGreaterThan(0);
    for (const l of added) expect(l.trim()).toMatch(/^(\/\*.*\*\/|\/\/.*)$/);
    expect(parseFile(r.text, filename, undefined, { recover: true }).extras.recovered!.appended).toBe('\n})');
    expect(r.remaining.length).toBeGreaterThan(0);
    for (const f of r.remaining) expect(f.marked).toBe(true);
    // idempotent
    expect(fixText(r.text, { filename, rules: allRules }).status).toBe('unchanged');
  });

  it('fix with the scan\'s handles (the CLI path) does the same', async () => {
    const scan = await runScan({ cwd: dir, noConfig: true, jobs: 1, keepNodes: true });
    const filename = join(dir, 'truncated-jquery.js');
    const findings = scan.findings.filter((f) => f.path === filename);
    expect(findings[0]!.handle!.parsed.extras.recovered).toBeDefined();
    const text = readFileSync(filename, 'utf8');
    const r = fixText(text, { filename, rules: allRules, findings });
    expect(r.status).toBe('changed');
    expect(r.text.replace(/^\s*\/\*[^\n]*\*\/\n/gm, '')).toBe(text);
  });

  it('fix leaves a file broken in the middle alone', () => {
    const filename = join(dir, 'broken-middle.js');
    const r = fixText(readFileSync(filename, 'utf8'), { filename, rules: allRules });
    expect(r.status).toBe('failed');
  });
});

describe('scan: files using the :: bind operator (a Babel proposal no parser reads)', () => {
  const bindDir = mkdtempSync(join(tmpdir(), 'scm-recover-bind-'));
  cpSync(join(import.meta.dirname, 'fixtures', 'recover-bind'), bindDir, { recursive: true });
  afterAll(() => rmSync(bindDir, { recursive: true, force: true }));
  const filename = join(bindDir, 'player.jsx');

  it('reads the prefix and infix forms as plain references, offsets kept, strings and comments untouched', () => {
    const text = readFileSync(filename, 'utf8');
    expect(() => parseFile(text, filename)).toThrow();
    const p = parseFile(text, filename, undefined, { recover: true });
    expect(p.extras.recovered).toMatchObject({ appended: '', bind: true });
    expect(p.text.length).toBe(text.length);
    expect(p.text).toContain("addEventListener('ended',   this.onEnded)");
    expect(p.text).toContain('this.props. handle(res)');
    expect(p.text).toContain("'a::b is text, not code'; // a::b in a comment");
  });

  it('reports the file\'s findings and lists it as read with that repair', async () => {
    const scan = await runScan({ cwd: bindDir, noConfig: true, jobs: 1 });
    expect(scan.findings.map((x) => `${x.ruleId}:${x.line}`)).toEqual(['no-client-id-auth:9']);
    expect(scan.recovered?.map((s) => s.reason)).toEqual([expect.stringMatching(/bind operators were read as plain references$/)]);
    expect(formatPretty(scan, { color: false })).not.toMatch(/unclosed brackets/);
  });

  it('fix: markers only, idempotent, the file as broken as it was', () => {
    const text = readFileSync(filename, 'utf8');
    const r = fixText(text, { filename, rules: allRules });
    expect(r.status).toBe('changed');
    expect(r.markers).toBeGreaterThan(0);
    expect(r.text.replace(/^\s*(\/\*[^\n]*\*\/|\/\/[^\n]*sc-migrate[^\n]*)\n/gm, '')).toBe(text);
    expect(parseFile(r.text, filename, undefined, { recover: true }).extras.recovered?.bind).toBe(true);
    expect(fixText(r.text, { filename, rules: allRules }).status).toBe('unchanged');
  });
});
