/**
 * The fix core: applies the automatic edits of a file's findings (rule edits plus the edits of
 * the transforms in src/fix/providers.ts), in up to 3 passes, re-parses the result with the same
 * parser, and inserts `/* sc-migrate(<rule-id>): ... *\/` markers before what is left for a person.
 * Lines outside an edit stay byte-identical; BOM and line endings are kept.
 */
import { dirname, relative, resolve } from 'node:path';
import { promises as fsp } from 'node:fs';
import { lintText } from '../engine/linter.js';
import { lineStarts, parseFile, type Parsed } from '../engine/parse.js';
import { writeFileAtomicAsync as writeFileAtomic } from '../scan/output.js';
import { createProjectContext, SETTINGS_KEY, type ProjectContext } from '../engine/project.js';
import type { Finding, Node, ScRule, TextEdit } from '../engine/types.js';
import { ruleId } from '../engine/create-rule.js';
import { providerEdits } from './providers.js';
import { isBrowserCode } from './rewrites.js';
import './wrappers.js';
import './grants.js';
import './tokens.js';
import './pkce.js';
import { markerText } from './markers.js';
import { statementLine } from '../engine/markers.js';

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
}

export interface FixTextResult {
  /** Modules the rewrites of this file need (absolute path -> text), to create when absent. */
  newFiles?: Map<string, string>;
  status: 'changed' | 'unchanged' | 'failed';
  text: string;
  markers: number;
  remaining: Finding[];
  error?: string;
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
    else if (opts.suggestions && f.suggestions?.[0]) groups.push({ ruleId: f.ruleId, edits: f.suggestions[0].edits });
  }
  groups.push(...providerEdits({ text, filename: opts.filename, parsed, findings, project: opts.project, cwd: opts.cwd, rules: opts.rules, suggestions: !!opts.suggestions, newFiles: (opts.newFiles ??= new Map()) }));
  return groups;
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
    const fresh = g.edits.filter((e) => !seen.has(`${e.range[0]}:${e.range[1]}:${e.text}`));
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

function tryParse(text: string, filename: string): { parsed?: Parsed; error?: string } {
  try { return { parsed: parseFile(text, filename) }; } catch (e) { return { error: (e as Error).message }; }
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
  const handed = handedFindings(opts.findings, text);
  const first = handed ? { parsed: handed[0]!.handle!.parsed } : tryParse(text, opts.filename);
  if (!first.parsed) return { status: 'failed', text: original, markers: 0, remaining: [], error: `does not parse: ${first.error}` };
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
    let markers = 0;
    if (opts.markers !== false) {
      const m = insertMarkers(text, parsed, findings, opts, autoGroups(text, findings, opts, parsed));
      if (m.count) {
        const p = tryParse(m.text, opts.filename);
        if (!p.parsed) return { status: 'failed', text: original, markers: 0, remaining: findings, error: `failed: does not parse after markers (${p.error})` };
        text = m.text;
        parsed = p.parsed;
        markers = m.count;
        findings = lint(text, opts, parsed);
      }
    }
    const out = bom + text;
    return { status: out === original ? 'unchanged' : 'changed', text: out, markers, remaining: findings, ...(opts.newFiles?.size ? { newFiles: opts.newFiles } : {}) };
  } catch (e) {
    return { status: 'failed', text: original, markers: 0, remaining: [], error: `failed: ${(e as Error).stack ?? e}` };
  }
}

