#!/usr/bin/env node
// Token-store overhead and fleet behaviour (called by `npm run bench`; also `node bench/token-store.mjs`).
//   (1) overhead per call, by store (memory, file, Redis via node-redis and ioredis): a call with the
//       token cached, a cold start (new client, token read from the store), and the store work of
//       one renewal (lock + read + write; the token request itself excluded);
//   (2) token requests per expiry under load: P processes x C concurrent calls against the strict mock
//       (client_credentials limited to 1 per 12 h), across one token expiry (the mock's clock and the
//       processes' clocks are moved by an hour between the two phases).
// Redis rows use a private redis-server on a free port (skipped, saying so, when it is not installed).
// No assertions: the tests assert; this measures.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const repo = join(here, '..');
const runtimeUrl = pathToFileURL(join(repo, 'dist/src/runtime/index.js')).href;
const mockUrl = pathToFileURL(join(repo, 'dist/src/mock-api/index.js')).href;
const PROCS = Number(process.env.SC_BENCH_FLEET_PROCS ?? 4);
const CALLS = Number(process.env.SC_BENCH_FLEET_CALLS ?? 250);

const { SoundCloudClient, MemoryTokenStore, FileTokenStore, RedisTokenStore } = await import(runtimeUrl);
const { startMockApi } = await import(mockUrl);

const hasRedis = spawnSync('sh', ['-c', 'command -v redis-server']).status === 0;
const freePort = () =>
  new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
async function startRedis() {
  const port = await freePort();
  const p = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: ['ignore', 'pipe', 'ignore'] });
  await new Promise((resolve) => {
    let out = '';
    p.stdout.on('data', (d) => ((out += d), out.includes('Ready to accept') && resolve()));
  });
  return { url: `redis://127.0.0.1:${port}`, stop: () => p.kill() };
}
async function redisClient(lib, url) {
  if (lib === 'ioredis') {
    const { Redis } = await import('ioredis');
    const c = new Redis(url);
    await new Promise((r) => c.once('ready', r));
    return { client: c, close: async () => c.disconnect() };
  }
  const { createClient } = await import('redis');
  const c = createClient({ url });
  await c.connect();
  return { client: c, close: () => c.quit() };
}

const T0 = Date.now();
const token = (n) => ({ accessToken: `tok-${n}-${'x'.repeat(700)}`, refreshToken: `rt-${n}`, kind: 'client_credentials', expiresIn: 3599, expiresAt: T0 + 3599_000, obtainedAt: T0 });
const perOp = async (n, fn) => {
  for (let i = 0; i < Math.min(50, n); i++) await fn(i); // warm-up
  const t = process.hrtime.bigint();
  for (let i = 0; i < n; i++) await fn(i);
  return Number(process.hrtime.bigint() - t) / 1e3 / n; // µs per op
};
const noFetch = async () => {
  throw new Error('no network in this benchmark');
};

async function overhead(name, makeStore, scale) {
  const store = await makeStore();
  const key = 'soundcloud:bench';
  await store.withLock(key, () => store.set(key, token(0)));
  const warm = new SoundCloudClient({ clientId: 'bench', clientSecret: 'bench-secret', tokenStore: store, fetch: noFetch, apiBase: 'https://127.0.0.1', authBase: 'https://127.0.0.1' });
  await warm.getAccessToken();
  const cached = await perOp(200_000, () => warm.getAccessToken());
  const cold = await perOp(Math.round(2000 * scale), () =>
    new SoundCloudClient({ clientId: 'bench', clientSecret: 'bench-secret', tokenStore: store, fetch: noFetch, apiBase: 'https://127.0.0.1', authBase: 'https://127.0.0.1' }).getAccessToken(),
  );
  const renewal = await perOp(Math.round(2000 * scale), (i) =>
    store.withLock(key, async () => {
      await store.get(key);
      await store.set(key, token(i));
    }),
  );
  return { name, cached, cold, renewal };
}

// ---------------------------------------------------------------- (1) overhead per call
const dir = mkdtempSync(join(tmpdir(), 'sc-bench-store-'));
const redis = hasRedis ? await startRedis() : undefined;
const closers = [];
const rows = [];
rows.push(await overhead('MemoryTokenStore', async () => new MemoryTokenStore(), 1));
rows.push(await overhead('FileTokenStore', async () => new FileTokenStore(join(dir, 'tokens.json')), 0.25));
if (redis) {
  for (const lib of ['redis', 'ioredis']) {
    const conn = await redisClient(lib, redis.url);
    closers.push(conn.close);
    rows.push(await overhead(`RedisTokenStore (${lib === 'redis' ? 'node-redis' : 'ioredis'})`, async () => new RedisTokenStore({ client: conn.client, key: `bench-${lib}` }), 1));
  }
}

const fmt = (n, d = 1) => n.toFixed(d);
console.log(`token stores: overhead per call (µs, mean; loopback Redis)${redis ? '' : ' [Redis rows skipped: install redis-server]'}`);
const header = ['store', 'call, token cached', 'cold start (read)', 'renewal store work'];
const table = rows.map((r) => [r.name, fmt(r.cached, 2), fmt(r.cold), fmt(r.renewal)]);
const widths = header.map((h, i) => Math.max(h.length, ...table.map((t) => t[i].length)));
console.log(header.map((h, i) => h.padEnd(widths[i])).join('  '));
for (const t of table) console.log(t.map((c, i) => c.padEnd(widths[i])).join('  '));
for (const c of closers) await c();

