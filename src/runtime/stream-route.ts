/**
 * createStreamEndpoint: the backend route that makes a track's stream playable from a plain URL
 * (`GET /api/soundcloud/stream?url=<stream_url>` or `?id=<track id>`), for browser code that needs
 * a URL synchronously (`<audio src>` at render time, a selector, a synchronous `play()`) and so
 * cannot wait for `streamUrl`. The generated browser module builds the URL (`soundcloudStreamSrc`,
 * streamSrc of sc-migrate/runtime/browser); this route asks SoundCloud for the track's streams
 * WITH the app token in the `Authorization: OAuth` header (`GET /tracks/{id}/streams`, or the
 * redirect of a `/stream` / `/download` URL: SoundCloudClient.streamUrl) and answers 302 to the
 * signed media URL. The token never reaches the browser, nor the CDN.
 *
 * Only SoundCloud API track URLs and track ids are served (never an open redirect). Serve it next
 * to the token route (`/api/soundcloud/token` -> `/api/soundcloud/stream`) and give both the same
 * `tokenStore` so they share one app token. Fetch-style `(Request) => Response` like
 * createTokenEndpoint (`toNodeHandler` for Express / node:http). Imports nothing of Node.
 */
import { SoundCloudClient } from './client.js';
import { Diagnostics } from './diagnostics.js';
import { SoundCloudError } from './errors.js';
import type { TokenEndpointHandlerOptions } from './token-route.js';
import { TRACK_ID } from './streams.js';

/**
 * The token route's options (the same `tokenStore`: one app token for both routes), plus `apiBase`
 * and `formats`: keys of the `/tracks/{id}/streams` answer in order of preference (default:
 * progressive MP3 first).
 */
export interface StreamEndpointOptions extends Pick<TokenEndpointHandlerOptions,
  'clientId' | 'clientSecret' | 'tokenStore' | 'tokenKey' | 'authBase' | 'fetch' | 'now' | 'logger' | 'timeoutMs' | 'retry' | 'sleep'> {
  formats?: readonly string[];
  apiBase?: string;
}

export type StreamEndpointHandler = (request: Request) => Promise<Response>;

/** A track, its stream(s) or its download on the public API. */
const TRACK_PATH = /^\/tracks\/[^/?#]+(?:\/(?:stream|streams|download))?\/?$/;
const HEADERS = { 'Cache-Control': 'no-store', 'Referrer-Policy': 'no-referrer' };

function failure(status: number, error: string, extra: Record<string, string> = {}): Response {
  return new Response(JSON.stringify({ error }), { status, headers: { ...HEADERS, 'Content-Type': 'application/json; charset=utf-8', ...extra } });
}

/**
 * The source the route accepts: a track id, or a URL of SoundCloud's public API (or the
 * configured apiBase) naming a track, its stream(s) or its download; anything else is undefined.
 */
function sourceOf(params: URLSearchParams, apiOrigin: string): string | undefined {
  const id = params.get('id');
  if (id !== null) return TRACK_ID.test(id.trim()) ? id.trim() : undefined;
  const raw = (params.get('url') ?? '').trim();
  if (!raw) return undefined;
  const id2 = TRACK_ID.exec(raw);
  if (id2) return id2[1];
  let u: URL;
  try {
    u = new URL(raw.startsWith('//') ? `https:${raw}` : raw);
  } catch {
    return undefined;
  }
  const api = u.hostname.toLowerCase() === 'api.soundcloud.com' && (u.protocol === 'https:' || u.protocol === 'http:') || u.origin === apiOrigin;
  if (!api || u.username || u.password || !TRACK_PATH.test(u.pathname)) return undefined;
  return u.toString();
}

/** The stream route of a browser app's backend: 302 to a track's signed media URL. */
export function createStreamEndpoint(options: StreamEndpointOptions): StreamEndpointHandler {
  const { clientId, clientSecret } = options;
  if (!clientId || !clientSecret) throw new TypeError('createStreamEndpoint: clientId and clientSecret are required (server side)');
  const app = new SoundCloudClient({
    clientId, clientSecret, tokenStore: options.tokenStore, tokenKey: options.tokenKey, apiBase: options.apiBase, authBase: options.authBase,
    fetch: options.fetch, now: options.now, logger: options.logger, timeoutMs: options.timeoutMs, retry: options.retry, sleep: options.sleep,
    clientCredentials: true,
  });
  const diag = new Diagnostics(options.logger, clientSecret);
  const apiOrigin = new URL(app.resolveUrl('/').toString()).origin;
  const formats = options.formats;

  return async (request) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') return new Response(null, { status: 405, headers: { ...HEADERS, Allow: 'GET, HEAD' } });
    const source = sourceOf(new URL(request.url).searchParams, apiOrigin);
    if (source === undefined) return failure(400, 'invalid_request');
    try {
      const location = await app.streamUrl(source, formats ? { formats } : {});
      if (!/^https?:\/\//i.test(location)) return failure(502, 'bad_gateway');
      return new Response(null, { status: 302, headers: { ...HEADERS, Location: location } });
    } catch (err) {
      if (!(err instanceof SoundCloudError)) {
        diag.log('error', `stream route: ${(err as Error)?.message ?? err}`);
        return failure(500, 'server_error');
      }
      diag.log('warn', `stream route: ${err.message}`);
      if (err.status === 404) return failure(404, 'not_found');
      // no app token (rate limit, SoundCloud down, a wrong secret) or SoundCloud busy: try again later
      if (err.status === 429 || err.status === 0 || err.status >= 500 || err.status === 401) {
        const ra = err.retryAfterMs !== undefined ? { 'Retry-After': String(Math.ceil(err.retryAfterMs / 1000)) } : undefined;
        return failure(503, 'temporarily_unavailable', ra);
      }
      return failure(502, 'bad_gateway');
    }
  };
}
