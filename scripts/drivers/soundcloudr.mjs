#!/usr/bin/env node
/**
 * Real-code driver (issue 11): robcalcroft/soundcloudr (`soundcloudr` on npm, set `wild`), a
 * CommonJS downloader for Node and Express on `request` 2.54. Both methods resolve the page URL
 * with a callback-style request that ends the function:
 * `request("http://api.soundcloud.com/resolve.json?url=" + rawUrl + "&client_id=" + this.getClientId(), function (error, response, data) {...})`.
 * `fix` moves it to https and waits for the app token of the generated `soundcloud-client.js`:
 * `var onResponse = function (...) {...}; soundcloudAccessToken().then((token) => request(url, { headers }, onResponse), onResponse)`
 * (a failed token request reaches the callback as its error). The stream URL the library then
 * builds, `data.stream_url + "?client_id=" + id` (returned by getStreamUrl, piped by download),
 * keeps its marker: a URL handed out cannot carry a header (docs/fix.md, stream URLs).
 * Not part of `npm test`.
 *
 *   npm run build && node scripts/drivers/soundcloudr.mjs [TREE]
 *
 * TREE defaults to /work/wild/robcalcroft+soundcloudr ($SC_EVAL_TREES/... when it has it). Its own
 * dependencies (`npm install --omit=dev`); after fix `sc-migrate` is this checkout's build.
 * Called unmodified: `setClientId(id)`, `getStreamUrl(url, cb)`, `download(url, res, cb)` with a
 * stand-in for Express's response (a stream with `setHeader`).
 *   1. legacy mock, as published   -> pass (both)
 *   2. strict mock, as published   -> fail (plain http 301, client_id only: 401)
 *   3. strict, after fix: getStreamUrl -> pass (the resolve request sends the app token)
 *   4. strict, after fix: download  -> 'marked': the stream URL with client_id is refused (401),
 *      as its marker says (`stream URL: get a signed one from streamUrl() to play`)
 */
import { fixCopy, linkRuntime, prepareCopy, reporter, runScenario, treeOf, withMock } from './lib.mjs';

const TREE = treeOf('robcalcroft+soundcloudr', 'wild');
const CLIENT = { clientId: 'scr-client-id', clientSecret: 'scr-client-secret' };
const MARKED = 'marked';

const SCENARIO = `
import { createRequire } from 'node:module';
import { PassThrough } from 'node:stream';
const require = createRequire(import.meta.url);
const sc = require('./soundcloudr.js');
sc.setClientId(process.env.DRIVER_CLIENT_ID);
const url = 'https://soundcloud.com/mock-user/first-light';
const timeout = (ms) => new Promise((_, no) => setTimeout(() => no(new Error('no answer in ' + ms + ' ms')), ms));
const out = [];
try {
  const r = await Promise.race([new Promise((ok) => sc.getStreamUrl(url, (err, streamUrl) => ok({ err, streamUrl }))), timeout(15000)]);
  out.push({ name: 'getStreamUrl', error: r.err ? JSON.stringify(r.err).slice(0, 160) : undefined, streamUrl: r.streamUrl || undefined });
} catch (e) { out.push({ name: 'getStreamUrl', error: String(e.message) }); }
try {
  // Express's response, as far as download uses it: setHeader and a writable stream
  const res = new PassThrough();
  const headers = {};
  res.setHeader = (k, v) => { headers[k.toLowerCase()] = v; };
  const chunks = [];
  res.on('data', (c) => chunks.push(c));
  const r = await Promise.race([new Promise((ok) => {
    res.on('end', () => ok({ piped: true }));
    sc.download(url, res, (err) => ok({ err }));
  }), timeout(15000)]);
  const body = Buffer.concat(chunks).toString('latin1');
  out.push({ name: 'download', error: r.err ? JSON.stringify(r.err).slice(0, 160) : undefined, disposition: headers['content-disposition'], bytes: body.length, json: body.startsWith('{') ? body.slice(0, 120) : undefined });
} catch (e) { out.push({ name: 'download', error: String(e.message) }); }
console.log(JSON.stringify(out));
process.exit(0);
`;

const { dir, sh } = prepareCopy(TREE, 'soundcloudr', SCENARIO, ['--omit=dev']);

/** getStreamUrl: a stream URL of the resolved track; download: the CDN's bytes (not an API error's JSON) piped to the response. */
async function run(mode, { only } = {}) {
  return withMock(mode, [CLIENT], async (mock) => {
    const results = await runScenario(dir, mock, { DRIVER_CLIENT_ID: CLIENT.clientId, SOUNDCLOUD_CLIENT_ID: CLIENT.clientId, SOUNDCLOUD_CLIENT_SECRET: CLIENT.clientSecret });
    const by = Object.fromEntries(results.map((x) => [x.name, x]));
    const ok = {
      getStreamUrl: !by.getStreamUrl?.error && /\/tracks\/1\/stream/.test(by.getStreamUrl?.streamUrl ?? ''),
      download: !by.download?.error && by.download?.bytes > 0 && !by.download.json,
    };
    const pass = only ? ok[only] : ok.getStreamUrl && ok.download;
    // the download after fix: refused because its stream URL still carries the client_id (marked)
    const label = only === 'download' && !pass && by.download?.json?.includes('401') && mock.stats.rejections.client_id_only > 0 ? MARKED : undefined;
    return { pass, label, results: only ? [by[only]] : results };
  });
}

const report = reporter('soundcloudr');
report.step('legacy, as published', true, await run('legacy'));
report.step('strict, as published', false, await run('strict'));
fixCopy(dir, sh);
const runtime = linkRuntime(dir);
const after = await run('strict', { only: 'getStreamUrl' });
report.step('strict, after fix: getStreamUrl', true, { ...after, pass: after.pass && runtime && after.tokenRequests.client_credentials === 1 });
const marked = sh('git', ['diff']).includes('sc-migrate(no-client-id-auth): stream URL');
const download = await run('strict', { only: 'download' });
report.step('strict, after fix: download (stream URL marked)', MARKED, { ...download, label: marked ? download.label : 'no marker' });
report.finish(dir);
