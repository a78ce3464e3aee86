import { describe, expect, it } from 'vitest';
import { fixFiles } from '../../src/fix/apply.js';
import { allRules } from '../../rules/index.js';

const ID = 'abcdef0123456789abcdef0123456789';
/** Server code: one async request whose URL carries the client_id value as text. */
const app = (url: string) => `const axios = require('axios');

async function tracks(q, id) {
  const res = await axios.get(${url});
  return res.data;
}

module.exports = { tracks };
`;

async function fixed(url: string) {
  const { results } = await fixFiles({ files: [{ path: '/virtual/app/tracks.js', text: app(url) }], rules: allRules, cwd: '/virtual/app', dry: true });
  const r = results[0]!;
  return { url: /axios\.get\((.*), \{ headers/.exec(r.after)?.[1], notes: r.notes ?? [], after: r.after };
}

describe('a client_id written in the URL text (server code) goes for the app token', () => {
  it.each([
    [`'https://api.soundcloud.com/tracks?client_id=${ID}&limit=5&q=' + q`, `'https://api.soundcloud.com/tracks?limit=5&q=' + q`],
    [`'https://api.soundcloud.com/tracks?q=' + q + '&client_id=${ID}'`, `'https://api.soundcloud.com/tracks?q=' + q`],
    [`'https://api.soundcloud.com/tracks/' + id + '?client_id=${ID}'`, `'https://api.soundcloud.com/tracks/' + id`],
    [`'https://api.soundcloud.com/tracks?limit=5&client_id=${ID}&q=' + q`, `'https://api.soundcloud.com/tracks?limit=5&q=' + q`],
    [`\`https://api.soundcloud.com/tracks/\${id}?client_id=${ID}\``, '`https://api.soundcloud.com/tracks/${id}`'],
    [`\`https://api.soundcloud.com/tracks?client_id=${ID}&q=\${q}\``, '`https://api.soundcloud.com/tracks?q=${q}`'],
  ])('%s -> %s', async (before, after) => {
    const r = await fixed(before);
    expect(r.url).toBe(after);
    expect(r.after).not.toMatch(/\?&|\?'|\?`/);
    // the value is not dropped silently: a note names where it goes
    expect(r.notes.join('\n')).toMatch(/client_id written in its URLs \(abcd\.\.\.\) was removed .* set SOUNDCLOUD_CLIENT_ID to it/);
  });

  it('keeps the marker where the next piece of the URL would follow a bare `?`', async () => {
    const r = await fixed(`'https://api.soundcloud.com/tracks?client_id=${ID}' + q`);
    expect(r.after).toContain(`?client_id=${ID}' + q`);
    expect(r.after).toMatch(/sc-migrate\(no-client-id-auth\)/);
    expect(r.notes).toEqual([]);
  });
});

describe('consumer_key (the client id of the API\'s OAuth 1 years) goes like client_id', () => {
  it('leaves the URL, the request sends the app token, the module reads the app\'s SoundCloud env name', async () => {
    const text = `const fetch = require('node-fetch');

exports.sourceNodes = async () => {
  const spotify = await fetch('https://accounts.spotify.com/api/token', { headers: { Authorization: 'Basic ' + Buffer.from(process.env.SITE_SPOTIFY_CLIENT_ID + ':' + process.env.SITE_SPOTIFY_CLIENT_SECRET).toString('base64') } });
  const res = await fetch(\`https://api.soundcloud.com/users/artist?consumer_key=\${process.env.SITE_SOUNDCLOUD_API_KEY}\`);
  return [await spotify.json(), await res.json()];
};
`;
    const { results } = await fixFiles({ files: [{ path: '/virtual/site/gatsby-node.js', text }], rules: allRules, cwd: '/virtual/site', dry: true });
    const r = results.find((x) => x.file.endsWith('gatsby-node.js'))!;
    expect(r.after).toContain("await fetch('https://api.soundcloud.com/users/artist', { headers: { Authorization: 'OAuth ' + (await soundcloudAccessToken()) } })");
    expect(r.after).not.toContain('consumer_key');
    expect(r.remaining).toEqual([]);
    const mod = results.find((x) => x.created)!;
    // never the Spotify pair the file also reads
    expect(mod.after).toContain('clientId: process.env.SITE_SOUNDCLOUD_API_KEY');
    expect(mod.after).not.toContain('SPOTIFY');
  });
});
