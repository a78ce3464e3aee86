/**
 * The project's style for the code fix inserts: template literals where the file (or an airbnb /
 * prefer-template config) uses them, no semicolons in a file without them, and no leftovers a
 * removal leaves behind (`${URL}`-only templates, a URL ending in an empty '?', trailing spaces). Only lines the fix added or changed are touched; everything else stays as is.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { diffLines } from 'diff';
import { nearestPackageJson } from './safety.js';

export interface FileStyle { semi: boolean; templates: boolean }

const STATEMENT = /^\s*(?:const|let|var|return|import|export|await|throw)\b|^\s*[\w$.]+\s*(?:=|\()/;

/** The style of a file (and, for template literals, its project's ESLint config). */
export function styleOf(text: string, filename?: string): FileStyle {
  const lines = text.split('\n').map((l) => l.replace(/\r$/, '').replace(/(^|\s)\/\/.*$/, '').trimEnd());
  const statements = lines.filter((l) => STATEMENT.test(l) && !/[{(,[]$/.test(l) && l.trim().length > 1);
  const semis = statements.filter((l) => l.endsWith(';')).length;
  const templates = (text.match(/`[^`]*\$\{/g) ?? []).length;
  const concats = (text.match(/['"]\s*\+\s*[\w$(]|[\w$)\]]\s*\+\s*['"]/g) ?? []).length;
  return {
    semi: statements.length < 3 || semis / statements.length >= 0.3,
    templates: (templates > 0 && templates >= concats) || (!!filename && prefersTemplates(filename)),
  };
}

/** The project's ESLint config asks for template literals (airbnb, or prefer-template on). */
function prefersTemplates(filename: string): boolean {
  const pkg = nearestPackageJson(filename);
  if (!pkg) return false;
  const texts = [readFileSync(pkg, 'utf8')];
  for (const n of ['.eslintrc', '.eslintrc.json', '.eslintrc.js', '.eslintrc.cjs', '.eslintrc.yml', '.eslintrc.yaml', 'eslint.config.js', 'eslint.config.mjs']) {
    const p = join(dirname(pkg), n);
    if (existsSync(p)) try { texts.push(readFileSync(p, 'utf8')); } catch { /* unreadable: ignore */ }
  }
  return texts.some((t) => /eslint-config-airbnb|['"]airbnb(?:-base|-typescript)?['"]|['"]prefer-template['"]\s*:\s*(?:['"](?:error|warn)['"]|[12]|\[\s*['"]?(?:error|warn|1|2))/.test(t));
}

const Q = `(['"])`;
/** `'OAuth ' + x` / `'Basic ' + ...` the rewrites insert, as template literals. */
const AUTH_CONCAT = new RegExp(`${Q}(OAuth|Bearer) \\1 \\+ (\\(await [\\w$.]+\\([^()]*\\)\\)|[\\w$]+(?:\\.[\\w$]+)*)(?![\\w$.(\\[])`, 'g');
const BASIC_CONCAT = new RegExp(`${Q}Basic \\1 \\+ (Buffer\\.from\\(.+?\\)\\.toString\\((['"])base64\\3\\))`, 'g');
const BASIC_PAIR = new RegExp(`encodeURIComponent\\(([^()]*(?:\\([^()]*\\))?[^()]*)\\) \\+ ${Q}:\\2 \\+ encodeURIComponent\\(([^()]*(?:\\([^()]*\\))?[^()]*)\\)`, 'g');

// A string literal whose URL ends in an empty '?' or '&' (what a removed parameter leaves), and '?&'.
const EMPTY_END = /(['"`])((?:(?!\1)[^\n])*?\/(?:(?!\1)[^\n])*?)[?&]\1(?=\s*(?:[),;\]}]|$))/g;
const count = (text: string, re: RegExp) => text.split('\n').reduce((n, l) => n + (l.match(re)?.length ?? 0), 0);

/**
 * One added or changed line, in the file's style. `leftovers`: an empty '?' / '&' at a URL end is
 * a removal's leftover only when the lines it replaces had fewer of them (`'.../connect?'` became
 * `'.../authorize?'`: the '?' is the app's own, completed later by `url += ...`).
 */
/**
 * A name a `` `${name}` `` leftover may become: a constant's (`API_URL`, `config.BASE`), whose value
 * is a string; `${x}` of a variable or parameter is String(x), and x may be null.
 */
export const constantName = (name: string): boolean => /^[A-Z][A-Z0-9_$]*$/.test(name.split('.').pop()!);

function restyleLine(line: string, style: FileStyle, next: string | undefined, leftovers = true): string {
  const cr = line.endsWith('\r') ? '\r' : '';
  let l = cr ? line.slice(0, -1) : line;
  if (style.templates) {
    l = l.replace(BASIC_PAIR, (_m, a: string, _q: string, b: string) => `\`\${encodeURIComponent(${a})}:\${encodeURIComponent(${b})}\``);
    l = l.replace(BASIC_CONCAT, (_m, _q: string, x: string) => `\`Basic \${${x}}\``);
    l = l.replace(AUTH_CONCAT, (_m, _q: string, scheme: string, x: string) => `\`${scheme} \${${x.startsWith('(await ') ? x.slice(1, -1) : x}}\``);
  }
  // leftovers of a removed query parameter
  // (only of a constant's name, `${API_URL}` -> API_URL: `${x}` is String(x), and a variable or a
  // parameter may hold null, which a caller tests as the text 'null')
  l = l.replace(/`\$\{([\w$]+(?:\.[\w$]+)*)\}`/g, (m, x: string) => (constantName(x) ? x : m));
  if (leftovers) {
    l = l.replace(EMPTY_END, '$1$2$1');
    l = l.replace(/\?&/g, (m, at: number) => (/['"`][^'"`]*$/.test(l.slice(0, at)) ? '?' : m));
  }
  l = l.trimEnd();
  if (!style.semi && /;$/.test(l) && !/^\s*for\b/.test(l) && !/^\s*[([`+\-/]/.test(next ?? '')) l = l.slice(0, -1);
  return l + cr;
}

/** `fixed` with the lines the fix added or changed in the file's style (lines equal to the original's stay byte-identical). */
export function restyle(original: string, fixed: string, style: FileStyle): string {
  if (original === fixed) return fixed;
  let out = '';
  let removed = '';
  for (const part of diffLines(original, fixed)) {
    if (part.removed) { removed = part.value; continue; }
    if (!part.added) { out += part.value; removed = ''; continue; }
    const leftovers = count(part.value, EMPTY_END) > count(removed, EMPTY_END) || count(part.value, /\?&/g) > count(removed, /\?&/g);
    removed = '';
    const lines = part.value.split('\n');
    out += lines.map((l, i) => (i === lines.length - 1 && l === '' ? l : restyleLine(l, style, lines[i + 1], leftovers))).join('\n');
  }
  return out;
}
