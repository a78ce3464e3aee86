/**
 * SoundCloudClient: SoundCloud API auth done right (see docs/runtime.md).
 *
 * Browser-safe: uses only global fetch, URL, Headers, TextEncoder and Web Crypto.
 */
import { SoundCloudApiError, SoundCloudAuthError, SoundCloudError, parseErrorBody } from './errors.js';
import { redact } from './redact.js';
import { basicAuthHeader, createPkcePair, randomString, safeEqual } from './pkce.js';
import { MemoryTokenStore, type TokenSet, type TokenStore } from './token-store.js';

export const DEFAULT_API_BASE = 'https://api.soundcloud.com';
export const DEFAULT_AUTH_BASE = 'https://secure.soundcloud.com';

export interface Logger {
  debug?(message: string): void;
  info?(message: string): void;
  warn?(message: string): void;
  error?(message: string): void;
}

export interface RetryOptions {
  /** Total attempts for one call on 429 / 5xx / timeout / network error (default 4). */
  maxAttempts?: number;
  /** First backoff delay; doubles each attempt, with jitter (default 500 ms). */
  baseDelayMs?: number;
  /** Cap for any single delay, including Retry-After (default 30 s). A longer Retry-After is not waited for. */
  maxDelayMs?: number;
}

export type FetchFn = (input: string | URL | Request, init?: RequestInit) => Promise<Response>;

