/**
 * The one place that reaches into a private API of the `ignore` package: its rule list
 * (`ig._rules._rules`, each rule's `regex`, `body` and `negative`) tests a path against one
 * ignore file WITHOUT re-testing its parent folders (the discovery walk never enters an ignored
 * folder, so parents are known to be included). The public `ig.test(path)` gives the same answer
 * for such paths, only slower.
 *
 * The test is `ignore`'s own (RuleManager.test: the last rule whose regex matches decides; a rule
 * with no slash sees the basename when most rules have none), with shortcuts that change no answer:
 * - a rule whose regex is a literal in a known frame tests strings instead: `(?:^|\/)` [`*`]
 *   NAME [`*`] `(?=$|\/$)` (`coverage`, `*.log`, `npm-debug.log*`, `logs/`) compares the path's last
 *   segment with NAME (equal, ends with, starts with, contains), `^PATH(?=$|\/$)` (`/dist`,
 *   `packages/ui/esbuild`) compares the whole path; a `\/$` end means folders only. Sets and
 *   first/last-character indexes say whether any such rule can match;
 * - the other rules form two groups, those tested on the basename (anchored at its start: a
 *   basename has no slash but a folder's last one) and those tested on the whole path; each group's
 *   alternation is tested once, and a rule of a group that does not match is not tried.
 * A path no literal and no group matches (nearly all of them) costs a few Set lookups and two
 * short regex tests, instead of hundreds of regexes for a large .gitignore (payload's has 210).
 *
 * Before the first use, a probe checks that the private rule list exists and that the compiled
 * rules answer like git on a set of gitignore cases; if not (an `ignore` update changed it), every call
 * falls back to the public `ig.test` (slower, never wrong). test/scan/ignore-adapter.test.ts is
 * the contract: it fails when the installed `ignore` no longer passes the probe, so an update
 * fails a test instead of slowing (or breaking) a user's scan.
 */
import ignore, { type Ignore } from 'ignore';

export interface IgnoreResult { ignored: boolean; unignored: boolean }

/** gitignore text, and paths (their parent folders not ignored) with the answer git gives. */
export const PROBE: { patterns: string; cases: [path: string, ignored: boolean, unignored: boolean][] } = {
  patterns: ['*.log', '!keep.log', 'build/', '/top.js', 'docs/**/*.tmp', 'src/gen-*.ts', '\\#literal', 'cache', '!x/cache', '**/tmp', 'tmp.js', '!y/tmp.js'].join('\n'),
  cases: [
    ['a.log', true, false], ['deep/x/a.log', true, false], ['keep.log', false, true], ['x/keep.log', false, true],
    ['build/', true, false], ['x/build/', true, false], ['build', false, false],
    ['top.js', true, false], ['x/top.js', false, false],
    ['docs/a/b/c.tmp', true, false], ['docs/c.tmp', true, false], ['other/c.tmp', false, false],
    ['src/gen-a.ts', true, false], ['src/x/gen-a.ts', false, false], ['#literal', true, false], ['main.js', false, false],
    ['cache', true, false], ['a/cache/', true, false], ['x/cache/', false, true], ['cache.js', false, false], ['a/b.cache', false, false],
    ['tmp/', true, false], ['a/tmp', true, false], ['a/tmp.js', true, false], ['y/tmp.js', false, true], ['atmp.js', false, false],
  ],
};

interface PrivateRule { regex?: unknown; body?: unknown; negative?: unknown }

/**
 * One rule, classified: a test of the last segment against a literal (`lit`: equal, starts with,
 * ends with, contains), of the whole path against a literal (`path`), or its regex on the basename
 * or the whole path.
 */
