/**
 * SoundCloudClient: SoundCloud API auth done right (see docs/runtime.md).
 *
 * Browser-safe: uses only global fetch, URL, Headers, TextEncoder and Web Crypto. The client
 * composes its parts: url-policy (https, hosts, which origin gets Authorization), retry
 * (timeouts, backoff), token-endpoint (grants), token-cache (single-flight renewal through the
 * store) and login (PKCE, state, code exchange); this file keeps the API calls themselves.
 */
import { Diagnostics } from './diagnostics.js';
import { SoundCloudApiError, SoundCloudAuthError, SoundCloudError, parseErrorBody } from './errors.js';
import { Login, type AuthorizeUrlResult } from './login.js';
import { Transport, defaultSleep, retryPolicy, safePath } from './retry.js';
import { TokenCache } from './token-cache.js';
import { TokenEndpoint } from './token-endpoint.js';
import { MemoryTokenStore, type TokenSet, type TokenStore } from './token-store.js';
import type { FetchFn, Logger, RetryOptions } from './types.js';
import { UrlPolicy } from './url-policy.js';
import { locationOf, pickStream, streamTarget, type StreamSource, type StreamUrlOptions } from './streams.js';

export { DEFAULT_API_BASE, DEFAULT_AUTH_BASE } from './url-policy.js';
export type { AuthorizeUrlResult } from './login.js';
export type { FetchFn, Logger, RetryOptions } from './types.js';
export type { StreamSource, StreamUrlOptions } from './streams.js';

export interface SoundCloudClientOptions {
  clientId: string;
  /** Server-side only. Never ship it to a browser. */
  clientSecret?: string;
  redirectUri?: string;
  /** Default: a new MemoryTokenStore. Use FileTokenStore, RedisTokenStore (or your own) to share tokens across restarts/processes. */
  tokenStore?: TokenStore;
  /** Default: globalThis.fetch (looked up at call time). */
  fetch?: FetchFn;
  /** Default: env SC_MIGRATE_API_BASE, else https://api.soundcloud.com. */
  apiBase?: string;
  /** Default: env SC_MIGRATE_AUTH_BASE, else https://secure.soundcloud.com. */
  authBase?: string;
  /** Token endpoint override (default `${authBase}/oauth/token`). A browser client without a secret: your backend's route (createTokenEndpoint), which holds the secret and answers client_credentials with its cached app token. */
  tokenEndpoint?: string;
  /** Clock in ms (default Date.now). */
  now?: () => number;
  /** Store key (default `soundcloud:<clientId>`); give one per user when a server holds many users' tokens. */
  tokenKey?: string;
  /** Get a client_credentials token when none is stored (default: true when clientSecret is set). */
  clientCredentials?: boolean;
  logger?: Logger;
  /** Per-attempt timeout until response headers (default 30 s). */
  timeoutMs?: number;
  retry?: RetryOptions;
  /** Sleep used for backoff (default setTimeout); tests inject a recorder. */
  sleep?: (ms: number) => Promise<void>;
  /** Max redirects followed by `fetch` (default 5). */
  maxRedirects?: number;
}

/** Adds `Authorization: OAuth <token>` to a RequestInit (returns a new init). */
export function withOAuthHeader(init: RequestInit = {}, accessToken: string): RequestInit {
  const headers = new Headers(init.headers ?? {});
  headers.set('Authorization', `OAuth ${accessToken}`);
  return { ...init, headers };
}

export class SoundCloudClient {
  readonly clientId: string;
  readonly apiBase: string;
  readonly authBase: string;
  readonly redirectUri?: string;
  readonly tokenStore: TokenStore;
  readonly tokenKey: string;

  readonly #diag: Diagnostics;
  readonly #urls: UrlPolicy;
  readonly #transport: Transport;
  readonly #cache: TokenCache;
  readonly #login: Login;
  readonly #maxRedirects: number;

