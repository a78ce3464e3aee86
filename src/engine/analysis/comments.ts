/**
 * Text-level comment handling (no parse): whether a word is written in code or only in comments.
 * Kept apart from context.ts so that providers.ts can use it too (context.ts imports providers.ts).
 */

/**
 * The text with its comments (`//`, `/* *\/`, `<!-- -->`) blanked; string and template literals are
 * kept whole, so a `//` inside a URL stays. Text-level (no parse): good enough to tell whether a
 * word appears outside comments.
 */
export function withoutComments(text: string): string {
  return text.replace(/("(?:\\.|[^"\\\n])*"|'(?:\\.|[^'\\\n])*'|`(?:\\.|[^`\\])*`)|\/\*[\s\S]*?\*\/|\/\/[^\n]*|<!--[\s\S]*?-->/g, (_m, str?: string) => str ?? ' ');
}

/** Does `test` hold for the text outside its comments? (Tried on the whole text first: most texts fail it there.) */
export const inCode = (text: string, test: (t: string) => boolean): boolean => test(text) && test(withoutComments(text));