interface Rule { negative: boolean; lit?: string; how?: Affix; dirOnly?: boolean; regex?: RegExp; onBase?: boolean }
type Affix = 'equals' | 'prefix' | 'suffix' | 'infix' | 'path';
interface Compiled {
  rules: Rule[];
  /** Literals of the `equals` rules; the other literal rules by the last (suffix) or first character of their literal, or all (infix). */
  names: ReadonlySet<string>; byLast: Map<number, Rule[]>; byFirst: Map<number, Rule[]>; infixes: Rule[];
  /** Literals of the `path` rules. */
  paths: ReadonlySet<string>;
  base: RegExp | null; path: RegExp | null;
  /** Whether a basename rule can match right after a folder's trailing slash (undefined: not worked out yet). */
  baseTail: boolean | undefined;
  baseSources: string[];
  /** The `path` literals by their parent folder ('' for none): name -> present. */
  pathsByParent: Map<string, Set<string>>;
  /** What each rule of the `path` group needs of a path's folders (folderTester). */
  pathShapes: PathShape[];
  /** Names of files and of folders whose name alone matches no literal and no basename rule (or does): folderTester's cache. */
  fileNames: Map<string, boolean>; dirNames: Map<string, boolean>;
}

/**
 * What a rule of the `path` group (a regex tested on the whole path) needs of the folders of a
 * path, read from its source: `^LIT...` matches only paths starting with LIT; `(?:^|\/)SEG\/x...`
 * (a `**\/SEG/x` pattern) only paths with a folder SEG; `any`: not worked out, can match anywhere.
 */
type PathShape = { anchored: string } | { folder: string } | 'any';

/**
 * `(?:^|\/)` STAR? LITERAL STAR? (`(?=$|\/$)` | `\/$`), STAR a run of non-slashes: a pattern with no
 * slash and at most a leading and a trailing `*` (`coverage`, `*.log`, `npm-debug.log*`, `logs/`).
 * It matches when the last segment equals, ends with, starts with or contains the literal (and,
 * with `\/$`, the path is a folder's). LITERAL: characters no regex treats specially, or escaped.
 */
const LITERAL_RULE_RE = /^\(\?:\^\|\\\/\)(\[\^\\?\/\]\*)?((?:[^\\^$.|?*+()[\]{}/]|\\[.$^|?*+()[\]{}])+)(\[\^\\?\/\]\*)?(\(\?=\$\|\\\/\$\)|\\\/\$)$/;

/** `^LITERAL(?=$|\/$)` or `^LITERAL\/$`: an anchored pattern without wildcards (`/dist`, `packages/ui/esbuild`, `.claude/artifacts/`). */
const LITERAL_PATH_RE = /^\^((?:[^\\^$.|?*+()[\]{}/]|\\[.$^|?*+()[\]{}/])+)(\(\?=\$\|\\\/\$\)|\\\/\$)$/;

