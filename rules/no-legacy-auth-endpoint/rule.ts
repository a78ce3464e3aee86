import { createRule } from '../../src/engine/create-rule.js';
import { fileFacts } from '../../src/engine/analysis/facts.js';
import { LEGACY_AUTH_RE } from '../../src/engine/analysis/hosts.js';
import { reporter } from '../../src/engine/analysis/report.js';
import { oauthConfigs } from '../../src/engine/analysis/oauth-libs.js';
import { bindArgs, evalString, findProp, flatText, localOwnersOf, plainText, propName, resolveFunction } from '../../src/engine/analysis/values.js';
import { chainCalls, chainScHost } from '../../src/engine/analysis/chains.js';
import type { FileFacts } from '../../src/engine/analysis/facts.js';
import type { TSESTree } from '@typescript-eslint/typescript-estree';
import { urlObjects } from '../../src/engine/analysis/url-objects.js';
import { tableEntryProvider } from '../../src/engine/analysis/providers.js';
import { requestUrl } from '../../src/engine/analysis/requests.js';
import type { Fixer } from '../../src/engine/types.js';
import { startOf, endOf } from '../../src/engine/offsets.js';

// The rewrite replaces the whole host + path: the match starts at a host boundary and takes
// every subdomain, so `https://secure.soundcloud.com/connect` becomes `.../authorize`, never
// `https://secure.secure.soundcloud.com/authorize`.
const TOKEN_RE = /(?<![\w.-])(https?:)?(\/\/)?(?:(?:api|www)\.)?soundcloud\.com\/oauth2\/token(?![\w-])/gi;
const CONNECT_RE = /(?<![\w.-])(https?:)?(\/\/)?(?:[a-z0-9-]+\.)*soundcloud\.com\/connect\b/gi;

/** Calls of a fluent config chain that set an endpoint's path (`.authPath('/connect')`, `.accessTokenPath(...)`). */
const PATH_CALL = /^(auth|authorize|authorization|accessToken|token)(Path|Url|URL|Uri|Endpoint)$/;

/**
 * Endpoints set by a fluent configuration chain of a login library's provider module:
 * `.oauthHost('https://api.soundcloud.com').authPath('/connect').accessTokenPath('/oauth2/token')`.
 * The path argument is reported when host + path is a legacy endpoint.
 */
function chainEndpoints(facts: FileFacts): { node: TSESTree.Node; text: string }[] {
  const out: { node: TSESTree.Node; text: string }[] = [];
  for (const c of facts.calls) {
    if (c.callee.type !== 'MemberExpression' || !PATH_CALL.test(propName(c.callee) ?? '') || !c.arguments[0]) continue;
    const path = evalString(c.arguments[0] as TSESTree.Node, facts.env).map(flatText).find((t) => t.startsWith('/'));
    if (!path) continue;
    const base = chainScHost(chainCalls(c), facts.env);
    if (base) out.push({ node: c.arguments[0] as TSESTree.Node, text: base + path });
  }
  return out;
}

/**
 * The object literal an axios `post(url, { grant_type, ... })` to this URL literal sends as JSON
 * (axios serialises a plain object so; a form needs `URLSearchParams`). Only in JavaScript files and
 * for objects of plain properties: in TypeScript, `URLSearchParams` takes string values only.
 */
function jsonTokenBody(url: TSESTree.Node, facts: FileFacts, filename: string): TSESTree.ObjectExpression | undefined {
  if (/\.[cm]?tsx?$/i.test(filename)) return undefined;
  const call = url.parent;
  if (call?.type !== 'CallExpression' || call.arguments[0] !== url || call.callee.type !== 'MemberExpression' || propName(call.callee) !== 'post') return undefined;
  const r = facts.requests.find((x) => x.call === call);
  const body = call.arguments[1];
  if (r?.lib !== 'axios' || body?.type !== 'ObjectExpression' || !body.properties.length) return undefined;
  const plain = body.properties.every((p) => p.type === 'Property' && !p.computed && p.kind === 'init');
  return plain && body.properties.some((p) => p.type === 'Property' && propName(p) === 'grant_type') ? body : undefined;
}

/** The offset of a LEGACY_AUTH_RE match's path, past its slash (the path's first letter: where its piece is written). */
const pathStart = (m: RegExpExecArray) => m.index + m[0].search(/\/(oauth2|connect)/) + 1;

