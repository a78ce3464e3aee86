import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync, utimesSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startMockApi, type MockApi } from '../../src/mock-api/index.js';
import { SoundCloudClient, FileTokenStore, MemoryTokenStore, SoundCloudAuthError } from '../../src/runtime/index.js';

const CLIENT = { clientId: 'file-store-client', clientSecret: 'file-store-secret-XYZ' };
const root = fileURLToPath(new URL('../..', import.meta.url));

describe('FileTokenStore', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'sc-filestore-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('writes JSON with mode 0600 atomically and leaves no temp or lock files', async () => {
    const path = join(dir, 'a', 'tokens.json');
    const s = new FileTokenStore(path);
    await s.withLock('k', () => s.set('k', { accessToken: 'a'.repeat(900), kind: 'client_credentials', obtainedAt: 1, expiresAt: 2 }));
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(JSON.parse(readFileSync(path, 'utf8')).tokens.k.accessToken).toHaveLength(900);
    expect((await s.get('k'))?.accessToken).toHaveLength(900);
    await s.delete('k');
    expect(await s.get('k')).toBeUndefined();
    expect(readdirSync(join(dir, 'a'))).toEqual(['tokens.json']);
  });

  it('breaks a stale lock and waits for a live one', async () => {
    const path = join(dir, 'b.json');
    const s = new FileTokenStore(path, { staleLockMs: 5_000 });
    writeFileSync(`${path}.lock`, 'crashed');
    const old = new Date(Date.now() - 60_000);
    utimesSync(`${path}.lock`, old, old);
    expect(await s.withLock('k', async () => 'got it')).toBe('got it');
    expect(existsSync(`${path}.lock`)).toBe(false);
    // A live lock is never broken nor entered: a store that may not wait gives up...
    writeFileSync(`${path}.lock`, 'other process');
    let entered = false;
    const impatient = new FileTokenStore(path, { staleLockMs: 600_000, lockTimeoutMs: 0 });
    await expect(impatient.withLock('k', async () => void (entered = true))).rejects.toThrow(/timed out waiting for lock/);
    expect(entered).toBe(false);
    expect(readFileSync(`${path}.lock`, 'utf8')).toBe('other process');
    // ...and one that waits enters once it is released.
    const p = s.withLock('k', async () => void (entered = true));
    rmSync(`${path}.lock`);
    await p;
    expect(entered).toBe(true);
  });
});

describe('token sharing against the strict mock', () => {
  let mock: MockApi;
  let dir: string;
  beforeAll(async () => {
    mock = await startMockApi({ clients: [CLIENT] });
    dir = mkdtempSync(join(tmpdir(), 'sc-share-'));
  });
  afterAll(async () => {
    await mock.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('100 simulated restarts with a FileTokenStore: client_credentials requested once, rate limit never hit', async () => {
    mock.stats.reset();
    const path = join(dir, 'restarts.json');
    for (let i = 0; i < 100; i++) {
      if (i > 0 && i % 10 === 0) mock.advanceTime(3600_000); // tokens expire between some restarts
      const c = new SoundCloudClient({
        ...CLIENT,
        tokenStore: new FileTokenStore(path),
        apiBase: mock.apiUrl,
        authBase: mock.authUrl,
        fetch: mock.fetch,
        now: () => mock.now(),
      });
      expect(((await c.getJson('/tracks')) as unknown[]).length).toBe(3);
    }
    expect(mock.stats.tokenRequests.client_credentials).toBe(1);
    expect(mock.stats.tokenRequests.refresh_token).toBe(9);
    expect(mock.stats.rejections.client_credentials_rate_limit).toBeUndefined();
    expect(mock.stats.rejections.refresh_token_reused).toBeUndefined();
  });

  it('contrast: a new token per start (no shared store) hits the rate limit', async () => {
    mock.advanceTime(24 * 3600_000); // new rate-limit windows
    mock.stats.reset();
    const errors: unknown[] = [];
    for (let i = 0; i < 35; i++) {
      const c = new SoundCloudClient({ ...CLIENT, tokenStore: new MemoryTokenStore(), apiBase: mock.apiUrl, authBase: mock.authUrl, fetch: mock.fetch, now: () => mock.now() });
      await c.getJson('/tracks').catch((e) => errors.push(e));
    }
    expect(mock.stats.rejections.client_credentials_rate_limit).toBeGreaterThan(0);
    expect(errors[0]).toBeInstanceOf(SoundCloudAuthError);
    expect((errors[0] as SoundCloudAuthError).code).toBe('rate_limited');
    mock.advanceTime(24 * 3600_000);
  });

  it('two processes sharing one FileTokenStore, renewing at the same time (proved): one refresh, 0 invalid_grant', async () => {
    mock.stats.reset();
    const path = join(dir, 'shared.json');
    const seed = new SoundCloudClient({ ...CLIENT, tokenStore: new FileTokenStore(path), apiBase: mock.apiUrl, authBase: mock.authUrl, fetch: mock.fetch, now: () => mock.now() });
    await seed.getJson('/tracks/1');
    // Make the stored token due for renewal (as if an hour had passed for the children).
    const data = JSON.parse(readFileSync(path, 'utf8'));
    const key = Object.keys(data.tokens)[0]!;
    data.tokens[key].expiresAt = Date.now() - 1000;
    writeFileSync(path, JSON.stringify(data), { mode: 0o600 });
    mock.stats.reset();

    const procs: ReturnType<typeof spawn>[] = [];
    const readies: Promise<void>[] = [];
    const callings: Promise<void>[] = [];
    const child = () =>
      new Promise<{ ok: number; failures: string[] }>((resolve, reject) => {
        const p = spawn(process.execPath, ['--import', 'tsx', join(root, 'test/runtime/fixtures/refresh-child.ts')], {
          cwd: root,
          env: { ...process.env, ...mock.env, CHILD_CLIENT_ID: CLIENT.clientId, CHILD_CLIENT_SECRET: CLIENT.clientSecret, CHILD_STORE: path },
          stdio: ['pipe', 'pipe', 'pipe'],
        });
        procs.push(p);
        let out = '';
        let err = '';
        readies.push(
          new Promise<void>((r) =>
            p.stdout.on('data', (d) => {
              out += d;
              if (out.includes('ready')) r();
            }),
          ),
        );
        callings.push(new Promise<void>((r) => p.stdout.on('data', () => out.includes('calling') && r())));
        p.stderr.on('data', (d) => (err += d));
        p.on('exit', (code) => {
          const last = out.trim().split('\n').pop() ?? '';
          try {
            resolve(JSON.parse(last));
          } catch {
            reject(new Error(`child exited ${code}: ${out} ${err}`));
          }
        });
      });
    const a = child();
    const b = child();
    // Wait for both to be ready, then release them together (a line on their stdin). The first refresh request is held at
    // the mock until both processes are calling (each with calls that need the renewal): the two
    // renewals overlap for certain, and only one reaches the token endpoint.
    mock.addFault({ target: 'token', type: 'hold', times: 1 });
    await Promise.all(readies);
    for (const p of procs) p.stdin!.write('go\n');
    await Promise.all([...callings, mock.waitForHeld(1)]);
    mock.releaseHeld();
    const [ra, rb] = await Promise.all([a, b]);
    expect(ra).toEqual({ ok: 20, failures: [] });
    expect(rb).toEqual({ ok: 20, failures: [] });
    expect(mock.stats.tokenRequests.refresh_token).toBe(1);
    expect(mock.stats.rejections.refresh_token_reused).toBeUndefined();
    expect(mock.stats.tokenRequests.client_credentials ?? 0).toBe(0);
  });
});
