/**
 * The one table of file types the engine parses, and `languageOf`. No dependencies: discovery,
 * the prefilter and git hooks use it without loading a parser.
 */
import type { Language } from './types.js';

export const EXTENSIONS: Record<string, Language> = {
  '.js': 'jsx', '.jsx': 'jsx', '.mjs': 'jsx', '.cjs': 'jsx',
  '.ts': 'ts', '.mts': 'ts', '.cts': 'ts', '.tsx': 'tsx',
  '.vue': 'vue', '.html': 'html', '.htm': 'html',
  // a Svelte component is an SFC like Vue's: its <script> blocks (instance, `context="module"`, `lang="ts"`) are scanned, the markup is not
  '.svelte': 'vue',
  // an Astro component: its frontmatter (the TypeScript between the leading `---` fences, run on the
  // server) and its <script> blocks are scanned, the markup is not
  '.astro': 'vue',
  // server-side templates: their <script> blocks are scanned like a page's (templateTags in parse.ts)
  '.hbs': 'html', '.handlebars': 'html', '.ejs': 'html', '.njk': 'html', '.liquid': 'html', '.twig': 'html', '.erb': 'html', '.php': 'html',
};

/** The language of a file name by its extension (the text after the last dot, when it holds no slash), any case. */
export function languageOf(filename: string): Language | undefined {
  const dot = filename.lastIndexOf('.');
  if (dot < 0 || dot === filename.length - 1) return undefined;
  const ext = filename.slice(dot);
  if (ext.includes('/') || ext.includes('\\')) return undefined;
  return EXTENSIONS[ext.toLowerCase()];
}

/** The extensions discovery picks (the keys of EXTENSIONS). */
export const SUPPORTED_EXTENSIONS: readonly string[] = Object.keys(EXTENSIONS);