  constructor(options: SoundCloudClientOptions) {
    if (!options?.clientId) throw new TypeError('SoundCloudClient: clientId is required');
    const clientSecret = options.clientSecret || undefined;
    this.clientId = options.clientId;
    this.redirectUri = options.redirectUri;
    this.#diag = new Diagnostics(options.logger, clientSecret);
    this.#urls = new UrlPolicy(options.apiBase, options.authBase, this.#diag);
    this.apiBase = this.#urls.apiBase;
    this.authBase = this.#urls.authBase;
    this.tokenStore = options.tokenStore ?? new MemoryTokenStore();
    this.tokenKey = options.tokenKey ?? `soundcloud:${this.clientId}`;
    this.#maxRedirects = options.maxRedirects ?? 5;
    const now = options.now ?? Date.now;
    this.#transport = new Transport({
      fetch: options.fetch,
      timeoutMs: options.timeoutMs ?? 30_000,
      retry: retryPolicy(options.retry),
      sleep: options.sleep ?? defaultSleep,
      diag: this.#diag,
    });
    const endpoint = new TokenEndpoint({
      url: options.tokenEndpoint ?? `${this.authBase}/oauth/token`,
      clientId: this.clientId,
      clientSecret,
      transport: this.#transport,
      diag: this.#diag,
      now,
      // a browser client: its backend (createTokenEndpoint) holds the secret
      backend: !clientSecret && !!options.tokenEndpoint,
    });
    this.#cache = new TokenCache({
      store: this.tokenStore,
      key: this.tokenKey,
      endpoint,
      diag: this.#diag,
      now,
      allowClientCredentials: options.clientCredentials ?? !!clientSecret,
    });
    this.#login = new Login({ clientId: this.clientId, authBase: this.authBase, redirectUri: this.redirectUri, endpoint, cache: this.#cache, diag: this.#diag });
  }

  // ------------------------------------------------------------------ tokens and login

  /** A usable access token (cached, stored, or renewed; single-flight). */
  getAccessToken(): Promise<string> {
    return this.#cache.accessToken();
  }

  /**
   * The token set in use (cached, stored, or renewed; single-flight), for a backend that hands
   * the access token on (createTokenEndpoint). Never send its refresh token to a browser.
   */
  async getTokenSet(): Promise<TokenSet> {
    const token = await this.#cache.accessToken();
    const cur = this.#cache.current;
    return cur?.accessToken === token ? cur : { accessToken: token, kind: 'client_credentials', obtainedAt: Date.now() };
  }

  /** Authorize URL for the authorization_code flow with PKCE (S256) and a random state. Browser-safe. */
  authorizeUrl(opts: { state?: string; scope?: string; redirectUri?: string } = {}): Promise<AuthorizeUrlResult> {
    return this.#login.authorizeUrl(opts);
  }

  /** Throws SoundCloudAuthError('state_mismatch') unless `received` equals `expected` (constant time). */
  checkState(expected: string, received: string | null | undefined): void {
    this.#login.checkState(expected, received);
  }

  /**
   * Handles the redirect back from /authorize: checks `error`, checks state, exchanges the code.
   * `callbackUrl` is the full URL your redirect_uri received.
   */
  handleCallback(callbackUrl: string | URL, opts: { state: string; codeVerifier: string; redirectUri?: string }): Promise<TokenSet> {
    return this.#login.handleCallback(callbackUrl, opts);
  }

  /**
   * Exchanges an authorization code (with its PKCE verifier) for a user token and stores it.
   * In a browser, set `tokenEndpoint` to your backend, which adds the client secret.
   */
  exchangeCode(opts: { code: string; codeVerifier: string; redirectUri?: string }): Promise<TokenSet> {
    return this.#login.exchangeCode(opts);
  }

  /** Invalidates the session (POST /sign-out) and forgets the stored token. */
  async signOut(): Promise<void> {
    const stored = this.#cache.current ?? (await this.tokenStore.get(this.tokenKey));
    if (!stored) return;
    this.#diag.remember(stored.accessToken);
    const url = `${this.authBase}/sign-out`;
    let res: Response;
    try {
      res = await this.#transport.attempt(url, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
        body: JSON.stringify({ access_token: stored.accessToken }),
      });
    } catch (err) {
      await this.#cache.clear();
      throw this.#transport.error(err, 'POST', url, SoundCloudApiError);
    }
    const text = await res.text();
    await this.#cache.clear();
    if (!res.ok && res.status !== 400 && res.status !== 401) {
      const p = parseErrorBody(res.status, text, res.headers.get('content-type') ?? '');
      throw this.#diag.apiError({ status: res.status, code: p.code, message: `Sign-out failed: ${res.status} ${p.code}: ${p.message}` });
    }
  }

  // ------------------------------------------------------------------ API calls

  /** Resolves a path or URL against apiBase; upgrades http SoundCloud URLs; refuses other http. */
  resolveUrl(pathOrUrl: string | URL): URL {
    return this.#urls.resolve(pathOrUrl);
  }

  /**
   * One logical request: manual redirects; Authorization only to the API origin. With
   * `follow: false` a redirect is answered as it is (its `Location` is what the caller wants).
   */
  async #send(start: URL, method: string, init: RequestInit, token: string, follow = true): Promise<Response> {
    let url = start;
    let body = init.body;
    for (let hop = 0; hop <= this.#maxRedirects; hop++) {
      const headers = new Headers(init.headers ?? {});
      if (!headers.has('accept')) headers.set('Accept', 'application/json; charset=utf-8');
      if (this.#urls.authorized(url)) headers.set('Authorization', `OAuth ${token}`);
      else headers.delete('authorization');
      const res = await this.#transport.attempt(url.toString(), { ...init, method, headers, body, redirect: 'manual' });
      if (res.type === 'opaqueredirect') {
        // Browsers hide redirect targets; let the browser follow (it drops Authorization cross-origin).
        return this.#transport.attempt(url.toString(), { ...init, method, headers, body, redirect: 'follow' });
      }
      const location = res.headers.get('location');
      if (![301, 302, 303, 307, 308].includes(res.status) || !location || !follow) return res;
      await res.body?.cancel().catch(() => undefined);
      const next = this.#urls.secure(new URL(location, url));
      if (res.status === 303 || ((res.status === 301 || res.status === 302) && method === 'POST')) {
        method = method === 'HEAD' ? 'HEAD' : 'GET';
        body = undefined;
      }
      this.#diag.log('debug', `following ${res.status} to ${next.origin}${next.pathname}`);
      url = next;
    }
    throw this.#diag.apiError({ status: 0, code: 'too_many_redirects', message: `${method} ${safePath(start.toString())}: too many redirects` });
  }

  /**
   * fetch() with SoundCloud auth: `Authorization: OAuth <token>`, https only, redirects followed
   * without leaking Authorization to other origins, one renewal on 401, backoff on 429/5xx and
   * timeouts. Resolves with the final Response (check `ok`); throws SoundCloudAuthError when
   * the token cannot be fixed, SoundCloudApiError on timeout/network failure after retries.
   * Request bodies must be re-sendable (string, URLSearchParams, ArrayBuffer, Blob).
   */
  async fetch(pathOrUrl: string | URL, init: RequestInit = {}): Promise<Response> {
    return this.#fetch(this.resolveUrl(pathOrUrl), init, true);
  }

  async #fetch(url: URL, init: RequestInit, follow: boolean): Promise<Response> {
    const method = (init.method ?? 'GET').toUpperCase();
    const idempotent = ['GET', 'HEAD', 'PUT', 'DELETE', 'OPTIONS'].includes(method);
    const where = `${method} ${safePath(url.toString())}`;
    const transport = this.#transport;
    let renewed = false;
    const needsToken = this.#urls.authorized(url);
    for (let attempt = 1; ; attempt++) {
      const token = needsToken ? await this.getAccessToken() : '';
      let res: Response;
      try {
        res = await this.#send(url, method, init, token, follow);
      } catch (err) {
        if (err instanceof SoundCloudError) throw err;
        if (init.signal?.aborted) throw err;
        const e = transport.error(err, method, url.toString(), SoundCloudApiError);
        if (idempotent && attempt < transport.retry.maxAttempts) {
          await transport.backoff(attempt, undefined, `${where} ${e.code}`);
          continue;
        }
        throw e;
      }
      if (res.status === 401 && needsToken) {
        const text = await res.text();
        if (this.#cache.current?.kind === 'client_credentials' && /^\/me(\/|$)/.test(url.pathname)) {
          // Not a bad token: /me resolves to a user, and an app token has none. Renewing would
          // spend a token request (fleet-wide with a shared store) for the same answer.
          throw this.#diag.authError({
            status: 401,
            code: 'user_token_required',
            message: `${where} needs a user token (authorization_code); this client holds an app (client_credentials) token`,
            method,
            url: safePath(url.toString()),
          });
        }
        if (!renewed) {
          renewed = true;
          attempt--;
          this.#diag.log('info', `${where} answered 401; renewing the token once`);
          await this.#cache.ensure(token);
          continue;
        }
        const p = parseErrorBody(401, text, res.headers.get('content-type') ?? '');
        throw this.#diag.authError({
          status: 401,
          code: p.code === 'bad_request' ? 'invalid_token' : p.code,
          message: `${where} unauthorized after renewing the token: ${p.message}`,
          method,
          url: safePath(url.toString()),
        });
      }
      if ((res.status === 429 || (res.status >= 500 && idempotent)) && attempt < transport.retry.maxAttempts) {
        const ra = transport.retryAfterMs(res);
        if (transport.canWait(ra)) {
          await res.body?.cancel().catch(() => undefined);
          await transport.backoff(attempt, ra, `${where} answered ${res.status}`);
          continue;
        }
      }
      return res;
    }
  }

  /** GET a JSON resource. Throws SoundCloudApiError (or SoundCloudAuthError) on any non-2xx. */
  async getJson<T = unknown>(path: string, query?: Record<string, string | number | boolean | undefined | null>): Promise<T> {
    const url = this.resolveUrl(path);
    for (const [k, v] of Object.entries(query ?? {})) if (v !== undefined && v !== null) url.searchParams.set(k, String(v));
    const res = await this.fetch(url, { headers: { Accept: 'application/json; charset=utf-8' } });
    const text = await res.text();
    if (!res.ok) throw this.#failure(res, text, url);
    return this.#json<T>(res, text, url);
  }

  /**
   * A URL that plays without credentials (for `<audio>`, a player, ffmpeg, a download), from a
   * track id, a track object or a track's `stream_url` / `download_url` (a `?client_id=` on it is
   * dropped): `GET /tracks/{id}/streams` with the token, then the preferred format of its answer
   * (`http_mp3_128_url` first; `formats` to choose), falling back to the `/stream` redirect's
   * target where the API has no `/streams`; a `download_url` (or any other API URL) gives its
   * redirect's target. The Authorization header never goes to the CDN. The URL is signed and
   * expires: ask for it when playing, not when listing tracks. A URL of another origin (a CDN
   * URL already signed, a local file) is returned as it is.
   */
  async streamUrl(source: StreamSource, opts: StreamUrlOptions = {}): Promise<string> {
    const target = streamTarget(source, (u) => this.resolveUrl(u), new URL(this.apiBase).origin);
    if (target.kind === 'direct') return target.url;
    if (target.kind === 'private') {
      throw this.#diag.apiError({ status: 0, code: 'private_api', message: 'streamUrl: api-v2.soundcloud.com is a private API; use a track of api.soundcloud.com' });
    }
    if (target.kind === 'streams') {
      const res = await this.fetch(target.url, { headers: { Accept: 'application/json; charset=utf-8' } });
      const text = await res.text();
      if (res.ok) {
        const url = pickStream(this.#json(res, text, target.url), opts.formats);
        if (url) return url;
      } else if (res.status !== 404) throw this.#failure(res, text, target.url);
      return this.#redirectTarget(target.fallback);
    }
    return this.#redirectTarget(target.url);
  }

  /** The target of an API URL's redirect (not followed), or of its JSON `location`. */
  async #redirectTarget(url: URL): Promise<string> {
    const res = await this.#fetch(url, { headers: { Accept: 'application/json; charset=utf-8' } }, false);
    const location = res.headers.get('location');
    if ([301, 302, 303, 307, 308].includes(res.status) && location) {
      await res.body?.cancel().catch(() => undefined);
      return this.#urls.secure(new URL(location, url)).toString();
    }
    if (res.redirected && res.ok && res.url && !/json/i.test(res.headers.get('content-type') ?? '')) {
      // a browser followed the redirect itself (its target is hidden until then): the file's URL
      await res.body?.cancel().catch(() => undefined);
      return res.url;
    }
    const text = await res.text();
    if (!res.ok) throw this.#failure(res, text, url);
    const found = locationOf(this.#json(res, text, url));
    if (found) return this.#urls.secure(new URL(found, url)).toString();
    throw this.#diag.apiError({ status: res.status, code: 'invalid_response', message: `GET ${safePath(url.toString())}: no stream URL in the response` });
  }

  #failure(res: Response, text: string, url: URL): SoundCloudError {
    const p = parseErrorBody(res.status, text, res.headers.get('content-type') ?? '');
    const Kind = res.status === 401 || res.status === 403 ? SoundCloudAuthError : SoundCloudApiError;
    return new Kind({
      status: res.status,
      code: p.code,
      message: `GET ${safePath(url.toString())} failed: ${res.status} ${p.code}: ${p.message}`,
      method: 'GET',
      url: safePath(url.toString()),
      retryAfterMs: this.#transport.retryAfterMs(res),
      secrets: this.#diag.secrets,
    });
  }

  #json<T>(res: Response, text: string, url: URL): T {
    try {
      return JSON.parse(text) as T;
    } catch {
      throw this.#diag.apiError({ status: res.status, code: 'invalid_response', message: `GET ${safePath(url.toString())}: response is not JSON` });
    }
  }
}
