/**
 * RedisTokenStore: one token shared by a fleet (many processes, many machines) through the
 * Redis client the app already has: node-redis (`redis` v4/v5, `createClient`) or `ioredis`.
 * The runtime imports neither; it adapts on the shape of the client and sends a few commands
 * (GET, SET NX, EVAL).
 *
 * - Single-flight across machines: `withLock` takes a Redis lock (`SET NX PX` inside a script)
 *   whose value is a random nonce; the holder extends it while it runs and releases it with a
 *   compare-and-delete script. A crashed holder stops extending, so its lock expires within
 *   `lockTtlMs`. Waiters poll every `pollMs`, then re-read the store (the client does) and use
 *   the token the holder stored instead of renewing again.
 * - Fencing: each acquisition gets a fence number (Redis `TIME` in microseconds, kept strictly
 *   increasing, so it survives a Redis restart). Writes made under the lock carry it, and a
 *   script refuses a write whose fence is older than the stored token's: a slow holder whose
 *   lock expired can never overwrite a newer token. Access and refresh token are one value, so
 *   a rotated refresh token is written atomically with its access token.
 * - Data loss (Redis restarted without persistence, key evicted): the store keeps the last
 *   value it saw per key and puts it back (`SET NX`) when the key is gone, so the fleet renews
 *   with the refresh token it already had (one token request) instead of a new
 *   client_credentials token each. `delete` leaves a tombstone, so a deleted token is not
 *   restored.
 * - Redis unreachable: calls fail with `TokenStoreError` (code `token_store_unavailable`,
 *   naming the store and the reason code, never a value), or, with `fallback: 'memory'`,
 *   go on with a process-local store until Redis answers again.
 *
 * Keys (hash-tagged, so the scripts also work on Redis Cluster): `<key>:{<tokenKey>}:token`,
 * `...:lock`, `...:fence`.
 */
import { TokenStoreError } from './errors.js';
import { KeyedMutex, MemoryTokenStore, type TokenSet, type TokenStore } from './token-store.js';

/** The few commands the store needs; `RedisTokenStore` builds one from a node-redis or ioredis client. */
export interface RedisCommands {
  send(args: string[]): Promise<unknown>;
  /** False when the client is known to be disconnected (then calls fail fast). */
  usable(): boolean;
}

export type RedisTokenStoreEvent =
  | 'lock_acquired'
  | 'lock_wait'
  | 'lock_released'
  | 'lock_lost'
  | 'stale_write_refused'
  | 'restored'
  | 'fallback';

export interface RedisTokenStoreOptions {
  /** A connected node-redis (v4/v5) or ioredis client, or a `RedisCommands` adapter. */
  client: unknown;
  /** Prefix of this store's Redis keys (default `sc-migrate:tokens`). */
  key?: string;
  /** A crashed lock holder blocks renewal at most this long; a live one extends it (default 10 s). */
  lockTtlMs?: number;
  /** Give up waiting for the lock after this long: `token_store_lock_timeout` (default 30 s). */
  lockWaitMs?: number;
  /** How often a waiter retries the lock (default 50 ms, with jitter). */
  pollMs?: number;
  /** A command that has not answered after this long counts as Redis unreachable (default 2 s). */
  commandTimeoutMs?: number;
  /** `'memory'`: when Redis is unreachable, go on with a process-local store (default: fail with TokenStoreError). */
  fallback?: 'memory' | 'none';
  /** After an unreachable error, how long the memory fallback is used before Redis is tried again (default 1 s). */
  retryAfterMs?: number;
  /** Put back the last token seen when Redis lost it (restart without persistence; default true). */
  restoreLost?: boolean;
  /** Observability hook (metrics, logs, tests). Never receives a token. */
  onEvent?: (event: RedisTokenStoreEvent, info: { key: string; fence?: string }) => void;
}

/** Takes the lock when free; returns the new fence (a strictly increasing integer as a string). */
const ACQUIRE = `
if redis.call('EXISTS', KEYS[1]) == 1 then return false end
local t = redis.call('TIME')
local f = tonumber(t[1]) * 1000000 + tonumber(t[2])
local last = tonumber(redis.call('GET', KEYS[2]) or '0') or 0
if f <= last then f = last + 1 end
local fs = string.format('%.0f', f)
redis.call('SET', KEYS[2], fs)
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
return fs`;

