/**
 * The token cache: the token in memory, renewal ahead of expiry, single-flight renewal (one per
 * client; across processes through the store's lock), refresh grant before client_credentials,
 * and keeping a still-valid token when a renewal fails transiently.
 */
import { SoundCloudAuthError } from './errors.js';
import type { Diagnostics } from './diagnostics.js';
import type { TokenEndpoint } from './token-endpoint.js';
import { underLock, type TokenSet, type TokenStore } from './token-store.js';

export interface TokenCacheOptions {
  store: TokenStore;
  key: string;
  endpoint: TokenEndpoint;
  diag: Diagnostics;
  now: () => number;
  /** Get a client_credentials token when no usable refresh token is stored. */
  allowClientCredentials: boolean;
}

/** Renew this long before expiry: 10% of expires_in, at most 5 minutes. */
function skewMs(t: TokenSet): number {
  const lifetime = t.expiresIn ?? (t.expiresAt !== undefined ? (t.expiresAt - t.obtainedAt) / 1000 : 600);
  return Math.min(300, Math.max(0, lifetime * 0.1)) * 1000;
}
export function needsRenewal(t: TokenSet, now: number): boolean {
  return t.expiresAt !== undefined && now >= t.expiresAt - skewMs(t);
}
function expired(t: TokenSet, now: number): boolean {
  return t.expiresAt !== undefined && now >= t.expiresAt;
}

export class TokenCache {
  /** The token in use (undefined until the first call, or after sign-out). */
  current?: TokenSet;
  readonly #o: TokenCacheOptions;
  #inflight?: Promise<TokenSet>;
  #nextRenewalAt = 0;
  #renewFailures = 0;

  constructor(o: TokenCacheOptions) {
    this.#o = o;
  }

  /**
   * A usable access token: the cached one, else the store's, else a renewal (single-flight;
   * refresh grant first, client_credentials only when no usable refresh token exists).
   */
  async accessToken(): Promise<string> {
    const now = this.#o.now();
    const cur = this.current;
    if (cur && !needsRenewal(cur, now)) return cur.accessToken;
    // Renewal recently failed and the token is still valid: keep using it until the backoff ends.
    if (cur && !expired(cur, now) && now < this.#nextRenewalAt) return cur.accessToken;
    return (await this.ensure(undefined)).accessToken;
  }

  /** Joins or starts the one renewal in flight. `failed` is a token the API just rejected. */
  ensure(failed: string | undefined): Promise<TokenSet> {
    if (!this.#inflight) {
      this.#inflight = this.#renewWithFallback(failed).finally(() => {
        this.#inflight = undefined;
      });
    }
    return this.#inflight;
  }

  async #renewWithFallback(failed: string | undefined): Promise<TokenSet> {
    try {
      const t = await underLock(this.#o.store, this.#o.key, () => this.#renew(failed));
      this.#renewFailures = 0;
      this.#nextRenewalAt = 0;
      return t;
    } catch (err) {
      const cur = this.current;
      const now = this.#o.now();
      const transient = !(err instanceof SoundCloudAuthError) || err.code === 'rate_limited' || err.status >= 500 || err.status === 0;
      if (transient && cur && cur.accessToken !== failed && !expired(cur, now)) {
        this.#renewFailures++;
        const backoff = Math.min(60_000, 1000 * 2 ** Math.min(this.#renewFailures, 6));
        this.#nextRenewalAt = now + backoff;
        this.#o.diag.log('warn', `token renewal failed (${(err as Error).message}); keeping the still-valid token`);
        return cur;
      }
      throw err;
    }
  }

  /** Runs inside the store's lock: re-read, use a token another process stored, else renew. */
  async #renew(failed: string | undefined): Promise<TokenSet> {
    const { store, key, endpoint, diag } = this.#o;
    const stored = await store.get(key);
    const now = this.#o.now();
    if (stored) {
      diag.remember(stored.accessToken);
      diag.remember(stored.refreshToken);
    }
    // Another caller or process may have renewed already: use its token.
    if (stored && stored.accessToken !== failed && !needsRenewal(stored, now)) {
      this.current = stored;
      return stored;
    }
    let next: TokenSet | undefined;
    if (stored?.refreshToken) {
      try {
        next = await endpoint.refresh(stored);
      } catch (err) {
        if (!(err instanceof SoundCloudAuthError) || !['invalid_grant', 'invalid_token'].includes(err.code)) throw err;
        diag.log('warn', `refresh token rejected (${err.code})`);
        if (stored.kind === 'user' || !this.#o.allowClientCredentials) {
          await store.delete(key);
          this.current = undefined;
          throw diag.authError({ status: err.status, code: 'login_required', message: 'The refresh token was rejected; the user must sign in again' });
        }
      }
    }
    if (!next) {
      if (!this.#o.allowClientCredentials) {
        throw diag.authError({
          status: 0,
          code: 'login_required',
          message: endpoint.hasSecret
            ? 'No token stored; sign the user in (authorizeUrl + exchangeCode)'
            : 'No token stored and no client secret: sign the user in (authorizeUrl + exchangeCode)',
        });
      }
      next = await endpoint.clientCredentials();
    }
    // Use the new token even if storing it fails (store unreachable): it is valid, and the refresh
    // token it came with was just spent; the failure still surfaces as a failed renewal.
    this.current = next;
    await store.set(key, next);
    return next;
  }

  /** Stores a token obtained elsewhere (code exchange) and uses it. */
  async save(t: TokenSet): Promise<void> {
    await underLock(this.#o.store, this.#o.key, async () => {
      await this.#o.store.set(this.#o.key, t);
      this.current = t;
    });
  }

  /** Forgets the token, in memory and in the store. */
  async clear(): Promise<void> {
    await underLock(this.#o.store, this.#o.key, async () => {
      await this.#o.store.delete(this.#o.key);
      this.current = undefined;
    });
  }
}
