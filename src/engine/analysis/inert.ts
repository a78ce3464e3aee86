/**
 * Not a request (issue 10, item 5): places where a SoundCloud URL or parameter is written but
 * nothing is sent with it. Content-Security-Policy / helmet / CORS allow-lists, URLs only compared
 * or matched, or only logged (`console.log(url)`), strings of assertions and mocks in tests, fake responses under `__mocks__` or
 * fixture folders, and soundcloud.com pages opened for a person (`window.open`, `location.href =`,
 * `shell.openExternal`, `<a href>`). Comments and docs never reach the rules (not code).
 */
import type { TSESTree } from '@typescript-eslint/typescript-estree';
import { classifyUrl, isAuthorizePath } from './hosts.js';
import { HOLE, nameOf, propName, unwrap } from './values.js';
import { traverseCollect } from './walk.js';
import { resolveBinding } from './scope.js';
import { expressionOf } from './strings.js';

type N = TSESTree.Node;

const TEST_ASSERT_RE = /^(expect|assert|nock|sinon|jest\.|vi\.|t\.(is|deepEqual|equal|true|regex)|should)|^(?:equal|notEqual|deepEqual|notDeepEqual|strictEqual|notStrictEqual|propEqual|ok)$|\.(toBe|toEqual|toStrictEqual|toContain|toMatch|toHaveBeenCalledWith|toHaveBeenLastCalledWith|toHaveBeenNthCalledWith|mockResolvedValue|mockResolvedValueOnce|mockReturnValue|mockReturnValueOnce|mockImplementation|onGet|onPost|onPut|onDelete|onAny|reply|replyOnce|intercept|equal|deepEqual|strictEqual|match|include)$/;

/** Mock libraries whose call chains describe a request to intercept: `nock(host).get(path).query({...})`. */
const MOCK_CHAIN_ROOT = /^(nock|fetchMock)$/;

/** The name of the call a chain starts with: `nock(h).get(p).query(q)` -> `nock`. */
function chainRootName(c: TSESTree.CallExpression): string {
  let x = c.callee as N;
  while (x.type === 'MemberExpression') {
    const o = x.object as N;
    if (o.type !== 'CallExpression') break;
    x = o.callee as N;
  }
  return nameOf(x);
}

/**
 * Inside an assertion or a mock set-up (tests), QUnit's bare `equal(...)` too, or a mock's own call
 * chain (a nock interceptor kept in a variable and answered later): a string there sends nothing.
 */
export function inAssertionOrMock(n: N): boolean {
  for (let p: N | undefined = n.type === 'CallExpression' ? n : n.parent; p; p = p.parent) {
    if (p.type === 'CallExpression' && (TEST_ASSERT_RE.test(nameOf(p.callee)) || MOCK_CHAIN_ROOT.test(chainRootName(p)))) return true;
    if (p.type.includes('Function')) break;
  }
  return false;
}

/**
 * Files of fake data: mocks (`__mocks__/`, msw's `src/mocks/`, a `mock/` folder), fixtures of tests
 * (under a test folder, Cypress's `cypress/fixtures/`: responses recorded or written for tests),
 * and files named so (`tracks.mock.js`, `user.fixture.ts`, Storybook's `Player.stories.tsx`).
 */
export const FAKE_DATA_RE = /(^|[/\\])(__mocks__|__fixtures__|mocks?)[/\\]|(^|[/\\])(tests?|__tests__|spec|cypress)[/\\](.*[/\\])?(fixtures?|mocks?)[/\\]|\.(mocks?|fixtures?|stories)\.[cm]?[jt]sx?$/i;

