/**
 * Declarations a fix left without a reader. `const CLIENT_ID = process.env.SC_ID` whose only read
 * was the `?client_id=${CLIENT_ID}` a rewrite removed, or `import { CLIENT_ID } from './config'`
 * used only there: a project compiled with `noUnusedLocals` (or linted with no-unused-vars) would
 * fail on the fixed file. Removed only when nothing of that name is read anywhere else in the file
 * (any identifier of the name counts, properties and types included), the name was read before
 * the fix, and the declaration cannot do anything: a module-level, not exported `const`/`let`/`var`
 * with one declarator whose value is a literal, a template without expressions or an environment
 * read (`process.env.X`, `import.meta.env.X`); a named or default import specifier (the module
 * stays imported, `import './config'`, when none is left: it may run code when loaded).
 * Inside a function: a declaration of one name whose value is a choice between two strings by a
 * test without effects (`const sep = url.includes('?') ? '&' : '?'`, the separator a removed
 * `${sep}oauth_token=${t}` was appended with), in modules and classic scripts alike.
 */
import type { TSESTree } from '@typescript-eslint/typescript-estree';
import { traverseCollect } from '../engine/analysis/walk.js';
import type { TextEdit } from '../engine/types.js';
import { removeStatementEdit } from './rewrites.js';

type N = TSESTree.Node;

/** How many identifiers of each name a program has (JSX names too). */
function nameCounts(program: N): Map<string, number> {
  const counts = new Map<string, number>();
  // `import { KEY }`: its `imported` name is not a read (the `local` one is the declaration)
  const imported = new Set<N>();
  traverseCollect(program, (n) => {
    if (n.type === 'ImportSpecifier' && n.imported !== n.local) imported.add(n.imported);
    else if ((n.type === 'Identifier' || n.type === 'JSXIdentifier') && !imported.has(n)) counts.set(n.name, (counts.get(n.name) ?? 0) + 1);
  });
  return counts;
}

const inert = (init: N | null | undefined): boolean => {
  if (!init) return false;
  if (init.type === 'Literal') return true;
  if (init.type === 'TemplateLiteral') return init.expressions.length === 0;
  if (init.type === 'TSAsExpression' || init.type === 'TSNonNullExpression') return inert(init.expression);
  if (init.type === 'LogicalExpression') return inert(init.left) && inert(init.right);
  // process.env.X, process.env['X'], import.meta.env.X
  if (init.type !== 'MemberExpression') return false;
  const o = init.object;
  return (o.type === 'MemberExpression' && !o.computed && o.property.type === 'Identifier' && o.property.name === 'env'
    && ((o.object.type === 'Identifier' && o.object.name === 'process') || o.object.type === 'MetaProperty'));
};

/** A test without effects: names, member reads, literals, operators, and string tests (`x.includes('?')`). */
const pureTest = (n: N): boolean => {
  switch (n.type) {
    case 'Identifier': case 'Literal': return true;
    case 'MemberExpression': return !n.computed && pureTest(n.object);
    case 'UnaryExpression': return n.operator !== 'delete' && pureTest(n.argument);
    case 'BinaryExpression': case 'LogicalExpression': return pureTest(n.left as N) && pureTest(n.right);
    case 'CallExpression': return n.callee.type === 'MemberExpression' && !n.callee.computed && n.callee.property.type === 'Identifier'
      && /^(includes|indexOf|startsWith|endsWith)$/.test(n.callee.property.name) && pureTest(n.callee.object) && n.arguments.every((a) => a.type === 'Literal');
    default: return false;
  }
};

/** `url.includes('?') ? '&' : '?'`: a choice between two strings by a test without effects. */
const isChoiceOfStrings = (init: N | null | undefined): boolean =>
  init?.type === 'ConditionalExpression' && init.consequent.type === 'Literal' && typeof init.consequent.value === 'string'
  && init.alternate.type === 'Literal' && typeof init.alternate.value === 'string' && pureTest(init.test);

