#!/usr/bin/env node
// Writes a deterministic corpus of realistic SoundCloud client files into bench/.corpus/ (or argv[2]).
// Usage: node bench/gen-corpus.mjs [outDir] [--files N] [--seed S]
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const args = process.argv.slice(2);
const opt = (name, def) => { const i = args.indexOf(name); return i === -1 ? def : args[i + 1]; };
const out = args[0] && !args[0].startsWith('--') ? args[0] : join(dirname(fileURLToPath(import.meta.url)), '.corpus');
const N = Number(opt('--files', 5000));
let seed = Number(opt('--seed', 42)) >>> 0;
const rand = () => { seed = (seed + 0x6d2b79f5) >>> 0; let t = seed; t = Math.imul(t ^ (t >>> 15), t | 1); t ^= t + Math.imul(t ^ (t >>> 7), t | 61); return ((t ^ (t >>> 14)) >>> 0) / 4294967296; };
const pick = (a) => a[Math.floor(rand() * a.length)];
const id = () => Math.floor(rand() * 1e6);

const HOSTS = ['http://api.soundcloud.com', 'https://api.soundcloud.com', 'https://api-v2.soundcloud.com', 'http://api-v2.soundcloud.com'];
const RES = ['tracks', 'users', 'playlists', 'me', 'me/favorites', 'resolve', 'tracks/123/streams', 'me/activities'];
const EXT = ['js', 'ts', 'mjs', 'jsx', 'tsx', 'cjs'];

const templates = {
  config: (n) => `// SoundCloud settings for module ${n}
export const SC_API_${n} = '${pick(HOSTS)}';
export const SC_CONNECT_${n} = 'https://soundcloud.com/connect';
export const SC_TOKEN_URL_${n} = 'https://api.soundcloud.com/oauth2/token';
export const CLIENT_ID_${n} = process.env.SC_CLIENT_ID;
export const PAGE_SIZE_${n} = ${10 + (n % 90)};
`,
  fetchClient: (n, cfg) => `import { SC_API_${cfg}, CLIENT_ID_${cfg} } from './config${cfg}.js';

export async function load${n}(token, q) {
  const url = \`\${SC_API_${cfg}}/${pick(RES)}?oauth_token=\${token}&q=\${encodeURIComponent(q)}\`;
  const res = await fetch(url, { redirect: '${pick(['manual', 'follow', 'error'])}' });
  if (!res.ok) throw new Error('SoundCloud ' + res.status);
  const body = await res.json();
  return body.collection ?? body;
}

export function streamUrl${n}(trackId) {
  return SC_API_${cfg} + '/tracks/' + trackId + '/stream?client_id=' + CLIENT_ID_${cfg};
}
`,
  axiosClient: (n, cfg) => `const axios = require('axios');
const { SC_API_${cfg}, CLIENT_ID_${cfg} } = require('./config${cfg}.js');

const api${n} = axios.create({ baseURL: SC_API_${cfg}, maxRedirects: ${pick([0, 5])} });

async function search${n}(q, limit = 20) {
  const { data } = await api${n}.get('/${pick(RES)}', { params: { q, limit, client_id: CLIENT_ID_${cfg} } });
  return data.map((t) => ({ id: t.id, title: t.title, user: t.user && t.user.username }));
}

async function me${n}(accessToken) {
  const { data } = await axios.get('${pick(HOSTS)}/me', { params: { oauth_token: accessToken } });
  return data;
}

module.exports = { search${n}, me${n} };
`,
  gotClient: (n) => `import got from 'got';

const client${n} = got.extend({ prefixUrl: '${pick(HOSTS)}', followRedirect: ${pick(['false', 'true'])} });

export async function download${n}(trackId: number, token: string): Promise<Buffer> {
  const meta = await client${n}.get(\`tracks/\${trackId}\`, { searchParams: { oauth_token: token } }).json<{ stream_url: string }>();
  return got(meta.stream_url, { searchParams: { oauth_token: token } }).buffer();
}
`,
  sdk: (n) => `/* global SC */
export function init${n}() {
  SC.initialize({ client_id: '${id().toString(36)}abc', redirect_uri: 'https://example.com/callback.html' });
  return SC.get('/tracks', { q: 'lofi', limit: ${n % 50} });
}

export function login${n}() {
  return SC.connect().then(() => SC.get('/me'));
}
`,
  token: (n) => `import { SC_TOKEN_URL_${n % 50} } from './config${n % 50}.js';

export async function exchange${n}(code: string, clientId: string, clientSecret: string) {
  const body = new URLSearchParams({ grant_type: '${pick(['authorization_code', 'password', 'client_credentials'])}', code, client_id: clientId, client_secret: clientSecret, redirect_uri: 'https://example.com/cb' });
  const res = await fetch(SC_TOKEN_URL_${n % 50}, { method: 'POST', body });
  const json = await res.json();
  return { token: json.access_token as string };
}

export const authorizeUrl${n} = 'https://soundcloud.com/connect?client_id=x&response_type=${pick(['code', 'token'])}&scope=non-expiring&redirect_uri=https://example.com/cb';
`,
  component: (n) => `import React, { useEffect, useState } from 'react';

export function Player${n}({ trackId, clientId }) {
  const [track, setTrack] = useState(null);
  useEffect(() => {
    fetch('https://api.soundcloud.com/tracks/' + trackId + '?client_id=' + clientId)
      .then((r) => r.json())
      .then(setTrack);
  }, [trackId, clientId]);
  if (!track) return <p>Loading…</p>;
  return (
    <div className="player">
      <h2>{track.title}</h2>
      <audio src={track.stream_url + '?client_id=' + clientId} controls />
    </div>
  );
}
`,
};

rmSync(out, { recursive: true, force: true });
const write = (rel, text) => { const p = join(out, rel); mkdirSync(dirname(p), { recursive: true }); writeFileSync(p, text); };
const CONFIGS = 50;
for (let c = 0; c < CONFIGS; c++) write(`src/config${c}.js`, templates.config(c));
const kinds = ['fetchClient', 'axiosClient', 'gotClient', 'sdk', 'token', 'component'];
for (let i = CONFIGS; i < N; i++) {
  const kind = pick(kinds);
  const cfg = i % CONFIGS;
  const ext = kind === 'gotClient' || kind === 'token' ? pick(['ts', 'mts']) : kind === 'component' ? pick(['jsx', 'tsx']) : kind === 'axiosClient' ? pick(['js', 'cjs']) : pick(EXT.filter((e) => !e.includes('x') && e !== 'ts' && e !== 'cjs'));
  write(`src/${kind}/${i}.${ext}`, templates[kind](i, cfg));
}
console.log(`wrote ${N} files to ${out}`);
