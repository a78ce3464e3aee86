/**
 * The parser front-end: one ESTree (typescript-estree's shape, which ESLint with
 * @typescript-eslint/parser also sees) per file, for JS/TS files and for the `<script>` blocks of
 * .vue, .svelte and .html files. Script blocks are parsed in place: everything outside them is blanked
 * (newlines kept), so every offset, line and column is the original file's.
 *
 * JavaScript and TypeScript go through oxc-parser first (native, about 6x faster than
 * typescript-estree on TypeScript and 4x faster than acorn on JavaScript): its `astType: 'ts'`
 * tree is typescript-estree's shape (test/engine/parser-parity.test.ts holds it to that); we add
 * `loc`. Whatever oxc refuses (sloppy-mode code, a top-level return, Flow...) goes the old way:
 * plain JavaScript through acorn (+ acorn-jsx), normalised to typescript-estree's shape (below),
 * then typescript-estree, which decides, with its own error message, as before. Without a
 * native oxc binding for the platform, the old way is the only way.
 */
import { createRequire } from 'node:module';
import type * as TsEstree from '@typescript-eslint/typescript-estree';
import type * as Acorn from 'acorn';
import type { Comment as AcornComment, Node as AcornNode, Options as AcornOptions } from 'acorn';
import { jsonParser, loadOxc, rawParser } from './oxc.js';
import { nestsTooDeep } from './depth.js';
import type { Language, ParserExtras, Program, Range, Recovered, SourceLocation } from './types.js';
import { locator } from './lines.js';
import { languageOf } from './languages.js';
import { startOf, endOf } from './offsets.js';

// typescript-estree (and with it TypeScript, about 0.3 s to load and more to warm up) is loaded
// on the first file that needs it: a JavaScript-only tree, or a worker thread given JavaScript
// files, never pays for it.
let tsEstree: typeof TsEstree | undefined;
const parseEstree: typeof TsEstree.parse = (code, options) =>
  (tsEstree ??= createRequire(import.meta.url)('@typescript-eslint/typescript-estree') as typeof TsEstree).parse(code, options);

// oxc-parser is optional (a platform without a binding parses with acorn / typescript-estree);
// its internals are reached through one adapter (oxc.ts): raw transfer first, JSON as fallback.
/**
 * Loads the native parser (oxc's binding). Await it once before the first parse: the engine's
 * loader does (src/scan/analyse.ts), as do the ESLint plugin and `fix`; parsing before it throws.
 */
export const loadParser = (): Promise<void> => loadOxc();

/** Whether the native fast path is there (then every language parses at about the same cost). */
export const hasNativeParser = (): boolean => jsonParser() !== undefined;

/** The program of a binding result; BigInt and RegExp literal values are set as oxc's own wrapper does. */
function oxcProgram(json: string): unknown {
  const { node, fixes } = JSON.parse(json) as { node: Record<string, unknown>; fixes: (string | number)[][] };
  for (const path of fixes) {
    let n = node as Record<string | number, unknown>;
    for (const k of path) n = n[k] as Record<string | number, unknown>;
    const lit = n as { bigint?: string; regex?: { pattern: string; flags: string }; value?: unknown };
    if (lit.bigint) lit.value = BigInt(lit.bigint);
    else if (lit.regex) { try { lit.value = new RegExp(lit.regex.pattern, lit.regex.flags); } catch { /* not supported by this Node */ } }
  }
  return node;
}

export { EXTENSIONS, languageOf } from './languages.js';

export class ParseError extends Error {
  constructor(message: string, readonly line?: number, readonly column?: number) {
    super(message);
    this.name = 'ParseError';
  }
}

export interface Parsed {
  ast: Program;
  /** The text the AST was parsed from: the file itself, or the file with non-script parts blanked. */
  text: string;
  extras: ParserExtras;
}

const SPACES = ' '.repeat(256);
const spaces = (n: number): string => (n <= SPACES.length ? SPACES.slice(0, n) : ' '.repeat(n));
/**
 * `s` with every character but line breaks as a space (a run of up to 256 is a slice of one string
 * of spaces, not a new one). Lines cut at each `\n` (about half the time of a regex callback per
 * line on the dense corpus's pages); text with a `\r` takes the regex.
 */
