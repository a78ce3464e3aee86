/**
 * Whose credential or OAuth flow is this? Names of other services (OAuth providers, APIs with
 * keys) in identifiers, object paths and host names decide; SoundCloud's own name wins where both
 * appear on one path. Used so that code for Spotify, Mixcloud, Google... is never reported.
 */
import type { TSESTree } from '@typescript-eslint/typescript-estree';
import { nameOf, propName } from './values.js';
import { inCode } from './comments.js';

type N = TSESTree.Node;

/** Other services (word-ish, matched case-insensitively inside identifiers and hosts). */
const OTHER = [
  'spotify', 'mixcloud', 'google', 'gmail', 'youtube', 'facebook', 'instagram', 'twitter', 'github', 'gitlab', 'bitbucket',
  'discord', 'twitch', 'deezer', 'apple', 'itunes', 'lastfm', 'audioscrobbler', 'bandcamp', 'tidal', 'napster', 'genius',
  'musixmatch', 'songkick', 'bandsintown', 'vimeo', 'reddit', 'tumblr', 'pinterest', 'linkedin', 'microsoft', 'azure',
  'dropbox', 'slack', 'stripe', 'paypal', 'firebase', 'auth0', 'okta', 'cognito', 'amazon', 'aws', 'mixpanel', 'sentry',
  'algolia', 'pusher', 'sendgrid', 'mailchimp', 'openai', 'yahoo', 'tiktok', 'patreon', 'beatport', 'audiomack', 'jamendo',
  'flickr', 'dribbble', 'yandex', 'vk', 'weibo', 'kakao', 'naver', 'strava', 'fitbit', 'shopify', 'heroku',
  'netlify', 'vercel', 'supabase', 'contentful', 'cloudinary', 'mapbox', 'giphy', 'imgur', 'battlenet', 'blizzard',
  'discogs', 'musicbrainz', 'foursquare', 'goodreads', 'untappd', 'meetup', 'eventbrite', 'trakt', 'letterboxd',
];
const OTHER_RE = new RegExp(`(?:^|[^a-z])(${OTHER.join('|')})(?:[^a-z]|$)|(${OTHER.filter((w) => w.length >= 5).join('|')})`, 'i');
const SC_RE = /soundcloud|(?:^|[^a-z])sc(?:[^a-z]|$)/i;

/** Splits camelCase so that `spotifyKeys` and `SPOTIFY_SECRET` name spotify as a word. */
const words = (s: string) => s.replace(/([a-z0-9])([A-Z])/g, '$1_$2');

/** 'sc' when a name (identifier, member path, host) names SoundCloud, 'other' another service. */
export function providerOfName(name: string): 'sc' | 'other' | undefined {
  const w = words(name);
  if (SC_RE.test(w)) return 'sc';
  if (OTHER_RE.test(w)) return 'other';
  return undefined;
}

/** Does a name (a package name, a keyword) name another service as a word (`spotify-soundcloud-sync`, `googleDrive`)? */
export const namesOtherService = (name: string): boolean => OTHER_RE.test(words(name));

/**
 * Services whose own OAuth or API flows sit beside SoundCloud's in music apps: a file naming one
 * of them (and not SoundCloud) is about that service. Infrastructure (Firebase, Sentry, Google
 * Analytics...) does not count here: it appears in SoundCloud code too.
 */
const FLOW_SERVICES = ['spotify', 'mixcloud', 'deezer', 'youtube', 'lastfm', 'audioscrobbler', 'bandcamp', 'tidal', 'napster', 'musixmatch', 'songkick', 'bandsintown', 'twitch', 'discord', 'vimeo', 'jamendo', 'audiomack', 'beatport', 'itunes', 'github', 'facebook', 'twitter', 'instagram', 'dropbox', 'reddit', 'strava',
  // OAuth 1.0a services: their authorize links carry `?oauth_token=` too
  'discogs', 'tumblr', 'flickr', 'musicbrainz', 'foursquare', 'goodreads', 'untappd', 'meetup', 'trakt'];
const FLOW_RE = new RegExp(`(?:^|[^a-z])(${FLOW_SERVICES.join('|')})(?:[^a-z]|$)`, 'i');

/**
 * Any of those names, anywhere (a necessary condition for FLOW_RE on `words(text)`: `words` only
 * inserts `_` between characters, and a name is letters only). Most files name none, and then
 * the whole text is not copied by `words`.
 */
const FLOW_ANY_RE = new RegExp(FLOW_SERVICES.join('|'), 'i');

/** Does the text name another service with its own OAuth or API flow (a word in code, not necessarily a URL)? */
// (in code, not only in comments: a copyright header's `https://github.com/author` names no service the file talks to)
export const namesOtherProvider = (text: string): boolean => FLOW_ANY_RE.test(text) && inCode(text, (t) => FLOW_RE.test(words(t)));

/**
 * The names on the path from a value up to where it is bound: property keys of the object
 * literals around it, the variable, the assignment target (`env.spotify.secret = '...'`), or the
 * class around a field. Nearest first.
 */
