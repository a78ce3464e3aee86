/**
 * The stream route (createStreamEndpoint) and the URL that browser code fixed by `fix` builds for
 * it (soundcloudStreamSrc of the generated browser module, streamSrc of the runtime), against the
 * strict mock API on 127.0.0.1: render-time code (`<audio src={`${track.stream_url}?client_id=...`}>`,
 * a selector) needs a URL at once, so it cannot wait for streamUrl. The old `?client_id=` URL is
 * refused by the strict API; after `fix` the selector's URL asks the app's backend route, which
 * answers 302 to a signed media URL of the mock's CDN that plays with no credential. The route
 * and the token route share one app token (the same tokenStore). The route only serves
 * SoundCloud API track URLs and track ids (no open redirect).
 */
import { execFile } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allRules } from '../../rules/index.js';
import { lintText } from '../../src/engine/linter.js';
import { fixFiles } from '../../src/fix/apply.js';
import { startMockApi, type MockApi } from '../../src/mock-api/index.js';
import { MemoryTokenStore, createStreamEndpoint, createTokenEndpoint, streamRouteOf, streamSrc, toNodeHandler } from '../../src/runtime/index.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const TSX = pathToFileURL(join(root, 'node_modules/tsx/dist/loader.mjs')).href;
const CLIENT = { clientId: 'deck-app', clientSecret: 'deck secret+/=', redirectUris: [] };
const ID3 = [73, 68, 51];
const noSleep = async () => {};

const FILES: Record<string, string> = {
  'package.json': JSON.stringify({ name: 'deck', private: true, type: 'module', dependencies: { react: '^18.2.0' } }, null, 2) + '\n',
  'src/config.js': 'export const CLIENT_ID = process.env.REACT_APP_SC_CLIENT_ID;\n',
  // a selector read at render time (`<audio src={audioSrc(track)} />`): no await possible
  'src/selectors.js': [
    "import { CLIENT_ID } from './config.js';",
    '',
    "export const audioSrc = (track) => (track ? `${track.stream_url}?client_id=${CLIENT_ID}` : '');",
    '',
    "export const downloadHref = (id) => 'https://api.soundcloud.com/tracks/' + id + '/download?client_id=' + CLIENT_ID;",
    '',
  ].join('\n'),
  // the whole query kept in a constant (shared with the app's searches, hence its paging parameter), appended to stream_url
  'src/key.js': "export const SC_QUERY = '?client_id=deck-app&limit=50';\n",
  'src/queue.js': [
    "import { SC_QUERY } from './key.js';",
    '',
    "const PARAM = 'client_id=deck-app';",
    '',
    'export const queueSrc = (track) => track.stream_url + SC_QUERY;',
    '',
    'function mediaUrl(url) {',
    '  return `${url}?${PARAM}`;',
    '}',
    '',
    'export const nextSrc = (data) => mediaUrl(data.stream_url);',
    '',
  ].join('\n'),
  'scenario.mjs': [
    "import { audioSrc, downloadHref } from './src/selectors.js';",
    "import { queueSrc, nextSrc } from './src/queue.js';",
    "const track = (id) => ({ id, stream_url: `https://api.soundcloud.com/tracks/${id}/stream` });",
    "console.log(JSON.stringify({ src: audioSrc(track(2)), download: downloadHref(3), none: audioSrc(null), queue: queueSrc(track(1)), next: nextSrc(track(3)) }));",
    '',
  ].join('\n'),
};

