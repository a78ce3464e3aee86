import type { TSESTree } from '@typescript-eslint/typescript-estree';
import { createRule } from '../../src/engine/create-rule.js';
import { reporter } from '../../src/engine/analysis/report.js';
import { evalString, flatText, nameOf, propName, unwrap } from '../../src/engine/analysis/values.js';
import { scPackageImports } from '../../src/engine/analysis/requests.js';
import { namePath, providerOfName, providerOfPath, tableSiblingProvider } from '../../src/engine/analysis/providers.js';
import { classifyUrl } from '../../src/engine/analysis/hosts.js';
import { usedBySoundCloudImporter } from '../../src/engine/analysis/usage.js';
import { fileFacts, siteOf, isScParam, type FileFacts, type ParamSite } from '../../src/engine/analysis/facts.js';
import { runsInBrowser } from '../../src/engine/analysis/browser.js';
import type { Fixer } from '../../src/engine/types.js';
import { markupUrls, pageText } from '../../src/engine/analysis/markup.js';
import { locator } from '../../src/engine/lines.js';
import { grantPasswords } from '../../src/engine/analysis/grants.js';
import { resolveBinding } from '../../src/engine/analysis/scope.js';

const SECRET_NAME = /(client_?secret|(^|_)secret$|^secret|access_?token|oauth_?token|refresh_?token|(soundcloud|^sc)_?token)/i;
const CLIENT_SECRET_NAME = /client_?secret/i;
/** A client's credential setter given the literal (`client.setToken('...')`, `sc.saveOauthToken('...')`, `api.setClientSecret('...')`). */
const SETTER = /^(set|save|store|use)(O[Aa]uth|Access|Refresh|Client)?(Token|Secret)$/;
/** `appSecret`, `apiSecret`: a secret by name only where its path names SoundCloud (`soundcloud: { appSecret }`). */
const CAMEL_SECRET_NAME = /^(app|api|oauth|consumer)_?secret$/i;
/** The app's own signing secrets (`SESSION_SECRET`, `jwtSecret`, `COOKIE_SECRET`): never an OAuth credential. */
const APP_SECRET_NAME = /(session|cookie|jwt|csrf|xsrf|signing|encryption|hmac|webhook)_?secret|^secret_?or_?key$/i;
/** Middleware whose options' `secret` signs the app's own sessions or cookies (`express.session`, `cookieSession`, `koaSession`). */
const SESSION_CALLEE = /(^|\.)(\w*session|cookie\w*)$/i;
/** Option keys only a session or cookie configuration has beside its `secret`. */
const SESSION_OPTION = /^(resave|saveUninitialized|rolling|cookie|store|maxAge|httpOnly|sameSite|signed)$/;

/**
 * The object around a `secret` key is a session or cookie middleware's options (`app.use(express.session({
 * secret: '...' }))`, `{ secret, resave: false, cookie: {...} }`): the app's own signing key, not an
 * OAuth credential (asked only for a key named `secret`: a `clientSecret` beside a token `store` is one).
 */
