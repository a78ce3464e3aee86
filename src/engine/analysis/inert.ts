/**
 * Not a request (issue 10, item 5): places where a SoundCloud URL or parameter is written but
 * nothing is sent with it. Content-Security-Policy / helmet / CORS allow-lists, URLs only compared
 * or matched, strings of assertions and mocks in tests, fake responses under `__mocks__` or
 * fixture folders, and soundcloud.com pages opened for a person (`window.open`, `location.href =`,
 * `shell.openExternal`, `<a href>`). Comments and docs never reach the rules (not code).
 */
import type { TSESTree } from '@typescript-eslint/typescript-estree';
import { classifyUrl, isAuthorizePath } from './hosts.js';
import { nameOf, propName, unwrap } from './values.js';
import { resolveBinding } from './scope.js';

type N = TSESTree.Node;

const TEST_ASSERT_RE = /^(expect|assert|nock|sinon|jest\.|vi\.|t\.(is|deepEqual|equal|true|regex)|should)|\.(toBe|toEqual|toStrictEqual|toContain|toMatch|toHaveBeenCalledWith|toHaveBeenLastCalledWith|toHaveBeenNthCalledWith|mockResolvedValue|mockResolvedValueOnce|mockReturnValue|mockReturnValueOnce|mockImplementation|onGet|onPost|onPut|onDelete|onAny|reply|replyOnce|intercept|equal|deepEqual|strictEqual|match|include)$/;

/** Inside an assertion or a mock set-up (tests): a string there sends nothing. */
export function inAssertionOrMock(n: N): boolean {
  for (let p: N | undefined = n.parent; p; p = p.parent) {
    if (p.type === 'CallExpression' && TEST_ASSERT_RE.test(nameOf(p.callee))) return true;
    if (p.type.includes('Function')) break;
  }
  return false;
}

/** Files of fake data: mocks, and fixtures of tests (responses recorded or written for tests). */
export const FAKE_DATA_RE = /(^|[/\\])(__mocks__|__fixtures__)[/\\]|(^|[/\\])(tests?|__tests__|spec)[/\\](.*[/\\])?(fixtures?|mocks?)[/\\]/i;

const CSP_KEY = /^(contentSecurityPolicy|csp|directives|(default|connect|script|img|media|frame|child|style|font|worker|manifest|object|prefetch|form-action|frame-ancestors)[-_]?src|(default|connect|script|img|media|frame|child|style|font|worker)Src|origin|origins|allowedOrigins|allowOrigins|allowedHosts|corsOrigins|whitelist|allowlist|allowList|trustedOrigins|remotePatterns|domains)$/i;
const CSP_CALL = /(^|\.)(helmet|cors|csp|contentSecurityPolicy|expressCspHeader)$/;
const CSP_TEXT = /^\s*(default|connect|script|img|media|frame|child|style|font|worker)-src\b/i;

/** In a CSP / CORS allow-list (a value under such a key, an argument of helmet/cors, a CSP header text). */
function inAllowList(n: N, text: string): boolean {
  if (CSP_TEXT.test(text)) return true;
  for (let p: N | undefined = n.parent; p; p = p.parent) {
    if (p.type === 'Property' && CSP_KEY.test(propName(p) ?? '')) return true;
    if (p.type === 'CallExpression') {
      const cn = nameOf(p.callee);
      if (CSP_CALL.test(cn)) return true;
      if (/\.(setHeader|header|set|append)$/.test(cn) && p.arguments[0]?.type === 'Literal' && /^(content-security-policy|access-control-allow-origin)$/i.test(String(p.arguments[0].value))) return true;
      if (!/^(\[\]|Array)\.?/.test(cn)) break;
    }
    if (p.type.includes('Function') || p.type.includes('Statement')) break;
  }
  return false;
}

const COMPARE_CALL = /\.(startsWith|endsWith|includes|indexOf|lastIndexOf|match|test|search|localeCompare)$/;

