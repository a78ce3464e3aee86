/**
 * Globals shared by the classic scripts of one page. A page that loads `helpers.js` and then
 * `models/user.js` with `<script src>` tags runs both in one global scope: a name one of them
 * defines at its top level (`var CLIENT_ID = '...'`, `function apiUrl() {...}`), or assigns
 * without declaring it (`URLPostfix = '?client_id=' + APIKey` inside a ready callback), or sets
 * on `window`, is the value another one reads as an unbound name. Only files that one HTML page
 * of the tree lists together (or the page's own inline scripts) share them; a name defined more
 * than once across them has no single value and resolves to nothing. A script's own undeclared
 * global (assigned once, read elsewhere in the same file) is its value too.
 */
import type { TSESTree } from '@typescript-eslint/typescript-estree';
import type { ProjectContext } from '../project.js';
import { pageScriptFile, pageScripts } from '../prefilter.js';
import { ensureParents, traverse } from '../walk.js';
import { projectFiles } from './project-facts.js';
import { programOf, resolveBinding } from './scope.js';

type N = TSESTree.Node;

/** A page lists at most this many scripts of the tree for sharing (larger ones are generated or bundles). */
const MAX_PAGE_SCRIPTS = 60;
const PAGE_RE = /\.html?$/i;

/** For each script of the tree that a page loads: the other scripts of its pages (and the pages themselves). */
function pagePeers(project: ProjectContext): Map<string, string[]> {
  let peers = project.cache.get('page-peers') as Map<string, string[]> | undefined;
  if (peers) return peers;
  peers = new Map();
  const files = projectFiles(project);
  const known = new Set(files);
  for (const page of files) {
    if (!PAGE_RE.test(page)) continue;
    const text = project.readFile(page);
    if (!text || !/<script[^>]*\ssrc\s*=/i.test(text)) continue;
    const members = new Set<string>([page]);
    for (const src of pageScripts(text)) {
      const hit = src && pageScriptFile(project.root, page, src, known);
      if (hit) members.add(hit);
    }
    if (members.size < 2 || members.size > MAX_PAGE_SCRIPTS) continue;
    for (const m of members) {
      const list = peers.get(m) ?? [];
      for (const o of members) if (o !== m && !list.includes(o)) list.push(o);
      peers.set(m, list);
    }
  }
  project.cache.set('page-peers', peers);
  return peers;
}

/** The programs of the other scripts a page loads with `file` (parsed, with parents); none outside a page. */
export function pagePeerPrograms(project: ProjectContext | undefined, file: string): { program: TSESTree.Program; file: string }[] {
  const peers = project ? pagePeers(project).get(file) : undefined;
  const out: { program: TSESTree.Program; file: string }[] = [];
  for (const f of peers ?? []) {
    if (PAGE_RE.test(f)) continue;
    const mod = project!.loadModule(f);
    if (!mod) continue;
    ensureParents(mod.ast);
    out.push({ program: mod.ast as TSESTree.Program, file: f });
  }
  return out;
}