const EXTEND = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return 0`;

/** Compare-and-delete: only the holder of the nonce releases the lock. */
const RELEASE = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`;

/**
 * Fenced write of `{"v":<fence>,"t":<token JSON or null>}`. ARGV[1] is the writer's fence
 * ('' = take a new one). Refused (0) when the stored value carries a newer fence.
 */
const WRITE = `
local f = ARGV[1]
if f == '' then
  local t = redis.call('TIME')
  local n = tonumber(t[1]) * 1000000 + tonumber(t[2])
  local last = tonumber(redis.call('GET', KEYS[2]) or '0') or 0
  if n <= last then n = last + 1 end
  f = string.format('%.0f', n)
  redis.call('SET', KEYS[2], f)
end
local cur = redis.call('GET', KEYS[1])
if cur then
  local ok, d = pcall(cjson.decode, cur)
  if ok and type(d) == 'table' and d.v and tonumber(d.v) > tonumber(f) then return 0 end
end
redis.call('SET', KEYS[1], '{"v":' .. f .. ',"t":' .. ARGV[2] .. '}')
return 1`;

interface Stored {
  v: string;
  t: TokenSet | null;
}

/** Builds the command adapter from a node-redis or ioredis client (by shape). */
export function redisCommands(client: unknown): RedisCommands {
  const c = client as Record<string, any>;
  if (c && typeof c.send === 'function' && typeof c.usable === 'function') return c as unknown as RedisCommands;
  // ioredis: call(command, ...args); status 'ready' | 'connecting' | 'reconnecting' | 'end' ...
  if (c && typeof c.call === 'function' && typeof c.status === 'string') {
    return {
      send: (args) => c.call(args[0], ...args.slice(1)),
      usable: () => !['end', 'close', 'reconnecting'].includes(c.status),
    };
  }
  // node-redis v4/v5: sendCommand(args); isOpen / isReady
  if (c && typeof c.sendCommand === 'function') {
    return {
      send: (args) => c.sendCommand(args),
      usable: () => (typeof c.isReady === 'boolean' ? c.isReady : true),
    };
  }
  throw new TypeError('RedisTokenStore: `client` must be a node-redis (createClient) or ioredis client');
}

function nonce(): string {
  const b = new Uint8Array(16);
  (globalThis as { crypto: Crypto }).crypto.getRandomValues(b);
  return Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
}

/** An error's code or class name (never its message, which may quote a command and its values). */
function reasonOf(err: unknown): string {
  const e = err as { code?: unknown; name?: unknown; constructor?: { name?: unknown } } | undefined;
  const word = (v: unknown) => (typeof v === 'string' && /^[A-Za-z_]{2,60}$/.test(v) ? v : undefined);
  const code = typeof e?.code === 'string' && /^[A-Z_]{2,40}$/.test(e.code) ? e.code : undefined;
  const cls = word(e?.constructor?.name);
  return code ?? (cls && cls !== 'Error' ? cls : undefined) ?? word(e?.name) ?? 'error';
}

class Unavailable extends Error {
  constructor(readonly reason: string) {
    super(reason);
  }
}

export class RedisTokenStore implements TokenStore {
  readonly prefix: string;
  readonly #redis: RedisCommands;
  readonly #o: Required<Omit<RedisTokenStoreOptions, 'client' | 'key' | 'onEvent'>>;
  readonly #onEvent?: RedisTokenStoreOptions['onEvent'];
  readonly #mutex = new KeyedMutex();
  /** Fence of the lock this instance holds, per token key (set while `withLock` runs). */
  readonly #held = new Map<string, string>();
  /** Last value seen per token key (for restoring after data loss and for the memory fallback). */
  readonly #seen = new Map<string, Stored>();
  readonly #memory = new MemoryTokenStore();
  #downUntil = 0;

