/** SoundCloud hosts and endpoints, and how a (partly known) URL text is classified. */
import { HOLE } from './values.js';

export type UrlKind = 'sc' | 'foreign' | 'relative' | 'unknown';

export interface UrlInfo {
  kind: UrlKind;
  host?: string;
  /** The flat text (holes as U+FFFC). */
  text: string;
  /** Path of the URL when the host is known, or of a relative URL. */
  path: string;
}

const ABS_RE = /^(?:([a-z][a-z0-9+.-]*):)?\/\/([^/?#\s\uFFFC:]+)(?::\d+)?/i;
/** Everything up to the last hole of a host (`${sub}.soundcloud.com` keeps `.soundcloud.com`): one RegExp, not one per URL. */
const UP_TO_HOLE_RE = new RegExp(`^.*${HOLE}`);

export function isScHost(host: string): boolean {
  const h = host.toLowerCase();
  // (api.sndcdn.com: the API's old alias on the CDN's domain; the CDN's media hosts are not the API)
  return h === 'soundcloud.com' || h.endsWith('.soundcloud.com') || h === 'api.sndcdn.com';
}

/** The path of a proxy URL that starts with a SoundCloud API or auth host (`/https://api.soundcloud.com/...`). */
const PROXIED_SC_RE = /^\/(?:https?:\/\/)?((?:api|api-v2|secure|connect)\.soundcloud\.com)(?=[/?#]|$)/i;

export function classifyUrl(text: string): UrlInfo {
  const t = text.trimStart();
  const m = ABS_RE.exec(t);
  if (m) {
    const host = m[2]!;
    if (m[1] && !/^https?$/i.test(m[1])) return { kind: 'foreign', host, text, path: t.slice(m[0].length) };
    // A host that is only partly known (`${sub}.soundcloud.com`) still counts by its known suffix.
    const known = host.replace(UP_TO_HOLE_RE, '');
    if (isScHost(known) || /(^|\.)soundcloud\.com$/i.test(known)) return { kind: 'sc', host: known.toLowerCase(), text, path: t.slice(m[0].length) };
    if (host.includes(HOLE)) return { kind: 'unknown', text, path: '' };
    const path = t.slice(m[0].length);
    // A CORS proxy in front of the API: https://cors-anywhere.herokuapp.com/api-v2.soundcloud.com/search?...
    const inner = PROXIED_SC_RE.exec(path);
    if (inner) return { kind: 'sc', host: inner[1]!.toLowerCase(), text, path: path.slice(inner[0].length) };
    return { kind: 'foreign', host: host.toLowerCase(), text, path };
  }
  if (t.startsWith('/')) return { kind: 'relative', text, path: t };
  // A bare host: 'api.soundcloud.com/tracks'
  const bare = /^([a-z0-9-]+(?:\.[a-z0-9-]+)+)(?=[/?#]|$)/i.exec(t);
  if (bare && /\.[a-z]{2,}$/i.test(bare[1]!)) {
    return isScHost(bare[1]!) ? { kind: 'sc', host: bare[1]!.toLowerCase(), text, path: t.slice(bare[0].length) } : { kind: 'foreign', host: bare[1]!.toLowerCase(), text, path: t.slice(bare[0].length) };
  }
  return { kind: 'unknown', text, path: '' };
}

/** Hosts and paths of the deprecated auth endpoints (the token path also on the bare host: `https://soundcloud.com/oauth2/token`). */
export const LEGACY_AUTH_RE = /(?:(?:^|\/|\bapi\.)soundcloud\.com\/oauth2\/token|(?:^|[/.])(?:api\.)?soundcloud\.com\/connect\b)/i;
export const INSECURE_SC_RE = /http:\/\/((?:api|api-v2|secure|connect|api-widget|api-auth)\.soundcloud\.com|api\.sndcdn\.com|(?:www\.)?soundcloud\.com\/(?:connect|oembed))\b/i;
export const API_V2_RE = /api-v2\.soundcloud\.com/i;
/** A host of SoundCloud's private APIs (the web app's api-v2, the widget's and the mobile apps' hosts): they take no app token. */
export const PRIVATE_HOST_RE = /^api-(v2|widget|mobile|mobi)\./i;

export const isAuthorizePath = (path: string) => /(^|\/)(connect|authorize)(\/|$|[?#\uFFFC])/i.test(path);
export const isTokenPath = (path: string) => /(^|\/)oauth2?\/token\b/i.test(path);
