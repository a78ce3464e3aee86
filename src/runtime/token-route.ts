/**
 * createTokenEndpoint: the backend route a browser client gets its tokens from
 * (`new SoundCloudClient({ clientId, tokenEndpoint: '/api/soundcloud/token', clientCredentials: true })`).
 *
 * A browser cannot hold the client secret, and SoundCloud refuses `client_id` alone. The route
 * holds the secret and answers the browser's token requests:
 * - `client_credentials`: the ONE app token of the backend (cached, shared through the token
 *   store, renewed with the refresh grant before `expires_in`), never a new token per request
 *   (client_credentials is rate-limited per app and per IP); its refresh token stays on the server;
 * - `authorization_code` (PKCE: `code_verifier` required) and `refresh_token`: forwarded to
 *   SoundCloud's token endpoint with the client's credentials added (form body as documented, or
 *   HTTP Basic with `clientAuth: 'basic'`); the user's tokens go back to the browser.
 * The answer never contains the secret (errors are redacted). Fetch-style `(Request) => Response`:
 * a Next.js route handler, a worker, Deno/Bun, or Express/node:http through `toNodeHandler`.
 * Imports nothing of Node (browser-safe module graph).
 */
import { Diagnostics } from './diagnostics.js';
import { SoundCloudClient } from './client.js';
import { SoundCloudError } from './errors.js';
import { Transport, defaultSleep, retryPolicy } from './retry.js';
import { TokenEndpoint } from './token-endpoint.js';
import type { TokenSet, TokenStore } from './token-store.js';
import type { FetchFn, Logger, RetryOptions } from './types.js';
import { UrlPolicy } from './url-policy.js';

export interface TokenEndpointHandlerOptions {
  clientId: string;
  clientSecret: string;
  /** Where the app token is kept: share it across processes (FileTokenStore, RedisTokenStore). Default: memory. */
  tokenStore?: TokenStore;
  /** Store key of the app token (default `soundcloud:<clientId>`, the same as a server SoundCloudClient's). */
  tokenKey?: string;
  /** How forwarded authorization_code / refresh_token requests authenticate the app (default `'body'`, as documented). */
  clientAuth?: 'body' | 'basic';
  /** The grants the route answers (default all three). */
  grants?: readonly ('client_credentials' | 'authorization_code' | 'refresh_token')[];
  authBase?: string;
  fetch?: FetchFn;
  now?: () => number;
  logger?: Logger;
  timeoutMs?: number;
  retry?: RetryOptions;
  sleep?: (ms: number) => Promise<void>;
}

export type TokenEndpointHandler = (request: Request) => Promise<Response>;

