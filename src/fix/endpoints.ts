/**
 * no-legacy-auth-endpoint, when the endpoint is written in parts: a base constant that holds only
 * the old host and a literal path after it (`${this.domain}/oauth2/token`, `API + '/connect?'`).
 * The rule's own edit only rewrites a literal that holds the whole URL; here the base and the
 * path are replaced together by the new endpoint (`https://secure.soundcloud.com/oauth/token`,
 * `https://secure.soundcloud.com/authorize`). The base constant itself is left alone (other
 * requests of the app still use it). A base that may hold anything else: marker.
 */
import type { TSESTree } from '@typescript-eslint/typescript-estree';
import { oauthConfigs } from '../engine/analysis/oauth-libs.js';
import { evalString, findProp, flatText } from '../engine/analysis/values.js';
import { lineStarts } from '../engine/parse.js';
import { traverseCollect } from '../engine/analysis/walk.js';
import type { Finding, TextEdit } from '../engine/types.js';
import type { Provider, ProviderContext } from './providers.js';
import { at, eolOf, factsOf, findingsOf, lineIndent, quoteOf, referencesTo } from './rewrites.js';

type N = TSESTree.Node;

/** A base that is only an old SoundCloud host (scheme optional, trailing slash allowed). */
const OLD_BASE_RE = /^(https?:)?\/\/(api\.|www\.)?soundcloud\.com\/?$/i;
/** `/connect` is the old authorize path on any SoundCloud host (`${SECURE}/connect` too, as the rule reports it). */
const CONNECT_BASE_RE = /^(https?:)?\/\/([a-z0-9-]+\.)*soundcloud\.com\/?$/i;
/** The legacy path right after the base. */
const PATH_RE = /^\/?(oauth2\/token|connect)(?![\w-])/;

const NEW_URL: Record<string, string> = {
  'oauth2/token': 'https://secure.soundcloud.com/oauth/token',
  connect: 'https://secure.soundcloud.com/authorize',
};

/** The base expression holds an old host, and nothing else, on every path. */
function isOldBase(n: N, facts: ReturnType<typeof factsOf>, path: string): boolean {
  const alts = evalString(n, facts.env);
  const re = path === 'connect' ? CONNECT_BASE_RE : OLD_BASE_RE;
  return alts.length > 0 && alts.every((a) => re.test(flatText(a)));
}

