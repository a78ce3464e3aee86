/**
 * The one atomic write (reports and baselines of `scan`, files of `fix`): a temp file in the
 * same folder (created exclusively), written, given the target's mode, fsynced, then renamed
 * over the target; the folder is fsynced (best effort). A failure removes the temp file and
 * leaves the target as it was. Sync for the CLI's outputs, async for `fix`.
 */
import { closeSync, fchmodSync, fsyncSync, mkdirSync, openSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, dirname, join } from 'node:path';

// node:fs/promises only when an async write happens (`fix`): every scan imports this module, and
// loading it cost ~1.5 ms of each start-up (the pre-commit path).
let fspLoaded: typeof import('node:fs/promises') | undefined;
const promisesApi = () => (fspLoaded ??= createRequire(import.meta.url)('node:fs/promises') as typeof import('node:fs/promises'));

const tempNameFor = (file: string) =>
  join(dirname(file), `.${basename(file)}.sc-migrate-${process.pid}-${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}.tmp`);

/** Synchronous atomic write (creates the folder). */
export function writeFileAtomic(file: string, content: string): void {
  const dir = dirname(file);
  mkdirSync(dir, { recursive: true });
  let mode: number | undefined;
  try { mode = statSync(file).mode & 0o7777; } catch { mode = undefined; }
  const tmp = tempNameFor(file);
  const fd = openSync(tmp, 'wx', mode ?? 0o644);
  try {
    writeFileSync(fd, content, 'utf8');
    if (mode !== undefined) fchmodSync(fd, mode);
    fsyncSync(fd);
    closeSync(fd);
    renameSync(tmp, file);
  } catch (e) {
    try { closeSync(fd); } catch { /* already closed */ }
    rmSync(tmp, { force: true });
    throw e;
  }
  try { const d = openSync(dir, 'r'); try { fsyncSync(d); } catch { /* best effort */ } closeSync(d); } catch { /* directory fsync is best effort */ }
}

/** Asynchronous atomic write (creates the folder). */
export async function writeFileAtomicAsync(file: string, content: string): Promise<void> {
  const fsp = promisesApi();
  const dir = dirname(file);
  await fsp.mkdir(dir, { recursive: true });
  let mode: number | undefined;
  try { mode = (await fsp.stat(file)).mode & 0o7777; } catch { mode = undefined; }
  const tmp = tempNameFor(file);
  const fh = await fsp.open(tmp, 'wx', mode ?? 0o644);
  try {
    await fh.writeFile(content, 'utf8');
    if (mode !== undefined) await fh.chmod(mode);
    await fh.sync();
  } catch (e) {
    await fh.close().catch(() => {});
    await fsp.rm(tmp, { force: true });
    throw e;
  }
  await fh.close();
  try {
    await fsp.rename(tmp, file);
  } catch (e) {
    await fsp.rm(tmp, { force: true });
    throw e;
  }
  try { const d = await fsp.open(dir, 'r'); await d.sync().catch(() => {}); await d.close(); } catch { /* directory fsync is best effort */ }
}
