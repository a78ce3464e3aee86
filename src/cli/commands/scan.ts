/** `sc-migrate scan [paths..]`: find code broken by SoundCloud's API security changes. */
import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import { UsageError } from '../../scan/errors.js';
import { toPosixRelative } from '../../scan/paths.js';
import type { ScanResult, SkippedFile } from '../../scan/types.js';
import { FORMATS } from '../../report/formats.js';
import type { Args, Command } from '../command.js';
import { pathsOf, SCAN_OPTIONS } from '../options.js';

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
  // The scan itself (pipeline, reporters) loads only when a scan runs: not for --version or --help.
  run: async (args, io) => (await import('./scan-run.js')).runScanCommand(args, io),
};

export function assertNoStray(args: Args, name: string): void {
  if (args._.length > 1) throw new UsageError(`${name} takes no arguments (got "${String(args._[1])}")`);
}
