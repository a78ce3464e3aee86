#!/usr/bin/env node
/**
 * Real-code driver (issue 11): thomasmodeneis/soundcloudnodejs (`soundcloudnodejs` on npm, set
 * `wild`), a CommonJS wrapper on `request` promisified by bluebird (`Promise.promisifyAll(request,
 * { multiArgs: true })`): every function builds `var uri = '...?oauth_token=' + options.oauth_token
 * + ...` and sends it with an options object right at the call, `request.getAsync(uri, {timeout:
 * 10000}).spread(...)`, inside a `new Promise(function (resolve, reject) {...})`. Two rewrites:
 *   - the user token (src/fix/calls.ts): the token leaves the URL, `headers: {Authorization}`
 *     goes into that options object (getTracks, searchTrack_q, getPlaylist);
 *   - the client_id of `resolveUri` (src/fix/call-options-client-id.ts): the client_id leaves
 *     `http://api.soundcloud.com/resolve.json?url=...&client_id=...` and the statement in the
 *     Promise executor waits for the app token of the generated `soundcloud-client.js`:
 *     `soundcloudAccessToken().then((token) => request.getAsync(uri, {headers, timeout}).spread(...), reject)`.
 * Not part of `npm test`.
 *
 *   npm run build && node scripts/drivers/soundcloudnodejs.mjs [TREE]
 *
 * TREE defaults to /work/wild/thomasmodeneis+soundcloudnodejs ($SC_EVAL_TREES/... when it has it).
 * Its own dependencies (`npm install --omit=dev`); after fix `sc-migrate` is this checkout's
 * build. The user's token comes from the mock (authorization_code + PKCE, what the package's
 * `npm run token` example obtains with the password grant; getToken runs the `curl` binary, which
 * the mock preload cannot route, so it is not called). Called unmodified: `resolveUri({ client_id,
 * uri })`, `getTracks({ oauth_token, limit })`, `searchTrack_q({ oauth_token, q })`,
 * `getPlaylist({ oauth_token })`.
 *   1. legacy mock, as published  -> pass
 *   2. strict mock, as published  -> fail (plain http 301; token and client_id in the query: 401)
 *   3. `sc-migrate fix`, strict    -> pass (one client_credentials token, for resolveUri)
 */
import { SCENARIO_HEAD, beforeAndAfterFix, prepareCopy, runScenario, treeOf, userTokens, withMock } from './lib.mjs';

const TREE = treeOf('thomasmodeneis+soundcloudnodejs', 'wild');
const CLIENT = { clientId: 'scnj-client-id', clientSecret: 'scnj-client-secret' };

const SCENARIO = `${SCENARIO_HEAD}
const sc = require('./soundcloudnodejs.js');
const oauth_token = process.env.DRIVER_USER_TOKEN;
// the functions _.map whatever JSON comes back (an error object too): count the resources in it
const count = (r) => ({ count: Array.isArray(r) ? r.filter((x) => x && (x.kind === 'track' || x.kind === 'playlist')).length : 0, error: Array.isArray(r) && r.every((x) => x && x.kind) ? undefined : JSON.stringify(r).slice(0, 160) });
await call('resolveUri', () => sc.resolveUri({ client_id: process.env.DRIVER_CLIENT_ID, uri: 'https://soundcloud.com/mock-user/first-light' }), (r) => ({ kind: r && r.kind, id: r && r.id }));
await call('getTracks', () => sc.getTracks({ oauth_token, limit: 2 }), count);
await call('searchTrack_q', () => sc.searchTrack_q({ oauth_token, q: 'first' }), count);
await call('getPlaylist', () => sc.getPlaylist({ oauth_token }), count);
console.log(JSON.stringify(out));
`;

const { dir, sh } = prepareCopy(TREE, 'soundcloudnodejs', SCENARIO, ['--omit=dev']);

async function run(mode) {
  return withMock(mode, [CLIENT], async (mock) => {
    const user = await userTokens(mock, CLIENT);
    const results = await runScenario(dir, mock, { DRIVER_CLIENT_ID: CLIENT.clientId, DRIVER_USER_TOKEN: user.access_token, SOUNDCLOUD_CLIENT_ID: CLIENT.clientId, SOUNDCLOUD_CLIENT_SECRET: CLIENT.clientSecret });
    const by = Object.fromEntries(results.map((x) => [x.name, x]));
    const pass =
      by.resolveUri?.kind === 'track' && by.resolveUri.id === 1 &&
      by.getTracks?.count === 2 &&
      by.searchTrack_q?.count > 0 &&
      by.getPlaylist?.count > 0;
    return { pass, results };
  });
}

await beforeAndAfterFix('soundcloudnodejs', dir, sh, run);
