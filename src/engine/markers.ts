/**
 * Findings that `sc-migrate fix` already judged: a marker `sc-migrate(<rule-id>): ...` (a block
 * comment, or an HTML comment outside `<script>`) on the lines just above the statement holding
 * the finding, which is where fix puts it. Scan keeps reporting them, as `manual` with
 * `marked: true`: what is left is for a person, and the marker says what to do.
 */
import { lineStarts, locator } from './parse.js';
import type { Finding, Node, Program } from './types.js';
import { forEachChild } from './walk.js';

/** How many lines of markers may stack above a statement (one per rule). */
const REACH = 8;

/** The line (1-based) where the statement (or class member) holding an offset starts. */
export function statementLine(ast: Program, offset: number, fallback: number, at?: (offset: number) => { line: number }): number {
  let best: Node | undefined;
  const visit = (n: Node) => {
    forEachChild(n, (c) => {
      if (!c.range || c.range[0] > offset || c.range[1] <= offset) return;
      if (/Statement$|Declaration$|^PropertyDefinition$|^MethodDefinition$/.test(c.type) && c.type !== 'BlockStatement') best = c;
      visit(c);
    });
  };
  visit(ast);
  if (!best) return fallback;
  // trees parsed without locations (the scanner's) have ranges only
  return (best as { loc?: Node['loc'] }).loc?.start.line ?? at?.(best.range[0]).line ?? fallback;
}

/**
 * The first line (1-based) of a JSDoc block that ends right above `line`, else `line`: markers go
 * above the block, never between it and what it documents.
 */
export function docCommentStart(lines: readonly string[], line: number): number {
  if (!/\*\/\s*$/.test(lines[line - 2] ?? '')) return line;
  for (let l = line - 1; l >= 1 && l >= line - 80; l--) {
    const t = lines[l - 1]!.trim();
    if (t.startsWith('/**')) return l;
    if (t.startsWith('/*') || (l < line - 1 && /\*\/\s*$/.test(t))) return line;
  }
  return line;
}

/** Sets `marked` (and fixKind `manual`) on findings with their rule's marker above them. */
export function markLeftForPerson(text: string, ast: Program, findings: Finding[]): void {
  if (!findings.length || !text.includes('sc-migrate(')) return;
  const lines = text.split('\n');
  const starts = lineStarts(text);
  let at: ((offset: number) => { line: number }) | undefined;
  const has = (line: number, id: string) => lines.slice(Math.max(0, docCommentStart(lines, line) - 1 - REACH), line - 1).some((l) => l.includes(`sc-migrate(${id})`));
  for (const f of findings) {
    const tag = `sc-migrate(${f.ruleId})`;
    if (!text.includes(tag)) continue;
    const marked = has(f.line, f.ruleId) || has(statementLine(ast, (starts[f.line - 1] ?? 0) + f.column - 1, f.line, (at ??= locator(text))), f.ruleId);
    if (marked) { f.fixKind = 'manual'; f.marked = true; }
  }
}