function sessionOptionSecret(holder: TSESTree.Node): boolean {
  const prop = holder.parent;
  const obj = prop?.type === 'Property' ? prop.parent : undefined;
  if (obj?.type !== 'ObjectExpression') return false;
  if (obj.properties.some((q) => q !== prop && q.type === 'Property' && SESSION_OPTION.test(propName(q) ?? ''))) return true;
  const call = obj.parent;
  return (call?.type === 'CallExpression' || call?.type === 'NewExpression') && call.arguments.includes(obj) && SESSION_CALLEE.test(nameOf(call.callee));
}
/** A SoundCloud user OAuth token: `<n>-<n>-<n>-<key>` (`1-123456-98765432-AbCdEf012345`). */
const SC_TOKEN_SHAPE = /^\d-\d{3,12}-\d{3,12}-[A-Za-z0-9]{10,64}$/;
/** Names that may hold such a token (`oauthKey`, `SC_AUTH`, `accessKey`, `bearer`). */
const TOKEN_SHAPE_NAME = /token|oauth|auth|key|access|bearer/i;
const PLACEHOLDER = /your|xxx|<|>|example|placeholder|changeme|change_me|replace|dummy|fake|test|sample|secret_here|\*\*\*|\.\.\.|\{\{|\$\{/i;

/** A literal that looks like a real credential (not a placeholder, a name or an env var name). */
export function looksLikeCredential(v: string): boolean {
  if (v.length < 16 || v.length > 4096 || /\s/.test(v) || PLACEHOLDER.test(v)) return false;
  if (!/^[A-Za-z0-9._~+/=-]+$/.test(v)) return false;
  if (/^[A-Z0-9_]+$/.test(v) && v.includes('_')) return false; // an env var name
  const digits = /\d/.test(v);
  const letters = /[a-z]/i.test(v);
  return digits && letters;
}

function envName(name: string): string {
  if (/client_?secret|^secret|secret$/i.test(name) || CAMEL_SECRET_NAME.test(name)) return 'SOUNDCLOUD_CLIENT_SECRET';
  if (/refresh/i.test(name)) return 'SOUNDCLOUD_REFRESH_TOKEN';
  return 'SOUNDCLOUD_ACCESS_TOKEN';
}

export default createRule({
  id: 'no-hardcoded-credentials',
  gate: /secret|token|password|OAuth\s|Bearer\s|\d-\d{3,12}-\d{3,12}-/i,
  description: 'SoundCloud client secrets and tokens must not be written in code (and no client secret may reach a browser).',
  severity: 'error',
  fixKind: 'suggest',
  // a credential in browser code has no rewrite (no environment there): a server and a rotation, by a person
  fixKinds: { browser: 'manual', browserToken: 'manual' },
  messages: {
    literal: 'Hard-coded SoundCloud credential in {{name}}: move it to the environment ({{env}}) or a secret store, and rotate it.',
    browser: 'A client secret in code that runs in a browser is public: keep it on a server.',
    browserToken: 'Hard-coded SoundCloud credential in {{name}}, in code that runs in a browser: anyone can read it. Get tokens at run time (the user\'s login, or your server), and rotate this one.',
    useEnv: 'Read it from process.env.{{env}}',
  },
  create(context) {
    const report = reporter(context);
    return {
      'Program:exit'() {
        const facts = fileFacts(context);
        if (facts.isTest) return;
        const text = context.sourceCode.text;
        // The one per-file decision fix uses too: a browser page is never told to read process.env.
        // Decided on the first finding (most files have none, and it reads package.json files).
        let inBrowser: boolean | undefined;
        const browser = () => (inBrowser ??= runsInBrowser(context.filename, text, facts.project));
        const literal = () => (browser() ? 'browserToken' as const : 'literal' as const);
        for (const l of facts.literals) {
          // (every finding of this loop is a credential of 16 characters or more: looksLikeCredential)
          if (l.node.type !== 'Literal' || l.text.length < 16) continue;
          const lit = l.node as TSESTree.StringLiteral;
          // Through `process.env.X || 'literal'`, `cond ? 'a' : 'b'`, `'x' as string`
          let holder: TSESTree.Node = lit;
          while (holder.parent && (holder.parent.type === 'LogicalExpression' || holder.parent.type === 'ConditionalExpression' || holder.parent.type === 'TSAsExpression')) holder = holder.parent;
          const p = holder.parent;
          // 'OAuth <token>' / 'Bearer <token>' written out
          const header = /^(?:OAuth|Bearer)\s+(\S+)$/.exec(lit.value);
          if (header && facts.scContext && looksLikeCredential(header[1]!)) { report(lit, literal(), { name: 'an Authorization header', env: 'SOUNDCLOUD_ACCESS_TOKEN' }); continue; }
          // 'OAuth ' + '<token>': the token as its own literal after the scheme
          const pre = p?.type === 'BinaryExpression' && p.operator === '+' && p.right === holder ? p.left : undefined;
          if (pre?.type === 'Literal' && typeof pre.value === 'string' && /^(?:OAuth|Bearer)\s+$/.test(pre.value) && facts.scContext && looksLikeCredential(lit.value)) { report(lit, literal(), { name: 'an Authorization header', env: 'SOUNDCLOUD_ACCESS_TOKEN' }); continue; }
          let name: string | undefined;
          if (p?.type === 'VariableDeclarator' && p.init === holder && p.id.type === 'Identifier') name = p.id.name;
          else if (p?.type === 'Property' && p.value === holder) name = propName(p);
          else if (p?.type === 'AssignmentExpression' && p.right === holder) name = nameOf(p.left).split('.').pop();
          else if (p?.type === 'PropertyDefinition' && p.value === holder) name = propName(p);
          else if (p?.type === 'AssignmentPattern' && p.right === holder && p.left.type === 'Identifier') name = p.left.name;
          else if (p?.type === 'CallExpression' && p.arguments.length === 1 && p.arguments[0] === holder && SETTER.test(nameOf(p.callee).split('.').pop() ?? '')) name = nameOf(p.callee).split('.').pop();
          if (!name || APP_SECRET_NAME.test(name) || !looksLikeCredential(lit.value) || (/^secrets?$/i.test(name) && sessionOptionSecret(holder))) continue;
          const byPath = providerOfPath(namePath(holder));
          // (a user token's own shape under a key-like name: `SOUNDCLOUD_OAUTH_KEY = '2-292370-1696...-AbC...'`)
          if (!SECRET_NAME.test(name) && !SETTER.test(name) && !(CAMEL_SECRET_NAME.test(name) && byPath === 'sc')
            && !(SC_TOKEN_SHAPE.test(lit.value) && (TOKEN_SHAPE_NAME.test(name) || usedAsToken(holder, facts)))) continue;
          // Whose secret? Named for SoundCloud or another service on its path (`soundcloud.secret`,
          // `spotifyKeys.secretApi`), else by a SoundCloud sibling entry of its table (then it is not
          // SoundCloud's), else by its neighbours (a token URL beside it), else by use: a file about
          // SoundCloud only, or an importer about SoundCloud that reads it; another service's when
          // every use sends it to that service's API.
          const owner = byPath ?? tableSiblingProvider(holder) ?? holderProvider(holder, facts) ?? useProvider(holder, facts);
          if (owner === 'other') continue;
          const sc = owner === 'sc' || (facts.scContext && !(facts.otherProvider && !facts.directSc))
            || (!facts.directSc && exportedName(holder) !== undefined && usedBySoundCloudImporter(facts.project, facts.env.filename, exportedName(holder)!));
          if (!sc) continue;
          const env = envName(name);
          report(lit, browser() && CLIENT_SECRET_NAME.test(name) ? 'browser' : literal(), { name, env }, undefined, browser() ? [] : [{ messageId: 'useEnv', data: { env }, fix: (fixer: Fixer) => fixer.replaceText(lit, `process.env.${env}`) }]);
        }
        // A user's OAuth token handed to a SoundCloud client package by position
        // (`new Soundcloud(clientId, '1-23456-7890123-AbC...')` of soundcloud.ts): the token's own shape
        // (the literals of that shape first: the package imports are read only for a file with one)
        let packages: Map<string, string> | undefined;
        for (const l of facts.literals) {
          const a = l.node;
          const n = a.parent;
          if (a.type !== 'Literal' || typeof a.value !== 'string' || !SC_TOKEN_SHAPE.test(a.value)) continue;
          if ((n?.type !== 'NewExpression' && n?.type !== 'CallExpression') || !n.arguments.includes(a as TSESTree.CallExpressionArgument)) continue;
          const callee = unwrap(n.callee);
          const root = callee.type === 'MemberExpression' ? unwrap(callee.object) : callee;
          const pkg = root.type === 'Identifier' ? (packages ??= scPackageImports(facts.ast, true, facts.calls)).get(root.name) : undefined;
          if (!pkg) continue;
          const env = 'SOUNDCLOUD_ACCESS_TOKEN';
          report(a, literal(), { name: `the ${pkg} client's token argument`, env }, undefined, browser() ? [] : [{ messageId: 'useEnv', data: { env }, fix: (fixer: Fixer) => fixer.replaceText(a, `process.env.${env}`) }]);
        }
        // A token written into a SoundCloud URL of the page's markup (the embedded player's
        // `<iframe src="https://w.soundcloud.com/player/?url=...&oauth_token=1-234-567-abc">`).
        // (the parse keeps only the page's code: the markup is read from the page itself)
        const page = pageText(context);
        let at: ReturnType<typeof locator> | undefined;
        for (const u of page ? markupUrls(page, 'html', /(?:oauth|access)_token=/) : []) {
          if (!/^\s*(?:https?:)?\/\/(?:[\w-]+\.)*soundcloud\.com(?:[/?#]|$)/i.test(u.text)) continue;
          for (const m of u.text.matchAll(/[?&](oauth_token|access_token)=([^&#\s]+)/g)) {
            if (!looksLikeCredential(m[2]!)) continue;
            const start = u.start + m.index! + m[0].length - m[2]!.length;
            at ??= locator(page!);
            report({ range: [start, start + m[2]!.length], loc: { start: at(start), end: at(start + m[2]!.length) } }, 'browserToken', { name: m[1]!, env: 'SOUNDCLOUD_ACCESS_TOKEN' });
          }
        }
        // A user's password written out for a SoundCloud password grant (`password: 'hunter2!'`, or a
        // constant or page global holding it): a literal of any length that is no placeholder
        const passwords = new Set<TSESTree.Node>();
        for (const v of grantPasswords(facts, text)) {
          const lit = writtenLiteral(v, facts);
          if (!lit || passwords.has(lit) || lit.value.length < 6 || /\s/.test(lit.value) || PLACEHOLDER.test(lit.value) || /^[A-Z0-9_]+$/.test(lit.value)) continue;
          passwords.add(lit);
          const env = 'SOUNDCLOUD_PASSWORD';
          report(lit, literal(), { name: 'a password grant\'s password', env }, undefined, browser() ? [] : [{ messageId: 'useEnv', data: { env }, fix: (fixer: Fixer) => fixer.replaceText(lit, `process.env.${env}`) }]);
        }
        if (!facts.scContext) return;
        // `${id}:<secret>` for a Basic header
        for (const l of facts.literals) {
          if (l.node.type !== 'TemplateLiteral') continue;
          const m = /:([A-Za-z0-9._~+/=-]{16,})$/.exec(l.text);
          const call = l.node.parent;
          if (m && looksLikeCredential(m[1]!) && call?.type === 'CallExpression' && /^(Buffer\.from|btoa)$/.test(nameOf(call.callee))) report(l.node, browser() ? 'browser' : 'literal', { name: 'a Basic credential', env: 'SOUNDCLOUD_CLIENT_SECRET' });
        }
        // ?oauth_token=<literal>, client_secret=<literal>
        for (const p of facts.params) {
          if (!/^(oauth_token|access_token|client_secret|refresh_token)$/.test(p.name) || !p.value || !looksLikeCredential(p.value) || p.via !== 'text' || !isScParam(p, facts)) continue;
          if (!context.sourceCode.getText(p.report).includes(p.value)) continue; // written elsewhere (reported there)
          report(siteOf(p), browser() && p.name === 'client_secret' ? 'browser' : literal(), { name: p.name, env: envName(p.name) });
        }
      },
    };
  },
});

/**
 * The string literal a value is written as: itself, a constant's (`const PASSWORD = '...'`), or a
 * page or framework global's assigned once in the file (`PASSWORD_SC = '...'`).
 */
function writtenLiteral(v: TSESTree.Node, facts: FileFacts): TSESTree.StringLiteral | undefined {
  const x = unwrap(v);
  if (x.type === 'Literal') return typeof x.value === 'string' ? x as TSESTree.StringLiteral : undefined;
  if (x.type !== 'Identifier') return undefined;
  const b = resolveBinding(x);
  if (b) {
    if (b.kind !== 'var' || b.path.length || b.declarator.id.type !== 'Identifier' || !b.declarator.init) return undefined;
    return b.declarator.parent.type === 'VariableDeclaration' && b.declarator.parent.kind === 'const' ? writtenLiteral(b.declarator.init, facts) : undefined;
  }
  const sets = facts.assignments.filter((a) => a.left.type === 'Identifier' && a.left.name === x.name);
  return sets.length === 1 && sets[0]!.operator === '=' ? writtenLiteral(sets[0]!.right, facts) : undefined;
}

/**
 * The app's own address on a hosting service (`myapp.herokuapp.com/callback`, `*.netlify.app`,
 * `*.vercel.app`): a redirect URI or home page beside the secret, not that company's API.
 */
const APP_HOSTING = /\.(herokuapp\.com|netlify\.app|netlify\.com|vercel\.app|now\.sh|github\.io|firebaseapp\.com|web\.app|glitch\.me|onrender\.com|pages\.dev|workers\.dev|azurewebsites\.net)$/i;

/**
 * A key that selects the provider of a multi-provider config object (`{ service: 'github', id,
 * secret }` of a login kit, `{ provider: 'meetup', clientSecret }`): its value is the provider's name.
 */
const PROVIDER_KEY = /^(service|provider|provider_?id|platform|strategy|network)$/i;

/**
 * 'sc' / 'other' by the value's neighbours in its object literal: a provider selector
 * (`service: 'soundcloud'` or any other service's name), or URLs (a token URL, an API base).
 */
function holderProvider(value: TSESTree.Node, facts: FileFacts): 'sc' | 'other' | undefined {
  const prop = value.parent;
  const obj = prop?.type === 'Property' ? prop.parent : undefined;
  if (obj?.type !== 'ObjectExpression') return undefined;
  let other = false;
  for (const p of obj.properties) {
    if (p.type !== 'Property' || p === prop) continue;
    if (PROVIDER_KEY.test(propName(p) ?? '') && p.value.type === 'Literal' && typeof p.value.value === 'string' && /^[a-z0-9][\w.-]{1,40}$/i.test(p.value.value)) {
      return providerOfName(p.value.value) === 'sc' ? 'sc' : 'other';
    }
    for (const a of evalString(p.value as TSESTree.Node, facts.env)) {
      const u = classifyUrl(flatText(a));
      if (u.kind === 'sc') return 'sc';
      if (u.kind === 'foreign' && u.host && !APP_HOSTING.test(u.host) && providerOfName(u.host) === 'other') other = true;
    }
  }
  return other ? 'other' : undefined;
}

/**
 * 'other' when the value initialises a constant and every use of it is a parameter sent to a known
 * other service's API (`const clientSecret = '...'` of a multi-service downloader's VK module,
 * `url.searchParams.set('client_secret', clientSecret)` on `new URL('https://api.vk.ru/...')`):
 * that service's secret, whatever SoundCloud context the module inherits through its imports.
 */
function useProvider(value: TSESTree.Node, facts: FileFacts): 'other' | undefined {
  const uses = facts.usesOf(value);
  if (!uses.length || uses[0] === value) return undefined;
  for (const u of uses) {
    const site = facts.params.find((p) => sentValue(p) === u);
    const host = site?.url.kind === 'foreign' ? site.url.host : undefined;
    if (!host || APP_HOSTING.test(host) || providerOfName(host) !== 'other') return undefined;
  }
  return 'other';
}

/** The value node a parameter site sends: the value of `set(key, value)` or of `{ key: value }`. */
function sentValue(p: ParamSite): TSESTree.Node | undefined {
  const parent = p.report.parent;
  if (p.via === 'call' && parent?.type === 'CallExpression' && parent.arguments[0] === p.report) return parent.arguments[1] && unwrap(parent.arguments[1] as TSESTree.Node);
  if (p.via === 'object' && parent?.type === 'Property' && parent.key === p.report) return unwrap(parent.value as TSESTree.Node);
  return undefined;
}

/** The exported binding a value initialises (`export const X = v`, or `const X = v; export { X }`). */
function exportedName(value: TSESTree.Node): string | undefined {
  let top: TSESTree.Node = value;
  let key: string | undefined;
  while (top.parent && top.parent.type !== 'VariableDeclarator' && top.parent.type !== 'Program' && !top.parent.type.includes('Function')) {
    // (`module.exports = { auth: { client_secret: '...' } }`: the importer reads it by its top key, `config.auth`)
    if (top.type === 'Property' && top.parent.type === 'ObjectExpression') key = propName(top);
    const p = top.parent;
    if (top.type === 'ObjectExpression' && ((p.type === 'AssignmentExpression' && p.right === top && /^(module\.)?exports$/.test(nameOf(p.left))) || p.type === 'ExportDefaultDeclaration')) return key;
    top = p;
  }
  const d = top.parent;
  return d?.type === 'VariableDeclarator' && d.id.type === 'Identifier' ? d.id.name : undefined;
}

/**
 * A value (a variable's initialiser) that the file uses as a token: under a token key
 * (`qs: { oauth_token: aT }`), handed to a token setter or token function (`sc.setToken(aT)`), or
 * after an Authorization scheme (`'OAuth ' + aT`).
 */
function usedAsToken(value: TSESTree.Node, facts: FileFacts): boolean {
  return facts.usesOf(value).some((u) => {
    const p = u.parent;
    if (p?.type === 'Property' && p.value === u) return /token|oauth/i.test(propName(p) ?? '');
    if (p?.type === 'CallExpression' && p.arguments.includes(u as TSESTree.CallExpressionArgument)) return /token/i.test(nameOf(p.callee).split('.').pop() ?? '');
    return p?.type === 'BinaryExpression' && p.operator === '+' && p.right === u && p.left.type === 'Literal' && /^(?:OAuth|Bearer)\s+$/.test(String(p.left.value));
  });
}
