/**
 * The runtime's shipped declaration files (what `import ... from 'sc-migrate/runtime'` gives an
 * app's compiler) are read by old TypeScript: apps that still carry the old SoundCloud patterns
 * often pin one (a bot on tsc 3.3 got 72 errors from `import { type X }`). scripts/downlevel-dts.mjs
 * rewrites them after tsc; `npm test` builds first. An app is compiled here against the package
 * with TypeScript 3.3, installed in test/dts-compat (its own package: as a devDependency of the
 * project its `tsc` bin would shadow TypeScript 5's); .ci/run installs it (`npm ci --prefix
 * test/dts-compat`). Tests never touch the network: without it the compile test is skipped, saying so.
 */
import { describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
// @ts-expect-error: a plain .mjs script, no declarations
import { downlevelDts } from '../../scripts/downlevel-dts.mjs';

const root = fileURLToPath(new URL('../..', import.meta.url));
const compatDir = join(root, 'test/dts-compat');
function oldTypeScript(): typeof ts | undefined {
  if (!existsSync(join(compatDir, 'node_modules/typescript/package.json'))) {
    console.warn('dts-compat: TypeScript 3.3 is not installed (npm ci --prefix test/dts-compat, as .ci/run does): the old-compiler test is skipped');
    return undefined;
  }
  return createRequire(join(compatDir, 'package.json'))('typescript') as typeof ts;
}
const down = downlevelDts as (text: string) => string;

describe('downlevelDts', () => {
  it('makes type-only imports and exports plain', () => {
    expect(down(`import { type A, B } from './a.js';\nimport type { C } from './c.js';\n`)).toBe(`import { A, B } from './a.js';\nimport { C } from './c.js';\n`);
    expect(down(`export type { A, B } from './a.js';\nexport { type C, D } from './c.js';\n`)).toBe(`export { A, B } from './a.js';\nexport { C, D } from './c.js';\n`);
  });
  it('rewrites #private, accessors, readonly arrays and tuples, asserts and Omit', () => {
    const input = [
      'export declare class K {',
      '    #private;',
      '    /** doc */',
      '    get hasSecret(): boolean;',
      '    get size(): number;',
      '    set size(v: number);',
      '    f(a?: readonly string[]): asserts a is string[];',
      '}',
      'export declare const L: readonly ["a", "b"];',
      'export declare function g(o: Omit<{ a: 1; b: 2 }, "b">): void;',
      '',
    ].join('\n');
    expect(down(input)).toBe([
      'export declare class K {',
      '    private "#private";',
      '    /** doc */',
      '    readonly hasSecret: boolean;',
      '    size: number;',
      '    ',
      '    f(a?: ReadonlyArray<string>): void;',
      '}',
      'export declare const L: Readonly<["a", "b"]>;',
      'export declare function g(o: Pick<{ a: 1; b: 2 }, Exclude<keyof { a: 1; b: 2 }, "b">>): void;',
      '',
    ].join('\n'));
  });
  it('keeps a file with nothing newer byte for byte, and is idempotent', () => {
    const text = `/** x */\nimport { A } from './a.js';\nexport declare function f(a: A): Promise<void>;\n`;
    expect(down(text)).toBe(text);
    const newer = `import { type A } from './a.js';\nexport declare const x: readonly A[];\n`;
    expect(down(down(newer))).toBe(down(newer));
  });
});

function dtsFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? dtsFiles(join(dir, e.name)) : e.name.endsWith('.d.ts') ? [join(dir, e.name)] : []));
}