/** Names a file's text may assign or declare (`name =`, `var name`, `function name`): a cheap filter before parsing it. */
function writtenNames(project: ProjectContext, file: string): Set<string> {
  const key = `page-names:${file}`;
  let names = project.cache.get(key) as Set<string> | undefined;
  if (names) return names;
  names = new Set();
  const text = project.readFile(file) ?? '';
  for (const m of text.matchAll(/(?:\b(?:var|let|const|function)\s+|(?<![\w$.])|\bwindow\.)([A-Za-z_$][\w$]*)\s*(?:=(?![=>])|\()/g)) names.add(m[1]!);
  project.cache.set(key, names);
  return names;
}

const definitionsMemo = new WeakMap<TSESTree.Program, Map<string, N | null>>();

/** The assignments of a program that fileFacts has already collected in its walk (every one). */
const knownAssignments = new WeakMap<TSESTree.Program, readonly TSESTree.AssignmentExpression[]>();

/**
 * For fileFacts: the program's assignments, collected by its walk, so that the program's own
 * globals (globalDefinitions) need neither a walk of the tree nor a regex over its text first.
 * Every file asks for them (the unbound names it calls: `require`, `$`, `console`); on the dense
 * corpus that walk and regex were most of pageGlobal's 2.8 % of a scan's profile (1.1 % after).
 */
export function shareAssignments(ast: TSESTree.Program, assignments: readonly TSESTree.AssignmentExpression[]): void {
  knownAssignments.set(ast, assignments);
}

const memberWritesMemo = new WeakMap<TSESTree.Program, Map<string, TSESTree.AssignmentExpression[]>>();

/** The program's `name.key = value` assignments by `name` (from fileFacts' list, else one walk). */
export function memberWrites(program: TSESTree.Program): Map<string, TSESTree.AssignmentExpression[]> {
  let m = memberWritesMemo.get(program);
  if (m) return m;
  m = new Map();
  const add = (a: TSESTree.AssignmentExpression) => {
    if (a.operator !== '=' || a.left.type !== 'MemberExpression' || a.left.object.type !== 'Identifier') return;
    const list = m!.get(a.left.object.name);
    if (list) list.push(a); else m!.set(a.left.object.name, [a]);
  };
  const known = knownAssignments.get(program);
  if (known) known.forEach(add);
  else traverse(program as N, (n) => { if (n.type === 'AssignmentExpression') add(n); }, () => {});
  memberWritesMemo.set(program, m);
  return m;
}

/**
 * The global definitions of a script: top-level declarations, assignments to names it never
 * declares, and `window.name = value`. A name defined twice maps to null.
 */
function globalDefinitions(ast: TSESTree.Program): Map<string, N | null> {
  const hit = definitionsMemo.get(ast);
  if (hit) return hit;
  const defs = new Map<string, N | null>();
  const add = (name: string, value: N) => defs.set(name, defs.has(name) ? null : value);
  for (const s of ast.body) {
    if (s.type === 'VariableDeclaration') {
      for (const d of s.declarations) if (d.id.type === 'Identifier' && d.init) add(d.id.name, d.init);
    } else if (s.type === 'FunctionDeclaration' && s.id) add(s.id.name, s);
  }
  const assignment = (n: N) => {
    if (n.type !== 'AssignmentExpression' || n.operator !== '=') return;
    const l = n.left;
    if (l.type === 'Identifier' && !resolveBinding(l)) add(l.name, n.right);
    else if (l.type === 'MemberExpression' && !l.computed && l.object.type === 'Identifier' && l.object.name === 'window' && l.property.type === 'Identifier' && !resolveBinding(l.object)) add(l.property.name, n.right);
  };
  const known = knownAssignments.get(ast);
  if (known) for (const n of known) assignment(n);
  else traverse(ast, assignment, () => {});
  definitionsMemo.set(ast, defs);
  return defs;
}

/**
 * The value of an unbound name read in a script of a page, as another script of the same page
 * defines it: its node and the file it is written in; undefined when no page shares one, or when
 * more than one definition is in reach.
 */
export function pageGlobal(id: TSESTree.Identifier, project: ProjectContext | undefined, file: string): { node: N; file: string } | undefined {
  if (!project) return undefined;
  // the script's own: a name it assigns without declaring it (`client_id = 'client_id=...'` at the
  // top of a Node script: a sloppy-mode global), or sets on `window`, once (its text first, unless
  // its assignments are known: then no walk is needed)
  const program = programOf(id);
  if (knownAssignments.has(program) || writtenNames(project, file).has(id.name)) {
    const own = globalDefinitions(program).get(id.name);
    if (own !== undefined) return own === null ? undefined : { node: own, file };
  }
  const peers = pagePeers(project).get(file);
  if (!peers) return undefined;
  let found: { node: N; file: string } | undefined;
  for (const f of peers) {
    if (!writtenNames(project, f).has(id.name)) continue;
    const mod = project.loadModule(f);
    if (!mod) continue;
    ensureParents(mod.ast);
    const def = globalDefinitions(mod.ast).get(id.name);
    if (def === undefined) continue;
    if (def === null || found) return undefined;
    found = { node: def, file: f };
  }
  return found;
}