/** `ignore`'s rule list as Rules, or null when it is not what we expect. */
function compile(ig: Ignore): Compiled | null {
  const manager = (ig as unknown as { _rules?: { _rules?: unknown; _basenameCount?: unknown } })._rules;
  const list = manager?._rules;
  const basenameCount = manager?._basenameCount;
  if (!Array.isArray(list) || typeof basenameCount !== 'number') return null;
  // RuleManager.test: rules with no slash see the basename when at least half the rules are such.
  const shortcut = basenameCount * 2 >= list.length;
  // `ignore({ ignorecase: true })` (its default) compiles with `i`: no string comparisons then.
  const first = (list[0] as PrivateRule | undefined)?.regex;
  const flags = first instanceof RegExp ? first.flags : '';
  if (flags !== '' && flags !== 'i') return null;
  const rules: Rule[] = [];
  const names = new Set<string>();
  const byLast = new Map<number, Rule[]>();
  const byFirst = new Map<number, Rule[]>();
  const infixes: Rule[] = [];
  const paths = new Set<string>();
  const index = (m: Map<number, Rule[]>, k: number, r: Rule) => { const l = m.get(k); if (l) l.push(r); else m.set(k, [r]); };
  const base: RegExp[] = [];
  const path: RegExp[] = [];
  for (const r of list as PrivateRule[]) {
    const re = r.regex;
    if (!(re instanceof RegExp) || re.flags !== flags || typeof r.body !== 'string' || typeof r.negative !== 'boolean') return null;
    if (/\\[1-9k]/.test(re.source)) return null; // a back-reference would not survive the alternation
    // (`ignore({ ignorecase: true })` compares without case: left to the regexes)
    const lit = flags === '' ? LITERAL_RULE_RE.exec(re.source) : null;
    if (lit) {
      const text = lit[2]!.replace(/\\(.)/g, '$1');
      const how: Affix = lit[1] ? (lit[3] ? 'infix' : 'suffix') : lit[3] ? 'prefix' : 'equals';
      const rule: Rule = { negative: r.negative, lit: text, how, dirOnly: lit[4] === '\\/$' };
      if (how === 'equals') names.add(text);
      else if (how === 'suffix') index(byLast, text.charCodeAt(text.length - 1), rule);
      else if (how === 'prefix') index(byFirst, text.charCodeAt(0), rule);
      else infixes.push(rule);
      rules.push(rule);
      continue;
    }
    // `^LIT(?=$|\/$)` matches LIT and LIT/, `^LIT\/$` only LIT/ (a LIT ending in a slash is left to the regex)
    const anchored = flags === '' ? LITERAL_PATH_RE.exec(re.source) : null;
    const whole = anchored && anchored[1]!.replace(/\\(.)/g, '$1');
    if (anchored && whole && !whole.endsWith('/')) {
      paths.add(whole);
      rules.push({ negative: r.negative, lit: whole, how: 'path', dirOnly: anchored[2] === '\\/$' });
      continue;
    }
    const slash = r.body.indexOf('/');
    const onBase = shortcut && (slash < 0 || slash === r.body.length - 1);
    (onBase ? base : path).push(re);
    rules.push({ negative: r.negative, regex: re, onBase });
  }
  const alternation = (sources: string[], anchor = '') => (sources.length ? new RegExp(anchor + '(?:' + sources.map((s) => `(?:${s})`).join('|') + ')', flags) : null);
  // In a file's basename (no slash), `(?:^|\/)X` can only match at the start: `^X`, one position
  // tried instead of every one (with `[^\/]*` in X, a quadratic backtrack each). A folder's
  // basename ends with a slash, after which X may match too: `baseTail` says whether one can.
  const anchorable = base.every((r) => r.source.startsWith(ANY_SEGMENT) && !r.source.includes('(?<'));
  const pathsByParent = new Map<string, Set<string>>();
  for (const p of paths) {
    const cut = p.lastIndexOf('/');
    const parent = cut < 0 ? '' : p.slice(0, cut);
    let set = pathsByParent.get(parent);
    if (!set) pathsByParent.set(parent, (set = new Set()));
    set.add(p.slice(cut + 1));
  }
  return {
    rules, names, byLast, byFirst, infixes, paths, path: alternation(path.map((r) => r.source)),
    pathsByParent, pathShapes: flags === '' ? path.map((r) => pathShape(r.source)) : ['any'],
    fileNames: new Map(), dirNames: new Map(),
    base: anchorable ? alternation(base.map((r) => r.source.slice(ANY_SEGMENT.length)), '^') : alternation(base.map((r) => r.source)),
    baseTail: !anchorable ? false : base.length ? undefined : false,
    baseSources: base.map((r) => r.source),
  };
}

const ANY_SEGMENT = '(?:^|\\/)';

/**
 * The literal text every match of `source` (from `from` on) starts with: plain characters and
 * escaped punctuation up to the first other token; a character a quantifier follows is not part
 * of it (it may be absent or repeated).
 */
function literalPrefix(source: string, from: number): string {
  let out = '';
  let i = from;
  while (i < source.length) {
    const ch = source[i]!;
    let lit: string;
    let next: number;
    if (ch === '\\') {
      const e = source[i + 1];
      if (e === undefined || /[0-9A-Za-z]/.test(e)) break; // a class (\d, \w), an assertion (\b) or a back-reference
      lit = e; next = i + 2;
    } else if ('^$.|?*+()[]{}'.includes(ch)) break;
    else { lit = ch; next = i + 1; }
    const q = source[next];
    if (q === '*' || q === '+' || q === '?' || q === '{') break;
    out += lit;
    i = next;
  }
  return out;
}

