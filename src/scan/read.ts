/**
 * Reading files safely: size limit before reading, never blocking on FIFOs, binary (NUL byte),
 * empty, invalid UTF-8 (fatal decoding) and minified content become skip reasons, never crashes.
 */
import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';
import { isUtf8 } from 'node:buffer';

export const DEFAULT_MAX_FILE_SIZE = 2 * 1024 * 1024;

export type ReadOutcome = { ok: true; buf: Buffer } | { ok: false; reason: string };

export type ReadBuffer = (absPath: string, maxSize: number) => ReadOutcome;

const formatSize = (n: number) => (n >= 1024 * 1024 ? `${(n / 1024 / 1024).toFixed(1)} MB` : n >= 1024 ? `${(n / 1024).toFixed(1)} KB` : `${n} B`);

export function tooLargeReason(size: number, max: number): string {
  return `too large (${formatSize(size)} > ${formatSize(max)}; see --max-file-size)`;
}

const errReason = (e: unknown) => {
  const code = (e as NodeJS.ErrnoException).code;
  return `unreadable: ${code ?? (e instanceof Error ? e.message : String(e))}`;
};

/** Opens `absPath` without blocking (a FIFO), runs `body` on the descriptor, closes it; errors become skip reasons. */
function withFile(absPath: string, body: (fd: number) => ReadOutcome): ReadOutcome {
  let fd: number;
  try {
    fd = openSync(absPath, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  } catch (e) {
    return { ok: false, reason: errReason(e) };
  }
  try {
    return body(fd);
  } catch (e) {
    return { ok: false, reason: errReason(e) };
  } finally {
    closeSync(fd);
  }
}

/** The checked read of an open descriptor: a regular file within `maxSize`, read whole. */
function readOpen(fd: number, maxSize: number): ReadOutcome {
  const st = fstatSync(fd);
  if (st.isDirectory()) return { ok: false, reason: 'unreadable: EISDIR (a directory)' };
  if (!st.isFile()) return { ok: false, reason: 'not a regular file' };
  if (st.size > maxSize) return { ok: false, reason: tooLargeReason(st.size, maxSize) };
  const buf = Buffer.allocUnsafe(st.size);
  let off = 0;
  while (off < st.size) {
    const n = readSync(fd, buf, off, st.size - off, off);
    if (n === 0) break;
    off += n;
  }
  return { ok: true, buf: off === st.size ? buf : buf.subarray(0, off) };
}

/** Reads a regular file from disk as a Buffer; size is checked on the open descriptor first. */
export const readFromDisk: ReadBuffer = (absPath, maxSize) => withFile(absPath, (fd) => readOpen(fd, maxSize));

/** One buffer for every transient read (the first pass over a large tree reads thousands of small files). */
const SCRATCH_BYTES = 1024 * 1024;
let scratch: Buffer | undefined;

/**
 * `readFromDisk` for a caller that looks at the bytes and lets them go: the Buffer it returns is a
 * view of a scratch buffer that the NEXT call overwrites (copy what you keep). A file smaller than
 * the scratch buffer comes in one `read` (no `fstat`, no allocation: on a tree of small files
 * that is half the time of reading); an empty file, a larger one, a directory or a FIFO (whose
 * positioned read fails) takes the checked path of `readFromDisk`, with the same answers.
 */
export const readFromDiskTransient: ReadBuffer = (absPath, maxSize) => withFile(absPath, (fd) => {
  scratch ??= Buffer.allocUnsafeSlow(SCRATCH_BYTES);
  let n = -1;
  try { n = readSync(fd, scratch, 0, SCRATCH_BYTES, 0); } catch { /* the checked path says what it is */ }
  if (n > 0 && n < SCRATCH_BYTES && n <= maxSize) return { ok: true, buf: scratch.subarray(0, n) };
  return readOpen(fd, maxSize);
});

const BINARY = 'binary (NUL byte)';
const INVALID_UTF8 = 'invalid UTF-8';

/** Content checks that need no decoding: empty, binary, size, invalid UTF-8. Undefined when fine. */
export function contentProblem(buf: Buffer, maxSize: number): string | undefined {
  if (buf.length === 0) return 'empty';
  if (buf.length > maxSize) return tooLargeReason(buf.length, maxSize);
  if (buf.indexOf(0) !== -1) return BINARY;
  if (!isUtf8(buf)) return INVALID_UTF8;
  return undefined;
}

/** Why a file is not looked at (unreadable, or a contentProblem). */
export interface Unreadable { reason: string }

/**
 * A file's bytes as a latin1 string (one character per byte: what the text prefilter reads), or
 * why it is skipped; the bytes are `Buffer.from(text, 'latin1')`.
 */
export type PeekLatin1 = (absPath: string, maxSize: number) => string | Unreadable;

/** A PeekLatin1 over any reader: read, contentProblem, latin1. */
export const latin1Peek = (read: ReadBuffer): PeekLatin1 => (absPath, maxSize) => {
  const r = read(absPath, maxSize);
  if (!r.ok) return { reason: r.reason };
  const problem = contentProblem(r.buf, maxSize);
  return problem === undefined ? r.buf.toString('latin1') : { reason: problem };
};

/**
 * `latin1Peek(readFromDiskTransient)` in one step, with the same answers, for the first pass over
 * a tree (every file is looked at once, most are let go): a file that fits the scratch buffer
 * becomes its string straight from the scratch, is checked for NUL on that string and for UTF-8
 * on a plain view of the scratch (no Buffer object, no result object per file); any other file
 * (empty, larger, unreadable) takes the checked path.
 */
export const peekLatin1FromDisk: PeekLatin1 = (absPath, maxSize) => {
  let fd: number;
  try {
    fd = openSync(absPath, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  } catch (e) {
    return { reason: errReason(e) };
  }
  try {
    scratch ??= Buffer.allocUnsafeSlow(SCRATCH_BYTES);
    let n = -1;
    try { n = readSync(fd, scratch, 0, SCRATCH_BYTES, 0); } catch { /* the checked path says what it is */ }
    if (n > 0 && n < SCRATCH_BYTES && n <= maxSize) {
      const text = scratch.toString('latin1', 0, n);
      if (text.indexOf('\0') !== -1) return { reason: BINARY };
      if (!isUtf8(new Uint8Array(scratch.buffer, scratch.byteOffset, n))) return { reason: INVALID_UTF8 };
      return text;
    }
    const r = readOpen(fd, maxSize);
    if (!r.ok) return { reason: r.reason };
    const problem = contentProblem(r.buf, maxSize);
    return problem === undefined ? r.buf.toString('latin1') : { reason: problem };
  } catch (e) {
    return { reason: errReason(e) };
  } finally {
    closeSync(fd);
  }
};

const fatalDecoder = new TextDecoder('utf-8', { fatal: true });

/** Strict UTF-8 decoding (the BOM is dropped, offsets count from the first character after it). */
export function decodeUtf8(buf: Buffer): string | undefined {
  try {
    return fatalDecoder.decode(buf);
  } catch {
    return undefined;
  }
}

/** A line that no one typed: at least 1,000 characters of code outside string literals, under 6% of them whitespace (hand-written code has 15% and more). */
const SMALL_MIN_CODE = 1000;
function minifiedLine(line: string): boolean {
  if (line.length < SMALL_MIN_CODE) return false;
  // string literals (a data: URI, a long message) are not code: leave them out of both counts
  const code = line.replace(/"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*'|`(?:[^`\\]|\\.)*`/g, '""');
  if (code.length < SMALL_MIN_CODE) return false;
  let ws = 0;
  for (let i = 0; i < code.length; i++) { const c = code.charCodeAt(i); if (c === 32 || c === 9) ws++; }
  return ws < code.length * 0.06;
}

/**
 * Minified or generated bundle heuristics: very long average lines (low newline density) or a
 * huge single line in a large file. A small file (under 4 KiB) is "minified" only when its
 * longest line is minifier output: 1,000+ characters of code with almost no whitespace
 * (`function f(e){for(var t=[],n=0;20>n;n++)...}` written by a build step without `.min` in its name).
 */
export function looksMinified(text: string): boolean {
  if (text.length < 4096) {
    if (text.length < SMALL_MIN_CODE) return false;
    let longest = '';
    for (let start = 0; start <= text.length;) {
      let end = text.indexOf('\n', start);
      if (end === -1) end = text.length;
      if (end - start > longest.length) longest = text.slice(start, end);
      start = end + 1;
    }
    return minifiedLine(longest);
  }
  let lines = 1;
  let longest = 0;
  let start = 0;
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) {
    lines++;
    if (i - start > longest) longest = i - start;
    start = i + 1;
  }
  if (text.length - start > longest) longest = text.length - start;
  const avg = text.length / lines;
  return avg > 300 || (longest > 10_000 && text.length > 100_000) || longest > 50_000;
}

/**
 * The runtime a bundler writes at the top of its output: webpack's bootstrap, Parcel 1's
 * `parcelRequire`, browserify's prelude. Such a file is build output even when it is not minified
 * (development builds committed beside their sources): its modules are the sources again.
 */
const BUNDLE_HEAD_RE = /\/\/ webpackBootstrap\b|\bparcelRequire\s*=\s*\(function\s*\(modules\b|^\s*(?:require\s*=\s*)?\((?:function\s*\(\)\s*\{\s*)?function\s*\w*\s*\(\w,\w,\w\)\s*\{\s*function\s+\w\(\w,\w\)\s*\{\s*if\s*\(\s*!\w\[\w\]\s*\)\s*\{\s*if\s*\(\s*!\w\[\w\]/m;

/**
 * Webpack's runtime as a minifier writes it, also once pretty-printed again (a library's UMD
 * build copied into an app, `sdk-3.1.2.js`): the module loader calls each module as
 * `t[i].call(r.exports, r, r.exports, e)` and exposes `e.m = t, e.c = n` beside it. Neither
 * shape is written by hand.
 */
const MIN_WEBPACK_CALL_RE = /\w+\[\w+\]\.call\(\s*(\w+)\.exports\s*,\s*\1\s*,\s*\1\.exports\s*,\s*\w+\s*\)/;
const MIN_WEBPACK_CACHE_RE = /\b(\w+)\.m\s*=\s*\w+\s*,\s*\1\.c\s*=\s*\w+/;

/**
 * RequireJS's optimiser (r.js) output, committed beside its sources: the modules it concatenated,
 * each given its id by r.js (`define('views/track',[...], ...)`; modules written by hand are
 * anonymous, `define([...], ...)`), often after almond's loader. Three named modules, or almond.
 */
const AMD_NAMED_RE = /\bdefine\(\s*['"][^'"\n]+['"]\s*,\s*\[/g;
const ALMOND_RE = /^\s*(?:\(function\s*\(\)\s*\{\s*)?\/\*\*?\s*\n?\s*\*?\s*almond \d/;

function rjsBuild(text: string, head: string): boolean {
  if (!text.includes('define(')) return false;
  if (ALMOND_RE.test(head)) return true;
  AMD_NAMED_RE.lastIndex = 0;
  for (let n = 0; AMD_NAMED_RE.exec(text);) if (++n >= 3) return true;
  return false;
}

export function looksBundled(text: string): boolean {
  const head = text.slice(0, 3000);
  if (rjsBuild(text, head)) return true;
  // `].call(` is a literal part of every MIN_WEBPACK_CALL_RE match: without it the regex (whose
  // `\w+\[` retries every word start) cannot match, and it was 1.3% of a dense scan's CPU.
  return BUNDLE_HEAD_RE.test(head) || (head.includes('].call(') && MIN_WEBPACK_CALL_RE.test(head) && MIN_WEBPACK_CACHE_RE.test(head));
}
