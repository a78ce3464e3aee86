/**
 * Playable stream URLs. A stream or download URL with `?client_id=` no longer plays: the app
 * asks the API, with its token, for the track's streams (`GET /tracks/{id}/streams` answers
 * signed CDN URLs that need no auth), or for the redirect of a `/stream` / `/download` URL (its
 * `Location` is the signed CDN URL; the token never goes to the CDN). This file turns what an
 * app holds (a track id, a track object, its `stream_url` / `download_url`) into that request;
 * the client (client.ts) sends it.
 */

/** What `SoundCloudClient.streamUrl` accepts. */
export type StreamSource =
  | string
  | number
  | URL
  | {
      id?: string | number | null;
      stream_url?: string | null;
      download_url?: string | null;
      uri?: string | null;
      streamUrl?: string | null;
    };

export interface StreamUrlOptions {
  /**
   * Keys of the `/tracks/{id}/streams` answer, in order of preference. Default: progressive MP3
   * first (plays in `<audio>`, ffmpeg and every player), then HLS.
   */
  formats?: readonly string[];
}

export const DEFAULT_STREAM_FORMATS = [
  'http_mp3_128_url',
  'hls_mp3_128_url',
  'hls_aac_160_url',
  'hls_aac_96_url',
  'hls_opus_64_url',
  'preview_mp3_128_url',
] as const;

/** Query parameters that authenticated the old URLs: never sent again (the header does that). */
const CREDENTIALS = ['client_id', 'oauth_token'];

/** `123`, `'123'`, `'soundcloud:tracks:123'`: a track id (also read by stream-src.ts and stream-route.ts). */
export const TRACK_ID = /^(?:soundcloud:tracks:)?(\d+)$/;
/** A track's API path: `/tracks/{id}`, `/tracks/{id}/stream`, `/tracks/{id}/streams`. */
const TRACK_PATH = /^\/tracks\/([^/]+?)(?:\/streams?)?\/?$/;

export type StreamTarget =
  /** GET this API URL and pick a format of its JSON answer. */
  | { kind: 'streams'; url: URL; fallback: URL }
  /** GET this API URL without following its redirect: the `Location` is the playable URL. */
  | { kind: 'redirect'; url: URL }
  /** Not an API URL (a CDN URL already signed, a local file): played as it is. */
  | { kind: 'direct'; url: string }
  /** api-v2.soundcloud.com: refused. */
  | { kind: 'private'; url: string };

/**
 * Where the playable URL of a source comes from. `resolve` maps a path or URL onto the API base
 * (client.ts's UrlPolicy); `apiOrigin` tells API URLs from the others.
 */
export function streamTarget(source: StreamSource, resolve: (u: string) => URL, apiOrigin: string): StreamTarget {
  if (source === null || source === undefined) throw new TypeError('streamUrl: a track id, track object or stream URL is required');
  if (typeof source === 'object' && !(source instanceof URL)) {
    const id = source.id ?? undefined;
    if (id !== undefined && TRACK_ID.test(String(id))) return byId(String(id), '', resolve);
    const url = source.stream_url || source.streamUrl || source.download_url || source.uri;
    if (!url) throw new TypeError('streamUrl: the track object has no id, stream_url or download_url');
    return streamTarget(url, resolve, apiOrigin);
  }
  const text = String(source).trim();
  const id = TRACK_ID.exec(text);
  if (id) return byId(id[1]!, '', resolve);
  const url = resolve(text);
  // the web app's private API: no app token plays it (and no supported migration)
  if (/^api-v2\.soundcloud\.com$/i.test(url.hostname)) return { kind: 'private', url: text };
  if (url.origin !== apiOrigin) return { kind: 'direct', url: text };
  for (const k of CREDENTIALS) url.searchParams.delete(k);
  const track = TRACK_PATH.exec(url.pathname);
  if (track) return byId(decodeURIComponent(track[1]!), url.search, resolve);
  // `/tracks/{id}/download` and any other resource that answers with a redirect to the file
  return { kind: 'redirect', url };
}

function byId(id: string, search: string, resolve: (u: string) => URL): StreamTarget {
  const path = `/tracks/${encodeURIComponent(id)}`;
  return { kind: 'streams', url: resolve(`${path}/streams${search}`), fallback: resolve(`${path}/stream${search}`) };
}

/** The preferred playable URL of a `/streams` answer, if any. */
export function pickStream(body: unknown, formats: readonly string[] = DEFAULT_STREAM_FORMATS): string | undefined {
  if (!body || typeof body !== 'object') return undefined;
  const o = body as Record<string, unknown>;
  for (const k of formats) if (typeof o[k] === 'string' && o[k]) return o[k] as string;
  return undefined;
}

/** The target of a redirect answered as JSON (`{ "status": "302 - Found", "location": ... }`). */
export function locationOf(body: unknown): string | undefined {
  const l = body && typeof body === 'object' ? (body as Record<string, unknown>).location : undefined;
  return typeof l === 'string' && l ? l : undefined;
}