export interface SoundCloudClientOptions {
  clientId: string;
  /** Server-side only. Never ship it to a browser. */
  clientSecret?: string;
  redirectUri?: string;
  /** Default: a new MemoryTokenStore. Use FileTokenStore (or your own) to share tokens across restarts/processes. */
  tokenStore?: TokenStore;
  /** Default: globalThis.fetch (looked up at call time). */
  fetch?: FetchFn;
  /** Default: env SC_MIGRATE_API_BASE, else https://api.soundcloud.com. */
  apiBase?: string;
  /** Default: env SC_MIGRATE_AUTH_BASE, else https://secure.soundcloud.com. */
  authBase?: string;
  /** Token endpoint override, e.g. your backend that adds the secret for a browser app (default `${authBase}/oauth/token`). */
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

export interface AuthorizeUrlResult {
  url: string;
  state: string;
  codeVerifier: string;
}

const SOUNDCLOUD_HOST = /(^|\.)soundcloud\.com$|(^|\.)sndcdn\.com$/i;

function env(name: string): string | undefined {
  const p = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process;
  return p?.env?.[name] || undefined;
}

function trimBase(u: string): string {
  return u.replace(/\/+$/, '');
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

  readonly #clientSecret?: string;
  readonly #fetch?: FetchFn;
  readonly #now: () => number;
  readonly #logger?: Logger;
  readonly #timeoutMs: number;
  readonly #retry: Required<RetryOptions>;
  readonly #sleep: (ms: number) => Promise<void>;
  readonly #maxRedirects: number;
  readonly #tokenEndpoint: string;
  readonly #allowClientCredentials: boolean;
  readonly #secrets = new Set<string>();
  #current?: TokenSet;
  #inflight?: Promise<TokenSet>;
  #nextRenewalAt = 0;
  #renewFailures = 0;

  constructor(options: SoundCloudClientOptions) {
    if (!options?.clientId) throw new TypeError('SoundCloudClient: clientId is required');
    this.clientId = options.clientId;
    this.#clientSecret = options.clientSecret || undefined;
    this.redirectUri = options.redirectUri;
    this.apiBase = trimBase(options.apiBase ?? env('SC_MIGRATE_API_BASE') ?? DEFAULT_API_BASE);
    this.authBase = trimBase(options.authBase ?? env('SC_MIGRATE_AUTH_BASE') ?? DEFAULT_AUTH_BASE);
    this.#tokenEndpoint = options.tokenEndpoint ?? `${this.authBase}/oauth/token`;
    this.tokenStore = options.tokenStore ?? new MemoryTokenStore();
    this.tokenKey = options.tokenKey ?? `soundcloud:${this.clientId}`;
    this.#fetch = options.fetch;
    this.#now = options.now ?? Date.now;
    this.#logger = options.logger;
    this.#timeoutMs = options.timeoutMs ?? 30_000;
    this.#retry = {
      maxAttempts: options.retry?.maxAttempts ?? 4,
      baseDelayMs: options.retry?.baseDelayMs ?? 500,
      maxDelayMs: options.retry?.maxDelayMs ?? 30_000,
    };
    this.#sleep = options.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms)));
    this.#maxRedirects = options.maxRedirects ?? 5;
    this.#allowClientCredentials = options.clientCredentials ?? !!this.#clientSecret;
    if (this.#clientSecret) this.#remember(this.#clientSecret);
    for (const base of [this.apiBase, this.authBase]) {
      const u = new URL(base);
      if (u.protocol !== 'https:' && !/^(127\.0\.0\.1|localhost|\[::1\])$/.test(u.hostname)) {
        throw new SoundCloudApiError({ status: 0, code: 'insecure_url', message: `SoundCloudClient: ${base} is not https` });
      }
    }
  }

  // ------------------------------------------------------------------ logging / secrets

  #remember(secret: string | undefined) {
    if (!secret) return;
    this.#secrets.add(secret);
    if (this.#secrets.size > 256) {
      const first = this.#secrets.values().next().value;
      if (first !== undefined && first !== this.#clientSecret) this.#secrets.delete(first);
    }
  }

  #log(level: keyof Logger, message: string) {
    const fn = this.#logger?.[level];
    if (fn) fn.call(this.#logger, redact(`[soundcloud] ${message}`, this.#secrets));
  }

  #apiError(init: ConstructorParameters<typeof SoundCloudApiError>[0]) {
    return new SoundCloudApiError({ ...init, secrets: this.#secrets });
  }
  #authError(init: ConstructorParameters<typeof SoundCloudAuthError>[0]) {
    return new SoundCloudAuthError({ ...init, secrets: this.#secrets });
  }

  #doFetch(input: string, init: RequestInit): Promise<Response> {
    const f = this.#fetch ?? (globalThis.fetch as FetchFn);
    return f(input, init);
  }

  // ------------------------------------------------------------------ tokens

  /** Renew this long before expiry: 10% of expires_in, at most 5 minutes. */
  #skewMs(t: TokenSet): number {
    const lifetime = t.expiresIn ?? (t.expiresAt !== undefined ? (t.expiresAt - t.obtainedAt) / 1000 : 600);
    return Math.min(300, Math.max(0, lifetime * 0.1)) * 1000;
  }
  #needsRenewal(t: TokenSet, now: number): boolean {
    return t.expiresAt !== undefined && now >= t.expiresAt - this.#skewMs(t);
  }
  #expired(t: TokenSet, now: number): boolean {
    return t.expiresAt !== undefined && now >= t.expiresAt;
  }

  /**
   * A usable access token: the cached one, else the store's, else a renewal (single-flight;
   * refresh grant first, client_credentials only when no usable refresh token exists).
   */
  async getAccessToken(): Promise<string> {
    const now = this.#now();
    const cur = this.#current;
    if (cur && !this.#needsRenewal(cur, now)) return cur.accessToken;
    // Renewal recently failed and the token is still valid: keep using it until the backoff ends.
    if (cur && !this.#expired(cur, now) && now < this.#nextRenewalAt) return cur.accessToken;
    return (await this.#ensureToken(undefined)).accessToken;
  }

  /** Joins or starts the one renewal in flight. `failed` is a token the API just rejected. */
  #ensureToken(failed: string | undefined): Promise<TokenSet> {
    if (!this.#inflight) {
      this.#inflight = this.#renewWithFallback(failed).finally(() => {
        this.#inflight = undefined;
      });
    }
    return this.#inflight;
  }

  async #renewWithFallback(failed: string | undefined): Promise<TokenSet> {
    try {
      const t = await this.#renewLocked(failed);
      this.#renewFailures = 0;
      this.#nextRenewalAt = 0;
      return t;
    } catch (err) {
      const cur = this.#current;
      const now = this.#now();
      const transient = !(err instanceof SoundCloudAuthError) || err.code === 'rate_limited' || err.status >= 500 || err.status === 0;
      if (transient && cur && cur.accessToken !== failed && !this.#expired(cur, now)) {
        this.#renewFailures++;
        const backoff = Math.min(60_000, 1000 * 2 ** Math.min(this.#renewFailures, 6));
        this.#nextRenewalAt = now + backoff;
        this.#log('warn', `token renewal failed (${(err as Error).message}); keeping the still-valid token`);
        return cur;
      }
      throw err;
    }
  }

  async #renewLocked(failed: string | undefined): Promise<TokenSet> {
    const store = this.tokenStore;
    const run = async (): Promise<TokenSet> => {
      const stored = await store.get(this.tokenKey);
      const now = this.#now();
      if (stored) {
        this.#remember(stored.accessToken);
        this.#remember(stored.refreshToken);
      }
      // Another caller or process may have renewed already: use its token.
      if (stored && stored.accessToken !== failed && !this.#needsRenewal(stored, now)) {
        this.#current = stored;
        return stored;
      }
      let next: TokenSet | undefined;
      if (stored?.refreshToken) {
        try {
          next = await this.#refreshGrant(stored);
        } catch (err) {
          if (!(err instanceof SoundCloudAuthError) || !['invalid_grant', 'invalid_token'].includes(err.code)) throw err;
          this.#log('warn', `refresh token rejected (${err.code})`);
          if (stored.kind === 'user' || !this.#allowClientCredentials) {
            await store.delete(this.tokenKey);
            this.#current = undefined;
            throw this.#authError({ status: err.status, code: 'login_required', message: 'The refresh token was rejected; the user must sign in again' });
          }
        }
      }
      if (!next) {
        if (!this.#allowClientCredentials) {
          throw this.#authError({
            status: 0,
            code: 'login_required',
            message: this.#clientSecret
              ? 'No token stored; sign the user in (authorizeUrl + exchangeCode)'
              : 'No token stored and no client secret: sign the user in (authorizeUrl + exchangeCode)',
          });
        }
        next = await this.#clientCredentialsGrant();
      }
      await store.set(this.tokenKey, next);
      this.#current = next;
      return next;
    };
    return store.withLock ? store.withLock(this.tokenKey, run) : run();
  }

  async #clientCredentialsGrant(): Promise<TokenSet> {
    if (!this.#clientSecret) throw this.#authError({ status: 0, code: 'invalid_client', message: 'client_credentials needs clientSecret' });
    this.#log('info', 'requesting a client_credentials token');
    const body = new URLSearchParams({ grant_type: 'client_credentials' });
    return this.#tokenRequest(body, 'client_credentials', basicAuthHeader(this.clientId, this.#clientSecret));
  }

  async #refreshGrant(stored: TokenSet): Promise<TokenSet> {
    this.#log('info', 'renewing the access token with the refresh grant');
    const body = new URLSearchParams({ grant_type: 'refresh_token', refresh_token: stored.refreshToken!, client_id: this.clientId });
    if (this.#clientSecret) body.set('client_secret', this.#clientSecret);
    return this.#tokenRequest(body, stored.kind);
  }

  async #tokenRequest(body: URLSearchParams, kind: TokenSet['kind'], authorization?: string): Promise<TokenSet> {
    const headers: Record<string, string> = {
      'Content-Type': 'application/x-www-form-urlencoded',
      Accept: 'application/json; charset=utf-8',
    };
    if (authorization) headers['Authorization'] = authorization;
    const grant = body.get('grant_type') ?? '';
    for (let attempt = 1; ; attempt++) {
      let res: Response;
      try {
        res = await this.#withTimeout(this.#tokenEndpoint, { method: 'POST', headers, body: body.toString(), redirect: 'error' });
      } catch (err) {
        const e = this.#transportError(err, 'POST', this.#tokenEndpoint, SoundCloudAuthError);
        if (attempt < this.#retry.maxAttempts) {
          await this.#backoff(attempt, undefined, `token request (${grant}) ${e.code}`);
          continue;
        }
        throw e;
      }
      const text = await res.text();
      if (res.ok) {
        let json: any;
        try {
          json = JSON.parse(text);
        } catch {
          json = undefined;
        }
        if (!json || typeof json.access_token !== 'string' || !json.access_token) {
          throw this.#authError({ status: res.status, code: 'invalid_response', message: 'Token endpoint answered without an access_token' });
        }
        const now = this.#now();
        const expiresIn = typeof json.expires_in === 'number' ? json.expires_in : Number(json.expires_in) || undefined;
        const t: TokenSet = {
          accessToken: json.access_token,
          refreshToken: typeof json.refresh_token === 'string' && json.refresh_token ? json.refresh_token : undefined,
          expiresAt: expiresIn !== undefined ? now + expiresIn * 1000 : undefined,
          expiresIn,
          scope: typeof json.scope === 'string' ? json.scope : undefined,
          kind,
          obtainedAt: now,
        };
        this.#remember(t.accessToken);
        this.#remember(t.refreshToken);
        this.#log('info', `got a token (${grant}), expires_in=${expiresIn ?? 'none'}`);
        return t;
      }
      const parsed = parseErrorBody(res.status, text, res.headers.get('content-type') ?? '');
      const retryable = res.status >= 500 || (res.status === 429 && this.#retryAfterMs(res) !== undefined);
      if (retryable && attempt < this.#retry.maxAttempts) {
        const ra = this.#retryAfterMs(res);
        if (ra === undefined || ra <= this.#retry.maxDelayMs) {
          await this.#backoff(attempt, ra, `token request (${grant}) answered ${res.status}`);
          continue;
        }
      }
      throw this.#authError({
        status: res.status,
        code: parsed.code,
        message: `Token request (${grant}) failed: ${res.status} ${parsed.code}: ${parsed.message}`,
        method: 'POST',
        url: this.#tokenEndpoint,
        retryAfterMs: this.#retryAfterMs(res),
      });
    }
  }

  // ------------------------------------------------------------------ user login (PKCE)

  /** Authorize URL for the authorization_code flow with PKCE (S256) and a random state. Browser-safe. */
  async authorizeUrl(opts: { state?: string; scope?: string; redirectUri?: string } = {}): Promise<AuthorizeUrlResult> {
    const redirectUri = opts.redirectUri ?? this.redirectUri;
    if (!redirectUri) throw new TypeError('authorizeUrl: redirectUri is required');
    if (opts.scope && /(^|[\s,])non-expiring($|[\s,])/.test(opts.scope)) {
      throw this.#authError({ status: 0, code: 'invalid_scope', message: 'Requesting non-expiring tokens is not allowed' });
    }
    const { codeVerifier, codeChallenge } = await createPkcePair();
    const state = opts.state ?? randomString(16);
    const u = new URL(`${this.authBase}/authorize`);
    u.searchParams.set('client_id', this.clientId);
    u.searchParams.set('redirect_uri', redirectUri);
    u.searchParams.set('response_type', 'code');
    u.searchParams.set('code_challenge', codeChallenge);
    u.searchParams.set('code_challenge_method', 'S256');
    u.searchParams.set('state', state);
    if (opts.scope) u.searchParams.set('scope', opts.scope);
    return { url: u.toString(), state, codeVerifier };
  }

  /** Throws SoundCloudAuthError('state_mismatch') unless `received` equals `expected` (constant time). */
  checkState(expected: string, received: string | null | undefined): void {
    if (!expected || typeof received !== 'string' || !safeEqual(expected, received)) {
      throw this.#authError({ status: 0, code: 'state_mismatch', message: 'OAuth state does not match; possible CSRF, restart the login' });
    }
  }

  /**
   * Handles the redirect back from /authorize: checks `error`, checks state, exchanges the code.
   * `callbackUrl` is the full URL your redirect_uri received.
   */
  async handleCallback(callbackUrl: string | URL, opts: { state: string; codeVerifier: string; redirectUri?: string }): Promise<TokenSet> {
    const u = new URL(String(callbackUrl));
    const error = u.searchParams.get('error');
    if (error) {
      throw this.#authError({ status: 0, code: error, message: `Authorization failed: ${error}` });
    }
    this.checkState(opts.state, u.searchParams.get('state'));
    const code = u.searchParams.get('code');
    if (!code) throw this.#authError({ status: 0, code: 'invalid_request', message: 'Callback has no code' });
    return this.exchangeCode({ code, codeVerifier: opts.codeVerifier, redirectUri: opts.redirectUri });
  }

  /**
   * Exchanges an authorization code (with its PKCE verifier) for a user token and stores it.
   * In a browser, set `tokenEndpoint` to your backend, which adds the client secret.
   */
  async exchangeCode(opts: { code: string; codeVerifier: string; redirectUri?: string }): Promise<TokenSet> {
    const redirectUri = opts.redirectUri ?? this.redirectUri;
    if (!redirectUri) throw new TypeError('exchangeCode: redirectUri is required');
    if (!opts.codeVerifier) throw new TypeError('exchangeCode: codeVerifier is required (PKCE)');
    this.#remember(opts.code);
    this.#remember(opts.codeVerifier);
    const body = new URLSearchParams({
      grant_type: 'authorization_code',
      client_id: this.clientId,
      redirect_uri: redirectUri,
      code: opts.code,
      code_verifier: opts.codeVerifier,
    });
    if (this.#clientSecret) body.set('client_secret', this.#clientSecret);
    const t = await this.#tokenRequest(body, 'user');
    const store = this.tokenStore;
    const save = async () => {
      await store.set(this.tokenKey, t);
      this.#current = t;
    };
    await (store.withLock ? store.withLock(this.tokenKey, save) : save());
    return t;
  }

  /** Invalidates the session (POST /sign-out) and forgets the stored token. */
  async signOut(): Promise<void> {
    const stored = this.#current ?? (await this.tokenStore.get(this.tokenKey));
    const clear = async () => {
      await this.tokenStore.delete(this.tokenKey);
      this.#current = undefined;
    };
    if (!stored) return;
    this.#remember(stored.accessToken);
    const url = `${this.authBase}/sign-out`;
    let res: Response;
    try {
      res = await this.#withTimeout(url, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
        body: JSON.stringify({ access_token: stored.accessToken }),
      });
    } catch (err) {
      await (this.tokenStore.withLock ? this.tokenStore.withLock(this.tokenKey, clear) : clear());
      throw this.#transportError(err, 'POST', url, SoundCloudApiError);
    }
    const text = await res.text();
    await (this.tokenStore.withLock ? this.tokenStore.withLock(this.tokenKey, clear) : clear());
    if (!res.ok && res.status !== 400 && res.status !== 401) {
      const p = parseErrorBody(res.status, text, res.headers.get('content-type') ?? '');
      throw this.#apiError({ status: res.status, code: p.code, message: `Sign-out failed: ${res.status} ${p.code}: ${p.message}` });
    }
  }

  // ------------------------------------------------------------------ API calls

  /** Resolves a path or URL against apiBase; upgrades http SoundCloud URLs; refuses other http. */
  resolveUrl(pathOrUrl: string | URL): URL {
    const s = String(pathOrUrl);
    let u: URL;
    if (/^[a-z][a-z0-9+.-]*:/i.test(s)) u = new URL(s);
    else u = new URL(this.apiBase + (s.startsWith('/') ? s : `/${s}`));
    return this.#secureUrl(u);
  }

  #secureUrl(u: URL): URL {
    const host = u.hostname.toLowerCase();
    // Map the real hosts onto configured bases (mock/proxy), upgrading http on the way.
    if (host === 'api.soundcloud.com' && this.apiBase !== DEFAULT_API_BASE) return new URL(this.apiBase + u.pathname + u.search);
    if (host === 'secure.soundcloud.com' && this.authBase !== DEFAULT_AUTH_BASE) return new URL(this.authBase + u.pathname + u.search);
    if (u.protocol === 'https:') return u;
    if (u.protocol === 'http:') {
      if (SOUNDCLOUD_HOST.test(host)) {
        const up = new URL(u.toString());
        up.protocol = 'https:';
        return up;
      }
      if (u.origin === new URL(this.apiBase).origin || u.origin === new URL(this.authBase).origin) return u;
    }
    throw this.#apiError({ status: 0, code: 'insecure_url', message: `Refusing a non-https URL: ${u.origin}` });
  }

  #authorizedOrigin(u: URL): boolean {
    return u.origin === new URL(this.apiBase).origin;
  }

  async #withTimeout(url: string, init: RequestInit): Promise<Response> {
    const controller = new AbortController();
    const outer = init.signal;
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, this.#timeoutMs);
    const onAbort = () => controller.abort(outer?.reason);
    if (outer) {
      if (outer.aborted) controller.abort(outer.reason);
      else outer.addEventListener('abort', onAbort, { once: true });
    }
    try {
      return await this.#doFetch(url, { ...init, signal: controller.signal });
    } catch (err) {
      if (timedOut) throw new TimeoutMarker();
      throw err;
    } finally {
      clearTimeout(timer);
      outer?.removeEventListener('abort', onAbort);
    }
  }

  #transportError(
    err: unknown,
    method: string,
    url: string,
    Kind: typeof SoundCloudApiError | typeof SoundCloudAuthError,
  ): SoundCloudError {
    if (err instanceof SoundCloudError) return err;
    const path = safePath(url);
    if (err instanceof TimeoutMarker) {
      return new Kind({ status: 0, code: 'timeout', message: `${method} ${path} timed out after ${this.#timeoutMs} ms`, method, url: path, secrets: this.#secrets });
    }
    const cause = (err as { cause?: { code?: string } })?.cause?.code;
    return new Kind({
      status: 0,
      code: 'network_error',
      message: `${method} ${path} failed: network error${cause ? ` (${String(cause).slice(0, 40)})` : ''}`,
      method,
      url: path,
      secrets: this.#secrets,
    });
  }

  #retryAfterMs(res: Response): number | undefined {
    const h = res.headers.get('retry-after');
    if (!h) return undefined;
    if (/^\d+(\.\d+)?$/.test(h.trim())) return Math.round(Number(h) * 1000);
    const d = Date.parse(h);
    return Number.isNaN(d) ? undefined : Math.max(0, d - Date.now());
  }

  async #backoff(attempt: number, retryAfterMs: number | undefined, why: string) {
    const exp = Math.min(this.#retry.maxDelayMs, this.#retry.baseDelayMs * 2 ** (attempt - 1));
    const delay = retryAfterMs !== undefined ? Math.min(retryAfterMs, this.#retry.maxDelayMs) : Math.round(exp / 2 + (Math.random() * exp) / 2);
    this.#log('warn', `${why}; retrying in ${delay} ms (attempt ${attempt + 1}/${this.#retry.maxAttempts})`);
    await this.#sleep(delay);
  }

  /** One logical request: manual redirects; Authorization only to the API origin. */
  async #send(start: URL, method: string, init: RequestInit, token: string): Promise<Response> {
    let url = start;
    let body = init.body;
    for (let hop = 0; hop <= this.#maxRedirects; hop++) {
      const headers = new Headers(init.headers ?? {});
      if (!headers.has('accept')) headers.set('Accept', 'application/json; charset=utf-8');
      if (this.#authorizedOrigin(url)) headers.set('Authorization', `OAuth ${token}`);
      else headers.delete('authorization');
      const res = await this.#withTimeout(url.toString(), { ...init, method, headers, body, redirect: 'manual' });
      if (res.type === 'opaqueredirect') {
        // Browsers hide redirect targets; let the browser follow (it drops Authorization cross-origin).
        return this.#withTimeout(url.toString(), { ...init, method, headers, body, redirect: 'follow' });
      }
      const location = res.headers.get('location');
      if (![301, 302, 303, 307, 308].includes(res.status) || !location) return res;
      await res.body?.cancel().catch(() => undefined);
      const next = this.#secureUrl(new URL(location, url));
      if (res.status === 303 || ((res.status === 301 || res.status === 302) && method === 'POST')) {
        method = method === 'HEAD' ? 'HEAD' : 'GET';
        body = undefined;
      }
      this.#log('debug', `following ${res.status} to ${next.origin}${next.pathname}`);
      url = next;
    }
    throw this.#apiError({ status: 0, code: 'too_many_redirects', message: `${method} ${safePath(start.toString())}: too many redirects` });
  }

  /**
   * fetch() with SoundCloud auth: `Authorization: OAuth <token>`, https only, redirects followed
   * without leaking Authorization to other origins, one renewal on 401, backoff on 429/5xx and
   * timeouts. Resolves with the final Response (check `ok`); throws SoundCloudAuthError when
   * the token cannot be fixed, SoundCloudApiError on timeout/network failure after retries.
   * Request bodies must be re-sendable (string, URLSearchParams, ArrayBuffer, Blob).
   */
  async fetch(pathOrUrl: string | URL, init: RequestInit = {}): Promise<Response> {
    const url = this.resolveUrl(pathOrUrl);
    const method = (init.method ?? 'GET').toUpperCase();
    const idempotent = ['GET', 'HEAD', 'PUT', 'DELETE', 'OPTIONS'].includes(method);
    let renewed = false;
    const needsToken = this.#authorizedOrigin(url);
    for (let attempt = 1; ; attempt++) {
      const token = needsToken ? await this.getAccessToken() : '';
      let res: Response;
      try {
        res = await this.#send(url, method, init, token);
      } catch (err) {
        if (err instanceof SoundCloudError) throw err;
        if (init.signal?.aborted) throw err;
        const e = this.#transportError(err, method, url.toString(), SoundCloudApiError);
        if (idempotent && attempt < this.#retry.maxAttempts) {
          await this.#backoff(attempt, undefined, `${method} ${safePath(url.toString())} ${e.code}`);
          continue;
        }
        throw e;
      }
      if (res.status === 401 && needsToken) {
        const text = await res.text();
        if (!renewed) {
          renewed = true;
          attempt--;
          this.#log('info', `${method} ${safePath(url.toString())} answered 401; renewing the token once`);
          await this.#ensureToken(token);
          continue;
        }
        const p = parseErrorBody(401, text, res.headers.get('content-type') ?? '');
        throw this.#authError({
          status: 401,
          code: p.code === 'bad_request' ? 'invalid_token' : p.code,
          message: `${method} ${safePath(url.toString())} unauthorized after renewing the token: ${p.message}`,
          method,
          url: safePath(url.toString()),
        });
      }
      if ((res.status === 429 || (res.status >= 500 && idempotent)) && attempt < this.#retry.maxAttempts) {
        const ra = this.#retryAfterMs(res);
        if (ra === undefined || ra <= this.#retry.maxDelayMs) {
          await res.body?.cancel().catch(() => undefined);
          await this.#backoff(attempt, ra, `${method} ${safePath(url.toString())} answered ${res.status}`);
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
    if (!res.ok) {
      const p = parseErrorBody(res.status, text, res.headers.get('content-type') ?? '');
      const Kind = res.status === 401 || res.status === 403 ? SoundCloudAuthError : SoundCloudApiError;
      throw new Kind({
        status: res.status,
        code: p.code,
        message: `GET ${safePath(url.toString())} failed: ${res.status} ${p.code}: ${p.message}`,
        method: 'GET',
        url: safePath(url.toString()),
        retryAfterMs: this.#retryAfterMs(res),
        secrets: this.#secrets,
      });
    }
    try {
      return JSON.parse(text) as T;
    } catch {
      throw this.#apiError({ status: res.status, code: 'invalid_response', message: `GET ${safePath(url.toString())}: response is not JSON` });
    }
  }
}

class TimeoutMarker extends Error {
  constructor() {
    super('timeout');
  }
}

/** Path + redacted query, for messages. */
function safePath(url: string): string {
  try {
    const u = new URL(url);
    return redact(u.pathname + u.search);
  } catch {
    return redact(url);
  }
}
