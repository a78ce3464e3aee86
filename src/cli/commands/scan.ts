/** `sc-migrate scan [paths..]`: find code broken by SoundCloud's API security changes. */
import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import { UsageError } from '../../scan/errors.js';
import { writeFileAtomic } from '../../scan/output.js';
import { toPosixRelative } from '../../scan/paths.js';
import { runScan } from '../../scan/run.js';
import type { ScanResult, SkippedFile } from '../../scan/types.js';
import { FORMATS, formatResult, type Format } from '../../report/index.js';
import { uncheckedFiles } from '../../report/unchecked.js';
import type { Args, CliIO, Command } from '../command.js';
import { lastOf, pathsOf, SCAN_OPTIONS, toRunOptions } from '../options.js';
import { progressLine } from '../progress.js';
import { version } from '../version.js';
import { enableTiming, formatTiming } from '../../engine/timing.js';

export const FAIL_ON = ['error', 'warning', 'none'] as const;
export type FailOn = (typeof FAIL_ON)[number];

/** Exit code for a result: 1 when a finding is at or above `failOn`. */
export function exitCodeFor(result: { stats: Pick<ScanResult['stats'], 'errors' | 'warnings'> }, failOn: FailOn): 0 | 1 {
  if (failOn === 'none') return 0;
  if (result.stats.errors > 0) return 1;
  return failOn === 'warning' && result.stats.warnings > 0 ? 1 : 0;
}

/** Files named on the command line (not folders) that the scan could not check. */
export function namedButSkipped(paths: readonly string[], skipped: readonly SkippedFile[], cwd: string): SkippedFile[] {
  const named = new Set<string>();
  for (const p of paths) {
    const abs = resolve(cwd, p);
    try { if (statSync(abs).isFile()) named.add(toPosixRelative(cwd, abs)); } catch { /* discovery reports missing paths */ }
  }
  return skipped.filter((s) => named.has(s.file) && s.reason !== 'empty');
}

/**
 * `--verbose`: the files ignore rules removed from the scan, with the rule's source (a
 * .gitignore, .sc-migrateignore, the config's `ignore`, git), as discovery listed them.
 */
export function ignoredList(result: ScanResult): string {
  const ignored = result.ignored ?? [];
  if (!ignored.length) return '';
  return `sc-migrate: ${ignored.length} path(s) left out by ignore rules:\n` + ignored.map((s) => `  ${s.file}: ${s.reason}\n`).join('');
}

export const scan: Command = {
  name: 'scan',
  positional: pathsOf('scan'),
  describe: 'Find code broken by SoundCloud API security changes',
  options: {
    ...SCAN_OPTIONS,
    format: { alias: 'f', type: 'string', choices: FORMATS, default: 'pretty', describe: 'Output format' },
    output: { alias: 'o', type: 'string', requiresArg: true, describe: 'Write the report to this file (atomically)' },
    'fail-on': { type: 'string', choices: FAIL_ON, default: 'error', describe: 'Lowest severity that makes the exit code 1 (none: always 0)' },
    fail: { type: 'boolean', default: true, hidden: true, describe: '--no-fail: same as --fail-on none' },
    color: { type: 'boolean', describe: 'Colours in pretty output (default: when stdout is a TTY and NO_COLOR is unset)' },
    timing: { type: 'boolean', default: false, describe: 'Print where the time went (per phase and per rule) to stderr' },
  },
  examples: [
    ['$0 scan', 'Scan the current folder'],
    ['$0 scan src --format sarif -o sc.sarif', 'SARIF for code scanning'],
    ['$0 scan --format html -o report.html', 'A report to open in a browser'],
    ['$0 scan --staged', 'Pre-commit: check what is about to be committed'],
  ],
  async run(args: Args, io: CliIO): Promise<number> {
    const { cwd, env, stdout, stderr } = io;
    const format = lastOf(args.format) as Format;
    const output = lastOf(args.output);
    const toFile = typeof output === 'string';
    const machine = format !== 'pretty';
    const progress = progressLine(stderr, env, !machine);
    const opts = toRunOptions(args, cwd, false);
    if (args.timing) enableTiming();
    let result;
    try {
      result = await runScan({ ...opts, ...(progress ? { progress: progress.update } : {}) });
    } finally {
      progress?.done();
    }
    const reportStart = performance.now();
    const named = namedButSkipped(opts.paths ?? [], result.skipped, cwd);
    if (named.length) {
      for (const s of named) stderr.write(`sc-migrate: ${s.file}: could not be checked: ${s.reason}\n`);
      return 2;
    }
    const color = args.color === false || toFile || machine ? false
      : args.color === true ? true
      : env.NO_COLOR ? false
      : env.FORCE_COLOR && env.FORCE_COLOR !== '0' ? true
      : !!stdout.isTTY;
    // What fix would resolve (a dry run on the files with findings): the one "fixable" count.
    const forecast = result.findings.length && (format === 'pretty' || format === 'markdown' || format === 'html')
      ? await (await import('../fix-preview.js')).fixPreview(result, { cwd, ...(opts.rulesModule ? { rulesModule: opts.rulesModule } : {}) }).catch(() => undefined) // no count rather than no report
      : undefined;
    const text = formatResult(result, format, { color, verbose: !!args.verbose, toolVersion: version(), env, ...(forecast ? { forecast } : {}) });
    if (toFile) {
      writeFileAtomic(resolve(cwd, output), text);
      if (format !== 'json') stderr.write(`sc-migrate: ${result.stats.findings} finding(s); report written to ${output}\n`);
    } else {
      stdout.write(text);
    }
    const failOn: FailOn = args.fail === false ? 'none' : (lastOf(args.failOn) as FailOn);
    let code: number = exitCodeFor(result, failOn);
    const unchecked = uncheckedFiles(result);
    if (unchecked.length && args.failOnSkipped) {
      stderr.write(`sc-migrate: ${unchecked.length} file(s) that mention SoundCloud could not be checked (--fail-on-skipped)\n`);
      code = 1;
    }
    if (code && format === 'pretty' && !toFile && opts.staged) {
      stderr.write('sc-migrate: commit blocked: the staged changes above use SoundCloud APIs in a way that breaks after the security changes. Fix them (or `git commit --no-verify` to bypass).\n');
    }
    if (args.verbose && format === 'pretty' && !opts.staged) stderr.write(ignoredList(result));
    if (args.timing) stderr.write(formatTiming({ reportStart }));
    return code;
  },
};

export function assertNoStray(args: Args, name: string): void {
  if (args._.length > 1) throw new UsageError(`${name} takes no arguments (got "${String(args._[1])}")`);
}
