#!/usr/bin/env node
/**
 * Real-code driver (issue 11): kevin940726/muzier-cli (set `wild`), a command line downloader
 * whose SoundCloud module `soundcloud-dl.js` (CommonJS, node-fetch 1.x and `https`) sends the
 * client_id two ways: an `async` helper that merges it into the query object of every call,
 * `` fetch(`${BASE}/${endpoint}?${queryString.stringify(Object.assign({}, { client_id: this.clientId }, query))}`) ``,
 * and the download, `https.get(`${url}?client_id=${this.clientId}`, (res) => https.get(res.headers.location, ...))`
 * in a Promise executor (the app follows the stream's 302 to the CDN itself). `fix` sends the app
 * token of the generated `soundcloud-client.js` in both: `{ headers: { Authorization: `OAuth
 * ${await soundcloudAccessToken()}` } }` in the helper, and `soundcloudAccessToken().then((token)
 * => https.get(url, { headers }, cb), reject)` in the executor (the CDN request, which must carry
 * no credential, stays as it was). Not part of `npm test`.
 *
 *   npm run build && node scripts/drivers/muzier-cli.mjs [TREE]
 *
 * TREE defaults to /work/wild/kevin940726+muzier-cli ($SC_EVAL_TREES/... when it has it). Its own
 * dependencies (`npm install --omit=dev`); after fix `sc-migrate` is this checkout's build.
 * Called unmodified, as its `index.js` does: `const SC = new SoundCloud(); SC.init(key)`, then
 * `SC.resolve(url)` and `SC.resolveDownload(url)` (resolve, then the download: the CDN's bytes).
 *   1. legacy mock, as published  -> pass
 *   2. strict mock, as published  -> fail (client_id only: 401, so no stream_url to download)
 *   3. `sc-migrate fix`, strict    -> pass (one client_credentials token; no header at the CDN)
 */
import { SCENARIO_HEAD, beforeAndAfterFix, prepareCopy, runScenario, treeOf, withMock } from './lib.mjs';

const TREE = treeOf('kevin940726+muzier-cli', 'wild');
const CLIENT = { clientId: 'muzier-client-id', clientSecret: 'muzier-client-secret' };

const SCENARIO = `${SCENARIO_HEAD}
const SoundCloud = require('./soundcloud-dl.js');
const SC = new SoundCloud();
SC.init(process.env.DRIVER_CLIENT_ID);
const url = 'https://soundcloud.com/mock-user/first-light';
await call('resolve', () => SC.resolve(url), (r) => ({ kind: r && r.kind, id: r && r.id, error: r && r.kind ? undefined : JSON.stringify(r).slice(0, 160) }));
await call('resolveDownload', async () => {
  const res = await Promise.race([SC.resolveDownload(url), new Promise((_, no) => setTimeout(() => no(new Error('no answer in 15 s')), 15000))]);
  let bytes = 0;
  for await (const chunk of res) bytes += chunk.length;
  return { status: res.statusCode, bytes };
}, (r) => r);
console.log(JSON.stringify(out));
process.exit(0);
`;

const { dir, sh } = prepareCopy(TREE, 'muzier', SCENARIO, ['--omit=dev']);

async function run(mode) {
  return withMock(mode, [CLIENT], async (mock) => {
    const results = await runScenario(dir, mock, { DRIVER_CLIENT_ID: CLIENT.clientId, SOUNDCLOUD_CLIENT_ID: CLIENT.clientId, SOUNDCLOUD_CLIENT_SECRET: CLIENT.clientSecret });
    const by = Object.fromEntries(results.map((x) => [x.name, x]));
    const pass = by.resolve?.kind === 'track' && by.resolve.id === 1 && by.resolveDownload?.status === 200 && by.resolveDownload.bytes > 0;
    return { pass, results, cdnRequests: mock.stats.cdnRequests };
  });
}

// the CDN request carries no credential (the mock's CDN refuses an Authorization header)
await beforeAndAfterFix('muzier-cli', dir, sh, run, { check: (after) => !after.rejections.cdn_authorization_header });
