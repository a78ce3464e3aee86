/** `sc-migrate baseline [paths..]`: record today's findings for `scan --baseline`. */
import { resolve } from 'node:path';
import { BASELINE_FILE, createBaseline } from '../../git/baseline.js';
import type { Args, CliIO, Command } from '../command.js';
import { lastOf, pathsOf, SCAN_OPTIONS, toRunOptions } from '../options.js';

export const baseline: Command = {
  name: 'baseline',
  positional: pathsOf('scan'),
  describe: `Record current findings in a baseline file (default ${BASELINE_FILE}) for --baseline`,
  options: { ...SCAN_OPTIONS, output: { alias: 'o', type: 'string', requiresArg: true, default: BASELINE_FILE, describe: 'Baseline file to write' } },
  async run(args: Args, io: CliIO): Promise<number> {
    const [{ writeFileAtomic }, { runScan }] = await Promise.all([import('../../scan/output.js'), import('../../scan/run.js')]);
    const result = await runScan(toRunOptions(args, io.cwd, true));
    const output = String(lastOf(args.output));
    writeFileAtomic(resolve(io.cwd, output), JSON.stringify(createBaseline(result.findings), null, 2) + '\n');
    io.stdout.write(`sc-migrate: wrote ${result.findings.length} finding(s) to ${output}\n`);
    return 0;
  },
};
