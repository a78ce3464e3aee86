/**
 * The `sc-migrate` command line. `main(argv)` returns the exit code:
 *   0 clean (or findings below --fail-on), 1 findings at or above --fail-on, 2 usage/config/internal error.
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { helpText as renderHelp, parseArgs, type CommandSpec, type OptionSpec } from './args.js';
import { ConfigError, UsageError } from '../scan/errors.js';
import { PathError } from '../scan/discover.js';
import { writeFileAtomic } from '../scan/output.js';
import { loadRules, packageRoot, ruleInfo } from '../scan/rules.js';
import { runScan, type RunScanOptions } from '../scan/run.js';
import type { ScanResult } from '../scan/types.js';
import { FORMATS, formatResult, type Format } from '../report/index.js';
import { BASELINE_FILE, createBaseline } from '../git/baseline.js';
import { GitError } from '../git/git.js';
import { parseShard } from '../scan/shard.js';
import { DEPS_FORMATS, formatDeps, type DepsFormat } from '../deps/report.js';

export interface MainIO {
  cwd?: string;
  env?: Record<string, string | undefined>;
  stdout?: { write(s: string): unknown; isTTY?: boolean };
  stderr?: { write(s: string): unknown; isTTY?: boolean };
}

export const FAIL_ON = ['error', 'warning', 'none'] as const;
export type FailOn = (typeof FAIL_ON)[number];

/** Exit code for a result: 1 when a finding is at or above `failOn`. */
export function exitCodeFor(result: { stats: Pick<ScanResult['stats'], 'errors' | 'warnings'> }, failOn: FailOn): 0 | 1 {
  if (failOn === 'none') return 0;
  if (result.stats.errors > 0) return 1;
  return failOn === 'warning' && result.stats.warnings > 0 ? 1 : 0;
}

export function version(): string {
  try { return (JSON.parse(readFileSync(join(packageRoot(), 'package.json'), 'utf8')) as { version: string }).version; } catch { return '0.0.0'; }
}

/** `--max-file-size`: bytes, or with a unit (512KB, 2MB). */
export function parseSize(v: unknown): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(b|k|kb|kib|m|mb|mib|g|gb|gib)?\s*$/i.exec(String(v));
  if (!m) throw new UsageError(`--max-file-size: invalid size "${String(v)}" (e.g. 2MB, 512KB, 1048576)`);
  const unit = (m[2] ?? 'b').toLowerCase()[0]!;
  return Math.round(Number(m[1]) * ({ b: 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3 } as Record<string, number>)[unit]!);
}

const SCAN_OPTIONS: Record<string, OptionSpec> = {
  rule: { type: 'string', array: true, describe: 'Run only this rule (repeatable; or comma-separated)' },
  'disable-rule': { type: 'string', array: true, describe: 'Do not run this rule (repeatable; or comma-separated)' },
  config: { alias: 'c', type: 'string', negatable: true, describe: 'Config file (default: sc-migrate.config.json|mjs|js or package.json "sc-migrate"); --no-config ignores config files' },
  ignore: { type: 'boolean', default: true, describe: 'Honour .gitignore, .sc-migrateignore and skip node_modules, build output and minified bundles (--no-ignore scans them)' },
  'max-file-size': { type: 'string', default: '2MB', describe: 'Skip files larger than this' },
  staged: { type: 'boolean', default: false, describe: 'Scan the content staged in the git index (staged files only)' },
  'changed-since': { type: 'string', describe: 'Report only findings on lines changed since this git ref' },
  baseline: { type: 'string', describe: 'Hide findings listed in this baseline file' },
  shard: { type: 'string', describe: 'Report on a deterministic share i/n of the files (e.g. 2/5; join with `merge`)' },
  jobs: { alias: 'j', type: 'number', describe: 'Threads for analysis (default: all cores from 3 cores up, else 1; 1 = no workers)' },
  'rules-module': { type: 'string', hidden: true, describe: 'Load rules from this module instead of the built-in ones' },
  verbose: { type: 'boolean', default: false, describe: 'List every skipped file' },
};
const PATHS = (what: string) => ({ key: 'paths', describe: `Files or folders to ${what}`, default: ['.'] });

