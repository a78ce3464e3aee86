import type { TSESTree } from '@typescript-eslint/typescript-estree';
import { createRule } from '../../src/engine/create-rule.js';
import { fileFacts, siteOf, isAuthorizeUrl, isScParam, isTokenUrl } from '../../src/engine/analysis/facts.js';
import { inCode } from '../../src/engine/analysis/context.js';
import { reporter } from '../../src/engine/analysis/report.js';
import { oauthConfigs } from '../../src/engine/analysis/oauth-libs.js';
import { grantAssignments, grantProperties } from '../../src/engine/analysis/grants.js';
import { resolveBinding } from '../../src/engine/analysis/scope.js';
import { evalString, findProp, flatText, importedFrom, nameOf, propName, resolveObject, unwrap } from '../../src/engine/analysis/values.js';
import { urlObjects } from '../../src/engine/analysis/url-objects.js';
import { classifyUrl } from '../../src/engine/analysis/hosts.js';
import type { Node } from '../../src/engine/types.js';
import { chainCalls, chainScHost } from '../../src/engine/analysis/chains.js';
import { startOf, endOf } from '../../src/engine/offsets.js';
import { traverseCollect } from '../../src/engine/walk.js';

/**
 * Functions of SoundCloud client libraries that run the code flow, and where PKCE goes:
 * soundcloud-api-ts: getAuthorizationUrl(clientId, redirectUri, { codeChallenge }),
 * getUserToken(clientId, clientSecret, redirectUri, code, codeVerifier).
 */
const SDK_FLOW: Record<string, Record<string, { kind: 'authorize' | 'exchange'; arg: number; key?: string }>> = {
  'soundcloud-api-ts': {
    getAuthorizationUrl: { kind: 'authorize', arg: 2, key: 'codeChallenge' },
    getUserToken: { kind: 'exchange', arg: 4 },
  },
};

function sdkFlowCall(call: TSESTree.CallExpression) {
  const callee = unwrap(call.callee);
  if (callee.type !== 'Identifier') return undefined;
  const b = resolveBinding(callee);
  if (b?.kind !== 'import') return undefined;
  return SDK_FLOW[importedFrom(b.node)]?.[b.imported];
}

