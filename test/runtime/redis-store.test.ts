// RedisTokenStore against a real redis-server (its own, on a free port, no persistence) and the
// strict mock with client_credentials limited to 1 token per 12 h: a fleet of processes shares
// one token, a lock holder killed mid-renewal, Redis restarted, Redis unreachable.
// "In the middle" is made deterministic with the mock's 'hold' fault (the token response is
// held until the test lets it go), never with sleeps; clocks are moved, not waited for.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { createClient } from 'redis';
import { Redis } from 'ioredis';
import { startMockApi, type MockApi } from '../../src/mock-api/index.js';
import { SoundCloudClient, RedisTokenStore, TokenStoreError, redisCommands, type TokenSet } from '../../src/runtime/index.js';
import { REDIS_MISSING, REDIS_SERVER, RedisServer, freePort } from './redis-server.js';

const CLIENT = { clientId: 'fleet-client', clientSecret: 'fleet-secret-S3CR3T-value' };
const LIMIT_1_PER_12H = { max: 1, windowSeconds: 12 * 3600 };
const HOUR = 3600_000;
const root = fileURLToPath(new URL('../..', import.meta.url));
const child = fileURLToPath(new URL('./fixtures/redis-child.ts', import.meta.url));

if (!REDIS_SERVER) console.warn(REDIS_MISSING);

/** The fleet: N child processes, each a SoundCloudClient on its own Redis connection. */
class Fleet {
  procs: ChildProcess[] = [];
  events: Array<{ pid: number; event: string; fence?: string }> = [];
  logs: Array<{ pid: number; msg: string }> = [];
  offset = 0;
  /** Requests the mock's 'hold' faults have held so far (its count only grows). */
  holdsSeen = 0;
  #seq = 0;
  #waiters = new Map<string, (m: any) => void>();
  #onChange: Array<() => void> = [];

  constructor(
    readonly mock: MockApi,
    readonly redis: RedisServer,
    readonly opts: { key: string; lockTtlMs: number },
  ) {}

