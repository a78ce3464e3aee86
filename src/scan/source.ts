/**
 * Where the scan's files come from: the working tree (here) or the git index (src/git/staged.ts).
 * A source lists files, reads them as Buffers, and serves the project context (cross-file
 * constants) with the same view of the code.
 */
import { readdirSync, statSync } from 'node:fs';
import { basename, dirname } from 'node:path';
import { discoverFiles, type DiscoverOptions, type DiscoverResult } from './discover.js';
import { contentProblem, decodeUtf8, readFromDisk, type ReadBuffer } from './read.js';

export interface FileSource {
  /** The files to scan (and the ones skipped while listing). */
  list(): DiscoverResult;
  /** Reads one listed file. */
  read: ReadBuffer;
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
const nameKey = (name: string) => name.normalize('NFC').toLowerCase();
/** Names in a folder (case- and normalisation-folded), or null when it cannot be listed. */
const listings = new Map<string, Set<string> | null>();
function listing(dir: string): Set<string> | null {
  let l = listings.get(dir);
  if (l === undefined) {
    try { l = new Set(readdirSync(dir).map(nameKey)); } catch { l = null; }
    if (listings.size > 20_000) listings.clear();
    listings.set(dir, l);
  }
  return l;
}

/**
 * Whether a regular file exists (cached: import resolution probes many extensions per import).
 * A name its folder's listing lacks (folded, so a case-insensitive file system answers the same)
 * is no file: one listing per folder instead of a failed stat per probe.
 */
export const diskExists = (abs: string): boolean => {
  let v = existsCache.get(abs);
  if (v === undefined) {
    const names = listing(dirname(abs));
    if (names && !names.has(nameKey(basename(abs)))) v = false;
    else try { v = statSync(abs, { throwIfNoEntry: false })?.isFile() ?? false; } catch { v = false; }
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
    // A path that is no file is not opened (package.json looked for in every folder up to the root).
    readText: ((text) => (opts.read ? text : (abs: string) => (diskExists(abs) ? text(abs) : undefined)))(textReader(read, opts.maxFileSize)),
    exists: diskExists,
    onDisk: !opts.read,
  };
}
