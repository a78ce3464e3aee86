/** `sc-migrate merge [reports..]`: join the JSON reports (or baselines) of sharded scans into one report. */
import { resolve } from 'node:path';
import { FORMATS, type Format } from '../../report/formats.js';
import type { Args, CliIO, Command } from '../command.js';
import { lastOf } from '../options.js';
import { version } from '../version.js';
import { exitCodeFor, FAIL_ON, type FailOn } from './scan.js';

export const merge: Command = {
  name: 'merge',
  positional: { key: 'reports', describe: 'JSON reports (scan -f json, e.g. of --shard jobs) or baseline files', default: [] },
  describe: 'Merge the JSON reports of sharded scans into one report',
  options: {
    format: { alias: 'f', type: 'string', choices: [...FORMATS, 'baseline'], default: 'pretty', describe: 'Output format (baseline: a merged baseline file)' },
    output: { alias: 'o', type: 'string', requiresArg: true, describe: 'Write the report to this file (atomically)' },
    'fail-on': { type: 'string', choices: FAIL_ON, default: 'error', describe: 'Lowest severity that makes the exit code 1 (none: always 0)' },
    color: { type: 'boolean', describe: 'Colours in pretty output' },
  },
  examples: [['$0 merge shard-*.json -f sarif -o sc.sarif', 'One SARIF file from the shards of a matrix job']],
  async run(args: Args, io: CliIO): Promise<number> {
    const { cwd, env, stdout, stderr } = io;
    const format = lastOf(args.format) as Format | 'baseline';
    const output = lastOf(args.output);
    const [{ mergeReportFiles, MergeInputError }, { formatResult }, { createBaseline }, { writeFileAtomic }] = await Promise.all([
      import('../../report/merge.js'), import('../../report/index.js'), import('../../git/baseline.js'), import('../../scan/output.js'),
    ]);
    let merged;
    try {
      merged = await mergeReportFiles((args.reports as string[] | undefined) ?? [], { cwd, withDocs: format === 'sarif' || format === 'html' });
    } catch (e) {
      if (e instanceof MergeInputError) { stderr.write(`sc-migrate: ${e.message}\n`); return 2; }
      throw e;
    }
    const { result, warnings } = merged;
    for (const w of warnings) stderr.write(`sc-migrate: warning: ${w}\n`);
    const text = format === 'baseline'
      ? JSON.stringify(createBaseline(result.findings), null, 2) + '\n'
      : formatResult(result, format, { color: format === 'pretty' && typeof output !== 'string' && (args.color ?? (!env.NO_COLOR && !!stdout.isTTY)) === true, toolVersion: version(), env });
    if (typeof output === 'string') writeFileAtomic(resolve(cwd, output), text);
    else stdout.write(text);
    return exitCodeFor(result, lastOf(args.failOn) as FailOn);
  },
};
