/** `sc-migrate mock-api`: the strict mock SoundCloud API (loaded only when run). */
import { UsageError } from '../../scan/errors.js';
import type { Args, CliIO, Command } from '../command.js';
import { lastOf } from '../options.js';

/** `--port`: 0..65535 (0: any free port). */
export function portOf(v: unknown): number | undefined {
  if (v === undefined) return undefined;
  const s = String(lastOf(v)).trim();
  const n = Number(s);
  if (!/^\d+$/.test(s) || n > 65535) throw new UsageError(`--port: invalid port "${s}" (a number from 0 to 65535; 0 picks a free port)`);
  return n;
}

export const mockApi: Command = {
  name: 'mock-api',
  describe: 'Start the strict mock SoundCloud API',
  options: {
    legacy: { type: 'boolean', default: false, describe: 'Accept the old, insecure API behaviour' },
    port: { type: 'string', requiresArg: true, describe: 'Port to listen on (0: any free port)' },
  },
  examples: [['$0 mock-api --port 8080', 'Serve the mock on http://127.0.0.1:8080']],
  async run(args: Args, io: CliIO): Promise<number> {
    const port = portOf(args.port);
    let mod: typeof import('../../mock-api/cli.js');
    try {
      mod = await import('../../mock-api/cli.js');
    } catch (e) {
      io.stderr.write(`sc-migrate: mock-api is not available in this build: ${(e as Error).message}\n`);
      return 2;
    }
    let handle: { close(): Promise<void> };
    try {
      handle = await mod.runMockApiCommand({ legacy: !!args.legacy, ...(port !== undefined ? { port } : {}), stdout: io.stdout as NodeJS.WritableStream });
    } catch (e) {
      const err = e as NodeJS.ErrnoException;
      if (err.code === 'EADDRINUSE') throw new UsageError(`mock-api: port ${port} is already in use (another mock-api or server?): stop it or choose another with --port (0 picks a free port)`);
      if (err.code === 'EACCES') throw new UsageError(`mock-api: no permission to listen on port ${port} (ports below 1024 need privileges): choose another with --port`);
      throw e;
    }
    await new Promise<void>((r) => { process.once('SIGINT', r); process.once('SIGTERM', r); });
    await handle.close();
    return 0;
  },
};
