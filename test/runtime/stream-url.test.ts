/**
 * SoundCloudClient.streamUrl against the strict mock: what an app holds (a track id, a track
 * object, a `stream_url` with the old `?client_id=`) becomes a signed CDN URL that plays with no
 * credential; the token goes to the API only (never to the CDN), one app token for many calls.
 * The browser client (no secret, tokens from the app's backend route) does the same.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMockApi, type MockApi } from '../../src/mock-api/index.js';
import { SoundCloudClient, SoundCloudApiError, createTokenEndpoint, toNodeHandler } from '../../src/runtime/index.js';
import { SoundCloudClient as BrowserClient } from '../../src/runtime/browser.js';

const CLIENT = { clientId: 'stream-app', clientSecret: 'stream-secret', redirectUris: [] };
const noSleep = async () => {};
const ID3 = [73, 68, 51];

describe('streamUrl: a playable URL instead of ?client_id=', () => {
  let mock: MockApi;
  let route: Server;
  let routeUrl = '';
  beforeAll(async () => {
    mock = await startMockApi({ mode: 'strict', clients: [CLIENT] });
    const handler = toNodeHandler(createTokenEndpoint({ ...CLIENT, authBase: mock.authUrl, fetch: mock.fetch, sleep: noSleep }));
    route = createServer((req, res) => void handler(req, res));
    await new Promise<void>((r) => route.listen(0, '127.0.0.1', r));
    routeUrl = `http://127.0.0.1:${(route.address() as AddressInfo).port}/api/soundcloud/token`;
  });
  afterAll(async () => {
    await new Promise((r) => route.close(r));
    await mock.close();
  });
  const server = () => new SoundCloudClient({ ...CLIENT, apiBase: mock.apiUrl, authBase: mock.authUrl, fetch: mock.fetch, sleep: noSleep });
  const play = async (url: string) => new Uint8Array(await (await mock.fetch(url)).arrayBuffer()).slice(0, 3);

  it('from an id, a URN, a track object, a stream_url with ?client_id= and a track uri: signed CDN URLs that play without a credential', async () => {
    mock.stats.reset();
    const sc = server();
    const track = await sc.getJson<{ id: number; stream_url: string }>('/tracks/2');
    const sources = [2, '2', 'soundcloud:tracks:2', track, { stream_url: track.stream_url }, `${track.stream_url}?client_id=${CLIENT.clientId}`, 'https://api.soundcloud.com/tracks/2'];
    for (const source of sources) {
      const url = await sc.streamUrl(source);
      expect(url.startsWith(mock.cdnUrl), String(source)).toBe(true);
      expect(url).toContain('/stream/2.mp3?');
      expect(url).not.toContain('client_id');
      expect(Array.from(await play(url))).toEqual(ID3);
    }
    expect(mock.stats.rejections).toEqual({}); // no client_id_only, no Authorization at the CDN
    expect(mock.stats.tokenRequests.total).toBe(1);
  });

  it('another format of /streams when asked; a signed CDN URL is returned as it is', async () => {
    const sc = server();
    const url = await sc.streamUrl(3, { formats: ['hls_opus_64_url', 'http_mp3_128_url'] });
    expect(url).toContain('/stream/3.mp3?');
    expect(await sc.streamUrl(url)).toBe(url);
    // the private API: refused, not handed back unplayable
    await expect(sc.streamUrl('https://api-v2.soundcloud.com/media/soundcloud:tracks:3/x/stream/progressive')).rejects.toMatchObject({ code: 'private_api' });
  });

  it('an unknown track: a typed not_found (no URL that would not play)', async () => {
    const err = await server().streamUrl(999).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SoundCloudApiError);
    expect((err as SoundCloudApiError).status).toBe(404);
  });

  it('the browser client (no secret): the token from the backend route, then the same signed URL', async () => {
    mock.stats.reset();
    const browser = new BrowserClient({ clientId: CLIENT.clientId, tokenEndpoint: routeUrl, clientCredentials: true, apiBase: mock.apiUrl, authBase: mock.authUrl, fetch: mock.fetch, sleep: noSleep });
    const url = await browser.streamUrl('https://api.soundcloud.com/tracks/1/stream?client_id=stream-app');
    expect(Array.from(await play(url))).toEqual(ID3);
    expect(mock.stats.rejections).toEqual({});
  });
});

describe('streamUrl: download URLs and APIs without /streams (the redirect, not followed)', () => {
  /** An API that answers only redirects: `/tracks/{id}/download` and `/tracks/{id}/stream` 302 to a CDN. */
  function redirectingApi(seen: { url: string; auth: string | null; redirect?: string }[]) {
    return (async (input: string | URL | Request, init?: RequestInit) => {
      const url = new URL(String(input));
      const auth = new Headers(init?.headers).get('authorization');
      seen.push({ url: url.pathname + url.search, auth, redirect: init?.redirect });
      if (url.pathname === '/oauth/token') return Response.json({ access_token: 'tok', token_type: 'bearer', expires_in: 3599, refresh_token: 'r' });
      if (!auth) return Response.json({ code: 401 }, { status: 401 });
      const m = /^\/tracks\/(\d+)\/(download|stream)$/.exec(url.pathname);
      if (m) return new Response(null, { status: 302, headers: { location: `https://cf-media.sndcdn.com/${m[1]}-${m[2]}.mp3?Policy=p&Signature=s` } });
      return Response.json({ code: 404, message: 'Not Found' }, { status: 404 });
    }) as typeof fetch;
  }

  it('download_url: the target of its redirect, the token sent to the API only; /streams missing: the /stream redirect', async () => {
    const seen: { url: string; auth: string | null; redirect?: string }[] = [];
    const sc = new SoundCloudClient({ clientId: 'a', clientSecret: 'b', fetch: redirectingApi(seen), sleep: noSleep, apiBase: 'https://api.soundcloud.com', authBase: 'https://secure.soundcloud.com' });
    expect(await sc.streamUrl('https://api.soundcloud.com/tracks/7/download?client_id=a')).toBe('https://cf-media.sndcdn.com/7-download.mp3?Policy=p&Signature=s');
    expect(await sc.streamUrl({ id: 8, download_url: 'https://api.soundcloud.com/tracks/8/download' })).toBe('https://cf-media.sndcdn.com/8-stream.mp3?Policy=p&Signature=s');
    const api = seen.filter((s) => !s.url.startsWith('/oauth'));
    expect(api.map((s) => s.url)).toEqual(['/tracks/7/download', '/tracks/8/streams', '/tracks/8/stream']);
    expect(api.every((s) => s.auth === 'OAuth tok' && s.redirect === 'manual')).toBe(true);
    expect(seen.some((s) => s.url.includes('sndcdn'))).toBe(false); // nothing was fetched from the CDN
  });
});
