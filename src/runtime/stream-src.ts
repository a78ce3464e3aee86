/**
 * The URL of the app backend's stream route (createStreamEndpoint) for a track: what a browser
 * puts in `<audio src>` or hands to a player where it needs a URL at once (render time, a
 * selector, a synchronous `play()`), so it cannot wait for `streamUrl`. The route asks SoundCloud
 * for the track's stream with the app token and answers 302 to the signed media URL; the browser
 * holds no credential and the URL it gets never expires (each play asks the route again).
 * Browser-safe: imports only streams.ts (no Node module; the track-id shape and the source type).
 */
import { TRACK_ID, type StreamSource } from './streams.js';

/** What `streamSrc` accepts: a track id, a track object, or a track's `stream_url` / `download_url` (streamUrl's sources but a URL object). */
export type StreamSrcSource = Exclude<StreamSource, URL>;

/**
 * The stream route next to a token route: `/api/soundcloud/token` -> `/api/soundcloud/stream`
 * (the last path segment replaced; a full URL keeps its origin).
 */
export function streamRouteOf(tokenEndpoint: string): string {
  const bare = tokenEndpoint.replace(/[?#].*$/, '');
  return /\/[^/]*$/.test(bare) ? bare.replace(/\/[^/]*$/, '/stream') : 'stream';
}

/**
 * `<route>?id=123` for a track id (or an object with one), else `<route>?url=<stream_url>` with
 * any `client_id` / `oauth_token` of the old URL dropped (the route authenticates with the header).
 * `route` is the stream route itself (`streamRouteOf(tokenEndpoint)`).
 */
export function streamSrc(route: string, source: StreamSrcSource): string {
  if (source === null || source === undefined || source === '') return '';
  let value: string | number | null | undefined = source as string | number;
  if (typeof source === 'object') {
    value = source.id !== null && source.id !== undefined && TRACK_ID.test(String(source.id))
      ? source.id
      : source.stream_url || source.streamUrl || source.download_url || source.uri;
    if (!value) return '';
  }
  const text = String(value).trim();
  const join = route.indexOf('?') === -1 ? '?' : '&';
  const id = TRACK_ID.exec(text);
  if (id) return `${route}${join}id=${id[1]}`;
  const url = text.replace(/([?&])(?:client_id|oauth_token)=[^&#]*&?/g, '$1').replace(/[?&]$/, '');
  return `${route}${join}url=${encodeURIComponent(url)}`;
}