/** Whether `source` has a `|` outside any group or class (then no prefix holds for all of it). */
function topLevelAlternation(source: string): boolean {
  let depth = 0;
  let inClass = false;
  for (let i = 0; i < source.length; i++) {
    const ch = source[i];
    if (ch === '\\') { i++; continue; }
    if (inClass) { if (ch === ']') inClass = false; continue; }
    if (ch === '[') inClass = true;
    else if (ch === '(') depth++;
    else if (ch === ')') depth--;
    else if (ch === '|' && depth === 0) return true;
  }
  return false;
}

function pathShape(source: string): PathShape {
  if (topLevelAlternation(source)) return 'any';
  if (source.startsWith('^')) return { anchored: literalPrefix(source, 1) };
  if (source.startsWith(ANY_SEGMENT)) {
    // `(?:^|\/)SEG\/X...`: SEG then a slash then at least one more character, so SEG is a folder of the path
    const lit = literalPrefix(source, ANY_SEGMENT.length);
    const slash = lit.indexOf('/');
    if (slash > 0 && slash < lit.length - 1) return { folder: lit.slice(0, slash) };
  }
  return 'any';
}

/**
 * Whether a `path` rule can match a path in the folder `dirSlash` (`a/b/`, '' for the ignore
 * file's own folder): an anchored literal must agree with the folder's path as far as both go;
 * a `**\/SEG/x` rule needs SEG among the folder's segments (SEG as the entry's own name leaves
 * nothing for what follows its slash).
 */
function shapeFits(shape: PathShape, dirSlash: string): boolean {
  if (shape === 'any') return true;
  if ('anchored' in shape) return shape.anchored.startsWith(dirSlash) || dirSlash.startsWith(shape.anchored);
  return ('/' + dirSlash).includes('/' + shape.folder + '/');
}

/** Whether nothing of the name alone rules the entry out: no literal on the name and no basename rule matches. */
function nameMatches(c: Compiled, name: string, isDir: boolean): boolean {
  return c.names.has(name) || anyLiteral(c.byLast.get(name.charCodeAt(name.length - 1)), name)
    || anyLiteral(c.byFirst.get(name.charCodeAt(0)), name) || anyLiteral(c.infixes, name)
    || (c.base !== null && (c.base.test(isDir ? name + '/' : name) || (isDir && (c.baseTail ??= new RegExp(c.baseSources.map((s) => `(?:${s})`).join('|'), c.base.flags).test('/')))));
}

const NO_MATCH: IgnoreResult = { ignored: false, unignored: false };
const IGNORED: IgnoreResult = { ignored: true, unignored: false };
const UNIGNORED: IgnoreResult = { ignored: false, unignored: true };

/** RuleManager.test(rel, 'regex') on the compiled rules. */
function testCompiled(c: Compiled, rel: string): IgnoreResult {
  const isDir = rel.charCodeAt(rel.length - 1) === 47; /* / */
  const end = isDir ? rel.length - 1 : rel.length;
  const cut = rel.lastIndexOf('/', end - 1) + 1;
  const segment = rel.slice(cut, end);
  const basename = cut === 0 ? rel : rel.slice(cut); // `ignore`'s basenameOf: keeps a trailing slash
  const whole = isDir ? rel.slice(0, end) : rel;
  const byLiteral = c.names.has(segment) || anyLiteral(c.byLast.get(segment.charCodeAt(segment.length - 1)), segment)
    || anyLiteral(c.byFirst.get(segment.charCodeAt(0)), segment) || anyLiteral(c.infixes, segment) || c.paths.has(whole);
  const byBase = c.base !== null && (c.base.test(basename) || (isDir && (c.baseTail ??= new RegExp(c.baseSources.map((s) => `(?:${s})`).join('|'), c.base.flags).test('/'))));
  const byPath = c.path !== null && c.path.test(rel);
  if (!byLiteral && !byBase && !byPath) return NO_MATCH;
  for (let i = c.rules.length - 1; i >= 0; i--) {
    const r = c.rules[i]!;
    const hit = r.lit !== undefined
      ? byLiteral && (isDir || !r.dirOnly) && literalMatch(r, r.how === 'path' ? whole : segment)
      : r.onBase ? byBase && r.regex!.test(basename) : byPath && r.regex!.test(rel);
    if (hit) return r.negative ? UNIGNORED : IGNORED;
  }
  return NO_MATCH;
}