export const COMMANDS: CommandSpec[] = [
  {
    name: 'scan', positional: PATHS('scan'), describe: 'Find code broken by SoundCloud API security changes',
    options: {
      ...SCAN_OPTIONS,
      format: { alias: 'f', type: 'string', choices: FORMATS, default: 'pretty', describe: 'Output format' },
      output: { alias: 'o', type: 'string', describe: 'Write the report to this file (atomically)' },
      'fail-on': { type: 'string', choices: FAIL_ON, default: 'error', describe: 'Lowest severity that makes the exit code 1 (none: always 0)' },
      fail: { type: 'boolean', default: true, hidden: true, describe: '--no-fail: same as --fail-on none' },
      color: { type: 'boolean', describe: 'Colours in pretty output (default: when stdout is a TTY and NO_COLOR is unset)' },
    },
    examples: [['$0 scan', 'Scan the current folder'], ['$0 scan src --format sarif -o sc.sarif', 'SARIF for code scanning'], ['$0 scan --staged', 'Pre-commit: check what is about to be committed']],
  },
  {
    name: 'baseline', positional: PATHS('scan'), describe: `Record current findings in a baseline file (default ${BASELINE_FILE}) for --baseline`,
    options: { ...SCAN_OPTIONS, output: { alias: 'o', type: 'string', default: BASELINE_FILE, describe: 'Baseline file to write' } },
  },
  {
    name: 'merge', positional: { key: 'reports', describe: 'JSON reports (scan -f json, e.g. of --shard jobs) or baseline files', default: [] }, describe: 'Merge the JSON reports of sharded scans into one report',
    options: {
      format: { alias: 'f', type: 'string', choices: [...FORMATS, 'baseline'], default: 'pretty', describe: 'Output format (baseline: a merged baseline file)' },
      output: { alias: 'o', type: 'string', describe: 'Write the report to this file (atomically)' },
      'fail-on': { type: 'string', choices: FAIL_ON, default: 'error', describe: 'Lowest severity that makes the exit code 1 (none: always 0)' },
      color: { type: 'boolean', describe: 'Colours in pretty output' },
    },
    examples: [['$0 merge shard-*.json -f sarif -o sc.sarif', 'One SARIF file from the shards of a matrix job']],
  },
  {
    name: 'deps', positional: { key: 'paths', describe: 'The app folder (with the lockfile and node_modules)', default: ['.'] }, describe: 'Audit installed dependencies whose code breaks with SoundCloud API changes (like npm audit)',
    options: {
      format: { alias: 'f', type: 'string', choices: DEPS_FORMATS, default: 'pretty', describe: 'Output format' },
      output: { alias: 'o', type: 'string', describe: 'Write the report to this file (atomically)' },
      'fail-on': { type: 'string', choices: FAIL_ON, default: 'error', describe: 'Lowest severity that makes the exit code 1 (none: always 0)' },
      lockfile: { type: 'string', describe: 'Lockfile to read (default: npm-shrinkwrap.json, package-lock.json, pnpm-lock.yaml or yarn.lock)' },
      'known-packages': { type: 'string', array: true, describe: 'Extra known-packages file(s) (versions known clean or broken), on top of the shipped data' },
      production: { type: 'boolean', default: false, describe: 'Skip packages that only devDependencies bring in' },
      jobs: { alias: 'j', type: 'number', describe: 'Threads for analysis' },
      verbose: { type: 'boolean', default: false, describe: 'List every file and finding' },
      color: { type: 'boolean', describe: 'Colours in pretty output' },
    },
    examples: [['$0 deps', 'Audit the app in the current folder'], ['$0 deps -f sarif -o deps.sarif', 'SARIF for code scanning']],
  },
  { name: 'rules', describe: 'List the rules', options: { format: { alias: 'f', type: 'string', choices: ['pretty', 'json'], default: 'pretty', describe: 'Output format' } } },
  {
    name: 'fix', positional: PATHS('fix'), describe: 'Rewrite what scan finds (codemods; markers for what is left for a person)',
    options: {
      ...SCAN_OPTIONS,
      dry: { type: 'boolean', default: false, describe: 'Print a unified diff; write nothing' },
      print: { type: 'boolean', default: false, describe: 'Print the fixed files whole; write nothing' },
      force: { type: 'boolean', default: false, describe: 'Write even when the git tree has uncommitted changes' },
      suggestions: { type: 'boolean', default: false, describe: "Also apply the rules' suggested rewrites where fix would leave a marker" },
      format: { alias: 'f', type: 'string', choices: ['pretty', 'json'], default: 'pretty', describe: 'Summary format' },
    },
  },
  {
    name: 'mock-api', describe: 'Start the strict mock SoundCloud API',
    options: {
      legacy: { type: 'boolean', default: false, describe: 'Accept the old, insecure API behaviour' },
      port: { type: 'number', describe: 'Port to listen on' },
    },
  },
];

