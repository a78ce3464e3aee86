/**
 * Hosting rewrites to SoundCloud (engine/proxy-routes.ts) through the whole scan: discovery lists
 * vercel.json and _redirects, the prefilter makes files with credential words candidates although
 * none names SoundCloud, and the facts give a forwarded relative URL SoundCloud's, on one thread and
 * in workers (the routes are seeded into the workers' project cache).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runScan } from '../../src/scan/run.js';
import { writeTree } from '../cli/helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'scm-routes-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

writeTree(dir, {
  'package.json': JSON.stringify({ name: 'web', dependencies: { react: '^18.3.1' }, devDependencies: { vite: '^5.4.0' } }),
  'vercel.json': JSON.stringify({ rewrites: [{ source: '/api/v2/(.*)', destination: 'https://api-v2.soundcloud.com/$1' }, { source: '/(.*)', destination: '/index.html' }] }),
  'public/_redirects': '/music/*  https://api.soundcloud.com/:splat  200\n',
  // no file names SoundCloud
  'src/search.js': "export const search = (q, id) => fetch('/api/v2/search/tracks?q=' + encodeURIComponent(q) + '&client_id=' + id).then((r) => r.json());\n",
  'src/tracks.js': "export const tracks = (id) => fetch(`/music/tracks?client_id=${id}`).then((r) => r.json());\n",
  'src/own.js': "export const own = (id) => fetch('/api/saved?client_id=' + id).then((r) => r.json());\n",
});

describe('hosting rewrites in a scan', () => {
  it.each([1, 2])("a relative URL the host forwards to SoundCloud is SoundCloud's (jobs %i)", async (jobs) => {
    const scan = await runScan({ cwd: dir, noConfig: true, jobs, workerThreshold: 0 });
    expect(scan.findings.map((f) => `${f.file}:${f.line} ${f.ruleId} ${f.messageId}`)).toEqual([
      'src/search.js:1 no-client-id-auth clientIdPrivate',
      'src/tracks.js:1 no-client-id-auth clientIdBrowser',
    ]);
  });
});
