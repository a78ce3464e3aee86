/** `sc-migrate deps [app]`: audit installed dependencies whose code breaks with SoundCloud API changes. */
import { resolve } from 'node:path';
import { UsageError } from '../../scan/errors.js';
import { DEPS_FORMATS, type DepsFormat } from '../../deps/formats.js';
import type { Args, CliIO, Command } from '../command.js';
import { jobsOf, lastOf, listOf } from '../options.js';
import { version } from '../version.js';
import { exitCodeFor, FAIL_ON, type FailOn } from './scan.js';

export const deps: Command = {
  name: 'deps',
  positional: { key: 'paths', describe: 'The app folder (with the lockfile and node_modules)', default: ['.'] },
  describe: 'Audit installed dependencies whose code breaks with SoundCloud API changes (like npm audit)',
  options: {
    format: { alias: 'f', type: 'string', choices: DEPS_FORMATS, default: 'pretty', describe: 'Output format' },
    output: { alias: 'o', type: 'string', requiresArg: true, describe: 'Write the report to this file (atomically)' },
    'fail-on': { type: 'string', choices: FAIL_ON, default: 'error', describe: 'Lowest severity that makes the exit code 1 (none: always 0)' },
    lockfile: { type: 'string', requiresArg: true, describe: 'Lockfile to read (default: npm-shrinkwrap.json, package-lock.json, pnpm-lock.yaml or yarn.lock)' },
    'known-packages': { type: 'string', requiresArg: true, describe: 'Extra known-packages file(s) (versions known clean or broken), on top of the shipped data (repeatable)' },
    production: { type: 'boolean', default: false, describe: 'Skip packages that only devDependencies bring in' },
    jobs: { alias: 'j', type: 'string', requiresArg: true, describe: 'Threads for analysis' },
    verbose: { type: 'boolean', default: false, describe: 'List every file and finding' },
    color: { type: 'boolean', describe: 'Colours in pretty output' },
  },
  examples: [['$0 deps', 'Audit the app in the current folder'], ['$0 deps -f sarif -o deps.sarif', 'SARIF for code scanning']],
  async run(args: Args, io: CliIO): Promise<number> {
    const { cwd, env, stdout, stderr } = io;
    const format = lastOf(args.format) as DepsFormat;
    const output = lastOf(args.output);
    const [{ auditDeps, DepsError }, { formatDeps }, { writeFileAtomic }] = await Promise.all([import('../../deps/audit.js'), import('../../deps/report.js'), import('../../scan/output.js')]);
    const dirs = (args.paths as string[] | undefined) ?? ['.'];
    if (dirs.length !== 1) throw new UsageError('deps: give one app folder');
    const jobs = jobsOf(args.jobs);
    const lockfile = lastOf(args.lockfile);
    let report;
    try {
      report = await auditDeps({
        appDir: resolve(cwd, dirs[0]!),
        ...(typeof lockfile === 'string' ? { lockfile } : {}),
        knownPackages: (listOf(args.knownPackages) ?? []).map((f) => resolve(cwd, f)),
        production: !!args.production,
        ...(jobs !== undefined ? { jobs } : {}),
        withDocs: format === 'sarif',
      });
    } catch (e) {
      if (e instanceof DepsError) { stderr.write(`sc-migrate: ${e.message}\n`); return 2; }
      throw e;
    }
    const text = formatDeps(report, format, { color: format === 'pretty' && typeof output !== 'string' && (args.color ?? (!env.NO_COLOR && !!stdout.isTTY)) === true, verbose: !!args.verbose, toolVersion: version() });
    if (typeof output === 'string') writeFileAtomic(resolve(cwd, output), text);
    else stdout.write(text);
    return exitCodeFor(report, lastOf(args.failOn) as FailOn);
  },
};