/**
 * A module (imports, exports, CommonJS): its top level is its own. A classic script's top-level
 * `var` is a global that the page's other scripts may read (analysis/page-globals.ts): left alone.
 */
const isModule = (program: TSESTree.Program, text: string): boolean =>
  program.body.some((s) => s.type === 'ImportDeclaration' || s.type.startsWith('Export')) || /\brequire\s*\(|\bmodule\.exports\b|\bexports\.\w/.test(text);

/** A removed line between two blank lines takes one of them along (no double blank line left). */
function withoutDoubleBlank(text: string, e: TextEdit): TextEdit {
  const [a, b] = e.range;
  const before = text.slice(0, a);
  return /(^|\n)[ \t]*\n$/.test(before) && /^[ \t]*\r?\n/.test(text.slice(b)) ? { range: [a, b + /^[ \t]*\r?\n/.exec(text.slice(b))![0].length], text: '' } : e;
}

/** Edits that remove what the fix orphaned in `after` (empty when nothing). */
export function orphanEdits(before: N, after: TSESTree.Program, text: string): TextEdit[] {
  const was = nameCounts(before);
  const now = nameCounts(after);
  // read before (beyond its own declaration), not at all now (only the declaration itself left)
  const orphaned = (name: string) => (was.get(name) ?? 0) > 1 && now.get(name) === 1;
  const edits: TextEdit[] = [];
  // in a function: the separator a removed parameter was appended with (`const sep = url.includes('?') ? '&' : '?'`)
  traverseCollect(after as N, (n) => {
    if (n.type !== 'VariableDeclaration' || n.declarations.length !== 1 || n.parent?.type !== 'BlockStatement') return;
    const d = n.declarations[0]!;
    if (d.id.type === 'Identifier' && orphaned(d.id.name) && isChoiceOfStrings(d.init)) edits.push(withoutDoubleBlank(text, removeStatementEdit(text, n as N)));
  });
  if (!isModule(after, text)) return edits;
  for (const s of after.body) {
    if (s.type === 'VariableDeclaration' && s.declarations.length === 1) {
      const d = s.declarations[0]!;
      if (d.id.type === 'Identifier' && orphaned(d.id.name) && inert(d.init)) edits.push(withoutDoubleBlank(text, removeStatementEdit(text, s as N)));
    } else if (s.type === 'ImportDeclaration' && s.importKind !== 'type' && s.specifiers.length) {
      const gone = s.specifiers.filter((x) => (x.type === 'ImportSpecifier' || x.type === 'ImportDefaultSpecifier') && orphaned(x.local.name));
      if (!gone.length) continue;
      const kept = s.specifiers.filter((x) => !gone.includes(x));
      // an import written over several lines keeps its layout: only one left whole is rewritten
      if (kept.length && text.slice(s.range[0], s.range[1]).includes('\n')) continue;
      const source = text.slice(s.source.range[0], s.source.range[1]);
      const semi = text.slice(s.range[0], s.range[1]).trimEnd().endsWith(';') ? ';' : '';
      let replacement: string;
      if (!kept.length) replacement = `import ${source}${semi}`;
      else {
        const def = kept.find((x) => x.type === 'ImportDefaultSpecifier');
        const ns = kept.find((x) => x.type === 'ImportNamespaceSpecifier');
        const named = kept.filter((x) => x.type === 'ImportSpecifier').map((x) => text.slice(x.range[0], x.range[1]));
        const parts = [def && text.slice(def.range[0], def.range[1]), ns && text.slice(ns.range[0], ns.range[1]), named.length ? `{ ${named.join(', ')} }` : undefined].filter(Boolean);
        replacement = `import ${parts.join(', ')} from ${source}${semi}`;
      }
      edits.push({ range: s.range, text: replacement });
    }
  }
  return edits;
}