const blank = (s: string): string => {
  if (s.includes('\r')) return s.replace(/[^\r\n]+/g, (m) => spaces(m.length));
  let out = '';
  for (let from = 0; ;) {
    const nl = s.indexOf('\n', from);
    if (nl === -1) return out + spaces(s.length - from);
    out += spaces(nl - from) + '\n';
    from = nl + 1;
  }
};

interface ScriptBlock { start: number; end: number; lang: Language; handler?: { valueStart: number } }

/**
 * Event handler attributes of a page's tags (`<button onclick="SC.connect();">`): each value is a
 * function body, parsed in place as `;()=>{ value }` written over the attribute's name and quotes
 * (no offset moves). Values holding HTML entities or template tags are left out.
 */
const HANDLER_RE = /<[a-zA-Z][\w:-]*\s[^<>]*?>/g;
const HANDLER_ATTR_RE = /(\s)(on[a-z]{3,20})\s*=\s*("([^"]*)"|'([^']*)')/gi;
const HANDLER_SKIP = /&[#a-z0-9]+;|<\?|<%|\{\{|\{%/i;
function handlerBlocks(masked: string, from: number, to: number, out: ScriptBlock[]): void {
  if (!/\son[a-z]+\s*=/i.test(masked.slice(from, to))) return;
  HANDLER_RE.lastIndex = from;
  for (let t = HANDLER_RE.exec(masked); t && t.index < to; t = HANDLER_RE.exec(masked)) {
    if (t.index + t[0].length > to) break;
    for (const a of t[0].matchAll(HANDLER_ATTR_RE)) {
      const value = a[4] ?? a[5] ?? '';
      if (!/\S/.test(value) || HANDLER_SKIP.test(value)) continue;
      const start = t.index + a.index! + a[1]!.length;
      const end = t.index + a.index! + a[0].length;
      const valueStart = end - 1 - value.length;
      if (valueStart - start < 6) continue;
      out.push({ start, end, lang: 'jsx', handler: { valueStart } });
    }
  }
}

const SCRIPT_RE = /<script\b([^>]*)>([\s\S]*?)<\/script\s*>/gi;
const COMMENT_RE = /<!--[\s\S]*?-->/g;

function attr(attrs: string, name: string): string | undefined {
  const m = new RegExp(`(?:^|\\s)${name}\\s*=\\s*(?:"([^"]*)"|'([^']*)'|([^\\s"'>]+))`, 'i').exec(attrs);
  return m ? (m[1] ?? m[2] ?? m[3]) : undefined;
}

const JS_TYPES = new Set(['', 'text/javascript', 'application/javascript', 'module', 'text/babel', 'text/jsx', 'application/x-javascript']);

/** An Astro component's frontmatter: TypeScript between a `---` line at the start of the file and the next `---` line. */
const FRONTMATTER_RE = /^(\s*---[ \t]*\r?\n)([\s\S]*?)^---[ \t]*$/m;

/**
 * Finds script blocks (and `<script src>` tags) of an SFC or HTML page, skipping HTML comments;
 * with `frontmatter` (an .astro file), the frontmatter first, as TypeScript.
 */
export function scriptBlocks(text: string, language: 'vue' | 'html', frontmatter = false): { blocks: ScriptBlock[]; sources: ParserExtras['scriptSources'] } {
  const blocks: ScriptBlock[] = [];
  const fm = frontmatter ? FRONTMATTER_RE.exec(text) : null;
  const markupFrom = fm && fm.index === 0 ? fm[0].length : 0;
  if (markupFrom) blocks.push({ start: fm![1]!.length, end: fm![1]!.length + fm![2]!.length, lang: 'ts' });
  const masked = blank(text.slice(0, markupFrom)) + text.slice(markupFrom).replace(COMMENT_RE, blank);
  const sources: ParserExtras['scriptSources'] = [];
  let at: ReturnType<typeof locator> | undefined;
  let last = 0;
  for (const m of masked.matchAll(SCRIPT_RE)) {
    const attrs = m[1] ?? '';
    const body = m[2] ?? '';
    const src = attr(attrs, 'src');
    if (src !== undefined) {
      const srcAt = m.index! + m[0].indexOf(src, 7);
      sources.push({ src, range: [srcAt, srcAt + src.length], loc: { start: (at ??= locator(text))(srcAt), end: at(srcAt + src.length) } });
    }
    const type = (attr(attrs, 'type') ?? '').toLowerCase();
    if (!JS_TYPES.has(type)) continue;
    const lang = (attr(attrs, 'lang') ?? '').toLowerCase();
    const start = m.index! + m[0].indexOf('>') + 1;
    if (language === 'html') handlerBlocks(masked, last, m.index!, blocks);
    last = start + body.length;
    blocks.push({ start, end: start + body.length, lang: lang === 'ts' ? 'ts' : lang === 'tsx' ? 'tsx' : 'jsx' });
  }
  if (language === 'html') handlerBlocks(masked, last, masked.length, blocks);
  return { blocks, sources };
}

export { lineStarts, locator } from './lines.js';

/** A node's `loc`, also for trees parsed without locations (computed from its offsets). */
export function locOf(node: { loc?: SourceLocation; range?: Range; start?: number; end?: number }, at: (offset: number) => { line: number; column: number }): SourceLocation {
  return node.loc ?? { start: at(startOf(node)), end: at(endOf(node)) };
}

export interface ParseOptions {
  /**
   * Write `loc` and `range` on every node (default true). The scanner's runner turns it off: its
   * oxc trees keep `start` / `end` only (offsets.ts reads either), and the few `loc`s a report
   * needs are computed from them (`locOf`). oxc trees only (the other parsers always write both).
   */
  locations?: boolean;
  /**
   * Collect comments into `ast.comments` (default true). The runner asks for them only when a
   * file has an inline `sc-migrate-ignore` (they cost typescript-estree a token scan); acorn
   * collects them anyway.
   */
  comments?: boolean;
  /** Force typescript-estree (or acorn, then typescript-estree) instead of oxc first (parity tests). */
  parser?: 'auto' | 'typescript-estree' | 'acorn';
  /**
   * Read a file whose code stops before its last brackets close (a jQuery file without its final
   * `});`): when the parser's error is a missing `}`, `)` or `]` with nothing but whitespace and
   * comments after it, the closers are appended (a line break first, up to MAX_CLOSERS) and the
   * code parsed again; `extras.recovered` says so. Only the scanner asks (src/scan/analyse.ts);
   * the ESLint plugin and `fix` read a file as it is. Offsets of the file's own text do not move.
   */
  recover?: boolean;
}

/** How many closers a truncated file may be given (a few nested callbacks). */
const MAX_CLOSERS = 8;
const CLOSER_EXPECTED = /^syntax error at \d+:\d+: '([}\])])' expected\.?$/;
const ONLY_TRIVIA = /^(?:\s+|\/\/[^\n]*|\/\*[\s\S]*?\*\/)*$/;

/** The 0-based offset of 1-based `line`, 0-based `column` in `code`. */
function offsetOf(code: string, line: number, column: number): number {
  let offset = 0;
  for (let l = 1; l < line; l++) {
    const nl = code.indexOf('\n', offset);
    if (nl < 0) return code.length;
    offset = nl + 1;
  }
  return offset + column;
}

/** The closer a parse error asks for at the end of `code` (nothing but trivia after it), if that is what it is. */
function closerAtEnd(code: string, e: unknown): string | undefined {
  if (!(e instanceof ParseError) || !e.line) return undefined;
  const m = CLOSER_EXPECTED.exec(e.message);
  if (!m) return undefined;
  return ONLY_TRIVIA.test(code.slice(offsetOf(code, e.line, e.column ?? 0))) ? m[1] : undefined;
}

/** Strings, template literals and comments (skipped), or a `::` with what precedes it on its line. */
const BIND_SCAN = /("(?:\\.|[^"\\\n])*"|'(?:\\.|[^'\\\n])*'|`(?:\\.|[^`\\])*`|\/\*[\s\S]*?\*\/|\/\/[^\n]*)|(?<!:)::(?=\s*(?:this\b|[A-Za-z_$]))/g;
/** What may stand before the prefix form `::obj.fn` (an expression starts there). */
const EXPRESSION_START = /(?:^|[(,=:?!&|;{}[+\-*\/%<>~^]|\breturn|\byield|\bawait|=>)\s*$/;

/**
 * The `::` bind operator of the old Babel proposal (`onClick={::this.handleClick}`,
 * `obj::fn(a)`), which no parser reads: the prefix form becomes two spaces (`this.handleClick`),
 * the infix form `. ` (a member call, `obj. fn(a)`), so every offset stays where it was.
 * Undefined when the code has none outside strings and comments.
 */
export function withoutBindOperator(code: string): string | undefined {
  let out: string | undefined;
  for (const m of code.matchAll(BIND_SCAN)) {
    if (m[1] !== undefined) continue;
    const at = m.index!;
    out ??= code;
    const before = code.slice(Math.max(0, at - 40), at);
    out = out.slice(0, at) + (EXPRESSION_START.test(before) ? '  ' : '. ') + out.slice(at + 2);
  }
  return out;
}

/** parseCode, with the repairs of ParseOptions.recover: the program, the code it was read from, and what was repaired. */
function parseRecovering(code: string, language: Language, filename: string, opts: ParseOptions): { ast: Program; code: string; recovered?: Recovered } {
  try {
    return { ast: parseCode(code, language, filename, opts), code };
  } catch (e) {
    if (!opts.recover) throw e;
    const unbound = code.includes('::') ? withoutBindOperator(code) : undefined;
    if (unbound !== undefined) {
      try {
        return { ast: parseCode(unbound, language, filename, opts), code: unbound, recovered: { error: (e as Error).message, appended: '', bind: true } };
      } catch { /* not (only) the bind operator */ }
    }
    let closer = closerAtEnd(code, e);
    if (!closer) throw e;
    let appended = '\n';
    for (let n = 0; closer && n < MAX_CLOSERS; n++) {
      appended += closer;
      const next = code + appended;
      try {
        return { ast: parseCode(next, language, filename, opts), code: next, recovered: { error: (e as Error).message, appended } };
      } catch (again) {
        closer = closerAtEnd(next, again);
      }
    }
    throw e;
  }
}

/** The skip reason of a file nested deeper than the call stack allows (parse or analysis). */
export const TOO_DEEP = 'too deeply nested (call stack exceeded)';

function parseCode(code: string, language: Language, filename: string, opts: ParseOptions): Program {
  // before the native parser, which would overflow the machine stack (SIGSEGV, depth.ts)
  if (nestsTooDeep(code)) throw new ParseError(TOO_DEEP);
  if (opts.parser !== 'typescript-estree' && opts.parser !== 'acorn') {
    const ast = parseOxc(code, language, opts.locations !== false, 'raw', opts.comments !== false);
    if (ast) return ast;
  }
  if (language === 'jsx' && opts.parser !== 'typescript-estree') {
    const ast = parseJs(code);
    if (ast) return ast;
  }
  try {
    const ast = parseEstree(code, {
      loc: true,
      range: true,
      comment: opts.comments !== false,
      tokens: false,
      // No rule reads JSDoc: parsing it is wasted work.
      jsDocParsingMode: 'none',
      jsx: language === 'jsx' || language === 'tsx',
      // A file path makes typescript-estree pick JS vs TS rules; keep it virtual (no program).
      filePath: language === 'ts' ? 'file.ts' : language === 'tsx' ? 'file.tsx' : 'file.jsx',
      errorOnUnknownASTType: false,
      suppressDeprecatedPropertyWarnings: true,
    } as Parameters<typeof parseEstree>[1]) as Program;
    ast.comments ??= [];
    return ast;
  } catch (e) {
    // Nesting deeper than the parsers' recursion (thousands of nested calls, arrays or `+` operands
    // in generated code) is not a syntax error: say what it is.
    if (e instanceof RangeError) throw new ParseError(TOO_DEEP);
    const err = e as { message?: string; lineNumber?: number; column?: number; location?: { start?: { line: number; column: number } } };
    const line = err.location?.start?.line ?? err.lineNumber;
    const column = err.location?.start?.column ?? err.column;
    throw new ParseError(`syntax error${line ? ` at ${line}:${(column ?? 0) + 1}` : ''}: ${String(err.message ?? e).split('\n')[0]}`, line, column);
  }
}

export function parseFile(text: string, filename: string, language = languageOf(filename), opts: ParseOptions = {}): Parsed {
  if (!language) throw new ParseError(`unsupported file type: ${filename}`);
  if (language !== 'vue' && language !== 'html') {
    const r = parseRecovering(text, language, filename, opts);
    return { ast: r.ast, text: r.code, extras: { language, scriptSources: [], ...(r.recovered ? { recovered: r.recovered } : {}) } };
  }
  const { blocks, sources } = scriptBlocks(text, language, /\.astro$/i.test(filename));
  // One program per file: blocks stay where they are; the rest is blank. If the blocks disagree
  // on the language, TS wins (a TS parser reads JS as well).
  let lang: Language = 'jsx';
  for (const b of blocks) if (b.lang === 'ts' || b.lang === 'tsx') lang = b.lang;
  const dropped = new Set<ScriptBlock>();
  const assemble = (list: readonly ScriptBlock[]) => {
    let code = '';
    let at = 0;
    for (const b of list) {
      const gap = blank(text.slice(at, b.start));
      code += at > 0 ? gap.replace(' ', ';') : gap;
      if (dropped.has(b)) code += blank(text.slice(b.start, b.end));
      else if (b.handler) code += ';()=>{'.padEnd(b.handler.valueStart - b.start) + text.slice(b.handler.valueStart, b.end - 1) + '}';
      else code += templateTags(text.slice(b.start, b.end), filename);
      at = b.end;
    }
    return code + blank(text.slice(at));
  };
  // Blocks are separate programs: a ';' in the blank before each keeps ASI from joining them.
  let list: readonly ScriptBlock[] = blocks;
  let placeholders = false;
  for (;;) {
    const assembled = assemble(list);
    const code = placeholders ? htmlPlaceholders(assembled) : assembled;
    try {
      const r = parseRecovering(code, lang, filename, opts);
      return { ast: r.ast, text: r.code, extras: { language, scriptSources: sources, ...(r.recovered ? { recovered: r.recovered } : {}) } };
    } catch (e) {
      // a handler attribute that is no script after all (a framework's own syntax) costs the page its handlers only
      if (list.some((b) => b.handler)) { list = blocks.filter((b) => !b.handler); continue; }
      if (language !== 'html' || !(e instanceof ParseError)) throw e;
      // A plain .html page that is itself a build template (Ember CLI's `window.ENV = {{ENV}};`,
      // html-webpack-plugin's `<%= htmlWebpackPlugin.options.x %>`): read its placeholders as a
      // template's, only when the page does not parse as it is.
      if (!placeholders && htmlPlaceholders(assembled) !== assembled) { placeholders = true; continue; }
      // A page of a server-side template language the engine does not know (Play/Twirl
      // `.scala.html`, Jinja or Go templates saved as `.html`) can hold template expressions in one
      // inline script that no JS parser reads: that block is blanked and the rest of the page (other
      // blocks, its `<script src>` tags) is still scanned. An SFC has one script: its error stands.
      const bad = blockAtLine(code, list, e.line);
      if (!bad || dropped.has(bad)) throw e;
      dropped.add(bad);
    }
  }
}

/** The script block that overlaps 1-based `line` of `code`, if any. */
function blockAtLine(code: string, blocks: readonly ScriptBlock[], line: number | undefined): ScriptBlock | undefined {
  if (!line) return undefined;
  let offset = 0;
  for (let l = 1; l < line; l++) {
    const nl = code.indexOf('\n', offset);
    if (nl < 0) return undefined;
    offset = nl + 1;
  }
  const nl = code.indexOf('\n', offset);
  const lineEnd = nl < 0 ? code.length : nl;
  return blocks.find((b) => b.start <= lineEnd && b.end >= offset);
}

// --- server-side templates -----------------------------------------------------------------------

const ERB_TAG = /<%([=-]?)[\s\S]*?%>/g;
const PHP_TAG = /<\?(php\b|=)?[\s\S]*?(\?>|$)/g;
const PHP_PRINTS = /\b(echo|print)\b/;
const CURLY_TAG = /\{\{\{[\s\S]*?\}\}\}|\{\{[\s\S]*?\}\}|\{%[\s\S]*?%\}|\{#[\s\S]*?#\}/g;

/**
 * Template syntax inside a script block of a server-side template, made parseable without moving
 * anything: an output tag (`<%= id %>`, `<?= $id ?>`, `{{ id }}`) becomes an identifier of
 * underscores of the same length (a value in code, plain text inside a string); a control tag
 * (`<% if (x) { %>`, `{% if %}`, `{# note #}`) becomes blank. Newlines are kept.
 */
export function templateTags(code: string, filename: string): string {
  const ext = /\.[^./\\]+$/.exec(filename)?.[0].toLowerCase();
  const ident = (m: string) => m.replace(/[^\r\n]/g, '_');
  // one identifier on the tag's first line, the rest blank (a multi-line block inside call parentheses stays one operand)
  const oneIdent = (m: string) => { const nl = m.search(/[\r\n]/); return nl < 0 ? ident(m) : ident(m.slice(0, nl)) + blank(m.slice(nl)); };
  if (ext === '.ejs' || ext === '.erb') return code.replace(ERB_TAG, (m, out: string) => (out ? ident(m) : blank(m)));
  // (a PHP block that prints, `<?php if ($on) { echo 'true'; } else { echo 'false'; } ?>`, stands for what it prints)
  if (ext === '.php') return code.replace(PHP_TAG, (m, kind?: string) => (kind === '=' || (kind === 'php' && /^<\?php\s+echo\b/.test(m)) ? ident(m) : kind === 'php' && PHP_PRINTS.test(m) ? oneIdent(m) : blank(m)));
  if (ext === '.hbs' || ext === '.handlebars' || ext === '.njk' || ext === '.liquid' || ext === '.twig') return code.replace(CURLY_TAG, (m) => (m.startsWith('{{') ? ident(m) : blank(m)));
  return code;
}

/** Build-template placeholders of a plain .html page's script blocks, made parseable like templateTags does. */
function htmlPlaceholders(code: string): string {
  const ident = (m: string) => m.replace(/[^\r\n]/g, '_');
  return code.replace(ERB_TAG, (m, out: string) => (out ? ident(m) : blank(m))).replace(CURLY_TAG, (m) => (m.startsWith('{{') ? ident(m) : blank(m)));
}

export type { Range, SourceLocation };

// --- acorn, in typescript-estree's shape ------------------------------------------------------

type Loose = Record<string, unknown> & { type: string };
/** `import.meta` seen in the file being parsed (it makes a module for typescript-estree). */
let sawImportMeta = false;

/**
 * The fields typescript-estree writes on JavaScript nodes that acorn does not (TypeScript
 * defaults: `optional: false`, `declare: false`, `importKind: 'value'`...), the wider ranges of
 * template elements (typescript-estree counts the backtick / `${` / `}` delimiters in), and no
 * `attributes` / `selfClosing` on JSX fragments.
 */
function normalise(n: Loose): void {
  switch (n.type) {
    case 'Identifier': case 'ObjectPattern': case 'ArrayPattern': case 'AssignmentPattern': case 'RestElement':
      n.decorators = [];
      n.optional = false;
      break;
    case 'Property': n.optional = false; break;
    case 'VariableDeclarator': n.definite = false; break;
    case 'VariableDeclaration': case 'FunctionDeclaration': case 'FunctionExpression': n.declare = false; break;
    case 'ExportNamedDeclaration': case 'ExportDefaultDeclaration': case 'ExportAllDeclaration': case 'ExportSpecifier':
      n.exportKind = 'value';
      break;
    case 'ImportDeclaration': n.importKind = 'value'; n.phase = null; break;
    case 'ImportSpecifier': n.importKind = 'value'; break;
    case 'ImportExpression': n.phase = null; break;
    case 'ClassDeclaration': case 'ClassExpression':
      n.abstract = false; n.declare = false; n.decorators = []; n.implements = [];
      break;
    case 'MethodDefinition':
      n.decorators = []; n.optional = false; n.override = false;
      break;
    case 'PropertyDefinition':
      n.declare = false; n.decorators = []; n.definite = false; n.optional = false; n.override = false; n.readonly = false;
      break;
    case 'JSXOpeningFragment': delete n.attributes; delete n.selfClosing; break;
    case 'MetaProperty': if ((n.meta as { name?: string }).name === 'import') sawImportMeta = true; break;
    case 'TemplateElement': {
      const r = n.range as [number, number];
      const loc = n.loc as { start: { line: number; column: number }; end: { line: number; column: number } };
      const after = n.tail ? 1 : 2;
      n.range = [r[0] - 1, r[1] + after];
      n.start = r[0] - 1;
      n.end = r[1] + after;
      n.loc = { start: { line: loc.start.line, column: loc.start.column - 1 }, end: { line: loc.end.line, column: loc.end.column + after } };
      break;
    }
    default:
  }
}

interface AcornInternals {
  finishNode(node: AcornNode, type: string): AcornNode;
  finishNodeAt(node: AcornNode, type: string, pos: number, loc: unknown): AcornNode;
  toAssignable(node: AcornNode, isBinding: boolean, refDestructuringErrors: unknown): AcornNode;
  jsx_parseText(): AcornNode;
}
type JsxParserClass = new (options: AcornOptions, input: string) => AcornInternals & { parse(): AcornNode };
// acorn (the fallback for what oxc refuses, and the only JS parser without a native binding) is
// loaded on first use: a scan that oxc parses whole never pays its load.
let estreeParser: JsxParserClass | undefined;
function EstreeParserClass(): JsxParserClass {
  if (estreeParser) return estreeParser;
  const req = createRequire(import.meta.url);
  const { Parser: AcornParser } = req('acorn') as typeof Acorn;
  const acornJsx = req('acorn-jsx') as () => (base: typeof Acorn.Parser) => typeof Acorn.Parser;
  const JsxParser = AcornParser.extend(acornJsx()) as unknown as JsxParserClass;

  class EstreeParser extends JsxParser {
    override finishNode(node: AcornNode, type: string): AcornNode {
      const n = super.finishNode(node, type);
      normalise(n as unknown as Loose);
      return n;
    }
    override finishNodeAt(node: AcornNode, type: string, pos: number, loc: unknown): AcornNode {
      const n = super.finishNodeAt(node, type, pos, loc);
      normalise(n as unknown as Loose);
      return n;
    }
    // acorn-jsx makes JSX text from a literal, with a `bigint` when the text ends in "n".
    override jsx_parseText(): AcornNode {
      const n = super.jsx_parseText();
      delete (n as { bigint?: string }).bigint;
      return n;
    }
    // Destructuring targets are parsed as expressions first and retyped (ObjectExpression ->
    // ObjectPattern...): give them the pattern fields too.
    override toAssignable(node: AcornNode, isBinding: boolean, refDestructuringErrors: unknown): AcornNode {
      const before = node?.type;
      const n = super.toAssignable(node, isBinding, refDestructuringErrors);
      if (n && n.type !== before) normalise(n as unknown as Loose);
      return n;
    }
  }
  return (estreeParser = EstreeParser);
}

/**
 * Parses JavaScript (with JSX) as a module with acorn. Undefined when acorn refuses the code:
 * the caller falls back to typescript-estree (TypeScript syntax in a .js file, sloppy mode...).
 */
export function parseJs(code: string): Program | undefined {
  const comments: AcornComment[] = [];
  sawImportMeta = false;
  let ast: AcornNode;
  try {
    ast = new (EstreeParserClass())({
      ecmaVersion: 'latest',
      sourceType: 'module',
      locations: true,
      ranges: true,
      allowHashBang: true,
      // typescript-estree takes a top-level return (CommonJS files have them)
      allowReturnOutsideFunction: true,
      onComment: comments,
    }, code).parse();
  } catch {
    return undefined;
  }
  const program = ast as unknown as Loose & { body: { type: string }[] };
  // The hashbang is no comment for typescript-estree.
  if (comments.length && comments[0]!.start === 0 && code.startsWith('#!')) comments.shift();
  for (const c of comments) delete (c as Partial<AcornComment>).start, delete (c as Partial<AcornComment>).end;
  program.comments = comments;
  program.sourceType = sawImportMeta || program.body.some((s) => s.type === 'ImportDeclaration' || s.type.startsWith('Export')) ? 'module' : 'script';
  return program as unknown as Program;
}

// --- oxc, in typescript-estree's shape ---------------------------------------------------------

type OxcNode = { type: string; start: number; end: number; range?: Range; loc?: SourceLocation } & Record<string, unknown>;

/**
 * Sets `range` and `loc` on every node (unless `locations` is off: the scanner's trees keep their
 * `start` / `end` only, read through offsets.ts), and both on comments, in one walk.
 */
function addLocations(root: OxcNode, comments: OxcNode[], code: string, locations: boolean): void {
  let at: ReturnType<typeof locator> | undefined;
  for (const c of comments) { at ??= locator(code); c.range = [c.start, c.end]; c.loc = { start: at(c.start), end: at(c.end) }; }
  if (!locations) return;
  at ??= locator(code);
  const stack: unknown[] = [root];
  while (stack.length) {
    const v = stack.pop();
    if (Array.isArray(v)) { for (const x of v) if (x && typeof x === 'object') stack.push(x); continue; }
    const n = v as OxcNode;
    if (typeof n.type === 'string' && typeof n.start === 'number') {
      n.range = [n.start, n.end];
      n.loc = { start: at(n.start), end: at(n.end) };
      // the one field typescript-estree does not write
      if (n.type === 'TSEnumMember' && n.computed === false) delete n.computed;
    }
    for (const k in n) {
      if (k === 'loc' || k === 'range' || k === 'parent') continue;
      const c = n[k];
      if (c && typeof c === 'object') stack.push(c);
    }
  }
}

let jsonChars = 0;
const RAW_AFTER = 256 * 1024;
let rawNow = false;

/**
 * A scan that knows it will parse many files (src/scan/scan.ts, from HEAP_TUNING_FILES
 * candidates) takes raw transfer from its first file: the transfer buffer is set up right away,
 * while the heap holds little more than the file list (V8 answers 6 GiB of external memory with
 * a full collection that shrinks the heap: about 40 ms once 256 KB of code had been parsed on the
 * JSON path, a few ms before any), and no file pays for JSON.parse.
 */
export function preferRawTransfer(): void {
  rawNow = true;
  rawParser();
}

/**
 * Parses with oxc as a module (`jsx` for JavaScript, as typescript-estree does with a .jsx path).
 * Undefined when oxc is missing or reports any error: the caller falls back.
 * `transfer`: 'raw' (the default) takes raw transfer once the process has parsed RAW_AFTER
 * characters of code; 'force-raw' at once (the adapter's contract test); 'json' never.
 */
export function parseOxc(code: string, language: Language, locations = true, transfer: 'raw' | 'force-raw' | 'json' = 'raw', withComments = true): Program | undefined {
  const opts = { forceRaw: transfer === 'force-raw' };
  const json = jsonParser();
  if (!json) return undefined;
  const lang = language === 'ts' ? 'ts' : language === 'tsx' ? 'tsx' : 'jsx';
  // semantic errors too (strict mode: `with`, octal literals...), where typescript-estree fails
  const options = { lang, sourceType: 'module', astType: 'ts', preserveParens: false, showSemanticErrors: true } as const;
  let comments: OxcNode[];
  let program: OxcNode & { body: { type: string }[]; comments?: unknown; sourceType?: string; hashbang?: unknown };
  try {
    // Raw transfer pays once a process parses a fair amount of code (its buffer costs a few ms
    // and a full GC to set up): the first RAW_AFTER characters take the JSON path. Same trees.
    const raw = transfer !== 'json' && (jsonChars > RAW_AFTER || rawNow || opts.forceRaw) ? rawParser() : undefined;
    if (raw) {
      // `start` / `end` on every node, no `range` (the `ts` deserialiser)
      const r = raw(`file.${lang}`, code, options);
      if (r.errors.length) return undefined;
      program = r.program as typeof program;
      comments = r.comments as OxcNode[];
    } else {
      jsonChars += code.length;
      const r = json(`file.${lang}`, code, options);
      if (r.errors.length) return undefined;
      program = oxcProgram(r.program) as typeof program;
      comments = r.comments as OxcNode[];
    }
  } catch {
    return undefined;
  }
  // Comments not asked for (the runner's files without an inline ignore): none, as
  // typescript-estree gives with `comment: false`, and no line table to place them.
  if (!withComments) comments = [];
  addLocations(program, comments, code, locations);
  // typescript-estree's fields: comments without offsets, no hashbang, script unless the code has module syntax
  for (const c of comments) { delete (c as Partial<OxcNode>).start; delete (c as Partial<OxcNode>).end; }
  program.comments = comments;
  delete program.hashbang;
  if (!program.body.some((st) => st.type === 'ImportDeclaration' || st.type.startsWith('Export')) && !(code.includes('meta') && /\bimport\s*\.\s*meta\b/.test(code))) program.sourceType = 'script';
  return program as unknown as Program;
}
