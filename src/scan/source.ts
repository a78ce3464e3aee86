/**
 * Where the scan's files come from: the working tree (here) or the git index (src/git/staged.ts).
 * A source lists files, reads them as Buffers, and serves the project context (cross-file
 * constants) with the same view of the code.
 */
import { statSync } from 'node:fs';
import { discoverFiles, type DiscoverOptions, type DiscoverResult } from './discover.js';
import { contentProblem, decodeUtf8, peekLatin1FromDisk, readFromDisk, readFromDiskTransient, type PeekLatin1, type ReadBuffer } from './read.js';

export interface FileSource {
  /** The files to scan (and the ones skipped while listing). */
  list(): DiscoverResult;
  /** Reads one listed file. */
  read: ReadBuffer;
  /**
   * Like `read`, but the Buffer is only valid until the next call (a reused scratch buffer):
   * for a look at the bytes (the prefilter, decoding). Optional: `read` otherwise.
   */
  readTransient?: ReadBuffer;
  /** `latin1Peek(readTransient ?? read)` done faster (the first pass over every file). Optional. */
  peekLatin1?: PeekLatin1;
  /** Text of any project file (imports of scanned files), or undefined. */
  readText(absPath: string): string | undefined;
  exists(absPath: string): boolean;
  /** Files live on disk, so worker threads can read them themselves. */
  onDisk: boolean;
}

export function textReader(read: ReadBuffer, maxSize: number): (abs: string) => string | undefined {
  return (abs) => {
    const r = read(abs, maxSize);
    if (!r.ok || contentProblem(r.buf, maxSize)) return undefined;
    return decodeUtf8(r.buf);
  };
}

const existsCache = new Map<string, boolean>();
/** Whether a regular file exists (cached: import resolution probes many extensions per import). */
export const diskExists = (abs: string): boolean => {
  let v = existsCache.get(abs);
  if (v === undefined) {
    try { v = statSync(abs, { throwIfNoEntry: false })?.isFile() ?? false; } catch { v = false; }
    if (existsCache.size > 100_000) existsCache.clear();
    existsCache.set(abs, v);
  }
  return v;
};

export interface DiskSourceOptions extends DiscoverOptions {
  maxFileSize: number;
  /** Injected reader (tests simulate EACCES and friends); default reads the disk. */
  read?: ReadBuffer;
}

export function createDiskSource(opts: DiskSourceOptions): FileSource {
  const read = opts.read ?? readFromDisk;
  return {
    list: () => discoverFiles(opts),
    read,
    ...(opts.read ? {} : { readTransient: readFromDiskTransient, peekLatin1: peekLatin1FromDisk }),
    readText: textReader(read, opts.maxFileSize),
    exists: diskExists,
    onDisk: !opts.read,
  };
}
