/**
 * The sc-migrate runner: runs ESLint-style rule objects over one file without ESLint, with the
 * same listener semantics for the subset rules use (node-type selectors and `Type:exit`).
 * The CLI, `fix`, the hooks and the bots all come through here; the ESLint plugin hands the very
 * same rule objects to ESLint.
 */
import { startOf, endOf } from './offsets.js';
import { markLeftForPerson } from './markers.js';
import { walkWith } from './walk.js';
import { factsCollector } from './analysis/facts.js';
import { projectOf } from './project.js';
import { locOf, locator, parseFile, type Parsed } from './parse.js';
import { ruleId } from './create-rule.js';
import { keepHandle } from './types.js';
import { addPhase, addRule, countFile, timingEnabled } from './timing.js';
import type {
  Comment, Finding, Fixer, Node, Range, ReportDescriptor, RuleContext, RuleListener, ScRule, SourceCodeLike, SourceLocation, TextEdit,
} from './types.js';

export interface LintInput {
  text: string;
  /** Path of the file, used for parser choice and for cross-file resolution (absolute is best). */
  filename: string;
  /** Path written into findings (e.g. relative to cwd). Defaults to filename. */
  displayPath?: string;
  rules: readonly ScRule[];
  /** Passed to rules as `context.settings` (the engine's project context lives under `sc-migrate`). */
  settings?: Record<string, unknown>;
  cwd?: string;
  /** Already parsed (e.g. by the fix command); else the runner parses. */
  parsed?: Parsed;
  /** Severity overrides from config, by rule id. */
  severities?: Record<string, 'error' | 'warning'>;
  /** Parse fully (locations, comments) and give each finding its `handle` (node + parse), for `fix`. */
  keepNodes?: boolean;
  /** Parse with ParseOptions.recover (a file whose end lacks its closing brackets): the scanner only. */
  recover?: boolean;
  /**
   * Called once at `Program:exit`, before the rules' own listeners, with the first rule's context
   * (`scan --timing` builds the file's shared facts there, so they are timed apart from the rule
   * that happens to ask first).
   */
  beforeExit?: (context: RuleContext) => void;
}

export interface LintOutput {
  findings: Finding[];
  /** Findings dropped by inline `sc-migrate-ignore` comments. */
  suppressed: number;
  /** The file was read after repairing its end (LintInput.recover): the parse error of the file as it is. */
  recovered?: string;
}

const fixer: Fixer = {
  insertTextAfter: (n, text) => ({ range: [endOf(n), endOf(n)], text }),
  insertTextAfterRange: (r, text) => ({ range: [r[1], r[1]], text }),
  insertTextBefore: (n, text) => ({ range: [startOf(n), startOf(n)], text }),
  insertTextBeforeRange: (r, text) => ({ range: [r[0], r[0]], text }),
  remove: (n) => ({ range: [startOf(n), endOf(n)], text: '' }),
  removeRange: (r) => ({ range: r, text: '' }),
  replaceText: (n, text) => ({ range: [startOf(n), endOf(n)], text }),
  replaceTextRange: (r, text) => ({ range: r, text }),
};

function collectEdits(fix: ReportDescriptor<string>['fix']): TextEdit[] | undefined {
  if (!fix) return undefined;
  const out = fix(fixer);
  if (!out) return undefined;
  const edits = 'range' in (out as object) ? [out as TextEdit] : [...(out as Iterable<TextEdit>)];
  return edits.length ? edits.sort((a, b) => a.range[0] - b.range[0]) : undefined;
}

const format = (message: string, data?: Record<string, string | number>) =>
  data ? message.replace(/\{\{\s*(\w+)\s*\}\}/g, (m, k: string) => (k in data ? String(data[k]) : m)) : message;

