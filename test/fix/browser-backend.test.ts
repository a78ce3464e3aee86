/**
 * Behavioural proof of the browser client_id migration (src/fix/browser-client.ts): a small SPA
 * module written in the idioms seen in real React/Redux apps (an async method on fetch, a thunk
 * whose URL is a const and whose promise chain dispatches, a promise-returning arrow, an axios
 * request under a track's `uri` with the client_id in its params (also one with a fallback, awaited by
 * the next statement), a store method building the URL
 * that its action requests) fails
 * against the strict mock before `fix`; after `fixFiles` it passes, its app tokens coming from
 * the app's backend route (createTokenEndpoint behind node:http on 127.0.0.1), which asked
 * SoundCloud for ONE client_credentials token for every call of two "browser" processes.
 * The "browser" runs in a child process (Node's fetch, the mock preload routing SoundCloud hosts);
 * fix is given the route as an absolute URL (`tokenEndpoint`), as a browser would resolve `/api/...`.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { allRules } from '../../rules/index.js';
import { fixFiles } from '../../src/fix/apply.js';
import { startBackendApp, type BackendApp } from './backend-app.js';

const CLIENT = { clientId: 'spa-client-id', clientSecret: 'spa secret+/=', redirectUris: ['http://localhost:3000/cb'] };

const FILES: Record<string, string> = {
  'package.json': JSON.stringify({ name: 'spa', private: true, type: 'module', dependencies: { react: '^18.2.0', 'redux-thunk': '^2.4.0', express: '^4.18.0' } }, null, 2) + '\n',
  // the Express server only serves the bundle: the modules under src/ are the browser's
  'server.js': "import express from 'express';\nconst app = express();\napp.use(express.static('build'));\napp.listen(8080);\n",
  'src/constants.js': 'export const CLIENT_ID = process.env.REACT_APP_SC_CLIENT_ID;\n',
  'src/api.js': [
    "import { CLIENT_ID } from './constants';",
    '',
    'export const api = {',
    '  async searchTracks(term) {',
    '    const url = `https://api.soundcloud.com/tracks?q=${term}&limit=10&client_id=${CLIENT_ID}`;',
    '    const response = await fetch(url);',
    "    if (!response.ok) throw new Error('search ' + response.status);",
    '    return response.json();',
    '  },',
    '};',
    '',
    'export function loadUserTracks(userId) {',
    '  return function (dispatch) {',
    '    const URL = `https://api.soundcloud.com/users/${userId}/tracks?client_id=${CLIENT_ID}`;',
    '    fetch(URL)',
    "      .then((res) => { if (!res.ok) throw new Error('tracks ' + res.status); return res.json(); })",
    "      .then((tracks) => dispatch({ type: 'TRACKS', tracks }))",
    "      .catch((error) => dispatch({ type: 'ERROR', error }));",
    '  };',
    '}',
    '',
    "export const getTrack = (id) => fetch(`https://api.soundcloud.com/tracks/${id}?client_id=${CLIENT_ID}`).then((r) => (r.ok ? r.json() : Promise.reject(new Error('track ' + r.status))));",
    '',
  ].join('\n'),
  // a request under a track's own `uri` (the resource's URL on api.soundcloud.com), its client_id in axios's params
  'src/player.js': [
    "import axios from 'axios';",
    "import { CLIENT_ID } from './constants';",
    '',
    'export const player = {',
    '  async streamOf(song) {',
    "    const response = await axios.get(song.uri + '/streams', {",
    '      params: {',
    '        client_id: CLIENT_ID,',
    '      },',
    '    });',
    '    return response.data.http_mp3_128_url;',
    '  },',
    // a request with a fallback, awaited by the next statement (SoundcloudMobX's player store)
    '  async firstStream(song) {',
    "    const pending = axios.get(song.uri + '/streams', {",
    '      params: {',
    '        client_id: CLIENT_ID,',
    '      },',
    '    }).catch(() => null);',
    '    const streams = await pending;',
    '    return streams ? streams.data.http_mp3_128_url : null;',
    '  },',
    '};',
    '',
  ].join('\n'),
  // a store whose method builds the page URL (appending a filter with `url +=`) and whose actions request it
  'src/charts.js': [
    "import axios from 'axios';",
    "import { CLIENT_ID } from './constants';",
    '',
    'class Charts {',
    "  nextHref = '';",
    "  genre = 'house';",
    '',
    '  request() {',
    '    var url = this.nextHref || `https://api.soundcloud.com/tracks?linked_partitioning=1&client_id=${CLIENT_ID}&limit=5`;',
    '    if (this.genre) {',
    '      url += `&q=${this.genre}`;',
    '    }',
    '    return url;',
    '  }',
    '',
    '  async load() {',
    '    const response = await axios.get(this.request());',
    '    return response.data;',
    '  }',
    '}',
    '',
    'export const charts = new Charts();',
    '',
  ].join('\n'),
  // a stand-in for axios in the "browser": get(url, { params, headers }) over fetch, rejecting on an error status
  'node_modules/axios/package.json': JSON.stringify({ name: 'axios', type: 'module', main: 'index.js' }),
  'node_modules/axios/index.js': [
    'export default {',
    '  async get(url, config = {}) {',
    '    const u = new URL(url);',
    '    for (const [k, v] of Object.entries(config.params ?? {})) u.searchParams.set(k, v);',
    '    const res = await fetch(u, { headers: config.headers });',
    "    if (!res.ok) throw new Error('axios ' + res.status);",
    '    return { status: res.status, data: await res.json() };',
    '  },',
    '};',
    '',
  ].join('\n'),
  'scenario.mjs': [
    "const { api, loadUserTracks, getTrack } = await import('./src/api.js');",
    "const found = await api.searchTracks('night');",
    "const action = await new Promise((resolve) => loadUserTracks(1001)(resolve));",
    "if (action.type !== 'TRACKS') throw action.error;",
    'const track = await getTrack(1);',
    "const { player } = await import('./src/player.js');",
    "const media = await player.streamOf({ uri: 'https://api.soundcloud.com/tracks/1' });",
    "const first = await player.firstStream({ uri: 'https://api.soundcloud.com/tracks/1' });",
    "const { charts } = await import('./src/charts.js');",
    'const page = await charts.load();',
    'console.log(JSON.stringify({ search: (found.collection ?? found).length, tracks: (action.tracks.collection ?? action.tracks).length, track: track.id, media: typeof media, first: typeof first, charts: Array.isArray(page.collection ?? page) }));',
    '',
  ].join('\n'),
};

describe('browser code after fix gets its app tokens from the backend route (strict mock)', () => {
  let app: BackendApp;
  let mock: BackendApp['mock'];
  let route: string;
  let dir: string;
  let answers: string[];

  beforeAll(async () => {
    app = await startBackendApp(CLIENT, FILES, 'sc-fix-spa-');
    ({ mock, route, dir, answers } = app);
  }, 30_000);
  afterAll(async () => { await app?.close(); });

  const browser = () => app.run({ REACT_APP_SC_CLIENT_ID: CLIENT.clientId });

  it('fails strict before fix; after fix two browser runs pass with one client_credentials token, no secret sent to them', async () => {
    const before = await browser();
    expect(before.ok, before.out).toBe(false);
    expect(before.out).toMatch(/401/);

    const files = ['src/api.js', 'src/player.js', 'src/charts.js', 'src/constants.js', 'server.js'].map((p) => ({ path: p, text: readFileSync(join(dir, p), 'utf8') }));
    const { results } = await fixFiles({ files, rules: allRules, cwd: dir, tokenEndpoint: route });
    expect(results.filter((r) => r.status === 'failed')).toEqual([]);
    const api = results.find((r) => r.file === 'src/api.js')!;
    expect(api.remaining).toEqual([]);
    expect(api.after).not.toContain('client_id');
    expect(api.after).toContain('soundcloudAccessToken(CLIENT_ID)');
    const player = results.find((r) => r.file === 'src/player.js')!;
    expect(player.remaining).toEqual([]);
    expect(player.after).toContain("axios.get(song.uri + '/streams', {\n      headers: { Authorization: 'OAuth ' + (await soundcloudAccessToken(CLIENT_ID)) },\n    });");
    expect(player.after).toContain("const pending = soundcloudAccessToken(CLIENT_ID).then((token) => axios.get(song.uri + '/streams', {\n      headers: { Authorization: 'OAuth ' + token },\n    })).catch(() => null);");
    const charts = results.find((r) => r.file === 'src/charts.js')!;
    expect(charts.remaining).toEqual([]);
    expect(charts.after).toContain('`https://api.soundcloud.com/tracks?linked_partitioning=1&limit=5`');
    expect(charts.after).toContain('axios.get(this.request(), { headers: { Authorization: `OAuth ${await soundcloudAccessToken(CLIENT_ID)}` } });');
    const created = results.filter((r) => r.created);
    expect(created.map((r) => r.file)).toEqual(['src/soundcloud-browser-client.js']);
    expect(created[0]!.after).not.toMatch(/process\.env|clientSecret|client_secret/);
    expect(created[0]!.notes).toEqual([expect.stringContaining(`serve POST ${route}`)]);
    expect(results.find((r) => r.file === 'package.json')?.dependency).toBe('sc-migrate');

    mock.stats.reset();
    for (const run of [await browser(), await browser()]) {
      expect(run.ok, run.out).toBe(true);
      expect(JSON.parse(run.out.trim().split('\n')[0]!)).toEqual({ search: expect.any(Number), tracks: expect.any(Number), track: 1, media: 'string', first: 'string', charts: true });
    }
    // the backend asked once; every browser call after that got the cached token from the route
    expect(mock.stats.tokenRequests.client_credentials).toBe(1);
    expect(mock.stats.tokenRequests.total).toBe(1);
    expect(mock.stats.rejections).toEqual({});
    expect(answers.length).toBeGreaterThanOrEqual(2);
    for (const a of answers) expect(Object.keys(JSON.parse(a)).sort()).not.toContain('refresh_token');
    expect(answers.join('\n')).not.toContain(CLIENT.clientSecret);
  }, 90_000);
});
