/**
 * `--shard i/n`: a deterministic i-th of n of the files, by a stable hash of the path relative to
 * the project root. A file's shard depends on its own path only, so adding or removing files never
 * moves the others (unlike sorting and slicing). Only the files reported on are sharded: every
 * shard still reads the whole tree's text gate and project facts (imports across files,
 * project-level rules such as require-token-refresh), so the union of the shards is the full scan.
 */
import { createHash } from 'node:crypto';
import { UsageError } from './errors.js';

export interface Shard {
  /** 1-based. */
  index: number;
  count: number;
}

/** Parses `2/5` (1-based, like Jest and Playwright). */
export function parseShard(spec: string): Shard {
  const m = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(spec);
  const index = m ? Number(m[1]) : NaN;
  const count = m ? Number(m[2]) : NaN;
  if (!m || !Number.isSafeInteger(count) || count < 1 || index < 1 || index > count) {
    throw new UsageError(`--shard: expected i/n with 1 <= i <= n (e.g. 2/5), got "${spec}"`);
  }
  return { index, count };
}

/** The 1-based shard of a `/`-separated path relative to the project root (first 8 bytes of SHA-1). */
export function shardOf(repoPath: string, count: number): number {
  if (count <= 1) return 1;
  const h = createHash('sha1').update(repoPath.replace(/\\/g, '/')).digest();
  return Number(h.readBigUInt64BE(0) % BigInt(count)) + 1;
}

export const inShard = (repoPath: string, shard: Shard | undefined): boolean => !shard || shardOf(repoPath, shard.count) === shard.index;

export const formatShard = (s: Shard): string => `${s.index}/${s.count}`;
