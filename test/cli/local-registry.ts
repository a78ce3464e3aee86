/**
 * A read-only npm registry on 127.0.0.1 for tests that install packages (the pre-commit hook,
 * the packed tarball): packuments built from this repository's package-lock.json, tarballs from
 * npm's local cache (filled by `npm ci`), looked up by integrity. Tests never reach the internet.
 */
import { createServer, type Server } from 'node:http';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { readFileSync, realpathSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import type { AddressInfo } from 'node:net';

interface LockEntry { name?: string; version: string; integrity?: string; link?: boolean; dependencies?: Record<string, string>; optionalDependencies?: Record<string, string>; peerDependencies?: Record<string, string>; peerDependenciesMeta?: unknown; os?: string[]; cpu?: string[]; libc?: string[]; bin?: unknown; engines?: unknown }

function npmCacache(): { get: { byDigest(cache: string, integrity: string): Promise<Buffer> } } {
  const npmDir = join(dirname(realpathSync(process.execPath)), '../lib/node_modules/npm');
  return createRequire(join(npmDir, 'package.json'))('cacache');
}

export interface LocalRegistry { url: string; close(): Promise<void>; served: string[] }

export async function startLocalRegistry(lockfile: string): Promise<LocalRegistry> {
  const lock = JSON.parse(readFileSync(lockfile, 'utf8')) as { packages: Record<string, LockEntry> };
  const byName = new Map<string, Map<string, LockEntry>>();
  for (const [key, e] of Object.entries(lock.packages)) {
    if (!key || e.link || !e.integrity) continue;
    // an alias (`"test-angularjs": "npm:angular@1.5.11"`) is installed under its own folder but
    // fetched by the real name, which the lock entry keeps in `name`
    const name = e.name ?? key.slice(key.lastIndexOf('node_modules/') + 'node_modules/'.length);
    if (!byName.has(name)) byName.set(name, new Map());
    byName.get(name)!.set(e.version, e);
  }
  const cache = execFileSync('npm', ['config', 'get', 'cache'], { encoding: 'utf8' }).trim();
  const cacache = npmCacache();
  const served: string[] = [];
  let base = '';
  const server: Server = createServer((req, res) => {
    const path = decodeURIComponent((req.url ?? '/').split('?')[0]!).slice(1);
    const tgz = /^(.+)\/-\/[^/]+-(\d[^/]*)\.tgz$/.exec(path);
    if (tgz) {
      const e = byName.get(tgz[1]!)?.get(tgz[2]!);
      if (!e?.integrity) { res.writeHead(404).end(); return; }
      cacache.get.byDigest(join(cache, '_cacache'), e.integrity).then((buf) => {
        served.push(`${tgz[1]}@${tgz[2]}`);
        res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': buf.length }).end(buf);
      }, () => res.writeHead(404).end());
      return;
    }
    const versions = byName.get(path);
    if (!versions) { res.writeHead(404, { 'content-type': 'application/json' }).end('{"error":"not found"}'); return; }
    const sorted = [...versions.keys()].sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
    const doc = {
      name: path,
      'dist-tags': { latest: sorted[sorted.length - 1] },
      versions: Object.fromEntries([...versions].map(([v, e]) => [v, {
        name: path, version: v,
        ...Object.fromEntries(Object.entries(e).filter(([k]) => ['dependencies', 'optionalDependencies', 'peerDependencies', 'peerDependenciesMeta', 'os', 'cpu', 'libc', 'bin', 'engines'].includes(k))),
        dist: { tarball: `${base}/${path}/-/${path.split('/').pop()}-${v}.tgz`, integrity: e.integrity },
      }])),
    };
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(doc));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { url: base + '/', served, close: () => new Promise<void>((r) => server.close(() => r())) };
}
