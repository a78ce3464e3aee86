#!/usr/bin/env node
/**
 * Real-code driver: podviaznikov/soundcloud-node (a fresh6 tree, tuned on in session 12), a library
 * whose functions hand `{ oauth_token: token }` to a local wrapper that sends it as the query of a
 * restler request: `rest.get('https://api.soundcloud.com' + resource + '?' + querystring.stringify(params))`.
 * Not part of `npm test`.
 *
 *   npm run build && node scripts/drivers/podviaznikov-soundcloud-node.mjs [TREE]
 *
 * TREE defaults to /work/fresh6/podviaznikov+soundcloud-node. The package requires restler
 * without declaring it: the copy's package.json gets `restler` before the install (the code runs
 * unmodified). The scenario logs a user in at the mock (authorization_code + PKCE) and calls
 * `me(token, cb)` and `myTracks(token, cb)`:
 *   1. legacy mock, as published  -> pass
 *   2. strict mock, as published  -> fail (the token in the query: 401)
 *   3. `sc-migrate fix`, strict    -> pass (the wrapper takes `authorization` and sends the header)
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fixCopy, prepareCopy, reporter, runScenario, treeOf, userTokens, withMock } from './lib.mjs';

const TREE = treeOf('podviaznikov+soundcloud-node', 'fresh6');
const CLIENT = { clientId: 'podv-client-id', clientSecret: 'podv-client-secret', redirectUris: ['http://localhost/callback'] };

const SCENARIO = `
import { createRequire } from 'node:module';
const require = createRequire(import.meta.url);
const sc = require('./lib/soundcloud.js');
const token = process.env.USER_TOKEN;
const ask = (name, f) => new Promise((ok) => {
  const t = setTimeout(() => ok({ name, error: 'no answer' }), 10000);
  f((data) => { clearTimeout(t); ok(data instanceof Error ? { name, error: String(data.message).slice(0, 160) } : { name, ok: !!data && (Array.isArray(data) ? data.length > 0 : !!data.id), kind: Array.isArray(data) ? 'list' : typeof data, id: data && data.id, errors: data && data.errors }); });
});
const out = [];
out.push(await ask('me', (cb) => sc.me(token, cb)));
out.push(await ask('my tracks', (cb) => sc.myTracks(token, cb)));
console.log(JSON.stringify(out));
process.exit(0);
`;

const { dir, sh } = prepareCopy(TREE, 'podviaznikov', SCENARIO, [], {
  beforeInstall: (d) => {
    const p = join(d, 'package.json');
    const pkg = JSON.parse(readFileSync(p, 'utf8'));
    pkg.dependencies = { ...(pkg.dependencies ?? {}), restler: '^3.4.0' };
    writeFileSync(p, JSON.stringify(pkg, null, 2));
  },
});

async function run(mode) {
  return withMock(mode, [CLIENT], async (mock) => {
    const user = await userTokens(mock, CLIENT);
    const results = await runScenario(dir, mock, { USER_TOKEN: user.access_token });
    return { pass: results.length === 2 && results.every((r) => r.ok), results };
  });
}

// the user's own token: no app token, no client module (so not beforeAndAfterFix)
const report = reporter('podviaznikov-soundcloud-node');
report.step('legacy, as published', true, await run('legacy'));
report.step('strict, as published', false, await run('strict'));
fixCopy(dir, sh);
report.step('strict, after fix', true, await run('strict'));
report.finish(dir);
