/**
 * FileTokenStore: tokens in one JSON file (mode 0600), written atomically (temp file + rename),
 * with a cross-process lock file (`<path>.lock`, created with O_EXCL; a lock older than
 * `staleLockMs` is considered abandoned and broken).
 *
 * Node only. node:fs is imported lazily so that importing `sc-migrate/runtime` in a browser
 * bundle does not pull it in.
 */
import { KeyedMutex, type TokenSet, type TokenStore } from './token-store.js';

export interface FileTokenStoreOptions {
  /** A lock file older than this is treated as left by a crashed process (default 30 s). */
  staleLockMs?: number;
  /** Give up waiting for the lock after this long (default 60 s). */
  lockTimeoutMs?: number;
}

type Fs = typeof import('node:fs/promises');
let fsPromise: Promise<Fs> | undefined;
const loadFs = () => (fsPromise ??= import('node:fs/promises'));

function isErr(e: unknown, code: string): boolean {
  return typeof e === 'object' && e !== null && (e as { code?: string }).code === code;
}

export class FileTokenStore implements TokenStore {
  readonly path: string;
  private readonly staleLockMs: number;
  private readonly lockTimeoutMs: number;
  private readonly mutex = new KeyedMutex();

  constructor(path: string, options: FileTokenStoreOptions = {}) {
    this.path = path;
    this.staleLockMs = options.staleLockMs ?? 30_000;
    this.lockTimeoutMs = options.lockTimeoutMs ?? 60_000;
  }

  private async readAll(): Promise<Record<string, TokenSet>> {
    const fs = await loadFs();
    try {
      const text = await fs.readFile(this.path, 'utf8');
      const data = JSON.parse(text);
      return data && typeof data === 'object' && data.tokens && typeof data.tokens === 'object' ? data.tokens : {};
    } catch (e) {
      if (isErr(e, 'ENOENT') || e instanceof SyntaxError) return {};
      throw e;
    }
  }

  private async writeAll(tokens: Record<string, TokenSet>): Promise<void> {
    const fs = await loadFs();
    const { dirname } = await import('node:path');
    await fs.mkdir(dirname(this.path), { recursive: true, mode: 0o700 });
    const tmp = `${this.path}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
    const fh = await fs.open(tmp, 'wx', 0o600);
    try {
      await fh.writeFile(JSON.stringify({ version: 1, tokens }, null, 2));
      await fh.sync();
    } finally {
      await fh.close();
    }
    try {
      await fs.rename(tmp, this.path);
    } catch (e) {
      await fs.rm(tmp, { force: true });
      throw e;
    }
    await fs.chmod(this.path, 0o600).catch(() => undefined);
  }

  async get(key: string): Promise<TokenSet | undefined> {
    const all = await this.readAll();
    return all[key];
  }

  async set(key: string, value: TokenSet): Promise<void> {
    const all = await this.readAll();
    all[key] = value;
    await this.writeAll(all);
  }

  async delete(key: string): Promise<void> {
    const all = await this.readAll();
    if (!(key in all)) return;
    delete all[key];
    await this.writeAll(all);
  }

  /** Exclusive across clients in this process (mutex) and across processes (lock file). */
  withLock<T>(_key: string, fn: () => Promise<T>): Promise<T> {
    // One lock for the whole file: every key lives in it.
    return this.mutex.run('file', async () => {
      const release = await this.acquire();
      try {
        return await fn();
      } finally {
        await release();
      }
    });
  }

  private async acquire(): Promise<() => Promise<void>> {
    const fs = await loadFs();
    const { dirname } = await import('node:path');
    await fs.mkdir(dirname(this.path), { recursive: true, mode: 0o700 });
    const lockPath = `${this.path}.lock`;
    const owner = `${process.pid}:${Date.now()}:${Math.random().toString(36).slice(2)}`;
    const deadline = Date.now() + this.lockTimeoutMs;
    for (let attempt = 0; ; attempt++) {
      try {
        const fh = await fs.open(lockPath, 'wx', 0o600); // O_CREAT | O_EXCL
        await fh.writeFile(owner);
        await fh.close();
        return async () => {
          try {
            const current = await fs.readFile(lockPath, 'utf8');
            if (current === owner) await fs.rm(lockPath, { force: true });
          } catch {
            /* already gone */
          }
        };
      } catch (e) {
        if (!isErr(e, 'EEXIST')) throw e;
      }
      try {
        const st = await fs.stat(lockPath);
        if (Date.now() - st.mtimeMs > this.staleLockMs) {
          // Break a stale lock: rename it away first so two breakers cannot both win.
          const grave = `${lockPath}.stale.${process.pid}.${Math.random().toString(36).slice(2)}`;
          const moved = await fs.rename(lockPath, grave).then(
            () => true,
            () => false,
          );
          if (moved) {
            // If what we moved is fresh, another process re-took the lock meanwhile: put it back.
            const gst = await fs.stat(grave).catch(() => undefined);
            if (gst && Date.now() - gst.mtimeMs <= this.staleLockMs) await fs.link(grave, lockPath).catch(() => undefined);
            await fs.rm(grave, { force: true });
          }
          continue;
        }
      } catch (e) {
        if (isErr(e, 'ENOENT')) continue;
        throw e;
      }
      if (Date.now() > deadline) throw new Error(`FileTokenStore: timed out waiting for lock ${lockPath}`);
      const wait = Math.min(200, 5 * 2 ** Math.min(attempt, 5)) * (0.5 + Math.random());
      await new Promise((r) => setTimeout(r, wait));
    }
  }
}
