/**
 * The one table of file types the engine parses, and `languageOf`. No dependencies: discovery,
 * the prefilter and git hooks use it without loading a parser.
 */
import type { Language } from './types.js';

export const EXTENSIONS: Record<string, Language> = {
  '.js': 'jsx', '.jsx': 'jsx', '.mjs': 'jsx', '.cjs': 'jsx',
  '.ts': 'ts', '.mts': 'ts', '.cts': 'ts', '.tsx': 'tsx',
  '.vue': 'vue', '.html': 'html', '.htm': 'html',
  // server-side templates: their <script> blocks are scanned like a page's (templateTags in parse.ts)
  '.hbs': 'html', '.handlebars': 'html', '.ejs': 'html', '.njk': 'html', '.liquid': 'html', '.twig': 'html', '.erb': 'html', '.php': 'html',
};

export function languageOf(filename: string): Language | undefined {
  const m = /\.[^./\\]+$/.exec(filename);
  return m ? EXTENSIONS[m[0].toLowerCase()] : undefined;
}

/** The extensions discovery picks (the keys of EXTENSIONS). */
export const SUPPORTED_EXTENSIONS: readonly string[] = Object.keys(EXTENSIONS);
