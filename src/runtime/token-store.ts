/**
 * Token storage. A store holds token sets by key (the client uses `<clientId>:<kind>` keys
 * unless `tokenKey` is given) and may offer an exclusive lock used around renewals.
 *
 * Implementing your own (Redis, a database...):
 * - `get` returns what `set` stored last (or undefined); values are plain JSON.
 * - `set` must replace the value atomically (readers never see half a write).
 * - `withLock(key, fn)` (optional but strongly recommended when several processes share the
 *   store): run `fn` while no other holder of the same key's lock runs; release on throw.
 *   The client re-reads the store inside the lock, so a process that waited uses the token
 *   the winner stored instead of refreshing again (refresh tokens are single-use).
 *   Without `withLock`, renewals are single-flight within one client only.
 */
export interface TokenSet {
  accessToken: string;
  /** Single-use; every refresh returns a new one that replaces it. */
  refreshToken?: string;
  /** Absolute expiry (ms since epoch), from `expires_in`; undefined when the server sent none. */
  expiresAt?: number;
  /** `expires_in` of the response that produced this token (seconds). */
  expiresIn?: number;
  scope?: string;
  /** Which grant produced it (refreshes keep the original kind). */
  kind: 'client_credentials' | 'user';
  /** When it was obtained (ms since epoch). */
  obtainedAt: number;
}

export interface TokenStore {
  get(key: string): Promise<TokenSet | undefined>;
  set(key: string, value: TokenSet): Promise<void>;
  delete(key: string): Promise<void>;
  withLock?<T>(key: string, fn: () => Promise<T>): Promise<T>;
}

/** Promise-chain mutex per key (in-process). */
export class KeyedMutex {
  private tails = new Map<string, Promise<unknown>>();
  async run<T>(key: string, fn: () => Promise<T>): Promise<T> {
    const prev = this.tails.get(key) ?? Promise.resolve();
    let release!: () => void;
    const mine = new Promise<void>((r) => (release = r));
    const tail = prev.then(() => mine);
    this.tails.set(key, tail);
    await prev.catch(() => undefined);
    try {
      return await fn();
    } finally {
      release();
      if (this.tails.get(key) === tail) this.tails.delete(key);
    }
  }
}

/** The default store: process memory, shared by every client given the same instance. */
export class MemoryTokenStore implements TokenStore {
  private data = new Map<string, TokenSet>();
  private mutex = new KeyedMutex();
  async get(key: string): Promise<TokenSet | undefined> {
    const v = this.data.get(key);
    return v ? { ...v } : undefined;
  }
  async set(key: string, value: TokenSet): Promise<void> {
    this.data.set(key, { ...value });
  }
  async delete(key: string): Promise<void> {
    this.data.delete(key);
  }
  withLock<T>(key: string, fn: () => Promise<T>): Promise<T> {
    return this.mutex.run(key, fn);
  }
}

/** Runs `fn` under the store's lock for `key` when it has one (else directly). */
export function underLock<T>(store: TokenStore, key: string, fn: () => Promise<T>): Promise<T> {
  return store.withLock ? store.withLock(key, fn) : fn();
}