const NO_STORE = { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store', Pragma: 'no-cache' };
const json = (status: number, body: Record<string, unknown>) => new Response(JSON.stringify(body), { status, headers: NO_STORE });
const oauthError = (status: number, error: string, description?: string) => json(status, description ? { error, error_description: description } : { error });

/** RFC 6749 5.1: what the browser client reads (`refresh` false: the backend keeps the refresh token). */
function tokenResponse(t: TokenSet, now: number, refresh: boolean): Response {
  const body: Record<string, unknown> = { access_token: t.accessToken, token_type: 'bearer' };
  if (t.expiresAt !== undefined) body.expires_in = Math.max(0, Math.floor((t.expiresAt - now) / 1000));
  if (t.scope !== undefined) body.scope = t.scope;
  if (refresh && t.refreshToken) body.refresh_token = t.refreshToken;
  return json(200, body);
}

async function formOf(request: Request): Promise<URLSearchParams | undefined> {
  const text = await request.text();
  if (/json/i.test(request.headers.get('content-type') ?? '')) {
    try {
      const o = JSON.parse(text || '{}') as Record<string, unknown>;
      return new URLSearchParams(Object.entries(o).filter(([, v]) => typeof v === 'string') as [string, string][]);
    } catch {
      return undefined;
    }
  }
  return new URLSearchParams(text);
}

/** The token route of a browser app's backend. */
export function createTokenEndpoint(options: TokenEndpointHandlerOptions): TokenEndpointHandler {
  const { clientId, clientSecret } = options;
  if (!clientId || !clientSecret) throw new TypeError('createTokenEndpoint: clientId and clientSecret are required (server side)');
  const now = options.now ?? Date.now;
  const grants = new Set(options.grants ?? ['client_credentials', 'authorization_code', 'refresh_token']);
  const app = new SoundCloudClient({
    clientId, clientSecret, tokenStore: options.tokenStore, tokenKey: options.tokenKey, authBase: options.authBase,
    fetch: options.fetch, now, logger: options.logger, timeoutMs: options.timeoutMs, retry: options.retry, sleep: options.sleep,
    clientCredentials: true,
  });
  const diag = new Diagnostics(options.logger, clientSecret);
  const transport = new Transport({
    fetch: options.fetch, timeoutMs: options.timeoutMs ?? 30_000, retry: retryPolicy(options.retry), sleep: options.sleep ?? defaultSleep, diag,
  });
  const upstream = new TokenEndpoint({
    url: `${new UrlPolicy(undefined, options.authBase, diag).authBase}/oauth/token`,
    clientId, clientSecret, transport, diag, now, clientAuth: options.clientAuth ?? 'body',
  });
  const failed = (err: unknown, appToken: boolean): Response => {
    if (!(err instanceof SoundCloudError)) {
      diag.log('error', `token route: ${(err as Error)?.message ?? err}`);
      return oauthError(500, 'server_error');
    }
    // the app token could not be had (rate limit, SoundCloud down, a wrong secret): the browser
    // may try again later; a user grant's refusal (invalid_grant...) is the browser's to handle
    if (appToken || err.status === 0 || err.status >= 500 || err.status === 401) return oauthError(503, err.code === 'invalid_client' ? 'server_error' : 'temporarily_unavailable');
    return oauthError(err.status, err.code, err.message);
  };

  return async (request) => {
    if (request.method !== 'POST') return new Response(null, { status: 405, headers: { Allow: 'POST', 'Cache-Control': 'no-store' } });
    const form = await formOf(request);
    if (!form) return oauthError(400, 'invalid_request', 'malformed body');
    const grant = form.get('grant_type') ?? '';
    if (!grants.has(grant as never)) return oauthError(400, 'unsupported_grant_type');
    const id = form.get('client_id');
    if (id !== null && id !== clientId) return oauthError(400, 'invalid_client');
    try {
      if (grant === 'client_credentials') return tokenResponse(await app.getTokenSet(), now(), false);
      if (grant === 'refresh_token') {
        const refreshToken = form.get('refresh_token');
        if (!refreshToken) return oauthError(400, 'invalid_request', 'refresh_token is required');
        diag.remember(refreshToken);
        return tokenResponse(await upstream.refresh({ accessToken: '', refreshToken, kind: 'user', obtainedAt: now() }), now(), true);
      }
      const code = form.get('code');
      const codeVerifier = form.get('code_verifier');
      const redirectUri = form.get('redirect_uri');
      if (!code || !codeVerifier || !redirectUri) return oauthError(400, 'invalid_request', 'code, code_verifier (PKCE) and redirect_uri are required');
      diag.remember(code);
      diag.remember(codeVerifier);
      return tokenResponse(await upstream.authorizationCode({ code, codeVerifier, redirectUri }), now(), true);
    } catch (err) {
      return failed(err, grant === 'client_credentials');
    }
  };
}

/** The parts of node:http's request and response (and Express's) that `toNodeHandler` uses. */
export interface NodeRequestLike extends AsyncIterable<unknown> {
  method?: string;
  url?: string;
  originalUrl?: string;
  headers: Record<string, string | string[] | undefined>;
  /** Set by a body parser (express.urlencoded / express.json / express.text) that ran first. */
  body?: unknown;
}
export interface NodeResponseLike {
  statusCode: number;
  setHeader(name: string, value: string): unknown;
  end(body?: string): unknown;
}

async function nodeBody(req: NodeRequestLike): Promise<string> {
  const b = req.body;
  if (typeof b === 'string') return b;
  if (b instanceof Uint8Array) return new TextDecoder().decode(b);
  if (b && typeof b === 'object') {
    const entries = Object.entries(b as Record<string, unknown>).filter(([, v]) => typeof v === 'string') as [string, string][];
    return new URLSearchParams(entries).toString();
  }
  const chunks: Uint8Array[] = [];
  for await (const c of req) chunks.push(typeof c === 'string' ? new TextEncoder().encode(c) : (c as Uint8Array));
  const all = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let at = 0;
  for (const c of chunks) { all.set(c, at); at += c.length; }
  return new TextDecoder().decode(all);
}

/**
 * A fetch-style handler as a node:http / Express handler:
 * `app.post('/api/soundcloud/token', toNodeHandler(createTokenEndpoint({ ... })))`.
 * Works with or without a body parser before it.
 */
export function toNodeHandler(handler: TokenEndpointHandler): (req: NodeRequestLike, res: NodeResponseLike, next?: (err?: unknown) => void) => Promise<void> {
  return async (req, res, next) => {
    try {
      const parsed = req.body !== undefined && typeof req.body === 'object' && !(req.body instanceof Uint8Array);
      const headers = new Headers();
      for (const [k, v] of Object.entries(req.headers)) {
        if (v === undefined || /^(content-length|transfer-encoding|host|connection)$/i.test(k)) continue;
        headers.set(k, Array.isArray(v) ? v.join(', ') : v);
      }
      if (parsed) headers.set('content-type', 'application/x-www-form-urlencoded');
      const method = (req.method ?? 'GET').toUpperCase();
      const body = method === 'GET' || method === 'HEAD' ? undefined : await nodeBody(req);
      const response = await handler(new Request(new URL(req.originalUrl ?? req.url ?? '/', 'http://localhost'), { method, headers, body }));
      res.statusCode = response.status;
      response.headers.forEach((value, name) => res.setHeader(name, value));
      res.end(await response.text());
    } catch (err) {
      if (next) next(err);
      else { res.statusCode = 500; res.end(); }
    }
  };
}
