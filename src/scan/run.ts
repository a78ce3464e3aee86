/**
 * One call for a whole scan as the CLI runs it: config, rules, file source (working tree or git
 * index), scan, `--changed-since` and `--baseline` filters. `fix` and the Action reuse it.
 */
import { resolve } from 'node:path';
import type { ScRule, Severity } from '../engine/types.js';
import { loadConfig, type LoadedConfig } from './config.js';
import { findRepoRoot } from './discover.js';
import { DEFAULT_MAX_FILE_SIZE, type ReadBuffer } from './read.js';
import { loadRules, selectRules } from './rules.js';
import { scanFiles, withFindings, type ScanFilesOptions } from './scan.js';
import { createDiskSource } from './source.js';
import type { ScanResult } from './types.js';
import type { Shard } from './shard.js';
import { applyBaseline, readBaseline, type Baseline } from '../git/baseline.js';
import { changedLinesSince, touchesChanged } from '../git/changed.js';
import { git, GitError, requireTopLevel } from '../git/git.js';
import { createStagedSource } from '../git/staged.js';

export interface RunScanOptions {
  cwd: string;
  paths?: string[];
  noIgnore?: boolean;
  maxFileSize?: number;
  /** A loaded config; else found from cwd (or `configFile`, or none with `noConfig`). */
  config?: LoadedConfig;
  configFile?: string;
  noConfig?: boolean;
  /** `--rule` */
  only?: string[];
  /** `--disable-rule` */
  disable?: string[];
  /** Rule objects to use instead of the built-in ones (no worker threads then, unless rulesModule is set too). */
  rules?: ScRule[];
  /** `--rules-module`: load rules from this module (workers load it too). */
  rulesModule?: string;
  /** `--staged`: scan the git index (staged files only). */
  staged?: boolean;
  /** `--changed-since REF`: keep findings on lines changed since REF. */
  changedSince?: string;
  /** `--baseline FILE` (or a parsed baseline): hide what it lists. */
  baseline?: string | Baseline;
  jobs?: number;
  workerThreshold?: number;
  withDocs?: boolean;
  /** Load every enabled rule's metadata even when nothing is analysed (SARIF, markdown). */
  allRuleInfo?: boolean;
  /** `--shard i/n`: report on a deterministic share of the files (src/scan/shard.ts). */
  shard?: Shard;
  /** Injected reader for tests (disk source only). */
  read?: ReadBuffer;
  /** Findings keep their node and parse (`handle`), in this process (no worker threads): for `fix`. */
  keepNodes?: boolean;
  /** Progress of reading and analysis (the CLI's progress line). */
  progress?: ScanFilesOptions['progress'];
}

/** The scan's result, its config, and the enabled rule objects when they were loaded (for `fix`: no second load). */
export async function runScan(opts: RunScanOptions): Promise<ScanResult & { config: LoadedConfig; ruleObjects?: readonly ScRule[] }> {
  const cwd = resolve(opts.cwd);
  const config = opts.config ?? (await loadConfig({ cwd, ...(opts.configFile ? { configFile: opts.configFile } : {}), ...(opts.noConfig ? { noConfig: true } : {}) }));
  const select = (all: readonly ScRule[]) => selectRules(all, {
    ...(opts.only ? { only: opts.only } : {}),
    ...(opts.disable ? { disable: opts.disable } : {}),
    config: config.config,
    ...(config.path ? { configPath: config.path } : {}),
  });
  // Rule ids to validate, or reporters that list every rule: load the rules now. Else only when
  // a file names SoundCloud (loading rules loads the parser).
  const eager = !!(opts.rules || opts.only?.length || opts.disable?.length || Object.keys(config.config.rules).length || opts.withDocs || opts.allRuleInfo);
  let severities: Record<string, Severity> = {};
  let rules: readonly ScRule[] | (() => Promise<readonly ScRule[]>);
  let loaded: readonly ScRule[] | undefined;
  if (eager) {
    const sel = select(opts.rules ?? (await loadRules(opts.rulesModule, cwd)));
    rules = loaded = sel.rules;
    severities = sel.severities;
  } else {
    rules = async () => {
      const sel = select(await loadRules(opts.rulesModule, cwd));
      Object.assign(severities, sel.severities);
      return (loaded = sel.rules);
    };
  }
  const baseline = typeof opts.baseline === 'string' ? readBaseline(resolve(cwd, opts.baseline)) : opts.baseline;
  const maxFileSize = opts.maxFileSize ?? DEFAULT_MAX_FILE_SIZE;
  const gitNeeded = opts.staged || opts.changedSince !== undefined;
  const root = gitNeeded ? requireTopLevel(cwd, opts.staged ? '--staged' : '--changed-since') : (findRepoRoot(cwd) ?? cwd);
  const common = { cwd, ...(opts.paths ? { paths: opts.paths } : {}), ...(opts.noIgnore ? { noIgnore: true } : {}), ignore: config.config.ignore, ignoreBase: config.dir };
  const source = opts.staged
    ? createStagedSource({ ...common, root, maxFileSize })
    : createDiskSource({ ...common, root, maxFileSize, ...(opts.read ? { read: opts.read } : {}) });
  // Only the changed lines matter: compute them before the scan so a bad REF fails fast.
  const changed = opts.changedSince !== undefined ? (checkRef(root, opts.changedSince), changedLinesSince(root, opts.changedSince, { staged: !!opts.staged })) : undefined;
  let result = await scanFiles({
    cwd, root, source, rules, severities, maxFileSize,
    ...(opts.noIgnore ? { noIgnore: true } : {}),
    ...(opts.jobs !== undefined ? { jobs: opts.jobs } : {}),
    ...(opts.workerThreshold !== undefined ? { workerThreshold: opts.workerThreshold } : {}),
    rulesModule: opts.rulesModule ?? (opts.rules ? null : undefined),
    ...(opts.withDocs ? { withDocs: true } : {}),
    ...(opts.keepNodes ? { keepNodes: true } : {}),
    ...(opts.progress ? { progress: opts.progress } : {}),
    ...(opts.shard ? { shard: opts.shard } : {}),
  });
  if (changed) {
    const kept = result.findings.filter((f) => touchesChanged(changed, f.repoPath, f.line, f.endLine));
    result = withFindings(result, kept, { unchanged: result.findings.length - kept.length });
  }
  if (baseline) {
    const { kept, hidden } = applyBaseline(result.findings, baseline);
    result = withFindings(result, kept, { baselined: hidden.length });
  }
  return { ...result, config, ...(loaded ? { ruleObjects: loaded } : {}) };
}

/** `--changed-since REF`: a ref that names no commit is a clear error (which ref, and why). */
function checkRef(root: string, ref: string): void {
  if (!ref.trim()) throw new GitError('--changed-since: empty git ref (give a branch, tag or commit, e.g. origin/main)');
  try {
    git(root, ['rev-parse', '--verify', '--quiet', `${ref}^{commit}`]);
  } catch {
    let shallow = false;
    try { shallow = git(root, ['rev-parse', '--is-shallow-repository']).toString().trim() === 'true'; } catch { /* old git */ }
    const why = shallow
      ? 'it names no commit in this shallow clone (fetch it first, e.g. `git fetch origin <branch>`, or clone with fetch-depth: 0)'
      : /^origin\//.test(ref) ? 'no such remote branch here (fetch it first: `git fetch origin`)' : 'no branch, tag or commit of that name in this repository';
    throw new GitError(`--changed-since: unknown git ref "${ref}": ${why}`);
  }
}