// ---------------------------------------------------------------- (2) token requests per expiry
const childSrc = `
const { SoundCloudClient, MemoryTokenStore, FileTokenStore, RedisTokenStore } = await import(${JSON.stringify(runtimeUrl)});
const kind = process.env.BENCH_STORE;
let store, conn;
if (kind === 'file') store = new FileTokenStore(process.env.BENCH_FILE);
else if (kind === 'redis') {
  const { createClient } = await import(${JSON.stringify(pathToFileURL(join(repo, 'node_modules/redis/dist/index.js')).href)});
  conn = createClient({ url: process.env.BENCH_REDIS }); await conn.connect();
  store = new RedisTokenStore({ client: conn, key: 'bench-fleet', pollMs: 10 });
} else store = new MemoryTokenStore();
let offset = 0;
const c = new SoundCloudClient({ clientId: 'mock-client-id', clientSecret: 'mock-client-secret', tokenStore: store, sleep: async () => {}, now: () => Date.now() + offset });
process.stdout.write('ready\\n');
let buf = '';
process.stdin.on('data', async (d) => {
  buf += d;
  while (buf.includes('\\n')) {
    const line = buf.slice(0, buf.indexOf('\\n')); buf = buf.slice(buf.indexOf('\\n') + 1);
    if (line === 'exit') { await conn?.quit(); process.exit(0); }
    if (line.startsWith('clock ')) { offset = Number(line.slice(6)); process.stdout.write('ok\\n'); continue; }
    const rs = await Promise.allSettled(Array.from({ length: Number(line) }, () => c.getJson('/tracks')));
    process.stdout.write(JSON.stringify({ failed: rs.filter((r) => r.status === 'rejected').length }) + '\\n');
  }
});`;

async function fleet(kind) {
  const mock = await startMockApi({ mode: 'strict', clientCredentialsLimit: { max: 1, windowSeconds: 12 * 3600 } });
  const procs = Array.from({ length: PROCS }, () => {
    const p = spawn(process.execPath, ['--input-type=module', '-e', childSrc], {
      env: { ...process.env, ...mock.env, BENCH_STORE: kind, BENCH_FILE: join(dir, 'fleet.json'), BENCH_REDIS: redis?.url ?? '' },
      stdio: ['pipe', 'pipe', 'inherit'],
    });
    let out = '';
    const waiters = [];
    p.stdout.on('data', (d) => {
      out += d;
      let i;
      while ((i = out.indexOf('\n')) >= 0) {
        const line = out.slice(0, i);
        out = out.slice(i + 1);
        waiters.shift()?.(line);
      }
    });
    const next = () => new Promise((r) => waiters.push(r));
    return { p, next, ready: next() };
  });
  await Promise.all(procs.map((x) => x.ready));
  const phase = async () => {
    const before = mock.stats.tokenRequests.total;
    const res = await Promise.all(procs.map((x) => (x.p.stdin.write(`${CALLS}\n`), x.next())));
    return { tokenRequests: mock.stats.tokenRequests.total - before, failed: res.reduce((a, l) => a + JSON.parse(l).failed, 0) };
  };
  const first = await phase();
  // One token lifetime passes: the mock's clock and the fleet's move by an hour.
  mock.advanceTime(3600_000);
  await Promise.all(procs.map((x) => (x.p.stdin.write('clock 3600000\n'), x.next())));
  const second = await phase();
  for (const x of procs) x.p.stdin.write('exit\n');
  await Promise.all(procs.map((x) => new Promise((r) => (x.p.exitCode !== null ? r() : x.p.once('exit', r)))));
  await mock.close();
  return { kind, first, second, cc: mock.stats.tokenRequests.client_credentials ?? 0 };
}

console.log('');
console.log(`token requests per expiry: ${PROCS} processes x ${CALLS} concurrent calls, strict mock (client_credentials: 1 per 12 h), clocks moved past expires_in`);
const fleetRows = [];
for (const kind of ['memory', 'file', ...(redis ? ['redis'] : [])]) fleetRows.push(await fleet(kind));
const fh = ['store (one per process)', 'first token: requests', 'failed calls', 'after expiry: requests', 'failed calls'];
const ft = fleetRows.map((r) => [
  { memory: 'MemoryTokenStore', file: 'FileTokenStore (one machine)', redis: 'RedisTokenStore (node-redis)' }[r.kind],
  String(r.first.tokenRequests),
  String(r.first.failed),
  String(r.second.tokenRequests),
  String(r.second.failed),
]);
const fw = fh.map((h, i) => Math.max(h.length, ...ft.map((t) => t[i].length)));
console.log(fh.map((h, i) => h.padEnd(fw[i])).join('  '));
for (const t of ft) console.log(t.map((c, i) => c.padEnd(fw[i])).join('  '));

redis?.stop();
rmSync(dir, { recursive: true, force: true });
