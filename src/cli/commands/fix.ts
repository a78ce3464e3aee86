/** `sc-migrate fix [paths..]`: rewrite what scan finds (loads the codemods only when run). */
import { UsageError } from '../../scan/errors.js';
import type { Args, CliIO, Command } from '../command.js';
import { lastOf, pathsOf, SCAN_OPTIONS, toRunOptions } from '../options.js';

/** Scan options that make no sense for fix (it works on the working tree). */
const NOT_FOR_FIX = ['staged', 'changed-since', 'baseline', 'fail-on-skipped'];
const FIX_SCAN_OPTIONS = Object.fromEntries(Object.entries(SCAN_OPTIONS).filter(([k]) => !NOT_FOR_FIX.includes(k)));

export const fix: Command = {
  name: 'fix',
  positional: pathsOf('fix'),
  describe: 'Rewrite what scan finds (codemods; markers for what is left for a person)',
  options: {
    ...FIX_SCAN_OPTIONS,
    dry: { type: 'boolean', default: false, describe: 'Print a unified diff; write nothing' },
    print: { type: 'boolean', default: false, describe: 'Print the fixed files whole; write nothing' },
    force: { type: 'boolean', default: false, describe: 'Write even when the git tree has uncommitted or untracked changes, or outside git' },
    suggestions: { type: 'boolean', default: false, describe: "Also apply the rules' suggested rewrites where fix would leave a marker" },
    'token-endpoint': { type: 'string', describe: 'The backend route browser code gets SoundCloud app tokens from (default /api/soundcloud/token)' },
    format: { alias: 'f', type: 'string', choices: ['pretty', 'json'], default: 'pretty', describe: 'Summary format' },
  },
  examples: [['$0 fix --dry', 'Preview the rewrites as a diff'], ['$0 fix src', 'Rewrite files under src in place']],
  async run(args: Args, io: CliIO): Promise<number> {
    const { runFixCommand } = await import('../../fix/command.js');
    const { staged: _s, changedSince: _c, baseline: _b, ...opts } = toRunOptions(args, io.cwd, false);
    if (_s || _c !== undefined || _b !== undefined) throw new UsageError('fix works on the working tree: --staged, --changed-since and --baseline do not apply');
    const r = await runFixCommand({ ...opts, dry: !!args.dry, print: !!args.print, force: !!args.force, suggestions: !!args.suggestions, tokenEndpoint: typeof lastOf(args['token-endpoint']) === 'string' ? lastOf(args['token-endpoint']) as string : undefined, format: lastOf(args.format) === 'json' ? 'json' : 'pretty', stdout: io.stdout, stderr: io.stderr });
    return r.code;
  },
};
