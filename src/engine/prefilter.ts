/**
 * The cheap text gate in front of the parser. A file is analysed only when it names SoundCloud
 * (a host, the SDK, the `SC` global) or imports, directly or through other files, a module of the
 * scanned tree that does: a constant three files away still counts, and a tree with no SoundCloud
 * code parses nothing at all.
 */
import { dirname, join, resolve } from 'node:path';

// (`api.sndcdn.com`, the API's old alias host, as `s...` with a look-behind: an alternative of its own
// starting with `a` cost the payload tree's gate about half again its time)
export const DIRECT_TRIGGER = /s(?:oundcloud|ndcdn\.com(?<=api\.sndcdn\.com))|\bSC\s*\.\s*(?:initialize|connect|get|put|post|delete|stream|oEmbed|resolve|isConnected|accessToken|disconnect|Widget)\b/i;

/** Words of a SoundCloud request that names no host (a `next_href` + `&oauth_token=`), in a project that does. */
export const WEAK_TRIGGER = /oauth_token|client_id|clientId|grant_type|response_type|non-expiring|redirect|client_secret/;

/**
 * A secret-looking literal bound to a secret-ish name (`const SECRET = 'q7Vw...'`): a constants
 * module that never names SoundCloud may hold the app's SoundCloud secret (its importers decide).
 */
export const SECRET_LITERAL = /(?:secret|token)\w*['"]?\s*[:=]\s*['"`][A-Za-z0-9._~+/=-]{16,}['"`]/i;

// relative ('./x', '../x') and rooted ('@/x', '~/x', 'src/x': project.ts resolveRooted) specifiers
const IMPORT_RE = /(?:\bfrom\s*|\bimport\s*\(\s*|\brequire\s*\(\s*|\bimport\s+)(['"`])((?:\.{1,2}|[@~]|\w[\w.-]*)\/[^'"`\n]*)\1/g;

export function mentionsSoundCloud(text: string): boolean {
  return DIRECT_TRIGGER.test(text);
}

/** Module specifiers a file imports or requires that may name a file of the tree (text-level). */
export function relativeSpecifiers(text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(IMPORT_RE)) out.push(m[2]!);
  return out;
}

/** What the gate needs to know of one file: read once, then the text can go. */
export interface GateFacts {
  /** Names SoundCloud (DIRECT_TRIGGER). */
  direct: boolean;
  /** Has URL-credential words (WEAK_TRIGGER) or a secret-looking literal (SECRET_LITERAL). */
  weak: boolean;
  /** Import specifiers that may name a file of the tree (only needed when not direct). */
  imports: string[];
  /** An HTML page: the `src` of its `<script>` tags that may name a file of the tree. */
  scripts?: string[];
}

const PAGE_FILE = /\.html?$/i;
const SCRIPT_SRC_RE = /<script\b[^>]*?\ssrc\s*=\s*(['"]?)([^'"\s>]+)\1/gi;

/** The local `<script src>` of a page (text-level): no URL with a scheme or host, no template expression. */
export function pageScripts(text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(SCRIPT_SRC_RE)) { const s = localScriptPath(m[2]!); if (s !== undefined) out.push(s); }
  return out;
}

/** A script `src` naming a file of the tree: its path without query or hash; undefined for a URL with a scheme or host, or a template expression. */
export function localScriptPath(src: string): string | undefined {
  return /^(?:[a-z][\w+.-]*:|\/\/)|[{}<%]/i.test(src) ? undefined : src.replace(/[?#].*$/, '');
}

/** The file of the tree a page's script `src` names: beside the page, or (a rooted `/js/x.js`) under the root. */
export function pageScriptFile(root: string, page: string, src: string, has: { has(p: string): boolean }): string | undefined {
  const candidates = src.startsWith('/') ? [join(root, src), join(dirname(page), src)] : [resolve(dirname(page), src)];
  return candidates.find((c) => has.has(c));
}

/** `env`: the names of env variables set to a SoundCloud host (env-files.ts `envTrigger`): reading one names SoundCloud. */
export function gateFacts(text: string, path?: string, env?: RegExp): GateFacts {
  const direct = mentionsSoundCloud(text) || (!!env && env.test(text));
  const facts: GateFacts = { direct, weak: !direct && (WEAK_TRIGGER.test(text) || SECRET_LITERAL.test(text)), imports: direct || !text.includes('/') ? [] : relativeSpecifiers(text) };
  if (path && PAGE_FILE.test(path) && text.includes('<script')) { const s = pageScripts(text); if (s.length) facts.scripts = s; }
  return facts;
}

/**
 * Picks the files worth parsing. `files` maps absolute path to its gate facts; `resolve` maps an
 * import of a file to an absolute path (undefined when outside the tree).
 */
/**
 * The pages of the tree whose classic scripts share one global scope (analysis/page-globals.ts):
 * each page with the files of its local `<script src>`, when it loads at least one.
 */
export function pageGroups(files: ReadonlyMap<string, GateFacts>, resolveScript: (page: string, src: string) => string | undefined): string[][] {
  const out: string[][] = [];
  for (const [page, g] of files) {
    if (!g.scripts) continue;
    const members = [page, ...g.scripts.map((s) => resolveScript(page, s)).filter((p): p is string => !!p)];
    if (members.length > 1) out.push(members);
  }
  return out;
}

export function selectCandidates(
  files: ReadonlyMap<string, GateFacts>,
  resolve: (from: string, specifier: string) => string | undefined,
  pages: readonly string[][] = [],
  /** The project talks to SoundCloud though no file names it (a dev server proxying to its API). */
  projectSc = false,
  /**
   * Filled with the selected files that name SoundCloud, import (through other files) one that
   * does, or share a page with one; not those picked only for their URL-credential words in a
   * project that talks to SoundCloud elsewhere (unless a dev server proxies it to SoundCloud).
   */
  linked?: Set<string>,
): Set<string> {
  const selected = new Set<string>();
  for (const [path, g] of files) if (g.direct) selected.add(path);
  if (!selected.size && !projectSc) return selected;
  // Importers of selected files, to a fixed point (config -> constants -> caller).
  const imports = new Map<string, string[]>();
  for (const [path, g] of files) {
    if (!selected.has(path) && g.imports.length) imports.set(path, g.imports.map((s) => resolve(path, s)).filter((p): p is string => !!p));
  }
  for (let changed = true; changed;) {
    changed = false;
    for (const [path, deps] of imports) {
      if (selected.has(path)) continue;
      if (deps.some((d) => selected.has(d))) { selected.add(path); changed = true; }
    }
  }
  if (linked) for (const p of selected) linked.add(p);
  // In a project that talks to SoundCloud, a URL credential can sit where no host is named.
  for (const [path, g] of files) {
    if (selected.has(path) || !g.weak) continue;
    selected.add(path);
    if (projectSc) linked?.add(path);
  }
  // The classic scripts of a page share one global scope (pageGroups): where one of them is
  // analysed, the others may read what it defines.
  for (const members of pages) {
    if (!members.some((m) => selected.has(m))) continue;
    const sc = !!linked && members.some((m) => linked.has(m));
    for (const m of members) { selected.add(m); if (sc) linked!.add(m); }
  }
  return selected;
}
