/**
 * The fix core: applies the automatic edits of a file's findings (rule edits plus the edits of
 * the rules' providers: rules/<id>/fix.ts, listed in src/fix/providers.ts), in up to 3 passes, re-parses the result with the same
 * parser, and inserts `/* sc-migrate(<rule-id>): ... *\/` markers before what is left for a person.
 * Lines outside an edit stay byte-identical; BOM and line endings are kept.
 */
import { basename, dirname, relative, resolve } from 'node:path';
import { isInside } from '../scan/paths.js';
import { promises as fsp } from 'node:fs';
import { lintText } from '../engine/linter.js';
import { lineStarts, loadParser, parseFile, type Parsed } from '../engine/parse.js';
import { writeFileAtomicAsync as writeFileAtomic } from '../scan/output.js';
import { createProjectContext, SETTINGS_KEY, type ProjectContext } from '../engine/project.js';
import { keepHandle, type Finding, type ScRule, type TextEdit } from '../engine/types.js';
import { ruleId } from '../engine/create-rule.js';
import { providerEdits } from './providers.js';
import { runsInBrowser } from '../engine/analysis/browser.js';
import { insertMarkers, keptOnPurpose } from './markers.js';
import { crossFileWrapperTexts } from './project-wrappers.js';
import { queryHelperTexts } from './project-query-helpers.js';
import { urlHelperTexts } from './project-url-helpers.js';
import { droppedRefreshTokenNotes } from './rotation.js';
import { restyle, styleOf } from './style.js';
import { orphanEdits } from './orphans.js';

/** Files whose whole text is the program (not the script blocks of a page or component). */
const ORPHAN_LANGS = /\.(?:[cm]?[jt]sx?)$/i;
import { traverseCollect } from '../engine/analysis/walk.js';
import { addDependency, addedImports, appEnvOf, fileExists, hasDependency, importProblems, importsPackage, nearestPackageJson, resolveRelative, RUNTIME_PACKAGE, runtimeRange } from './safety.js';

export type FixStatus = 'changed' | 'unchanged' | 'skipped' | 'failed';

export interface FixResult {
  file: string;
  status: FixStatus;
  before: string;
  after: string;
  /** Markers inserted by this run. */
  markers: number;
  /** Findings left after the fix (manual / suggest, and any auto one that could not be applied). */
  remaining: Finding[];
  error?: string;
  /** A module created by a rewrite (e.g. soundcloud-client.js); `before` is ''. */
  created?: boolean;
  /** Environment variables the fixed code now reads (a hard-coded secret moved out, the client module). */
  env?: string[];
  /** A package this run added to this package.json's dependencies (the fixed code imports it). */
  dependency?: string;
  /** What a person still has to do for this file (e.g. add a dependency where no package.json is). */
  notes?: string[];
}

/** The `process.env.X` names a fixed text reads that the original did not. */
export function newEnvVars(before: string, after: string): string[] {
  const names = (t: string) => new Set([...t.matchAll(/process\.env\.([A-Za-z_][A-Za-z0-9_]*)/g)].map((m) => m[1]!));
  const had = names(before);
  return [...names(after)].filter((n) => !had.has(n));
}

/** What the generated client module reads (createClientFromEnv). */
export const CLIENT_MODULE_ENV = ['SOUNDCLOUD_CLIENT_ID', 'SOUNDCLOUD_CLIENT_SECRET'];

export interface FixTextOptions {
  /** Path used for the parser choice and cross-file resolution (absolute is best). */
  filename: string;
  rules: readonly ScRule[];
  project?: ProjectContext;
  cwd?: string;
  /** Apply the rules' suggestions too (e.g. process.env for hard-coded credentials). Default false. */
  suggestions?: boolean;
  /** Insert markers for what is left. Default true. */
  markers?: boolean;
  /** Maximum passes. Default 3. */
  passes?: number;
  /** Collects modules the rewrites need (e.g. soundcloud-client.js); default: a private map. */
  newFiles?: Map<string, string>;
  /** The scan's findings of this file with their handles (runScan keepNodes): the first pass uses them instead of parsing and linting again. */
  findings?: Finding[];
  /** The file runs in a browser: decided once per file (engine/analysis/browser.ts) unless given. */
  browser?: boolean;
  /** Findings whose root cause is written in another file get no marker here: fixFiles marks that origin once (default: marked at their own statement). */
  deferForeign?: boolean;
  /** The backend route browser code asks for app tokens (default /api/soundcloud/token; src/fix/browser-client.ts). */
  tokenEndpoint?: string;
  /** Filled by fix (shared by reference, as newFiles): runtimeWithoutPackage when a rewrite that needs sc-migrate/runtime was left for a marker (no package.json above the file). */
  said?: { runtimeWithoutPackage?: boolean };
}

