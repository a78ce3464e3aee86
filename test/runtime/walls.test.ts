import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));
const files = (dir: string) =>
  readdirSync(join(root, dir))
    .filter((f) => f.endsWith('.ts'))
    .map((f) => ({ f: `${dir}/${f}`, text: readFileSync(join(root, dir, f), 'utf8') }));
const staticImports = (text: string) => [...text.matchAll(/^\s*(?:import|export)\s[^;]*?from\s+['"]([^'"]+)['"]/gm)].map((m) => m[1]!);

describe('module walls', () => {
  it('runtime: only relative imports inside src/runtime, no static node: imports (browser bundles)', () => {
    for (const { f, text } of files('src/runtime')) {
      for (const spec of staticImports(text)) {
        expect(spec, `${f} imports ${spec}`).toMatch(/^\.\/[\w-]+\.js$/);
      }
      for (const m of text.matchAll(/import\(\s*['"]([^'"]+)['"]\s*\)/g)) {
        expect(f, `dynamic ${m[1]}`).toBe('src/runtime/file-token-store.ts');
      }
    }
  });

  it('mock-api: shares no code with the runtime, engine, cli or rules', () => {
    for (const { f, text } of files('src/mock-api')) {
      for (const spec of staticImports(text)) {
        expect(spec.startsWith('node:') || /^\.\/[\w-]+\.js$/.test(spec), `${f} imports ${spec}`).toBe(true);
      }
    }
  });
});
