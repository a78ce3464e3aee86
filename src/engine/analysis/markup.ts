/**
 * URLs written in an HTML page's markup: `src` / `href` attribute values of its tags, also inside
 * template blocks (`<script type="text/template">` of underscore, Backbone, Handlebars), which the
 * page's JavaScript parse never sees. JavaScript blocks and event-handler attributes (parsed as
 * code) and HTML comments are left out.
 */
import { scriptBlocks } from '../parse.js';
import { localScriptPath, pageScriptFile } from '../prefilter.js';
import { projectOf, type ProjectContext } from '../project.js';
import type { ParserExtras, RuleContext } from '../types.js';

export interface MarkupUrl {
  /** The attribute value as written (`<%= stream_url %>?client_id=abc`). */
  text: string;
  /** Its offset in the file. */
  start: number;
}

const COMMENT_RE = /<!--[\s\S]*?-->/g;
const URL_ATTR_RE = /\s(?:src|href|data-src)\s*=\s*(?:"([^"]*)"|'([^']*)')/gi;

let memoText: string | undefined;
let memoUrls: MarkupUrl[] = [];

/** The markup URLs of an .html page (none for other files); `hint` must occur in the value (cheap first test). */
export function markupUrls(text: string, language: string, hint: RegExp): MarkupUrl[] {
  if (language !== 'html' || !hint.test(text)) return [];
  if (memoText !== text) {
    // same offsets as the text: comments and code blanked out
    const masked = text.replace(COMMENT_RE, (m) => ' '.repeat(m.length));
    let page = '';
    let at = 0;
    for (const b of scriptBlocks(text, 'html').blocks) {
      if (b.start < at) continue;
      page += masked.slice(at, b.start) + ' '.repeat(b.end - b.start);
      at = b.end;
    }
    page += masked.slice(at);
    const urls: MarkupUrl[] = [];
    for (const m of page.matchAll(URL_ATTR_RE)) {
      const v = m[1] ?? m[2] ?? '';
      urls.push({ text: v, start: m.index! + m[0].length - 1 - v.length });
    }
    memoText = text;
    memoUrls = urls;
  }
  return memoUrls.filter((u) => hint.test(u.text));
}

/**
 * The whole text of the HTML page a rule is looking at (its parse blanks the markup out), or
 * undefined for any other file.
 */
export function pageText(context: RuleContext): string | undefined {
  const language = (context.sourceCode.parserServices as { scMigrate?: ParserExtras } | undefined)?.scMigrate?.language;
  if (language ? language !== 'html' : !/\.html?$/i.test(context.filename)) return undefined;
  return projectOf(context).readFile(context.filename);
}

/** `<%= x %>`, `{{ x }}`, `${x}` at the start of a template value: the expression's text (`stream_url`, `track.stream_url`). */
export function leadingTemplateExpression(value: string): string | undefined {
  const m = /^\s*(?:<%[=-]?\s*([\w$.]+)\s*%>|\{\{\{?\s*([\w$.]+)\s*\}?\}\}|\$\{\s*([\w$.]+)\s*\})/.exec(value);
  return m ? (m[1] ?? m[2] ?? m[3]) : undefined;
}

export { isSdkCopy } from '../sdk-copy.js';
import { isSdkCopy } from '../sdk-copy.js';

/**
 * Whether a page's local `<script src>` (beside the page, or rooted at the project) loads a copy
 * of the connect SDK kept in the tree: judged from the file's content, never its name.
 */
export function loadsSdkCopy(context: RuleContext, src: string): boolean {
  const path = localScriptPath(src);
  if (!path) return false;
  const project = projectOf(context);
  const file = pageScriptFile(project.root, context.filename, path, { has: (p) => sdkCopyAt(project, p) !== undefined });
  return !!file && sdkCopyAt(project, file) === true;
}

/** undefined: no such file; else whether it is an SDK copy (memoised per project). */
function sdkCopyAt(project: ProjectContext, file: string): boolean | undefined {
  const key = `sdk-copy:${file}`;
  if (project.cache.has(key)) return project.cache.get(key) as boolean | undefined;
  const text = project.readFile(file);
  const yes = text === undefined ? undefined : isSdkCopy(text);
  project.cache.set(key, yes);
  return yes;
}
