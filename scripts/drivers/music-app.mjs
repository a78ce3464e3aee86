#!/usr/bin/env node
/**
 * Real-code driver (issue 11): JGSolutions/music-app, its Firebase Cloud Functions back end
 * (`functions/`: Express + axios 0.24, `functions/sdk/soundcloud.sdk.ts`). The app keeps each
 * user's SoundCloud access and refresh token in Firestore; `auth.following()` renews an expired
 * token at the old `api.soundcloud.com/oauth2/token` and writes the new pair back.
 * Not part of `npm test`.
 *
 *   npm run build && node scripts/drivers/music-app.mjs [TREE]
 *
 * The copy's `functions/` gets its own dependencies (`npm install`, dev ones too: the build is its
 * own `tsc -p functions`, as `firebase deploy` runs it). The compiled `api` function (the
 * Express app as exported, unmodified) serves on 127.0.0.1 and is called over HTTP like the
 * hosting rewrite `/api/**` would; its axios goes to the mock through the mock-api preload.
 * Stubbed (not SoundCloud): `firebase-admin`, by an in-memory Firestore (`collection().doc()
 * .get()/.set(merge)`) and `auth().getUser()`. Like the Cloud Functions runtime, a `text/plain`
 * body reaches the handler as a string (POST /artist parses it). An unhandled rejection (the
 * handlers' `Promise.all(...).then` has no catch) is recorded, not fatal; a call that never
 * answers fails after 15 s.
 * The user's access token has expired (mock clock +1 h), so the first call must renew it:
 *   1. legacy mock, as published  -> pass
 *   2. strict mock, as published  -> fail (old /oauth2/token: 404, then every call 401)
 *   3. `sc-migrate fix`, rebuilt, strict -> pass (the rotated refresh token is in Firestore)
 *   4. `tsc -p functions` after fix: no error that the published code did not have (the
 *      deploy's predeploy builds with it; the one error as published is its `rxjs` import, which
 *      resolves from the Angular app's node_modules in a full checkout)
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { TREES, fixCopy, prepareCopy, reporter, runScenario, startMockApi, userTokens } from './lib.mjs';

const TREE = resolve(process.argv[2] ?? join(TREES, 'JGSolutions+music-app'));
// The app's own client id and secret (functions/sdk/api-keys.ts), read, never printed: the code as
// published sends them; after fix the secret comes from SOUNDCLOUD_CLIENT_SECRET.
const keys = readFileSync(join(TREE, 'functions/sdk/api-keys.ts'), 'utf8').split('soundcloudKeys')[1];
const CLIENT = { clientId: /clientId:\s*"([^"]+)"/.exec(keys)[1], clientSecret: /secretApi:\s*"([^"]+)"/.exec(keys)[1] };
const UID = 'driver-firebase-uid';

const SCENARIO = `
import { createRequire } from 'node:module';
import http from 'node:http';
const require = createRequire(import.meta.url);
const Module = require('node:module');

// Stub of firebase-admin: Firestore and Auth in memory (everything else is the app's own code).
const store = new Map(Object.entries(JSON.parse(process.env.DRIVER_FIRESTORE)));
const merge = (a, b) => {
  const out = { ...(a ?? {}) };
  for (const [k, v] of Object.entries(b)) out[k] = v && typeof v === 'object' && !Array.isArray(v) ? merge(out[k], v) : v;
  return out;
};
const doc = (key) => ({
  get: async () => ({ exists: store.has(key), data: () => store.get(key) }),
  set: async (v, o) => { store.set(key, o && o.merge ? merge(store.get(key), v) : v); return {}; },
});
const app = {
  firestore: () => ({ collection: (c) => ({ doc: (d) => doc(c + '/' + d) }) }),
  auth: () => ({ getUser: async (uid) => { if (uid !== process.env.DRIVER_UID) throw new Error('auth/user-not-found'); return { uid }; } }),
};
const stub = { initializeApp: () => app, app: () => app };
const load = Module._load;
Module._load = function (request, ...rest) { return request === 'firebase-admin' ? stub : load.call(this, request, ...rest); };

const unhandled = [];
process.on('unhandledRejection', (e) => unhandled.push(String(e && e.message || e).slice(0, 120)));

const { api } = require('./functions/lib/functions/src/index.js');
const server = http.createServer(async (req, res) => {
  if (/text\\/plain/.test(req.headers['content-type'] || '')) {
    let body = '';
    for await (const chunk of req) body += chunk;
    req.body = body;
    req._body = true;
  }
  api(req, res);
});
await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
const base = 'http://127.0.0.1:' + server.address().port + '/api';
async function call(name, path, init = {}) {
  const before = unhandled.length;
  try {
    const res = await fetch(base + path, { ...init, headers: { authorization: process.env.DRIVER_UID, ...init.headers }, signal: AbortSignal.timeout(15000) });
    const text = await res.text();
    let body; try { body = JSON.parse(text); } catch { body = text; }
    return { name, status: res.status, body, unhandled: unhandled.slice(before) };
  } catch (e) {
    return { name, status: 0, error: String(e && e.message || e).slice(0, 120), unhandled: unhandled.slice(before) };
  }
}
const count = (x) => Array.isArray(x) ? x.length : undefined;
const out = [];
const sc = () => store.get('connectedServices/' + process.env.DRIVER_UID).soundcloud;
const first = sc();
let r = await call('artists (following; renews the expired token)', '/artists');
out.push({ name: r.name, status: r.status, artists: r.body && typeof r.body === 'object' ? Object.keys(r.body).length : undefined, unhandled: r.unhandled });
out.push({ name: 'firestore after renewal', tokenChanged: sc().token !== first.token, refreshRotated: sc().refresh_token !== first.refresh_token });
r = await call('search', '/search?search=mo');
out.push({ name: r.name, status: r.status, tracks: count(r.body?.tracks), artists: count(r.body?.artists), unhandled: r.unhandled });
r = await call('playlists', '/playlists');
out.push({ name: r.name, status: r.status, playlists: count(r.body), unhandled: r.unhandled });
r = await call('playlistDetails', '/playlistDetails?playlistid=501&platform=soundcloud');
out.push({ name: r.name, status: r.status, tracks: count(r.body?.tracks), unhandled: r.unhandled });
r = await call('artist (artist tracks)', '/artist', { method: 'POST', headers: { 'content-type': 'text/plain' }, body: JSON.stringify([{ type: 'soundcloud', id: '1001' }]) });
out.push({ name: r.name, status: r.status, tracks: count(r.body?.tracks), unhandled: r.unhandled });
r = await call('soundcloud-audio (stream)', '/soundcloud-audio?externalUrl=' + encodeURIComponent('https://api.soundcloud.com/tracks/1/stream'));
out.push({ name: r.name, status: r.status, bytes: typeof r.body === 'string' ? r.body.length : undefined, unhandled: r.unhandled });
server.close();
console.log(JSON.stringify(out));
process.exit(0);
`;

const { dir, sh } = prepareCopy(TREE, 'music-app', SCENARIO, [], { installIn: 'functions' });

/** `tsc -p functions` with the app's own TypeScript (emits even with type errors, as tsc does); returns the error lines. */
function build() {
  const r = spawnSync(process.execPath, ['functions/node_modules/typescript/bin/tsc', '-p', 'functions'], { cwd: dir, encoding: 'utf8' });
  return r.stdout.split('\n').filter((l) => /error TS\d+/.test(l));
}

