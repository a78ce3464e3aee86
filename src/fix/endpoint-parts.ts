/**
 * no-legacy-auth-endpoint, the endpoint written as the parts of a URL or request options object:
 *
 *   this.code = { protocol: 'https', host: 'soundcloud.com', pathname: '/connect', query: {...} };  // url.format
 *   this.token = { method: 'POST', host: 'api.soundcloud.com', path: '/oauth2/token', headers };   // https.request
 *
 * The host and the path literals of that one object become `secure.soundcloud.com` and
 * `/authorize` or `/oauth/token` (what follows the path, `?x=y`, is kept); a host named by a
 * constant (`{ host: API_HOST, path: '/oauth2/token' }`) gets the new host literal in this object
 * only. Only when both are strings of the same object, the host is the old one (`/connect` on any SoundCloud
 * host, `/oauth2/token` on api.soundcloud.com), and nothing in the object says plain HTTP or a
 * port (secure.soundcloud.com answers https on 443 only); else the marker.
 */
import type { TSESTree } from '@typescript-eslint/typescript-estree';
import { evalString, flatText, propName, type Env } from '../engine/analysis/values.js';
import { chainCalls } from '../engine/analysis/chains.js';
import type { TextEdit } from '../engine/types.js';
import type { Provider } from './providers.js';
import { at, factsOf, findingsOf } from './rewrites.js';
import { traverseCollect } from '../engine/walk.js';

type N = TSESTree.Node;

const PATH = /^\/?(oauth2\/token|connect)(?![\w-])/;
const OLD_HOST: Record<string, RegExp> = {
  'oauth2/token': /^(www\.)?api\.soundcloud\.com$/i,
  connect: /^([a-z0-9-]+\.)*soundcloud\.com$/i,
};
const NEW_PATH: Record<string, string> = { 'oauth2/token': '/oauth/token', connect: '/authorize' };

const stringProp = (o: TSESTree.ObjectExpression, names: string[]) => (o.properties as N[]).filter((p): p is TSESTree.Property & { value: TSESTree.StringLiteral } =>
  p.type === 'Property' && names.includes(propName(p) ?? '') && p.value.type === 'Literal' && typeof p.value.value === 'string');

/**
 * The host of a URL-parts object: a `host` / `hostname` string literal, or a name bound to one
 * (`const hostApi = 'api.soundcloud.com'`, shared with the API requests: only this object's value
 * changes); `uri` too when it holds a bare host name (a hand-written `https.request` wrapper's
 * `{ uri: hostApi, path: '/oauth2/token' }`), never a URL.
 */
function hostProps(o: TSESTree.ObjectExpression, env: Env): { value: N; host: string }[] {
  const out: { value: N; host: string }[] = [];
  for (const p of o.properties as N[]) {
    if (p.type !== 'Property' || !['host', 'hostname', 'uri'].includes(propName(p) ?? '')) continue;
    const v = p.value as N;
    const texts = v.type === 'Literal' || v.type === 'Identifier' ? evalString(v, env).map(flatText) : [];
    if (texts.length !== 1 || (propName(p) === 'uri' && !/^[a-z0-9.-]+$/i.test(texts[0]!))) continue;
    out.push({ value: v, host: texts[0]! });
  }
  return out;
}

