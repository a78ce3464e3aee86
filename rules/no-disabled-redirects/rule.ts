import { createRule } from '../../src/engine/create-rule.js';
import { fileFacts } from '../../src/engine/analysis/facts.js';
import { classifyUrl } from '../../src/engine/analysis/hosts.js';
import { hasScContext, withoutComments } from '../../src/engine/analysis/context.js';
import { requestUrl } from '../../src/engine/analysis/requests.js';
import { reporter } from '../../src/engine/analysis/report.js';
import { traverseCollect } from '../../src/engine/analysis/walk.js';
import { evalString, findProp, flatText, HOLE, nameOf, propName, resolveObject, unwrap } from '../../src/engine/analysis/values.js';
import type { Fixer, Node } from '../../src/engine/types.js';
import type { TSESTree } from '@typescript-eslint/typescript-estree';
import { startOf, endOf } from '../../src/engine/offsets.js';
import { enclosingFunction } from '../../src/engine/analysis/scope.js';

const OFF: Record<string, (v: Node) => boolean> = {
  redirect: (v) => v.type === 'Literal' && (v.value === 'manual' || v.value === 'error'),
  maxRedirects: (v) => v.type === 'Literal' && v.value === 0,
  followRedirect: (v) => v.type === 'Literal' && v.value === false,
  followRedirects: (v) => v.type === 'Literal' && v.value === false,
  followAllRedirects: () => false,
};

/** SoundCloud's API and auth hosts (and the old authorize pages on soundcloud.com), whose 301 / 302 a client must follow. */
const API_HOST = /^(?:api|api-v2|api-widget|api-mobile|secure|connect)\.soundcloud\.com$/i;
const apiHost = (u: { host?: string; path: string }): boolean =>
  !u.host || API_HOST.test(u.host) || (/^(?:www\.)?soundcloud\.com$/i.test(u.host) && /^\/(?:connect|oauth)\b/i.test(u.path));

/** A request to the root of a host chosen at run time (`https://${hostname}/`): a reachability probe, not an API call. */
const HOST_PROBE = new RegExp(`^(?:https?:)?//${HOLE}/?$`);

/**
 * The SoundCloud hosts the function around a request names are all pages or share links
 * (`if (!link.startsWith('https://on.soundcloud.com/')) return link; fetch(link, { redirect: 'manual' })`):
 * a URL of unknown host there is such a link, whose 302 a link expander reads.
 */
function onlyPageHosts(call: Node, literals: readonly { node: Node; text: string }[]): boolean {
  const fn = enclosingFunction(call);
  if (!fn) return false;
  const hosts = literals.filter((l) => startOf(l.node) >= startOf(fn) && endOf(l.node) <= endOf(fn) && /soundcloud\.com/i.test(l.text)).map((l) => classifyUrl(l.text));
  return hosts.length > 0 && hosts.every((u) => u.kind === 'sc' && !!u.host && !apiHost(u));
}

/** A word every finding of this rule contains, or an escape sequence that could spell one. */
const REDIRECT_WORD = /redirect|\\[ux]/i;
const REDIRECT = /redirect/i;
const ESCAPE = /\\[ux]/;
/** REDIRECT_WORD's answer in about half its time: the escape only looked for where a backslash is. */
const namesRedirect = (text: string): boolean => REDIRECT.test(text) || (text.includes('\\') && ESCAPE.test(text));

