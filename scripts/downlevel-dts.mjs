#!/usr/bin/env node
// `npm run build`, after tsc: the runtime's declaration files (dist/src/runtime/*.d.ts), which
// `fix` makes apps import through `sc-migrate/runtime`, in a syntax old TypeScript reads. The
// apps that still carry the old SoundCloud patterns often pin an old compiler (a bot on tsc 3.3
// got 72 errors from `import { type X }`), and a declaration file that does not parse fails the
// app's whole compile. tsc 5 writes what its source uses; this rewrites, in place, the
// declaration syntax newer than TypeScript 3.3, with the same meaning for a consumer:
//   - `import { type X }`, `import type { X }`, `export type { X }`, `export { type X }`
//     (3.8 / 4.5) -> plain imports and exports (a declaration file's imports are types anyway);
//   - `#private;` (3.8) -> `private "#private";` (still nominal: no other class is assignable);
//   - `get x(): T;` / `set x(v: T);` in a class (3.6) -> `readonly x: T;` / `x: T;`;
//   - `readonly T[]` (3.4) -> `ReadonlyArray<T>`;
//   - `asserts x is T` / `asserts x` (3.7) -> `void`;
//   - `Omit<T, K>` (lib 3.5) -> `Pick<T, Exclude<keyof T, K>>`; `readonly [A, B]` -> `Readonly<[A, B]>`.
// Only the edited spans change; comments and the rest of each file are kept. Newer TypeScript
// reads the result exactly as before. test/runtime/dts-compat.test.ts compiles an app against
// the shipped declarations with TypeScript 3.3 and checks that no newer syntax is left.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import ts from 'typescript';

/** The rewritten text of one declaration file (unchanged when nothing is newer than TypeScript 3.3). */
export function downlevelDts(text, fileName = 'x.d.ts') {
  const sf = ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const edits = [];
  const cut = (from, to, by = '') => edits.push({ from, to, by });
  /** Removes the `type` keyword that starts `node` (`type X` in a specifier, `type {` after import/export). */
  const dropTypeKeyword = (start) => {
    const m = /^type\s+/.exec(text.slice(start));
    if (m) cut(start, start + m[0].length);
  };
  // lib's Omit is TypeScript 3.5; a file that declares or imports its own keeps it
  const declaresOmit = /\b(type|interface)\s+Omit\b|\bOmit\b[^;]*\bfrom\b/.test(text);
  const visit = (node) => {
    if (ts.isImportDeclaration(node) && node.importClause) {
      const clause = node.importClause;
      if (clause.isTypeOnly) dropTypeKeyword(clause.getStart(sf));
      const named = clause.namedBindings;
      if (named && ts.isNamedImports(named)) for (const s of named.elements) if (s.isTypeOnly) dropTypeKeyword(s.getStart(sf));
      return;
    }
    if (ts.isExportDeclaration(node)) {
      if (node.isTypeOnly) {
        const m = /^export\s+type\s+/.exec(text.slice(node.getStart(sf)));
        if (m) cut(node.getStart(sf) + m[0].indexOf('type'), node.getStart(sf) + m[0].length);
      }
      if (node.exportClause && ts.isNamedExports(node.exportClause)) for (const s of node.exportClause.elements) if (s.isTypeOnly) dropTypeKeyword(s.getStart(sf));
      return;
    }
    if (ts.isPropertyDeclaration(node) && ts.isPrivateIdentifier(node.name)) {
      cut(node.getStart(sf), node.getEnd(), 'private "#private";');
      return;
    }
    if ((ts.isGetAccessorDeclaration(node) || ts.isSetAccessorDeclaration(node)) && ts.isClassLike(node.parent)) {
      const name = node.name.getText(sf);
      const mods = (ts.getModifiers?.(node) ?? []).map((m) => m.getText(sf)).filter((m) => m !== 'declare');
      const pair = node.parent.members.find((m) => m !== node && (ts.isGetAccessorDeclaration(m) || ts.isSetAccessorDeclaration(m)) && m.name.getText(sf) === name);
      if (pair && ts.isSetAccessorDeclaration(node)) { cut(node.getStart(sf), node.getEnd()); return; } // the getter's line stands for both
      const typeNode = ts.isGetAccessorDeclaration(node) ? node.type : node.parameters[0]?.type;
      const type = typeNode ? downlevelDts(typeNode.getText(sf)) : 'any';
      const readonly = ts.isGetAccessorDeclaration(node) && !pair ? 'readonly ' : '';
      cut(node.getStart(sf), node.getEnd(), `${[...mods, ''].join(' ')}${readonly}${name}: ${type};`);
      return;
    }
    if (ts.isTypeOperatorNode(node) && node.operator === ts.SyntaxKind.ReadonlyKeyword) {
      if (ts.isArrayTypeNode(node.type)) {
        cut(node.getStart(sf), node.getEnd(), `ReadonlyArray<${downlevelDts(node.type.elementType.getText(sf))}>`);
        return;
      }
      if (ts.isTupleTypeNode(node.type)) {
        cut(node.getStart(sf), node.getEnd(), `Readonly<${downlevelDts(node.type.getText(sf))}>`);
        return;
      }
    }
    if (ts.isTypeReferenceNode(node) && ts.isIdentifier(node.typeName) && node.typeName.text === 'Omit' && node.typeArguments?.length === 2 && !declaresOmit) {
      const [t, k] = node.typeArguments.map((a) => downlevelDts(a.getText(sf)));
      cut(node.getStart(sf), node.getEnd(), `Pick<${t}, Exclude<keyof ${t}, ${k}>>`);
      return;
    }
    if (ts.isTypePredicateNode(node) && node.assertsModifier) {
      cut(node.getStart(sf), node.getEnd(), 'void');
      return;
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  let out = text;
  for (const e of edits.sort((a, b) => b.from - a.from)) out = out.slice(0, e.from) + e.by + out.slice(e.to);
  return out;
}

/** Rewrites every .d.ts under `dir` (recursively); returns the files changed. */
export function downlevelDir(dir) {
  const changed = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) { changed.push(...downlevelDir(p)); continue; }
    if (!e.name.endsWith('.d.ts')) continue;
    const text = readFileSync(p, 'utf8');
    const out = downlevelDts(text, p);
    if (out !== text) { writeFileSync(p, out); changed.push(p); }
  }
  return changed;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const root = join(dirname(fileURLToPath(import.meta.url)), '..');
  downlevelDir(join(root, 'dist/src/runtime'));
}
