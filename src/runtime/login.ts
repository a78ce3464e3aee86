/**
 * User login: the authorize URL (authorization_code + PKCE S256 + random state), the state
 * check (constant time), the callback and the code exchange.
 */
import { createPkcePair, randomString, safeEqual } from './pkce.js';
import type { Diagnostics } from './diagnostics.js';
import type { TokenCache } from './token-cache.js';
import type { TokenEndpoint } from './token-endpoint.js';
import type { TokenSet } from './token-store.js';

export interface AuthorizeUrlResult {
  url: string;
  state: string;
  codeVerifier: string;
}

export interface LoginOptions {
  clientId: string;
  authBase: string;
  redirectUri?: string;
  endpoint: TokenEndpoint;
  cache: TokenCache;
  diag: Diagnostics;
}

export class Login {
  readonly #o: LoginOptions;

  constructor(o: LoginOptions) {
    this.#o = o;
  }

  async authorizeUrl(opts: { state?: string; scope?: string; redirectUri?: string } = {}): Promise<AuthorizeUrlResult> {
    const redirectUri = opts.redirectUri ?? this.#o.redirectUri;
    if (!redirectUri) throw new TypeError('authorizeUrl: redirectUri is required');
    if (opts.scope && /(^|[\s,])non-expiring($|[\s,])/.test(opts.scope)) {
      throw this.#o.diag.authError({ status: 0, code: 'invalid_scope', message: 'Requesting non-expiring tokens is not allowed' });
    }
    const { codeVerifier, codeChallenge } = await createPkcePair();
    const state = opts.state ?? randomString(16);
    const u = new URL(`${this.#o.authBase}/authorize`);
    u.searchParams.set('client_id', this.#o.clientId);
    u.searchParams.set('redirect_uri', redirectUri);
    u.searchParams.set('response_type', 'code');
    u.searchParams.set('code_challenge', codeChallenge);
    u.searchParams.set('code_challenge_method', 'S256');
    u.searchParams.set('state', state);
    if (opts.scope) u.searchParams.set('scope', opts.scope);
    return { url: u.toString(), state, codeVerifier };
  }

  checkState(expected: string, received: string | null | undefined): void {
    if (!expected || typeof received !== 'string' || !safeEqual(expected, received)) {
      throw this.#o.diag.authError({ status: 0, code: 'state_mismatch', message: 'OAuth state does not match; possible CSRF, restart the login' });
    }
  }

  async handleCallback(callbackUrl: string | URL, opts: { state: string; codeVerifier: string; redirectUri?: string }): Promise<TokenSet> {
    const u = new URL(String(callbackUrl));
    const error = u.searchParams.get('error');
    if (error) throw this.#o.diag.authError({ status: 0, code: error, message: `Authorization failed: ${error}` });
    this.checkState(opts.state, u.searchParams.get('state'));
    const code = u.searchParams.get('code');
    if (!code) throw this.#o.diag.authError({ status: 0, code: 'invalid_request', message: 'Callback has no code' });
    return this.exchangeCode({ code, codeVerifier: opts.codeVerifier, redirectUri: opts.redirectUri });
  }

  async exchangeCode(opts: { code: string; codeVerifier: string; redirectUri?: string }): Promise<TokenSet> {
    const redirectUri = opts.redirectUri ?? this.#o.redirectUri;
    if (!redirectUri) throw new TypeError('exchangeCode: redirectUri is required');
    if (!opts.codeVerifier) throw new TypeError('exchangeCode: codeVerifier is required (PKCE)');
    this.#o.diag.remember(opts.code);
    this.#o.diag.remember(opts.codeVerifier);
    const t = await this.#o.endpoint.authorizationCode({ code: opts.code, codeVerifier: opts.codeVerifier, redirectUri });
    await this.#o.cache.save(t);
    return t;
  }
}
