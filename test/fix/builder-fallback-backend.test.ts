/**
 * Behavioural proof of the token builders' client_id fallback (src/fix/project-builders.ts): a
 * Redux-style app whose URL builders send the user's token when there is one and the app's
 * client_id otherwise fails against the strict mock before `fix`; after `fixFiles` a run without a
 * user passes, the builders' requests (a thunk's chain, a next page the API linked, a builder
 * returning another builder's URL) getting their app token from the backend route
 * (createTokenEndpoint behind node:http on 127.0.0.1), which asked SoundCloud for one token.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { allRules } from '../../rules/index.js';
import { fixFiles } from '../../src/fix/apply.js';
import { startMockApi, type MockApi } from '../../src/mock-api/index.js';
import { createTokenEndpoint, toNodeHandler } from '../../src/runtime/index.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
// tsx by its path: `--import tsx` would be resolved from the temporary app's folder, which has no node_modules/tsx
const TSX = pathToFileURL(join(root, 'node_modules/tsx/dist/loader.mjs')).href;
const CLIENT = { clientId: 'feed-client-id', clientSecret: 'feed secret+/=', redirectUris: ['http://localhost:3000/cb'] };

const FILES: Record<string, string> = {
  'package.json': JSON.stringify({ name: 'feed', private: true, type: 'module', dependencies: { react: '^18.2.0', 'redux-thunk': '^2.4.0' } }, null, 2) + '\n',
  'src/config.js': `export const APP_KEY = '${CLIENT.clientId}';\n`,
  'src/links.js': [
    "import { APP_KEY } from './config';",
    '',
    "const readToken = () => window.localStorage.getItem('feed.token');",
    '',
    'export function openUrl(path, glue) {',
    '  return `https://api.soundcloud.com/${path}${glue}client_id=${APP_KEY}`;',
    '}',
    '',
    'export function authedUrl(path, glue) {',
    '  const token = readToken();',
    '  if (!token) {',
    '    return openUrl(path, glue);',
    '  }',
    '  return `https://api.soundcloud.com/${path}${glue}oauth_token=${token}`;',
    '}',
    '',
    'export function nextUrl(link, glue) {',
    '  const token = readToken();',
    '  if (token) {',
    '    return `${link}${glue}oauth_token=${token}`;',
    '  }',
    '  return `${link}${glue}client_id=${APP_KEY}`;',
    '}',
    '',
    'export function tracksUrl(user, next) {',
    '  if (next) {',
    "    return nextUrl(next, '&');",
    '  }',
    "  return authedUrl(`users/${user}/tracks?limit=2&linked_partitioning=1`, '&');",
    '}',
    '',
  ].join('\n'),
  'src/feed.js': [
    "import { openUrl, tracksUrl } from './links';",
    '',
    "const json = (res) => (res.ok ? res.json() : Promise.reject(new Error('status ' + res.status)));",
    '',
    'export const loadChart = (next) => (dispatch) => {',
    "  const first = openUrl('tracks?limit=1&linked_partitioning=1', '&');",
    '  const url = next || first;',
    '  return fetch(url)',
    '    .then(json)',
    "    .then((page) => dispatch({ type: 'chart', page }));",
    '};',
    '',
    'export const loadTracks = (user, next) => (dispatch) => {',
    '  const url = tracksUrl(user, next);',
    '  return fetch(url)',
    '    .then(json)',
    "    .then((page) => dispatch({ type: 'tracks', page }));",
    '};',
    '',
  ].join('\n'),
  'scenario.mjs': [
    'globalThis.window = { localStorage: { getItem: () => null } };',
    "const { loadChart, loadTracks } = await import('./src/feed.js');",
    'const seen = [];',
    'const dispatch = (action) => seen.push(action);',
    'await loadChart(null)(dispatch);',
    'await loadChart(seen[0].page.next_href)(dispatch);',
    'await loadTracks(1001, null)(dispatch);',
    'await loadTracks(1001, seen[2].page.next_href)(dispatch);',
    'console.log(JSON.stringify(seen.map((a) => [a.type, a.page.collection.length])));',
    '',
  ].join('\n'),
};

describe('token builders falling back to the app token after fix (strict mock)', () => {
  let mock: MockApi;
  let server: Server;
  let route: string;
  let dir: string;

  beforeAll(async () => {
    mock = await startMockApi({ mode: 'strict', clients: [CLIENT], clientCredentialsLimit: { max: 1, windowSeconds: 12 * 3600 } });
    const handler = toNodeHandler(createTokenEndpoint({ clientId: CLIENT.clientId, clientSecret: CLIENT.clientSecret, authBase: mock.authUrl, fetch: mock.fetch }));
    server = createServer((req, res) => { void handler(req, res); });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    route = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/soundcloud/token`;
    dir = mkdtempSync(join(tmpdir(), 'sc-fix-feed-'));
    for (const [rel, text] of Object.entries(FILES)) { mkdirSync(join(dir, rel, '..'), { recursive: true }); writeFileSync(join(dir, rel), text); }
    // `sc-migrate/runtime` resolves to this checkout's runtime (through tsx)
    const pkg = join(dir, 'node_modules/sc-migrate');
    mkdirSync(pkg, { recursive: true });
    writeFileSync(join(pkg, 'package.json'), JSON.stringify({ name: 'sc-migrate', type: 'module', exports: { './runtime': './src/runtime/index.ts', './runtime/browser': './src/runtime/browser.ts' } }));
    symlinkSync(join(root, 'src'), join(pkg, 'src'));
  }, 30_000);
  afterAll(async () => {
    await new Promise((r) => server?.close(r));
    await mock?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const run = () => new Promise<{ ok: boolean; out: string }>((res) => {
    execFile(process.execPath, ['--import', TSX, '--import', join(root, 'src/mock-api/preload.ts'), join(dir, 'scenario.mjs')], {
      cwd: dir, timeout: 30_000, env: { ...process.env, ...mock.env, NODE_EXTRA_CA_CERTS: '' },
    }, (err, stdout, stderr) => res({ ok: !err, out: `${stdout}\n${stderr}`.slice(-1500) }));
  });

  it('fails strict before fix; after fix the pages pass with one app token from the route, no client_id left', async () => {
    const before = await run();
    expect(before.ok, before.out).toBe(false);
    expect(before.out).toMatch(/status 401/);

    const files = ['src/config.js', 'src/links.js', 'src/feed.js'].map((p) => ({ path: p, text: readFileSync(join(dir, p), 'utf8') }));
    const { results } = await fixFiles({ files, rules: allRules, cwd: dir, tokenEndpoint: route });
    expect(results.filter((r) => r.status === 'failed')).toEqual([]);
    for (const r of results) expect(r.remaining, r.file).toEqual([]);
    const links = results.find((r) => r.file === 'src/links.js')!.after;
    expect(links).not.toMatch(/client_id|oauth_token/);
    expect(links).toContain('export async function authHeaders() {');
    expect(results.filter((r) => r.created).map((r) => r.file)).toEqual(['src/soundcloud-browser-client.js']);

    mock.stats.reset();
    const after = await run();
    expect(after.ok, after.out).toBe(true);
    expect(JSON.parse(after.out.trim().split('\n')[0]!)).toEqual([['chart', 1], ['chart', 1], ['tracks', 2], ['tracks', expect.any(Number)]]);
    expect(mock.stats.tokenRequests.client_credentials).toBe(1);
    expect(mock.stats.rejections).toEqual({});
  }, 90_000);
});
