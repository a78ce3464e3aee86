/**
 * The one place that reaches into a private API of the `ignore` package: `ig._rules.test(path,
 * 'regex')` tests a path against one ignore file WITHOUT re-testing its parent folders (the
 * discovery walk never enters an ignored folder, so parents are known to be included), which is
 * about a third of the walk's time on large trees. The public `ig.test(path)` gives the same
 * answer for such paths, only slower.
 *
 * Before the first use, a probe checks that the private rule list exists and answers like the
 * public API on a set of gitignore cases; if not (an `ignore` update changed it), every call
 * falls back to the public `ig.test` (slower, never wrong). test/scan/ignore-adapter.test.ts is
 * the contract: it fails when the installed `ignore` no longer passes the probe, so an update
 * fails a test instead of slowing (or breaking) a user's scan.
 */
import ignore, { type Ignore } from 'ignore';

export interface IgnoreResult { ignored: boolean; unignored: boolean }
interface RuleSet { test(path: string, mode: string): IgnoreResult }

/** The private rule list of one Ignore, when it has the expected shape. */
function privateRules(ig: Ignore): RuleSet | undefined {
  const rules = (ig as unknown as { _rules?: Partial<RuleSet> })._rules;
  return rules && typeof rules.test === 'function' ? (rules as RuleSet) : undefined;
}

/** gitignore text, and paths (their parent folders not ignored) with the answer git gives. */
export const PROBE: { patterns: string; cases: [path: string, ignored: boolean, unignored: boolean][] } = {
  patterns: ['*.log', '!keep.log', 'build/', '/top.js', 'docs/**/*.tmp', 'src/gen-*.ts', '\\#literal'].join('\n'),
  cases: [
    ['a.log', true, false], ['deep/x/a.log', true, false], ['keep.log', false, true], ['x/keep.log', false, true],
    ['build/', true, false], ['x/build/', true, false], ['build', false, false],
    ['top.js', true, false], ['x/top.js', false, false],
    ['docs/a/b/c.tmp', true, false], ['docs/c.tmp', true, false], ['other/c.tmp', false, false],
    ['src/gen-a.ts', true, false], ['src/x/gen-a.ts', false, false], ['#literal', true, false], ['main.js', false, false],
  ],
};

/** Whether `ig`'s private rule list exists and answers every probe case like git (and the public API). */
export function privateRulesAgree(make: (text: string) => Ignore = (t) => ignore().add(t)): boolean {
  try {
    const ig = make(PROBE.patterns);
    const rules = privateRules(ig);
    if (!rules) return false;
    return PROBE.cases.every(([path, ignored, unignored]) => {
      const mine = rules.test(path, 'regex');
      const pub = ig.test(path);
      return !!mine.ignored === ignored && !!mine.unignored === unignored && pub.ignored === ignored && pub.unignored === unignored;
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

const NO_MATCH: IgnoreResult = { ignored: false, unignored: false };
/**
 * One regex per ignore file: the alternation of all its rules' own regexes (ignored and negated
 * alike). A path it does not match matches no rule, so the per-rule scan (hundreds of regexes for
 * a large .gitignore, most of the walk's time) runs only for the few paths it does match. Null
 * when the rules are not what we expect (then every path takes the per-rule scan).
 */
const anyRule = new WeakMap<Ignore, RegExp | null>();
function anyRuleRegex(ig: Ignore, set: RuleSet): RegExp | null {
  let re = anyRule.get(ig);
  if (re !== undefined) return re;
  re = null;
  try {
    const list = (set as unknown as { _rules?: { regex?: RegExp }[] })._rules;
    const regexes = Array.isArray(list) ? list.map((r) => r.regex) : [];
    if (regexes.length && regexes.every((r): r is RegExp => r instanceof RegExp && r.flags === regexes[0]!.flags && !/\\[1-9k]/.test(r.source))) {
      re = new RegExp(regexes.map((r) => `(?:${r.source})`).join('|'), regexes[0]!.flags);
    }
  } catch { re = null; }
  anyRule.set(ig, re);
  return re;
}

/** Tests a path (relative to the ignore file's folder, `/`-separated, `/` at the end for a folder) whose parents are not ignored. */
export function testIgnore(ig: Ignore, rel: string): IgnoreResult {
  if (ignoreMode() === 'private') {
    const rules = privateRules(ig);
    if (rules) {
      const any = anyRuleRegex(ig, rules);
      // `ignore` hands rules without a slash the basename: test both, as it may.
      if (any && !any.test(rel) && !any.test(rel.slice(rel.lastIndexOf('/', rel.length - 2) + 1))) return NO_MATCH;
      return rules.test(rel, 'regex');
    }
  }
  return ig.test(rel);
}
