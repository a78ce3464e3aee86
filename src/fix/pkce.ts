/**
 * require-pkce (and the state SoundCloud wants with it) for the Express login idiom, when both
 * halves are in the same file and the app has a session (express-session / cookie-session, or
 * `req.session` already in use):
 *
 *   app.get('/login', (req, res) => res.redirect(`${AUTHORIZE}?client_id=..&response_type=code`));
 *   app.get('/callback', async (req, res) => { ... post({ grant_type: 'authorization_code', code, ... }) });
 *
 * The login handler makes a PKCE pair with the runtime's `createPkcePair()` and a state, keeps
 * both in the user's session and sends `code_challenge`, `code_challenge_method=S256` and `state`;
 * the callback checks the state and sends `code_verifier`. Per-user state lives in the session,
 * never in a shared object. Any other shape keeps its marker (authorizeUrl + exchangeCode recipe).
 */
import type { TSESTree } from '@typescript-eslint/typescript-estree';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { propName, unwrap } from '../engine/analysis/values.js';
import { projectRootOf } from '../engine/project.js';
import type { TextEdit } from '../engine/types.js';
import type { Provider, ProviderContext } from './providers.js';
import { at, atSite, enclosingFunction, eolOf, factsOf, findingsOf, insertProp, isBrowserCode, isFn, lineIndent, lineStart, moduleStyle, quoteOf, stringRoot } from './rewrites.js';

type N = TSESTree.Node;

const idName = (n: N | undefined) => (n?.type === 'Identifier' ? n.name : undefined);

/** The statement (directly in a block or the program) holding a node. */
function statementOf(n: N): N | undefined {
  for (let x: N | undefined = n; x?.parent; x = x.parent) {
    if (x.parent.type === 'BlockStatement' || x.parent.type === 'Program') return x;
    if (isFn(x.parent)) return undefined;
  }
  return undefined;
}

