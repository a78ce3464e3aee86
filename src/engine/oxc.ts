/**
 * The ONE module that imports oxc-parser internals: its native binding (the JSON path) and its
 * raw transfer, on Node 20 too.
 *
 * JSON path: we call the binding directly; the public `parseSync` also converts the module
 * record (imports, exports) we never read, about 15% of the parse on small files. oxc is
 * optional: without a binding for the platform both exports are undefined.
 *
 * Raw transfer: the public `experimentalRawTransfer` option refuses Node < 22, because Node 20 cannot make a
 * `Uint8Array` over more than 4 GiB. The 6 GiB `ArrayBuffer` itself allocates (virtual memory,
 * pages are touched only as written), and the native `getBufferOffset` only needs the buffer's
 * start address: a small view is enough. Rust then writes the AST into the buffer and oxc's
 * generated deserialiser (`ts`: typescript-estree's shape with `start` / `end` and no `range` array,
 * a third of the bytes of the `ts_range` variant's nodes; offsets.ts reads either) builds the JS
 * objects straight from it: no JSON text, no JSON.parse (a quarter of a dense scan's CPU on the
 * JSON path), fewer short-lived strings for the GC.
 *
 * We call the raw parse and the deserialiser directly, not the package's getter-based result
 * (which keeps every tree reachable from a closure until the next parse).
 *
 * The deserialiser is compiled from its source text with two changes (`withParentSlot`): every
 * node object it creates has a `parent` field from the start, and the empty `decorators` of
 * identifiers and patterns is one shared frozen array. The linter's walk sets `parent` on
 * every node; added later, that field needs a second allocation per node (V8 keeps a field added
 * to an object literal outside the object) and a change of hidden class.
 *
 * Anything unexpected (private files moved in an oxc upgrade, an allocation refused on a host that
 * forbids overcommit, a 32-bit or big-endian platform, `SC_MIGRATE_OXC_RAW=0`) leaves `rawParser`
 * undefined and the caller takes the JSON path. test/engine/oxc-binding.test.ts is the contract: the
 * raw path is there on this platform and its trees equal the JSON path's.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type * as Oxc from 'oxc-parser';

export interface RawResult {
  program: unknown;
  comments: unknown[];
  errors: unknown[];
}
export type RawParse = (filename: string, code: string, options: Oxc.ParserOptions) => RawResult;

type Bindings = {
  getBufferOffset(view: Uint8Array): number;
  parseRawSync(filename: string, block: Uint8Array, sourceStart: number, sourceLen: number, options: Oxc.ParserOptions): void;
  rawTransferSupported(): boolean;
};
type Constants = { BLOCK_SIZE: number; BLOCK_ALIGN: number; BUFFER_SIZE: number; ACTIVE_SIZE: number; IS_TS_FLAG_POS: number };
type Deserialize = (buffer: Uint8Array, code: string, sourceStart: number, sourceLen: number) => RawResult;

const ONE_GIB = 1 << 30;

export type JsonResult = { program: string; comments: unknown[]; errors: unknown[] };
type JsonBinding = { parseSync(filename: string, code: string, options: Oxc.ParserOptions): JsonResult };
export type JsonParse = JsonBinding['parseSync'];

type Internals = { b: Bindings; c: Constants; d: { deserialize: Deserialize } };

// No top-level await (the CLI is bundled as one CommonJS script for V8's code cache:
// scripts/bundle-cli.mjs): the binding is loaded by `loadOxc()`, which whoever parses awaits
// first (src/engine/parse.ts `loadParser`: the engine's loader, the ESLint plugin, fix).
// undefined: not loaded yet; null: no native binding for this platform.
let binding: (Bindings & JsonBinding) | null | undefined;
let json: JsonParse | undefined;
let loading: Promise<void> | undefined;
// The raw-transfer modules (oxc's constants and its 190 KB deserialiser): loaded when the first
// raw parse is asked for, synchronously where Node can require() an ES module (20.19+, 22.12+),
// else with the binding. undefined: not looked for yet; null: not usable.
let found: Internals | null | undefined;
const requireEsm = !!(process.features as { require_module?: boolean }).require_module;
const BINDINGS = 'oxc-parser/src-js/bindings.js';

const useBinding = (m: unknown): void => {
  const b = m as (Bindings & JsonBinding) | undefined;
  binding = b && typeof b.parseSync === 'function' ? b : null;
  json = binding ? binding.parseSync.bind(binding) : undefined;
};

/**
 * The platform's native binding required directly, without oxc's loader (src-js/bindings.js, an
 * ES module): the binding's package is CommonJS around one .node file, about 2 ms to require,
 * while bindings.js through require(esm) took about 17 ms (Node sets up its ES module loader for
 * it): most of loading the parser on the pre-commit path. Only where the choice is the one
 * bindings.js makes, in its order: Linux (glibc or musl, told by /usr/bin/ldd as bindings.js first
 * does) and macOS, no NAPI_RS_* variable (its overrides and checks), no binary inside oxc-parser
 * itself (which bindings.js would load first). Anything else, or a failure, is left to bindings.js;
 * either way it is the same module object (test/engine/oxc-load.test.ts).
 */
