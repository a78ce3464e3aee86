/**
 * `sc-migrate/runtime/browser` (what fix's generated browser module imports): its whole module
 * graph is the runtime's own files, with no Node module, no dynamic import and nothing that holds
 * a secret server-side (createTokenEndpoint, FileTokenStore, createClientFromEnv), so a bundler
 * builds it for a browser. The package exports it.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));

function graph(entry: string): Map<string, string> {
  const seen = new Map<string, string>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    const text = readFileSync(file, 'utf8');
    seen.set(file, text);
    for (const m of text.matchAll(/^(?:import|export)\s[^;]*?from\s+'([^']+)'/gms)) {
      if (/^import\s+type\b|^export\s+type\b/.test(m[0])) continue;
      const spec = m[1]!;
      expect(spec.startsWith('./'), `${file}: ${spec}`).toBe(true);
      visit(resolve(dirname(file), spec.replace(/\.js$/, '.ts')));
    }
  };
  visit(entry);
  return seen;
}

describe('sc-migrate/runtime/browser', () => {
  it('reaches no Node module, no dynamic import and none of the server-only parts', () => {
    const files = graph(join(root, 'src/runtime/browser.ts'));
    expect(files.size).toBeGreaterThan(5);
    for (const [file, text] of files) {
      expect(text, file).not.toMatch(/\bimport\(|from 'node:|require\(/);
      expect(file).not.toMatch(/file-token-store|redis-token-store|token-route|env\.ts$/);
    }
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
    expect(pkg.exports['./runtime/browser'].default).toBe('./dist/src/runtime/browser.js');
  });
});
