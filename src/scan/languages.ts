/**
 * The file types the engine parses. A copy of the extension table of src/engine/parse.ts, kept
 * here so discovery and the prefilter never load the parser (typescript) for trees that have no
 * SoundCloud code. test/cli/languages.test.ts keeps the two in step.
 */
const EXTS = new Set(['.js', '.jsx', '.mjs', '.cjs', '.ts', '.mts', '.cts', '.tsx', '.vue', '.html', '.htm', '.hbs', '.handlebars', '.ejs', '.njk', '.liquid', '.twig', '.erb', '.php']);

export function languageOf(filename: string): string | undefined {
  const m = /\.[^./\\]+$/.exec(filename);
  const ext = m?.[0].toLowerCase();
  return ext && EXTS.has(ext) ? ext : undefined;
}

export const SUPPORTED_EXTENSIONS: readonly string[] = [...EXTS];
