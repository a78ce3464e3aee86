/**
 * The parser front-end: one ESTree (typescript-estree's shape, which ESLint with
 * @typescript-eslint/parser also sees) per file, for JS/TS files and for the `<script>` blocks of
 * .vue and .html files. Script blocks are parsed in place: everything outside them is blanked
 * (newlines kept), so every offset, line and column is the original file's.
 */
import { parse as parseEstree } from '@typescript-eslint/typescript-estree';
import type { Language, ParserExtras, Program, Range, SourceLocation } from './types.js';

export const EXTENSIONS: Record<string, Language> = {
  '.js': 'jsx', '.jsx': 'jsx', '.mjs': 'jsx', '.cjs': 'jsx',
  '.ts': 'ts', '.mts': 'ts', '.cts': 'ts', '.tsx': 'tsx',
  '.vue': 'vue', '.html': 'html', '.htm': 'html',
};

export function languageOf(filename: string): Language | undefined {
  const m = /\.[^./\\]+$/.exec(filename);
  return m ? EXTENSIONS[m[0].toLowerCase()] : undefined;
}

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

const blank = (s: string) => s.replace(/[^\r\n]/g, ' ');

interface ScriptBlock { start: number; end: number; lang: Language }

const SCRIPT_RE = /<script\b([^>]*)>([\s\S]*?)<\/script\s*>/gi;
const COMMENT_RE = /<!--[\s\S]*?-->/g;

function attr(attrs: string, name: string): string | undefined {
  const m = new RegExp(`(?:^|\\s)${name}\\s*=\\s*(?:"([^"]*)"|'([^']*)'|([^\\s"'>]+))`, 'i').exec(attrs);
  return m ? (m[1] ?? m[2] ?? m[3]) : undefined;
}

const JS_TYPES = new Set(['', 'text/javascript', 'application/javascript', 'module', 'text/babel', 'text/jsx', 'application/x-javascript']);

/** Finds script blocks (and `<script src>` tags) of an SFC or HTML page, skipping HTML comments. */
export function scriptBlocks(text: string, language: 'vue' | 'html'): { blocks: ScriptBlock[]; sources: ParserExtras['scriptSources'] } {
  const masked = text.replace(COMMENT_RE, blank);
  const blocks: ScriptBlock[] = [];
  const sources: ParserExtras['scriptSources'] = [];
  for (const m of masked.matchAll(SCRIPT_RE)) {
    const attrs = m[1] ?? '';
    const body = m[2] ?? '';
    const src = attr(attrs, 'src');
    if (src !== undefined) {
      const srcAt = m.index! + m[0].indexOf(src, 7);
      sources.push({ src, range: [srcAt, srcAt + src.length], loc: { start: posAt(text, srcAt), end: posAt(text, srcAt + src.length) } });
    }
    const type = (attr(attrs, 'type') ?? '').toLowerCase();
    if (!JS_TYPES.has(type)) continue;
    const lang = (attr(attrs, 'lang') ?? '').toLowerCase();
    const start = m.index! + m[0].indexOf('>') + 1;
    blocks.push({ start, end: start + body.length, lang: lang === 'ts' ? 'ts' : lang === 'tsx' ? 'tsx' : 'jsx' });
  }
  return { blocks, sources };
}

export function posAt(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) {
    line++;
    lineStart = i + 1;
  }
  return { line, column: offset - lineStart };
}

function parseCode(code: string, language: Language, filename: string): Program {
  try {
    return parseEstree(code, {
      loc: true,
      range: true,
      comment: true,
      tokens: false,
      jsx: language === 'jsx' || language === 'tsx',
      // A file path makes typescript-estree pick JS vs TS rules; keep it virtual (no program).
      filePath: language === 'ts' ? 'file.ts' : language === 'tsx' ? 'file.tsx' : 'file.jsx',
      errorOnUnknownASTType: false,
      suppressDeprecatedPropertyWarnings: true,
    } as Parameters<typeof parseEstree>[1]) as Program;
  } catch (e) {
    const err = e as { message?: string; lineNumber?: number; column?: number; location?: { start?: { line: number; column: number } } };
    const line = err.location?.start?.line ?? err.lineNumber;
    const column = err.location?.start?.column ?? err.column;
    throw new ParseError(`syntax error${line ? ` at ${line}:${(column ?? 0) + 1}` : ''}: ${String(err.message ?? e).split('\n')[0]}`, line, column);
  }
}

export function parseFile(text: string, filename: string, language = languageOf(filename)): Parsed {
  if (!language) throw new ParseError(`unsupported file type: ${filename}`);
  if (language !== 'vue' && language !== 'html') {
    return { ast: parseCode(text, language, filename), text, extras: { language, scriptSources: [] } };
  }
  const { blocks, sources } = scriptBlocks(text, language);
  // One program per file: blocks stay where they are; the rest is blank. If the blocks disagree
  // on the language, TS wins (a TS parser reads JS as well).
  let lang: Language = 'jsx';
  for (const b of blocks) if (b.lang === 'ts' || b.lang === 'tsx') lang = b.lang;
  let code = '';
  let at = 0;
  for (const b of blocks) {
    const gap = blank(text.slice(at, b.start));
    code += (at > 0 ? gap.replace(' ', ';') : gap) + text.slice(b.start, b.end);
    at = b.end;
  }
  code += blank(text.slice(at));
  // Blocks are separate programs: a ';' in the blank before each keeps ASI from joining them.
  return { ast: parseCode(code, lang, filename), text: code, extras: { language, scriptSources: sources } };
}

export type { Range, SourceLocation };
