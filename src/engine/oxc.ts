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
 * generated deserialiser (`ts_range`: typescript-estree's shape, `range` on every node) builds the
 * JS objects straight from it: no JSON text, no JSON.parse (a quarter of a dense scan's CPU on
 * the JSON path), fewer short-lived strings for the GC.
 *
 * We call the raw parse and the deserialiser directly, not the package's getter-based result
 * (which keeps every tree reachable from a closure until the next parse).
 *
 * Anything unexpected (private files moved in an oxc upgrade, an allocation refused on a host that
 * forbids overcommit, a 32-bit or big-endian platform, `SC_MIGRATE_OXC_RAW=0`) leaves `rawParser`
 * undefined and the caller takes the JSON path. test/engine/oxc-binding.test.ts is the contract: the
 * raw path is there on this platform and its trees equal the JSON path's.
 */
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

/** oxc's JSON binding (the program as JSON text), or undefined without a native binding. */
export const jsonParser: JsonBinding['parseSync'] | undefined = await import('oxc-parser/src-js/bindings.js' as string)
  .then((m: JsonBinding) => (typeof m.parseSync === 'function' ? m.parseSync.bind(m) : undefined), () => undefined);

type Internals = { b: Bindings; c: Constants; d: { deserialize: Deserialize } };

/** The private modules raw transfer needs (imported at load: the calls below are synchronous). */
async function internals(): Promise<Internals | undefined> {
  if (process.env.SC_MIGRATE_OXC_RAW === '0' || !jsonParser) return undefined;
  // Little-endian 64-bit only (the buffer layout is Rust's in-memory layout).
  if (!['x64', 'arm64', 'ppc64', 'riscv64', 'loong64'].includes(process.arch) || new Uint8Array(new Uint16Array([1]).buffer)[0] !== 1) return undefined;
  const [b, c, d] = await Promise.all([
    import('oxc-parser/src-js/bindings.js' as string) as Promise<Bindings>,
    import('oxc-parser/src-js/generated/constants.js' as string) as Promise<Constants>,
    import('oxc-parser/src-js/generated/deserialize/ts_range.js' as string) as Promise<{ deserialize: Deserialize }>,
  ]);
  if (typeof b.parseRawSync !== 'function' || typeof b.getBufferOffset !== 'function' || typeof d.deserialize !== 'function') return undefined;
  if (typeof b.rawTransferSupported === 'function' && !b.rawTransferSupported()) return undefined;
  if (![c.BLOCK_SIZE, c.BLOCK_ALIGN, c.BUFFER_SIZE, c.ACTIVE_SIZE, c.IS_TS_FLAG_POS].every((n) => typeof n === 'number')) return undefined;
  return { b, c, d };
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
    program: { body: { type: string; range?: [number, number] }[] }; comments: { value: string }[]; errors: unknown[];
  };
  if (probe.errors.length || probe.program.body.length !== 2 || probe.program.body[1]!.range?.[0] !== 26 || probe.comments[0]?.value !== ' é') return undefined;
  return parse;
}

const found = await internals().catch(() => undefined);
let raw: RawParse | null | undefined = found ? undefined : null;

/**
 * The raw-transfer parse, or undefined (then the caller uses oxc's JSON binding). The 6 GiB
 * buffer is made on the first call: a process that parses a few files (a pre-commit hook) can
 * stay on the JSON path and never pay for it (nor for the full GC V8 runs when it sees that much
 * external memory).
 */
export function rawParser(): RawParse | undefined {
  if (raw === undefined) {
    try { raw = create(found!) ?? null; } catch { raw = null; }
  }
  return raw ?? undefined;
}