async function run(mode) {
  const mock = await startMockApi({ mode, clients: [{ ...CLIENT, redirectUris: [] }] });
  try {
    const tokens = await userTokens(mock, CLIENT);
    mock.advanceTime((tokens.expires_in + 60) * 1000); // the stored access token has expired
    const firestore = { [`connectedServices/${UID}`]: { soundcloud: { token: tokens.access_token, refresh_token: tokens.refresh_token } } };
    const results = await runScenario(dir, mock, { DRIVER_UID: UID, DRIVER_FIRESTORE: JSON.stringify(firestore), SOUNDCLOUD_CLIENT_SECRET: CLIENT.clientSecret });
    const by = Object.fromEntries(results.map((x) => [x.name, x]));
    const ok = (name, check) => by[name]?.status === 200 && check(by[name]);
    const pass =
      ok('artists (following; renews the expired token)', (x) => x.artists > 0) &&
      by['firestore after renewal']?.tokenChanged === true && by['firestore after renewal']?.refreshRotated === true &&
      ok('search', (x) => x.tracks > 0 && x.artists > 0) &&
      ok('playlists', (x) => x.playlists > 0) &&
      ok('playlistDetails', (x) => x.tracks > 0) &&
      ok('artist (artist tracks)', (x) => x.tracks > 0) &&
      ok('soundcloud-audio (stream)', (x) => x.bytes > 0);
    return { pass, results, rejections: { ...mock.stats.rejections } };
  } finally {
    await mock.close();
  }
}

const report = reporter('music-app');
const errorsBefore = build();
report.step('legacy, as published', true, await run('legacy'));
report.step('strict, as published', false, await run('strict'));
fixCopy(dir, sh);
// fix moves the hard-coded secret to the environment; the deployment sets it (as run() does)
if (!sh('git', ['diff']).includes('process.env.SOUNDCLOUD_CLIENT_SECRET')) process.stderr.write('driver: fix no longer reads SOUNDCLOUD_CLIENT_SECRET\n');
const errorsAfter = build();
report.step('strict, after fix (rebuilt)', true, await run('strict'));
const fresh = errorsAfter.filter((l) => !errorsBefore.includes(l));
report.step('tsc -p functions: no new error after fix', true, { pass: fresh.length === 0, results: { before: errorsBefore.length, after: errorsAfter.length, new: fresh }, rejections: {} });
report.finish(dir);
