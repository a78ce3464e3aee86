/**
 * Markers: `/* sc-migrate(<rule-id>): one action *\/` above what is left for a person. Each rule's
 * recipe is in its `rules/<id>/fix.ts` (short: the rule's README.md holds the long recipe). Kept on
 * one line so a marker never splits anything; `scan` reports each remaining marked finding.
 *
 * One marker per root cause (src/engine/markers.ts): a finding whose origin is another statement
 * (the constant, import, parameter or getter its client_id comes from; the private API's host
 * literal its URL is built from) is marked there, once for all the findings that share it. The
 * private API's marker names both rules it answers: `sc-migrate(no-private-api-v2, no-client-id-auth)`.
 * An origin in another file is marked by `fixFiles` once every file is fixed (originMarkers).
 */
import { lineStarts, type Parsed } from '../engine/parse.js';
import { docCommentStart, markerTags, statementLine } from '../engine/markers.js';
import { forEachChild } from '../engine/walk.js';
import type { Finding, Node, TextEdit } from '../engine/types.js';
import { fixesById, type MarkerPlace } from './providers.js';
import { readsRedirect } from './safety.js';

/** The recipe of a marker at a place (browser or server is the file's, decided once by fix). */
export function markerText(ruleId: string, f: Finding, where: MarkerPlace): string {
  const r = fixesById.get(ruleId)?.marker;
  const text = typeof r === 'function' ? r(f, where) : r ?? f.message;
  return text.replace(/[\r\n]+/g, ' ');
}

/** A marker line stays under this many characters (indentation included). */
/**
 * A line building a track's stream or download URL (`track.stream_url + ...`, `/tracks/${id}/stream?...`,
 * also joined: `'/tracks/' + id + '/stream?client_id=' + ID`, `${trackUrl}/stream?client_id=${KEY}`).
 */