function hasSession(ctx: ProviderContext, names: string[]): boolean {
  if (names.some((r) => new RegExp(`\\b${r}\\.session\\b`).test(ctx.text))) return true;
  if (/['"](express-session|cookie-session)['"]/.test(ctx.text)) return true;
  const pkg = join(ctx.project?.root ?? projectRootOf(ctx.filename), 'package.json');
  try {
    if (!existsSync(pkg)) return false;
    const j = JSON.parse(readFileSync(pkg, 'utf8')) as { dependencies?: Record<string, string> };
    return !!j.dependencies && ('express-session' in j.dependencies || 'cookie-session' in j.dependencies);
  } catch { return false; }
}


function pkceGroup(ctx: ProviderContext): { ruleId: string; edits: TextEdit[] }[] {
  if (isBrowserCode(ctx)) return [];
  const auth = findingsOf(ctx, 'require-pkce', 'authorize');
  const exch = findingsOf(ctx, 'require-pkce', 'exchange');
  if (auth.length !== 1 || exch.length !== 1) return [];
  const facts = factsOf(ctx);
  const q = quoteOf(ctx.text);
  const eol = eolOf(ctx.text);

  // --- the login handler: res.redirect(<authorize URL>)
  const ap = facts.params.find((p) => p.name === 'response_type' && atSite(auth[0]!, p));
  if (!ap || ap.via !== 'text') return [];
  const url = stringRoot(ap.report);
  const login = enclosingFunction(url);
  if (!isFn(login)) return [];
  const [reqName, resName] = [idName(login.params[0]), idName(login.params[1])];
  if (!reqName || !resName) return [];
  const redirect = url.parent;
  if (redirect?.type !== 'CallExpression' || redirect.arguments[0] !== url || redirect.callee.type !== 'MemberExpression' || propName(redirect.callee) !== 'redirect' || idName(unwrap(redirect.callee.object)) !== resName) return [];
  const urlText = ctx.text.slice(url.range[0], url.range[1]);
  if (/[?&](state|code_challenge)=/.test(urlText)) return [];
  const loginStmt = statementOf(redirect);

  // --- the callback: the authorization_code grant object, in an async (req, res) handler
  const ep = facts.params.find((p) => p.name === 'grant_type' && atSite(exch[0]!, p));
  if (!ep || ep.via !== 'object' || !ep.holder) return [];
  const callback = enclosingFunction(ep.holder);
  if (!isFn(callback) || !callback.async) return [];
  const [req2, res2] = [idName(callback.params[0]), idName(callback.params[1])];
  const exchStmt = statementOf(ep.holder);
  if (!req2 || !res2 || !exchStmt || enclosingFunction(exchStmt) !== callback) return [];
  if (!hasSession(ctx, [reqName, req2])) return [];

  const edits: TextEdit[] = [];
  const esm = moduleStyle(ctx) !== 'cjs';
  // login: async, a PKCE pair and a state kept in the session, then the URL carries them
  if (!login.async) {
    // a method's function starts at its parameters: `async` would land in the wrong place
    if (login.parent?.type === 'MethodDefinition' || login.parent?.type === 'Property' && (login.parent.method || login.parent.kind !== 'init')) return [];
    edits.push({ range: [login.range[0], login.range[0]], text: 'async ' });
  }
  const setup = [
    ...(esm ? [] : [`const { createPkcePair } = await import(${q}sc-migrate/runtime${q});`]),
    'const scPkce = await createPkcePair();',
    'const scState = crypto.randomUUID();',
    `${reqName}.session.scPkce = { codeVerifier: scPkce.codeVerifier, state: scState };`,
  ];
  const extra = '&code_challenge=${scPkce.codeChallenge}&code_challenge_method=S256&state=${scState}';
  if (loginStmt) {
    const ind = lineIndent(ctx.text, loginStmt.range[0]);
    const ls = lineStart(ctx.text, loginStmt.range[0]);
    if (/\S/.test(ctx.text.slice(ls, loginStmt.range[0]))) return [];
    edits.push({ range: [ls, ls], text: setup.map((l) => `${ind}${l}${eol}`).join('') });
  } else if (login.type === 'ArrowFunctionExpression' && login.body === redirect) {
    // (req, res) => res.redirect(url): the body becomes a block
    const ind = lineIndent(ctx.text, login.range[0]);
    edits.push({ range: [redirect.range[0], redirect.range[0]], text: `{${eol}${setup.map((l) => `${ind}  ${l}${eol}`).join('')}${ind}  return ` });
    edits.push({ range: [redirect.range[1], redirect.range[1]], text: `;${eol}${ind}}` });
  } else return [];
  if (url.type === 'TemplateLiteral') edits.push({ range: [url.range[1] - 1, url.range[1] - 1], text: extra });
  else edits.push({ range: [url.range[1], url.range[1]], text: ` + \`${extra}\`` });

  // callback: the state must be the session's, and the verifier goes with the code
  const ind2 = lineIndent(ctx.text, exchStmt.range[0]);
  const ls2 = lineStart(ctx.text, exchStmt.range[0]);
  if (/\S/.test(ctx.text.slice(ls2, exchStmt.range[0]))) return [];
  edits.push({ range: [ls2, ls2], text: `${ind2}if (!${req2}.session.scPkce || ${req2}.query.state !== ${req2}.session.scPkce.state) return ${res2}.status(400).send(${q}OAuth state mismatch${q});${eol}` });
  edits.push(insertProp(ctx.text, ep.holder, `code_verifier: ${req2}.session.scPkce.codeVerifier`));
  if (esm) {
    const imports = facts.ast.body.filter((s) => s.type === 'ImportDeclaration');
    const last = imports[imports.length - 1];
    const line = `import { createPkcePair } from ${q}sc-migrate/runtime${q};`;
    if (!/\bcreatePkcePair\b/.test(ctx.text)) edits.push(last ? { range: [last.range[1], last.range[1]], text: `${eol}${line}` } : { range: [0, 0], text: `${line}${eol}` });
  }
  return [{ ruleId: 'require-pkce', edits }];
}

export const pkceProvider: Provider = pkceGroup;