export default createRule({
  id: 'no-disabled-redirects',
  gate: REDIRECT_WORD,
  description: 'SoundCloud answers 301/302 (http->https, /resolve, streams): requests to it must follow redirects.',
  severity: 'error',
  fixKind: 'auto',
  // a redirect the code handles on purpose: removing the option would break the code that reads it (a person checks)
  fixKinds: { deliberate: 'manual' },
  messages: {
    disabled: '{{option}} turns off redirects on a SoundCloud request: /resolve and stream URLs answer 302, and http answers 301. Let the client follow redirects.',
    deliberate: '{{option}} with the 3xx status or Location read by this code: a deliberate redirect (check that a 301 from http:// and a redirect to another host are handled too). No automatic change.',
  },
  create(context) {
    const report = reporter(context);
    return {
      'Program:exit'() {
        // Every finding is an option key written in this file (redirect, maxRedirects,
        // followRedirect(s): `propName` reads identifiers and literal keys only) or a
        // `.redirects(0)` call: a file whose text never says "redirect" has none (dense corpus:
        // 196 of 236 files), unless a key is spelt with escapes (`'max\u0052edirects'`).
        if (!namesRedirect(context.sourceCode.text)) return;
        const facts = fileFacts(context);
        // Requests, and instance factories (axios.create, got.extend, ky.create) whose defaults they use.
        // A request whose own response handling reads the 3xx status or the Location header handles
        // redirects on purpose (resolve a stream URL): a review note with a suggestion, no automatic removal.
        const targets: { urls: ReturnType<typeof requestUrl>; options: { node: TSESTree.ObjectExpression; env: typeof facts.env }[]; deliberate: boolean; call?: Node }[] = [...facts.requests.map((r) => ({ urls: requestUrl(r, facts.env), options: r.options, deliberate: readsRedirect(r.call), call: r.call as Node }))];
        for (const c of facts.calls) {
          if (!/(^|\.)(axios\.create|got\.extend|ky\.create|ky\.extend)$/.test(nameOf(c.callee)) || !c.arguments[0]) continue;
          const o = resolveObject(c.arguments[0] as Node, facts.env);
          if (o?.kind !== 'object') continue;
          const base = findProp(o.node, 'baseURL') ?? findProp(o.node, 'prefixUrl') ?? findProp(o.node, 'prefixURL');
          targets.push({ urls: base ? evalString(base, o.env) : [[]], options: [{ node: o.node, env: o.env }], deliberate: false });
        }
        // A URL of no known host counts as SoundCloud's when the file's code names SoundCloud, or a
        // module it imports does: not when the only mention is a comment (a generic relay headed
        // "proxy for SoundCloud Desktop"), nor when the app's package alone is named for it.
        let scCode: boolean | undefined;
        // (hasScContext of the text without comments: its own test of that text comes first)
        const namesScInCode = () => (scCode ??= hasScContext(context.filename, withoutComments(context.sourceCode.text), facts.project));
        for (const r of targets) {
          const texts = r.urls.map((a) => flatText(a));
          const urls = texts.map((t) => classifyUrl(t));
          // A relative URL goes to the app's own origin, not to SoundCloud.
          // (SoundCloud's API and auth hosts: a web page, a share link on on.soundcloud.com or the
          // widget's host redirects as any site does, and reading its Location is no API migration)
          const sc = urls.some((u) => u.kind === 'sc' && apiHost(u))
            || (facts.scContext && urls.every((u) => u.kind === 'unknown') && !texts.every((t) => HOST_PROBE.test(t)) && namesScInCode() && !(r.call && onlyPageHosts(r.call, facts.literals)));
          if (!sc) continue;
          for (const o of r.options) {
            if (o.env.filename !== facts.env.filename) continue;
            for (const p of o.node.properties) {
              if (p.type !== 'Property') continue;
              const k = propName(p);
              const test = k ? OFF[k] : undefined;
              if (!k || !test) continue;
              const v = unwrap(p.value as Node);
              const known = test(v) || (v.type === 'Identifier' && evalString(v, facts.env).some((a) => ['manual', 'error'].includes(flatText(a))) && k === 'redirect');
              if (!known) continue;
              const option = context.sourceCode.getText(p as Node);
              const remove = (fixer: Fixer) => removeProperty(fixer, context.sourceCode.text, p as Node);
              if (r.deliberate) report(p.key, 'deliberate', { option }, null, undefined, 'warning');
              else report(p.key, 'disabled', { option }, remove);
            }
          }
        }
        // superagent .redirects(0)
        for (const c of facts.calls) {
          const callee = c.callee;
          if (callee.type === 'MemberExpression' && propName(callee) === 'redirects' && c.arguments[0]?.type === 'Literal' && c.arguments[0].value === 0 && facts.scContext) {
            report(callee.property, 'disabled', { option: '.redirects(0)' });
          }
        }
      },
    };
  },
});

const REDIRECT_STATUS = new Set([300, 301, 302, 303, 307, 308]);

/**
 * Does the code around a request (its function, or the `.then` callbacks chained on it) read the
 * redirect itself: `res.headers.get('location')`, `res.headers.location`, `status === 302`,
 * `status >= 300 && status < 400`, `res.type === 'opaqueredirect'`?
 */
export function readsRedirect(call: Node): boolean {
  let scope: Node = call;
  for (let p = call.parent; p; p = p.parent) { scope = p; if (p.type.includes('Function')) break; }
  let found = false;
  traverseCollect(scope, (n) => {
    if (found) return;
    if (n.type === 'Literal') {
      if (typeof n.value === 'string' && /^(location|opaqueredirect)$/i.test(n.value)) found = true;
      else if (typeof n.value === 'number' && REDIRECT_STATUS.has(n.value) && n.parent?.type === 'BinaryExpression' && /status/i.test(nameOf(n.parent.left === n ? n.parent.right : n.parent.left))) found = true;
    } else if (n.type === 'MemberExpression' && propName(n) === 'location' && /headers$/i.test(nameOf(n.object))) found = true;
  });
  return found;
}

/** Removes an object property with its comma, keeping the rest of the line layout. */
export function removeProperty(fixer: Fixer, text: string, prop: Node) {
  // the only property of an object written on one line: `{ maxRedirects: 0 }` -> `{}`
  const obj = prop.parent;
  if (obj?.type === 'ObjectExpression' && obj.properties.length === 1 && !text.slice(startOf(obj), endOf(obj)).includes('\n')) return fixer.removeRange([startOf(obj) + 1, endOf(obj) - 1]);
  let start = startOf(prop), end = endOf(prop);
  // `{ maxRedirects: 0, headers }`: the space after the comma goes too (no `{  headers`)
  const after = /^\s*,/.exec(text.slice(end));
  if (after) end += after[0].length + (/[\s{(]$/.test(text.slice(0, start)) ? /^[ \t]*/.exec(text.slice(end + after[0].length))![0].length : 0);
  else {
    const before = /,\s*$/.exec(text.slice(0, start));
    if (before) start -= before[0].length;
  }
  // take the whole line when the property stood alone on it
  const lineStart = text.lastIndexOf('\n', start - 1) + 1;
  const lineEnd = text.indexOf('\n', end);
  if (/^\s*$/.test(text.slice(lineStart, start)) && lineEnd !== -1 && /^\s*$/.test(text.slice(end, lineEnd))) {
    return fixer.removeRange([lineStart, lineEnd + 1]);
  }
  return fixer.removeRange([start, end]);
}
