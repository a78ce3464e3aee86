/**
 * parseFile's end repair (ParseOptions.recover): a file whose code stops before its last brackets
 * close is read with the closers appended; an error anywhere else still throws.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseFile, ParseError } from '../../src/engine/parse.js';

const FIX = join(import.meta.dirname, '..', 'scan', 'fixtures', 'recover');
const read = (f: string) => readFileSync(join(FIX, f), 'utf8');

describe('parseFile: recover', () => {
  it('reads a jQuery file without its final `});`, offsets of its own text unchanged', () => {
    const text = read('truncated-jquery.js');
    expect(() => parseFile(text, 'a.js')).toThrow(ParseError);
    const p = parseFile(text, 'a.js', undefined, { recover: true });
    expect(p.extras.recovered).toMatchObject({ appended: '\n})' });
    expect(p.extras.recovered!.error).toMatch(/^syntax error at \d+:\d+: '\}' expected/);
    expect(p.text.startsWith(text)).toBe(true);
    const call = p.ast.body[0] as { range: [number, number] };
    expect(text.slice(call.range[0], call.range[1])).toMatch(/^SC\.initialize\(/);
  });

  it('closes several levels, behind a trailing comment', () => {
    const p = parseFile(read('truncated-clean.js'), 'b.js', undefined, { recover: true });
    expect(p.extras.recovered!.appended).toBe('\n})}');
  });

  it('never repairs an error in the middle of the file', () => {
    const text = read('broken-middle.js');
    expect(() => parseFile(text, 'c.js', undefined, { recover: true })).toThrow(/'\)' expected/);
  });

  it('never repairs what is no missing closer (an unterminated string, a stray closer)', () => {
    expect(() => parseFile("var a = 'x\n", 'd.js', undefined, { recover: true })).toThrow(ParseError);
    expect(() => parseFile('f(1));\n', 'e.js', undefined, { recover: true })).toThrow(ParseError);
    expect(() => parseFile('function f() {\n  var a = [1, 2\n', 'f.ts', undefined, { recover: true })).not.toThrow();
  });

  it('gives up beyond eight closers', () => {
    expect(() => parseFile('f(g(h(i(j(k(l(m(n(1\n', 'g.js', undefined, { recover: true })).toThrow(ParseError);
    expect(parseFile('f(g(h(i(j(k(l(m(1\n', 'h.js', undefined, { recover: true }).extras.recovered!.appended).toBe('\n))))))))');
  });

  it('repairs the last script block of a page (the rest of the page is blank)', () => {
    const text = read('truncated-page.html');
    expect(() => parseFile(text, 'p.html')).toThrow(ParseError);
    const p = parseFile(text, 'p.html', undefined, { recover: true });
    expect(p.extras.recovered!.appended).toBe('\n})');
    expect(p.extras.scriptSources).toHaveLength(1);
  });

  it('leaves a file that parses alone (no mark)', () => {
    expect(parseFile('f(1);\n', 'ok.js', undefined, { recover: true }).extras.recovered).toBeUndefined();
  });
});