export interface FixTextResult {
  /** Modules the rewrites of this file need (absolute path -> text), to create when absent. */
  newFiles?: Map<string, string>;
  status: 'changed' | 'unchanged' | 'failed';
  text: string;
  markers: number;
  remaining: Finding[];
  error?: string;
  /** The file does not parse as it is; it was read after appending the closers its end lacks, and got markers only (markRecovered). */
  recovered?: string;
}

const BOM = '\uFEFF';

/** Edit groups (each applied whole or not at all) for the findings of one pass. */
export interface EditGroup { ruleId: string; edits: TextEdit[] }

function lint(text: string, opts: FixTextOptions, parsed?: Parsed): Finding[] {
  return lintText({
    text, filename: opts.filename, rules: opts.rules, cwd: opts.cwd, ...(parsed ? { parsed } : {}),
    settings: opts.project ? { [SETTINGS_KEY]: { project: opts.project } } : {},
  }).findings;
}

/** The automatic edit groups of a set of findings: rule edits, then transform edits. */
export function autoGroups(text: string, findings: Finding[], opts: FixTextOptions, parsed: Parsed): EditGroup[] {
  const groups: EditGroup[] = [];
  for (const f of findings) {
    if (f.fix?.edits.length && f.fixKind === 'auto') groups.push({ ruleId: f.ruleId, edits: f.fix.edits });
    // process.env in a browser bundle is undefined: suggestions only in server code
    else if (opts.suggestions && f.suggestions?.[0] && !browserOf(text, opts)) groups.push({ ruleId: f.ruleId, edits: f.suggestions[0].edits });
  }
  groups.push(...providerEdits({ text, filename: opts.filename, parsed, findings, project: opts.project, cwd: opts.cwd, rules: opts.rules, suggestions: !!opts.suggestions, newFiles: (opts.newFiles ??= new Map()), browser: browserOf(text, opts), ...(opts.tokenEndpoint ? { tokenEndpoint: opts.tokenEndpoint } : {}) }));
  const kept = withoutRuntimeWhereNoPackage(groups.filter((g) => !g.edits.some((e) => keptOnPurpose(g, parsed, text, e.range[0]))), opts);
  return sameEnvForDifferentValues(kept.map((g) => appEnvGroup(g, parsed, text, opts)), text).map((g) => keepStringType(g, text, opts.filename));
}

/**
 * Code that would import sc-migrate/runtime (itself or through a module a rewrite creates) needs
 * the package in a package.json; a file with none above it (an old app installed by a shell
 * script's `npm install a b c`) would stop at its first require: those groups stay for a marker.
 * Judged for the files of a project on disk (fixFiles passes `said`), not for a text alone or a virtual path.
 */
function withoutRuntimeWhereNoPackage(groups: EditGroup[], opts: FixTextOptions): EditGroup[] {
  const planned = [...opts.newFiles ?? []].filter(([, t]) => importsPackage(t, RUNTIME_PACKAGE)).map(([p]) => basename(p).replace(/\.[^.]+$/, ''));
  const needsRuntime = (g: EditGroup) => g.edits.some((e) => importsPackage(e.text, RUNTIME_PACKAGE) || planned.some((m) => e.text.includes(m)));
  const file = resolve(opts.cwd ?? '.', opts.filename);
  if (!opts.said || !groups.some(needsRuntime) || !fileExists(file) || nearestPackageJson(file)) return groups;
  if (opts.said) opts.said.runtimeWithoutPackage = true;
  return groups.filter((g) => !needsRuntime(g));
}

/**
 * TypeScript: a string literal moved to `process.env.X` (or `process.env.X || 'x'` without its
 * fallback) is `string | undefined`, an error (TS2345) wherever it goes to a `string` under
 * `strict` (music-app's functions: 8 errors, and `firebase deploy` builds with tsc). `as string`
 * keeps the type and changes nothing at run time; parenthesized unless the expression stands
 * alone (after `: = ( [ , { ?`, `=>` or `return`; before `, ; ) ] }` or the line end).
 */
function keepStringType(g: EditGroup, text: string, filename: string): EditGroup {
  const e = g.edits[0];
  if (g.ruleId !== 'no-hardcoded-credentials' || g.edits.length !== 1 || !e || !/\.[cm]?tsx?$/i.test(filename)) return g;
  const kept = e.text === '' ? /process\.env\.\w+$/.exec(text.slice(0, e.range[0])) : null;
  if (!/^process\.env\.\w+$/.test(e.text) && !kept) return g;
  const start = kept ? e.range[0] - kept[0].length : e.range[0];
  const before = text.slice(0, start).trimEnd();
  const alone = (/(?<![=!<>])=$|=>$|[:([,{?]$|\breturn$/.test(before)) && /^[ \t]*([,;)\]}]|\r?\n|$)/.test(text.slice(e.range[1]));
  const typed = `${kept ? kept[0] : e.text} as string`;
  return { ...g, edits: [{ range: [start, e.range[1]], text: alone ? typed : `(${typed})` }] };
}