/** The edit for `${BASE}/path...` in a template literal, or `BASE + '/path...'`. */
function endpointEdit(text: string, node: N, facts: ReturnType<typeof factsOf>): TextEdit | undefined {
  if (node.type === 'TemplateLiteral') {
    for (let i = 0; i < node.expressions.length; i++) {
      const ex = node.expressions[i] as N;
      const next = node.quasis[i + 1];
      const cooked = next?.value.cooked ?? '';
      const m = PATH_RE.exec(cooked);
      if (!m || !isOldBase(ex, facts, m[1]!)) continue;
      // the quasi before the base must be empty: `${BASE}/connect...` starts the URL
      if ((node.quasis[i]?.value.cooked ?? '') !== '') continue;
      const open = text.lastIndexOf('${', ex.range[0]);
      const close = text.indexOf('}', ex.range[1]);
      if (open < 0 || close < 0 || text.slice(close + 1, close + 1 + m[0].length) !== m[0]) continue;
      // nothing else in the template: a plain string in the file's quotes (no `${URL}`-like leftover)
      if (node.expressions.length === 1 && cooked === m[0] && !/[\\'"]/.test(cooked)) {
        const q = quoteOf(text);
        return { range: node.range, text: `${q}${NEW_URL[m[1]!]!}${q}` };
      }
      return { range: [open, close + 1 + m[0].length], text: NEW_URL[m[1]!]! };
    }
    return undefined;
  }
  if (node.type === 'Literal' && typeof node.value === 'string') {
    const p = node.parent;
    if (p?.type !== 'BinaryExpression' || p.operator !== '+' || p.right !== node) return undefined;
    const m = PATH_RE.exec(node.value);
    if (!m || !isOldBase(p.left as N, facts, m[1]!)) return undefined;
    const raw = text.slice(node.range[0], node.range[1]);
    const q = raw[0] === '"' || raw[0] === "'" ? raw[0] : quoteOf(text);
    const rest = raw.slice(1 + m[0].length, -1);
    return { range: [p.left.range[0], node.range[1]], text: `${q}${NEW_URL[m[1]!]!}${rest}${q}` };
  }
  return undefined;
}

/**
 * The path kept in a local variable and joined to the base at the request:
 * `let url = '/oauth2/token'; ... post(config.base_url + url, data)`. The variable gets the new
 * endpoint and the join becomes the variable (`post(url, data)`). Only when the variable is
 * declared once with that literal, never assigned again, and its one use is `BASE + url`.
 */
function pathVariableEdits(text: string, node: N, facts: ReturnType<typeof factsOf>): TextEdit[] | undefined {
  if (node.type !== 'Literal' || typeof node.value !== 'string') return undefined;
  const d = node.parent;
  if (d?.type !== 'VariableDeclarator' || d.init !== node || d.id.type !== 'Identifier') return undefined;
  const m = PATH_RE.exec(node.value);
  if (!m) return undefined;
  const name = d.id.name;
  // the scope: the nearest function (or the program)
  let scope: N | undefined = d.parent as N | undefined;
  while (scope && scope.type !== 'Program' && scope.type !== 'FunctionDeclaration' && scope.type !== 'FunctionExpression' && scope.type !== 'ArrowFunctionExpression') scope = scope.parent as N | undefined;
  if (!scope) return undefined;
  const uses: TSESTree.Identifier[] = [];
  let other = false;
  traverseCollect(scope, (n) => {
    if (n.type !== 'Identifier' || n.name !== name || n === d.id) return;
    const p = n.parent;
    if (p?.type === 'MemberExpression' && p.property === n && !p.computed) return;
    if (p?.type === 'Property' && p.key === n && !p.shorthand && !p.computed) return;
    if (p?.type === 'BinaryExpression' && p.operator === '+' && p.right === n) uses.push(n);
    else other = true; // another declaration, an assignment, any other use
  });
  const use = uses[0];
  if (other || uses.length !== 1 || !use) return undefined;
  const join = use.parent as TSESTree.BinaryExpression;
  if (!isOldBase(join.left as N, facts, m[1]!)) return undefined;
  const raw = text.slice(node.range[0], node.range[1]);
  const q = raw[0] === '"' || raw[0] === "'" ? raw[0] : quoteOf(text);
  const rest = raw.slice(1 + m[0].length, -1);
  return [
    { range: node.range, text: `${q}${NEW_URL[m[1]!]!}${rest}${q}` },
    { range: join.range, text: name },
  ];
}

/** `props` added after the last property of an object literal, one per line when it is written over several lines. */
export function appendPropsEdit(text: string, obj: TSESTree.ObjectExpression, props: string[]): TextEdit {
  const last = obj.properties[obj.properties.length - 1];
  if (!last) return { range: obj.range, text: `{ ${props.join(', ')} }` };
  const comma = /^\s*,/.exec(text.slice(last.range[1], obj.range[1] - 1));
  const pos = comma ? last.range[1] + comma[0].length : last.range[1];
  if (last.loc.start.line === obj.loc.start.line) return { range: [pos, pos], text: `${comma ? ' ' : ', '}${props.join(', ')}${comma ? ',' : ''}` };
  const nl = `${eolOf(text)}${lineIndent(text, last.range[0])}`;
  return { range: [pos, pos], text: `${comma ? '' : ','}${props.map((p) => nl + p).join(',')}${comma ? ',' : ''}` };
}

/**
 * passport-soundcloud's strategy, which defaults to the old endpoints: its options object
 * (written in this file) gets the new `authorizationURL` / `tokenURL` it lacks.
 */
function passportEdits(ctx: ProviderContext, facts: ReturnType<typeof factsOf>, f: Finding): TextEdit[] | undefined {
  const c = oauthConfigs(facts).find((x) => x.lib === 'passport-soundcloud' && at(f, x.node));
  if (!c?.options || c.env.filename !== facts.env.filename) return undefined;
  const q = quoteOf(ctx.text);
  const props = [['authorizationURL', NEW_URL.connect!], ['tokenURL', NEW_URL['oauth2/token']!]]
    .filter(([k]) => !findProp(c.options!, k!)).map(([k, v]) => `${k}: ${q}${v}${q}`);
  return props.length ? [appendPropsEdit(ctx.text, c.options, props)] : undefined;
}

/** The provider of no-legacy-auth-endpoint (rules/no-legacy-auth-endpoint/fix.ts). */
export const legacyEndpointProvider: Provider = (ctx) => {
  const findings = findingsOf(ctx, 'no-legacy-auth-endpoint').filter((f) => !f.fix?.edits.length);
  if (!findings.length) return [];
  const facts = factsOf(ctx);
  const starts = lineStarts(ctx.text);
  const out: { ruleId: string; edits: TextEdit[] }[] = [];
  const done = new Set<string>();
  for (const f of findings) {
    const passport = passportEdits(ctx, facts, f);
    if (passport) { out.push({ ruleId: 'no-legacy-auth-endpoint', edits: passport }); continue; }
    const off = starts[f.line - 1]! + f.column - 1;
    // the string pieces covering the finding, innermost first
    const cands = facts.literals.filter((l) => l.node.range[0] <= off && off < l.node.range[1])
      .sort((a, b) => (a.node.range[1] - a.node.range[0]) - (b.node.range[1] - b.node.range[0]));
    let found = false;
    for (const c of cands) {
      const e = endpointEdit(ctx.text, c.node, facts);
      const es = e ? [e] : pathVariableEdits(ctx.text, c.node, facts);
      if (!es) continue;
      found = true;
      const key = `${es[0]!.range[0]}:${es[0]!.range[1]}`;
      if (!done.has(key)) { done.add(key); out.push({ ruleId: 'no-legacy-auth-endpoint', edits: es }); }
      break;
    }
    if (found || !cands[0]) continue;
    for (const e of baseUseEdits(ctx, cands[0].node, facts, f.messageId)) {
      const key = `${e.range[0]}:${e.range[1]}`;
      if (!done.has(key)) { done.add(key); out.push({ ruleId: 'no-legacy-auth-endpoint', edits: [e] }); }
    }
  }
  return out;
};

/**
 * The finding at the base constant itself (its trailing slash starts the legacy path:
 * `const BASE = 'https://api.soundcloud.com/'; redirect(`${BASE}connect?${q}`)`): each use of that
 * `const` in this file that joins it to the legacy path of the finding's kind gets the edit it would
 * get were the finding there. The constant stays (other requests use it).
 */
function baseUseEdits(ctx: ProviderContext, lit: N, facts: ReturnType<typeof factsOf>, kind: string): TextEdit[] {
  const d = lit.parent;
  if (d?.type !== 'VariableDeclarator' || d.init !== lit || d.id.type !== 'Identifier') return [];
  if (d.parent?.type !== 'VariableDeclaration' || d.parent.kind !== 'const') return [];
  const target = kind === 'token' ? NEW_URL['oauth2/token']! : NEW_URL.connect!;
  const out: TextEdit[] = [];
  for (const ref of referencesTo(d as TSESTree.VariableDeclarator & { id: TSESTree.Identifier }, ctx.parsed.ast as N)) {
    const p = ref.parent;
    const node = p?.type === 'TemplateLiteral' ? p : p?.type === 'BinaryExpression' && p.operator === '+' && p.left === ref ? p.right as N : undefined;
    const e = node && endpointEdit(ctx.text, node, facts);
    if (e && e.text.includes(target)) out.push(e);
  }
  return out;
}
