/** How values are used: dead constants (declared, never read, not exported), importers of a file. */
import type { TSESTree } from '@typescript-eslint/typescript-estree';
import { traverseCollect } from './walk.js';
import { enclosingFunction, programOf } from './scope.js';
import { endOf, startOf } from '../offsets.js';
import type { ProjectContext } from '../project.js';
import { mentionsSoundCloud, relativeSpecifiers } from '../prefilter.js';
import { projectFiles } from './project-facts.js';
import { resolveModule } from './values.js';
import { expressionOf } from './strings.js';

type N = TSESTree.Node;
const counts = new WeakMap<N, Map<string, number>>();

/** How often each name is written in the program: from its identifiers when the caller has them (the facts' list), else a walk. */
function identifierCounts(program: TSESTree.Program, identifiers?: readonly TSESTree.Identifier[]): Map<string, number> {
  let m = counts.get(program);
  if (!m) {
    const c = new Map<string, number>();
    const add = (n: N) => { if (n.type === 'Identifier') c.set(n.name, (c.get(n.name) ?? 0) + 1); };
    if (identifiers) identifiers.forEach(add);
    else traverseCollect(program, add);
    counts.set(program, (m = c));
  }
  return m;
}

/**
 * `const X = <node>` where X is never read in the file and not exported. `identifiers`: every
 * Identifier of the file (FileFacts.identifiers), to count names without walking the tree again.
 */
export function isDeadConstant(node: N, identifiers?: readonly TSESTree.Identifier[]): boolean {
  const x = expressionOf(node);
  const d = x.parent;
  if (!d || d.type !== 'VariableDeclarator' || d.init !== x || d.id.type !== 'Identifier') return false;
  const decl = d.parent;
  if (decl?.parent?.type === 'ExportNamedDeclaration') return false;
  const program = programOf(node);
  if (program.body.some((s) => s.type === 'ExportNamedDeclaration' && s.specifiers.some((sp) => sp.local.type === 'Identifier' && sp.local.name === (d.id as TSESTree.Identifier).name))) return false;
  const name = d.id.name;
  if ((identifierCounts(program, identifiers).get(name) ?? 0) <= 1) return true;
  // a variable of a function (`var`, `let`, `const` in its body) is read only inside it: the same
  // name in another function (`var url` of each handler) is another variable
  const fn = enclosingFunction(d);
  if (!fn) return false;
  const [from, to] = [startOf(fn), endOf(fn)];
  let uses = 0;
  const count = (n: N) => { if (n.type === 'Identifier' && n.name === name && startOf(n) >= from && endOf(n) <= to) uses++; };
  if (identifiers) identifiers.forEach(count);
  else traverseCollect(fn, count);
  return uses <= 1;
}

/**
 * A value no code reads: the init of a variable, or a property value of the object literal that is
 * one, where the variable is a dead constant (isDeadConstant): `var soundcloud = { host_connect:
 * 'https://soundcloud.com/connect' }` and no `soundcloud` after it. Not a top-level name of a script
 * (no import, export, require or module.exports): the other scripts of its page read it as a global.
 */
export function isUnreadValue(node: N, identifiers?: readonly TSESTree.Identifier[]): boolean {
  let x = expressionOf(node);
  if (x.parent?.type === 'Property' && x.parent.value === x && x.parent.parent?.type === 'ObjectExpression') x = x.parent.parent;
  if (!isDeadConstant(x, identifiers)) return false;
  if (x.parent?.parent?.parent?.type !== 'Program') return true;
  const program = x.parent.parent.parent;
  const names = identifierCounts(program, identifiers);
  return program.body.some((s) => s.type === 'ImportDeclaration' || s.type.startsWith('Export')) || names.has('require') || names.has('exports');
}

/**
 * Files of the project that import `file` (relative imports and requires, text level), built once
 * per project from the scan's file list.
 */
export function importersOf(project: ProjectContext, file: string): string[] {
  let index = project.cache.get('importers') as Map<string, string[]> | undefined;
  if (!index) {
    index = new Map();
    for (const f of projectFiles(project)) {
      const text = project.readFile(f);
      if (!text || !text.includes('./')) continue;
      for (const spec of relativeSpecifiers(text)) {
        const dep = resolveModule(project, f, spec);
        if (!dep) continue;
        const list = index.get(dep) ?? [];
        if (!list.includes(f)) list.push(f);
        index.set(dep, list);
      }
    }
    project.cache.set('importers', index);
  }
  return index.get(file) ?? [];
}

/** A module that passes another one on whole: `module.exports = require('./config/local')`, `export * from './x'`. */
const REEXPORT = /\bmodule\.exports\s*=\s*require\s*\(|\bexport\s*(?:\*|\{[^}]*\})\s*from\b/;

/** ...or exports a name it sets to a required module: `if (env === 'local') config = require('./config/local.js'); module.exports = config`. */
function passesOn(text: string): boolean {
  if (REEXPORT.test(text)) return true;
  const exported = /\bmodule\.exports\s*=\s*([A-Za-z_$][\w$]*)\s*;?\s*$/m.exec(text)?.[1];
  return !!exported && new RegExp(`(?:^|[^\\w$.])${exported.replace(/\$/g, '\\$')}\\s*=\\s*require\\s*\\(`).test(text);
}

/**
 * Is an export `name` of `file` imported by a file that names SoundCloud (used for SoundCloud)?
 * Through modules that re-export it too (a `config.js` that picks the environment's file), up to three.
 */
export function usedBySoundCloudImporter(project: ProjectContext, file: string, name: string, depth = 0, seen = new Set<string>([file])): boolean {
  const word = new RegExp(`\\b${name.replace(/[$]/g, '\\$')}\\b`);
  return importersOf(project, file).some((f) => {
    const t = project.readFile(f);
    if (!t || seen.has(f)) return false;
    seen.add(f);
    if (mentionsSoundCloud(t) && word.test(t)) return true;
    return depth < 3 && passesOn(t) && usedBySoundCloudImporter(project, f, name, depth + 1, seen);
  });
}
