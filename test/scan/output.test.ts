/** The one atomic write (src/scan/output.ts), sync and async: same result, mode kept, no temp file left, target untouched on failure. */
import { chmodSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { writeFileAtomic, writeFileAtomicAsync } from '../../src/scan/output.js';

const dir = mkdtempSync(join(tmpdir(), 'scm-atomic-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe.each([
  ['sync', async (f: string, t: string) => writeFileAtomic(f, t)],
  ['async', writeFileAtomicAsync],
] as const)('writeFileAtomic (%s)', (name, write) => {
  it('creates the folder and the file, and leaves no temp file', async () => {
    const f = join(dir, name, 'deep', 'out.json');
    await write(f, '{"a":1}\n');
    expect(readFileSync(f, 'utf8')).toBe('{"a":1}\n');
    expect(readdirSync(join(dir, name, 'deep'))).toEqual(['out.json']);
  });

  it('replaces a file and keeps its mode', async () => {
    const f = join(dir, `${name}-exec.sh`);
    writeFileSync(f, 'old');
    chmodSync(f, 0o750);
    await write(f, 'new');
    expect(readFileSync(f, 'utf8')).toBe('new');
    expect(statSync(f).mode & 0o777).toBe(0o750);
  });

  it('fails without touching the target or leaving a temp file (target is a folder)', async () => {
    const target = join(dir, `${name}-folder`);
    await write(join(target, 'x'), 'x');
    await expect(Promise.resolve().then(() => write(target, 'y'))).rejects.toThrow();
    expect(readdirSync(dir).filter((n) => n.endsWith('.tmp'))).toEqual([]);
    expect(statSync(target).isDirectory()).toBe(true);
  });
});
