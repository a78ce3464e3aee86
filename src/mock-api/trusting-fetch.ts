/**
 * A WHATWG-style `fetch` built on node:http / node:https that trusts one extra CA (the mock's
 * self-signed certificate).
 *
 * Why not undici: Node 20 bundles undici for its global fetch but does not expose its
 * `Agent`/dispatcher unless the `undici` npm package is installed, and sc-migrate adds no
 * dependency for this. node:https takes a `ca` option per request, so a small fetch on top of
 * it returning a real `Response` is enough for the runtime, the tests and the preload.
 *
 * Supported: method, headers, string/URLSearchParams/ArrayBuffer/typed-array/Blob bodies,
 * `redirect: 'follow' | 'manual' | 'error'` (follow drops `Authorization` on a cross-origin
 * redirect, as the Fetch standard does), `signal`.
 */
import http from 'node:http';
import https from 'node:https';

export interface TrustingFetchOptions {
  /** Extra CA certificate(s), PEM. */
  ca: string | string[];
  /** Rewrites a URL before connecting (the preload maps SoundCloud hosts to the mock). */
  route?: (url: URL) => { url: URL; hostHeader?: string } | undefined;
  /** Max sockets per origin (default 64). */
  maxSockets?: number;
}

export type FetchLike = (input: string | URL | Request, init?: RequestInit) => Promise<Response>;

async function bodyToBuffer(body: unknown): Promise<Buffer | undefined> {
  if (body == null) return undefined;
  if (typeof body === 'string') return Buffer.from(body);
  if (body instanceof URLSearchParams) return Buffer.from(body.toString());
  if (body instanceof ArrayBuffer) return Buffer.from(body);
  if (ArrayBuffer.isView(body)) return Buffer.from(body.buffer, body.byteOffset, body.byteLength);
  if (typeof Blob !== 'undefined' && body instanceof Blob) return Buffer.from(await body.arrayBuffer());
  if (body instanceof ReadableStream) return Buffer.from(await new Response(body).arrayBuffer());
  if (typeof FormData !== 'undefined' && body instanceof FormData) {
    throw new TypeError('trusting fetch: FormData bodies are not supported');
  }
  return Buffer.from(String(body));
}

function defaultContentType(body: unknown): string | undefined {
  if (typeof body === 'string') return 'text/plain;charset=UTF-8';
  if (body instanceof URLSearchParams) return 'application/x-www-form-urlencoded;charset=UTF-8';
  return undefined;
}

export function createTrustingFetch(opts: TrustingFetchOptions): FetchLike & { close(): void } {
  const httpsAgent = new https.Agent({ ca: opts.ca, keepAlive: true, maxSockets: opts.maxSockets ?? 64 });
  const httpAgent = new http.Agent({ keepAlive: true, maxSockets: opts.maxSockets ?? 64 });

  function once(
    url: URL,
    method: string,
    headers: Headers,
    body: Buffer | undefined,
    signal: AbortSignal | undefined,
  ): Promise<{ status: number; statusText: string; headers: Headers; body: Buffer }> {
    const routed = opts.route?.(url);
    const target = routed?.url ?? url;
    const isHttps = target.protocol === 'https:';
    const outHeaders: Record<string, string> = {};
    headers.forEach((v, k) => (outHeaders[k] = v));
    if (routed?.hostHeader) outHeaders['host'] = routed.hostHeader;
    if (body) outHeaders['content-length'] = String(body.length);
    if (!outHeaders['accept']) outHeaders['accept'] = '*/*';
    return new Promise((resolve, reject) => {
      if (signal?.aborted) return reject(signal.reason ?? new DOMException('aborted', 'AbortError'));
      const mod = isHttps ? https : http;
      const req = mod.request(
        {
          protocol: target.protocol,
          hostname: target.hostname.replace(/^\[|\]$/g, ''),
          port: target.port || (isHttps ? 443 : 80),
          path: target.pathname + target.search,
          method,
          headers: outHeaders,
          agent: isHttps ? httpsAgent : httpAgent,
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            signal?.removeEventListener('abort', onAbort);
            const h = new Headers();
            for (const [k, v] of Object.entries(res.headers)) {
              if (v === undefined) continue;
              if (Array.isArray(v)) for (const x of v) h.append(k, x);
              else h.set(k, v);
            }
            resolve({ status: res.statusCode ?? 0, statusText: res.statusMessage ?? '', headers: h, body: Buffer.concat(chunks) });
          });
          res.on('error', reject);
        },
      );
      const onAbort = () => {
        req.destroy();
        reject(signal?.reason ?? new DOMException('This operation was aborted', 'AbortError'));
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      req.on('error', (err) => {
        signal?.removeEventListener('abort', onAbort);
        reject(new TypeError('fetch failed', { cause: err }));
      });
      req.end(body);
    });
  }

  const fetchImpl = async (input: string | URL | Request, init: RequestInit = {}): Promise<Response> => {
    let url: URL;
    let method = init.method;
    const headers = new Headers();
    let rawBody: unknown = init.body;
    let signal = init.signal ?? undefined;
    if (typeof Request !== 'undefined' && input instanceof Request) {
      url = new URL(input.url);
      method ??= input.method;
      input.headers.forEach((v, k) => headers.set(k, v));
      if (rawBody === undefined && input.body) rawBody = await input.arrayBuffer();
      signal ??= input.signal;
    } else {
      url = new URL(String(input));
    }
    new Headers(init.headers ?? {}).forEach((v, k) => headers.set(k, v));
    method = (method ?? 'GET').toUpperCase();
    const ct = defaultContentType(rawBody);
    if (ct && !headers.has('content-type')) headers.set('content-type', ct);
    let body = await bodyToBuffer(rawBody);
    const redirectMode = init.redirect ?? 'follow';

    for (let hop = 0; ; hop++) {
      const res = await once(url, method, headers, body, signal);
      const location = res.headers.get('location');
      if ([301, 302, 303, 307, 308].includes(res.status) && location && redirectMode !== 'manual') {
        if (redirectMode === 'error') throw new TypeError('fetch failed: unexpected redirect');
        if (hop >= 20) throw new TypeError('fetch failed: redirect count exceeded');
        const next = new URL(location, url);
        if (next.origin !== url.origin) headers.delete('authorization');
        if (res.status === 303 || ((res.status === 301 || res.status === 302) && method === 'POST')) {
          if (method !== 'HEAD') method = 'GET';
          body = undefined;
          headers.delete('content-type');
          headers.delete('content-length');
        }
        url = next;
        continue;
      }
      const nullBody = [101, 204, 205, 304].includes(res.status) || method === 'HEAD';
      const response = new Response(nullBody ? null : new Uint8Array(res.body), {
        status: res.status,
        statusText: res.statusText,
        headers: res.headers,
      });
      Object.defineProperty(response, 'url', { value: url.toString() });
      Object.defineProperty(response, 'redirected', { value: hop > 0 });
      return response;
    }
  };
  return Object.assign(fetchImpl, {
    close() {
      httpsAgent.destroy();
      httpAgent.destroy();
    },
  });
}
