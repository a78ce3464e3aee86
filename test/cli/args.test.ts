/** The CLI's argument parser (src/cli/args.ts) on the real command table. */
import { describe, expect, it } from 'vitest';
import { helpText, parseArgs } from '../../src/cli/args.js';
import { COMMANDS } from '../../src/cli/main.js';

const parse = (...argv: string[]) => parseArgs(argv, COMMANDS);

describe('parseArgs', () => {
  it('commands, positionals with their default, option defaults, camelCase keys', () => {
    const a = parse('scan');
    expect(a._).toEqual(['scan']);
    expect(a.paths).toEqual(['.']);
    expect(a).toMatchObject({ format: 'pretty', failOn: 'error', ignore: true, maxFileSize: '2MB', fail: true, verbose: false });
    expect(parse('scan', 'src', 'lib').paths).toEqual(['src', 'lib']);
    expect(parse('scan', '--', '--weird-dir').paths).toEqual(['--weird-dir']);
  });

  it('values: separate, inline `=`, aliases, numbers, repeatable lists', () => {
    const a = parse('scan', '-f', 'json', '--fail-on=warning', '-j', '2', '--rule', 'a', '--rule=b,c', '-o', 'out.json', '--changed-since', 'HEAD~1');
    expect(a).toMatchObject({ format: 'json', failOn: 'warning', jobs: 2, rule: ['a', 'b,c'], output: 'out.json', changedSince: 'HEAD~1' });
    expect(parse('mock-api', '--port', '8080', '--legacy')).toMatchObject({ port: 8080, legacy: true });
  });

  it('--no-<flag> negation for booleans and --no-config', () => {
    expect(parse('scan', '--no-ignore', '--no-config', '--no-fail', '--no-color')).toMatchObject({ ignore: false, config: false, fail: false, color: false });
    expect(parse('scan', '--staged=false').staged).toBe(false);
  });

  it('usage errors: unknown command or option, missing value, bad choice or number, stray argument', () => {
    expect(() => parse('scna')).toThrow(/unknown command "scna"/);
    expect(() => parse('scan', '--bogus')).toThrow(/unknown option: --bogus/);
    expect(() => parse('scan', '--rule')).toThrow(/--rule needs a value/);
    expect(() => parse('scan', '--rule', '--staged')).toThrow(/needs a value/);
    expect(() => parse('scan', '--format', 'xml')).toThrow(/invalid value "xml"/);
    expect(() => parse('scan', '-j', 'many')).toThrow(/not a number/);
    expect(() => parse('rules', 'extra')).toThrow(/takes no arguments/);
    expect(() => parse('--format', 'json')).toThrow(/give a command/);
    expect(() => parse('rules', '--dry')).toThrow(/unknown option/); // options belong to their command
  });

  it('help and version', () => {
    expect(parse('--help').help).toBe(true);
    expect(parse('scan', '-h')).toMatchObject({ help: true, _: ['scan'] });
    expect(parse('--version').version).toBe(true);
    const top = helpText('sc-migrate', COMMANDS);
    for (const c of COMMANDS) expect(top).toContain(`sc-migrate ${c.name}`);
    expect(helpText('sc-migrate', COMMANDS, COMMANDS[0], 200)).toMatch(/-f, --format VALUE\s+Output format \[choices: pretty, json, sarif, github, markdown; default: pretty\]/);
    const scan = helpText('sc-migrate', COMMANDS, COMMANDS[0], 80);
    expect(scan).not.toContain('--rules-module'); // hidden
    expect(Math.max(...scan.split('\n').map((l) => l.length))).toBeLessThanOrEqual(80);
  });
});