/**
 * A hard-coded value moved to the environment keeps the app's own name: `process.env.SC_SECRET || 'x'`
 * loses its fallback (not a second variable), and a name the app already reads for the same
 * credential (SC_CLIENT_SECRET) is used instead of a new SOUNDCLOUD_* one.
 */
function appEnvGroup(g: EditGroup, parsed: Parsed, text: string, opts: FixTextOptions): EditGroup {
  const e = g.edits[0];
  const env = g.ruleId === 'no-hardcoded-credentials' && g.edits.length === 1 ? /^process\.env\.(\w+)$/.exec(e!.text)?.[1] : undefined;
  if (!e || !env) return g;
  let fallback: TextEdit | undefined;
  traverseCollect(parsed.ast as never, (n) => {
    if (n.type === 'LogicalExpression' && (n.operator === '||' || n.operator === '??') && n.right.range[0] === e.range[0] && n.right.range[1] === e.range[1]
      && /^process\.env\.\w+$|^import\.meta\.env\.\w+$/.test(text.slice(n.left.range[0], n.left.range[1]))) fallback = { range: [n.left.range[1], n.right.range[1]], text: '' };
  });
  if (fallback) return { ...g, edits: [fallback] };
  const own = appEnvOf(opts.filename, text, opts.project);
  const name = /SECRET/.test(env) ? own.clientSecret : /CLIENT_ID/.test(env) ? own.clientId : undefined;
  return name ? { ...g, edits: [{ ...e, text: `process.env.${name}` }] } : g;
}

/**
 * Two different hard-coded values moved to the same environment variable would become one value
 * (e.g. a Spotify and a SoundCloud secret both read from SOUNDCLOUD_CLIENT_SECRET): those stay for a marker.
 */
function sameEnvForDifferentValues(groups: EditGroup[], text: string): EditGroup[] {
  const values = new Map<string, Set<string>>();
  const envOf = (g: EditGroup) => (g.ruleId === 'no-hardcoded-credentials' && g.edits.length === 1 ? /^process\.env\.(\w+)$/.exec(g.edits[0]!.text)?.[1] : undefined);
  for (const g of groups) {
    const env = envOf(g);
    if (env) values.set(env, (values.get(env) ?? new Set()).add(text.slice(g.edits[0]!.range[0], g.edits[0]!.range[1])));
  }
  return groups.filter((g) => { const env = envOf(g); return !env || values.get(env)!.size < 2; });
}

/** Browser or server, decided once per file (the first text seen) and used by rewrites and markers alike. */
function browserOf(text: string, opts: FixTextOptions): boolean {
  return (opts.browser ??= runsInBrowser(opts.filename, text, opts.project));
}

/** Applies non-overlapping edit groups (sorted; on overlap the first wins, the rest wait for the next pass). */
export function applyGroups(text: string, groups: EditGroup[]): { text: string; applied: number } {
  const sorted = groups
    .map((g) => ({ ...g, edits: [...g.edits].sort((a, b) => a.range[0] - b.range[0] || a.range[1] - b.range[1]) }))
    .filter((g) => g.edits.length)
    .sort((a, b) => a.edits[0]!.range[0] - b.edits[0]!.range[0]);
  const taken: TextEdit[] = [];
  const seen = new Set<string>();
  const overlaps = (e: TextEdit) => taken.some((t) =>
    (e.range[0] < t.range[1] && t.range[0] < e.range[1]) ||
    // two insertions at the same point, or an insertion inside a replaced range
    (e.range[0] === e.range[1] && t.range[0] === t.range[1] && e.range[0] === t.range[0]) ||
    (e.range[0] === e.range[1] && e.range[0] > t.range[0] && e.range[0] < t.range[1]) ||
    (t.range[0] === t.range[1] && t.range[0] > e.range[0] && t.range[0] < e.range[1]));
  let applied = 0;
  for (const g of sorted) {
    // (an edit written twice, here or by an earlier group: once; two findings of one request add its header once)
    const keys = new Set<string>();
    const fresh = g.edits.filter((e) => { const k = `${e.range[0]}:${e.range[1]}:${e.text}`; if (seen.has(k) || keys.has(k)) return false; keys.add(k); return true; });
    if (!fresh.length) continue;
    if (fresh.some((e) => e.range[0] < 0 || e.range[1] > text.length || e.range[1] < e.range[0])) continue;
    if (fresh.some(overlaps)) continue;
    // edits of one group must not overlap each other either
    const inner = [...fresh].sort((a, b) => a.range[0] - b.range[0]);
    if (inner.some((e, i) => i > 0 && e.range[0] < inner[i - 1]!.range[1])) continue;
    for (const e of fresh) { taken.push(e); seen.add(`${e.range[0]}:${e.range[1]}:${e.text}`); }
    applied++;
  }
  taken.sort((a, b) => b.range[0] - a.range[0] || b.range[1] - a.range[1]);
  let out = text;
  for (const e of taken) out = out.slice(0, e.range[0]) + e.text + out.slice(e.range[1]);
  return { text: out, applied };
}

