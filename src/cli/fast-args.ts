/**
 * The common command lines without loading yargs (loading it, building the program and the help
 * text yargs caches after every command cost more than the rest of a one-file `scan --staged`).
 * `fastParse` takes only a plain command line: a command word, known long options and their
 * single-letter aliases each given once, `--opt value` / `--opt=value` for string options (a value
 * that is not empty, does not start with `-` and is one of the choices), `--flag` / `--no-flag` for
 * booleans, and path words. Anything else (help, errors, repeats, `--`, clusters, `--no-` of a
 * string option...) returns undefined and goes to yargs (./program.ts), which stays the reference:
 * test/cli/fast-args.test.ts checks that both give the same arguments.
 */
import type { Options } from 'yargs';
import type { Args, Command } from './command.js';
import type { Parsed } from './program.js';

const camel = (k: string) => k.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
const aliasesOf = (o: Options): readonly string[] => (o.alias === undefined ? [] : typeof o.alias === 'string' ? [o.alias] : o.alias);

/** Parsed arguments as yargs would give them, or undefined when yargs must decide. */
export function fastParse(argv: readonly string[], commands: readonly Command[], version: string): Parsed | undefined {
  if (argv.length === 1 && (argv[0] === '--version' || argv[0] === '-v')) return { kind: 'text', text: version };
  const command = commands.find((c) => c.name === argv[0]);
  if (!command) return undefined;
  const flags = new Map<string, string>();
  for (const [key, o] of Object.entries(command.options)) {
    if (o.type !== 'string' && o.type !== 'boolean') return undefined;
    if (key === 'help' || key === 'version') return undefined;
    flags.set(`--${key}`, key);
    for (const a of aliasesOf(o)) flags.set(a.length === 1 ? `-${a}` : `--${a}`, key);
  }
  const given = new Map<string, string | boolean>();
  const words: string[] = [];
  for (let i = 1; i < argv.length; i++) {
    const tok = argv[i]!;
    if (!tok.startsWith('-')) {
      if (!command.positional || !tok) return undefined;
      words.push(tok);
      continue;
    }
    const eq = tok.startsWith('--') ? tok.indexOf('=') : -1;
    const name = eq > 0 ? tok.slice(0, eq) : tok;
    let value: string | undefined = eq > 0 ? tok.slice(eq + 1) : undefined;
    let key = flags.get(name);
    let negated = false;
    if (key === undefined && name.startsWith('--no-')) { key = flags.get(`--${name.slice(5)}`); negated = true; }
    if (key === undefined || given.has(key)) return undefined;
    const o = command.options[key]!;
    if (o.type === 'boolean') {
      // `--flag false` and `--flag=true` are yargs' to read.
      if (value !== undefined || argv[i + 1] === 'true' || argv[i + 1] === 'false') return undefined;
      given.set(key, !negated);
      continue;
    }
    if (negated) return undefined;
    if (value === undefined) value = argv[++i];
    if (value === undefined || value === '' || value.startsWith('-')) return undefined;
    if (o.choices && !(o.choices as readonly unknown[]).includes(value)) return undefined;
    given.set(key, value);
  }
  const args: Args = { _: [command.name] };
  for (const [key, o] of Object.entries(command.options)) {
    const v = given.has(key) ? given.get(key) : (o.default as unknown);
    if (v === undefined) continue;
    for (const k of [key, ...aliasesOf(o)]) { args[k] = v; args[camel(k)] = v; }
  }
  if (command.positional) args[command.positional.key] = words.length ? words : [...command.positional.default];
  args.$0 = 'sc-migrate';
  return { kind: 'run', command, args };
}