const CSP_KEY = /^(contentSecurityPolicy|csp|directives|(default|connect|script|img|media|frame|child|style|font|worker|manifest|object|prefetch|form-action|frame-ancestors)[-_]?src|(default|connect|script|img|media|frame|child|style|font|worker)Src|origin|origins|allowedOrigins|allowOrigins|allowedHosts|corsOrigins|whitelist|allowlist|allowList|trustedOrigins|remotePatterns|domains)$/i;
const CSP_CALL = /(^|\.)(helmet|cors|csp|contentSecurityPolicy|expressCspHeader)$/;
/** An allow-list by its name: AngularJS's `$sceDelegateProvider.resourceUrlWhitelist([...])`, `const whitelist = [...]`. */
const ALLOW_LIST_NAME = /(white|allow)[-_]?list$/i;
const CSP_TEXT = /^\s*(default|connect|script|img|media|frame|child|style|font|worker)-src\b/i;

/** In a CSP / CORS allow-list (a value under such a key, an argument of helmet/cors, a CSP header text). */
function inAllowList(n: N, text: string): boolean {
  if (CSP_TEXT.test(text)) return true;
  for (let p: N | undefined = n.parent; p; p = p.parent) {
    if (p.type === 'Property' && CSP_KEY.test(propName(p) ?? '')) return true;
    if (p.type === 'CallExpression') {
      const cn = nameOf(p.callee);
      if (CSP_CALL.test(cn) || ALLOW_LIST_NAME.test(cn)) return true;
      if (/\.(setHeader|header|set|append)$/.test(cn) && p.arguments[0]?.type === 'Literal' && /^(content-security-policy|access-control-allow-origin)$/i.test(String(p.arguments[0].value))) return true;
      if (!/^(\[\]|Array)\.?/.test(cn)) break;
    }
    if (p.type === 'VariableDeclarator' && p.id.type === 'Identifier' && ALLOW_LIST_NAME.test(p.id.name)) return true;
    if (p.type.includes('Function') || p.type.includes('Statement')) break;
  }
  return false;
}

const COMPARE_CALL = /\.(startsWith|endsWith|includes|indexOf|lastIndexOf|match|test|search|localeCompare)$/;

const PATTERN_CALL = /\.(replace|replaceAll|split)$/;

/** Only compared or matched: `url === '...'`, `u.startsWith('...')`, `re.test(...)`, `u.replace('...', '')`. */
export function onlyCompared(n: N): boolean {
  let x: N = n;
  while (x.parent && (x.parent.type === 'TSAsExpression' || (x.parent.type === 'BinaryExpression' && x.parent.operator === '+'))) x = x.parent;
  const p = x.parent;
  if (!p) return false;
  if (p.type === 'BinaryExpression' && /^(===|!==|==|!=)$/.test(p.operator)) return true;
  if (p.type === 'CallExpression' && p.arguments.includes(x as TSESTree.CallExpressionArgument) && COMPARE_CALL.test(nameOf(p.callee))) return true;
  if (p.type === 'SwitchCase' && p.test === x) return true;
  // the text a string is searched for: `url.replace('https://api-v2.soundcloud.com', '')` strips a host (the replacement is used)
  if (p.type === 'CallExpression' && p.arguments[0] === x && PATTERN_CALL.test(nameOf(p.callee))) return true;
  return false;
}

/** Cookie jars that take the site a cookie belongs to as `url`: Electron's `session.cookies`, `chrome.cookies`, Puppeteer's `page.setCookie`. */
const COOKIE_CALL = /(^|\.)(cookies\.(set|get|getAll|remove)|setCookie|deleteCookie)$/;

/** `session.cookies.set({ url: 'https://api-v2.soundcloud.com', name, value })`: the site a cookie is for, not a request. */
function cookieSite(n: N): boolean {
  const p = n.parent;
  if (p?.type !== 'Property' || p.value !== n || !/^(url|domain)$/.test(propName(p) ?? '')) return false;
  const call = p.parent?.parent;
  return call?.type === 'CallExpression' && call.arguments.includes(p.parent as TSESTree.CallExpressionArgument) && COOKIE_CALL.test(nameOf(call.callee));
}