export function platformBinding(): unknown {
  if (Object.keys(process.env).some((k) => k.startsWith('NAPI_RS_'))) return undefined;
  let names: string[];
  if (process.platform === 'darwin') names = ['darwin-universal', `darwin-${process.arch}`];
  else if (process.platform === 'linux') {
    let ldd: string;
    try { ldd = readFileSync('/usr/bin/ldd', 'latin1'); } catch { return undefined; }
    names = [`linux-${process.arch}-${ldd.includes('musl') ? 'musl' : 'gnu'}`];
  } else return undefined;
  try {
    const loader = createRequire(import.meta.url).resolve(BINDINGS);
    const req = createRequire(loader);
    for (const n of names) {
      if (existsSync(join(dirname(loader), `parser.${n}.node`))) return undefined;
      try { return req(`@oxc-parser/binding-${n}`) as unknown; } catch { /* the next, as bindings.js */ }
    }
  } catch { /* oxc-parser not found: bindings.js says the same */ }
  return undefined;
}

/** Loads oxc's native binding (once; later calls return the same promise). Never rejects. */
export function loadOxc(): Promise<void> {
  return (loading ??= (async () => {
    if (binding !== undefined) return;
    // require() where Node can load an ES module with it: cheaper than import()'s resolution.
    if (requireEsm) { jsonParser(); return; }
    useBinding(platformBinding() ?? await import(BINDINGS as string).catch(() => undefined));
    if (!requireEsm) found = (await internals().catch(() => undefined)) ?? null;
  })());
}

/**
 * oxc's JSON binding (the program as JSON text), or undefined without a native binding. Before
 * `loadOxc()` it is required on the spot where Node can require() an ES module, else it throws.
 */
export function jsonParser(): JsonParse | undefined {
  if (binding === undefined) {
    if (!requireEsm) throw new Error('oxc-parser is not loaded: await loadParser() (src/engine/parse.ts) before parsing');
    let m: unknown;
    try { m = platformBinding() ?? createRequire(import.meta.url)(BINDINGS); } catch { /* no binding for this platform */ }
    useBinding(m);
  }
  return json;
}

/** Whether raw transfer may be tried here at all. */
const rawPlatform = (): boolean => process.env.SC_MIGRATE_OXC_RAW !== '0' && !!binding
  // Little-endian 64-bit only (the buffer layout is Rust's in-memory layout).
  && ['x64', 'arm64', 'ppc64', 'riscv64', 'loong64'].includes(process.arch) && new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
const CONSTANTS = 'oxc-parser/src-js/generated/constants.js';
const DESERIALIZE = 'oxc-parser/src-js/generated/deserialize/ts.js';

/** The private modules raw transfer needs, when they have what we call. */
function checked(c: Constants, d: { deserialize: Deserialize }): Internals | undefined {
  const b = binding;
  if (!b || typeof b.parseRawSync !== 'function' || typeof b.getBufferOffset !== 'function' || typeof d.deserialize !== 'function') return undefined;
  if (typeof b.rawTransferSupported === 'function' && !b.rawTransferSupported()) return undefined;
  if (![c.BLOCK_SIZE, c.BLOCK_ALIGN, c.BUFFER_SIZE, c.ACTIVE_SIZE, c.IS_TS_FLAG_POS].every((n) => typeof n === 'number')) return undefined;
  return { b, c, d };
}

/** Node objects the deserialiser writes (closed by their `end`): fewer means its code is not the one we know. */
const MIN_NODE_SITES = 150;

/**
 * The deserialiser's source with `parent: void 0` after each node's `end`, its last field
 * (undefined, as before the walk: trees compare equal to the JSON path's), as a function returning
 * its exports; undefined when its text is not the expected shape.
 */
export function withParentSlot(source: string): string | undefined {
  let sites = 0;
  const body = source
    .replace(/^export (function|const|let) /gm, '$1 ')
    // (also on the few plain spans it makes: a field more on objects no walk reaches)
    .replace(/^([ \t]*end(?:: [^\n]*)?,)(?=\n[ \t]*\})/gm, (m) => { sites++; return `${m} parent: void 0,`; })
    // One frozen empty array for the `decorators` a node is created with (every Identifier, every
    // pattern: about a sixth of an Identifier's bytes). The deserialiser replaces the field when a
    // node has decorators, and nothing of ours writes into it (a write would throw, not go unseen).
    .replace(/\bdecorators: \[\],/g, 'decorators: NO_DECORATORS,');
  if (sites < MIN_NODE_SITES || /^\s*(import|export)\b/m.test(body) || !/^function deserialize\(/m.test(body)) return undefined;
  return `'use strict';\nconst NO_DECORATORS = Object.freeze([]);\n${body}\nreturn { deserialize };`;
}