function tryParse(text: string, filename: string, recover = false): { parsed?: Parsed; error?: string } {
  try { return { parsed: parseFile(text, filename, undefined, recover ? { recover: true } : {}) }; } catch (e) { return { error: (e as Error).message }; }
}

/**
 * A file the scan read after repairing its end (its closing brackets appended, parse.ts): fix
 * rewrites no code there, it only inserts markers, whole-line comments above statements, and
 * keeps them only when the file still parses with exactly the same repair. The file stays as
 * broken as it was, no more: its owner closes it.
 */
function markRecovered(original: string, bom: string, text: string, parsed: Parsed, opts: FixTextOptions): FixTextResult {
  const repair = parsed.extras.recovered!;
  let findings = handedFindings(opts.findings, text) ?? lint(text, opts, parsed);
  let markers = 0;
  if (opts.markers !== false) {
    // no edit will be applied: every finding is left for a person
    const left = findings.map((f) => { const { fix: _fix, ...rest } = f; return keepHandle(rest as Finding, f); });
    const m = insertMarkers(text, parsed, left, { filename: opts.filename, browser: browserOf(text, opts), deferForeign: !!opts.deferForeign, shell: () => shellWithoutRoute({ text, filename: opts.filename, project: opts.project }, opts.tokenEndpoint) });
    if (m.text !== text) {
      const p = tryParse(m.text, opts.filename, true);
      if (p.parsed?.extras.recovered?.appended !== repair.appended || p.parsed.extras.recovered.bind !== repair.bind) return { status: 'failed', text: original, markers: 0, remaining: findings, error: `failed: markers change how the file's unclosed end reads (${p.error ?? 'another repair'})` };
      text = m.text;
      parsed = p.parsed;
      markers = m.count;
      findings = lint(text, opts, parsed);
    }
  }
  for (const f of findings) if (f.marked) delete f.fix;
  const out = bom + text;
  return { status: out === original ? 'unchanged' : 'changed', text: out, markers, remaining: findings, recovered: repair.bind ? `${repair.error}; its :: bind operators were read as plain references` : repair.error };
}

/** The scan's findings, when every one holds a handle to a parse of exactly this text. */
function handedFindings(findings: Finding[] | undefined, text: string): Finding[] | undefined {
  if (!findings?.length) return undefined;
  const parsed = findings[0]!.handle?.parsed;
  return parsed && findings.every((f) => f.handle?.text === text && f.handle.parsed === parsed) ? findings : undefined;
}

