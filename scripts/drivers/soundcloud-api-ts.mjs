#!/usr/bin/env node
/**
 * Real-code driver (issue 11): twin-paws/soundcloud-api-ts, a modern OAuth 2.1 TypeScript client
 * (Basic client_credentials, header tokens, PKCE). It is already migrated, so this driver checks
 * the other half of "fix never breaks code": its central `fetch(..., { redirect: "manual" })` is
 * deliberate (it reads the 302 `Location` of /resolve), and must survive `fix`.
 * Not part of `npm test`.
 *
 *   npm run build && node scripts/drivers/soundcloud-api-ts.mjs [TREE]
 *
 * The repository's own sources (src/, zero runtime dependencies; `npm install --omit=dev`) are
 * called unmodified through the mock preload: client_credentials token, search, resolve.
 *   1. legacy mock, as published  -> pass
 *   2. strict mock, as published  -> pass (already migrated)
 *   3. `sc-migrate fix`, strict    -> pass (nothing it relies on was removed)
 */
import { join, resolve } from 'node:path';
import { TREES, fixCopy, prepareCopy, reporter, runScenario, startMockApi } from './lib.mjs';

const TREE = resolve(process.argv[2] ?? join(TREES, 'twin-paws+soundcloud-api-ts'));
const CLIENT = { clientId: 'sat-client-id', clientSecret: 'sat-client-secret' };

const SCENARIO = `
const { SoundCloudClient } = await import('./src/index.ts');
const out = {};
try {
  const sc = new SoundCloudClient({ clientId: process.env.DRIVER_CLIENT_ID, clientSecret: process.env.DRIVER_CLIENT_SECRET, redirectUri: 'http://localhost/cb' });
  const token = await sc.auth.getClientToken();
  out.token = !!token.access_token;
  sc.setToken(token.access_token);
  const found = await sc.search.tracks('first');
  out.tracks = found.collection.length;
  out.resolved = await sc.resolve.resolveUrl('https://soundcloud.com/mock-user/first-light');
} catch (e) { out.error = String(e && e.message || e).slice(0, 300); }
console.log(JSON.stringify([out]));
`;

const { dir, sh } = prepareCopy(TREE, 'sat', SCENARIO, ['--omit=dev']);

async function run(mode) {
  const mock = await startMockApi({ mode, clients: [CLIENT] });
  try {
    const results = await runScenario(dir, mock, { DRIVER_CLIENT_ID: CLIENT.clientId, DRIVER_CLIENT_SECRET: CLIENT.clientSecret });
    const r = results[0] ?? {};
    const pass = r.token === true && r.tracks > 0 && /\/tracks\/\d+/.test(String(r.resolved));
    return { pass, results, rejections: { ...mock.stats.rejections } };
  } finally {
    await mock.close();
  }
}

const report = reporter('soundcloud-api-ts');
report.step('legacy, as published', true, await run('legacy'));
report.step('strict, as published', true, await run('strict'));
fixCopy(dir, sh);
report.step('strict, after fix', true, await run('strict'));
report.finish(dir);
