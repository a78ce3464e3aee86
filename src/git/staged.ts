/**
 * `--staged`: the files added, copied, modified or renamed in the index, read from the index
 * (never the working tree), with the project context also reading other files from the index.
 */
import { join, resolve } from 'node:path';
import { discoverFilter } from '../scan/filter.js';
import { isInside, toPosixRelative } from '../scan/paths.js';
import { tooLargeReason, contentProblem, decodeUtf8, type ReadBuffer } from '../scan/read.js';
import type { FileSource } from '../scan/source.js';
import type { SkippedFile } from '../scan/types.js';
import type { DiscoveredFile } from '../scan/discover.js';
import { languageOf } from '../engine/languages.js';
import { git } from './git.js';

export interface IndexEntry { mode: string; oid: string }

/**
 * The files staged for commit (added, copied, modified, renamed), in git's order: repo-relative
 * path -> mode and object id in the index (one `git diff --cached --raw`, no listing of the whole index).
 */
export function stagedEntries(root: string): Map<string, IndexEntry> {
  const out = new Map<string, IndexEntry>();
  const parts = git(root, ['diff', '--cached', '--raw', '-z', '--no-abbrev', '--diff-filter=ACMR']).toString('utf8').split('\0');
  for (let i = 0; i < parts.length;) {
    const head = parts[i++]!;
    if (!head.startsWith(':')) continue;
    // ":<old mode> <new mode> <old oid> <new oid> <status>", then the path (two for a rename or copy: old, new)
    const [, mode, , oid, status] = head.slice(1).split(' ');
    const first = parts[i++];
    const path = status?.startsWith('R') || status?.startsWith('C') ? parts[i++] : first;
    if (path && mode && oid) out.set(path, { mode, oid });
  }
  return out;
}

/** Every stage-0 entry of the index, by repo-relative path. */
export function indexEntries(root: string): Map<string, IndexEntry> {
  const out = new Map<string, IndexEntry>();
  for (const rec of git(root, ['ls-files', '--stage', '-z']).toString('utf8').split('\0')) {
    if (!rec) continue;
    const tab = rec.indexOf('\t');
    const [mode, oid, stage] = rec.slice(0, tab).split(' ');
    if (stage !== '0' && out.has(rec.slice(tab + 1))) continue;
    out.set(rec.slice(tab + 1), { mode: mode!, oid: oid! });
  }
  return out;
}

/** Reads blobs by object id with one `git cat-file --batch`. */
export function readBlobs(root: string, oids: readonly string[]): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  const unique = [...new Set(oids)];
  if (!unique.length) return out;
  const buf = git(root, ['cat-file', '--batch'], unique.join('\n') + '\n');
  let at = 0;
  while (at < buf.length) {
    const nl = buf.indexOf(10, at);
    if (nl === -1) break;
    const header = buf.subarray(at, nl).toString('utf8').split(' ');
    at = nl + 1;
    if (header[1] === 'missing') continue;
    const size = Number(header[2]);
    out.set(header[0]!, buf.subarray(at, at + size));
    at += size + 1;
  }
  return out;
}

export interface StagedSourceOptions {
  cwd: string;
  root: string;
  /** Limit to these paths (files or folders, cwd-relative). */
  paths?: string[];
  noIgnore?: boolean;
  ignore?: string[];
  ignoreBase?: string;
  maxFileSize: number;
}

export function createStagedSource(opts: StagedSourceOptions): FileSource {
  const cwd = resolve(opts.cwd);
  // The staged files' entries come with the list; the whole index only when another file is
  // looked up (an import of a staged file): most pre-commit runs never list it.
  let staged: Map<string, IndexEntry> | undefined;
  let index: Map<string, IndexEntry> | undefined;
  const entryOf = (rel: string): IndexEntry | undefined => (staged ??= stagedEntries(opts.root)).get(rel) ?? (index ??= indexEntries(opts.root)).get(rel);
  const blobCache = new Map<string, Buffer>();
  const blob = (abs: string): Buffer | undefined => {
    const rel = toPosixRelative(opts.root, abs);
    const e = entryOf(rel);
    if (!e || !e.mode.startsWith('100')) return undefined;
    if (!blobCache.has(e.oid)) for (const [k, v] of readBlobs(opts.root, [e.oid])) blobCache.set(k, v);
    return blobCache.get(e.oid);
  };
  const read: ReadBuffer = (abs, max) => {
    const b = blob(abs);
    if (!b) return { ok: false, reason: 'not in the index' };
    if (b.length > max) return { ok: false, reason: tooLargeReason(b.length, max) };
    return { ok: true, buf: b };
  };
  return {
    onDisk: false,
    read,
    exists: (abs) => entryOf(toPosixRelative(opts.root, abs))?.mode.startsWith('100') ?? false,
    readText: (abs) => {
      const r = read(abs, opts.maxFileSize);
      if (!r.ok || contentProblem(r.buf, opts.maxFileSize)) return undefined;
      return decodeUtf8(r.buf);
    },
    list() {
      staged ??= stagedEntries(opts.root);
      const limits = (opts.paths?.length ? opts.paths : ['.']).map((p) => resolve(cwd, p));
      const filter = discoverFilter({ root: opts.root, cwd, noIgnore: opts.noIgnore, ignore: opts.ignore, ignoreBase: opts.ignoreBase });
      const files: DiscoveredFile[] = [];
      const skipped: SkippedFile[] = [];
      const wanted: { abs: string; entry: IndexEntry }[] = [];
      for (const [rel, entry] of staged) {
        const abs = join(opts.root, rel);
        if (!limits.some((l) => isInside(l, abs))) continue;
        if (!languageOf(rel)) continue;
        const verdict = filter(abs);
        if (verdict === 'ignored') continue;
        const file = toPosixRelative(cwd, abs);
        if (verdict) { skipped.push({ file, reason: verdict }); continue; }
        if (entry.mode === '120000') { skipped.push({ file, reason: 'symlink (not followed in the index)' }); continue; }
        if (entry.mode === '160000') continue;
        wanted.push({ abs, entry });
        files.push({ path: abs, file, explicit: false });
      }
      // One cat-file for every staged blob.
      for (const [k, v] of readBlobs(opts.root, wanted.map((w) => w.entry.oid))) blobCache.set(k, v);
      return { files, skipped };
    },
  };
}
