/**
 * One CLI command = one small module in ./commands: its usage, options (a yargs options table),
 * examples and `run`. The table in ./commands/index.ts lists them; ./program.ts builds yargs
 * from it. A module imports what only it needs inside `run`, so start-up stays small.
 */
import type { Options } from 'yargs';

export interface CliIO {
  cwd: string;
  env: Record<string, string | undefined>;
  stdout: { write(s: string): unknown; isTTY?: boolean; columns?: number };
  stderr: { write(s: string): unknown; isTTY?: boolean; columns?: number };
}

/** Parsed arguments (yargs' camelCase keys). */
export type Args = Record<string, unknown> & { _: (string | number)[] };

export interface Command {
  /** The command word. */
  name: string;
  /** Positional list (`[paths..]`), by this key, with its default. */
  positional?: { key: string; describe: string; default: string[] };
  describe: string;
  options: Record<string, Options>;
  examples?: [string, string][];
  /** Runs the command; returns the exit code. */
  run(args: Args, io: CliIO): Promise<number>;
}

/** `sc-migrate <name> [key..]` */
export const usageOf = (c: Command): string => `${c.name}${c.positional ? ` [${c.positional.key}..]` : ''}`;
