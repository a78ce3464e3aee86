/**
 * A server player / downloader whose stream URL carries `?client_id=` (the bots' and downloaders'
 * idiom): it plays against the legacy mock and gets a 401 from the strict one; after `fix`, the
 * URL handed to its player is the runtime's signed CDN URL (`await soundcloudStreamUrl(...)`), and
 * the player gets the audio bytes from the strict mock with no rejection and one app token.
 * `scan` reports nothing on the rewritten code, and a second `fix` changes nothing.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allRules } from '../../rules/index.js';
import { lintText } from '../../src/engine/linter.js';
import { fixFiles, fixText } from '../../src/fix/apply.js';
import { startMockApi, type MockApi } from '../../src/mock-api/index.js';

const root = resolve(import.meta.dirname, '../..');
const CLIENT = { clientId: 'player-app', clientSecret: 'player-secret', redirectUris: [] };

const FILES: Record<string, string> = {
  'package.json': JSON.stringify({ name: 'bot', type: 'module', dependencies: {} }, null, 2) + '\n',
  // the app's media player: fetches the URL it is given with no header (as ffmpeg or <audio> would)
  'src/media.js': [
    'export class Player {',
    '  async play(url) {',
    '    const res = await fetch(url);',
    "    if (!res.ok) throw new Error('cannot play: ' + res.status);",
    '    this.bytes = new Uint8Array(await res.arrayBuffer());',
    '  }',
    '}',
    '',
  ].join('\n'),
  'src/bot.js': [
    "import { Player } from './media.js';",
    '',
    'const CLIENT_ID = process.env.SOUNDCLOUD_CLIENT_ID;',
    '',
    'export async function playTrack(trackId) {',
    '  const player = new Player();',
    '  await player.play(`https://api.soundcloud.com/tracks/${trackId}/stream?client_id=${CLIENT_ID}`);',
    '  return player.bytes;',
    '}',
    '',
    'export async function playResolved(track) {',
    "  const url = track.stream_url + '?client_id=' + CLIENT_ID;",
    '  const player = new Player();',
    '  await player.play(url);',
    '  return player.bytes;',
    '}',
    '',
  ].join('\n'),
  'scenario.mjs': [
    "import { playTrack, playResolved } from './src/bot.js';",
    'const a = await playTrack(1);',
    "const b = await playResolved({ id: 2, stream_url: 'https://api.soundcloud.com/tracks/2/stream' });",
    'console.log(JSON.stringify({ a: Array.from(a.slice(0, 3)), b: Array.from(b.slice(0, 3)), track: b[3] }));',
    '',
  ].join('\n'),
};

describe('a server player of stream URLs after fix plays from the strict mock', () => {
  let strict: MockApi;
  let legacy: MockApi;
  let dir: string;
  beforeAll(async () => {
    [strict, legacy] = await Promise.all([startMockApi({ mode: 'strict', clients: [CLIENT] }), startMockApi({ mode: 'legacy', clients: [CLIENT] })]);
    dir = mkdtempSync(join(tmpdir(), 'sc-fix-stream-'));
    for (const [rel, text] of Object.entries(FILES)) { mkdirSync(join(dir, rel, '..'), { recursive: true }); writeFileSync(join(dir, rel), text); }
    // `sc-migrate/runtime` resolves to this checkout's runtime (through tsx)
    const pkg = join(dir, 'node_modules/sc-migrate');
    mkdirSync(pkg, { recursive: true });
    writeFileSync(join(pkg, 'package.json'), JSON.stringify({ name: 'sc-migrate', type: 'module', exports: { './runtime': './src/runtime/index.ts' } }));
    symlinkSync(join(root, 'src'), join(pkg, 'src'));
  }, 30_000);
  afterAll(async () => {
    await Promise.all([strict?.close(), legacy?.close()]);
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const run = (mock: MockApi) => new Promise<{ ok: boolean; out: string }>((res) => {
    execFile(process.execPath, ['--import', 'tsx', '--import', join(root, 'src/mock-api/preload.ts'), join(dir, 'scenario.mjs')], {
      cwd: root, timeout: 30_000,
      env: { ...process.env, ...mock.env, NODE_EXTRA_CA_CERTS: '', SOUNDCLOUD_CLIENT_ID: CLIENT.clientId, SOUNDCLOUD_CLIENT_SECRET: CLIENT.clientSecret },
    }, (err, stdout, stderr) => res({ ok: !err, out: `${stdout}\n${stderr}`.slice(-1500) }));
  });
  const sources = () => ['src/bot.js', 'src/media.js'].map((p) => ({ path: p, text: readFileSync(join(dir, p), 'utf8') }));

  it('legacy passes and strict fails before fix; after fix the player gets the audio bytes from the strict mock', async () => {
    const [before, beforeStrict] = await Promise.all([run(legacy), run(strict)]);
    expect(before.ok, before.out).toBe(true);
    expect(beforeStrict.ok, beforeStrict.out).toBe(false);
    expect(beforeStrict.out).toContain('401');

    const { results } = await fixFiles({ files: sources(), rules: allRules, cwd: dir });
    expect(results.filter((r) => r.status === 'failed')).toEqual([]);
    const bot = readFileSync(join(dir, 'src/bot.js'), 'utf8');
    expect(bot).toContain("import { soundcloudStreamUrl } from './soundcloud-client.js';");
    expect(bot).toContain('await player.play(await soundcloudStreamUrl(`https://api.soundcloud.com/tracks/${trackId}/stream`));');
    expect(bot).toContain('const url = await soundcloudStreamUrl(track.stream_url);');
    expect(bot).not.toContain('sc-migrate(');
    // scan reports nothing on the rewritten code; a second fix changes nothing
    expect(lintText({ text: bot, filename: join(dir, 'src/bot.js'), rules: allRules }).findings).toEqual([]);
    const again = await fixFiles({ files: sources(), rules: allRules, cwd: dir, dry: true });
    expect(again.results.filter((r) => r.status !== 'unchanged')).toEqual([]);

    strict.stats.reset();
    const after = await run(strict);
    expect(after.ok, after.out).toBe(true);
    expect(JSON.parse(after.out.trim().split('\n')[0]!)).toEqual({ a: [73, 68, 51], b: [73, 68, 51], track: 2 });
    expect(strict.stats.rejections).toEqual({}); // no client_id alone, no Authorization at the CDN
    expect(strict.stats.tokenRequests.client_credentials).toBe(1);
    expect(strict.stats.cdnRequests).toBe(2);
  }, 60_000);

  it('a client module of an earlier run without soundcloudStreamUrl is not imported: the marker stays', () => {
    const old = mkdtempSync(join(tmpdir(), 'sc-fix-stream-old-'));
    try {
      writeFileSync(join(old, 'soundcloud-client.js'), "// Created by sc-migrate: one SoundCloud client for the app\nexport function soundcloudAccessToken() {}\n");
      const text = FILES['src/bot.js']!.replace("import { Player } from './media.js';", "import { Player } from './media.js';\nimport { soundcloudAccessToken } from './soundcloud-client.js';");
      const fixed = fixText(text, { filename: join(old, 'bot.js'), rules: allRules });
      expect(fixed.text).not.toContain('soundcloudStreamUrl');
      expect(fixed.text).toContain('sc-migrate(no-client-id-auth): stream URL');
    } finally {
      rmSync(old, { recursive: true, force: true });
    }
  });
});
