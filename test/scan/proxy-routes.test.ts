/**
 * Hosting rewrites to SoundCloud (engine/proxy-routes.ts) through the whole scan: discovery lists
 * vercel.json and _redirects, the prefilter makes files with credential words candidates although
 * none names SoundCloud, and the facts give a forwarded relative URL SoundCloud's, on one thread and
 * in workers (the routes are seeded into the workers' project cache); and proxies written in code
 * (a Vite config, http-proxy-middleware in a server: engine/dev-proxy.ts), read from their syntax tree.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runScan } from '../../src/scan/run.js';
import { writeTree } from '../cli/helpers.js';

/** A tree laid out in a temporary folder (removed after the file's tests). */
function tree(prefix: string, files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  writeTree(dir, files);
  return dir;
}

// Hosting rewrites: vercel.json and a site's public/_redirects; no file names SoundCloud
const hosting = tree('scm-routes-', {
  'package.json': JSON.stringify({ name: 'web', dependencies: { react: '^18.3.1' }, devDependencies: { vite: '^5.4.0' } }),
  'vercel.json': JSON.stringify({ rewrites: [{ source: '/api/v2/(.*)', destination: 'https://api-v2.soundcloud.com/$1' }, { source: '/(.*)', destination: '/index.html' }] }),
  'public/_redirects': '/music/*  https://api.soundcloud.com/:splat  200\n',
  'src/search.js': "export const search = (q, id) => fetch('/api/v2/search/tracks?q=' + encodeURIComponent(q) + '&client_id=' + id).then((r) => r.json());\n",
  'src/tracks.js': "export const tracks = (id) => fetch(`/music/tracks?client_id=${id}`).then((r) => r.json());\n",
  'src/own.js': "export const own = (id) => fetch('/api/saved?client_id=' + id).then((r) => r.json());\n",
});

// Proxies written in code (engine/dev-proxy.ts): a Vite front end and an Express server beside it; no file but the configs names SoundCloud
const code = tree('scm-dev-proxy-', {
  'package.json': JSON.stringify({ name: 'player', private: true, workspaces: ['web', 'server'] }),
  'web/package.json': JSON.stringify({ name: 'web', dependencies: { react: '^19.1.0' }, devDependencies: { vite: '^7.0.0' } }),
  'web/vite.config.ts': "import { defineConfig } from 'vite';\nexport default defineConfig({ server: { proxy: { '/sc': { target: 'https://api-v2.soundcloud.com', changeOrigin: true, rewrite: (p) => p.replace(/^\\/sc/, '') } } } });\n",
  'web/src/search.ts': "export const search = (q: string, id: string) => fetch(`/sc/search/tracks?q=${q}&client_id=${id}`).then((r) => r.json());\n",
  'web/src/own.ts': "export const own = (id: string) => fetch(`/api/saved?client_id=${id}`).then((r) => r.json());\n",
  'server/package.json': JSON.stringify({ name: 'server', dependencies: { express: '^4.19.0', 'http-proxy-middleware': '^2.0.6' } }),
  'server/index.js': "const express = require('express');\nconst { createProxyMiddleware } = require('http-proxy-middleware');\nconst app = express();\napp.use('/music', createProxyMiddleware({ target: 'https://api.soundcloud.com', changeOrigin: true, pathRewrite: { '^/music': '' } }));\napp.listen(3000);\n",
  'mobile/src/me.js': "export const me = (token) => fetch('/music/me?oauth_token=' + token).then((r) => r.json());\n",
});

const cases = [
  { what: 'the host', dir: hosting, found: ['src/search.js:1 no-client-id-auth clientIdPrivate', 'src/tracks.js:1 no-client-id-auth clientIdBrowser'] },
  { what: "a dev server or the app's server", dir: code, found: ['mobile/src/me.js:1 no-query-oauth-token query', 'web/src/search.ts:1 no-client-id-auth clientIdPrivate', 'web/vite.config.ts:2 no-private-api-v2 privateApi'] },
];

describe('proxies to SoundCloud in a scan', () => {
  it.each(cases.flatMap((c) => [1, 2].map((jobs) => ({ ...c, jobs }))))("a relative URL $what forwards to SoundCloud is SoundCloud's (jobs $jobs)", async ({ dir, found, jobs }) => {
    const scan = await runScan({ cwd: dir, noConfig: true, jobs, workerThreshold: 0 });
    expect(scan.findings.map((f) => `${f.file}:${f.line} ${f.ruleId} ${f.messageId}`)).toEqual(found);
  });
});