function anyLiteral(rules: Rule[] | undefined, segment: string): boolean {
  if (rules !== undefined) for (let i = 0; i < rules.length; i++) if (literalMatch(rules[i]!, segment)) return true;
  return false;
}

function literalMatch(r: Rule, segment: string): boolean {
  const lit = r.lit!;
  switch (r.how) {
    case 'equals': case 'path': return segment === lit;
    case 'prefix': return segment.startsWith(lit);
    case 'suffix': return segment.endsWith(lit);
    default: return segment.includes(lit);
  }
}

const compiled = new WeakMap<Ignore, Compiled | null>();
function compiledOf(ig: Ignore): Compiled | null {
  let c = compiled.get(ig);
  if (c === undefined) {
    try { c = compile(ig); } catch { c = null; }
    compiled.set(ig, c);
  }
  return c;
}

const caseSensitive = (t: string) => ignore({ ignorecase: false }).add(t);

/**
 * Whether `ig`'s private rule list exists and the compiled rules answer every probe case like git
 * (the tests check that the public API does too; at run time it would only cost time).
 */
export function privateRulesAgree(...makers: ((text: string) => Ignore)[]): boolean {
  // (discovery's matchers are case-sensitive, as git on Linux; the tests check the other kind)
  if (!makers.length) makers = [caseSensitive];
  try {
    return makers.every((make) => {
      const ig = make(PROBE.patterns);
      const c = compile(ig);
      if (!c) return false;
      return PROBE.cases.every(([path, ignored, unignored]) => {
        const mine = testCompiled(c, path);
        return mine.ignored === ignored && mine.unignored === unignored;
      });
    });
  } catch {
    return false;
  }
}

let usePrivate: boolean | undefined;

/** 'private' (fast path) or 'public' (fallback): decided by the probe on first use. */
export function ignoreMode(): 'private' | 'public' {
  usePrivate ??= privateRulesAgree();
  return usePrivate ? 'private' : 'public';
}

/**
 * The entries of one folder tested against one ignore file: `relDir` is the folder relative to
 * the ignore file's folder (`/`-separated, '' for that folder itself); the folder's parents are
 * not ignored. Answers like `testIgnore(ig, relDir/name[/])`; what depends on the folder (its
 * path literals, whether a whole-path rule can match there) is worked out once, and what
 * depends on the name alone is kept per name (`index.ts` in every folder is tested once).
 */
export function folderTester(ig: Ignore, relDir: string): (name: string, isDir: boolean) => IgnoreResult {
  const dirSlash = relDir === '' ? '' : relDir + '/';
  const c = ignoreMode() === 'private' ? compiledOf(ig) : null;
  if (!c) return (name, isDir) => testIgnore(ig, dirSlash + name + (isDir ? '/' : ''));
  const pathNames = c.pathsByParent.get(relDir);
  const path = c.path !== null && c.pathShapes.some((sh) => shapeFits(sh, dirSlash)) ? c.path : null;
  return (name, isDir) => {
    const known = isDir ? c.dirNames : c.fileNames;
    let byName = known.get(name);
    if (byName === undefined) {
      byName = nameMatches(c, name, isDir);
      if (known.size >= 100_000) known.clear();
      known.set(name, byName);
    }
    if (!byName && (pathNames === undefined || !pathNames.has(name)) && path === null) return NO_MATCH;
    const rel = dirSlash + name + (isDir ? '/' : '');
    if (!byName && (pathNames === undefined || !pathNames.has(name)) && !path!.test(rel)) return NO_MATCH;
    return testCompiled(c, rel);
  };
}

/** Tests a path (relative to the ignore file's folder, `/`-separated, `/` at the end for a folder) whose parents are not ignored. */
export function testIgnore(ig: Ignore, rel: string): IgnoreResult {
  if (ignoreMode() === 'private') {
    const c = compiledOf(ig);
    if (c) return testCompiled(c, rel);
  }
  const r = ig.test(rel);
  return { ignored: r.ignored, unignored: r.unignored };
}
