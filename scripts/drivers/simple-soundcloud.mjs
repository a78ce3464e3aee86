#!/usr/bin/env node
/**
 * Real-code driver (issue 11): bookyacom/simple-soundcloud (`simple-soundcloud` on npm, set `new`),
 * a CommonJS library for SoundCloud's public resources "without OAuth, only client Id". Its one
 * request helper lives in another module (`lib/request.js`: `module.exports = function (path, qs)
 * { return request({ uri: base + '/' + path, qs, ... }) }`, request-promise 0.4) and every caller
 * hands it the client_id in the query object: `request('resolve', { url, client_id: clientId })`
 * (lib/resolve.js), `_request('users/' + id + '.json', { client_id: clientId })` and
 * `params.client_id = self.clientId; return _request(..., params)` (lib/user.js). `fix` rewrites
 * that across files (src/fix/project-query-helpers.ts): the helper waits for the app token of the
 * generated `lib/soundcloud-client.js` (client_credentials, Basic, from SOUNDCLOUD_CLIENT_ID /
 * SOUNDCLOUD_CLIENT_SECRET) and every caller drops its client_id. Not part of `npm test`.
 *
 *   npm run build && node scripts/drivers/simple-soundcloud.mjs [TREE]
 *
 * TREE defaults to /work/new/bookyacom+simple-soundcloud ($SC_EVAL_TREES/... when it has it).
 * The library's own dependencies (`npm install --omit=dev`); after fix, `sc-migrate` (which fix
 * added to package.json) is this checkout's build. lodash.filter@3.0.0, pinned by the package, is
 * no longer in the registry: the copy pins 3.1.1 (the nearest 3.x) before the install. Called unmodified, as its README shows:
 * `require('simple-soundcloud')(CLIENT_ID)`, `.resolve(url)`, `new User(name).details()`,
 * `.tracks({ limit })`, `new User(1001).details()` (`users/1001.json`).
 *   1. legacy mock, as published  -> pass
 *   2. strict mock, as published  -> fail (client_id only: 401)
 *   3. `sc-migrate fix`, strict    -> pass, with one client_credentials token for the 4 calls
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SCENARIO_HEAD, beforeAndAfterFix, prepareCopy, runScenario, treeOf, withMock } from './lib.mjs';

const TREE = treeOf('bookyacom+simple-soundcloud', 'new');
const CLIENT = { clientId: 'ssc-client-id', clientSecret: 'ssc-client-secret' };

const SCENARIO = `${SCENARIO_HEAD}
const SimpleSoundCloud = require('./index.js')(process.env.DRIVER_CLIENT_ID);
await call('resolve', () => SimpleSoundCloud.resolve('https://soundcloud.com/mock-user/first-light'), (r) => ({ kind: r && r.kind, id: r && r.id }));
const byName = new SimpleSoundCloud.User('mock-user');
await call('User(name).details', () => byName.details(), (r) => ({ kind: r && r.kind, id: r && r.id }));
await call('User(name).tracks', () => byName.tracks({ limit: 2 }), (r) => ({ count: Array.isArray(r) ? r.length : undefined }));
await call('User(id).details', () => new SimpleSoundCloud.User(1001).details(), (r) => ({ kind: r && r.kind, id: r && r.id }));
console.log(JSON.stringify(out));
`;

// lodash.filter@3.0.0, pinned in package.json, is no longer in the registry (3.1.1 is the nearest 3.x)
const pinFilter = (dir) => {
  const file = join(dir, 'package.json');
  writeFileSync(file, readFileSync(file, 'utf8').replace('"lodash.filter": "3.0.0"', '"lodash.filter": "3.1.1"'));
};
const { dir, sh } = prepareCopy(TREE, 'simple-soundcloud', SCENARIO, ['--omit=dev'], { beforeInstall: pinFilter });

async function run(mode) {
  return withMock(mode, [CLIENT], async (mock) => {
    const results = await runScenario(dir, mock, { DRIVER_CLIENT_ID: CLIENT.clientId, SOUNDCLOUD_CLIENT_ID: CLIENT.clientId, SOUNDCLOUD_CLIENT_SECRET: CLIENT.clientSecret });
    const by = Object.fromEntries(results.map((x) => [x.name, x]));
    const pass =
      by.resolve?.kind === 'track' && by.resolve.id === 1 &&
      by['User(name).details']?.id === 1001 &&
      by['User(name).tracks']?.count === 2 &&
      by['User(id).details']?.id === 1001;
    return { pass, results };
  });
}

await beforeAndAfterFix('simple-soundcloud', dir, sh, run);
