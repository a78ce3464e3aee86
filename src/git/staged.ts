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
  for (const o of catFile(root, [...new Set(oids)])) if (o?.type === 'blob') out.set(o.oid, o.data);
  return out;
}

export interface CatFileObject { oid: string; type: string; data: Buffer }

/**
 * One `git cat-file --batch` for object names (ids, or `:<stage>:<path>` for an index entry), the
 * answers in the order asked (undefined: missing). Names holding a line break cannot be asked.
 */
export function catFile(root: string, names: readonly string[]): (CatFileObject | undefined)[] {
  if (!names.length) return [];
  const buf = git(root, ['cat-file', '--batch'], names.join('\n') + '\n');
  const out: (CatFileObject | undefined)[] = [];
  let at = 0;
  while (at < buf.length && out.length < names.length) {
    const nl = buf.indexOf(10, at);
    if (nl === -1) break;
    const header = buf.subarray(at, nl).toString('utf8');
    at = nl + 1;
    // "<oid> <type> <size>" and the content, else "<name> missing" (or "ambiguous"; a path may hold spaces)
    const m = /^([0-9a-f]{40,64}) ([a-z]+) (\d+)$/.exec(header);
    if (!m) { out.push(undefined); continue; }
    const size = Number(m[3]);
    out.push({ oid: m[1]!, type: m[2]!, data: buf.subarray(at, at + size) });
    at += size + 1;
  }
  return out;
}

/**
 * The package.json files the analysis of staged files reads (the nearest one of each file's
 * folder, src/engine/analysis/browser.ts): every folder from a staged file's up to the top level.
 */
function packageJsonPaths(rels: readonly string[]): string[] {
  const out = new Set<string>();
  for (const rel of rels) {
    for (let cut = rel.lastIndexOf('/'); ; cut = rel.lastIndexOf('/', cut - 1)) {
      const p = cut < 0 ? 'package.json' : rel.slice(0, cut) + '/package.json';
      if (out.has(p)) break; // (its parents are in already)
      out.add(p);
      if (cut < 0) break;
    }
  }
  return [...out];
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
  // package.json files read with the staged blobs (list()): a regular file's bytes, or null when
  // the path is not in the index; a path not in here is looked up in the index as before.
  const prefetched = new Map<string, Buffer | null>();
  const blob = (abs: string): Buffer | undefined => {
    const rel = toPosixRelative(opts.root, abs);
    const pre = prefetched.get(rel);
    if (pre !== undefined) return pre ?? undefined;
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
    exists: (abs) => {
      const rel = toPosixRelative(opts.root, abs);
      const pre = prefetched.get(rel);
      return pre !== undefined ? pre !== null : entryOf(rel)?.mode.startsWith('100') ?? false;
    },
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
      // One cat-file for every staged blob, and for the package.json files their analysis reads
      // (without it, a second cat-file, and a listing of the whole index for one not staged).
      // Staged ones come by object id (their mode is known); the others as index entries
      // (`:<stage>:<path>`, the stage the index listing would pick: 0, else the lowest). Such a
      // name gives no mode: a blob whose text does not open a JSON object might be a symlink
      // (mode 120000, not read), so its path is left to the index lookup.
      const pkgs = wanted.length ? packageJsonPaths(wanted.map((w) => toPosixRelative(opts.root, w.abs))).filter((p) => !p.includes('\n')) : [];
      const names = [...new Set(wanted.map((w) => w.entry.oid))];
      const byOid = new Set(names);
      const asked: string[] = [];
      for (const p of pkgs) {
        const e = staged.get(p);
        if (e === undefined) asked.push(p);
        else if (e.mode.startsWith('100') && !byOid.has(e.oid)) { byOid.add(e.oid); names.push(e.oid); }
      }
      for (const p of asked) names.push(`:0:${p}`, `:1:${p}`, `:2:${p}`, `:3:${p}`); // (last: read back by position)
      const got = catFile(opts.root, names);
      for (let i = 0; i < names.length; i++) {
        const o = got[i];
        if (o?.type === 'blob' && !names[i]!.startsWith(':')) blobCache.set(o.oid, o.data);
      }
      const first = names.length - asked.length * 4;
      asked.forEach((p, k) => {
        const stages = got.slice(first + 4 * k, first + 4 * k + 4);
        const o = stages.find((x) => x !== undefined);
        if (o === undefined) prefetched.set(p, null); // in no stage of the index
        else if (o.type === 'blob' && /^(?:\uFEFF)?\s*\{/.test(o.data.toString('utf8', 0, Math.min(o.data.length, 256)))) prefetched.set(p, o.data);
      });
      return { files, skipped };
    },
  };
}