export const endpointPartsProvider: Provider = (ctx) => {
  const out: { ruleId: string; edits: TextEdit[] }[] = [];
  const findings = findingsOf(ctx, 'no-legacy-auth-endpoint');
  if (!findings.length) return out;
  const env = () => factsOf(ctx).env;
  traverseCollect(ctx.parsed.ast as never, (o: N) => {
    if (o.type !== 'ObjectExpression') return;
    const paths = stringProp(o, ['path', 'pathname']);
    const hosts = hostProps(o, env());
    if (paths.length !== 1 || hosts.length !== 1 || !findings.some((f) => at(f, paths[0]!.value))) return;
    const path = paths[0]!.value;
    const m = PATH.exec(path.value);
    if (!m || !OLD_HOST[m[1]!]!.test(hosts[0]!.host)) return;
    // plain HTTP or another port: the new host would not answer there
    const plain = (o.properties as N[]).some((p) => p.type === 'Property' && (propName(p) === 'port' || propName(p) === 'protocol' && !(p.value.type === 'Literal' && /^https:?$/.test(String(p.value.value)))));
    if (plain || (o.properties as N[]).some((p) => p.type === 'SpreadElement')) return;
    const host = hosts[0]!.value;
    const pq = ctx.text[path.range[0]]!;
    const q = host.type === 'Literal' ? ctx.text[host.range[0]]! : pq;
    const rest = path.value.slice(m[0].length);
    if (/[\\'"`]/.test(rest)) return;
    out.push({ ruleId: 'no-legacy-auth-endpoint', edits: [
      { range: host.range, text: `${q}secure.soundcloud.com${q}` },
      { range: path.range, text: `${pq}${NEW_PATH[m[1]!]}${rest}${pq}` },
    ] });
  });
  return out;
};

/**
 * The endpoint configured through an OAuth module's builder chain (everyauth's oauth2 modules):
 *
 *   .apiHost('https://api.soundcloud.com').oauthHost('https://api.soundcloud.com')
 *   .authPath('/connect').accessTokenPath('/oauth2/token')
 *
 * `oauthHost` serves `authPath` and `accessTokenPath` only (the API goes through `apiHost`), so
 * when both paths in the chain are the legacy ones, the host becomes `https://secure.soundcloud.com`
 * and the paths `/authorize` and `/oauth/token`. A chain with one legacy path only, another host
 * call, or values that are not string literals keeps its markers.
 */
const CHAIN_HOST = 'oauthHost';
const CHAIN_PATHS: Record<string, string> = { authPath: 'connect', accessTokenPath: 'oauth2/token' };

export const endpointChainProvider: Provider = (ctx) => {
  const out: { ruleId: string; edits: TextEdit[] }[] = [];
  const findings = findingsOf(ctx, 'no-legacy-auth-endpoint');
  if (!findings.length) return out;
  traverseCollect(ctx.parsed.ast as never, (c: N) => {
    // the outermost call of a chain (engine/analysis/chains.ts chainCalls collects the others)
    if (c.type !== 'CallExpression' || (c.parent?.type === 'MemberExpression' && c.parent.object === c)) return;
    const calls = chainCalls(c).reverse().map((x) => ({ name: propName(x.callee as TSESTree.MemberExpression) ?? '', arg: x.arguments[0] as N | undefined, argc: x.arguments.length }));
    const hosts = calls.filter((k) => k.name === CHAIN_HOST);
    const paths = calls.filter((k) => k.name in CHAIN_PATHS);
    if (hosts.length !== 1 || paths.length !== 2 || new Set(paths.map((k) => k.name)).size !== 2) return;
    const lit = (n: N | undefined): n is TSESTree.StringLiteral => n?.type === 'Literal' && typeof n.value === 'string';
    const host = hosts[0]!.arg;
    if (hosts[0]!.argc !== 1 || !lit(host) || !/^https:\/\/api\.soundcloud\.com\/?$/i.test(host.value)) return;
    const edits: TextEdit[] = [{ range: host.range, text: `${ctx.text[host.range[0]]}https://secure.soundcloud.com${ctx.text[host.range[0]]}` }];
    for (const k of paths) {
      const a = k.arg;
      const m = lit(a) ? PATH.exec(a.value) : undefined;
      if (k.argc !== 1 || !a || !m || m[1] !== CHAIN_PATHS[k.name] || m[0].length !== (a as TSESTree.StringLiteral).value.length || !findings.some((f) => at(f, a))) return;
      const q = ctx.text[a.range[0]]!;
      edits.push({ range: a.range, text: `${q}${NEW_PATH[m[1]!]}${q}` });
    }
    out.push({ ruleId: 'no-legacy-auth-endpoint', edits });
  });
  return out;
};