  constructor(options: RedisTokenStoreOptions) {
    if (!options?.client) throw new TypeError('RedisTokenStore: `client` is required');
    this.#redis = redisCommands(options.client);
    this.prefix = options.key ?? 'sc-migrate:tokens';
    this.#onEvent = options.onEvent;
    this.#o = {
      lockTtlMs: options.lockTtlMs ?? 10_000,
      lockWaitMs: options.lockWaitMs ?? 30_000,
      pollMs: options.pollMs ?? 50,
      commandTimeoutMs: options.commandTimeoutMs ?? 2_000,
      fallback: options.fallback ?? 'none',
      retryAfterMs: options.retryAfterMs ?? 1_000,
      restoreLost: options.restoreLost ?? true,
    };
  }

  #keys(key: string) {
    const base = `${this.prefix}:{${key}}`;
    return { data: `${base}:token`, lock: `${base}:lock`, fence: `${base}:fence` };
  }

  #emit(event: RedisTokenStoreEvent, key: string, fence?: string) {
    try {
      this.#onEvent?.(event, { key, fence });
    } catch {
      /* a hook never breaks the store */
    }
  }

  /** One command with a timeout; failures become `Unavailable` (reason code only). */
  async #send(args: string[]): Promise<unknown> {
    if (!this.#redis.usable()) throw new Unavailable('not connected');
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Unavailable(`no answer within ${this.#o.commandTimeoutMs} ms`)), this.#o.commandTimeoutMs);
    });
    try {
      return await Promise.race([this.#redis.send(args), timeout]);
    } catch (err) {
      if (err instanceof Unavailable) throw err;
      const reason = reasonOf(err);
      // Redis answered with an error (wrong key type, scripts disabled...): not an outage.
      if (/ReplyError|ErrorReply|SimpleError|BlobError/.test(reason)) {
        throw new TokenStoreError({ store: 'RedisTokenStore', code: 'token_store_error', message: `RedisTokenStore: Redis refused a command (${reason})` });
      }
      throw new Unavailable(reason);
    } finally {
      clearTimeout(timer);
    }
  }

  #eval(script: string, keys: string[], args: string[]): Promise<unknown> {
    return this.#send(['EVAL', script, String(keys.length), ...keys, ...args]);
  }

  #unavailable(err: Unavailable, key: string): TokenStoreError {
    return new TokenStoreError({
      store: 'RedisTokenStore',
      code: 'token_store_unavailable',
      message: `RedisTokenStore (key ${this.prefix}:{${key}}): Redis is unreachable (${err.reason}); no token can be read or shared. Pass fallback: 'memory' to go on with a process-local token.`,
    });
  }

  /** Runs `viaRedis`; when Redis is unreachable, fails with TokenStoreError or uses the memory fallback. */
  async #guard<T>(key: string, viaRedis: () => Promise<T>, viaMemory: () => Promise<T>): Promise<T> {
    const memory = this.#o.fallback === 'memory';
    if (memory && Date.now() < this.#downUntil) return viaMemory();
    try {
      return await viaRedis();
    } catch (err) {
      if (!(err instanceof Unavailable)) throw err;
      if (!memory) throw this.#unavailable(err, key);
      this.#downUntil = Date.now() + this.#o.retryAfterMs;
      this.#emit('fallback', key);
      return viaMemory();
    }
  }

  #parse(raw: unknown): Stored | undefined {
    if (typeof raw !== 'string') return undefined;
    const m = /^\{"v":(\d+),"t":/.exec(raw);
    if (!m) return undefined;
    try {
      const t = JSON.parse(raw.slice(m[0].length, -1)) as TokenSet | null;
      return { v: m[1]!, t: t && typeof t === 'object' && typeof t.accessToken === 'string' ? t : null };
    } catch {
      return undefined;
    }
  }

  #remember(key: string, s: Stored) {
    this.#seen.set(key, s);
    if (s.t) void this.#memory.set(key, s.t);
    else void this.#memory.delete(key);
  }

  async get(key: string): Promise<TokenSet | undefined> {
    return this.#guard(
      key,
      async () => {
        const k = this.#keys(key);
        let stored = this.#parse(await this.#send(['GET', k.data]));
        const seen = this.#seen.get(key);
        if (!stored && seen?.t && this.#o.restoreLost) {
          // The key is gone (Redis restarted without persistence, or evicted): put back what we had.
          const put = await this.#send(['SET', k.data, `{"v":${seen.v},"t":${JSON.stringify(seen.t)}}`, 'NX']);
          if (put === 'OK') this.#emit('restored', key, seen.v);
          stored = put === 'OK' ? seen : this.#parse(await this.#send(['GET', k.data]));
        }
        if (!stored) return undefined;
        this.#remember(key, stored);
        return stored.t ? { ...stored.t } : undefined;
      },
      () => this.#memory.get(key),
    );
  }

  async set(key: string, value: TokenSet): Promise<void> {
    await this.#write(key, value);
  }

  /** Leaves a tombstone (`t: null`), so a deleted token is never restored. */
  async delete(key: string): Promise<void> {
    await this.#write(key, null);
  }

  async #write(key: string, value: TokenSet | null): Promise<void> {
    await this.#guard(
      key,
      async () => {
        const k = this.#keys(key);
        const fence = this.#held.get(key) ?? '';
        const json = value ? JSON.stringify(value) : 'null';
        const ok = await this.#eval(WRITE, [k.data, k.fence], [fence, json]);
        if (Number(ok) !== 1) {
          // A newer holder stored a newer token: keep it (this writer's token is dropped, not stored).
          this.#emit('stale_write_refused', key, fence);
          return;
        }
        // Re-read the fence we wrote with (unlocked writes take a new one inside the script).
        const stored = this.#parse(await this.#send(['GET', k.data]));
        if (stored) this.#remember(key, stored);
      },
      async () => {
        this.#remember(key, { v: this.#seen.get(key)?.v ?? '0', t: value });
      },
    );
  }

  /** Exclusive per key across every process sharing the Redis (and within this one). */
  withLock<T>(key: string, fn: () => Promise<T>): Promise<T> {
    return this.#mutex.run(key, async () => {
      const lock = await this.#guard<{ value: string; fence: string } | undefined>(key, () => this.#acquire(key), async () => undefined);
      if (!lock) return fn(); // memory fallback: the in-process mutex is the lock
      const k = this.#keys(key);
      this.#held.set(key, lock.fence);
      const every = Math.max(10, Math.floor(this.#o.lockTtlMs / 3));
      const value = lock.value;
      const timer = setInterval(() => {
        this.#eval(EXTEND, [k.lock], [value, String(this.#o.lockTtlMs)]).then(
          (r) => {
            if (Number(r) !== 1) {
              clearInterval(timer);
              this.#emit('lock_lost', key, lock.fence);
            }
          },
          () => undefined,
        );
      }, every);
      (timer as { unref?: () => void }).unref?.();
      try {
        return await fn();
      } finally {
        clearInterval(timer);
        this.#held.delete(key);
        await this.#eval(RELEASE, [k.lock], [value]).catch(() => undefined);
        this.#emit('lock_released', key, lock.fence);
      }
    });
  }

  async #acquire(key: string): Promise<{ value: string; fence: string }> {
    const k = this.#keys(key);
    const value = nonce();
    const deadline = Date.now() + this.#o.lockWaitMs;
    for (let attempt = 0; ; attempt++) {
      let fence: unknown;
      try {
        fence = await this.#eval(ACQUIRE, [k.lock, k.fence], [value, String(this.#o.lockTtlMs)]);
      } catch (err) {
        // The script may still run later (queued while reconnecting): release our nonce after it.
        void this.#eval(RELEASE, [k.lock], [value]).catch(() => undefined);
        throw err;
      }
      if (typeof fence === 'string' && fence) {
        this.#emit('lock_acquired', key, fence);
        return { value, fence };
      }
      if (attempt === 0) this.#emit('lock_wait', key);
      if (Date.now() > deadline) {
        throw new TokenStoreError({
          store: 'RedisTokenStore',
          code: 'token_store_lock_timeout',
          message: `RedisTokenStore (key ${this.prefix}:{${key}}): the renewal lock was not free within ${this.#o.lockWaitMs} ms`,
        });
      }
      await new Promise((r) => setTimeout(r, this.#o.pollMs * (0.5 + Math.random())));
    }
  }
}
