#!/usr/bin/env node
/**
 * Real-code driver (issue 11): TotomInc/discord-stream (set `wild`), a Discord music bot in
 * TypeScript (`packages/discord-bot`, compiled by its own `tsc` to CommonJS, `typescript ^3.1.1`).
 * Its `SoundcloudAPI` class (src/providers/soundcloud/soundcloud.api.ts) sends the client_id in a
 * params object: `const params = { url, client_id: this.clientID }; return Axios.get(this.resolveBaseURL,
 * { params })` from `async` methods, over `http://`. `fix` drops the key, moves to https and sends
 * `headers: { Authorization: 'OAuth ' + (await soundcloudAccessToken()) }` from a generated
 * `soundcloud-client.ts` beside it. Not part of `npm test`.
 *
 *   npm run build && node scripts/drivers/discord-stream.mjs [TREE]
 *
 * TREE defaults to /work/wild/TotomInc+discord-stream ($SC_EVAL_TREES/... when it has it).
 * `packages/discord-bot` gets its own dependencies (`npm install --omit=dev`: its TypeScript is a
 * runtime dependency there); the bot is built as it deploys, `tsc -p packages/discord-bot` with
 * that TypeScript (3.9), and the compiled class is called unmodified: `new SoundcloudAPI()`,
 * `resolveURL(url)`, `searchTrack(q)`. Its config validation wants the bot's environment (Discord,
 * Mongo, ... placeholders; SOUNDCLOUD_TOKEN is the client id), its logger a `logs/` folder.
 *   1. legacy mock, as published         -> pass
 *   2. strict mock, as published         -> fail (plain http 301, then client_id only: 401)
 *   3. `sc-migrate fix`, rebuilt, strict -> pass (one client_credentials token for both calls)
 *   4. the build after fix: no tsc error in the files fix wrote (the generated module must parse
 *      with the project's own TypeScript: tsc emits even with errors, and a module it cannot
 *      parse is emitted broken)
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { SCENARIO_HEAD, fixCopy, linkRuntime, prepareCopy, reporter, runScenario, treeOf, withMock } from './lib.mjs';

const TREE = treeOf('TotomInc+discord-stream', 'wild');
const CLIENT = { clientId: 'ds-client-id', clientSecret: 'ds-client-secret' };
const BOT = 'packages/discord-bot';

const SCENARIO = `${SCENARIO_HEAD}
const SoundcloudAPI = require('./${BOT}/dist/providers/soundcloud/soundcloud.api.js').default;
const api = new SoundcloudAPI();
// the methods log a failed request and resolve to undefined
await call('resolveURL', () => api.resolveURL('https://soundcloud.com/mock-user/first-light'), (r) => ({ kind: r && r.kind, id: r && r.id }));
await call('searchTrack', () => api.searchTrack('first'), (r) => ({ count: Array.isArray(r) ? r.filter((t) => t.kind === 'track').length : undefined }));
console.log(JSON.stringify(out));
process.exit(0);
`;

// its lockfile is yarn's, which does not enforce peers (discord.js 11 wants node-opus ^0.2.7, the bot pins ^0.3.0)
const { dir, sh } = prepareCopy(TREE, 'discord-stream', SCENARIO, ['--omit=dev', '--legacy-peer-deps'], { installIn: BOT });
mkdirSync(join(dir, 'logs'), { recursive: true }); // the logger's error file (../../../../logs from dist/services)

/** `tsc -p packages/discord-bot` with the bot's own TypeScript (emits even with errors); returns the error lines. */
function build() {
  const r = spawnSync(process.execPath, [join(BOT, 'node_modules/typescript/bin/tsc'), '-p', BOT], { cwd: dir, encoding: 'utf8' });
  return r.stdout.split('\n').filter((l) => /error TS\d+/.test(l));
}

const BOT_ENV = {
  NODE_ENV: 'production', JWT_SECRET: 'x', MONGO_URI: 'mongodb://127.0.0.1/none', INTERFACE_URI: 'http://127.0.0.1', API_URI: 'http://127.0.0.1',
  OWNER_USER_ID: '1', BOT_USER_ID: '2', DEFAULT_PREFIX: '!', DISCORD_TOKEN: 'x', DISCORD_SECRET: 'x', YOUTUBE_TOKEN: 'x',
};

async function run(mode) {
  return withMock(mode, [CLIENT], async (mock) => {
    const results = await runScenario(dir, mock, { ...BOT_ENV, SOUNDCLOUD_TOKEN: CLIENT.clientId, SOUNDCLOUD_CLIENT_ID: CLIENT.clientId, SOUNDCLOUD_CLIENT_SECRET: CLIENT.clientSecret });
    const by = Object.fromEntries(results.map((x) => [x.name, x]));
    const pass = by.resolveURL?.kind === 'track' && by.resolveURL.id === 1 && by.searchTrack?.count > 0;
    return { pass, results };
  });
}

const report = reporter('discord-stream');
const errorsBefore = build();
report.step('legacy, as published', true, await run('legacy'));
report.step('strict, as published', false, await run('strict'));
fixCopy(dir, sh);
const runtime = linkRuntime(dir, BOT);
const errorsAfter = build();
const after = await run('strict');
report.step('strict, after fix (rebuilt)', true, { ...after, pass: after.pass && runtime && after.tokenRequests.client_credentials === 1 });
// errors in the files fix changed or created (node_modules/sc-migrate's own declarations are its package's matter)
const written = sh('git', ['status', '--porcelain', '--untracked-files=all']).split('\n').filter(Boolean).map((l) => l.slice(3));
const fresh = errorsAfter.filter((l) => !errorsBefore.includes(l) && written.some((f) => l.startsWith(f)));
report.step('tsc after fix: no error in the files fix wrote', true, { pass: fresh.length === 0, results: { before: errorsBefore.length, after: errorsAfter.length, new: fresh }, rejections: {} });
report.finish(dir);
