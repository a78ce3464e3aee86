/**
 * The `sc-migrate` command line. `main(argv)` returns the exit code:
 *   0 clean (or findings below --fail-on), 1 findings at or above --fail-on, 2 usage/config/internal error.
 * Parsing and help come from yargs (./program.ts) over the command table (./commands/); plain
 * command lines take a path that gives the same arguments without loading yargs (./fast-args.ts).
 */
import { resolve } from 'node:path';
import { ConfigError, UsageError } from '../scan/errors.js';
import type { CliIO } from './command.js';
import { COMMANDS } from './commands/index.js';
import { fastParse } from './fast-args.js';
import { parse } from './program.js';
import { version } from './version.js';

export { COMMANDS } from './commands/index.js';
export { exitCodeFor, FAIL_ON, type FailOn } from './commands/scan.js';
export { parseSize } from './options.js';
export { version } from './version.js';
// For bin/bundle-loader.js: whether this run loaded the engine (what its code cache then holds).
export { engineLoaded } from '../scan/analyse.js';
// For bin/bundle-loader.js: V8 flags a large scan changed, set back before the code cache is made.
export { largeScan, restoreHeapGrowth as restoreFlags, onCacheSnapshot } from '../scan/heap.js';

export interface MainIO {
  cwd?: string;
  env?: Record<string, string | undefined>;
  stdout?: CliIO['stdout'];
  stderr?: CliIO['stderr'];
}

export async function main(argv: string[], io: MainIO = {}): Promise<number> {
  const cli: CliIO = {
    cwd: resolve(io.cwd ?? process.cwd()),
    env: io.env ?? process.env,
    stdout: io.stdout ?? process.stdout,
    stderr: io.stderr ?? process.stderr,
  };
  const err = (msg: string) => cli.stderr.write(`sc-migrate: ${msg}\n`);
  const width = Math.min(100, cli.stdout.columns ?? 100);
  const v = version();
  const parsed = fastParse(argv, COMMANDS, v) ?? (await parse(argv, COMMANDS, v, width));
  if (parsed.kind === 'text') { cli.stdout.write(parsed.text.replace(/\n*$/, '\n')); return 0; }
  if (parsed.kind === 'error') {
    for (const line of parsed.message.split('\n')) err(line);
    cli.stderr.write(`Run \`sc-migrate ${parsed.command ? `${parsed.command.name} ` : ''}--help\` for usage.\n`);
    return 2;
  }
  try {
    return await parsed.command.run(parsed.args, cli);
  } catch (e) {
    // The classes of discovery and git errors are loaded here: --version and --help need neither module.
    const [{ PathError }, { GitError }] = await Promise.all([import('../scan/discover.js'), import('../git/git.js')]);
    if (e instanceof UsageError || e instanceof ConfigError || e instanceof PathError || e instanceof GitError) {
      err(e.message);
      return 2;
    }
    err(`internal error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
    return 2;
  }
}