  async start(n: number) {
    const readies = Array.from({ length: n }, (_, i) => {
      const p = fork(child, [], {
        cwd: root,
        execArgv: ['--import', 'tsx'],
        env: {
          ...process.env,
          ...this.mock.env,
          CHILD_REDIS_URL: this.redis.url,
          CHILD_REDIS_LIB: i % 2 ? 'ioredis' : 'redis',
          CHILD_KEY: this.opts.key,
          CHILD_LOCK_TTL_MS: String(this.opts.lockTtlMs),
          CHILD_CLIENT_ID: CLIENT.clientId,
          CHILD_CLIENT_SECRET: CLIENT.clientSecret,
        },
        stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      });
      this.procs.push(p);
      return new Promise<void>((resolve, reject) => {
        p.once('exit', (code) => reject(new Error(`fleet child exited ${code} before ready`)));
        p.on('message', (m: any) => {
          if (m.type === 'ready') {
            p.removeAllListeners('exit');
            resolve();
          } else if (m.type === 'event') this.events.push(m);
          else if (m.type === 'log') this.logs.push(m);
          else if (m.id !== undefined) this.#waiters.get(`${p.pid}:${m.id}`)?.(m);
          for (const f of this.#onChange) f();
        });
      });
    });
    await Promise.all(readies);
  }

  /** Asks one child; resolves with its answer, or undefined if it dies first. */
  #ask(p: ChildProcess, msg: Record<string, unknown>): Promise<any> {
    const id = ++this.#seq;
    return new Promise((resolve) => {
      const onExit = () => resolve(undefined);
      p.once('exit', onExit);
      this.#waiters.set(`${p.pid}:${id}`, (m) => {
        p.off('exit', onExit);
        resolve(m);
      });
      p.send({ ...msg, id });
    });
  }

  /** Moves the mock's clock and every child's clock by `ms`. */
  async advance(ms: number) {
    this.mock.advanceTime(ms);
    this.offset += ms;
    await Promise.all(this.alive().map((p) => this.#ask(p, { type: 'clock', offset: this.offset })));
  }

  alive() {
    return this.procs.filter((p) => p.exitCode === null && p.signalCode === null);
  }

  /** Starts n concurrent calls in each live child; resolves with their results. */
  run(n: number): Promise<Array<{ ok: number; failures: string[] }>> {
    return Promise.all(this.alive().map((p) => this.#ask(p, { type: 'run', n })));
  }

  /** Resolves when `pred` holds (checked whenever a child reports something). */
  until(pred: () => boolean): Promise<void> {
    if (pred()) return Promise.resolve();
    return new Promise((resolve) => {
      const check = () => {
        if (pred()) {
          this.#onChange = this.#onChange.filter((f) => f !== check);
          resolve();
        }
      };
      this.#onChange.push(check);
    });
  }

  /** Children that are inside a renewal since event index `from` (hold the lock, or wait for it). */
  renewing(from: number): Set<number> {
    return new Set(this.events.slice(from).filter((e) => e.event === 'lock_acquired' || e.event === 'lock_wait').map((e) => e.pid));
  }

  async stop() {
    await Promise.all(
      this.alive().map(
        (p) =>
          new Promise<void>((resolve) => {
            p.once('exit', () => resolve());
            p.send({ type: 'exit' });
          }),
      ),
    );
  }
}

const totalOk = (rs: Array<{ ok: number }>) => rs.reduce((a, r) => a + r.ok, 0);
const allFailures = (rs: Array<{ failures: string[] }>) => rs.flatMap((r) => r.failures);

describe.skipIf(!REDIS_SERVER)('RedisTokenStore: a fleet of 4 processes on one Redis (strict mock, 1 client_credentials token per 12 h)', () => {
  let redis: RedisServer;
  let mock: MockApi;
  let fleet: Fleet;
  const LOCK_TTL = 600;
  beforeAll(async () => {
    redis = await RedisServer.start();
    mock = await startMockApi({ mode: 'strict', clients: [CLIENT], clientCredentialsLimit: LIMIT_1_PER_12H, tokenTtlSeconds: 3599 });
    fleet = new Fleet(mock, redis, { key: 'fleet-test', lockTtlMs: LOCK_TTL });
    await fleet.start(4);
  }, 60_000);
  afterAll(async () => {
    await fleet?.stop();
    await mock?.close();
    await redis?.stop();
  });

  /** One round: all 4 renew at the same moment (proved: each is inside a renewal while the one token request is held). */
  async function round(calls: number) {
    const from = fleet.events.length;
    const before = mock.stats.tokenRequests.total;
    mock.addFault({ target: 'token', type: 'hold', times: 1 });
    const results = fleet.run(calls);
    await mock.waitForHeld(fleet.holdsSeen + 1);
    fleet.holdsSeen++;
    await fleet.until(() => fleet.renewing(from).size === 4);
    mock.releaseHeld();
    const rs = await results;
    return { rs, tokenRequests: mock.stats.tokenRequests.total - before, events: fleet.events.slice(from) };
  }

  it('4 x 250 concurrent calls, from an empty store and across an expiry: exactly 1 token request each time, 0 failed calls', async () => {
    mock.stats.reset();
    // From an empty store: one client_credentials token for the fleet.
    let r = await round(250);
    expect(allFailures(r.rs)).toEqual([]);
    expect(totalOk(r.rs)).toBe(1000);
    expect(r.tokenRequests).toBe(1);
    expect(r.events.filter((e) => e.event === 'lock_wait')).toHaveLength(3); // the other three waited, then read its token
    await fleet.advance(HOUR); // every token has expired, for the mock and for the fleet
    r = await round(250);
    expect(allFailures(r.rs)).toEqual([]);
    expect(totalOk(r.rs)).toBe(1000);
    expect(r.tokenRequests).toBe(1);
    expect(r.events.filter((e) => e.event === 'lock_wait')).toHaveLength(3);
    expect(mock.stats.tokenRequests).toMatchObject({ client_credentials: 1, refresh_token: 1, total: 2 });
    expect(mock.stats.rejections.client_credentials_rate_limit ?? 0).toBe(0);
    expect(mock.stats.rejections.refresh_token_reused ?? 0).toBe(0);
    expect(mock.stats.rejections.expired_token ?? 0).toBe(0);
  }, 60_000);

  it('the lock holder SIGKILLed in the middle of a renewal: another process renews once the lock expires (within its TTL); 0 failed calls', async () => {
    await fleet.advance(HOUR);
    const from = fleet.events.length;
    const issued = mock.stats.tokensIssued;
    mock.addFault({ target: 'token', type: 'hold', times: 1 });
    const results = fleet.run(100);
    await mock.waitForHeld(fleet.holdsSeen + 1);
    fleet.holdsSeen++;
    await fleet.until(() => fleet.renewing(from).size === 4);
    const holderEvent = fleet.events.slice(from).find((e) => e.event === 'lock_acquired')!;
    const holder = fleet.procs.find((p) => p.pid === holderEvent.pid)!;
    expect(fleet.logs.some((l) => l.pid === holder.pid && /refresh grant/.test(l.msg))).toBe(true); // it is mid-renewal
    // The crashed holder's lock can outlive it by at most the lock TTL.
    const admin = createClient({ url: redis.url });
    await admin.connect();
    const pttl = Number(await admin.sendCommand(['PTTL', 'fleet-test:{soundcloud:fleet-client}:lock']));
    await admin.quit();
    expect(pttl).toBeGreaterThan(0);
    expect(pttl).toBeLessThanOrEqual(LOCK_TTL);
    await new Promise<void>((resolve) => {
      holder.once('exit', () => resolve());
      holder.kill('SIGKILL');
    });
    // Survivors: the lock expires, one of them renews with the refresh token the dead one never used.
    const rs = (await results).filter(Boolean);
    expect(rs).toHaveLength(3); // the killed child never answers
    expect(allFailures(rs)).toEqual([]);
    const after = fleet.events.slice(from).filter((e) => e.event === 'lock_acquired' && e.pid !== holder.pid);
    expect(after.length).toBeGreaterThanOrEqual(1);
    expect(BigInt(after[0]!.fence!)).toBeGreaterThan(BigInt(holderEvent.fence!));
    expect(mock.stats.tokensIssued - issued).toBe(1);
    expect(mock.stats.tokenRequests.client_credentials).toBe(1);
    expect(mock.stats.rejections.refresh_token_reused ?? 0).toBe(0);
    // 0 failed calls after: the survivors go on with the new token.
    const later = await fleet.run(100);
    expect(allFailures(later)).toEqual([]);
    expect(totalOk(later)).toBe(300);
    expect(mock.stats.tokensIssued - issued).toBe(1);
  }, 60_000);
});

/** A node-redis or ioredis client on `url`, connected (or trying to). */
async function redisClient(lib: 'redis' | 'ioredis', url: string, opts: { connect?: boolean } = {}) {
  if (lib === 'ioredis') {
    const c = new Redis(url, { lazyConnect: opts.connect === false });
    c.on('error', () => undefined);
    if (opts.connect !== false) await new Promise((r) => c.once('ready', r));
    return { client: c as unknown, ready: () => new Promise<void>((r) => (c.status === 'ready' ? r() : c.once('ready', () => r()))), close: async () => c.disconnect() };
  }
  const c = createClient({ url, socket: { reconnectStrategy: (n: number) => Math.min(20 * n, 200) } });
  c.on('error', () => undefined);
  if (opts.connect !== false) await c.connect();
  return {
    client: c as unknown,
    ready: () => new Promise<void>((r) => (c.isReady ? r() : c.once('ready', () => r()))),
    close: async () => {
      try {
        if (c.isReady) await c.quit();
        else if (c.isOpen) c.destroy();
      } catch {
        /* already closed */
      }
    },
  };
}

describe.skipIf(!REDIS_SERVER)('RedisTokenStore: Redis restarted, a slow holder fenced off', () => {
  let redis: RedisServer;
  let mock: MockApi;
  const conns: Array<{ close(): Promise<void> }> = [];
  beforeAll(async () => {
    redis = await RedisServer.start();
    mock = await startMockApi({ mode: 'strict', clients: [CLIENT], clientCredentialsLimit: LIMIT_1_PER_12H });
  });
  afterAll(async () => {
    for (const c of conns) await c.close();
    await mock?.close();
    await redis?.stop();
  });
  const scClient = (store: RedisTokenStore) =>
    new SoundCloudClient({ ...CLIENT, tokenStore: store, apiBase: mock.apiUrl, authBase: mock.authUrl, fetch: mock.fetch, now: () => mock.now(), sleep: async () => {} });

  it('Redis restarted without persistence: 2 node-redis + 2 ioredis clients recover with one new token, 0 failed calls', async () => {
    mock.stats.reset();
    const events: string[] = [];
    const members = await Promise.all(
      (['redis', 'ioredis', 'redis', 'ioredis'] as const).map(async (lib) => {
        const conn = await redisClient(lib, redis.url);
        conns.push(conn);
        const store = new RedisTokenStore({ client: conn.client, key: 'restart-test', pollMs: 5, lockTtlMs: 2000, onEvent: (e) => events.push(e) });
        return { conn, client: scClient(store) };
      }),
    );
    const callAll = async (n: number) => {
      const rs = await Promise.allSettled(members.flatMap((m) => Array.from({ length: n }, () => m.client.getJson('/tracks'))));
      return rs.filter((r) => r.status === 'rejected').map((r) => String((r as PromiseRejectedResult).reason));
    };
    expect(await callAll(50)).toEqual([]);
    expect(mock.stats.tokenRequests).toMatchObject({ client_credentials: 1, total: 1 });
    await redis.restart(); // every key is gone
    await Promise.all(members.map((m) => m.conn.ready()));
    mock.advanceTime(HOUR); // the token expires: the fleet must renew, with nothing in Redis
    expect(await callAll(50)).toEqual([]);
    // One new token, by the refresh grant: no second client_credentials (which the limit would refuse).
    expect(mock.stats.tokenRequests).toMatchObject({ client_credentials: 1, refresh_token: 1, total: 2 });
    expect(events).toContain('restored');
    expect(mock.stats.rejections).toEqual({});

    // Redis down for good: calls go on while the token is valid; past its expiry they fail with a
    // TokenStoreError that holds no token and no secret.
    const stored = await members[0]!.client.tokenStore.get(members[0]!.client.tokenKey);
    await redis.stop();
    expect(await callAll(5)).toEqual([]);
    mock.advanceTime(HOUR);
    const err: any = await members[1]!.client.getJson('/tracks').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TokenStoreError);
    expect(err.code).toBe('token_store_unavailable');
    const text = `${err.message}\n${err.stack}\n${JSON.stringify(err)}`;
    for (const secret of [stored!.accessToken, stored!.refreshToken!, CLIENT.clientSecret]) expect(text).not.toContain(secret);
    await redis.start();
    await Promise.all(members.map((m) => m.conn.ready()));
  });

  it('Redis lost while the token request is in flight: the new token is used (not thrown away), the call succeeds', async () => {
    mock.advanceTime(13 * HOUR); // a new client_credentials window
    const conn = await redisClient('redis', redis.url);
    conns.push(conn);
    const warnings: string[] = [];
    const store = new RedisTokenStore({ client: conn.client, key: 'lost-mid-renewal', commandTimeoutMs: 300 });
    const c = new SoundCloudClient({ ...CLIENT, tokenStore: store, apiBase: mock.apiUrl, authBase: mock.authUrl, fetch: mock.fetch, now: () => mock.now(), sleep: async () => {}, logger: { warn: (m) => warnings.push(m) } });
    const before = mock.stats.tokensIssued;
    mock.addFault({ target: 'token', type: 'hold', times: 1 });
    const call = c.getJson<{ id: number }>('/tracks/1');
    await mock.waitForHeld(1);
    await redis.stop();
    mock.releaseHeld();
    expect((await call).id).toBe(1);
    expect(mock.stats.tokensIssued - before).toBe(1);
    expect(warnings.some((w) => /RedisTokenStore .*unreachable.*keeping the still-valid token/.test(w))).toBe(true);
    await redis.start();
    await conn.ready();
  });

  it('Redis refusing a command (a key of another type) is a token_store_error, not an outage', async () => {
    for (const lib of ['redis', 'ioredis'] as const) {
      const conn = await redisClient(lib, redis.url);
      conns.push(conn);
      const admin = createClient({ url: redis.url });
      await admin.connect();
      await admin.sendCommand(['HSET', `wrongtype-${lib}:{k}:token`, 'a', 'b']);
      await admin.quit();
      const store = new RedisTokenStore({ client: conn.client, key: `wrongtype-${lib}`, fallback: 'memory' });
      const err: any = await store.get('k').catch((e: unknown) => e);
      expect(err, lib).toBeInstanceOf(TokenStoreError);
      expect(err.code).toBe('token_store_error');
    }
  });

  it('a slow holder whose lock expired cannot overwrite the newer token (fencing)', async () => {
    const a = await redisClient('redis', redis.url);
    const b = await redisClient('ioredis', redis.url);
    conns.push(a, b);
    const refused: string[] = [];
    const slow = new RedisTokenStore({ client: a.client, key: 'fence-test', lockTtlMs: 60_000, onEvent: (e) => e === 'stale_write_refused' && refused.push(e) });
    const fast = new RedisTokenStore({ client: b.client, key: 'fence-test', pollMs: 5 });
    const tok = (name: string): TokenSet => ({ accessToken: name, refreshToken: `${name}-r`, kind: 'client_credentials', obtainedAt: 1, expiresAt: 2 });
    let letSlowWrite!: () => void;
    const slowMayWrite = new Promise<void>((r) => (letSlowWrite = r));
    let slowHasLock!: () => void;
    const slowLocked = new Promise<void>((r) => (slowHasLock = r));
    const slowDone = slow.withLock('k', async () => {
      slowHasLock();
      await slowMayWrite; // stalled (GC pause, partition) past its lock
      await slow.set('k', tok('old-holder'));
    });
    await slowLocked;
    // Its lock expires (as a stalled holder's would): deleted here instead of waited for.
    const admin = createClient({ url: redis.url });
    await admin.connect();
    await admin.sendCommand(['DEL', 'fence-test:{k}:lock']);
    await admin.quit();
    await fast.withLock('k', () => fast.set('k', tok('new-holder')));
    letSlowWrite();
    await slowDone;
    expect((await fast.get('k'))?.accessToken).toBe('new-holder');
    expect((await slow.get('k'))?.refreshToken).toBe('new-holder-r'); // access and refresh token stay a pair
    expect(refused).toEqual(['stale_write_refused']);
    // delete leaves a tombstone: not restored by a store that still remembers the token
    await fast.withLock('k', () => fast.delete('k'));
    expect(await slow.get('k')).toBeUndefined();
  });
});

describe('RedisTokenStore: Redis unreachable', () => {
  let mock: MockApi;
  let port: number;
  beforeAll(async () => {
    mock = await startMockApi({ mode: 'strict', clients: [CLIENT], clientCredentialsLimit: LIMIT_1_PER_12H });
    port = await freePort(); // nothing listens there
  });
  afterAll(() => mock?.close());
  const scClient = (store: RedisTokenStore) =>
    new SoundCloudClient({ ...CLIENT, tokenStore: store, apiBase: mock.apiUrl, authBase: mock.authUrl, fetch: mock.fetch, now: () => mock.now(), sleep: async () => {} });

  for (const lib of ['redis', 'ioredis'] as const) {
    it(`${lib}: calls fail with a TokenStoreError naming the store, with no secret or token in it`, async () => {
      const conn = await redisClient(lib, `redis://127.0.0.1:${port}`, { connect: false });
      // The app started connecting (node-redis keeps retrying in the background; ioredis connects on first use).
      if (lib === 'redis') void (conn.client as ReturnType<typeof createClient>).connect().catch(() => undefined);
      try {
        const store = new RedisTokenStore({ client: conn.client, commandTimeoutMs: 300 });
        const err: any = await scClient(store).getJson('/tracks').catch((e: unknown) => e);
        expect(err).toBeInstanceOf(TokenStoreError);
        expect(err.name).toBe('TokenStoreError');
        expect(err.store).toBe('RedisTokenStore');
        expect(err.code).toBe('token_store_unavailable');
        expect(err.message).toMatch(/^RedisTokenStore .*Redis is unreachable/);
        const text = `${err.message}\n${err.stack}\n${JSON.stringify(err)}`;
        expect(text).not.toContain(CLIENT.clientSecret);
        expect(mock.stats.tokenRequests.total).toBe(0); // no token requested: it could not be shared
      } finally {
        await conn.close();
      }
    });
  }

  it("fallback: 'memory' goes on with a process-local token (one token request)", async () => {
    mock.stats.reset();
    const conn = await redisClient('ioredis', `redis://127.0.0.1:${port}`, { connect: false });
    try {
      const fallbacks: string[] = [];
      const store = new RedisTokenStore({ client: conn.client, commandTimeoutMs: 300, fallback: 'memory', onEvent: (e) => fallbacks.push(e) });
      const c = scClient(store);
      const rs = await Promise.allSettled(Array.from({ length: 50 }, () => c.getJson('/tracks')));
      expect(rs.filter((r) => r.status === 'rejected')).toEqual([]);
      expect(mock.stats.tokenRequests.total).toBe(1);
      expect(fallbacks).toContain('fallback');
      expect((await store.get(c.tokenKey))?.accessToken).toBeTruthy();
    } finally {
      await conn.close();
    }
  });

  it('refuses a client of another shape', () => {
    expect(() => redisCommands({ get() {} })).toThrow(/node-redis .* or ioredis/);
    expect(() => new RedisTokenStore({ client: undefined })).toThrow(TypeError);
  });
});
