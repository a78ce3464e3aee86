/**
 * The runtime's builds for older toolchains (scripts/bundle-runtime.mjs): CommonJS for
 * require() on Node before 20.19 (the "require" condition of package.json "exports"), and
 * ES2017 ES modules behind runtime/index.js and runtime/browser.js, the files webpack 4 and old
 * Metro find when they skip "exports". Each must export what dist/src/runtime exports and parse
 * as ES2017 (no `?.`, `??`, class fields or private names, which webpack 4's parser rejects).
 * `npm test` builds first.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as acorn from 'acorn';

const root = fileURLToPath(new URL('../..', import.meta.url));
const require = createRequire(join(root, 'package.json'));

describe('runtime builds for older toolchains', () => {
  for (const entry of ['index', 'browser']) {
    it(`dist/runtime/${entry}.cjs and .js export what dist/src/runtime/${entry}.js exports`, async () => {
      const names = Object.keys(await import(join(root, `dist/src/runtime/${entry}.js`))).sort();
      expect(names.length).toBeGreaterThan(5);
      expect(Object.keys(require(join(root, `dist/runtime/${entry}.cjs`))).filter((k) => k !== '__esModule').sort()).toEqual(names);
      expect(Object.keys(await import(join(root, `dist/runtime/${entry}.js`))).sort()).toEqual(names);
    });
    for (const [file, sourceType] of [[`${entry}.cjs`, 'script'], [`${entry}.js`, 'module']] as const) {
      it(`dist/runtime/${file} parses as ES2017`, () => {
        const text = readFileSync(join(root, 'dist/runtime', file), 'utf8');
        expect(() => acorn.parse(text, { ecmaVersion: 2017, sourceType })).not.toThrow();
      });
    }
  }

  it("require('sc-migrate/runtime') takes the CommonJS build, and the CommonJS client works", async () => {
    expect(require.resolve('sc-migrate/runtime')).toBe(join(root, 'dist/runtime/index.cjs'));
    expect(require.resolve('sc-migrate/runtime/browser')).toBe(join(root, 'dist/runtime/browser.cjs'));
    const { SoundCloudClient } = require('sc-migrate/runtime') as typeof import('../../src/runtime/index.js');
    const seen: string[] = [];
    const client = new SoundCloudClient({
      clientId: 'id',
      clientSecret: 'secret',
      fetch: async (url: string | URL | Request, init?: RequestInit) => {
        const u = String(url);
        seen.push(`${init?.method ?? 'GET'} ${new URL(u).pathname} ${new Headers(init?.headers).get('authorization')?.split(' ')[0] ?? '-'}`);
        if (u.endsWith('/oauth/token')) return Response.json({ access_token: 'T', token_type: 'bearer', expires_in: 3600, refresh_token: 'R' });
        return Response.json({ id: 1 });
      },
    });
    expect(await (await client.fetch('/tracks/1')).json()).toEqual({ id: 1 });
    expect(seen).toEqual(['POST /oauth/token Basic', 'GET /tracks/1 OAuth']);
  });

  it('runtime/index.js and runtime/browser.js point at the ES2017 builds', () => {
    for (const entry of ['index', 'browser']) {
      expect(readFileSync(join(root, `runtime/${entry}.js`), 'utf8')).toContain(`from '../dist/runtime/${entry}.js'`);
    }
  });
});
