/**
 * A cheap bound on how deeply a file nests, checked before any parser sees it. The native parser
 * (oxc) recurses on the machine stack: a file nested some thousands of levels deep (generated
 * code: a URL inside 10,000 nested arrays, an `else if` chain of 12,000 branches, a ternary chain)
 * overflows it and the process dies with SIGSEGV, which no try/catch can stop. Such files are
 * skipped with a reason instead (parse.ts, TOO_DEEP). Hand-written code stays far below the limits.
 */

/** Brackets open at once, plus the right-nesting operators (`?:`, `=`, `=>`, `!`) of one expression. */
export const MAX_NESTING = 2000;
/** `else if` branches in a file (each one nests the rest of the chain). */
export const MAX_ELSE_IF = 3000;

/**
 * What the scan does with each ASCII character, in one look-up (most characters of a file are
 * letters, digits and spaces: for them the loop does nothing else): 0 plain code (only remembered
 * as the last character seen), 1 a space, 2 a line break, 3 an opening and 4 a closing bracket,
 * 5 a case of the switch below. (Numbers, not named constants, in the loop: the CLI's bundle
 * makes module constants variables of a closure, read again at every character.)
 */
const KIND = new Uint8Array(128);
for (const c of ' \t\r') KIND[c.charCodeAt(0)] = 1;
KIND[10] = 2;
for (const c of '([{') KIND[c.charCodeAt(0)] = 3;
for (const c of ')]}') KIND[c.charCodeAt(0)] = 4;
for (const c of ';,"\'`/?=!e') KIND[c.charCodeAt(0)] = 5;
/** Characters that, ending a line, carry an expression chain on to the next: `?`, `:`, `=`, `=>`, `!`. */
const CONTINUES = new Uint8Array(128);
for (const c of '?:=>!') CONTINUES[c.charCodeAt(0)] = 1;

/**
 * Whether the text may nest deeper than MAX_NESTING / MAX_ELSE_IF. One pass over the characters;
 * strings, template literals and comments are skipped (a template's `${...}` counts as text: a
 * bound, not a parse). Expression chains count from the last `;` or `,`, and from the last line
 * break unless the line ends with one of their operators or the next one starts with `?` / `:`
 * (so code without semicolons does not add up its statements).
 */
export function nestsTooDeep(text: string): boolean {
  const n = text.length;
  // A nesting that endangers the native parser (several thousand levels: about 5,000 nested
  // parentheses, 10,000 arrays, ternaries or `else if`s on this machine's 8 MB stack) takes more
  // characters than this; the limits above sit far below it, and so does every hand-written file.
  if (n < 2 * MAX_NESTING) return false;
  // Every step deeper is at one of the characters `(`, `[`, `{`, `?`, `=`, `!` (brackets raise the
  // depth, the others the chain), and every `else if` starts with an `else`: a file with no more of
  // them than the limits cannot pass them, whatever the scan below would skip (strings, comments).
  // Counted with indexOf (a native search per character kind), up to the limit: 1,340 of the dense
  // corpus's 1,360 files of 4,000+ characters stop here (9 ms against 64 ms for the scan).
  if (atMost(text, OPENERS, MAX_NESTING) && atMost(text, ELSE, MAX_ELSE_IF)) return false;
  let depth = 0;
  let chain = 0;
  let elseIf = 0;
  /** The last character of code seen (not space, not in a comment). */
  let last = 0;
  // (locals: the bundle's module constants are closure variables)
  const kinds = KIND;
  const continues = CONTINUES;
  const limit = MAX_NESTING;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    // (one table look-up for most characters: this loop runs on every character of every file parsed)
    const kind = c < 128 ? kinds[c]! : 0;
    if (kind === 0) { last = c; continue; }
    if (kind === 1) continue;
    if (kind === 2) {
      if (chain && !continues[last]) {
        let j = i + 1;
        while (j < n && (text.charCodeAt(j) === 32 || text.charCodeAt(j) === 9)) j++;
        const d = text.charCodeAt(j);
        if (d !== 63 && d !== 58) chain = 0;
      }
      continue;
    }
    if (c !== 47) last = c;
    if (kind === 3) { if (++depth + chain > limit) return true; continue; }
    if (kind === 4) { if (depth > 0) depth--; continue; }
    switch (c) {
      case 59: /* ; */ case 44: /* , */ chain = 0; break;
      case 34: /* " */ case 39: /* ' */ {
        // to the closing quote (a string never spans a line without a backslash)
        for (i++; i < n; i++) {
          const d = text.charCodeAt(i);
          if (d === 92) i++;
          else if (d === c || d === 10) break;
        }
        break;
      }
      case 96: /* ` */
        for (i++; i < n; i++) {
          const d = text.charCodeAt(i);
          if (d === 92) i++;
          else if (d === 96) break;
        }
        break;
      case 47: /* / */ {
        const d = text.charCodeAt(i + 1);
        if (d === 47) { const e = text.indexOf('\n', i); i = e < 0 ? n : e; }
        else if (d === 42) { const e = text.indexOf('*/', i + 2); i = e < 0 ? n : e + 1; }
        break;
      }
      case 63: /* ? */ {
        const d = text.charCodeAt(i + 1);
        if (d === 63 || d === 46) { i++; break; } // ?? and ?.
        if (++chain + depth > limit) return true;
        break;
      }
      case 61: /* = */ {
        const d = text.charCodeAt(i + 1);
        if (d === 61) { i++; break; } // == (===)
        const p = text.charCodeAt(i - 1);
        if (p === 33 || p === 60 || p === 62 || p === 61) break; // != <= >=
        if (d === 62) i++; // =>
        if (++chain + depth > limit) return true;
        break;
      }
      case 33: /* ! */
        if (text.charCodeAt(i + 1) !== 61 && ++chain + depth > limit) return true;
        break;
      case 101: /* e */
        if (text.startsWith('else', i) && !isWordChar(text.charCodeAt(i - 1)) && !isWordChar(text.charCodeAt(i + 4))) {
          let j = i + 4;
          while (j < n && (text.charCodeAt(j) === 32 || text.charCodeAt(j) === 9 || text.charCodeAt(j) === 10 || text.charCodeAt(j) === 13)) j++;
          if (text.startsWith('if', j) && !isWordChar(text.charCodeAt(j + 2)) && ++elseIf > MAX_ELSE_IF) return true;
          i += 3;
        }
        break;
    }
  }
  return false;
}

const OPENERS = ['(', '[', '{', '?', '=', '!'];
const ELSE = ['else'];

/** Whether the text holds at most `limit` occurrences of the strings, all together. */
function atMost(text: string, needles: readonly string[], limit: number): boolean {
  let count = 0;
  for (const s of needles) {
    for (let i = text.indexOf(s); i !== -1; i = text.indexOf(s, i + s.length)) if (++count > limit) return false;
  }
  return true;
}

function isWordChar(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 95 || c === 36;
}
