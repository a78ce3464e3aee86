/**
 * The yargs program built from the command table: typed options, `--no-` flags, choices,
 * generated help, "did you mean" for a mistyped command (yargs) or option (ours), `-v/--version`.
 * Parsing only: main.ts runs the chosen command.
 */
import { createRequire } from 'node:module';
import type { Argv } from 'yargs';
import { usageOf, type Args, type Command } from './command.js';

export type Parsed =
  | { kind: 'run'; command: Command; args: Args }
  | { kind: 'text'; text: string }
  | { kind: 'error'; message: string; command?: Command };

/** Edit distance (for suggestions). */
export function levenshtein(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = cur;
  }
  return prev[b.length]!;
}

/** The closest of `known` to `word`, when close enough to be a typo. */
export function closest(word: string, known: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestD = Infinity;
  for (const k of known) {
    const d = levenshtein(word.toLowerCase(), k.toLowerCase());
    if (d < bestD) { best = k; bestD = d; }
  }
  return best !== undefined && bestD <= Math.max(2, Math.floor(word.length / 3)) ? best : undefined;
}

/** Long option names a command accepts (with `no-` forms of booleans), for suggestions. */
function optionNames(c: Command): string[] {
  const names = ['help', 'version'];
  for (const [k, o] of Object.entries(c.options)) {
    if (o.hidden) continue;
    names.push(k);
    if (o.type === 'boolean' || k === 'config') names.push(`no-${k}`);
  }
  return names;
}

// yargs' CommonJS build: its help wraps at word boundaries (the ESM build's cliui cuts words).
// Loaded on first use: plain command lines never need it (./fast-args.ts).
let yargs: ((argv?: string[]) => Argv) | undefined;

export function buildProgram(commands: readonly Command[], version: string, width: number): Argv {
  yargs ??= createRequire(import.meta.url)('yargs/yargs') as (argv?: string[]) => Argv;
  let y = yargs([])
    .scriptName('sc-migrate')
    .usage('$0 <command> [options]')
    .parserConfiguration({ 'populate--': true })
    .strict()
    .recommendCommands()
    .demandCommand(1, 'Give a command: ' + commands.map((c) => c.name).join(', '))
    .help()
    .alias('h', 'help')
    .version(version)
    .alias('v', 'version')
    .showHelpOnFail(false)
    .exitProcess(false)
    .wrap(width);
  for (const c of commands) {
    y = y.command(usageOf(c), c.describe, (cy) => {
      let b = cy;
      if (c.positional) b = b.positional(c.positional.key, { type: 'string', array: true, describe: c.positional.describe, default: c.positional.default });
      b = b.options(c.options);
      for (const [cmd, text] of c.examples ?? []) b = b.example(cmd, text);
      return b;
    });
  }
  return y;
}

/** Parses argv with a fresh program (yargs keeps state between parses). */
export async function parse(argv: readonly string[], commands: readonly Command[], version: string, width = 100): Promise<Parsed> {
  const program = buildProgram(commands, version, width);
  return new Promise<Parsed>((done) => {
    program.parse([...argv], {}, (err, raw, output) => {
      const args = raw as unknown as Args;
      const name = typeof args._?.[0] === 'string' ? (args._[0] as string) : undefined;
      const command = commands.find((c) => c.name === name);
      if (err) {
        done({ kind: 'error', message: explain(err.message, output, argv, command, commands), ...(command ? { command } : {}) });
        return;
      }
      if (output) { done({ kind: 'text', text: output }); return; }
      if (!command) { done({ kind: 'error', message: `unknown command "${String(name)}"` }); return; }
      const rest = (args['--'] as string[] | undefined) ?? [];
      const stray = args._.slice(1).map(String);
      if (command.positional) {
        const given = args[command.positional.key] as string[] | undefined;
        const explicit = [...(given && given !== command.positional.default ? given : []), ...stray, ...rest];
        args[command.positional.key] = explicit.length ? explicit : [...command.positional.default];
      } else if (stray.length || rest.length) {
        done({ kind: 'error', message: `${command.name} takes no arguments (got "${[...stray, ...rest][0]}")`, command });
        return;
      }
      done({ kind: 'run', command, args });
    });
  });
}

/** yargs' messages, with a "did you mean" for unknown options and commands. */
function explain(message: string, output: string, argv: readonly string[], command: Command | undefined, commands: readonly Command[]): string {
  const unknown = /^Unknown arguments?: (.*)$/s.exec(message);
  if (!unknown) return message.replace(/\s*\n\s*/g, ' ');
  const words = unknown[1]!.split(', ').map((w) => w.trim());
  if (!command) {
    const hint = /Did you mean (\S+?)\?/.exec(output)?.[1] ?? closest(words[0]!, commands.map((c) => c.name));
    return `unknown command "${words[0]}"${hint ? `: did you mean "${hint}"?` : ''} (commands: ${commands.map((c) => c.name).join(', ')})`;
  }
  const known = optionNames(command);
  const asFlag = (w: string) => argv.some((a) => a === `--${w}` || a.startsWith(`--${w}=`) || a === `-${w}` || (w.length === 1 && /^-[a-z]+$/i.test(a) && a.includes(w)));
  return words.map((word) => {
    // yargs reports `--no-x` as `x`
    const w = !asFlag(word) && asFlag(`no-${word}`) ? `no-${word}` : word;
    if (!asFlag(w)) return `${command.name} takes no arguments (got "${w}")`;
    const near = w.length > 1 ? closest(w, known) : undefined;
    return `unknown option ${w.length === 1 ? '-' : '--'}${w} for ${command.name}${near ? `: did you mean --${near}?` : ''}`;
  }).join('\n');
}