/** A passport strategy's own authenticate(): a class method or a prototype assignment. */
const OWN_AUTHENTICATE = /^\s*authenticate\s*\([^)]*\)\s*\{|\.prototype\.authenticate\s*=/m;
const PKCE_WORDS = /code_challenge|codeChallenge|code_verifier|codeVerifier|pkce/i;
const CHALLENGE = /code_challenge|codeChallenge/;
/**
 * A challenge the function writes (a key, a literal, a variable, `x.code_challenge = ...`) or keeps
 * (`this.codeChallenge`), not one it only reads off another party's object (`body.code_challenge`:
 * an OAuth bridge storing its own client's challenge while it sends SoundCloud none).
 */
const CHALLENGE_WRITTEN = /(?<!\.\s*)\b(?:code_challenge|codeChallenge)\b|\b(?:this|self|that)\.\s*(?:code_challenge|codeChallenge)\b|\.\s*(?:code_challenge|codeChallenge)\s*=(?!=)/;
const VERIFIER = /code_verifier|codeVerifier/;

/** Does code (not a comment: a TODO, a marker of fix that names PKCE) say `re`? */
const saysInCode = (re: RegExp, text: string) => inCode(text, (t) => re.test(t));

/** The function (or file) around a node, as text: PKCE values are often added conditionally nearby. */
function enclosingText(node: TSESTree.Node, text: string): string {
  const fn = enclosingFunctionOf(node);
  return fn ? text.slice(startOf(fn), endOf(fn)) : text;
}

function enclosingFunctionOf(node: TSESTree.Node): TSESTree.Node | undefined {
  for (let p = node.parent; p; p = p.parent) {
    if (p.type === 'FunctionDeclaration' || p.type === 'FunctionExpression' || p.type === 'ArrowFunctionExpression' || p.type === 'MethodDefinition') return p;
  }
  return undefined;
}

const CHALLENGE_NAME = /^(?:code_challenge|codeChallenge)$/;
/** The incoming request a handler reads: `req.body`, `request.query`, `ctx.request.body`, `url.searchParams`, `body`. */
const INCOMING = /(?:^|\.)(?:body|query|params|searchParams)$|^(?:req|request)$/;

/** The incoming request's body or query: `req.body`, `ctx.request.query`, `await request.json()`, `await req.formData()`. */
function incomingObject(x: Node): boolean {
  if (INCOMING.test(nameOf(x))) return true;
  return x.type === 'CallExpression' && x.callee.type === 'MemberExpression' && /^(json|formData)$/.test(propName(x.callee) ?? '') && INCOMING_REQUEST.test(nameOf(x.callee.object as Node));
}

/** The challenge read off the incoming request: `req.body.code_challenge`, `url.searchParams.get('code_challenge')`. */
function incomingChallenge(x: Node): boolean {
  if (x.type === 'MemberExpression') return CHALLENGE_NAME.test(propName(x) ?? '') && incomingObject(x.object as Node);
  if (x.type !== 'CallExpression' || x.callee.type !== 'MemberExpression' || propName(x.callee) !== 'get') return false;
  const a = x.arguments[0];
  return a?.type === 'Literal' && CHALLENGE_NAME.test(String(a.value)) && /(?:^|\.)(?:searchParams|query|body|params|form|formData)$/.test(nameOf(x.callee.object as Node));
}

const INCOMING_REQUEST = /^(?:req|request|ctx\.request|c\.req|event\.request)$/;

/**
 * The text of the function around an authorize URL without the challenge it only takes off the
 * incoming request (an OAuth bridge keeps its own client's challenge while it sends SoundCloud
 * none): the declarations `const { code_challenge } = req.body`, `const codeChallenge =
 * req.body.code_challenge` and every use of the variables they declare are blanked.
 */
function withoutIncomingChallenge(node: TSESTree.Node, text: string): string {
  const fn = enclosingFunctionOf(node);
  if (!fn) return text;
  const [from, to] = [startOf(fn), endOf(fn)];
  const declarators: TSESTree.VariableDeclarator[] = [];
  traverseCollect(fn as Node, (n) => { if (n.type === 'VariableDeclarator') declarators.push(n as unknown as TSESTree.VariableDeclarator); });
  const blank: [number, number][] = [];
  const incoming = new Set<TSESTree.VariableDeclarator>();
  for (const d of declarators) {
    let init = d.init && unwrap(d.init as Node);
    if (init?.type === 'AwaitExpression') init = unwrap(init.argument as Node);
    if (!init) continue;
    const fromRequest = d.id.type === 'ObjectPattern'
      ? incomingObject(init) && d.id.properties.some((p) => p.type === 'Property' && CHALLENGE_NAME.test(propName(p) ?? ''))
      : d.id.type === 'Identifier' && incomingChallenge(init);
    if (fromRequest) { incoming.add(d); blank.push([startOf(d), endOf(d)]); }
  }
  if (!incoming.size) return text.slice(from, to);
  const isIncoming = (x: TSESTree.Node): boolean => {
    if (x.type !== 'Identifier') return false;
    const b = resolveBinding(x);
    return b?.kind === 'var' && incoming.has(b.declarator);
  };
  traverseCollect(fn as Node, (n) => {
    const x = n as unknown as TSESTree.Node;
    // its uses, and the keys that store it: `save({ code_challenge: codeChallenge })`
    if (x.type === 'Identifier' && CHALLENGE_NAME.test(x.name) && isIncoming(x)) blank.push([startOf(x), endOf(x)]);
    else if (x.type === 'Property' && CHALLENGE_NAME.test(propName(x) ?? '') && isIncoming(unwrap(x.value as Node) as TSESTree.Node)) blank.push([startOf(x), endOf(x)]);
  });
  let out = '';
  let at = from;
  for (const [s, e] of blank.sort((a, b) => a[0] - b[0] || b[1] - a[1])) {
    if (s < at) continue;
    out += text.slice(at, s) + ' '.repeat(e - s);
    at = e;
  }
  return out + text.slice(at, to);
}

/** Parameter calls of a fluent config chain: `.authQueryParam('response_type', 'code')`, `.accessTokenParam('grant_type', ...)`. */
const PARAM_CALL = /^(auth|authorize|authorization|accessToken|token)(Query)?Params?$/;

/**
 * A login library's provider module for SoundCloud set up by a fluent chain that asks for the code
 * flow (`.authQueryParam('response_type', 'code')`, `.accessTokenParam('grant_type',
 * 'authorization_code')`) and no call of the chain names PKCE.
 */
function chainFlows(calls: readonly TSESTree.CallExpression[], facts: ReturnType<typeof fileFacts>, text: string): { node: TSESTree.Node; kind: 'authorize' | 'exchange' }[] {
  const out: { node: TSESTree.Node; kind: 'authorize' | 'exchange' }[] = [];
  for (const c of calls) {
    if (c.callee.type !== 'MemberExpression' || !PARAM_CALL.test(propName(c.callee) ?? '') || c.arguments.length < 2) continue;
    const [k, v] = c.arguments.slice(0, 2).map((a) => evalString(a as Node, facts.env).map(flatText)[0]);
    const kind = k === 'response_type' && v === 'code' ? 'authorize' : k === 'grant_type' && v === 'authorization_code' ? 'exchange' : undefined;
    if (!kind) continue;
    const chain = chainCalls(c);
    if (!chainScHost(chain, facts.env)) continue;
    const head = chain[0]!;
    if (saysInCode(kind === 'authorize' ? CHALLENGE : VERIFIER, text.slice(startOf(head), endOf(chain[chain.length - 1]!)))) continue;
    out.push({ node: c.arguments[1] as TSESTree.Node, kind });
  }
  return out;
}

export default createRule({
  id: 'require-pkce',
  gate: /authoriz|response_?type|grant|oauth|passport|pkce|token|connect/i,
  description: 'The authorization code flow requires PKCE: code_challenge (S256) on authorize, code_verifier on the exchange.',
  severity: 'error',
  fixKind: 'manual',
  messages: {
    authorize: 'Authorize URL with response_type=code but no code_challenge: SoundCloud requires PKCE (code_challenge + code_challenge_method=S256 + state).',
    exchange: 'Code exchange (grant_type=authorization_code) without code_verifier: SoundCloud requires PKCE.',
  },
  create(context) {
    const report = reporter(context);
    return {
      'Program:exit'() {
        const facts = fileFacts(context);
        const text = context.sourceCode.text;
        // where an authorize URL's own text was reported (a library option holding it is not reported again)
        const authorizeSites: number[] = [];
        for (const p of facts.params) {
          if (!isScParam(p, facts)) continue;
          if (p.name === 'response_type' && p.value === 'code' && p.where !== 'body') {
            if (!isAuthorizeUrl(p.url) && !p.siblings.has('redirect_uri') && !p.siblings.has('client_id')) continue;
            if (p.siblings.has('code_challenge') || saysInCode(CHALLENGE_WRITTEN, withoutIncomingChallenge(p.report, text))) continue;
            const site = siteOf(p);
            authorizeSites.push((site as { range?: [number, number] }).range?.[0] ?? startOf(site as Node));
            report(site, 'authorize');
          }
          if (p.name === 'grant_type' && p.value === 'authorization_code') {
            if (p.siblings.has('code_verifier') || saysInCode(VERIFIER, enclosingText(p.report, text))) continue;
            report(siteOf(p), 'exchange');
          }
          // A code exchange that leaves grant_type out: `code` in the body sent to the token endpoint
          if (p.name === 'code' && p.where === 'body' && isTokenUrl(p.url) && !p.siblings.has('grant_type')) {
            if (p.siblings.has('code_verifier') || saysInCode(VERIFIER, enclosingText(p.report, text))) continue;
            report(siteOf(p), 'exchange');
          }
        }
        // A code-exchange body built where no request model sees it sent (an app's own XHR helper).
        if (facts.scContext) {
          const covered = new Set<unknown>(facts.params.map((p) => p.report));
          for (const g of grantProperties(facts, 'grant_type', /^authorization_code$/)) {
            if (covered.has(g.key)) continue;
            const obj = g.prop.parent;
            if (obj?.type === 'ObjectExpression' && obj.properties.some((p) => p.type === 'Property' && /^(code_verifier|codeVerifier)$/.test(propName(p) ?? ''))) continue;
            if (saysInCode(VERIFIER, enclosingText(g.prop, text))) continue;
            report(g.key, 'exchange');
          }
          // filled field by field (`query.grant_type = 'authorization_code'`) for a library to send
          for (const g of grantAssignments(facts, 'grant_type', /^authorization_code$/)) {
            if (covered.has(g.key) || covered.has(g.assignment.right)) continue;
            if (saysInCode(VERIFIER, enclosingText(g.assignment, text))) continue;
            report(g.key, 'exchange');
          }
        }
        // An authorize URL object (`{ host: 'soundcloud.com', pathname: '/connect', query: {
        // response_type: 'code', ... } }` for url.format) without a code_challenge in its query
        if (/response_type/.test(text)) {
          for (const u of urlObjects(facts, text)) {
            if (!u.urls.some((x) => { const c = classifyUrl(x); return c.kind === 'sc' && isAuthorizeUrl(c); })) continue;
            const q = findProp(u.obj, 'query') ?? assignedQuery(u.obj, facts);
            const qo = q && resolveObject(q, facts.env);
            if (qo?.kind !== 'object' || findProp(qo.node, 'code_challenge')) continue;
            const rt = qo.node.properties.find((p) => p.type === 'Property' && propName(p) === 'response_type');
            if (rt?.type !== 'Property' || !evalString(rt.value as Node, qo.env).some((a) => flatText(a) === 'code')) continue;
            if (!saysInCode(CHALLENGE, enclosingText(u.obj, text))) report(rt.value, 'authorize');
          }
        }
        // OAuth libraries configured for SoundCloud's code flow without PKCE (hello.js / grant
        // tables and node-oauth are left to the endpoint rules: their flow is chosen elsewhere,
        // by the params given to getAuthorizeUrl / getOAuthAccessToken).
        // (the file's text without comments, asked only for a configuration that leaves PKCE open)
        let pkceInFile: boolean | undefined;
        for (const c of oauthConfigs(facts)) {
          // (options written in another file are reported there, but for passport-soundcloud's, reported at the strategy here)
          if (!c.sc || c.lib === 'table' || c.lib === 'node-oauth' || c.clientCredentials || c.options && c.env.filename !== facts.env.filename && c.lib !== 'passport-soundcloud') continue;
          if (c.pkce === true || (c.pkce === undefined && (pkceInFile ??= saysInCode(PKCE_WORDS, text)))) continue;
          if (c.lib !== 'passport-soundcloud' && !c.authorize) continue;
          // (`authorizationUrl: '.../authorize?response_type=code'`: its text was reported above, one finding)
          const v = c.authorize?.value;
          if (v && authorizeSites.some((at) => at >= startOf(v) && at < endOf(v))) continue;
          report(c.lib === 'passport-soundcloud' || !c.authorize ? c.node : c.authorize.key, 'authorize');
        }
        // A passport strategy of SoundCloud written on passport-oauth2 (`options.authorizationURL =
        // options.authorizationURL || 'https://soundcloud.com/connect'; OAuth2Strategy.call(this, options, verify)`):
        // its default authorize endpoint starts a code flow without PKCE unless the options turn it on.
        // A strategy that overrides authenticate() without handing over to OAuth2Strategy's reads a
        // token from the request (passport-soundcloud-token): no code flow runs.
        if (/\bOAuth2Strategy\b/.test(text) && !(OWN_AUTHENTICATE.test(text) && !/super\.authenticate\(|OAuth2Strategy\.prototype\.authenticate\.(?:call|apply)\(/.test(text))) {
          for (const a of facts.assignments) {
            if (a.operator !== '=' || a.left.type !== 'MemberExpression' || propName(a.left) !== 'authorizationURL') continue;
            if (!evalString(a.right as Node, facts.env).some((x) => { const c = classifyUrl(flatText(x)); return c.kind === 'sc' && isAuthorizeUrl(c); })) continue;
            if (!(pkceInFile ??= saysInCode(PKCE_WORDS, text))) report(a, 'authorize');
          }
        }
        if (/response_type|grant_type/.test(text)) for (const f of chainFlows(facts.calls, facts, text)) report(f.node, f.kind);
        if (facts.isTest) return; // library calls in tests exercise the library, not a login
        for (const c of facts.calls) {
          const flow = sdkFlowCall(c);
          if (!flow) continue;
          const a = c.arguments[flow.arg] as Node | undefined;
          let ok = !!a && a.type !== 'SpreadElement';
          if (ok && flow.key) {
            const o = resolveObject(a!, facts.env);
            ok = o?.kind !== 'object' || !!findProp(o.node, flow.key) || o.node.properties.some((p) => p.type === 'SpreadElement');
          }
          if (!ok) report(c, flow.kind);
        }
        // client.auth.getAuthorizationUrl({ ... }) of soundcloud-api-ts' SoundCloudClient
        for (const c of facts.calls) {
          const callee = unwrap(c.callee);
          if (callee.type !== 'MemberExpression' || propName(callee) !== 'getAuthorizationUrl' || !/\.auth$/.test(context.sourceCode.getText(callee.object))) continue;
          const o = c.arguments[0] ? resolveObject(c.arguments[0] as Node, facts.env) : undefined;
          if (!c.arguments[0] || (o?.kind === 'object' && !findProp(o.node, 'codeChallenge'))) report(c, 'authorize');
        }
      },
    };
  },
});

/**
 * The query written onto a URL object after it is made: `code.query = {...}` on its variable, or
 * `this.code.query = {...}` in a constructor whose prototype holds the object (authom's providers).
 */
function assignedQuery(obj: Node, facts: ReturnType<typeof fileFacts>): Node | undefined {
  for (const a of facts.assignments) {
    if (a.operator !== '=' || a.left.type !== 'MemberExpression' || propName(a.left) !== 'query') continue;
    const o = resolveObject(a.left.object as Node, facts.env);
    if (o?.kind === 'object' && o.node === obj) return a.right as Node;
  }
  return undefined;
}
