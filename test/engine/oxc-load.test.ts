/**
 * src/engine/oxc.ts loads the platform's native binding without oxc's ES-module loader where it
 * can: it must be the very module oxc's loader (src-js/bindings.js) would give.
 */
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { platformBinding } from '../../src/engine/oxc.js';

describe('oxc binding load', () => {
  it('is, on Linux and macOS, the module bindings.js loads', async () => {
    const direct = platformBinding() as { parseSync?: unknown; parseRawSync?: unknown } | undefined;
    if (process.platform !== 'linux' && process.platform !== 'darwin') { expect(direct).toBeUndefined(); return; }
    expect(direct?.parseSync).toBeTypeOf('function');
    const viaLoader = createRequire(import.meta.url)('oxc-parser/src-js/bindings.js') as { parseSync: unknown; parseRawSync: unknown };
    expect(direct!.parseSync).toBe(viaLoader.parseSync);
    expect(direct!.parseRawSync).toBe(viaLoader.parseRawSync);
  });

  it('leaves the choice to bindings.js when a NAPI_RS_ variable is set', () => {
    process.env.NAPI_RS_NATIVE_LIBRARY_PATH = '/nonexistent/binding.node';
    try { expect(platformBinding()).toBeUndefined(); } finally { delete process.env.NAPI_RS_NATIVE_LIBRARY_PATH; }
  });
});