/** Only compared or matched: `url === '...'`, `u.startsWith('...')`, `re.test(...)`. */
function onlyCompared(n: N): boolean {
  let x: N = n;
  while (x.parent && (x.parent.type === 'TSAsExpression' || (x.parent.type === 'BinaryExpression' && x.parent.operator === '+'))) x = x.parent;
  const p = x.parent;
  if (!p) return false;
  if (p.type === 'BinaryExpression' && /^(===|!==|==|!=)$/.test(p.operator)) return true;
  if (p.type === 'CallExpression' && p.arguments.includes(x as TSESTree.CallExpressionArgument) && COMPARE_CALL.test(nameOf(p.callee))) return true;
  if (p.type === 'SwitchCase' && p.test === x) return true;
  return false;
}

const OPEN_CALL = /^(window\.open|open|shell\.openExternal|electron\.shell\.openExternal|Linking\.openURL|WebBrowser\.openBrowserAsync|(window\.|document\.)?location\.(assign|replace)|chrome\.tabs\.create|browser\.tabs\.create)$/;
const PAGE_HOST = /^(www\.|m\.|on\.)?soundcloud\.com$/i;

/** A soundcloud.com page (not the authorize endpoint) opened or linked for a person. */
function openedForPerson(n: N, text: string): boolean {
  const u = classifyUrl(text);
  if (u.kind !== 'sc' || !u.host || !PAGE_HOST.test(u.host) || isAuthorizePath(u.path) || /^\/?(oauth2?|connect)\b/i.test(u.path)) return false;
  let x: N = n;
  while (x.parent && (x.parent.type === 'BinaryExpression' || x.parent.type === 'TemplateLiteral' || x.parent.type === 'TSAsExpression')) x = x.parent;
  const p = x.parent;
  if (!p) return false;
  if (p.type === 'CallExpression' && OPEN_CALL.test(nameOf(p.callee))) return true;
  if (p.type === 'AssignmentExpression' && /(^|\.)location(\.href)?$/.test(nameOf(p.left))) return true;
  if (p.type === 'JSXExpressionContainer' || p.type === 'JSXAttribute') {
    const attr = p.type === 'JSXAttribute' ? p : p.parent;
    return attr?.type === 'JSXAttribute' && attr.name.type === 'JSXIdentifier' && /^(href|to)$/.test(attr.name.name);
  }
  if (p.type === 'Property' && /^(href|url|link|permalink_url|permalinkUrl)$/.test(propName(p) ?? '') && p.parent?.type === 'ObjectExpression') return false;
  return false;
}

const WIDGET_FACTORY = /^(window\.)?SC\.Widget$/;

/**
 * A call of SoundCloud's embedded player API: `SC.Widget(iframe).load(url)` (also through a
 * variable holding the widget) and `SC.oEmbed(url)`. The URL there names a track for the
 * player, which resolves it itself: this code sends nothing to the API with it.
 */
export function isWidgetCall(call: TSESTree.CallExpression): boolean {
  const callee = unwrap(call.callee);
  if (/^(window\.)?SC\.oEmbed$/.test(nameOf(callee))) return true;
  if (callee.type !== 'MemberExpression' || propName(callee) !== 'load') return false;
  let obj = unwrap(callee.object);
  if (obj.type === 'Identifier') {
    const b = resolveBinding(obj);
    const init = b?.kind === 'var' ? b.declarator.init : undefined;
    if (!init) return false;
    obj = unwrap(init);
  }
  return obj.type === 'CallExpression' && WIDGET_FACTORY.test(nameOf(obj.callee));
}

/** The first argument of a widget call (see isWidgetCall), also built with `+` or a template. */
export function isWidgetArgument(n: N): boolean {
  let x: N = n;
  while (x.parent && (x.parent.type === 'BinaryExpression' || x.parent.type === 'TemplateLiteral' || x.parent.type === 'TSAsExpression')) x = x.parent;
  const p = x.parent;
  return p?.type === 'CallExpression' && p.arguments[0] === x && isWidgetCall(p);
}

/**
 * Nothing is sent with this string: an allow-list entry, a comparison, a page for a person, an
 * assertion or mock in a test, or fake data. `inRequest` says whether it is an argument of a request.
 */
export function notARequest(n: N, text: string, file: { isTest: boolean; filename: string }, inRequest: boolean): boolean {
  if (file.isTest && inAssertionOrMock(n)) return true;
  if (FAKE_DATA_RE.test(file.filename) && !inRequest) return true;
  return inAllowList(n, text) || onlyCompared(n) || openedForPerson(n, text) || isWidgetArgument(n);
}