export function namePath(value: N): string[] {
  const out: string[] = [];
  for (let n: N = value, p = n.parent; p; n = p, p = p.parent) {
    if (p.type === 'Property' && p.value === n) { const k = propName(p); if (k) out.push(k); continue; }
    if (p.type === 'PropertyDefinition' && p.value === n) { const k = propName(p); if (k) out.push(k); continue; }
    if (p.type === 'VariableDeclarator' && p.init === n) { if (p.id.type === 'Identifier') out.push(p.id.name); break; }
    if (p.type === 'AssignmentExpression' && p.right === n) { out.push(...nameOf(p.left).split('.').reverse()); break; }
    if (p.type === 'ClassBody') { const c = p.parent as { id?: { name: string } | null }; if (c?.id?.name) out.push(c.id.name); break; }
    if (p.type === 'ObjectExpression' || p.type === 'ArrayExpression' || p.type === 'TSAsExpression' || p.type === 'TSSatisfiesExpression'
      || p.type === 'LogicalExpression' || p.type === 'ConditionalExpression' || p.type === 'ExportNamedDeclaration' || p.type === 'ExportDefaultDeclaration') continue;
    if (p.type === 'CallExpression' || p.type.includes('Function') || p.type.includes('Statement') || p.type === 'Program') break;
  }
  return out;
}

/** Whose value is this, by the names on its path (nearest decisive name wins). */
export function providerOfPath(path: readonly string[]): 'sc' | 'other' | undefined {
  for (const name of path) { const p = providerOfName(name); if (p) return p; }
  return undefined;
}

/** Where a provider-table walk may go from a value up to its entry: objects, the function that returns them. */
const TABLE_PATH: ReadonlySet<string> = new Set([
  'ObjectExpression', 'ArrowFunctionExpression', 'FunctionExpression', 'ReturnStatement', 'BlockStatement',
  'ConditionalExpression', 'LogicalExpression', 'TSAsExpression', 'TSSatisfiesExpression',
]);

/**
 * The provider entry a value sits in, in a table keyed by provider name (multi-provider OAuth
 * libraries: `{ soundcloud: ({ output }) => ({ qs: { oauth_token: output.access_token } }), foursquare: ... }`):
 * the nearest enclosing property key that names a service, through object literals and the
 * functions such an entry holds. 'sc' only for a key naming SoundCloud in full; undefined when the
 * path leaves the table (a call, a variable, a statement other than `return`).
 */
export function tableEntryProvider(value: N): 'sc' | 'other' | undefined {
  for (let n: N = value, p = n.parent; p; n = p, p = p.parent) {
    if (p.type === 'Property' && p.value === n) {
      const k = propName(p);
      if (!k) continue;
      if (/soundcloud/i.test(k)) return 'sc';
      if (providerOfName(k)) return 'other';
      continue;
    }
    if (!TABLE_PATH.has(p.type)) return undefined;
  }
  return undefined;
}

/**
 * 'other' for a value inside a non-SoundCloud entry of a table of per-provider objects that also
 * has a SoundCloud entry (`{ foursquare: { clientSecret }, soundcloud: { appSecret } }`, the
 * example config of a multi-provider login library): the entry names a service this module does
 * not know (foursquare, angellist, _37signals), but its sibling says the table is keyed by provider.
 */
export function tableSiblingProvider(value: N): 'other' | undefined {
  for (let n: N = value, p = n.parent; p; n = p, p = p.parent) {
    if (p.type === 'Property' && p.value === n) {
      const obj = p.parent;
      if (n.type === 'ObjectExpression' && obj?.type === 'ObjectExpression' && !/soundcloud/i.test(propName(p) ?? '')
        && obj.properties.some((q) => q !== p && q.type === 'Property' && q.value.type === 'ObjectExpression' && /soundcloud/i.test(propName(q) ?? ''))) return 'other';
      continue;
    }
    if (p.type === 'ObjectExpression' || p.type === 'TSAsExpression' || p.type === 'TSSatisfiesExpression' || p.type === 'LogicalExpression' || p.type === 'ConditionalExpression') continue;
    break;
  }
  return undefined;
}

/**
 * The service a branch is for, in code that switches on a service name: `case 'spotify':` of a
 * `switch (service)`, or `if (service === 'spotify') {...}` (the nearest such branch in the function).
 */
export function branchProvider(node: N): 'sc' | 'other' | undefined {
  for (let n: N = node, p = n.parent; p && !p.type.includes('Function'); n = p, p = p.parent) {
    let label: N | null | undefined;
    if (p.type === 'SwitchCase' && p.test !== n) label = p.test;
    else if (p.type === 'IfStatement' && p.consequent === n && p.test.type === 'BinaryExpression' && /^===?$/.test(p.test.operator)) label = p.test.right.type === 'Literal' ? p.test.right : p.test.left;
    if (label?.type !== 'Literal' || typeof label.value !== 'string') continue;
    const who = providerOfName(label.value);
    if (who) return who;
  }
  return undefined;
}