export async function main(argv: string[], io: MainIO = {}): Promise<number> {
  const cwd = resolve(io.cwd ?? process.cwd());
  const env = io.env ?? process.env;
  const stdout = io.stdout ?? process.stdout;
  const stderr = io.stderr ?? process.stderr;
  const err = (msg: string) => stderr.write(`sc-migrate: ${msg}\n`);
  let code = 0;

  let args: ReturnType<typeof parseArgs>;
  try {
    args = parseArgs(argv, COMMANDS);
    if (!args.command && !args.help && !args.version) throw new UsageError('Give a command: scan, baseline, merge, deps, rules, fix or mock-api');
  } catch (e) {
    err((e as Error).message);
    stderr.write('Run `sc-migrate --help` for usage.\n');
    return 2;
  }
  const width = Math.min(100, (stdout as { columns?: number }).columns ?? 100);
  const helpText = args.help ? renderHelp('sc-migrate', COMMANDS, args.command, width) : args.version ? version() : '';
  if (helpText) { stdout.write(helpText + '\n'); return 0; }
  const command = String((args._ as unknown[])[0]);

  try {
    switch (command) {
      case 'scan':
      case 'baseline': {
        const opts = toRunOptions(args, cwd, command === 'baseline');
        const result = await runScan(opts);
        if (command === 'baseline') {
          const out = resolve(cwd, String(args.output));
          writeFileAtomic(out, JSON.stringify(createBaseline(result.findings), null, 2) + '\n');
          stdout.write(`sc-migrate: wrote ${result.findings.length} finding(s) to ${String(args.output)}\n`);
          return 0;
        }
        const format = args.format as Format;
        const toFile = typeof args.output === 'string';
        const color = args.color === false || toFile || format !== 'pretty' ? false
          : args.color === true ? true
          : env.NO_COLOR ? false
          : env.FORCE_COLOR && env.FORCE_COLOR !== '0' ? true
          : !!stdout.isTTY;
        const text = formatResult(result, format, { color, verbose: !!args.verbose, toolVersion: version(), env });
        if (toFile) {
          writeFileAtomic(resolve(cwd, String(args.output)), text);
          if (format !== 'json') stderr.write(`sc-migrate: ${result.stats.findings} finding(s); report written to ${String(args.output)}\n`);
        } else {
          stdout.write(text);
        }
        const failOn: FailOn = args.fail === false ? 'none' : (args.failOn as FailOn);
        code = exitCodeFor(result, failOn);
        if (code && format === 'pretty' && !toFile && opts.staged) {
          stderr.write('sc-migrate: commit blocked: the staged changes above use SoundCloud APIs in a way that breaks after the security changes. Fix them (or `git commit --no-verify` to bypass).\n');
        }
        return code;
      }
      case 'merge': {
        const { mergeReportFiles, MergeInputError } = await import('../report/merge.js');
        let merged;
        try { merged = await mergeReportFiles((args.reports as string[] | undefined) ?? [], { cwd, withDocs: args.format === 'sarif' }); } catch (e) { if (e instanceof MergeInputError) { err(e.message); return 2; } throw e; }
        const { result, warnings } = merged;
        for (const w of warnings) err(`warning: ${w}`);
        const text = args.format === 'baseline'
          ? JSON.stringify(createBaseline(result.findings), null, 2) + '\n'
          : formatResult(result, args.format as Format, { color: args.format === 'pretty' && typeof args.output !== 'string' && (args.color ?? (!env.NO_COLOR && !!stdout.isTTY)) === true, toolVersion: version(), env });
        if (typeof args.output === 'string') writeFileAtomic(resolve(cwd, args.output), text);
        else stdout.write(text);
        return exitCodeFor(result, args.failOn as FailOn);
      }
      case 'deps': {
        const { auditDeps, DepsError } = await import('../deps/audit.js');
        const dirs = (args.paths as string[] | undefined) ?? ['.'];
        if (dirs.length !== 1) throw new UsageError('deps: give one app folder');
        let report;
        try {
          report = await auditDeps({ appDir: resolve(cwd, dirs[0]!), ...(typeof args.lockfile === 'string' ? { lockfile: args.lockfile } : {}), knownPackages: ((args.knownPackages as string[] | undefined) ?? []).map((f) => resolve(cwd, f)), production: !!args.production, ...(typeof args.jobs === 'number' ? { jobs: args.jobs } : {}), withDocs: args.format === 'sarif' });
        } catch (e) {
          if (e instanceof DepsError) { err(e.message); return 2; }
          throw e;
        }
        const text = formatDeps(report, args.format as DepsFormat, { color: args.format === 'pretty' && typeof args.output !== 'string' && (args.color ?? (!env.NO_COLOR && !!stdout.isTTY)) === true, verbose: !!args.verbose, toolVersion: version() });
        if (typeof args.output === 'string') writeFileAtomic(resolve(cwd, args.output), text);
        else stdout.write(text);
        return exitCodeFor(report, args.failOn as FailOn);
      }
      case 'rules': {
        const rules = (await loadRules()).map((r) => ruleInfo(r));
        if (args.format === 'json') {
          stdout.write(JSON.stringify(rules.map(({ docsMarkdown: _d, ...r }) => r), null, 2) + '\n');
        } else {
          const w = Math.max(4, ...rules.map((r) => r.id.length));
          const lines = [`${'RULE'.padEnd(w)}  SEVERITY  FIX      DESCRIPTION`];
          for (const r of rules) lines.push(`${r.id.padEnd(w)}  ${r.severity.padEnd(8)}  ${r.fixKind.padEnd(7)}  ${r.description}`);
          if (!rules.length) lines.push('(no rules registered)');
          stdout.write(lines.join('\n') + '\n');
        }
        return 0;
      }
      case 'fix': {
        const { runFixCommand } = await import('../fix/command.js');
        const { staged: _s, changedSince: _c, baseline: _b, ...opts } = toRunOptions(args, cwd, false);
        if (args.staged || args.changedSince !== undefined || args.baseline !== undefined) throw new UsageError('fix works on the working tree: --staged, --changed-since and --baseline do not apply');
        const r = await runFixCommand({ ...opts, dry: !!args.dry, print: !!args.print, force: !!args.force, suggestions: !!args.suggestions, format: args.format === 'json' ? 'json' : 'pretty', stdout, stderr });
        return r.code;
      }
      case 'mock-api': {
        let mod: typeof import('../mock-api/cli.js');
        try {
          mod = await import('../mock-api/cli.js');
        } catch (e) {
          err(`mock-api is not available in this build: ${(e as Error).message}`);
          return 2;
        }
        const handle = await mod.runMockApiCommand({ legacy: !!args.legacy, ...(typeof args.port === 'number' ? { port: args.port } : {}), stdout: stdout as NodeJS.WritableStream });
        await new Promise<void>((r) => { process.once('SIGINT', r); process.once('SIGTERM', r); });
        await handle.close();
        return 0;
      }
      default:
        err(`unknown command "${command}"`);
        return 2;
    }
  } catch (e) {
    if (e instanceof UsageError || e instanceof ConfigError || e instanceof PathError || e instanceof GitError) {
      err(e.message);
      return 2;
    }
    err(`internal error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
    return 2;
  }
}

function toRunOptions(args: Record<string, unknown>, cwd: string, forBaseline: boolean): RunScanOptions {
  const list = (v: unknown) => (Array.isArray(v) ? v.flatMap((x) => String(x).split(',')).map((s) => s.trim()).filter(Boolean) : undefined);
  const jobs = args.jobs as number | undefined;
  if (jobs !== undefined && (!Number.isInteger(jobs) || jobs < 1)) throw new UsageError('--jobs must be a positive integer');
  if (forBaseline && (args.baseline !== undefined || args.changedSince !== undefined)) throw new UsageError('baseline records every finding: --baseline and --changed-since do not apply');
  const paths = (args.paths as string[] | undefined) ?? ['.'];
  const only = list(args.rule);
  const disable = list(args.disableRule);
  return {
    cwd,
    paths,
    ...(args.ignore === false ? { noIgnore: true } : {}),
    maxFileSize: parseSize(args.maxFileSize),
    ...(args.config === false ? { noConfig: true } : typeof args.config === 'string' ? { configFile: args.config } : {}),
    ...(only ? { only } : {}),
    ...(disable ? { disable } : {}),
    ...(typeof args.rulesModule === 'string' ? { rulesModule: args.rulesModule } : {}),
    ...(args.staged ? { staged: true } : {}),
    ...(typeof args.changedSince === 'string' ? { changedSince: args.changedSince } : {}),
    ...(typeof args.baseline === 'string' ? { baseline: args.baseline } : {}),
    ...(jobs !== undefined ? { jobs } : {}),
    ...(typeof args.shard === 'string' ? { shard: parseShard(args.shard) } : {}),
    withDocs: args.format === 'sarif',
    allRuleInfo: args.format === 'sarif' || args.format === 'markdown',
  };
}
