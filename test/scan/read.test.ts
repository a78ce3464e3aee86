/**
 * The transient reader (one scratch buffer for the prefilter's pass over a large tree) answers
 * exactly like the checked reader, on every kind of path it can be handed.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { mkdirSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { readFromDisk, readFromDiskTransient, type ReadOutcome } from '../../src/scan/read.js';
import { cleanup, tempDir } from '../cli/helpers.js';

afterAll(cleanup);

const view = (r: ReadOutcome) => (r.ok ? { ok: true, bytes: Buffer.from(r.buf).toString('base64') } : r);

describe('readFromDiskTransient', () => {
  it('answers like readFromDisk: small, empty, larger than its buffer, too large, a folder, a FIFO, missing', () => {
    const d = tempDir();
    const files: Record<string, string | Buffer> = {
      'a.js': "const a = 'soundcloud';\n",
      'empty.js': '',
      'one-mib.js': Buffer.alloc(1024 * 1024, 'x'), // exactly the scratch size: the checked path
      'big.js': Buffer.alloc(1024 * 1024 + 7, 'y'),
      'limit.js': Buffer.alloc(5000, 'z'),
    };
    for (const [name, body] of Object.entries(files)) writeFileSync(join(d, name), body);
    mkdirSync(join(d, 'dir.js'));
    execFileSync('mkfifo', [join(d, 'pipe.js')]);
    for (const name of [...Object.keys(files), 'dir.js', 'pipe.js', 'missing.js']) {
      for (const max of [2 * 1024 * 1024, 4096]) {
        expect({ name, max, ...view(readFromDiskTransient(join(d, name), max)) }).toEqual({ name, max, ...view(readFromDisk(join(d, name), max)) });
      }
    }
  });

  it('hands out a view that the next call overwrites (callers copy what they keep)', () => {
    const d = tempDir();
    writeFileSync(join(d, 'one.js'), 'one');
    writeFileSync(join(d, 'two.js'), 'two');
    const first = readFromDiskTransient(join(d, 'one.js'), 100);
    expect(first.ok && first.buf.toString()).toBe('one');
    readFromDiskTransient(join(d, 'two.js'), 100);
    expect(first.ok && first.buf.toString()).toBe('two');
  });
});