/** Fixes one file's text (BOM-safe). Never throws: a failure returns the original text. */
export function fixText(original: string, opts: FixTextOptions): FixTextResult {
  const bom = original.startsWith(BOM) ? BOM : '';
  const start = bom ? original.slice(1) : original;
  let text = start;
  opts = { ...opts };
  browserOf(text, opts);
  const handed = handedFindings(opts.findings, text);
  const first = handed ? { parsed: handed[0]!.handle!.parsed } : tryParse(text, opts.filename);
  if (!first.parsed) {
    const repaired = tryParse(text, opts.filename, true).parsed;
    if (repaired) return markRecovered(original, bom, text, repaired, opts);
    return { status: 'failed', text: original, markers: 0, remaining: [], error: `does not parse: ${first.error}` };
  }
  if (first.parsed.extras.recovered) return markRecovered(original, bom, text, first.parsed, opts);
  let parsed = first.parsed;
  let findings: Finding[];
  try {
    findings = handed ?? lint(text, opts, parsed);
    for (let pass = 0; pass < (opts.passes ?? 3); pass++) {
      const groups = autoGroups(text, findings, opts, parsed);
      if (!groups.length) break;
      const { text: next, applied } = applyGroups(text, groups);
      if (!applied || next === text) break;
      const p = tryParse(next, opts.filename);
      if (!p.parsed) return { status: 'failed', text: original, markers: 0, remaining: findings, error: `failed: does not parse after fix (${p.error})` };
      text = next;
      parsed = p.parsed;
      findings = lint(text, opts, parsed);
    }
    // what the rewrites left without a reader (a client id constant, its import): noUnusedLocals
    if (text !== start && ORPHAN_LANGS.test(opts.filename)) {
      const edits = orphanEdits(first.parsed.ast as never, parsed.ast as never, text);
      if (edits.length) {
        const next = applyGroups(text, edits.map((e) => ({ ruleId: 'orphans', edits: [e] }))).text;
        const p = tryParse(next, opts.filename);
        if (p.parsed) { text = next; parsed = p.parsed; findings = lint(text, opts, parsed); }
      }
    }
    // the lines the fix added or changed, in the file's style (templates, semicolons, no leftovers)
    const styled = restyle(start, text, styleOf(start, opts.filename));
    if (styled !== text) {
      const p = tryParse(styled, opts.filename);
      if (p.parsed) { text = styled; parsed = p.parsed; findings = lint(text, opts, parsed); }
    }
    let markers = 0;
    if (opts.markers !== false) {
      const pending = new Set(autoGroups(text, findings, opts, parsed).map((g) => g.ruleId));
      const m = insertMarkers(text, parsed, findings, { filename: opts.filename, browser: browserOf(text, opts), deferForeign: !!opts.deferForeign, shell: () => shellWithoutRoute({ text, filename: opts.filename, project: opts.project }, opts.tokenEndpoint) }, pending);
      if (m.text !== text) {
        const p = tryParse(m.text, opts.filename);
        if (!p.parsed) return { status: 'failed', text: original, markers: 0, remaining: findings, error: `failed: does not parse after markers (${p.error})` };
        text = m.text;
        parsed = p.parsed;
        markers = m.count;
        findings = lint(text, opts, parsed);
      }
    }
    const out = bom + text;
    // a marked finding is fix's verdict: left for a person, with no edit fix would apply (e.g. a deliberate redirect)
    for (const f of findings) if (f.marked) delete f.fix;
    return { status: out === original ? 'unchanged' : 'changed', text: out, markers, remaining: findings, ...(opts.newFiles?.size ? { newFiles: opts.newFiles } : {}) };
  } catch (e) {
    return { status: 'failed', text: original, markers: 0, remaining: [], error: `failed: ${(e as Error).stack ?? e}` };
  }
}

/**
 * A client_id value written in a URL that a rewrite removed (the app token replaces it) is never
 * dropped silently: the client module reads it from the app's env name (SOUNDCLOUD_CLIENT_ID
 * unless the app has its own), which a note names with the value's start.
 */
function movedClientIdNotes(before: string, after: string, file: string, project?: ProjectContext): string[] {
  const values = new Set([...before.matchAll(/[?&]client_id=([\w.~-]{8,})/g)].map((m) => m[1]!));
  const gone = [...values].filter((v) => !after.includes(v));
  if (!gone.length || !/\bsoundcloudAccessToken\b/.test(after)) return [];
  const name = appEnvOf(file, after, project).clientId ?? CLIENT_MODULE_ENV[0]!;
  return gone.map((v) => `the client_id written in its URLs (${v.slice(0, 4)}...) was removed (the app token replaces it): set ${name} to it, with the app's client secret`);
}

/** What fix tells about a file beyond its findings: a refresh grant that drops the rotated refresh token (src/fix/rotation.ts). */
function rotationNotes(text: string, file: string): string[] {
  if (!/grant_type/.test(text) || !/refresh_token/.test(text)) return [];
  try {
    const starts = lineStarts(text);
    const lineOf = (o: number) => { let lo = 0; let hi = starts.length - 1; while (lo < hi) { const m = (lo + hi + 1) >> 1; if (starts[m]! <= o) lo = m; else hi = m - 1; } return lo + 1; };
    return droppedRefreshTokenNotes(parseFile(text.replace(/^\uFEFF/, ''), file), lineOf);
  } catch {
    return [];
  }
}

export interface FixFilesOptions {
  /** Files to fix: path (absolute, or relative to cwd) and current text. */
  files: { path: string; text: string }[];
  rules: readonly ScRule[];
  /** Project context for cross-file facts; default: one built over `files` rooted at cwd. */
  project?: ProjectContext;
  cwd?: string;
  /** Write nothing (the caller prints a diff from before/after). */
  dry?: boolean;
  /** Write nothing (the caller prints `after`). */
  print?: boolean;
  /** Apply suggestions (suggest-kind rewrites) too. Default false. */
  suggestions?: boolean;
  /** Only these rule ids (others are not run). */
  ruleIds?: string[];
  /** The scan's findings (with handles) by absolute path: see FixTextOptions.findings. */
  findings?: ReadonlyMap<string, Finding[]>;
  /** See FixTextOptions.tokenEndpoint. */
  tokenEndpoint?: string;
}

export interface FixFilesResult {
  results: FixResult[];
}

