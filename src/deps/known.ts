/**
 * What the project knows about published versions of SoundCloud wrappers (data/known-packages.json,
 * checked by test/deps): which versions `sc-migrate deps` found clean or broken, so a report can say
 * whether upgrading helps. Never a network call: the file is data shipped with the package.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '../scan/rules.js';
import { DepsError } from './errors.js';

export interface KnownVersion {
  /** No finding of the rules in this version's published code. */
  clean: boolean;
  /** Rules its code breaks (empty when clean). */
  rules: string[];
}

export interface KnownPackage {
  /** What to do instead (a person's advice), e.g. "use sc-migrate/runtime's SoundCloudClient". */
  advice?: string;
  /** What the entry is based on (e.g. `sc-migrate deps` on the packed tarball, date). */
  source: string;
  versions: Record<string, KnownVersion>;
}

export interface KnownPackages {
  version: 1;
  packages: Record<string, KnownPackage>;
}

export const KNOWN_PACKAGES_FILE = 'data/known-packages.json';

export function parseKnownPackages(text: string, source: string): KnownPackages {
  let raw: Partial<KnownPackages>;
  try { raw = JSON.parse(text) as Partial<KnownPackages>; } catch (e) { throw new DepsError(`${source}: invalid JSON: ${(e as Error).message}`); }
  if (raw.version !== 1 || !raw.packages || typeof raw.packages !== 'object') throw new DepsError(`${source}: not a known-packages file ({ "version": 1, "packages": { ... } })`);
  for (const [name, p] of Object.entries(raw.packages)) {
    if (typeof p?.source !== 'string' || !p.versions || typeof p.versions !== 'object') throw new DepsError(`${source}: ${name}: needs "source" and "versions"`);
    for (const [v, k] of Object.entries(p.versions)) {
      if (!parseVersion(v)) throw new DepsError(`${source}: ${name}: "${v}" is not a version`);
      if (typeof k?.clean !== 'boolean' || !Array.isArray(k.rules) || k.clean !== (k.rules.length === 0)) throw new DepsError(`${source}: ${name}@${v}: "clean" must be true exactly when "rules" is empty`);
    }
  }
  return raw as KnownPackages;
}

/** The shipped data, plus extra files (an organisation's own list) whose entries win. */
export function loadKnownPackages(extra: string[] = []): KnownPackages {
  const files = [join(packageRoot(), KNOWN_PACKAGES_FILE), ...extra];
  const out: KnownPackages = { version: 1, packages: {} };
  files.forEach((f, i) => {
    let text: string;
    try { text = readFileSync(f, 'utf8'); } catch (e) { if (i === 0) return; throw new DepsError(`cannot read ${f}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`); }
    for (const [name, p] of Object.entries(parseKnownPackages(text, f).packages)) {
      const prev = out.packages[name];
      out.packages[name] = prev ? { ...prev, ...p, versions: { ...prev.versions, ...p.versions } } : p;
    }
  });
  return out;
}

/** `1.2.3`, `1.2.3-beta.1`: numbers and pre-release; undefined for anything else. */
export function parseVersion(v: string): { nums: number[]; pre: string } | undefined {
  const m = /^v?(\d+)\.(\d+)\.(\d+)(?:-([0-9A-Za-z.-]+))?(?:\+[0-9A-Za-z.-]+)?$/.exec(v.trim());
  return m ? { nums: [Number(m[1]), Number(m[2]), Number(m[3])], pre: m[4] ?? '' } : undefined;
}

export function compareVersions(a: string, b: string): number {
  const x = parseVersion(a);
  const y = parseVersion(b);
  if (!x || !y) return a.localeCompare(b);
  for (let i = 0; i < 3; i++) if (x.nums[i] !== y.nums[i]) return x.nums[i]! - y.nums[i]!;
  if (x.pre === y.pre) return 0;
  if (!x.pre) return 1; // 1.0.0 > 1.0.0-beta
  if (!y.pre) return -1;
  return x.pre.localeCompare(y.pre, 'en', { numeric: true });
}

export type Upgrade =
  | { status: 'clean-version'; version: string; advice?: string }
  | { status: 'none-known-clean'; latestChecked: string; advice?: string }
  | { status: 'unknown' };

/** Whether a version newer than `version` is known to be clean (the oldest such), or what is known. */
export function upgradeFor(known: KnownPackages, name: string, version: string): Upgrade {
  const p = known.packages[name];
  if (!p) return { status: 'unknown' };
  const advice = p.advice ? { advice: p.advice } : {};
  const newer = Object.keys(p.versions).filter((v) => compareVersions(v, version) > 0 && !parseVersion(v)!.pre).sort(compareVersions);
  const clean = newer.find((v) => p.versions[v]!.clean);
  if (clean) return { status: 'clean-version', version: clean, ...advice };
  const latest = Object.keys(p.versions).sort(compareVersions).pop();
  return latest ? { status: 'none-known-clean', latestChecked: latest, ...advice } : { status: 'unknown' };
}
