/** scope.ts: lexical binding resolution (declarations, parameters, imports, hoisting, shadowing). */
import { describe, expect, it } from 'vitest';
import { resolveBinding, patternNames } from '../../../src/engine/analysis/scope.js';
import { nodes, parse } from './helpers.js';

const idsNamed = (code: string, name: string) => nodes(parse(code), 'Identifier', (x) => x.name === name);

describe('resolveBinding', () => {
  it('finds const, function, parameter and import bindings', () => {
    const code = "import { API } from './api';\nconst base = API;\nfunction f(token) { return base + token; }\n";
    const [, apiUse] = idsNamed(code, 'API');
    expect(resolveBinding(apiUse!)).toMatchObject({ kind: 'import', imported: 'API' });
    const baseUse = idsNamed(code, 'base')[1]!;
    expect(resolveBinding(baseUse)).toMatchObject({ kind: 'var', declKind: 'const' });
    const tokenUse = idsNamed(code, 'token')[1]!;
    expect(resolveBinding(tokenUse)).toMatchObject({ kind: 'param', index: 0 });
  });

  it('takes the innermost declaration (shadowing) and hoists var out of blocks', () => {
    const code = "const url = 'outer';\nfunction g() { const url = 'inner'; return url; }\nfunction h() { if (x) { var v = 1; } return v; }\n";
    const inner = idsNamed(code, 'url')[2]!;
    const b = resolveBinding(inner);
    expect(b?.kind === 'var' && (b.declarator.init as { value?: string }).value).toBe('inner');
    const vUse = idsNamed(code, 'v')[1]!;
    expect(resolveBinding(vUse)).toMatchObject({ kind: 'var', declKind: 'var' });
  });

  it('gives destructured names their property path', () => {
    const code = 'const { api: { base }, list: [first] } = config;\nuse(base, first);\n';
    expect(resolveBinding(idsNamed(code, 'base')[1]!)).toMatchObject({ kind: 'var', path: ['api', 'base'] });
    expect(resolveBinding(idsNamed(code, 'first')[1]!)).toMatchObject({ kind: 'var', path: ['list', '0'] });
  });

  it('is undefined for globals', () => {
    expect(resolveBinding(idsNamed('fetch(url);', 'fetch')[0]!)).toBeUndefined();
  });
});

describe('patternNames', () => {
  it('lists the names a pattern binds, rest and defaults included', () => {
    const ast = parse('function f({ a, b: [c = 1], ...rest }) {}');
    const fn = nodes(ast, 'FunctionDeclaration')[0]!;
    expect(patternNames(fn.params[0]).map((x) => x.id.name)).toEqual(['a', 'c', 'rest']);
  });
});
