/**
 * Contract of src/engine/oxc.ts, the one module that reaches into oxc-parser's internals:
 * - on a 64-bit little-endian platform with a native binding, raw transfer is there (an oxc upgrade
 *   that moves the private files fails here, not silently in users' scans);
 * - its trees equal the JSON binding's on every JS / TS fixture and on snippets with the literals
 *   the two paths build differently (BigInt, RegExp, non-ASCII text, comments, templates);
 * - with `SC_MIGRATE_OXC_RAW=0` (or whenever raw transfer cannot load) the JSON path parses alone.
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { walk } from './files.js';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { jsonParser, rawParser, withParentSlot } from '../../src/engine/oxc.js';
import { languageOf, parseOxc } from '../../src/engine/parse.js';

const REPO = resolve(fileURLToPath(new URL('../..', import.meta.url)));


const sources = [...walk(join(REPO, 'fixtures')), ...walk(join(REPO, 'rules')).filter((f) => f.includes('/fixtures/')), ...walk(join(REPO, 'src/engine'))]
  .filter((f) => { const l = languageOf(f); return l === 'jsx' || l === 'ts' || l === 'tsx'; })
  .sort();

const SNIPPETS: [string, 'jsx' | 'ts' | 'tsx'][] = [
  ['const big = 10n, r = /a[b]c/giu, s = "ünï \\u{1F600}", t = `é${x}ß`; // ç\n/* ✓ */ f(r, big);', 'jsx'],
  ['const a: Record<string, number> = { "ö": 1 }; enum E { A = 1, B }\nexport default class C<T> { #p?: T; m(): void {} }', 'ts'],
  ['const el = <div title="ü">text — {x}</div>;', 'tsx'],
  ['#!/usr/bin/env node\nimport x from "./x.js";\nx();', 'jsx'],
];

describe('oxc adapter (src/engine/oxc.ts)', () => {
  afterEach(() => { vi.unstubAllEnvs(); vi.resetModules(); });

  it('has the native binding and raw transfer on this platform', () => {
    expect(jsonParser()).toBeTypeOf('function');
    if ((process.arch === 'x64' || process.arch === 'arm64') && (process.platform === 'linux' || process.platform === 'darwin')) {
      expect(rawParser()).toBeTypeOf('function');
    }
  });

  it('gives the JSON path\'s trees, with and without locations', () => {
    expect(sources.length).toBeGreaterThan(100);
    let compared = 0;
    for (const f of sources) {
      const text = readFileSync(f, 'utf8');
      const lang = languageOf(f) as 'jsx' | 'ts' | 'tsx';
      for (const locations of [true, false]) {
        const json = parseOxc(text, lang, locations, 'json');
        const raw = parseOxc(text, lang, locations, 'force-raw');
        if (!locations && json) {
          // Without locations the JSON path leaves `range` to the linter's walk: compare offsets.
          const strip = (k: string, v: unknown) => (k === 'range' ? undefined : typeof v === 'bigint' ? `${v}n` : v instanceof RegExp ? String(v) : v);
          expect(JSON.stringify(raw, strip), f).toBe(JSON.stringify(json, strip));
        } else {
          expect(raw, f).toEqual(json);
        }
        if (json) compared++;
      }
    }
    expect(compared).toBeGreaterThan(100);
  });

  it.each(SNIPPETS)('same tree: %s', (code, lang) => {
    const json = parseOxc(code, lang, true, 'json');
    expect(json).toBeDefined();
    expect(parseOxc(code, lang, true, 'force-raw')).toEqual(json);
  });

  it('loads without a top-level await: loadOxc() once, or on first use where require() takes ES modules', async () => {
    vi.resetModules();
    const oxc = await import('../../src/engine/oxc.js');
    await Promise.all([oxc.loadOxc(), oxc.loadOxc()]);
    expect(oxc.jsonParser()).toBeTypeOf('function');
    vi.resetModules();
    const fresh = await import('../../src/engine/oxc.js');
    if ((process.features as { require_module?: boolean }).require_module) {
      // raw transfer asked for first: the binding comes with it
      if ((process.arch === 'x64' || process.arch === 'arm64') && (process.platform === 'linux' || process.platform === 'darwin')) expect(fresh.rawParser()).toBeTypeOf('function');
      expect(fresh.jsonParser()).toBeTypeOf('function');
    } else {
      expect(() => fresh.jsonParser()).toThrow(/loadParser/);
    }
  });

  it('falls back to the JSON path when raw transfer is off', async () => {
    vi.stubEnv('SC_MIGRATE_OXC_RAW', '0');
    vi.resetModules();
    const oxc = await import('../../src/engine/oxc.js');
    expect(oxc.rawParser()).toBeUndefined();
    expect(oxc.jsonParser()).toBeTypeOf('function');
    const parse = await import('../../src/engine/parse.js');
    const ast = parse.parseOxc(SNIPPETS[0]![0], 'jsx');
    expect(ast).toEqual(parseOxc(SNIPPETS[0]![0], 'jsx', true, 'json'));
  });

  it('creates raw nodes with their `parent` field (undefined until the walk), from oxc\'s deserialiser with one edit', () => {
    if (!rawParser()) return;
    const ast = parseOxc('const a = { b: f(1) };', 'ts', false, 'force-raw')!;
    const decl = ast.body[0] as unknown as { declarations: { init: object }[] };
    for (const n of [ast, decl, decl.declarations[0]!, decl.declarations[0]!.init]) {
      expect(Object.prototype.hasOwnProperty.call(n, 'parent')).toBe(true);
      expect((n as { parent?: unknown }).parent).toBeUndefined();
    }
    // the empty `decorators` of identifiers is one frozen array, shared (a write would throw);
    // a parameter's are its own (the deserialiser reads them from the buffer)
    const ids = parseOxc('const a = b(c); d(f.g, [h]);', 'ts', false, 'force-raw')!;
    const found: { decorators?: unknown[] }[] = [];
    const visit = (n: unknown): void => {
      if (!n || typeof n !== 'object') return;
      if (Array.isArray(n)) { n.forEach(visit); return; }
      if ((n as { type?: unknown }).type === 'Identifier') found.push(n as { decorators?: unknown[] });
      for (const [k, v] of Object.entries(n)) if (k !== 'parent') visit(v);
    };
    visit(ids);
    expect(found.length).toBeGreaterThanOrEqual(5);
    expect(new Set(found.map((n) => n.decorators)).size).toBe(1);
    expect(found[0]!.decorators).toEqual([]);
    expect(Object.isFrozen(found[0]!.decorators)).toBe(true);
    // a text of another shape (an oxc upgrade): no edit, the module as published
    expect(withParentSlot('export function deserialize() {}')).toBeUndefined();
    expect(withParentSlot('import x from "y";\n' + 'function deserialize() {}\n' + 'x = { range: [start, end], };\n'.repeat(200))).toBeUndefined();
  });

  it('parses with the deserialiser as published when SC_MIGRATE_OXC_PATCH=0', async () => {
    vi.stubEnv('SC_MIGRATE_OXC_PATCH', '0');
    vi.resetModules();
    const oxc = await import('../../src/engine/oxc.js');
    if (!oxc.rawParser()) return;
    const parse = await import('../../src/engine/parse.js');
    const ast = parse.parseOxc(SNIPPETS[1]![0], 'ts', false, 'force-raw')!;
    expect(Object.prototype.hasOwnProperty.call(ast.body[0], 'parent')).toBe(false);
    expect(ast).toEqual(parseOxc(SNIPPETS[1]![0], 'ts', false, 'force-raw'));
  });
});
