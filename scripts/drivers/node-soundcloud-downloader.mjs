#!/usr/bin/env node
/**
 * Real-code driver (issue 11): zackradisic/node-soundcloud-downloader (`soundcloud-downloader`
 * on npm). Every public function of its SCDL class calls api-v2.soundcloud.com, the web app's
 * private API, with a client_id scraped from soundcloud.com (`soundcloud-key-fetch`) or given by
 * the user; the media and CDN URLs it downloads come from api-v2 answers. No call goes to the
 * public api.soundcloud.com, and api-v2 has no migration path (soundcloud-api.md): `fix` marks
 * those calls and rewrites nothing. So this driver does not claim a pass: it shows that the
 * strict mock refuses each call as api-v2 (403) before and after fix, and that fix changed
 * nothing but comments. Not part of `npm test`.
 *
 *   npm run build && node scripts/drivers/node-soundcloud-downloader.mjs [TREE]
 *
 * The repository's sources (`src/`, what `fix` edits; the committed `dist/` is an older build)
 * run unmodified through tsx and the mock preload, with its own axios (`npm install
 * --omit=dev`), a client ID given as the README shows (`create({ clientID })`):
 *   1. legacy mock, as published  -> information only (the mock has no api-v2 model: in legacy
 *      mode it answers api-v2 paths as the public API would, so /search is a 404 and the
 *      /resolve answers lack api-v2's fields; this says nothing about the library)
 *   2. strict mock, as published  -> 'no migration (api-v2)': every call refused as api-v2
 *   3. `sc-migrate fix`           -> markers only (comment lines), one at least per api-v2 call site
 *   4. strict mock, after fix     -> 'no migration (api-v2)' again (nothing pretends to work)
 */
import { join, resolve } from 'node:path';
import { TREES, fixCopy, prepareCopy, reporter, runScenario, startMockApi } from './lib.mjs';

const TREE = resolve(process.argv[2] ?? join(TREES, 'zackradisic+node-soundcloud-downloader'));
const CLIENT = { clientId: 'scdl-client-id', clientSecret: 'scdl-client-secret' };
const API_V2 = 'no migration (api-v2)';

const SCENARIO = `
const { create } = await import('./src/index.ts');
const scdl = create({ clientID: process.env.DRIVER_CLIENT_ID });
let hosts = new Set();
// observe only: which hosts each call asks (the library's own axios instance)
scdl.axios.interceptors.request.use((config) => { try { hosts.add(new URL(config.url).host); } catch {} return config; });
const track = 'https://soundcloud.com/mock-user/first-light';
const calls = {
  getInfo: () => scdl.getInfo(track),
  getUser: () => scdl.getUser('https://soundcloud.com/mock-user'),
  getTrackInfoByID: () => scdl.getTrackInfoByID([1]),
  search: () => scdl.search({ query: 'first', resourceType: 'tracks' }),
  related: () => scdl.related(1, 5),
  getLikes: () => scdl.getLikes({ id: 1001 }),
  download: () => scdl.download(track),
};
const out = [];
for (const [name, call] of Object.entries(calls)) {
  hosts = new Set();
  try {
    const r = await call();
    out.push({ name, ok: r !== undefined && r !== null, kind: r && (r.kind || (Array.isArray(r) ? 'array' : Array.isArray(r.collection) ? 'collection' : typeof r.pipe === 'function' ? 'stream' : typeof r)), hosts: [...hosts] });
  } catch (e) {
    out.push({ name, ok: false, status: e && e.response && e.response.status, error: String(e && e.message || e).slice(0, 100), hosts: [...hosts] });
  }
}
console.log(JSON.stringify(out));
`;

const { dir, sh } = prepareCopy(TREE, 'scdl', SCENARIO, ['--omit=dev']);

/** A call's outcome: pass, refused as api-v2 (403 from the strict mock, api-v2 hosts only), or fail. */
const outcome = (x) => x.ok ? 'pass' : x.status === 403 && x.hosts.length > 0 && x.hosts.every((h) => h === 'api-v2.soundcloud.com') ? API_V2 : 'fail';

async function run(mode) {
  const mock = await startMockApi({ mode, clients: [CLIENT] });
  try {
    const results = (await runScenario(dir, mock, { DRIVER_CLIENT_ID: CLIENT.clientId })).map((x) => ({ ...x, outcome: x.name ? outcome(x) : 'fail' }));
    const kinds = [...new Set(results.map((x) => x.outcome))];
    const label = kinds.length === 1 ? kinds[0] : `mixed: ${kinds.join(', ')}`;
    return { pass: label === 'pass', label, results, rejections: { ...mock.stats.rejections } };
  } finally {
    await mock.close();
  }
}

const report = reporter('node-soundcloud-downloader');
report.step('legacy, as published', undefined, await run('legacy'));
report.step('strict, as published', API_V2, await run('strict'));
const summary = fixCopy(dir, sh);
// what fix wrote: comment lines only, and the private-API markers
const diff = sh('git', ['diff', '-U0']).split('\n').filter((l) => /^[+-](?![+-])/.test(l));
const code = diff.filter((l) => !/^\+\s*\/\* sc-migrate\(.*\*\/\s*$/.test(l));
const v2Markers = diff.filter((l) => /sc-migrate\([^)]*no-private-api-v2/.test(l)).length;
report.step('fix: markers only', true, { pass: code.length === 0 && v2Markers > 0, results: { markers: summary.markers, apiV2Markers: v2Markers, codeLinesChanged: code.length, rewrites: summary.fixed }, rejections: {} });
report.step('strict, after fix', API_V2, await run('strict'));
report.finish(dir);