const OPEN_CALL = /^(window\.open|open|((gui|electron|nw)\.)?[Ss]hell\.openExternal|Linking\.openURL|WebBrowser\.openBrowserAsync|(window\.|document\.)?location\.(assign|replace)|chrome\.tabs\.create|browser\.tabs\.create)$/;
const PAGE_HOST = /^(www\.|m\.|on\.)?soundcloud\.com$/i;
/** A link of unknown address with a credential appended: `attrs.href + '?client_id=' + id`. */
const LINK_WITH_CREDENTIAL = new RegExp(`^${HOLE}[?&](client_id|oauth_token)=`);
/** Names of values that are media or API addresses, not pages (`track.stream_url`, `downloadUrl`). */
const MEDIA_NAME = /stream|download|media|audio|mp3|api|uri|resolve/i;
/**
 * Names of a resource's picture (`track.artwork_url`, `user.avatar_url`, `const artwork = ...`):
 * the image CDN serves it to anyone, so a client id appended to it authenticates no API request.
 */
const IMAGE_NAME = /(^|\.)(artwork|avatar|cover|thumbnail|picture)(_?url)?$/i;

/** `${artwork}?client_id=...`: a credential appended to the address of a picture (image CDN, not the API). */
function imageWithCredential(n: N, text: string): boolean {
  return classifyUrl(text).kind === 'unknown' && LINK_WITH_CREDENTIAL.test(text) && IMAGE_NAME.test(baseName(n));
}

/** `x(...)` opens its argument for a person: a browser window, tab or the system browser. */
const opensFor = (p: N | undefined, x: N): boolean => p?.type === 'CallExpression' && p.arguments[0] === x && OPEN_CALL.test(nameOf(p.callee));

/**
 * The string is only opened for a person: an argument of an open call, assigned to `location`,
 * or held by a variable of the same function whose every read is such an argument
 * (`el = attrs.href + '?client_id=' + id; gui.Shell.openExternal(el)`).
 */
function onlyOpened(x: N): boolean {
  const p = x.parent;
  if (opensFor(p, x)) return true;
  if (p?.type === 'AssignmentExpression' && /(^|\.)location(\.href)?$/.test(nameOf(p.left))) return true;
  const id = p?.type === 'AssignmentExpression' && p.right === x ? p.left : p?.type === 'VariableDeclarator' && p.init === x ? p.id : undefined;
  if (id?.type !== 'Identifier') return false;
  let fn: N | undefined = p;
  while (fn && !fn.type.includes('Function') && fn.type !== 'Program') fn = fn.parent;
  if (!fn) return false;
  const reads: N[] = [];
  let other = false;
  // only for the rare string that passed the gates of openedForPerson: a walk of one function
  traverseCollect(fn, (n) => {
    if (other || n.type !== 'Identifier' || n.name !== id.name || n === id) return;
    const q = n.parent;
    if ((q?.type === 'AssignmentExpression' && q.left === n) || (q?.type === 'VariableDeclarator' && q.id === n)) return;
    if ((q?.type === 'MemberExpression' && q.property === n && !q.computed) || (q?.type === 'Property' && q.key === n && !q.computed)) return;
    if (opensFor(q, n)) reads.push(n);
    else other = true;
  });
  return !other && reads.length > 0;
}

/**
 * A soundcloud.com page (not the authorize endpoint), or a link of unknown address with a client
 * id or token appended, opened or linked for a person: the browser shows it, the app's API
 * client sends nothing.
 */
function openedForPerson(n: N, text: string): boolean {
  const u = classifyUrl(text);
  const page = u.kind === 'sc' && !!u.host && PAGE_HOST.test(u.host) && !isAuthorizePath(u.path) && !/^\/?(oauth2?|connect)\b/i.test(u.path);
  const link = !page && u.kind === 'unknown' && LINK_WITH_CREDENTIAL.test(text) && !MEDIA_NAME.test(baseName(n));
  if (!page && !link) return false;
  const x = expressionOf(n);
  const p = x.parent;
  if (!p) return false;
  if (link) return onlyOpened(x);
  if (p.type === 'CallExpression' && OPEN_CALL.test(nameOf(p.callee))) return true;
  if (p.type === 'AssignmentExpression' && /(^|\.)location(\.href)?$/.test(nameOf(p.left))) return true;
  if (p.type === 'JSXExpressionContainer' || p.type === 'JSXAttribute') {
    const attr = p.type === 'JSXAttribute' ? p : p.parent;
    return attr?.type === 'JSXAttribute' && attr.name.type === 'JSXIdentifier' && /^(href|to)$/.test(attr.name.name);
  }
  return false;
}

