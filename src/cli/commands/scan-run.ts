/** `sc-migrate scan`'s run: loaded by ./scan.ts when a scan runs (the option table stays light). */
import { resolve } from 'node:path';
import { writeFileAtomic } from '../../scan/output.js';
import { runScan } from '../../scan/run.js';
import { formatResult, type Format } from '../../report/index.js';
import { uncheckedFiles } from '../../report/unchecked.js';
import type { Args, CliIO } from '../command.js';
import { lastOf, toRunOptions } from '../options.js';
import { progressLine } from '../progress.js';
import { version } from '../version.js';
import { enableTiming, formatTiming, settleTiming } from '../../engine/timing.js';
import { exitCodeFor, ignoredList, namedButSkipped, type FailOn } from './scan.js';

export async function runScanCommand(args: Args, io: CliIO): Promise<number> {
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
  if (args.timing) { await settleTiming(); stderr.write(formatTiming({ reportStart })); }
  return code;
}
