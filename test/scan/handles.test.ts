/**
 * Findings keep a handle to their node within one process (runScan keepNodes), and `fix` starts
 * from them: no second parse and lint of a file, no re-finding nodes by position.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { allRules } from '../../rules/index.js';
import { fixText } from '../../src/fix/apply.js';
import { runScan } from '../../src/scan/run.js';
import type { Finding } from '../../src/engine/types.js';

const dir = mkdtempSync(join(tmpdir(), 'scm-handles-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const SRC = "export const tracks = () => fetch('http://api.soundcloud.com/tracks?client_id=' + process.env.SC_CLIENT_ID);\n";
writeFileSync(join(dir, 'api.js'), SRC);

describe('finding handles', () => {
  it('keepNodes: each finding holds its node and the parse, not serialized and not copied by a spread', async () => {
    const scan = await runScan({ cwd: dir, noConfig: true, keepNodes: true, jobs: 1 });
    expect(scan.findings.length).toBeGreaterThan(0);
    for (const f of scan.findings) {
      const h = f.handle!;
      expect(h.text).toBe(SRC);
      expect(h.parsed.ast.type).toBe('Program');
      expect(h.node!.range[0]).toBe(f.column - 1); // one line: offset = column - 1
      expect(JSON.parse(JSON.stringify(f))).not.toHaveProperty('handle');
      expect(Object.keys(f)).not.toContain('handle');
      expect(({ ...f } as Finding).handle).toBeUndefined();
    }
    expect(new Set(scan.findings.map((f) => f.handle!.parsed)).size).toBe(1);
  });

  it('without keepNodes, findings carry no handle (a scan keeps no ASTs alive)', async () => {
    const scan = await runScan({ cwd: dir, noConfig: true, jobs: 1 });
    expect(scan.findings.length).toBeGreaterThan(0);
    for (const f of scan.findings) expect(f.handle).toBeUndefined();
  });

  it('fixText starts from handed findings of the same text, and ignores them for another text', async () => {
    const scan = await runScan({ cwd: dir, noConfig: true, keepNodes: true, jobs: 1 });
    // A spy: an extra auto edit only a handed finding has.
    const spy = Object.assign({ ...scan.findings[0]!, fixKind: 'auto' as const, fix: { edits: [{ range: [0, 0] as [number, number], text: '/* handed */\n' }] } }, {});
    Object.defineProperty(spy, 'handle', { value: scan.findings[0]!.handle, enumerable: false });
    const handed = [spy, ...scan.findings];
    const opts = { filename: join(dir, 'api.js'), rules: allRules, cwd: dir, markers: false };
    expect(fixText(SRC, { ...opts, findings: handed }).text).toContain('/* handed */');
    // Same findings, other text (the file changed since the scan): parsed and linted again.
    const other = SRC.replace('tracks', 'tracks2');
    expect(fixText(other, { ...opts, findings: handed }).text).not.toContain('/* handed */');
    expect(fixText(other, { ...opts, findings: handed }).text).toBe(fixText(other, opts).text);
  });
});
