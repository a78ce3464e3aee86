/** Options shared by the commands that scan (scan, baseline, fix) and their mapping to runScan. */
import type { Options } from 'yargs';
import { UsageError } from '../scan/errors.js';
import { parseShard } from '../scan/shard.js';
import type { RunScanOptions } from '../scan/run.js';
import type { Args } from './command.js';

export const SCAN_OPTIONS: Record<string, Options> = {
  rule: { type: 'string', requiresArg: true, describe: 'Run only this rule (repeatable; or comma-separated)' },
  'disable-rule': { type: 'string', requiresArg: true, describe: 'Do not run this rule (repeatable; or comma-separated)' },
  config: { alias: 'c', type: 'string', describe: 'Config file (default: sc-migrate.config.json|mjs|js or package.json "sc-migrate"); --no-config ignores config files' },
  ignore: { type: 'boolean', default: true, describe: 'Honour .gitignore, .sc-migrateignore and skip node_modules, build output and minified bundles (--no-ignore scans them)' },
  'max-file-size': { type: 'string', requiresArg: true, default: '2MB', describe: 'Skip files larger than this' },
  staged: { type: 'boolean', default: false, describe: 'Scan the content staged in the git index (staged files only)' },
  'changed-since': { type: 'string', requiresArg: true, describe: 'Report only findings on lines changed since this git ref' },
  baseline: { type: 'string', requiresArg: true, describe: 'Hide findings listed in this baseline file' },
  shard: { type: 'string', requiresArg: true, describe: 'Report on a deterministic share i/n of the files (e.g. 2/5; join with `merge`)' },
  jobs: { alias: 'j', type: 'string', requiresArg: true, describe: 'Threads for analysis (default: all cores from 3 cores up, else 1; 1 = no workers)' },
  'fail-on-skipped': { type: 'boolean', default: false, describe: 'Exit 1 when a file that mentions SoundCloud could not be checked (syntax error, invalid UTF-8, minified)' },
  'rules-module': { type: 'string', requiresArg: true, hidden: true, describe: 'Load rules from this module instead of the built-in ones' },
  verbose: { type: 'boolean', default: false, describe: 'List every skipped file' },
};

export const pathsOf = (what: string) => ({ key: 'paths', describe: `Files or folders to ${what}`, default: ['.'] });

/** `--max-file-size`: bytes, or with a unit (512KB, 2MB). */
export function parseSize(v: unknown): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(b|k|kb|kib|m|mb|mib|g|gb|gib)?\s*$/i.exec(String(v));
  if (!m) throw new UsageError(`--max-file-size: invalid size "${String(v)}" (e.g. 2MB, 512KB, 1048576)`);
  const unit = (m[2] ?? 'b').toLowerCase()[0]!;
  return Math.round(Number(m[1]) * ({ b: 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3 } as Record<string, number>)[unit]!);
}

/** A repeatable, comma-separable option as a list (undefined when absent). */
export const listOf = (v: unknown): string[] | undefined =>
  v === undefined ? undefined : (Array.isArray(v) ? v : [v]).flatMap((x) => String(x).split(',')).map((s) => s.trim()).filter(Boolean);

/** `--jobs N`: a positive integer. */
export function jobsOf(v: unknown): number | undefined {
  if (v === undefined) return undefined;
  const s = String(Array.isArray(v) ? v[v.length - 1] : v);
  const n = Number(s);
  if (!/^\s*\d+\s*$/.test(s) || !Number.isInteger(n) || n < 1) throw new UsageError(`--jobs must be a positive integer (got "${s}")`);
  return n;
}

/** A string option given twice keeps the last value. */
export const lastOf = (v: unknown): unknown => (Array.isArray(v) ? v[v.length - 1] : v);

export function toRunOptions(args: Args, cwd: string, forBaseline: boolean): RunScanOptions {
  const jobs = jobsOf(args.jobs);
  if (forBaseline && (args.baseline !== undefined || args.changedSince !== undefined)) throw new UsageError('baseline records every finding: --baseline and --changed-since do not apply');
  const paths = (args.paths as string[] | undefined) ?? ['.'];
  const only = listOf(args.rule);
  const disable = listOf(args.disableRule);
  const config = lastOf(args.config);
  const format = lastOf(args.format);
  return {
    cwd,
    paths,
    ...(args.ignore === false ? { noIgnore: true } : {}),
    maxFileSize: parseSize(lastOf(args.maxFileSize)),
    ...(config === false ? { noConfig: true } : typeof config === 'string' ? { configFile: config } : {}),
    ...(only ? { only } : {}),
    ...(disable ? { disable } : {}),
    ...(typeof args.rulesModule === 'string' ? { rulesModule: args.rulesModule } : {}),
    ...(args.staged ? { staged: true } : {}),
    ...(typeof args.changedSince === 'string' ? { changedSince: args.changedSince } : {}),
    ...(typeof args.baseline === 'string' ? { baseline: args.baseline } : {}),
    ...(jobs !== undefined ? { jobs } : {}),
    ...(typeof lastOf(args.shard) === 'string' ? { shard: parseShard(String(lastOf(args.shard))) } : {}),
    withDocs: format === 'sarif' || format === 'html',
    allRuleInfo: format === 'sarif' || format === 'markdown' || format === 'html',
  };
}
