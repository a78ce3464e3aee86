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
  });

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
  }, 30_000);
});