describe('shipped runtime declarations', () => {
  const files = [...dtsFiles(join(root, 'dist/src/runtime')), ...dtsFiles(join(root, 'runtime'))];
  it('hold no syntax newer than TypeScript 3.3', () => {
    expect(files.length).toBeGreaterThan(10);
    const newer: string[] = [];
    for (const file of files) {
      const sf = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
      const visit = (n: ts.Node): void => {
        const at = `${file.slice(root.length)}:${sf.getLineAndCharacterOfPosition(n.getStart(sf)).line + 1}`;
        if (ts.isImportClause(n) && n.isTypeOnly) newer.push(`import type ${at}`);
        if ((ts.isImportSpecifier(n) || ts.isExportSpecifier(n)) && n.isTypeOnly) newer.push(`type specifier ${at}`);
        if (ts.isExportDeclaration(n) && n.isTypeOnly) newer.push(`export type ${at}`);
        if (ts.isPrivateIdentifier(n)) newer.push(`#private ${at}`);
        if (ts.isGetAccessorDeclaration(n) || ts.isSetAccessorDeclaration(n)) newer.push(`accessor ${at}`);
        if (ts.isTypeOperatorNode(n) && n.operator === ts.SyntaxKind.ReadonlyKeyword) newer.push(`readonly type ${at}`);
        if (ts.isTypePredicateNode(n) && n.assertsModifier) newer.push(`asserts ${at}`);
        if (ts.isTemplateLiteralTypeNode(n) || ts.isNamedTupleMember(n)) newer.push(`4.x type ${at}`);
        ts.forEachChild(n, visit);
      };
      visit(sf);
    }
    expect(newer).toEqual([]);
  });

  const old = oldTypeScript();
  it.skipIf(!old)('compile an app with TypeScript 3.3 (no error in the app or the package)', () => {
    if (!old) return;
    expect(old.version.startsWith('3.3.')).toBe(true);
    const dir = mkdtempSync(join(tmpdir(), 'sc-dts-compat-'));
    try {
      mkdirSync(join(dir, 'node_modules'));
      symlinkSync(root, join(dir, 'node_modules', 'sc-migrate'), 'dir');
      const app = join(dir, 'app.ts');
      writeFileSync(app, [
        "import { SoundCloudClient, MemoryTokenStore, createClientFromEnv, createTokenEndpoint, toNodeHandler, SoundCloudClientOptions, TokenSet, SoundCloudApiError } from 'sc-migrate/runtime';",
        "import { SoundCloudClient as BrowserClient } from 'sc-migrate/runtime/browser';",
        "const options: SoundCloudClientOptions = { clientId: 'id', tokenStore: new MemoryTokenStore() };",
        'const client = new SoundCloudClient(options);',
        "const browser = new BrowserClient({ clientId: 'id', tokenEndpoint: '/api/soundcloud-token' });",
        'export async function main(): Promise<TokenSet | undefined> {',
        "  const res = await client.fetch('https://api.soundcloud.com/me');",
        '  if (!res.ok) throw new SoundCloudApiError({ status: res.status, code: \'unknown\', message: \'x\' } as any);',
        '  console.log(browser, createClientFromEnv, toNodeHandler(createTokenEndpoint({ clientId: \'id\', clientSecret: \'s\' })));',
        '  return undefined;',
        '}',
        '',
      ].join('\n'));
      const program = old.createProgram([app], {
        noEmit: true, strict: true, target: old.ScriptTarget.ES2017, module: old.ModuleKind.CommonJS,
        moduleResolution: old.ModuleResolutionKind.NodeJs, types: [],
        // TypeScript 3.3's es2018 lib has no AsyncIterable yet (toNodeHandler's request type)
        lib: ['lib.es2018.d.ts', 'lib.esnext.asynciterable.d.ts', 'lib.dom.d.ts'],
      });
      const diagnostics = old.getPreEmitDiagnostics(program).map((d) => `${d.file?.fileName.replace(dir, '') ?? ''}: ${old.flattenDiagnosticMessageText(d.messageText, '\n')}`);
      expect(diagnostics).toEqual([]);
      // and what it compiled is the shipped declarations, not a fallback
      expect(program.getSourceFiles().some((f) => /dist\/src\/runtime\/client\.d\.ts$/.test(f.fileName))).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
