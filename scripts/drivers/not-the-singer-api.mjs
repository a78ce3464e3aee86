#!/usr/bin/env node
/**
 * Real-code driver (issue 11): not-the-singer/not-the-singer-api, Vercel functions that renew a
 * user token from SOUNDCLOUD_REFRESH_TOKEN at the old api.soundcloud.com/oauth2/token and list
 * /me/tracks. Not part of `npm test` (it installs the repository's own dependencies).
 *
 *   npm run build && node scripts/drivers/not-the-singer-api.mjs [TREE]
 *
 * TREE defaults to $SC_EVAL_TREES/not-the-singer+not-the-singer-api (or /work/eval-trees/...).
 * It copies the tree into a temporary git repository, runs `npm ci` there (the registry), then
 * calls the repository's own handler `api/soundcloud.js` (unmodified, through the mock-api
 * preload) against the mock:
 *   1. legacy mock, code as written       -> expected to pass
 *   2. strict mock, code as written       -> expected to fail
 *   3. `sc-migrate fix` on the copy, strict mock -> expected to pass
 * and, for information, 4. strict, after fix, two calls of the handler in one deployment (the
 * refresh token rotates: the code keeps using the first one).
 * Exit code 0 when 1-3 hold.
 */
import { join, resolve } from 'node:path';
import { TREES, fixCopy, prepareCopy, reporter, runScenario, startMockApi, userTokens } from './lib.mjs';

const TREE = resolve(process.argv[2] ?? join(TREES, 'not-the-singer+not-the-singer-api'));
const CLIENT = { clientId: 'nts-client-id', clientSecret: 'nts-client-secret', redirectUris: ['https://not-the-singer-api.vercel.app/api/soundcloud/callback'] };

// The scenario runs in the copy: the repository's handler, called as Vercel would, `calls` times.
const SCENARIO = `
const { default: handler } = await import('./api/soundcloud.js');
const calls = Number(process.env.DRIVER_CALLS ?? 1);
const out = [];
for (let i = 0; i < calls; i++) {
  const res = await handler(new Request('https://not-the-singer-api.vercel.app/api/soundcloud'));
  const body = await res.json();
  out.push({ status: res.status, tracks: Array.isArray(body) ? body.length : undefined, error: body.details ?? body.error });
}
// the login route (auth.js): where it sends the browser (not fetched: PKCE is left to a person)
const { default: login } = await import('./api/soundcloud/auth.js');
const loc = (await login(new Request('https://not-the-singer-api.vercel.app/api/soundcloud/auth'))).headers.get('location');
out.push({ authorize: loc ? new URL(loc).host + new URL(loc).pathname : null });
console.log(JSON.stringify(out));
`;

// its package-lock.json does not match package.json (no `next`): `npm install`, as a deploy would
const { dir, sh } = prepareCopy(TREE, 'nts', SCENARIO);

async function run(mode, calls = 1) {
  const mock = await startMockApi({ mode, clients: [CLIENT] });
  try {
    const refresh = (await userTokens(mock, CLIENT)).refresh_token;
    const results = await runScenario(dir, mock, { DRIVER_CALLS: String(calls), SOUNDCLOUD_CLIENT_ID: CLIENT.clientId, SOUNDCLOUD_CLIENT_SECRET: CLIENT.clientSecret, SOUNDCLOUD_REFRESH_TOKEN: refresh });
    const api = results.filter((x) => !('authorize' in x));
    const pass = api.length === calls && api.every((x) => x.status === 200 && x.tracks > 0);
    return { pass, results, rejections: { ...mock.stats.rejections } };
  } finally {
    await mock.close();
  }
}

const report = reporter('not-the-singer-api');
report.step('legacy, as published', true, await run('legacy'));
report.step('strict, as published', false, await run('strict'));
fixCopy(dir, sh);
// the login redirect must go to the new authorize endpoint, host and path whole (round 1 wrote secure.secure...)
const after = await run('strict');
const authorize = after.results.find((x) => 'authorize' in x)?.authorize;
report.step('strict, after fix', true, { ...after, pass: after.pass && authorize === 'secure.soundcloud.com/authorize' });
report.step('strict, after fix, 2 calls', undefined, await run('strict', 2));
report.finish(dir);
