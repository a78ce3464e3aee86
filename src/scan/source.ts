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

const nameKey = (name: string) => name.normalize('NFC').toLowerCase();
const NONE: ReadonlySet<string> = new Set();

/**
 * Whether a regular file exists, cached for the life of the returned function (one scan: files
 * written later are seen by the next scan). Import resolution probes many extensions per import:
 * a name its folder's listing lacks (folded, so a case-insensitive file system answers the same)
 * is no file, so one listing per folder replaces a failed stat per probe.
 */
export function createDiskExists(): (abs: string) => boolean {
  const existsCache = new Map<string, boolean>();
  /** Names in a folder (case- and normalisation-folded), or null when it cannot be listed. */
  const listings = new Map<string, ReadonlySet<string> | null>();
  const listing = (dir: string): ReadonlySet<string> | null => {
    let l = listings.get(dir);
    if (l === undefined) {
      // A folder its parent's listing lacks has nothing in it (probes of `<import>/index.ts` where
      // `<import>` is a file or nothing): no readdir to fail.
      const up = dirname(dir);
      const parent = up === dir ? null : listing(up);
      if (parent && !parent.has(nameKey(basename(dir)))) l = NONE;
      else try { l = new Set(readdirSync(dir).map(nameKey)); } catch { l = null; }
      if (listings.size > 20_000) listings.clear();
      listings.set(dir, l);
    }
    return l;
  };
  return (abs) => {
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
}

/** One for a process that runs one scan (a worker thread). */
export const diskExists = createDiskExists();

export interface DiskSourceOptions extends DiscoverOptions {
  maxFileSize: number;
  /** Injected reader (tests simulate EACCES and friends); default reads the disk. */
  read?: ReadBuffer;
}

export function createDiskSource(opts: DiskSourceOptions): FileSource {
  const read = opts.read ?? readFromDisk;
  const exists = createDiskExists();
  return {
    list: () => discoverFiles(opts),
    read,
    // A path that is no file is not opened (package.json looked for in every folder up to the root).
    readText: ((text) => (opts.read ? text : (abs: string) => (exists(abs) ? text(abs) : undefined)))(textReader(read, opts.maxFileSize)),
    exists,
    onDisk: !opts.read,
  };
}
