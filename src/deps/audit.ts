/**
 * `sc-migrate deps`: like `npm audit`, for SoundCloud's API changes. Reads the lockfile and the
 * installed node_modules, picks the packages whose code names SoundCloud (the scan's text
 * prefilter), scans each one as a project of its own (dist and minified code included: that is
 * what the app runs), and reports per package and version which rules its code breaks, the
 * dependency paths from the app, files and lines, and whether a newer version is known to be clean.
 */
import { readFileSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { mentionsSoundCloud } from '../engine/prefilter.js';
import type { ScRule, Severity } from '../engine/types.js';
import { scanFiles } from '../scan/scan.js';
import { createDiskSource } from '../scan/source.js';
import { loadRules, ruleInfo } from '../scan/rules.js';
import { toPosixRelative } from '../scan/paths.js';
import type { RuleInfo, ScanFinding, SkippedFile } from '../scan/types.js';
import { dependencyPaths, findLockDir, readLockfile, type DepGraph, type DepNode, type LockfileKind } from './lockfile.js';
import { listInstalled, packageFiles, type InstalledPackage } from './installed.js';
import { DepsError } from './errors.js';
import { loadKnownPackages, upgradeFor, type KnownPackages, type Upgrade } from './known.js';

/** Dependencies ship bundles: a larger cap than `scan`'s 2 MB. */
export const DEPS_MAX_FILE_SIZE = 8 * 1024 * 1024;

export interface DepsPackage {
  name: string;
  version: string;
  /** Where the app sees it, relative to the app folder. */
  dir: string;
  /** A direct dependency of the app. */
  direct: boolean;
  /** Shortest dependency paths from the app (`app`, `a@1.0.0`, `b@2.0.0`); empty when the lockfile does not list it. */
  paths: string[][];
  inLockfile: boolean;
  /** Code files scanned (all of the package's code files). */
  files: number;
  /** Findings; `file` and `repoPath` relative to the app folder. */
  findings: ScanFinding[];
  errors: number;
  warnings: number;
  skipped: SkippedFile[];
  upgrade: Upgrade;
}

export interface DepsReport {
  appDir: string;
  lockfile: { kind: LockfileKind; file: string };
  /** Installed packages found under node_modules. */
  installed: number;
  /** Packages whose code names SoundCloud (scanned). */
  scanned: number;
  /** Scanned packages, with findings first (most errors first), then clean ones by name. */
  packages: DepsPackage[];
  rules: RuleInfo[];
  /** Lockfile entries not installed, installed packages the lockfile does not list, parse notes. */
  warnings: string[];
  stats: { packages: number; findings: number; errors: number; warnings: number; durationMs: number };
}

export interface DepsOptions {
  appDir: string;
  /** A lockfile to use (relative to appDir) instead of the first one found. */
  lockfile?: string;
  /** Extra known-packages files (an organisation's list); the shipped data is always read. */
  knownPackages?: string[] | KnownPackages;
  rules?: readonly ScRule[];
  jobs?: number;
  withDocs?: boolean;
  /** Skip packages that only devDependencies bring in (default: include them, like npm audit). */
  production?: boolean;
}

export { DepsError };

function namesSoundCloud(files: readonly string[]): boolean {
  for (const f of files) {
    try {
      if (statSync(f).size > DEPS_MAX_FILE_SIZE) continue;
      if (mentionsSoundCloud(readFileSync(f).toString('latin1'))) return true;
    } catch { /* unreadable: the scan reports it if the package is scanned */ }
  }
  return false;
}

/** The lockfile node of an installed package: by install path (npm), else by name and version. */
function matcher(g: DepGraph): (p: InstalledPackage) => DepNode | undefined {
  if (g.kind === 'package-lock' || g.kind === 'npm-shrinkwrap') return (p) => g.nodes.get(p.relDir);
  const byNameVersion = new Map<string, DepNode>();
  for (const n of g.nodes.values()) if (!byNameVersion.has(`${n.name}@${n.version}`)) byNameVersion.set(`${n.name}@${n.version}`, n);
  return (p) => byNameVersion.get(`${p.name}@${p.version}`);
}

export async function auditDeps(opts: DepsOptions): Promise<DepsReport> {
  const started = performance.now();
  // In a workspace the lockfile and node_modules sit at the workspace root.
  const appDir = opts.lockfile ? resolve(opts.appDir) : (findLockDir(resolve(opts.appDir)) ?? resolve(opts.appDir));
  const graph = readLockfile(appDir, opts.lockfile);
  const installed = listInstalled(appDir);
  if (!installed.length) throw new DepsError(`no installed packages under ${toPosixRelative(process.cwd(), appDir) || '.'}/node_modules: run your package manager's install first${graph.kind === 'yarn-berry' ? ' (yarn berry: `nodeLinker: node-modules`; Plug\'n\'Play installs are not read)' : ''}`);
  const known = Array.isArray(opts.knownPackages) || !opts.knownPackages ? loadKnownPackages(opts.knownPackages as string[] | undefined) : opts.knownPackages;
  const nodeOf = matcher(graph);
  const paths = dependencyPaths(graph);
  const roots = new Set(graph.roots);
  const warnings = [...graph.warnings];
  let rules: readonly ScRule[] | undefined = opts.rules;
  const packages: DepsPackage[] = [];
  let scanned = 0;
  for (const pkg of installed) {
    const node = nodeOf(pkg);
    if (opts.production && node?.dev) continue;
    const files = packageFiles(pkg.dir);
    if (!files.length || !namesSoundCloud(files)) continue;
    scanned++;
    rules ??= await loadRules();
    const source = createDiskSource({ cwd: pkg.dir, root: pkg.dir, paths: ['.'], noIgnore: true, maxFileSize: DEPS_MAX_FILE_SIZE });
    const result = await scanFiles({
      cwd: pkg.dir, root: pkg.dir, source, rules, noIgnore: true, maxFileSize: DEPS_MAX_FILE_SIZE,
      files: files.map((p) => ({ path: p, file: toPosixRelative(pkg.dir, p), explicit: false })),
      ...(opts.jobs !== undefined ? { jobs: opts.jobs } : {}),
      rulesModule: opts.rules ? null : undefined,
    });
    const inApp = (rel: string) => `${pkg.relDir}/${rel}`;
    const findings = result.findings.map((f) => ({ ...f, file: inApp(f.repoPath), repoPath: inApp(f.repoPath) }));
    packages.push({
      name: pkg.name,
      version: pkg.version,
      dir: pkg.relDir,
      direct: !!node && roots.has(node.id),
      paths: node ? (paths.get(node.id) ?? []) : [],
      inLockfile: !!node,
      files: files.length,
      findings,
      errors: findings.filter((f) => f.severity === 'error').length,
      warnings: findings.filter((f) => f.severity === 'warning').length,
      skipped: result.skipped.map((s) => ({ file: inApp(s.file), reason: s.reason })),
      upgrade: upgradeFor(known, pkg.name, pkg.version),
    });
    if (!node) warnings.push(`${pkg.relDir} (${pkg.name}@${pkg.version}) is installed but ${graph.file} does not list it: reinstall from the lockfile`);
  }
  packages.sort((a, b) => b.errors - a.errors || b.warnings - a.warnings || a.name.localeCompare(b.name) || a.dir.localeCompare(b.dir));
  const all = packages.flatMap((p) => p.findings);
  const severities: Record<string, Severity> = {};
  return {
    appDir,
    lockfile: { kind: graph.kind, file: graph.file },
    installed: installed.length,
    scanned,
    packages,
    rules: (rules ?? (await loadRules())).map((r) => ruleInfo(r, severities, opts.withDocs)),
    warnings,
    stats: {
      packages: packages.filter((p) => p.findings.length).length,
      findings: all.length,
      errors: all.filter((f) => f.severity === 'error').length,
      warnings: all.filter((f) => f.severity === 'warning').length,
      durationMs: performance.now() - started,
    },
  };
}