/** A legacy endpoint path written alone, as an argument: `'oauth2/token'`, `` `/connect` ``. */
const LEGACY_PATH_ARG = /^\/?(?:oauth2\/token|connect)(?:[/?#]|$)/;

/**
 * Legacy endpoint paths handed to a request helper of the file: the helper's requests evaluated with
 * the call's arguments, where their URL (the helper's base + the path) is a legacy endpoint; at the argument.
 */
function helperEndpoints(facts: FileFacts): ReturnType<typeof localOwnersOf> {
  const out: ReturnType<typeof localOwnersOf> = [];
  for (const c of facts.calls) {
    if (!c.arguments.some((a) => LEGACY_PATH_ARG.test(plainText(a as TSESTree.Node) ?? ''))) continue;
    const f = resolveFunction(c.callee as TSESTree.Node, facts.env);
    if (!f || f.env.filename !== facts.env.filename) continue;
    const inner = bindArgs(f.fn, c.arguments as TSESTree.Node[], facts.env, f.env);
    for (const r of facts.requests) {
      if (!r.urlNode || startOf(r.call) < startOf(f.fn) || endOf(r.call) > endOf(f.fn)) continue;
      out.push(...localOwnersOf(requestUrl(r, inner), LEGACY_AUTH_RE, facts.env.filename, pathStart)
        .filter((o) => (c.arguments as TSESTree.Node[]).includes(o.owner as TSESTree.Node)));
    }
  }
  return out;
}

/**
 * An API client generated from SoundCloud's OpenAPI description (openapi-generator's
 * typescript-axios / typescript-fetch): its operations write the path alone (`const localVarPath =
 * `/oauth2/token``, `path: `/connect``) and join it to the module's `BASE_PATH`, imported from its
 * `base` module (`export const BASE_PATH = "https://api.soundcloud.com"`). The path literals where
 * that base is a SoundCloud API host.
 */
function generatedClientPaths(facts: FileFacts): TSESTree.Node[] {
  const base = facts.identifiers.find((x) => x.name === 'BASE_PATH' && x.parent?.type !== 'ImportSpecifier' && x.parent?.type !== 'VariableDeclarator');
  if (!base || !evalString(base, facts.env).some((a) => /^https?:\/\/api\.soundcloud\.com\/?$/i.test(flatText(a)))) return [];
  const out: TSESTree.Node[] = [];
  for (const l of facts.literals) {
    if (!LEGACY_PATH_ARG.test(l.text) || !l.text.startsWith('/')) continue;
    const p = l.node.parent;
    const named = p?.type === 'VariableDeclarator' && p.init === l.node && p.id.type === 'Identifier' && /^localVarPath$/.test(p.id.name);
    const keyed = p?.type === 'Property' && p.value === l.node && propName(p) === 'path';
    if (named || keyed) out.push(l.node as TSESTree.Node);
  }
  return out;
}

export default createRule({
  id: 'no-legacy-auth-endpoint',
  gate: /oauth|connect|passport|authoriz|token/i,
  description: 'The token and authorize endpoints moved to secure.soundcloud.com.',
  severity: 'error',
  fixKind: 'auto',
  messages: {
    token: 'Legacy token endpoint api.soundcloud.com/oauth2/token: use https://secure.soundcloud.com/oauth/token.',
    connect: 'Legacy authorize endpoint soundcloud.com/connect: use https://secure.soundcloud.com/authorize.',
  },
  create(context) {
    const report = reporter(context);
    return {
      'Program:exit'() {
        const facts = fileFacts(context);
        const src = context.sourceCode.text;
        const fix = (node: { range: [number, number] }) => (fixer: Fixer) => {
          const raw = src.slice(startOf(node), endOf(node));
          const fixed = raw
            .replace(TOKEN_RE, (_m, s?: string, sl?: string) => `${s ? 'https:' : ''}${sl ?? ''}secure.soundcloud.com/oauth/token`)
            .replace(CONNECT_RE, (_m, s?: string, sl?: string) => `${s ? 'https:' : ''}${sl ?? ''}secure.soundcloud.com/authorize`);
          if (fixed === raw) return null;
          const edit = fixer.replaceTextRange([startOf(node), endOf(node)], fixed);
          const body = /oauth2\/token/i.test(raw) ? jsonTokenBody(node as TSESTree.Node, facts, context.filename) : undefined;
          // the new endpoint reads a form: `axios.post(url, { grant_type, ... })` sends JSON, so its object becomes `new URLSearchParams({...})`
          return body ? [edit, fixer.insertTextBeforeRange([startOf(body), endOf(body)], 'new URLSearchParams('), fixer.replaceTextRange([endOf(body) - 1, endOf(body)], '})')] : edit;
        };
        const kind = (t: string) => (/oauth2\/token/i.test(t) ? 'token' : 'connect');
        for (const l of facts.literals) {
          const m = LEGACY_AUTH_RE.exec(l.text);
          if (!m || facts.notSent(l.node, l.text)) continue;
          report(l.node, kind(m[0]), undefined, fix(l.node));
        }
        // The path piece of an endpoint written in parts: `${API}/oauth2/token`, and through
        // request options: got('oauth2/token', { prefixUrl }), https.request({ host, path }).
        // At the path's first letter: a base with a trailing slash (`${BASE}connect?...`,
        // BASE = 'https://api.soundcloud.com/') is reported where the path is written, once per use.
        for (const s of facts.allStrings) {
          for (const { owner, match } of localOwnersOf(s.alts, LEGACY_AUTH_RE, facts.env.filename, pathStart)) { if (!s.sent()) break; report(owner, kind(match[0])); }
        }
        // OAuth libraries configured for SoundCloud: endpoints as options (also host + path).
        for (const c of oauthConfigs(facts)) {
          if (!c.sc) continue;
          // passport-soundcloud defaults to the old endpoints: reported at its constructor unless
          // its options name both (their values are checked below like any other library's)
          if (c.lib === 'passport-soundcloud' && !(c.options && findProp(c.options, 'authorizationURL') && findProp(c.options, 'tokenURL'))) { report(c.node, 'connect'); continue; }
          for (const u of [c.authorize, c.token]) {
            const m = u && LEGACY_AUTH_RE.exec(u.text.replace(/^\/\//, 'https://'));
            if (!u || !m) continue;
            // where the legacy path is written (a path constant or a settings object's property),
            // else at the option itself
            const at = localOwnersOf(u.alts, LEGACY_AUTH_RE, facts.env.filename, pathStart)[0]?.owner;
            if (at) report(at, kind(m[0]));
            else if (u.env.filename === facts.env.filename) report(u.value, kind(m[0]));
          }
        }
        // URL objects kept for later (url.format, or request options sent by a helper):
        // `{ host: 'api.soundcloud.com', path: '/oauth2/token' }`, `{ host, pathname: '/connect' }`
        // (one look at the whole text for both: it ran twice per file)
        const legacyPath = /oauth2\/token|\/connect\b/.test(src);
        if (legacyPath) {
          for (const u of urlObjects(facts, src)) {
            const m = u.urls.map((x) => LEGACY_AUTH_RE.exec(x)).find((x) => x);
            if (m) report(u.path, kind(m[0]));
          }
        }
        // fluent config chains of login libraries: host and path set by separate calls
        if (legacyPath) {
          for (const e of chainEndpoints(facts)) { const m = LEGACY_AUTH_RE.exec(e.text); if (m) report(e.node, kind(m[0])); }
        }
        for (const r of facts.requests) {
          const alts = requestUrl(r, facts.env);
          for (const { owner, match } of localOwnersOf(alts, LEGACY_AUTH_RE, facts.env.filename, pathStart)) report(owner, kind(match[0]));
        }
        // the path handed to the app's own request helper, which joins it to the API's base:
        // `this.request('oauth2/token', form, 'POST')` with `fetch(new URL(`${BASE_URL}/${endpoint}`), ...)` in `request`
        if (legacyPath) for (const { owner, match } of helperEndpoints(facts)) report(owner, kind(match[0]));
        if (legacyPath && src.includes('BASE_PATH')) for (const n of generatedClientPaths(facts)) report(n, kind(src.slice(startOf(n), endOf(n))));
        // the old token path alone in a per-service table, under SoundCloud's key (`tokenPath.soundcloud =
        // '/oauth2/token'`, `{ soundcloud: '/oauth2/token' }`), joined to the service's host elsewhere
        if (legacyPath) {
          for (const l of facts.literals) {
            // (the token path only: `'/connect'` under a service's key is as often the app's own route)
            if (!/^\/?oauth2\/token$/.test(l.text)) continue;
            const p = l.node.parent;
            const key = p?.type === 'AssignmentExpression' && p.right === l.node && p.left.type === 'MemberExpression' ? propName(p.left) : undefined;
            if ((key && /soundcloud/i.test(key)) || tableEntryProvider(l.node as TSESTree.Node) === 'sc') report(l.node, 'token');
          }
        }
      },
    };
  },
});