/** What the CLI's `fix` command calls. Writes changed files atomically unless dry/print. */
export async function fixFiles(opts: FixFilesOptions): Promise<FixFilesResult> {
  await loadParser();
  const cwd = resolve(opts.cwd ?? process.cwd());
  const rules = opts.ruleIds?.length ? opts.rules.filter((r) => opts.ruleIds!.includes(ruleId(r))) : opts.rules;
  const abs = opts.files.map((f) => ({ ...f, abs: resolve(cwd, f.path) }));
  const texts = new Map(abs.map((f) => [f.abs, f.text]));
  const project = opts.project ?? createProjectContext({
    root: cwd,
    read: (p) => texts.get(p) ?? diskRead(p),
    // no `files`: project-level rules walk the root (the files to fix may be a subset of the project)
  });
  const results: FixResult[] = [];
  const newFiles = new Map<string, string>();
  resetPages();
  // the project pass: a wrapper of another file gets the token parameter, its calls pass the token
  const pre = rules.some((r) => ruleId(r) === 'no-query-oauth-token' || ruleId(r) === 'no-client-id-auth')
    ? await crossFileWrapperTexts(abs.filter((f) => parseable(f.abs)), project, cwd, new Set(rules.map((r) => ruleId(r))), newFiles, opts.tokenEndpoint).catch(() => new Map<string, string>())
    : new Map<string, string>();
  // the project pass of client_id query objects handed to another module's request helper (project-query-helpers.ts)
  if (rules.some((r) => ruleId(r) === 'no-client-id-auth')) {
    const now = abs.filter((f) => parseable(f.abs)).map((f) => ({ abs: f.abs, text: pre.get(f.abs) ?? f.text }));
    for (const [p, t] of await queryHelperTexts(now, project, cwd, new Set(rules.map((r) => ruleId(r))), newFiles).catch(() => new Map<string, string>())) pre.set(p, t);
    // client_id URLs handed to one request helper of the app (project-url-helpers.ts)
    const next = abs.filter((f) => parseable(f.abs)).map((f) => ({ abs: f.abs, text: pre.get(f.abs) ?? f.text }));
    for (const [p, t] of await urlHelperTexts(next, project, cwd, new Set(rules.map((r) => ruleId(r))), newFiles).catch(() => new Map<string, string>())) pre.set(p, t);
  }
  for (const [p, t] of pre) if (!texts.has(p)) abs.push({ path: p, text: diskRead(p) ?? t, abs: p });
  const pending: { res: FixResult; abs: string }[] = [];
  const fixedAt = new Map<FixResult, string>();
  for (const f of abs) {
    const base = { file: f.path, before: f.text, after: f.text, markers: 0, remaining: [] as Finding[] };
    if (!parseable(f.abs)) { results.push({ ...base, status: 'skipped', error: 'unsupported file type' }); continue; }
    const fo: FixTextOptions = { filename: f.abs, rules, project, cwd, suggestions: opts.suggestions, newFiles, deferForeign: true, tokenEndpoint: opts.tokenEndpoint, said: {}, ...(opts.findings?.has(f.abs) ? { findings: opts.findings.get(f.abs)! } : {}) };
    const r = fixText(pre.get(f.abs) ?? f.text, fo);
    if (r.status === 'failed') { results.push({ ...base, status: 'failed', remaining: r.remaining, error: r.error }); continue; }
    if (pre.has(f.abs)) r.status = r.text === f.text ? 'unchanged' : 'changed';
    const env = newEnvVars(f.text, r.text);
    const notes = [
      ...(r.recovered ? [`does not parse as it is (${r.recovered})${r.recovered.endsWith('bind operators were read as plain references') ? '' : ': read after closing its unclosed brackets at the end'}; markers only, no code rewritten`] : []),
      ...rotationNotes(r.text, f.abs), ...movedClientIdNotes(f.text, r.text, f.abs, project),
      ...(fo.said?.runtimeWithoutPackage ? [`no package.json above this file: the rewrites that import ${RUNTIME_PACKAGE}/runtime were left as markers (add a package.json, then run fix again)`] : [])];
    const res: FixResult = { ...base, status: r.status, after: r.text, markers: r.markers, remaining: r.remaining, ...(env.length ? { env } : {}), ...(notes.length ? { notes } : {}) };
    results.push(res);
    fixedAt.set(res, f.abs);
    if (r.status === 'changed') pending.push({ res, abs: f.abs });
  }
  markForeignOrigins({ results, fixedAt, pending, texts, rules, cwd, tokenEndpoint: opts.tokenEndpoint });
  // every import a fix added resolves (to a file, or a module this run creates), never to the file itself: else the file fails loudly
  const planned = new Map([...newFiles].filter(([p]) => !texts.has(p) && diskRead(p) === undefined));
  const exists = (p: string) => planned.has(p) || texts.has(p) || fileExists(p);
  const needed = new Set<string>();
  for (const { res, abs: file } of pending) {
    const problems = importProblems(file, res.before, res.after, exists);
    if (problems.length) { res.status = 'failed'; res.error = `${problems.join('; ')}: file left unchanged`; res.after = res.before; continue; }
    for (const spec of addedImports(res.before, res.after)) {
      const to = spec.startsWith('.') ? resolveRelative(file, spec, exists) : undefined;
      if (to && planned.has(to)) needed.add(to);
    }
  }
  // classic page scripts that now use the classic client (classic-pages.ts): the client is created, their pages load it first
  const classic = classicPageEdits(pending.filter((p) => p.res.status === 'changed').map(({ res, abs: a }) => ({ abs: a, before: res.before, after: res.after })),
    project.root ?? cwd, planned, (p) => texts.get(p) ?? diskRead(p), (p) => [...fixedAt].find(([, a]) => a === p)?.[0].after);
  for (const c of classic.clients) if (planned.has(c)) needed.add(c);
  for (const [page, text] of classic.pages) {
    let res = [...fixedAt].find(([, a]) => a === page)?.[0];
    if (!res) {
      const before = texts.get(page) ?? diskRead(page) ?? '';
      res = { file: relative(cwd, page), status: 'changed', before, after: text, markers: 0, remaining: [] };
      results.push(res);
      fixedAt.set(res, page);
    }
    res.after = text;
    res.status = res.after === res.before ? 'unchanged' : 'changed';
    if (res.status === 'changed' && !pending.some((p) => p.res === res)) pending.push({ res, abs: page });
  }
  // modules the rewrites import (created once, never overwritten, only when a fixed file imports them)
  const created: { res: FixResult; abs: string }[] = [];
  for (const [path, text] of planned) {
    if (!needed.has(path)) continue;
    // a browser module reads no environment; its one note says what the backend must serve
    const browser = text.startsWith(BROWSER_HEAD) || text.startsWith(CLASSIC_HEAD);
    const res: FixResult = { file: relative(cwd, path), status: 'changed', before: '', after: text, markers: 0, remaining: [], created: true, ...(browser ? { notes: [backendNote(opts.tokenEndpoint ?? DEFAULT_TOKEN_ENDPOINT, text)] } : { env: moduleEnv(text) }) };
    results.push(res);
    created.push({ res, abs: path });
  }
  // code that now imports sc-migrate/runtime needs the package: the nearest package.json gets it (never a lockfile)
  const pkgs = new Map<string, FixResult>();
  for (const { res, abs: file } of [...pending, ...created]) {
    if (res.status !== 'changed' || !importsPackage(res.after, RUNTIME_PACKAGE) || importsPackage(res.before, RUNTIME_PACKAGE)) continue;
    const pkg = nearestPackageJson(file);
    if (!pkg) { res.notes = [...res.notes ?? [], `add ${RUNTIME_PACKAGE} to your dependencies (no package.json above ${res.file})`]; continue; }
    if (pkgs.has(pkg)) continue;
    const before = diskRead(pkg);
    if (before === undefined || hasDependency(before, RUNTIME_PACKAGE)) continue;
    const after = addDependency(before, RUNTIME_PACKAGE, runtimeRange());
    if (after === undefined) { res.notes = [...res.notes ?? [], `add ${RUNTIME_PACKAGE} to the dependencies of ${relative(cwd, pkg)} (it does not parse)`]; continue; }
    pkgs.set(pkg, { file: relative(cwd, pkg), status: 'changed', before, after, markers: 0, remaining: [], dependency: RUNTIME_PACKAGE });
  }
  results.push(...pkgs.values());
  if (!opts.dry && !opts.print) {
    const writes = [...pending, ...created, ...[...pkgs].map(([abs, res]) => ({ abs, res }))];
    for (const { res, abs: path } of writes) {
      if (res.status !== 'changed') continue;
      try {
        if (res.created) await fsp.mkdir(dirname(path), { recursive: true });
        await writeFileAtomic(path, res.after);
      } catch (e) { res.status = 'failed'; res.after = res.before; res.error = `write failed: ${(e as Error).message}`; }
    }
  }
  return { results };
}

