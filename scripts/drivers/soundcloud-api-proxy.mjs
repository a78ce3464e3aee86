#!/usr/bin/env node
/**
 * Real-code driver (issue 11): voronianski/soundcloud-api-proxy (a fresh4 tree), an Express proxy
 * whose route handlers pipe the request library's response on: `return request(url).pipe(res)`
 * with `?client_id=` in the URL (/resolve and /stream/:trackId). Not part of `npm test`.
 *
 *   npm run build && node scripts/drivers/soundcloud-api-proxy.mjs [TREE]
 *
 * TREE defaults to /work/fresh4/voronianski+soundcloud-api-proxy. The repository's index.js runs
 * unmodified (its own express and request from the registry) through the mock preload; the
 * scenario asks the proxy, over HTTP, to stream two tracks (and, shown only, to resolve a URL at
 * `/resolve.json`, a suffix the mock does not model: 404 in every mode):
 *   1. legacy mock, as published  -> pass
 *   2. strict mock, as published  -> fail (client_id only: 401)
 *   3. `sc-migrate fix`, strict    -> pass (an app token from client credentials in the header;
 *      the stream's redirect to the CDN gets no header: request drops it on another host)
 */
import { symlinkSync, mkdirSync, existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ROOT, fixCopy, prepareCopy, reporter, runScenario, startMockApi } from './lib.mjs';

const TREE = resolve(process.argv[2] ?? '/work/fresh4/voronianski+soundcloud-api-proxy');
const CLIENT = { clientId: 'proxy-client-id', clientSecret: 'proxy-client-secret' };

const SCENARIO = `
import { createServer } from 'node:net';
const port = await new Promise((ok) => { const s = createServer().listen(0, () => { const p = s.address().port; s.close(() => ok(p)); }); });
process.env.PORT = String(port);
await import('./index.js');
await new Promise((ok) => setTimeout(ok, 300));
const out = [];
const ask = async (path) => {
  try {
    const res = await fetch('http://127.0.0.1:' + port + path, { headers: { Origin: 'localhost' } });
    const body = Buffer.from(await res.arrayBuffer());
    return { path, status: res.status, bytes: body.length, text: body.toString('utf8', 0, 120) };
  } catch (e) { return { path, error: String(e && e.message || e).slice(0, 200) }; }
};
out.push(await ask('/resolve?url=' + encodeURIComponent('https://soundcloud.com/mock-user/first-light')));
out.push(await ask('/stream/1'));
out.push(await ask('/tracks/2/stream'));
console.log(JSON.stringify(out));
process.exit(0);
`;

const { dir, sh } = prepareCopy(TREE, 'proxy', SCENARIO, ['--omit=dev']);

async function run(mode) {
  const mock = await startMockApi({ mode, clients: [CLIENT] });
  try {
    const results = await runScenario(dir, mock, {
      CLIENT_ID: CLIENT.clientId, SOUNDCLOUD_CLIENT_ID: CLIENT.clientId, SOUNDCLOUD_CLIENT_SECRET: CLIENT.clientSecret,
      SOUNDCLOUD_TOKEN_FILE: join(dir, '.sc-token.json'),
    });
    // /resolve.json: the mock models /resolve without the old `.json` suffix (404 in both modes), so
    // the resolve route is shown, not judged; the two stream routes are judged
    const streams = results.slice(1);
    const pass = streams.length === 2 && streams.every((s) => s.status === 200 && s.bytes > 0);
    for (const r of results) if (r.text) r.text = r.text.replace(/[^\x20-\x7e]+/g, '.').slice(0, 80);
    return { pass, results, rejections: { ...mock.stats.rejections } };
  } finally {
    await mock.close();
  }
}

const report = reporter('soundcloud-api-proxy');
report.step('legacy, as published', true, await run('legacy'));
report.step('strict, as published', false, await run('strict'));
fixCopy(dir, sh);
// fix added "sc-migrate" to package.json: what `npm install` would give the deployed copy
const pkg = join(dir, 'node_modules', 'sc-migrate');
if (!existsSync(pkg)) { mkdirSync(join(dir, 'node_modules'), { recursive: true }); symlinkSync(ROOT, pkg, 'dir'); }
report.step('strict, after fix', true, await run('strict'));
report.finish(dir);
