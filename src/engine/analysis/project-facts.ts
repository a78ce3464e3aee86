/**
 * Project-wide facts for project-level rules (require-token-refresh): does any file of the
 * project renew tokens (grant_type=refresh_token, a library's refresh call), or read expires_in? Text first (cheap), then
 * the AST of the few files that mention the words, so a comment or a doc string does not count.
 */
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { TSESTree } from '@typescript-eslint/typescript-estree';
import { languageOf } from '../parse.js';
import type { ProjectContext } from '../project.js';
import { traverseCollect } from './walk.js';
import { nameOf, propName } from './values.js';
import { namesOtherProvider } from './providers.js';
import { mentionsSoundCloud } from '../prefilter.js';

type N = TSESTree.Node;

const WORDS = /refresh_token|refreshToken|expires_in|expiresIn|expires_at|expiresAt|\.refresh\w*\s*\(|requestNewAccessToken|\.exp\b/;
/**
 * A call that renews a token through a library: `token.refresh()` (client-oauth2, simple-oauth2),
 * `auth.refreshAccessToken()`, `refresh.requestNewAccessToken('soundcloud', rt, cb)` (passport-oauth2-refresh).
 */
const RENEW_CALL = /^(refreshToken|refreshTokens|refreshAccessToken|requestNewAccessToken)$/;
/** `refresh()` renews only on a token (`token.refresh()`, `this.accessToken.refresh()`): a UI plugin's `this.refresh()` redraws. */
const TOKEN_OBJECT = /(^|\.)\w*token$/i;
/** The head of a file `sc-migrate fix` created (src/fix/safety.ts GENERATED_HEAD; the engine imports nothing of fix). */
const GENERATED = /^\uFEFF?\/\/ Created by sc-migrate\b/;
const SKIP_DIRS = new Set(['node_modules', '.git', 'dist', 'build', 'out', 'coverage', '.next', 'vendor', 'bower_components']);
const MAX_FILES = 20_000;

/** Files of the project: the scan's list when the CLI gave one, else a bounded walk of the root. */
export function projectFiles(project: ProjectContext): string[] {
  if (project.files) return project.files();
  const hit = project.cache.get('files') as string[] | undefined;
  if (hit) return hit;
  const out: string[] = [];
  const walk = (dir: string) => {
    let entries: import('node:fs').Dirent[];
    try { entries = readdirSync(dir, { withFileTypes: true }); } catch { return; }
    for (const e of entries) {
      if (out.length >= MAX_FILES) return;
      if (e.isDirectory()) { if (!SKIP_DIRS.has(e.name) && !e.name.startsWith('.')) walk(join(dir, e.name)); }
      else if (e.isFile() && languageOf(e.name) && !/\.min\.js$/.test(e.name)) out.push(join(dir, e.name));
    }
  };
  try { if (statSync(project.root).isDirectory()) walk(project.root); } catch { /* none */ }
  project.cache.set('files', out);
  return out;
}

/** Keys that hold a grant type. */
const GRANT_KEY = /^(grant_type|grantType|grant)$/;
/** Calls that only name where a token is kept or read: storage, cookies, headers, caches, maps. */
const STORE_CALL = /^(set|get|has|delete|remove|setItem|getItem|removeItem|cookie|cookies|setCookie|getCookie|clearCookie|hset|hget|hdel|hmset|del|expire|setex|header|setHeader|getHeader|append|includes|indexOf|startsWith|log|info|warn|error|debug)$/;
const isRefreshWord = (n: N): boolean => n.type === 'Literal' && n.value === 'refresh_token';

function renewCall(callee: TSESTree.MemberExpression): boolean {
  const m = propName(callee) ?? '';
  return RENEW_CALL.test(m) || (m === 'refresh' && TOKEN_OBJECT.test(nameOf(callee.object)));
}

/** The time now: `now`, `Date.now()`, `Date.now() / 1000`, `Math.floor(Date.now() / 1000)`, `new Date()`. */
function isNow(n: N, depth = 0): boolean {
  if (depth > 3) return false;
  if (n.type === 'Identifier') return /now/i.test(n.name);
  if (n.type === 'NewExpression') return nameOf(n.callee) === 'Date';
  if (n.type === 'CallExpression') return nameOf(n.callee) === 'Date.now' || n.arguments.some((a) => isNow(a as N, depth + 1));
  if (n.type === 'BinaryExpression') return isNow(n.left as N, depth + 1) || isNow(n.right, depth + 1);
  return false;
}

/** A JWT's `exp` claim: `decoded.exp`, `decoded.exp * 1000`. */
const isExpClaim = (n: N): boolean => n.type === 'MemberExpression' ? propName(n) === 'exp'
  : n.type === 'BinaryExpression' && n.operator === '*' && isExpClaim(n.left as N);

function astRenews(ast: TSESTree.Program): boolean {
  let found = false;
  traverseCollect(ast, (n: N) => {
    if (found) return;
    // the refresh grant: `grant_type=refresh_token` in a text, or the word 'refresh_token' where a
    // grant is written (a grant key's value, a grant constant, an argument of a call other than a
    // store's or a cookie's: `cookies.set('refresh_token', t)` only names where the token is kept)
    if (n.type === 'Literal' && typeof n.value === 'string' && /grant_type=refresh_token\b/.test(n.value) && n.value.length < 200) found = true;
    else if (n.type === 'Property' && GRANT_KEY.test(propName(n) ?? '') && isRefreshWord(n.value as N)) found = true;
    else if (n.type === 'AssignmentExpression' && n.left.type === 'MemberExpression' && GRANT_KEY.test(propName(n.left) ?? '') && isRefreshWord(n.right)) found = true;
    else if (n.type === 'VariableDeclarator' && n.id.type === 'Identifier' && /grant/i.test(n.id.name) && !!n.init && isRefreshWord(n.init)) found = true;
    else if ((n.type === 'CallExpression' || n.type === 'NewExpression') && n.arguments.some((a) => isRefreshWord(a as N))
      && (!STORE_CALL.test(n.callee.type === 'MemberExpression' ? propName(n.callee) ?? '' : nameOf(n.callee))
        || (n.arguments[0]?.type === 'Literal' && GRANT_KEY.test(String(n.arguments[0].value))))) found = true;
    else if (n.type === 'TemplateLiteral' && n.quasis.some((q) => /grant_type=refresh_token/.test(q.value.raw))) found = true;
    else if (n.type === 'MemberExpression' && /^(expires_in|expiresIn|expires_at|expiresAt)$/.test(propName(n) ?? '')) found = true;
    // the token's expiry read from its JWT claim: `jwt.decode(token).exp > Date.now() / 1000`
    else if (n.type === 'BinaryExpression' && /^[<>]=?$/.test(n.operator) && ((isExpClaim(n.left as N) && isNow(n.right)) || (isExpClaim(n.right) && isNow(n.left as N)))) found = true;
    // a destructured `{ expires_in }` (the walk sets no `parent`: the pattern looks at its properties)
    else if (n.type === 'ObjectPattern' && n.properties.some((p) => p.type === 'Property' && /^(expires_in|expiresIn)$/.test(propName(p) ?? ''))) found = true;
    // (reading the response's refresh_token is not renewing: an app that stores it and never sends
    // it back is logged out when the access token expires; a library call that renews is)
    else if (n.type === 'CallExpression' && n.callee.type === 'MemberExpression' && renewCall(n.callee)) found = true;
  });
  return found;
}

/** True when the project renews tokens or reads their expiry anywhere (not in a module of another service that never names SoundCloud). */
export function projectRenewsTokens(project: ProjectContext): boolean {
  const hit = project.cache.get('renews');
  if (typeof hit === 'boolean') return hit;
  let renews = false;
  for (const f of projectFiles(project)) {
    const text = project.readFile(f);
    // a module sc-migrate's fix wrote (its classic client caches the APP token until `expires_in`) says nothing of the app's own tokens
    if (!text || !WORDS.test(text) || GENERATED.test(text)) continue;
    // another service's module (Spotify's refresh, and no word of SoundCloud): it renews that service's tokens
    if (namesOtherProvider(text) && !mentionsSoundCloud(text)) continue;
    const mod = project.loadModule(f);
    if (mod && astRenews(mod.ast)) { renews = true; break; }
  }
  project.cache.set('renews', renews);
  return renews;
}