/**
 * One marker per root cause across files: a finding whose origin is written in another file (the
 * constant its client_id comes from, the private API's host literal) gets the marker there, once
 * for all the findings that share it, when every file is fixed. The files are linted again over
 * the fixed texts (origins and marks as scan will see them); an origin that cannot take a marker
 * (not a parseable file of the project) leaves the marker at the finding's own statement.
 */
function markForeignOrigins(o: { results: FixResult[]; fixedAt: Map<FixResult, string>; pending: { res: FixResult; abs: string }[]; texts: Map<string, string>; rules: readonly ScRule[]; cwd: string; tokenEndpoint?: string }): void {
  const foreignOf = (res: FixResult) => res.remaining.filter((f) => !f.marked && f.origin && f.origin.file !== o.fixedAt.get(res));
  const users = o.results.filter((r) => o.fixedAt.has(r) && foreignOf(r).length);
  if (!users.length) return;
  const current = new Map<string, string>();
  for (const [res, file] of o.fixedAt) current.set(file, res.after);
  const byPath = new Map([...o.fixedAt].map(([res, file]) => [file, res]));
  const projectNow = () => createProjectContext({ root: o.cwd, read: (p) => current.get(p) ?? o.texts.get(p) ?? diskRead(p) });
  const relint = (file: string, text: string, project: ProjectContext) => {
    const fs = lint(text, { filename: file, rules: o.rules, project, cwd: o.cwd }, tryParse(text, file).parsed);
    for (const f of fs) if (f.marked) delete f.fix;
    return fs;
  };
  let project = projectNow();
  const wanted = new Map<string, { line: number; finding: Finding }[]>();
  for (const res of users) {
    const file = o.fixedAt.get(res)!;
    res.remaining = relint(file, res.after, project);
    for (const f of foreignOf(res)) wanted.set(f.origin!.file, [...wanted.get(f.origin!.file) ?? [], { line: f.origin!.line, finding: f }]);
  }
  const refused = new Set<string>();
  for (const [file, foreign] of wanted) {
    const text = current.get(file) ?? diskRead(file);
    const parsed = text !== undefined && isInside(o.cwd, file) && parseable(file) ? tryParse(text, file).parsed : undefined;
    const m = parsed && insertMarkers(text!, parsed, [], { filename: file, browser: runsInBrowser(file, text!, project), foreign, shell: () => shellWithoutRoute({ text: text!, filename: file, project }, o.tokenEndpoint) });
    if (!m || m.text === text || !tryParse(m.text, file).parsed) { for (const x of foreign) refused.add(x.finding.file); continue; }
    current.set(file, m.text);
    let res = byPath.get(file);
    if (!res) {
      res = { file: relative(o.cwd, file), status: 'changed', before: text!, after: m.text, markers: 0, remaining: [] };
      o.results.push(res);
      o.fixedAt.set(res, file);
      byPath.set(file, res);
    }
    res.after = m.text;
    res.markers += m.count;
    res.status = res.after === res.before ? 'unchanged' : 'changed';
    if (res.status === 'changed' && !o.pending.some((p) => p.res === res)) o.pending.push({ res, abs: file });
  }
  project = projectNow();
  for (const [file, res] of byPath) {
    if (!wanted.has(file) && !users.includes(res)) continue;
    let text = res.after;
    let remaining = relint(file, text, project);
    // an origin that could not take its marker: the finding is marked at its own statement
    const left = remaining.filter((f) => !f.marked && f.origin && f.origin.file !== file);
    if (left.length && refused.size) {
      const parsed = tryParse(text, file).parsed;
      const m = parsed && insertMarkers(text, parsed, left, { filename: file, browser: runsInBrowser(file, text, project), shell: () => shellWithoutRoute({ text, filename: file, project }, o.tokenEndpoint) });
      if (m?.count && tryParse(m.text, file).parsed) {
        text = m.text;
        res.markers += m.count;
        remaining = relint(file, text, project);
      }
    }
    res.after = text;
    res.remaining = remaining;
    res.status = res.after === res.before ? 'unchanged' : 'changed';
    if (res.status === 'changed' && !o.pending.some((p) => p.res === res)) o.pending.push({ res, abs: file });
  }
}

/** What a generated client module reads from the environment. */
function moduleEnv(text: string): string[] {
  const own = [...text.matchAll(/process\.env\.(\w+)/g)].map((m) => m[1]!);
  return [own.find((n) => /ID$/i.test(n)) ?? CLIENT_MODULE_ENV[0]!, own.find((n) => /SECRET/i.test(n)) ?? CLIENT_MODULE_ENV[1]!];
}

import { readFileSync } from 'node:fs';
import { CLASSIC_HEAD, classicPageEdits, resetPages } from './classic-pages.js';
import { BROWSER_HEAD, backendNote, DEFAULT_TOKEN_ENDPOINT, shellWithoutRoute } from './browser-client.js';
import { languageOf } from '../engine/parse.js';
const parseable = (p: string) => languageOf(p) !== undefined;
function diskRead(p: string): string | undefined {
  try { return readFileSync(p, 'utf8'); } catch { return undefined; }
}
