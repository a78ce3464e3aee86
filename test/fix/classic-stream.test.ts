/**
 * Behavioural proof of the classic-page stream rewrite (src/fix/classic-pages.ts, streamSrcEdit and
 * withClassicStreamSrc): a page script without modules that plays `track.stream_url + '?client_id=' + KEY`
 * at once, keeps it in a queue or returns a download link gets `soundcloudBrowserClient.soundcloudStreamSrc(url)`
 * of the generated classic client. The fixed script and its client run as a page would (node:vm, a
 * minimal `window` and `document`); the URLs they build are those of the runtime's streamSrc for the
 * backend's stream route, which (createStreamEndpoint, the strict mock API) answers 302 to media the
 * mock's CDN serves, where the old `?client_id=` URL is refused.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createContext, runInContext } from 'node:vm';
import { startMockApi, type MockApi } from '../../src/mock-api/index.js';
import { MemoryTokenStore, createStreamEndpoint, streamRouteOf, streamSrc } from '../../src/runtime/index.js';
import { classicClientText, withClassicStreamSrc } from '../../src/fix/classic-pages.js';

const CASE = resolve(import.meta.dirname, '../../rules/no-client-id-auth/fixtures/fix/classic-page-stream');
const CLIENT = { clientId: 'c0ffee0123456789abcdef0123456789', clientSecret: 'radio secret+/=', redirectUris: [] };
const ID3 = [73, 68, 51];
const ROUTE = '/api/soundcloud/stream';
const track = (id: number) => ({ id, title: `t${id}`, stream_url: `https://api.soundcloud.com/tracks/${id}/stream` });

/** A page: the classic client, then the script, in one window. */
function page(script: string, client?: string) {
  const player = { src: '', played: 0, play() { this.played++; } };
  const win: any = { document: { getElementById: () => player }, Promise, Date, Math, Number, Object, JSON, String, encodeURIComponent, Infinity };
  win.window = win;
  createContext(win);
  if (client) runInContext(client, win);
  runInContext(`${script}\nthis.queue = queue;`, win);
  return { win, player };
}

describe('classic page stream URLs after fix: the backend\'s stream route (strict mock)', () => {
  let mock: MockApi;
  let stream: (r: Request) => Promise<Response>;
  beforeAll(async () => {
    mock = await startMockApi({ mode: 'strict', clients: [CLIENT] });
    stream = createStreamEndpoint({ ...CLIENT, tokenStore: new MemoryTokenStore(), authBase: mock.authUrl, apiBase: mock.apiUrl, fetch: mock.fetch, sleep: async () => {} });
  }, 30_000);
  afterAll(async () => { await mock?.close(); });

  /** The route's answer to a URL the page built (same origin): its 302 target. */
  const located = async (src: string) => {
    const res = await stream(new Request(`http://127.0.0.1:8080${src}`));
    return { status: res.status, location: res.headers.get('location') ?? '' };
  };

  it('before fix the page builds ?client_id= URLs, which the strict API refuses', async () => {
    const { win, player } = page(readFileSync(join(CASE, 'input/js/radio.js'), 'utf8'));
    win.playTrack(track(2));
    expect(player.src).toBe(`https://api.soundcloud.com/tracks/2/stream?client_id=${CLIENT.clientId}`);
    const res = await mock.fetch(player.src.replace('https://api.soundcloud.com', mock.apiUrl), { redirect: 'manual' });
    expect(res.status).toBe(401);
  });

  it('after fix the played, queued and download URLs are the stream route\'s, answered 302 to media; the listing URL keeps its marker', async () => {
    const client = readFileSync(join(CASE, 'output/js/soundcloud-browser-client.js'), 'utf8');
    const fixed = readFileSync(join(CASE, 'output/js/radio.js'), 'utf8');
    expect(fixed).toMatch(/sc-migrate\(no-client-id-auth\)/);
    expect(fixed).toContain("'/streams?client_id=' + SC_KEY");
    // the stream URL in a rewritten request's callback (the next pass of fix): the request takes the app token, the URL the route
    expect(fixed).toContain("soundcloudBrowserClient.ajax({ url: 'https://api.soundcloud.com/resolve?url=' + encodeURIComponent(permalink), dataType: 'json', success: function (t) {");
    expect(fixed).toContain("document.getElementById('player').src = soundcloudBrowserClient.soundcloudStreamSrc(t.stream_url);");
    const { win, player } = page(fixed, client);
    win.playTrack(track(2));
    win.enqueue(track(1));
    const link = win.downloadLink(3);
    expect(player.played).toBe(1);
    expect(player.src).toBe(streamSrc(ROUTE, track(2).stream_url));
    expect(win.queue[0].src).toBe(streamSrc(ROUTE, track(1).stream_url));
    expect(link).toBe(streamSrc(ROUTE, 'https://api.soundcloud.com/tracks/3/download'));
    mock.stats.reset();
    for (const [src, id] of [[player.src, 2], [win.queue[0].src, 1], [link, 3]] as const) {
      expect(src).not.toContain('client_id');
      const r = await located(src);
      expect(r.status, src).toBe(302);
      expect(r.location.startsWith(`${mock.cdnUrl}/stream/${id}.mp3?`), r.location).toBe(true);
      expect(Array.from(new Uint8Array(await (await mock.fetch(r.location)).arrayBuffer()).slice(0, 3))).toEqual(ID3);
    }
    expect(mock.stats.rejections).toEqual({});
    expect(mock.stats.tokenRequests.client_credentials).toBe(1);
  }, 60_000);

  it('the classic soundcloudStreamSrc is the runtime\'s streamSrc of streamRouteOf(the token route)', () => {
    for (const endpoint of ['/api/soundcloud/token', 'https://api.example.com/sc/token?x=1', 'token']) {
      const { win } = page('var queue = [];', withClassicStreamSrc(classicClientText("var a = 'x';", endpoint)));
      const route = streamRouteOf(endpoint);
      for (const source of [1, '7', 'soundcloud:tracks:4', { id: 5 }, { id: 'x', stream_url: 'https://api.soundcloud.com/tracks/6/stream?client_id=k&secret_token=s' },
        'https://api.soundcloud.com/tracks/8/download?oauth_token=t', ' //api.soundcloud.com/tracks/9/stream ', '', null, {}]) {
        expect(win.soundcloudBrowserClient.soundcloudStreamSrc(source), `${endpoint} ${JSON.stringify(source)}`).toBe(streamSrc(route, source as never));
      }
    }
  });

  it('a phone or desktop shell\'s client (no token route yet) refuses to build a URL; the client is extended once', () => {
    const shell = withClassicStreamSrc(classicClientText('var a = "x"', ''));
    expect(withClassicStreamSrc(shell)).toBe(shell);
    expect(shell).toContain('soundcloudStreamSrc: soundcloudStreamSrc,');
    const { win } = page('var queue = [];', shell);
    expect(() => win.soundcloudBrowserClient.soundcloudStreamSrc(track(1))).toThrow(/SOUNDCLOUD_TOKEN_ENDPOINT is not set/);
    // not a client of sc-migrate: left alone
    expect(withClassicStreamSrc('window.x = 1;\n')).toBe('window.x = 1;\n');
  });
});
