/** The command line on yargs (src/cli/program.ts) with the real command table (src/cli/commands/). */
import { describe, expect, it } from 'vitest';
import { closest, parse } from '../../src/cli/program.js';
import { COMMANDS } from '../../src/cli/commands/index.js';
import type { Args } from '../../src/cli/command.js';
import { toRunOptions } from '../../src/cli/options.js';

const p = (...argv: string[]) => parse(argv, COMMANDS, '9.9.9', 100);
const args = async (...argv: string[]): Promise<Args & { command: string }> => {
  const r = await p(...argv);
  if (r.kind !== 'run') throw new Error(`expected a command, got ${r.kind}: ${'message' in r ? r.message : r.text}`);
  return { ...r.args, command: r.command.name };
};
const error = async (...argv: string[]): Promise<string> => {
  const r = await p(...argv);
  if (r.kind !== 'error') throw new Error(`expected an error, got ${r.kind}`);
  return r.message;
};
const text = async (...argv: string[]): Promise<string> => {
  const r = await p(...argv);
  if (r.kind !== 'text') throw new Error(`expected help or version, got ${r.kind}`);
  return r.text;
};

describe('the yargs command table', () => {
  it('one module per command, each named once', () => {
    expect(COMMANDS.map((c) => c.name)).toEqual(['scan', 'baseline', 'merge', 'deps', 'rules', 'fix', 'mock-api']);
  });

  it('commands, positionals with their default, option defaults, camelCase keys', async () => {
    const a = await args('scan');
    expect(a.command).toBe('scan');
    expect(a.paths).toEqual(['.']);
    expect(a).toMatchObject({ format: 'pretty', failOn: 'error', ignore: true, maxFileSize: '2MB', fail: true, verbose: false, failOnSkipped: false });
    expect((await args('scan', 'src', 'lib')).paths).toEqual(['src', 'lib']);
    expect((await args('scan', '--', '--weird-dir')).paths).toEqual(['--weird-dir']);
  });

  it('values: separate, inline `=`, aliases, numbers, repeatable lists', async () => {
    const a = await args('scan', '-f', 'json', '--fail-on=warning', '-j', '2', '--rule', 'a', '--rule=b,c', '-o', 'out.json', '--changed-since', 'HEAD~1');
    expect(a).toMatchObject({ format: 'json', failOn: 'warning', rule: ['a', 'b,c'], output: 'out.json', changedSince: 'HEAD~1' });
    const o = toRunOptions(a, '/tmp', false);
    expect(o).toMatchObject({ only: ['a', 'b', 'c'], jobs: 2, changedSince: 'HEAD~1' });
    expect(await args('mock-api', '--port', '8080', '--legacy')).toMatchObject({ port: '8080', legacy: true });
  });

  it('--no-<flag> negation for booleans and --no-config', async () => {
    const a = await args('scan', '--no-ignore', '--no-config', '--no-fail', '--no-color');
    expect(a).toMatchObject({ ignore: false, config: false, fail: false, color: false });
    expect(toRunOptions(a, '/tmp', false)).toMatchObject({ noIgnore: true, noConfig: true });
    expect((await args('scan', '--staged=false')).staged).toBe(false);
  });

  it('usage errors: unknown command or option (with a suggestion), missing value, bad choice or number, stray argument', async () => {
    expect(await error('scna')).toMatch(/unknown command "scna": did you mean "scan"\?/);
    expect(await error('scan', '--formt', 'json')).toMatch(/unknown option --formt for scan: did you mean --format\?/);
    expect(await error('scan', '--fail-onn', 'none')).toMatch(/did you mean --fail-on\?/);
    expect(await error('scan', '--no-ignor')).toMatch(/did you mean --no-ignore\?/);
    expect(await error('scan', '--bogus')).toMatch(/unknown option --bogus for scan$/);
    expect(await error('scan', '--rule')).toMatch(/Not enough arguments following: rule/);
    expect(await error('scan', '--format', 'xml')).toMatch(/Invalid values.*"xml"/);
    expect(() => toRunOptions({ _: ['scan'], jobs: 'many' }, '/tmp', false)).toThrow(/--jobs must be a positive integer \(got "many"\)/);
    expect(await error('rules', 'extra')).toMatch(/rules takes no arguments \(got "extra"\)/);
    expect(await error('rules', '--dry')).toMatch(/unknown option --dry for rules/); // options belong to their command
    expect(await error('fix', '--staged')).toMatch(/unknown option --staged for fix/);
    expect(await error()).toMatch(/Give a command/);
  });

  it('help and version', async () => {
    const top = await text('--help');
    for (const c of COMMANDS) expect(top).toContain(`sc-migrate ${c.name}`);
    expect(await text('-v')).toBe('9.9.9');
    expect(await text('--version')).toBe('9.9.9');
    const scan = await text('scan', '--help');
    expect(scan).toMatch(/-f, --format\s+Output format\s+\[string\] \[choices: "pretty", "json", "sarif", "github", "markdown", "html"\] \[default: "pretty"\]/);
    expect(scan).not.toContain('--rules-module'); // hidden
    expect(Math.max(...scan.split('\n').map((l) => l.length))).toBeLessThanOrEqual(100);
    expect(await text('scan', '-h')).toBe(scan);
  });

  it('fix --help lists only the options fix accepts', async () => {
    const help = await text('fix', '--help');
    const listed = [...help.matchAll(/^\s+(?:-\w, )?--([a-z-]+)/gm)].map((m) => m[1]!);
    const fix = COMMANDS.find((c) => c.name === 'fix')!;
    const accepted = [...Object.keys(fix.options).filter((k) => !fix.options[k]!.hidden), 'help', 'version'];
    expect(listed.sort()).toEqual(accepted.sort());
    for (const o of ['staged', 'changed-since', 'baseline', 'fail-on', 'output']) expect(listed).not.toContain(o);
    for (const o of listed) expect((await p('fix', `--${o}`, ...(fix.options[o]?.type === 'string' ? [o === 'format' ? 'json' : 'x'] : []))).kind).not.toBe('error');
  });

  it('closest: typos only', () => {
    expect(closest('formt', ['format', 'fail-on'])).toBe('format');
    expect(closest('zzzzzz', ['format', 'fail-on'])).toBeUndefined();
  });
});
