/**
 * The command line's argument parser: commands with declared options, `--no-<flag>` negation,
 * repeatable options, choices, aliases, `--opt=value`, and generated help. A small declarative
 * parser instead of yargs: yargs (with cliui, string-width...) costs about 70 ms to load and run
 * on every invocation, a third of a pre-commit hook's scan of a few files.
 */
import { UsageError } from '../scan/errors.js';

export interface OptionSpec {
  type: 'string' | 'boolean' | 'number';
  alias?: string;
  array?: boolean;
  choices?: readonly string[];
  default?: unknown;
  describe: string;
  hidden?: boolean;
  /** `--no-<name>` sets false (booleans always may). */
  negatable?: boolean;
}

export interface CommandSpec {
  name: string;
  /** `[paths..]`: the positional list, by this key. */
  positional?: { key: string; describe: string; default: string[] };
  describe: string;
  options: Record<string, OptionSpec>;
  examples?: [string, string][];
}

export type Parsed = Record<string, unknown> & { _: string[] };

const camel = (s: string) => s.replace(/-([a-z])/g, (_m, c: string) => c.toUpperCase());

/** Parses `argv` for one of `commands`. `help` / `version` are set when asked for. */
export function parseArgs(argv: readonly string[], commands: readonly CommandSpec[]): Parsed & { help?: boolean; version?: boolean; command?: CommandSpec } {
  const out: Parsed & { help?: boolean; version?: boolean; command?: CommandSpec } = { _: [] };
  const positionals: string[] = [];
  let command: CommandSpec | undefined;
  const byName = (name: string): [string, OptionSpec] | undefined => {
    const opts = command?.options ?? {};
    if (opts[name]) return [name, opts[name]!];
    for (const [k, o] of Object.entries(opts)) if (o.alias === name) return [k, o];
    return undefined;
  };
  const set = (key: string, o: OptionSpec, raw: unknown) => {
    let v = raw;
    if (o.type === 'number' && typeof raw === 'string') {
      v = Number(raw);
      if (raw.trim() === '' || Number.isNaN(v)) throw new UsageError(`--${key}: not a number: "${raw}"`);
    }
    if (o.choices && typeof v === 'string' && !o.choices.includes(v)) throw new UsageError(`--${key}: invalid value "${v}" (choices: ${o.choices.join(', ')})`);
    const k = camel(key);
    if (o.array && v !== false) out[k] = [...((out[k] as unknown[] | undefined) ?? []), v];
    else out[k] = v;
  };
  for (let i = 0; i < argv.length; i++) {
    const tok = argv[i]!;
    if (tok === '--') { positionals.push(...argv.slice(i + 1)); break; }
    if (tok === '--help' || tok === '-h') { out.help = true; continue; }
    if (tok === '--version' && !command) { out.version = true; continue; }
    if (tok.startsWith('-') && tok.length > 1 && !/^-\d/.test(tok)) {
      const long = tok.startsWith('--');
      const eq = tok.indexOf('=');
      const name = tok.slice(long ? 2 : 1, eq === -1 ? undefined : eq);
      const inline = eq === -1 ? undefined : tok.slice(eq + 1);
      if (!command) throw new UsageError(`give a command before ${tok}`);
      let spec = byName(name);
      if (!spec && long && name.startsWith('no-')) {
        const neg = byName(name.slice(3));
        if (neg && (neg[1].type === 'boolean' || neg[1].negatable)) { out[camel(neg[0])] = false; continue; }
      }
      if (!spec || (!long && spec[1].alias !== name)) throw new UsageError(`unknown option: ${tok}`);
      const [key, o] = spec;
      if (o.type === 'boolean') { set(key, o, inline === undefined ? true : !/^(false|0|no)$/i.test(inline)); continue; }
      let value = inline;
      if (value === undefined) {
        const next = argv[i + 1];
        if (next === undefined || (next.startsWith('-') && next.length > 1 && !/^-\d/.test(next))) throw new UsageError(`option ${tok} needs a value`);
        value = next;
        i++;
      }
      set(key, o, value);
      continue;
    }
    if (!command) {
      command = commands.find((c) => c.name === tok);
      if (!command) throw new UsageError(`unknown command "${tok}" (commands: ${commands.map((c) => c.name).join(', ')})`);
      out._.push(tok);
      continue;
    }
    positionals.push(tok);
  }
  if (command) {
    out.command = command;
    for (const [key, o] of Object.entries(command.options)) if (out[camel(key)] === undefined && o.default !== undefined) out[camel(key)] = o.default;
    if (command.positional) out[command.positional.key] = positionals.length ? positionals : command.positional.default;
    else if (positionals.length) throw new UsageError(`${command.name} takes no arguments (got "${positionals[0]}")`);
  }
  return out;
}

/** `sc-migrate --help`, or `sc-migrate <command> --help`. */
export function helpText(script: string, commands: readonly CommandSpec[], command?: CommandSpec, width = 100): string {
  const lines: string[] = [];
  const cols = (rows: [string, string][]) => {
    const w = Math.min(34, Math.max(...rows.map((r) => r[0].length)) + 2);
    for (const [a, b] of rows) {
      const room = Math.max(30, width - w - 2);
      const words = b.split(' ');
      const wrapped: string[] = [''];
      for (const word of words) {
        if (wrapped[wrapped.length - 1]!.length + word.length + 1 > room && wrapped[wrapped.length - 1]) wrapped.push('');
        wrapped[wrapped.length - 1] += (wrapped[wrapped.length - 1] ? ' ' : '') + word;
      }
      lines.push(`  ${a.padEnd(w)}${wrapped[0]}`);
      for (const more of wrapped.slice(1)) lines.push(`  ${''.padEnd(w)}${more}`);
    }
  };
  const usage = (c: CommandSpec) => `${c.name}${c.positional ? ` [${c.positional.key}..]` : ''}`;
  if (!command) {
    lines.push(`${script} <command> [options]`, '', 'Commands:');
    cols(commands.map((c) => [`${script} ${usage(c)}`, c.describe]));
    lines.push('', 'Options:');
    cols([['-h, --help', 'Show help (also after a command)'], ['--version', 'Show the version']]);
    return lines.join('\n');
  }
  lines.push(`${script} ${usage(command)}`, '', command.describe);
  if (command.positional) { lines.push('', 'Positionals:'); cols([[command.positional.key, `${command.positional.describe} [default: ${command.positional.default.join(' ')}]`]]); }
  lines.push('', 'Options:');
  const rows: [string, string][] = [];
  for (const [key, o] of Object.entries(command.options)) {
    if (o.hidden) continue;
    const flag = `${o.alias ? `-${o.alias}, ` : ''}--${key}${o.type === 'boolean' ? '' : o.type === 'number' ? ' N' : ' VALUE'}`;
    const extra = [o.choices ? `choices: ${o.choices.join(', ')}` : '', o.default !== undefined && o.default !== false ? `default: ${Array.isArray(o.default) ? o.default.join(' ') : String(o.default)}` : '', o.array ? 'repeatable' : ''].filter(Boolean).join('; ');
    rows.push([flag, `${o.describe}${extra ? ` [${extra}]` : ''}`]);
  }
  rows.push(['-h, --help', 'Show help']);
  cols(rows);
  if (command.examples?.length) { lines.push('', 'Examples:'); cols(command.examples.map(([a, b]) => [a.replace('$0', script), b])); }
  return lines.join('\n');
}