export function makeSourceCode(parsed: Parsed): SourceCodeLike {
  const { ast, text } = parsed;
  let lines: string[] | undefined;
  return {
    text,
    ast,
    get lines() { return (lines ??= text.split(/\r\n|[\r\n\u2028\u2029]/)); },
    getText: (node) => (node ? text.slice(startOf(node), endOf(node)) : text),
    getAllComments: () => (ast.comments ?? []) as Comment[],
    parserServices: { scMigrate: parsed.extras },
  };
}

export { traverse } from './walk.js';

const IGNORE_FILE_RE = /^\s*sc-migrate-ignore-file\b/;
const IGNORE_NEXT_RE = /^\s*sc-migrate-ignore-next-line\b([^]*)$/;
const IGNORE_LINE_RE = /^\s*sc-migrate-ignore-line\b([^]*)$/;

interface Suppressions { file: boolean; lines: Map<number, Set<string> | 'all'> }

/** Inline ignores: `sc-migrate-ignore-next-line [ids] -- reason`, `sc-migrate-ignore-line`, `sc-migrate-ignore-file`. */
function suppressions(comments: readonly Comment[]): Suppressions {
  const out: Suppressions = { file: false, lines: new Map() };
  for (const c of comments) {
    if (IGNORE_FILE_RE.test(c.value)) { out.file = true; continue; }
    const next = IGNORE_NEXT_RE.exec(c.value);
    const same = next ? undefined : IGNORE_LINE_RE.exec(c.value);
    const m = next ?? same;
    if (!m) continue;
    const line = next ? c.loc.end.line + 1 : c.loc.start.line;
    const ids = m[1]!.split('--')[0]!.split(/[\s,]+/).filter(Boolean).map((id) => id.replace(/^sc-migrate\//, ''));
    const had = out.lines.get(line);
    if (!ids.length || had === 'all') out.lines.set(line, 'all');
    else out.lines.set(line, new Set([...(had ?? []), ...ids]));
  }
  return out;
}

/** Selectors already checked, split into node type and exit (the same dozen, for every file). */
const SELECTORS = new Map<string, { exit: boolean; type: string }>();

export function lintText(input: LintInput): LintOutput {
  // Comments only serve inline ignores here: typescript-estree collects them only when there is one.
  // Parsed here (the scanner): no `loc` on every node, only on what gets reported.
  const timing = timingEnabled();
  const t0 = timing ? performance.now() : 0;
  const recover = input.recover ? { recover: true } : {};
  const parsed = input.parsed ?? (input.keepNodes
    ? parseFile(input.text, input.filename, undefined, recover)
    : parseFile(input.text, input.filename, undefined, { comments: input.text.includes('sc-migrate-ignore'), locations: false, ...recover }));
  if (timing) { addPhase('parse', performance.now() - t0); countFile(); }
  let at: ((offset: number) => { line: number; column: number }) | undefined;
  const nodeLoc = (n: Parameters<typeof locOf>[0]) => locOf(n, (at ??= locator(input.text)));
  const sourceCode = makeSourceCode(parsed);
  const sup = suppressions(sourceCode.getAllComments());
  const repair = parsed.extras.recovered;
  // (the reason names the bind operator: reporters and fix tell that repair from the end repair by it)
  const recovered = repair ? { recovered: repair.bind ? `${repair.error}; its :: bind operators were read as plain references` : repair.error } : {};
  if (sup.file) return { findings: [], suppressed: 0, ...recovered };
  const findings: Finding[] = [];
  const enterListeners = new Map<string, ((n: Node) => void)[]>();
  const exitListeners = new Map<string, ((n: Node) => void)[]>();
  const displayPath = input.displayPath ?? input.filename;
  let firstContext: RuleContext | undefined;
  let ruleMs = 0;
  for (const rule of input.rules) {
    const id = ruleId(rule);
    const meta = rule.meta.docs.scMigrate;
    const severity = input.severities?.[id] ?? meta.severity;
    const context: RuleContext = {
      id,
      filename: input.filename,
      cwd: input.cwd ?? process.cwd(),
      settings: input.settings ?? {},
      options: [],
      sourceCode,
      report(d) {
        const loc = d.loc ?? nodeLoc(d.node as Parameters<typeof locOf>[0]);
        const edits = collectEdits(d.fix);
        const finding: Finding = {
          ruleId: id,
          severity: d.severity === 'warning' ? 'warning' : severity,
          messageId: d.messageId,
          message: format(rule.meta.messages[d.messageId] ?? d.messageId, d.data),
          file: displayPath,
          line: loc.start.line,
          column: loc.start.column + 1,
          endLine: loc.end.line,
          endColumn: loc.end.column + 1,
          fixKind: meta.fixKinds?.[d.messageId] ?? meta.fixKind,
          ...(edits ? { fix: { edits } } : {}),
          ...(d.suggest?.length
            ? { suggestions: d.suggest.flatMap((s) => { const e = collectEdits(s.fix); return e ? [{ message: format(rule.meta.messages[s.messageId] ?? s.messageId, s.data), edits: e }] : []; }) }
            : {}),
        };
        if (input.keepNodes) keepHandle(finding, { handle: { ...(d.node ? { node: d.node as Node } : {}), parsed, text: input.text } });
        findings.push(finding);
      },
    };
    firstContext ??= context;
    const listener: RuleListener = rule.create(context);
    for (const [selector, ruleFn] of Object.entries(listener)) {
      if (!ruleFn) continue;
      const fn: (n: Node) => void = !timing ? ruleFn : (n) => {
        const t = performance.now();
        try { ruleFn(n); } finally { const ms = performance.now() - t; ruleMs += ms; addRule(id, ms); addPhase('rules', ms); }
      };
      let sel = SELECTORS.get(selector);
      if (!sel) {
        const exit = selector.endsWith(':exit');
        const type = exit ? selector.slice(0, -5) : selector;
        if (!/^[A-Za-z]+$/.test(type)) throw new Error(`rule ${id}: unsupported selector "${selector}" (use node types and :exit)`);
        SELECTORS.set(selector, (sel = { exit, type }));
      }
      const { exit, type } = sel;
      const map = exit ? exitListeners : enterListeners;
      const list = map.get(type) ?? [];
      list.push(fn);
      map.set(type, list);
    }
  }
  if (input.beforeExit && firstContext) {
    const ctx = firstContext;
    const hook = input.beforeExit;
    exitListeners.set('Program', [() => { const t = performance.now(); hook(ctx); const ms = performance.now() - t; ruleMs += ms; addPhase('facts', ms); }, ...(exitListeners.get('Program') ?? [])]);
  }
  // The shared facts' node lists come from this walk (rules, and `beforeExit`, ask for facts at
  // Program:exit: first in line, the lists are complete).
  const collector = factsCollector(parsed.ast);
  exitListeners.set('Program', [collector.done, ...(exitListeners.get('Program') ?? [])]);
  const t1 = timing ? performance.now() : 0;
  walkWith(parsed.ast, { enter: enterListeners, exit: exitListeners }, collector.enter);
  // `ruleMs` counts the rules' listeners and the facts hook: the rest is the walk itself.
  if (timing) addPhase('walk', performance.now() - t1 - ruleMs);
  let suppressed = 0;
  const kept = findings.filter((f) => {
    const s = sup.lines.get(f.line);
    const hidden = s === 'all' || (s !== undefined && s.has(f.ruleId));
    if (hidden) suppressed++;
    return !hidden;
  });
  kept.sort((a, b) => a.line - b.line || a.column - b.column || a.ruleId.localeCompare(b.ruleId));
  markLeftForPerson(input.text, parsed.ast, kept, { filename: input.filename, project: () => projectOf({ settings: input.settings ?? {}, filename: input.filename }) });
  return { findings: kept, suppressed, ...recovered };
}
