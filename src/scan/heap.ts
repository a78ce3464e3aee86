/**
 * How far V8 lets the heap grow between full collections during a large scan.
 *
 * A scan's live heap is small (the dense real corpus: about 35 MiB: the engine's code, the scan's
 * file list, a bounded cache of other modules' trees), but it allocates about 40 bytes per byte of
 * source, and every tree that outlives two young-generation collections (the larger files' trees,
 * while their rules run) is garbage in the old generation a moment later. On a machine with a few
 * GiB of memory V8 lets the old generation grow to up to 4x the live size before it collects it
 * again, so peak RSS was set by garbage: about 270 MiB for 35 MiB live. Growing by at most 50 %
 * of the live size between full collections took the dense scan to about 190 MiB peak, at the
 * same CPU within noise (more full collections, each on a small live heap, marking concurrently).
 *
 * `--heap-growing-percent` is read whenever V8 recomputes its limits, so setting it once the scan
 * knows it is large works (V8's own documented flag; Node says flags set after start may also do
 * nothing, and then nothing changes). A value the user gave (NODE_OPTIONS, node's command line)
 * wins. Process-wide: the CLI's scan is the process.
 *
 * V8 stamps its code cache with a hash of the flags: data made after this flag changed is refused
 * by every later process (which starts with the default), so each large scan found the cache
 * written by the one before refused, compiled the CLI again and rewrote it, and the next one-file
 * scan (the pre-commit hook) did the same (callgrind: 886 M instructions instead of 672 M).
 * `restoreHeapGrowth()` sets the flag back before bin/bundle-loader.js makes the cache.
 */
import { createRequire } from 'node:module';

const FLAG = 'heap-growing-percent';
export const SCAN_HEAP_GROWING_PERCENT = 50;
let applied = false;
/** Whether this process changed the flag (and so has to set it back before its code cache is made). */
let changed = false;

/**
 * Sets the flag (0: V8's default, its own heuristics). node:v8 is loaded here, not with the module:
 * a small scan (the pre-commit path) never needs it (~2 ms).
 */
const setFlag = (percent: number): void => {
  (createRequire(import.meta.url)('node:v8') as typeof import('node:v8')).setFlagsFromString(`--${FLAG}=${percent}`);
};

/** Whether this process ran a large scan (it asked for the heap limit, whoever's setting won). */
export const largeScan = (): boolean => applied;

/** Limits heap growth between full collections for the rest of this process (once; not over the user's own setting). */
export function limitHeapGrowth(): void {
  if (applied) return;
  applied = true;
  const given = [...process.execArgv, process.env.NODE_OPTIONS ?? ''].some((a) => a.replace(/_/g, '-').includes(FLAG));
  if (given) return;
  try {
    setFlag(SCAN_HEAP_GROWING_PERCENT);
    changed = true;
  } catch { /* an engine without the flag: unchanged */ }
}

/**
 * Sets the flag back to V8's default (0: its own heuristics) when `limitHeapGrowth` changed it,
 * so the code cache made at exit carries the flag hash a new process starts with. Later calls of
 * `limitHeapGrowth` in this process change nothing.
 */
export function restoreHeapGrowth(): void {
  if (!changed) return;
  changed = false;
  try { setFlag(0); } catch { /* as above */ }
}

/**
 * The code cache a large scan leaves is taken early, not at exit. By the end of a dense scan V8
 * has flushed the bytecode of the functions it stopped running (start-up, option parsing,
 * discovery, the first pass), so a cache made then lacks what the next run starts with: a scan
 * of a tree without SoundCloud code after it (payload, no engine: it never writes a cache of its
 * own) took 0.24-0.28 s against 0.21-0.25 s with a small scan's cache, every time. Taken once the
 * first files are analysed (scan.ts, CACHE_SNAPSHOT_FILES), it holds start-up and the engine's
 * common paths; functions only later files need compile lazily in the next large scan.
 *
 * bin/bundle-loader.js registers `take` (it holds the script) when it will write a large scan's
 * cache; the cache is made under V8's default heap flag (its flag hash is that of a new process).
 */
let snapshot: (() => void) | undefined;

/** Registers (or, undefined, drops) what makes the code cache of this run. */
export function onCacheSnapshot(take: (() => void) | undefined): void {
  snapshot = take;
}

/** Makes the code cache now, once, if the loader asked for one. */
export function cacheSnapshot(): void {
  const take = snapshot;
  snapshot = undefined;
  if (!take) return;
  if (!changed) { take(); return; }
  setFlag(0);
  try { take(); } finally { setFlag(SCAN_HEAP_GROWING_PERCENT); }
}