/** Inserts one marker per (rule, line) left for a person, on the line before its statement. */
export function insertMarkers(text: string, parsed: Parsed, findings: Finding[], opts: FixTextOptions, pending: EditGroup[] = []): { text: string; count: number } {
  const starts = lineStarts(text);
  const pendingRules = new Set(pending.map((g) => g.ruleId));
  const byLine = new Map<number, Map<string, Finding>>();
  for (const f of findings) {
    if (f.fixKind === 'auto' && (f.fix?.edits.length || pendingRules.has(f.ruleId))) continue;
    const offset = (starts[f.line - 1] ?? 0) + f.column - 1;
    const inScript = parsed.extras.language === 'vue' || parsed.extras.language === 'html'
      ? /\S/.test(parsed.text.slice(starts[f.line - 1] ?? 0, starts[f.line] ?? text.length)) : true;
    const line = inScript ? statementLine(parsed.ast, offset, f.line) : f.line;
    const m = byLine.get(line) ?? new Map<string, Finding>();
    if (!m.has(f.ruleId)) m.set(f.ruleId, f);
    byLine.set(line, m);
  }
  const inserts: TextEdit[] = [];
  const browser = isBrowserCode({ filename: opts.filename, text, project: opts.project });
  for (const [line, m] of byLine) {
    const at = starts[line - 1] ?? 0;
    const end = starts[line] ?? text.length;
    const lineText = text.slice(at, end);
    const indent = /^[ \t]*/.exec(lineText)![0];
    const eol = /\r\n$/.test(lineText) || (!/\n$/.test(lineText) && /\r\n/.test(text)) ? '\r\n' : '\n';
    // markers already there: the lines just above (and this one)
    let above = '';
    for (let l = line - 1; l >= 1 && l >= line - 6; l--) {
      const t = text.slice(starts[l - 1]!, starts[l]!);
      if (!/sc-migrate\(/.test(t)) break;
      above += t;
    }
    above += lineText;
    const html = parsed.extras.language === 'html' || parsed.extras.language === 'vue'
      ? !/\S/.test(parsed.text.slice(at, end)) : false;
    let block = '';
    for (const [id, f] of m) {
      if (above.includes(`sc-migrate(${id})`)) continue;
      const body = markerText(id, f, opts.filename, browser).replace(/\*\//g, '* /').replace(/-->/g, '- ->');
      block += html ? `${indent}<!-- sc-migrate(${id}): ${body} -->${eol}` : `${indent}/* sc-migrate(${id}): ${body} */${eol}`;
    }
    if (block) inserts.push({ range: [at, at], text: block });
  }
  if (!inserts.length) return { text, count: 0 };
  let out = text;
  let count = 0;
  for (const e of inserts.sort((a, b) => b.range[0] - a.range[0])) {
    out = out.slice(0, e.range[0]) + e.text + out.slice(e.range[1]);
    count += (e.text.match(/sc-migrate\(/g) ?? []).length;
  }
  return { text: out, count };
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
}

export interface FixFilesResult {
  results: FixResult[];
}

/** What the CLI's `fix` command calls. Writes changed files atomically unless dry/print. */
export async function fixFiles(opts: FixFilesOptions): Promise<FixFilesResult> {
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
  for (const f of abs) {
    const base = { file: f.path, before: f.text, after: f.text, markers: 0, remaining: [] as Finding[] };
    if (!parseable(f.abs)) { results.push({ ...base, status: 'skipped', error: 'unsupported file type' }); continue; }
    const r = fixText(f.text, { filename: f.abs, rules, project, cwd, suggestions: opts.suggestions, newFiles, ...(opts.findings?.has(f.abs) ? { findings: opts.findings.get(f.abs)! } : {}) });
    if (r.status === 'failed') { results.push({ ...base, status: 'failed', remaining: r.remaining, error: r.error }); continue; }
    const env = newEnvVars(f.text, r.text);
    const res: FixResult = { ...base, status: r.status, after: r.text, markers: r.markers, remaining: r.remaining, ...(env.length ? { env } : {}) };
    if (r.status === 'changed' && !opts.dry && !opts.print) {
      try { await writeFileAtomic(f.abs, r.text); } catch (e) { res.status = 'failed'; res.after = f.text; res.error = `write failed: ${(e as Error).message}`; }
    }
    results.push(res);
  }
  // modules the rewrites import (created once, never overwritten)
  for (const [path, text] of newFiles) {
    if (texts.has(path) || diskRead(path) !== undefined) continue;
    const rel = relative(cwd, path);
    const res: FixResult = { file: rel, status: 'changed', before: '', after: text, markers: 0, remaining: [], created: true, env: CLIENT_MODULE_ENV };
    if (!opts.dry && !opts.print) {
      try { await fsp.mkdir(dirname(path), { recursive: true }); await writeFileAtomic(path, text); } catch (e) { res.status = 'failed'; res.error = `write failed: ${(e as Error).message}`; }
    }
    results.push(res);
  }
  return { results };
}

import { readFileSync } from 'node:fs';
import { languageOf } from '../engine/parse.js';
const parseable = (p: string) => languageOf(p) !== undefined;
function diskRead(p: string): string | undefined {
  try { return readFileSync(p, 'utf8'); } catch { return undefined; }
}