const STREAM_LINE = /stream_?url|download_?url|\/tracks\/[^\s'"`]*\/(?:stream|download)\b|\/(?:stream|download)\?&?client_id=/i;
const MARKER_LINE_MAX = 99;

/** Rules whose findings share one marker when one root cause explains both (the private API needs its client_id). */
const PRIVATE_API = 'no-private-api-v2';
const CLIENT_ID = 'no-client-id-auth';
const onPrivateApi = (f: Finding) => f.ruleId === CLIENT_ID && (f.origin?.kind === 'private-api' || f.messageId === 'clientIdPrivate');

export interface MarkerOptions {
  filename: string;
  browser: boolean;
  /** The file belongs to a phone or desktop shell and fix has no full URL of a token route (asked only when a marker needs it). */
  shell?: () => boolean;
  /** Findings whose origin is in another file get no marker here (fixFiles marks the origin afterwards); else they are marked at their own statement. */
  deferForeign?: boolean;
  /** Findings of other files whose origin is in this file: marked here, at `line`. */
  foreign?: { line: number; finding: Finding }[];
}

/** A finding fix leaves alone although its rule has an edit: a redirect the code reads itself (3xx status, Location). */
export function keptOnPurpose(f: { ruleId: string }, parsed: Parsed, text: string, offset: number): boolean {
  return f.ruleId === 'no-disabled-redirects' && readsRedirect(parsed.ast, text, offset);
}

/** The line a finding's marker goes above: its origin in this file, else its statement. */
function anchorLine(f: Finding, parsed: Parsed, text: string, starts: number[], page: boolean, opts: MarkerOptions): number | undefined {
  if (f.origin) {
    if (f.origin.file === opts.filename) return f.origin.line;
    if (opts.deferForeign) return undefined;
  }
  const offset = (starts[f.line - 1] ?? 0) + f.column - 1;
  const inScript = page ? /\S/.test(parsed.text.slice(starts[f.line - 1] ?? 0, starts[f.line] ?? text.length)) : true;
  if (!inScript) return f.line;
  // a secret in a property of a long object literal (an Angular environment file): above the property
  if (f.ruleId === 'no-hardcoded-credentials' && propertyStartsLine(parsed, text, starts, f.line, offset)) return f.line;
  const line = statementLine(parsed.ast, offset, f.line);
  // `response_type: 'token'` in a config object of a long statement (an AngularJS `.constant()` chain):
  // above the property, not many lines up
  if (f.ruleId === 'no-implicit-grant' && f.line - line > LONG_STATEMENT && propertyStartsLine(parsed, text, starts, f.line, offset)) return f.line;
  return line;
}

/** Lines between a statement's first line and a finding beyond which its marker goes beside the finding. */
const LONG_STATEMENT = 8;

/** The object property holding an offset starts its line (nothing but indentation before it). */
function propertyStartsLine(parsed: Parsed, text: string, starts: number[], line: number, offset: number): boolean {
  const lineStart = starts[line - 1] ?? 0;
  let found = false;
  const visit = (n: Node) => {
    forEachChild(n, (c) => {
      if (found || !c.range || c.range[0] > offset || c.range[1] <= offset) return;
      const parent = n as { type: string };
      if (c.type === 'Property' && parent.type === 'ObjectExpression' && c.range[0] >= lineStart && !/\S/.test(text.slice(lineStart, c.range[0]))) found = true;
      else visit(c);
    });
  };
  visit(parsed.ast as unknown as Node);
  return found;
}

/**
 * Inserts one marker per root cause left for a person, on the line before its statement (or the
 * statement of its origin), in the syntax of the place. `count` is the number of marker comments
 * added (a marker naming two rules counts once).
 */
export function insertMarkers(text: string, parsed: Parsed, findings: Finding[], opts: MarkerOptions, pendingRules: ReadonlySet<string> = new Set()): { text: string; count: number } {
  const starts = lineStarts(text);
  const lines = text.split('\n');
  const page = parsed.extras.language === 'vue' || parsed.extras.language === 'html';
  const byLine = new Map<number, Map<string, Finding[]>>();
  const add = (line: number, f: Finding) => {
    const m = byLine.get(line) ?? new Map<string, Finding[]>();
    m.set(f.ruleId, [...m.get(f.ruleId) ?? [], f]);
    byLine.set(line, m);
  };
  for (const f of findings) {
    const offset = (starts[f.line - 1] ?? 0) + f.column - 1;
    if (f.fixKind === 'auto' && (f.fix?.edits.length || pendingRules.has(f.ruleId)) && !keptOnPurpose(f, parsed, text, offset)) continue;
    const line = anchorLine(f, parsed, text, starts, page, opts);
    if (line !== undefined) add(line, f);
  }
  for (const { line, finding } of opts.foreign ?? []) add(line, finding);
  const inserts: TextEdit[] = [];
  for (const [line, m] of byLine) {
    // never between a JSDoc block and what it documents: above the block
    const insLine = docCommentStart(lines, line);
    const at = starts[insLine - 1] ?? 0;
    const lineText = text.slice(at, starts[insLine] ?? text.length);
    const indent = /^[ \t]*/.exec(lineText)![0];
    const eol = /\r\n$/.test(lineText) || (!/\n$/.test(lineText) && /\r\n/.test(text)) ? '\r\n' : '\n';
    // markers already there: the lines just above (and down to the statement)
    const above: { l: number; text: string }[] = [];
    for (let l = insLine - 1; l >= 1 && l >= insLine - 6; l--) {
      const t = text.slice(starts[l - 1]!, starts[l]!);
      if (!/sc-migrate\(/.test(t)) break;
      above.push({ l, text: t });
    }
    const own = text.slice(at, starts[line] ?? text.length);
    const tags = new Set([...above.flatMap((a) => markerTags(a.text)), ...markerTags(own)]);
    const syntax = markerSyntax(text, parsed, at + indent.length, page);
    const needed = [...m.keys()].filter((id) => !tags.has(id));
    if (!needed.length) continue;
    // the private API's client_id: one root cause with the private API itself, one marker naming both
    const joint = needed.includes(CLIENT_ID) && m.get(CLIENT_ID)!.every(onPrivateApi) && (needed.includes(PRIVATE_API) || tags.has(PRIVATE_API));
    const browser = opts.browser;
    const comment = (ids: string[], f: Finding) => {
      const id = f.ruleId;
      const where = {
        file: opts.filename, browser,
        ...(id === CLIENT_ID && browser && opts.shell?.() ? { shell: true } : {}),
        ...(id === 'no-disabled-redirects' ? { readsRedirect: readsRedirect(parsed.ast, text, (starts[f.line - 1] ?? 0) + f.column - 1) } : {}),
        ...(id === CLIENT_ID && (!f.origin || (!browser && f.origin.unknownHost)) && STREAM_LINE.test(text.slice(starts[f.line - 1] ?? 0, starts[f.line] ?? text.length)) ? { streamUrl: true } : {}),
      };
      const head = `sc-migrate(${ids.join(', ')}): `;
      const body = markerText(id, f, where).replace(/\*\//g, '* /').replace(/-->/g, '- ->');
      const c = `${head}${fitMarker(body, MARKER_LINE_MAX - indent.length - head.length - (syntax === 'html' ? 9 : syntax === 'jsx' ? 8 : 6))}`;
      const line = syntax === 'html' ? `<!-- ${c} -->` : syntax === 'jsx' ? `{/* ${c} */}` : `/* ${c} */`;
      return `${markerIndent(indent, line)}${line}${eol}`;
    };
    if (joint && !needed.includes(PRIVATE_API)) {
      // a marker of the private API alone is there already: it becomes the one naming both rules
      const prev = above.find((a) => /^\s*(\/\*|<!--|\{\/\*) sc-migrate\([\w-]+\): [^\n]*(\*\/|-->|\*\/\})\s*$/.test(a.text) && markerTags(a.text).includes(PRIVATE_API));
      if (prev) {
        const s = starts[prev.l - 1]!;
        inserts.push({ range: [s, s + prev.text.length], text: comment([PRIVATE_API, CLIENT_ID], m.get(CLIENT_ID)![0]!) });
        needed.splice(needed.indexOf(CLIENT_ID), 1);
      }
    }
    let block = '';
    for (const id of needed) {
      if (joint && id === CLIENT_ID && needed.includes(PRIVATE_API)) continue;
      // the client_id rule's recipe for the private API (short enough beside both names)
      if (joint && id === PRIVATE_API) { block += comment([PRIVATE_API, CLIENT_ID], m.get(CLIENT_ID)![0]!); continue; }
      block += comment([id], m.get(id)![0]!);
    }
    if (block) inserts.push({ range: [at, at], text: block });
  }
  if (!inserts.length) return { text, count: 0 };
  let out = text;
  let count = 0;
  for (const e of inserts.sort((a, b) => b.range[0] - a.range[0])) {
    out = out.slice(0, e.range[0]) + e.text + out.slice(e.range[1]);
    // a marker rewritten in place (the private API's, naming the client_id too) is not a new one
    if (e.range[0] === e.range[1]) count += (e.text.match(/\/\* sc-migrate\(|<!-- sc-migrate\(/g) ?? []).length;
  }
  return { text: out, count };
}

/** A marker body that fits `room` characters: the whole recipe, else its action (the part after "...: "). */
export function fitMarker(body: string, room: number): string {
  if (body.length <= room) return body;
  // shorter forms, in turn: the action without its context (`browser code: ...`), without a
  // parenthesised aside, without its trailing clause (`send the token in the request header, not the URL`)
  const shorter = [
    body.includes(': ') ? body.slice(body.indexOf(': ') + 2) : body,
    body.replace(/ \([^()]*\)/g, ''),
    body.replace(/, [^,]*$/, ''),
  ].find((s) => s.length < body.length);
  return shorter ? fitMarker(shorter, room) : body;
}

/** The indentation of a marker line, cut as much as the line needs to stay within MARKER_LINE_MAX characters. */
function markerIndent(indent: string, comment: string): string {
  const over = indent.length + comment.length - MARKER_LINE_MAX;
  return over > 0 ? indent.slice(0, Math.max(0, indent.length - over)) : indent;
}

/**
 * The comment syntax at an offset where a marker line goes: HTML outside `<script>` (also a line
 * that starts with markup before its script), `{/* *\/}` among JSX children, else a block comment.
 */
export function markerSyntax(text: string, parsed: Parsed, offset: number, page = parsed.extras.language === 'vue' || parsed.extras.language === 'html'): 'html' | 'jsx' | 'js' {
  if (page) {
    // the page's text outside scripts is blanked in parsed.text: markup at the offset means HTML
    if (parsed.text[offset] !== text[offset] || !/\S/.test(parsed.text[offset] ?? '')) return 'html';
  }
  let node: Node | undefined = parsed.ast as unknown as Node;
  let last: Node | undefined;
  while (node) {
    last = node;
    let next: Node | undefined;
    for (const key of Object.keys(node)) {
      if (key === 'parent' || key === 'loc' || key === 'range') continue;
      const v = (node as unknown as Record<string, unknown>)[key];
      for (const k of Array.isArray(v) ? v : [v]) {
        const c = k as Node | undefined;
        if (c && typeof c.type === 'string' && c.range && c.range[0] < offset && offset < c.range[1]) { next = c; break; }
      }
      if (next) break;
    }
    node = next;
  }
  if (last?.type === 'JSXText') return 'jsx';
  if (last?.type === 'JSXElement' || last?.type === 'JSXFragment') {
    const el = last as unknown as { openingElement?: Node; openingFragment?: Node; closingElement?: Node | null; closingFragment?: Node };
    const open = el.openingElement ?? el.openingFragment;
    const close = el.closingElement ?? el.closingFragment;
    if (open && offset >= open.range[1] && (!close || offset <= close.range[0])) return 'jsx';
  }
  return 'js';
}
