// A private redis-server for the RedisTokenStore tests: its own free port on 127.0.0.1, no
// persistence (--save '' --appendonly no), restartable; never the machine's shared Redis.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';

export const REDIS_SERVER = (() => {
  const r = spawnSync('sh', ['-c', 'command -v redis-server'], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : undefined;
})();
export const REDIS_MISSING =
  'redis-server is not installed: the RedisTokenStore tests against a real Redis are skipped. Install it (Debian/Ubuntu: apt-get install -y redis-server; macOS: brew install redis).';

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

export class RedisServer {
  proc?: ChildProcess;
  constructor(readonly port: number) {}

  static async start(): Promise<RedisServer> {
    const r = new RedisServer(await freePort());
    await r.start();
    return r;
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    const args = ['--port', String(this.port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--daemonize', 'no', '--loglevel', 'notice'];
    const p = spawn(REDIS_SERVER!, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    this.proc = p;
    await new Promise<void>((resolve, reject) => {
      let out = '';
      const onData = (d: Buffer) => {
        out += d;
        if (out.includes('Ready to accept connections')) {
          p.stdout!.off('data', onData);
          resolve();
        }
      };
      p.stdout!.on('data', onData);
      p.once('exit', (code) => reject(new Error(`redis-server exited ${code}: ${out.slice(-500)}`)));
    });
    p.removeAllListeners('exit');
  }

  /** Stops it (its data is gone: no persistence). */
  async stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
    const p = this.proc;
    if (!p || p.exitCode !== null || p.signalCode !== null) return;
    await new Promise<void>((resolve) => {
      p.once('exit', () => resolve());
      p.kill(signal);
    });
    this.proc = undefined;
  }

  async restart(): Promise<void> {
    await this.stop();
    await this.start();
  }
}