/** The source name of the leftmost operand of a string build (`attrs.href` of `attrs.href + '?...'`). */
function baseName(n: N): string {
  let x: N = n;
  while (x.type === 'BinaryExpression') x = x.left;
  if (x.type === 'TemplateLiteral' && x.expressions[0] && x.quasis[0]?.value.raw === '') x = x.expressions[0];
  return nameOf(unwrap(x));
}

const WIDGET_FACTORY = /^(window\.)?SC\.Widget$/;

/**
 * A call of SoundCloud's embedded player API: `SC.Widget(iframe).load(url)` (also through a
 * variable holding the widget) and `SC.oEmbed(url)`. The URL there names a track for the
 * player, which resolves it itself: this code sends nothing to the API with it.
 */
export function isWidgetCall(call: TSESTree.CallExpression, pageGlobal?: (id: TSESTree.Identifier) => N | undefined): boolean {
  const callee = unwrap(call.callee);
  if (/^(window\.)?SC\.oEmbed$/.test(nameOf(callee))) return true;
  if (callee.type !== 'MemberExpression' || propName(callee) !== 'load') return false;
  let obj = unwrap(callee.object);
  if (obj.type === 'Identifier') {
    const b = resolveBinding(obj);
    // (an unbound name: another script of the page may define it, `var widget = SC.Widget(iframe)`)
    const init = b?.kind === 'var' ? b.declarator.init : !b && pageGlobal ? pageGlobal(obj) : undefined;
    if (!init) return false;
    obj = unwrap(init);
  }
  return obj.type === 'CallExpression' && WIDGET_FACTORY.test(nameOf(obj.callee));
}

/** The first argument of a widget call (see isWidgetCall), also built with `+` or a template. */
export function isWidgetArgument(n: N, pageGlobal?: (id: TSESTree.Identifier) => N | undefined): boolean {
  const x = expressionOf(n);
  const p = x.parent;
  return p?.type === 'CallExpression' && p.arguments[0] === x && isWidgetCall(p, pageGlobal);
}

/**
 * Nothing is sent with this string: an allow-list entry, a comparison, a page for a person, a
 * picture's address, a cookie's site, an assertion or mock in a test, or fake data. `inRequest` says whether it is an argument of a request.
 */
const LOG_CALL = /^console\.(log|info|debug|warn|error|trace)$/;

/** Only written to the log: `console.log(`${BASE}/tracks/${id}?client_id=${ID}`)` sends nothing (also inside a message: `'Error while processing ' + url`). */
export function onlyLogged(n: N): boolean {
  let x: N = n;
  while (x.parent && (x.parent.type === 'TSAsExpression' || (x.parent.type === 'BinaryExpression' && x.parent.operator === '+') || x.parent.type === 'TemplateLiteral')) x = x.parent;
  const p = x.parent;
  return p?.type === 'CallExpression' && p.arguments.includes(x as TSESTree.CallExpressionArgument) && LOG_CALL.test(nameOf(p.callee));
}

/** The `kind` of a SoundCloud API resource, as its JSON writes it. */
const RESOURCE_KIND = /^(track|user|playlist|like|comment|system-playlist|selection|repost|track-repost|playlist-repost|track-like|playlist-like)$/;
const recordedRoots = new WeakMap<N, boolean>();