describe('the stream route: 302 to signed media, built synchronously by fixed browser code (strict mock)', () => {
  let mock: MockApi;
  let server: Server;
  let base = '';
  let dir = '';
  beforeAll(async () => {
    mock = await startMockApi({ mode: 'strict', clients: [CLIENT] });
    const tokenStore = new MemoryTokenStore();
    const common = { ...CLIENT, tokenStore, authBase: mock.authUrl, fetch: mock.fetch, sleep: noSleep };
    const token = toNodeHandler(createTokenEndpoint(common));
    const stream = toNodeHandler(createStreamEndpoint({ ...common, apiBase: mock.apiUrl }));
    server = createServer((req, res) => {
      const path = new URL(req.url ?? '/', 'http://x').pathname;
      if (path === '/api/soundcloud/token') void token(req, res);
      else if (path === '/api/soundcloud/stream') void stream(req, res);
      else { res.statusCode = 404; res.end(); }
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    dir = mkdtempSync(join(tmpdir(), 'sc-stream-route-'));
    for (const [rel, text] of Object.entries(FILES)) { mkdirSync(join(dir, rel, '..'), { recursive: true }); writeFileSync(join(dir, rel), text); }
    // `sc-migrate/runtime/browser` resolves to this checkout's runtime (through tsx)
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
    execFile(process.execPath, ['--import', TSX, join(dir, 'scenario.mjs')], { cwd: dir, timeout: 30_000, env: { ...process.env, REACT_APP_SC_CLIENT_ID: CLIENT.clientId } },
      (err, stdout, stderr) => res({ ok: !err, out: `${stdout}\n${stderr}`.slice(-1500) }));
  });
  /** GET a route URL without following: the 302's Location. */
  const located = async (url: string) => {
    const res = await fetch(url, { redirect: 'manual' });
    return { status: res.status, location: res.headers.get('location') ?? '', cache: res.headers.get('cache-control') };
  };
  const play = async (url: string) => Array.from(new Uint8Array(await (await mock.fetch(url)).arrayBuffer()).slice(0, 3));

  it('the old ?client_id= URL is refused by the strict API; after fix the URL the selector builds gets a 302 to media the mock serves', async () => {
    const before = await run();
    expect(before.ok, before.out).toBe(true);
    const old = JSON.parse(before.out.trim().split('\n')[0]!) as { src: string; download: string; queue: string; next: string };
    expect(old.src).toBe(`https://api.soundcloud.com/tracks/2/stream?client_id=${CLIENT.clientId}`);
    expect(old.queue).toBe(`https://api.soundcloud.com/tracks/1/stream?client_id=${CLIENT.clientId}&limit=50`);
    expect(old.next).toBe(`https://api.soundcloud.com/tracks/3/stream?client_id=${CLIENT.clientId}`);
    mock.stats.reset();
    for (const u of [old.src, old.queue, old.next]) {
      const refused = await mock.fetch(u.replace('https://api.soundcloud.com', mock.apiUrl), { redirect: 'manual' });
      expect(refused.status).toBe(401);
    }
    expect(mock.stats.rejections).toEqual({ client_id_only: 3 });

    const files = ['src/config.js', 'src/selectors.js', 'src/key.js', 'src/queue.js'].map((p) => ({ path: p, text: readFileSync(join(dir, p), 'utf8') }));
    const { results } = await fixFiles({ files, rules: allRules, cwd: dir, tokenEndpoint: `${base}/api/soundcloud/token` });
    expect(results.filter((r) => r.status === 'failed')).toEqual([]);
    const fixed = readFileSync(join(dir, 'src/selectors.js'), 'utf8');
    expect(fixed).toContain("export const audioSrc = (track) => (track ? soundcloudStreamSrc(track.stream_url) : '');");
    expect(fixed).toContain("soundcloudStreamSrc('https://api.soundcloud.com/tracks/' + id + '/download')");
    expect(lintText({ text: fixed, filename: join(dir, 'src/selectors.js'), rules: allRules }).findings).toEqual([]);
    // the query constant's reader and the helper appending a constant: the stream route; the constants lose their readers
    const queue = readFileSync(join(dir, 'src/queue.js'), 'utf8');
    expect(queue).toContain('export const queueSrc = (track) => soundcloudStreamSrc(track.stream_url);');
    expect(queue).toContain('  return soundcloudStreamSrc(url);');
    expect(queue).not.toContain('PARAM');
    expect(queue).not.toContain('{ SC_QUERY }');
    expect(lintText({ text: queue, filename: join(dir, 'src/queue.js'), rules: allRules }).findings).toEqual([]);
    const note = results.find((r) => r.created)?.notes?.join(' ') ?? '';
    expect(note).toContain(`GET ${base}/api/soundcloud/stream with createStreamEndpoint`);

    const after = await run();
    expect(after.ok, after.out).toBe(true);
    const now = JSON.parse(after.out.trim().split('\n')[0]!) as { src: string; download: string; none: string; queue: string; next: string };
    for (const [u, id] of [[now.queue, 1], [now.next, 3]] as const) expect(u).toBe(`${base}/api/soundcloud/stream?url=${encodeURIComponent(`https://api.soundcloud.com/tracks/${id}/stream`)}`);
    expect(now.src).toBe(`${base}/api/soundcloud/stream?url=${encodeURIComponent('https://api.soundcloud.com/tracks/2/stream')}`);
    expect(now.src).not.toContain('client_id');
    expect(now.none).toBe('');

    mock.stats.reset();
    for (const [src, id] of [[now.src, 2], [now.download, 3], [now.queue, 1], [now.next, 3]] as const) {
      const r = await located(src);
      expect(r.status, src).toBe(302);
      expect(r.cache).toBe('no-store');
      expect(r.location.startsWith(`${mock.cdnUrl}/stream/${id}.mp3?`), r.location).toBe(true);
      expect(await play(r.location)).toEqual(ID3);
    }
    expect(mock.stats.rejections).toEqual({}); // no client_id alone, no Authorization at the CDN
    expect(mock.stats.tokenRequests.client_credentials).toBe(1);
    expect(mock.stats.cdnRequests).toBe(4);
  }, 60_000);

  it('shares the token route\'s app token; serves ids and track objects; refuses other URLs, methods and the private API', async () => {
    mock.stats.reset();
    const tokenRes = await fetch(`${base}/api/soundcloud/token`, { method: 'POST', body: new URLSearchParams({ grant_type: 'client_credentials', client_id: CLIENT.clientId }) });
    expect(tokenRes.status).toBe(200);
    const route = streamRouteOf(`${base}/api/soundcloud/token`);
    expect(route).toBe(`${base}/api/soundcloud/stream`);
    for (const source of [1, '1', 'soundcloud:tracks:1', { id: 1 }, { stream_url: 'https://api.soundcloud.com/tracks/1/stream?client_id=x' }, '//api.soundcloud.com/tracks/1/stream', 'http://api.soundcloud.com/tracks/1']) {
      const src = streamSrc(route, source);
      expect(src).not.toContain('client_id');
      const r = await located(src);
      expect(r.status, String(src)).toBe(302);
      expect(r.location.startsWith(`${mock.cdnUrl}/stream/1.mp3?`)).toBe(true);
    }
    expect(mock.stats.tokenRequests.total).toBe(0); // the token of the first test, shared through the store
    for (const bad of ['https://evil.example/tracks/1/stream', 'https://api-v2.soundcloud.com/tracks/1/stream', 'https://api.soundcloud.com/me', 'javascript:alert(1)', '']) {
      expect((await located(`${route}?url=${encodeURIComponent(bad)}`)).status, bad).toBe(400);
    }
    expect((await located(`${route}?id=abc`)).status).toBe(400);
    expect((await fetch(`${route}?id=1`, { method: 'POST' })).status).toBe(405);
    expect((await located(`${route}?id=999999`)).status).toBe(404);
  });

  it('an Electron renderer (rules/no-client-id-auth/fixtures/fix/electron-renderer): a synchronous play() and a download thunk get route URLs that play; unset, the shell module refuses', async () => {
    const input = join(root, 'rules/no-client-id-auth/fixtures/fix/electron-renderer/input');
    const app = join(dir, 'electron');
    cpSync(input, app, { recursive: true });
    const scenario = [
      "import { play } from './src/player/deck.js';",
      "import { downloadTrack } from './src/actions/download.js';",
      'const seen = globalThis.__seen;',
      "try { play({ id: 2 }); downloadTrack({ id: 3 })(() => {}); } catch (e) { seen.push({ error: e.message }); }",
      'console.log(JSON.stringify(seen));',
      '',
    ].join('\n');
    // the page's globals: soundmanager2, and node integration's window.require (fs, request) as stand-ins that record the URL
    const page = [
      'globalThis.__seen = [];',
      'const sink = { on: () => sink, pipe: () => sink, play() {}, stop() {} };',
      "globalThis.soundManager = { createSound: (o) => (globalThis.__seen.push({ sound: o.url }), sink) };",
      "const remote = { app: { getPath: () => '/tmp' } };",
      "globalThis.window = { require: (m) => (m === 'fs' ? { createWriteStream: () => sink } : m === 'request' ? { get: (url) => (globalThis.__seen.push({ download: url }), sink) } : { remote }) };",
      '',
    ].join('\n');
    writeFileSync(join(app, 'page.mjs'), page);
    writeFileSync(join(app, 'scenario.mjs'), scenario);
    writeFileSync(join(app, 'package.json'), readFileSync(join(app, 'package.json'), 'utf8').replace('"private": true,', '"private": true,\n  "type": "module",'));
    const go = () => new Promise<string>((res) => {
      execFile(process.execPath, ['--import', TSX, '--import', join(app, 'page.mjs'), join(app, 'scenario.mjs')], { cwd: app, timeout: 30_000 },
        (err, stdout, stderr) => res(err ? `${stdout}\n${stderr}` : stdout.trim()));
    });
    const files = (names: string[]) => names.map((p) => ({ path: p, text: readFileSync(join(app, p), 'utf8') }));
    const sources = ['src/config.js', 'src/player/deck.js', 'src/actions/download.js', 'src/main/resolve.js'];
    const before = JSON.parse(await go()) as { sound?: string; download?: string }[];
    expect(before).toEqual([{ sound: `https://api.soundcloud.com/tracks/2/stream?client_id=${'c0ffee00'.repeat(4)}` }, { download: `https://api.soundcloud.com/tracks/3/stream?client_id=${'c0ffee00'.repeat(4)}` }]);

    // without --token-endpoint: the fixture's output, whose module refuses until the app sets its route
    const unset = await fixFiles({ files: files(sources), rules: allRules, cwd: app });
    expect(unset.results.filter((r) => r.status === 'failed')).toEqual([]);
    for (const p of ['src/player/deck.js', 'src/actions/download.js']) expect(readFileSync(join(app, p), 'utf8'), p).toMatch(/soundcloudStreamSrc\(['`]https:\/\/api\.soundcloud\.com\/tracks\//);
    const created = unset.results.filter((r) => r.created).map((r) => r.file);
    expect(created).toHaveLength(1);
    expect(readFileSync(join(app, created[0]!), 'utf8')).toContain("SOUNDCLOUD_TOKEN_ENDPOINT = ''");
    expect(JSON.parse(await go())).toEqual([{ error: 'SOUNDCLOUD_TOKEN_ENDPOINT is not set (your backend token route)' }]);

    // with the backend's route: the renderer builds route URLs at once; each answers 302 to media that plays
    cpSync(join(input, 'src'), join(app, 'src'), { recursive: true });
    rmSync(join(app, created[0]!));
    const set = await fixFiles({ files: files(sources), rules: allRules, cwd: app, tokenEndpoint: `${base}/api/soundcloud/token` });
    expect(set.results.filter((r) => r.status === 'failed')).toEqual([]);
    const after = JSON.parse(await go()) as { sound?: string; download?: string }[];
    expect(after).toEqual([
      { sound: `${base}/api/soundcloud/stream?url=${encodeURIComponent('https://api.soundcloud.com/tracks/2/stream')}` },
      { download: `${base}/api/soundcloud/stream?url=${encodeURIComponent('https://api.soundcloud.com/tracks/3/stream')}` },
    ]);
    mock.stats.reset();
    for (const [{ sound, download }, id] of [[after[0]!, 2], [after[1]!, 3]] as const) {
      const r = await located((sound ?? download)!);
      expect(r.status).toBe(302);
      expect(r.location.startsWith(`${mock.cdnUrl}/stream/${id}.mp3?`), r.location).toBe(true);
      expect(await play(r.location)).toEqual(ID3);
    }
    expect(mock.stats.rejections).toEqual({});
  }, 60_000);

  it('streamRouteOf / streamSrc: the route next to the token route; ids, URLs without their credentials, nothing for no track', () => {
    expect(streamRouteOf('/api/soundcloud/token')).toBe('/api/soundcloud/stream');
    expect(streamRouteOf('https://backend.example/sc/token?v=1')).toBe('https://backend.example/sc/stream');
    expect(streamRouteOf('/token')).toBe('/stream');
    expect(streamSrc('/s', 7)).toBe('/s?id=7');
    expect(streamSrc('/s', { id: null, download_url: 'https://api.soundcloud.com/tracks/7/download?oauth_token=t&x=1' })).toBe(`/s?url=${encodeURIComponent('https://api.soundcloud.com/tracks/7/download?x=1')}`);
    expect(streamSrc('/s?v=1', 'https://api.soundcloud.com/tracks/7/stream?a=1&client_id=k')).toBe(`/s?v=1&url=${encodeURIComponent('https://api.soundcloud.com/tracks/7/stream?a=1')}`);
    expect(streamSrc('/s', null as never)).toBe('');
    expect(streamSrc('/s', {})).toBe('');
  });

  it('needs the secret (server side only)', () => {
    expect(() => createStreamEndpoint({ clientId: 'x', clientSecret: '' })).toThrow(/server side/);
  });
});
