/**
 * Behavioural proof of the token builders' client_id fallback (src/fix/project-builders.ts): a
 * Redux-style app whose URL builders send the user's token when there is one and the app's
 * client_id otherwise fails against the strict mock before `fix`; after `fixFiles` a run without a
 * user passes, the builders' requests (a thunk's chain, a next page the API linked, a builder
 * returning another builder's URL) getting their app token from the backend route
 * (createTokenEndpoint behind node:http on 127.0.0.1), which asked SoundCloud for one token.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { allRules } from '../../rules/index.js';
import { fixFiles } from '../../src/fix/apply.js';
import { startBackendApp, type BackendApp } from './backend-app.js';

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
  let app: BackendApp;

  beforeAll(async () => { app = await startBackendApp(CLIENT, FILES, 'sc-fix-feed-'); }, 30_000);
  afterAll(async () => { await app?.close(); });

  it('fails strict before fix; after fix the pages pass with one app token from the route, no client_id left', async () => {
    const before = await app.run();
    expect(before.ok, before.out).toBe(false);
    expect(before.out).toMatch(/status 401/);

    const files = ['src/config.js', 'src/links.js', 'src/feed.js'].map((p) => ({ path: p, text: readFileSync(join(app.dir, p), 'utf8') }));
    const { results } = await fixFiles({ files, rules: allRules, cwd: app.dir, tokenEndpoint: app.route });
    expect(results.filter((r) => r.status === 'failed')).toEqual([]);
    for (const r of results) expect(r.remaining, r.file).toEqual([]);
    const links = results.find((r) => r.file === 'src/links.js')!.after;
    expect(links).not.toMatch(/client_id|oauth_token/);
    expect(links).toContain('export async function authHeaders() {');
    expect(results.filter((r) => r.created).map((r) => r.file)).toEqual(['src/soundcloud-browser-client.js']);

    app.mock.stats.reset();
    const after = await app.run();
    expect(after.ok, after.out).toBe(true);
    expect(JSON.parse(after.out.trim().split('\n')[0]!)).toEqual([['chart', 1], ['chart', 1], ['tracks', 2], ['tracks', expect.any(Number)]]);
    expect(app.mock.stats.tokenRequests.client_credentials).toBe(1);
    expect(app.mock.stats.rejections).toEqual({});
  }, 90_000);
});