/** The patched deserialiser (withParentSlot), or the module as published when the patch does not apply. */
function deserializer(load: () => { deserialize: Deserialize }): { deserialize: Deserialize } {
  if (process.env.SC_MIGRATE_OXC_PATCH !== '0') {
    try {
      const req = createRequire(import.meta.url);
      const code = withParentSlot(readFileSync(req.resolve(DESERIALIZE), 'utf8'));
      // oxc's own generated code, with the one edit above
      if (code) return (new Function(code) as () => { deserialize: Deserialize })();
    } catch { /* the module as published */ }
  }
  return load();
}

/** Imports them (Node without require(esm)). */
async function internals(): Promise<Internals | undefined> {
  if (!rawPlatform()) return undefined;
  const c = await (import(CONSTANTS as string) as Promise<Constants>);
  let published: { deserialize: Deserialize } | undefined;
  try { published = await (import(DESERIALIZE as string) as Promise<{ deserialize: Deserialize }>); } catch { /* checked below */ }
  return checked(c, deserializer(() => published!));
}

/** Requires them (synchronous: Node 20.19+, 22.12+ load ES modules with require()). */
function internalsNow(): Internals | undefined {
  if (binding === undefined) jsonParser();
  if (!rawPlatform()) return undefined;
  const req = createRequire(import.meta.url);
  return checked(req(CONSTANTS) as Constants, deserializer(() => req(DESERIALIZE) as { deserialize: Deserialize }));
}

/** Allocates the transfer buffer and checks a known tree; undefined when either fails. */
function create({ b, c, d }: Internals): RawParse | undefined {
  const { BLOCK_SIZE, BLOCK_ALIGN, BUFFER_SIZE, ACTIVE_SIZE, IS_TS_FLAG_POS } = c;
  // One buffer for the whole process, reused by every parse (a file's AST is plain JS objects
  // once deserialised: nothing points into the buffer afterwards).
  const ab = new ArrayBuffer(BLOCK_SIZE + BLOCK_ALIGN);
  const offset = b.getBufferOffset(new Uint8Array(ab, 0, 16));
  const buffer = new Uint8Array(ab, offset, BUFFER_SIZE) as Uint8Array & { int32: Int32Array; float64: Float64Array };
  buffer.int32 = new Int32Array(ab, offset, BUFFER_SIZE / 4);
  buffer.float64 = new Float64Array(ab, offset, BUFFER_SIZE / 8);
  const block = new Uint8Array(ab, offset, BLOCK_SIZE);
  const encoder = new TextEncoder();
  const parse: RawParse = (filename, code, options) => {
    const max = code.length * 3;
    if (max > ONE_GIB) throw new Error('source text too long for raw transfer');
    const start = ACTIVE_SIZE - max;
    const { read, written } = encoder.encodeInto(code, new Uint8Array(ab, offset + start, max));
    if (read !== code.length) throw new Error('source text not written into the transfer buffer');
    b.parseRawSync(filename, block, start, written, options);
    // The `ts` deserialiser reads TypeScript's layout: we always parse with astType 'ts'.
    if (buffer[IS_TS_FLAG_POS] === 0) throw new Error('raw transfer: JS layout where TS was asked for');
    return d.deserialize(buffer, code, start, written);
  };
  // Self-check: a known tree, or no raw transfer at all.
  const probe = parse('file.ts', 'const a: number = 1; // é\nf(`x${a}`);', { lang: 'ts', sourceType: 'module', astType: 'ts' }) as {
    program: { body: { type: string; start: number }[] }; comments: { value: string }[]; errors: unknown[];
  };
  if (probe.errors.length || probe.program.body.length !== 2 || probe.program.body[1]!.start !== 26 || probe.comments[0]?.value !== ' é') return undefined;
  return parse;
}

let raw: RawParse | null | undefined;

/**
 * The raw-transfer parse, or undefined (then the caller uses oxc's JSON binding). Its modules
 * and the 6 GiB buffer come on the first call: a process that parses a few files (a pre-commit
 * hook) stays on the JSON path and never pays for them (nor for the full GC V8 runs when it sees
 * that much external memory).
 */
export function rawParser(): RawParse | undefined {
  if (raw === undefined) {
    if (found === undefined) {
      try { found = (requireEsm ? internalsNow() : undefined) ?? null; } catch { found = null; }
    }
    try { raw = found ? (create(found) ?? null) : null; } catch { raw = null; }
  }
  return raw ?? undefined;
}