/** Some object below `root` says `kind: 'track'` (or another resource kind): a copy of an API answer. */
function hasResourceKind(root: N): boolean {
  const hit = recordedRoots.get(root);
  if (hit !== undefined) return hit;
  let found = false;
  traverseCollect(root, (x) => {
    if (found || x.type !== 'Property' || propName(x) !== 'kind') return;
    const v = x.value;
    if (v.type === 'Literal' && typeof v.value === 'string' && RESOURCE_KIND.test(v.value)) found = true;
  });
  recordedRoots.set(root, found);
  return found;
}

/**
 * A URL inside a recorded API answer: a data literal (objects and arrays only, kept in a variable
 * or exported, not handed to a call) whose objects carry SoundCloud's resource `kind`s, e.g. a
 * test's `module.exports = { collection: [{ kind: 'like', track: { media: { transcodings: [{ url:
 * 'https://api-v2.soundcloud.com/media/...' }] } } }] }`. The links of an answer are data.
 */
function inRecordedAnswer(n: N): boolean {
  let x: N = n;
  let root: N | undefined;
  for (let p = n.parent; p; x = p, p = p.parent) {
    if (p.type === 'Property' && p.value === x) continue;
    if (p.type === 'ObjectExpression' || p.type === 'ArrayExpression') { root = p; continue; }
    if (p.type === 'TSAsExpression' || p.type === 'TSSatisfiesExpression') continue;
    const stored = (p.type === 'VariableDeclarator' && p.init === x) || (p.type === 'AssignmentExpression' && p.right === x) || p.type === 'ExportDefaultDeclaration';
    return stored && !!root && hasResourceKind(root);
  }
  return false;
}

const HEADER_KEY = /^(authorization|accept|accept-language|user-agent|origin|referer|content-type|cookie|x-[a-z-]+)$/i;

/**
 * The value of a `Host` header (`headers: { Host: 'api-v2.soundcloud.com', Authorization }`): the
 * request's URL is written elsewhere and is the finding; the header names no URL of its own.
 */
function hostHeader(n: N): boolean {
  const p = n.parent;
  if (p?.type !== 'Property' || p.value !== n || !/^host$/i.test(propName(p) ?? '')) return false;
  const obj = p.parent;
  if (obj?.type !== 'ObjectExpression') return false;
  const under = obj.parent;
  if (under?.type === 'Property' && under.value === obj && /^headers$/i.test(propName(under) ?? '')) return true;
  return obj.properties.some((q) => q !== p && q.type === 'Property' && HEADER_KEY.test(propName(q) ?? ''));
}

/**
 * A URL match pattern, not an address: `*://api-v2.soundcloud.com/*`, `https://*.soundcloud.com/*`
 * (WebExtension host permissions, `chrome.webRequest` / Electron `session.webRequest` filters,
 * userscript `@match`). A wildcard scheme or host, or a path ending in `*`, never names a request;
 * a value masked by three or more (`?client_id=***REMOVED***`, a history rewrite's redaction) is no wildcard.
 */
const MATCH_PATTERN = /^(?:\*|[a-z][a-z0-9+.-]*):\/\/(?:\*|\*\.[^/\s*]+|[^/\s*]+)\/[^\s]*$/i;
function matchPattern(text: string): boolean {
  if (!text.includes('*') || !MATCH_PATTERN.test(text)) return false;
  const host = text.slice(text.indexOf('://') + 3).split('/')[0]!;
  return text.startsWith('*') || host.startsWith('*') || (text.endsWith('*') && !text.endsWith('***'));
}

export function notARequest(n: N, text: string, file: { isTest: boolean; filename: string }, inRequest: boolean): boolean {
  if (matchPattern(text)) return true;
  if (file.isTest && inAssertionOrMock(n)) return true;
  if (FAKE_DATA_RE.test(file.filename) && !inRequest) return true;
  return inAllowList(n, text) || onlyCompared(n) || onlyLogged(n) || openedForPerson(n, text) || isWidgetArgument(n) || imageWithCredential(n, text) || cookieSite(n)
    || hostHeader(n) || (!inRequest && inRecordedAnswer(n));
}
