import type { TSESTree } from '@typescript-eslint/typescript-estree';
import { createRule } from '../../src/engine/create-rule.js';
import { fileFacts, type FileFacts } from '../../src/engine/analysis/facts.js';
import { INSECURE_SC_RE, isScHost } from '../../src/engine/analysis/hosts.js';
import { reporter } from '../../src/engine/analysis/report.js';
import { evalString, findProp, flatText, localOwnersOf, propName } from '../../src/engine/analysis/values.js';
import { pageGlobal, pagePeerPrograms } from '../../src/engine/analysis/page-globals.js';
import { traverse } from '../../src/engine/walk.js';
import { isWidgetArgument, onlyCompared } from '../../src/engine/analysis/inert.js';
import type { Node, ParserExtras } from '../../src/engine/types.js';
import { callerOptions } from '../../src/engine/analysis/requests.js';
import { startOf, endOf } from '../../src/engine/offsets.js';

const INSECURE_ALL = new RegExp(INSECURE_SC_RE.source, 'gi');
/** The scheme of a literal that ends in a bare SoundCloud host, the head of a URL built in pieces (`'http://soundcloud.com/'`). */
const PIECE_SC_RE = /^(['"`])http:\/\/(?=(?:[\w-]+\.)*soundcloud\.com\/?\1$)/i;
/**
 * The first plain-http SoundCloud URL of a text that is requested, not the track named by the
 * `url=` parameter of another URL (`w.soundcloud.com/player/?url=http://api.soundcloud.com/tracks/1`,
 * `/resolve?url=`): the player or the API resolves that one itself.
 */
function insecureMatch(text: string): RegExpExecArray | undefined {
  INSECURE_ALL.lastIndex = 0;
  for (let m; (m = INSECURE_ALL.exec(text));) if (!notRequested(text, m.index)) return m;
  return undefined;
}

/** The path of a picture (`http://connect.soundcloud.com/2/btn-connect-l.png`, the old Connect button): the browser loads it as an image, no API or sign-in request. */
const IMAGE_PATH_RE = /^http:\/\/[^\s?#'"`\uFFFC]*\.(?:png|gif|jpe?g|svg|ico|webp)(?=[?#'"`\s]|$)/i;
/** A match at `at` that nothing requests as written: the `url=` parameter of another URL (the player or /resolve reads it), or a picture. */
const notRequested = (text: string, at: number): boolean => /[?&](url|uri)=$/i.test(text.slice(0, at)) || IMAGE_PATH_RE.test(text.slice(at));

/**
 * `const next = 'http://api.soundcloud.com/tracks/1'` read only by widget calls (`widget.load(next)`,
 * also after the variable is given another URL: `next = queue.shift().uri`), or only searched for
 * (`uri.startsWith(OLD_API) ? uri.replace(OLD_API, NEW_API) : uri` upgrades stored addresses).
 */
const widgetKeys = new WeakMap<FileFacts, Map<string, boolean>>();

/** Every read of `.key` in the script and the page's other scripts is a widget call's URL (or only compared); once per file and key. */
function keyReadOnlyByWidget(key: string, identifiers: readonly Node[], facts: FileFacts): boolean {
  let known = widgetKeys.get(facts);
  if (!known) widgetKeys.set(facts, (known = new Map()));
  const hit = known.get(key);
  if (hit !== undefined) return hit;
  const reads: { read: Node; file: string }[] = [];
  const collect = (file: string) => (i: Node) => {
    const m = i.parent;
    if (i.type === 'Identifier' && i.name === key && m?.type === 'MemberExpression' && m.property === i && !m.computed && !(m.parent?.type === 'AssignmentExpression' && m.parent.left === m)) reads.push({ read: m, file });
  };
  identifiers.forEach(collect(facts.env.filename));
  for (const peer of pagePeerPrograms(facts.project, facts.env.filename)) traverse(peer.program as Node, collect(peer.file), () => {});
  const global = (file: string) => (id: TSESTree.Identifier) => pageGlobal(id, facts.project, file)?.node as Node | undefined;
  const only = reads.length > 0 && reads.every((r) => isWidgetArgument(r.read, global(r.file)) || onlyCompared(r.read));
  known.set(key, only);
  return only;
}

function onlyForWidget(lit: Node, identifiers: readonly Node[], facts?: FileFacts): boolean {
  const d = lit.parent;
  // a track URL kept in data (`tracks = [{ url: 'http://api.soundcloud.com/tracks/1' }]`) whose key
  // is read only for the player (`widget.load(track.url)`), in this script or the page's others
  // (an entry of a list of such objects: an object handed to a call is that call's options)
  if (facts && d?.type === 'Property' && d.value === lit && !d.computed && d.parent?.type === 'ObjectExpression' && d.parent.parent?.type === 'ArrayExpression') {
    const key = propName(d);
    if (!key || key.length < 2) return false;
    return keyReadOnlyByWidget(key, identifiers, facts);
  }
  if (d?.type !== 'VariableDeclarator' || d.init !== lit || d.id.type !== 'Identifier') return false;
  const uses = namesOf(d.id, identifiers).filter((i) => !(i.parent?.type === 'AssignmentExpression' && i.parent.left === i && i.parent.operator === '='));
  return uses.length > 0 && uses.every((u) => isWidgetArgument(u) || onlyCompared(u));
}

/** The file's identifiers that name a declared variable (not its declaration `id`, a member `.name` or an object key `name:`). */
function namesOf(id: TSESTree.Identifier, identifiers: readonly Node[]): Node[] {
  const name = id.name;
  return identifiers.filter((i) => i !== id && i.type === 'Identifier' && i.name === name && !(i.parent?.type === 'MemberExpression' && i.parent.property === i && !i.parent.computed) && !(i.parent?.type === 'Property' && i.parent.key === i && !i.parent.shorthand));
}

/**
 * A constant whose every read starts a string built from it (`SITE + 'oembed?...'`, `` `${SITE}oembed` ``):
 * not compared with or searched in other text (`link.startsWith(SITE)` matches what users paste),
 * where another scheme would change what matches.
 */
function onlyBuildsStrings(lit: Node, identifiers: readonly Node[]): boolean {
  const d = lit.parent;
  if (d?.type !== 'VariableDeclarator' || d.init !== lit || d.id.type !== 'Identifier') return false;
  const reads = namesOf(d.id, identifiers);
  return reads.length > 0 && reads.every((i) => {
    const p = i.parent;
    return (p?.type === 'BinaryExpression' && p.operator === '+' && p.left === i) || p?.type === 'TemplateLiteral';
  });
}

export default createRule({
  id: 'no-insecure-http',
  gate: /http:|['"`](?:node:)?http['"`]/i,
  description: 'SoundCloud API and auth hosts must be reached over https:// (plain http is refused).',
  severity: 'error',
  fixKind: 'auto',
  messages: {
    insecure: 'Plain http:// to {{host}}: SoundCloud only answers https://. Use https://.',
    nodeHttp: "{{host}} through Node's http module is plain http: use the https module.",
  },
  create(context) {
    const report = reporter(context);
    return {
      'Program:exit'() {
        const facts = fileFacts(context);
        const src = context.sourceCode.text;
        // (`piece`: the literal is a piece of a URL built from several, `'http://soundcloud.com/' + 'oembed?...'`,
        // whose match started in it: its own `http://` + SoundCloud host is that URL's scheme)
        const fixLiteral = (node: { range: [number, number] }, piece = false, holeAlwaysSc = false) => (fixer: import('../../src/engine/types.js').Fixer) => {
          const raw = src.slice(startOf(node), endOf(node));
          let fixed = raw.replace(new RegExp(INSECURE_SC_RE.source, 'gi'), (m) => 'https://' + m.slice(7));
          if (fixed === raw && piece && onlyBuildsStrings(node as Node, facts.identifiers)) fixed = raw.replace(PIECE_SC_RE, '$1https://');
          // `` `http://${HOSTS[version]}/${route}` ``: the template's one scheme before a placeholder is the scheme of the SoundCloud host
          // put there, when every value the string can take is a SoundCloud URL (not `${dev ? 'localhost:8080' : 'api.soundcloud.com'}`)
          if (fixed === raw && holeAlwaysSc && (node as Node).type === 'TemplateLiteral' && raw.split('http://').length === 2) fixed = raw.replace(/http:\/\/(?=\$\{)/, 'https://');
          return fixed === raw ? null : fixer.replaceTextRange([startOf(node), endOf(node)], fixed);
        };
        // A URL that Node's http module requests (`http.get('http://api.soundcloud.com/...')`): https://
        // alone would throw there (ERR_INVALID_PROTOCOL; follow-redirects' http asserts the protocol):
        // reported as the module's, with no edit of the literal
        const viaHttpModule = new Set<unknown>();
        for (const r of facts.requests) {
          if (r.lib !== 'node' || r.nodeModule !== 'http') continue;
          if (r.urlNode) for (const { owner } of localOwnersOf(evalString(r.urlNode, facts.env), INSECURE_SC_RE, facts.env.filename)) viaHttpModule.add(owner);
          // (and a host option written with its scheme: `{ host: 'http://api.soundcloud.com', path }`)
          for (const o of r.options) { const h = findProp(o.node, 'hostname') ?? findProp(o.node, 'host'); if (h) viaHttpModule.add(h); }
        }
        // the literals reported as written (`host: 'http://api.soundcloud.com'` of Node's http options is one finding, not two)
        const reported = new Set<unknown>();
        const insecure = (node: Node, host: string, piece = false, holeAlwaysSc = false) => { reported.add(node); return viaHttpModule.has(node) ? report(node, 'nodeHttp', { host }) : report(node, 'insecure', { host }, fixLiteral(node, piece, holeAlwaysSc)); };
        for (const l of facts.literals) {
          const m = insecureMatch(l.text);
          if (!m || facts.notSent(l.node, l.text) || onlyForWidget(l.node, facts.identifiers, facts)) continue;
          insecure(l.node as Node, m[1]!);
        }
        // 'http://' + SC_HOST written in pieces
        for (const s of facts.allStrings) {
          for (const { owner, match } of localOwnersOf(s.alts, INSECURE_SC_RE, facts.env.filename)) {
            if (!s.sent()) break;
            if (notRequested(match.input, match.index)) continue;
            if (onlyForWidget(owner as Node, facts.identifiers, facts) || isWidgetArgument(s.node)) continue;
            insecure(owner as Node, match[1]!, true, s.alts.every((a) => INSECURE_SC_RE.test(flatText(a))));
          }
        }
        // <script src="http://connect.soundcloud.com/sdk.js"> of an HTML page or SFC (its text is
        // not in the parsed program: the tag's own range, and the src value, say where and what)
        const extras = (context.sourceCode.parserServices as { scMigrate?: ParserExtras } | undefined)?.scMigrate;
        for (const s of extras?.scriptSources ?? []) {
          const m = insecureMatch(s.src);
          if (!m) continue;
          const fixed = s.src.replace(new RegExp(INSECURE_SC_RE.source, 'gi'), (x) => 'https://' + x.slice(7));
          report({ loc: s.loc, range: s.range } as never, 'insecure', { host: m[1]! }, (fixer) => fixer.replaceTextRange(s.range, fixed));
        }
        // http.request({ host: 'api.soundcloud.com' }): the module decides the scheme.
        for (const r of facts.requests) {
          if (r.lib !== 'node' || r.nodeModule !== 'http') continue;
          const fromCallers = callerOptions(r, facts.env);
          for (const o of [...r.options, ...fromCallers]) {
            const hostNode = findProp(o.node, 'hostname') ?? findProp(o.node, 'host');
            if (!hostNode || o.env.filename !== facts.env.filename || reported.has(hostNode)) continue;
            const host = evalString(hostNode, o.env).map(flatText).find((h) => isScHost(h));
            if (!host) continue;
            const prop = o.node.properties.find((p) => p.type === 'Property' && p.value === hostNode);
            report(prop && prop.type === 'Property' ? prop.key : hostNode, 'nodeHttp', { host });
          }
          if (r.urlNode && !r.options.length && fromCallers.length) continue;
          if (r.urlNode) {
            const u = evalString(r.urlNode, facts.env).map(flatText).find((t) => /^(\/\/)?[a-z0-9.-]*soundcloud\.com/i.test(t));
            if (u) report(r.urlNode, 'nodeHttp', { host: u.replace(/^\/\//, '').split('/')[0]! });
          }
        }
      },
    };
  },
});
