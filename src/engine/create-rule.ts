import type { FixKind, RuleContext, RuleListener, ScRule, Severity } from './types.js';

export const DOCS_BASE = 'https://github.com/sc-migrate/sc-migrate/blob/main/rules/';

export interface RuleDefinition<M extends string> {
  /** kebab-case id, the name of its folder rules/<id>/ (rule.ts, README.md, fixtures/) and of transforms/<id>.ts. */
  id: string;
  description: string;
  severity: Severity;
  fixKind: FixKind;
  /**
   * A fix kind per message where a finding's own differs from the rule's: the client_id of a
   * private API (api-v2) request has no supported migration, so its message is `manual` in a
   * `suggest` rule. A report with such a message carries no fix and no suggestion (ESLint too).
   */
  fixKinds?: Partial<Record<M, FixKind>>;
  scope?: 'file' | 'project';
  /**
   * Words a file must contain for this rule to report in it, findings through other files
   * included (a constant imported from a config module is reported where the words are). The
   * scanner tests every rule's gate on a candidate's text before parsing it: a file that names
   * SoundCloud but has none of the words of any rule is not parsed (a component that only shows a
   * track). Generous by design: a word too many costs a parse, a word missing loses findings.
   * test/rules/rules.test.ts runs every fixture through its rule's gate; test/scan/gates.test.ts
   * checks the scan's use of them.
   */
  gate?: RegExp;
  messages: Record<M, string>;
  create(context: RuleContext<M>): RuleListener;
}

/** Builds an ESLint-compatible rule object carrying sc-migrate's metadata in `meta.docs.scMigrate`. */
export function createRule<M extends string>(def: RuleDefinition<M>): ScRule<M> {
  const fixKinds = def.fixKinds && Object.keys(def.fixKinds).length ? { ...def.fixKinds } as Record<string, FixKind> : undefined;
  const manual = new Set(Object.entries(fixKinds ?? {}).filter(([, k]) => k === 'manual').map(([m]) => m));
  return {
    meta: {
      type: 'problem',
      docs: {
        description: def.description,
        url: `${DOCS_BASE}${def.id}/README.md`,
        recommended: def.severity === 'error',
        scMigrate: { id: def.id, severity: def.severity, fixKind: def.fixKind, ...(fixKinds ? { fixKinds } : {}), scope: def.scope ?? 'file', ...(def.gate ? { gate: stateless(def.gate) } : {}) },
      },
      messages: def.messages,
      schema: [],
      ...(def.fixKind === 'auto' ? { fixable: 'code' as const } : {}),
      ...(def.fixKind !== 'manual' ? { hasSuggestions: true } : {}),
    },
    create: manual.size ? (context) => def.create(withoutFixesFor(context, manual)) : def.create,
  };
}

/**
 * The rule's context, with the fix and suggestions of the reports of `manual` messages dropped:
 * one honest fix kind per finding, in the scanner and in ESLint alike (a context of ESLint is
 * frozen: the report goes through an object whose prototype it is).
 */
function withoutFixesFor<M extends string>(context: RuleContext<M>, manual: ReadonlySet<string>): RuleContext<M> {
  const report: RuleContext<M>['report'] = (d) => {
    if (!manual.has(d.messageId)) return context.report(d);
    const { fix: _fix, suggest: _suggest, ...rest } = d;
    return context.report(rest);
  };
  // The runner's own context (lintText: a plain object literal, one per rule and file) is copied:
  // making it the prototype of another object turned it into a prototype map in V8 on every file
  // (1% of a dense scan's CPU in `withoutFixesFor` alone). ESLint's context keeps the prototype way.
  if (Object.getPrototypeOf(context) === Object.prototype && !Object.isFrozen(context)) return { ...context, report };
  return Object.create(context, { report: { value: report, enumerable: true } }) as RuleContext<M>;
}

/** A gate is tested on many texts: without `g` or `y`, `test` keeps no `lastIndex` between them. */
const stateless = (re: RegExp): RegExp => (re.global || re.sticky ? new RegExp(re.source, re.flags.replace(/[gy]/g, '')) : re);

/**
 * Whether a text has a word of some rule's gate: false only when every rule has a gate and the
 * text matches none (then no rule can report in it).
 */
export function passesGates(text: string, rules: readonly ScRule[]): boolean {
  const union = unionOf(rules);
  return union === null || union.plain?.test(text) === true || union.rest.test(text);
}

/**
 * The gates of a list of rules as one test (null: some rule has none, or there are no rules):
 * one pass over a text instead of one per rule (half the time on the dense corpus).
 * Case-insensitive when any gate is (a wider gate only costs a parse). Their top-level
 * alternatives are split in two: the plain words (`token`, `client_?id`, `api-v2`), which V8
 * scans for fast, are tried first; only a text without any of them is scanned for the others
 * (`\bSC\b`, an import of a `soundcloud` module), which cost a check at every character. The
 * same answer as one alternation of all of them, in 0.45-0.7x its time on the dense corpus.
 */
interface Union { plain: RegExp | undefined; rest: RegExp }
const unions = new WeakMap<readonly ScRule[], Union | null>();
function unionOf(rules: readonly ScRule[]): Union | null {
  let u = unions.get(rules);
  if (u === undefined) {
    const gates = rules.map((r) => r.meta.docs.scMigrate.gate);
    if (!gates.length || gates.some((g) => !g)) u = null;
    else {
      const flags = gates.some((g) => g!.ignoreCase) ? 'i' : '';
      const alts = [...new Set(gates.flatMap((g) => topAlternatives(g!.source)))];
      const plain = alts.filter((a) => PLAIN_WORD.test(a));
      const rest = alts.filter((a) => !PLAIN_WORD.test(a));
      u = { plain: plain.length ? new RegExp(plain.join('|'), flags) : undefined, rest: new RegExp(rest.length ? rest.join('|') : '(?!)', flags) };
    }
    unions.set(rules, u);
  }
  return u;
}

/** An alternative that is a word: letters, digits, `_`, `-`, `:`, an escaped `.`, and `?` after a character. */
const PLAIN_WORD = /^(?:[\w:-]|\\\.)(?:[\w:-]|\\\.|\?(?!\?))*$/;

/**
 * The top-level alternatives of a regular expression's source: `a|b(c|d)|[|]` gives `a`,
 * `b(c|d)`, `[|]` (a `|` inside a group or a class, or escaped, does not split).
 */
export function topAlternatives(source: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let inClass = false;
  let from = 0;
  for (let i = 0; i < source.length; i++) {
    const c = source[i];
    if (c === '\\') i++;
    else if (inClass) { if (c === ']') inClass = false; }
    else if (c === '[') inClass = true;
    else if (c === '(') depth++;
    else if (c === ')') depth--;
    else if (c === '|' && depth === 0) { out.push(source.slice(from, i)); from = i + 1; }
  }
  out.push(source.slice(from));
  return out;
}

export const ruleId = (rule: ScRule): string => rule.meta.docs.scMigrate.id;
