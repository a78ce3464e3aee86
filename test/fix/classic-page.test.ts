/**
 * Behavioural proof of the classic-page migration (src/fix/classic-pages.ts): the fixed page
 * script of rules/no-client-id-auth/fixtures/fix/classic-page (jQuery $.getJSON and $.ajax, fetch, XHR)
 * and its generated classic client are evaluated as a page would (node:vm, a minimal `window`, a
 * small stand-in of jQuery's $.ajax/Deferred, no jsdom) against the strict mock API; the client's
 * token requests reach a token route made with createTokenEndpoint of the runtime.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { runInContext, createContext } from 'node:vm';
import { startMockApi, type MockApi } from '../../src/mock-api/index.js';
import { createTokenEndpoint } from '../../src/runtime/index.js';
import { pageWithClient, scriptTags } from '../../src/fix/classic-pages.js';

const OUT = resolve(import.meta.dirname, '../../rules/no-client-id-auth/fixtures/fix/classic-page/output');
const CLIENT = { clientId: 'f00dcafe0123456789abcdef01234567', clientSecret: 'page secret', redirectUris: ['http://localhost:8080/cb'] };

type Cb = (...a: unknown[]) => unknown;
/** What the page needs of jQuery: $(sel).html/text/on/val, $.extend, $.Deferred (then chains a returned promise), $.ajax over fetch. */
function fakeJQuery(win: { fetch: typeof fetch }) {
  const Deferred = (): any => {
    let state = 'pending'; let args: unknown[] = []; const cbs: [string, Cb][] = [];
    const on = (s: string, f: Cb) => { if (state === s) f(...args); else if (state === 'pending') cbs.push([s, f]); };
    const settle = (s: string) => (...a: unknown[]) => { if (state === 'pending') { state = s; args = a; for (const [k, f] of cbs) if (k === s) f(...a); } return d; };
    const d: any = {
      resolve: settle('resolved'), reject: settle('rejected'),
      done: (f: Cb) => (on('resolved', f), d), fail: (f: Cb) => (on('rejected', f), d),
      then: (ok?: Cb, bad?: Cb) => {
        const n = Deferred();
        const pass = (r: any) => (r && typeof r.done === 'function' ? r.done(n.resolve).fail(n.reject) : n.resolve(r));
        on('resolved', (...a) => pass(ok ? ok(...a) : a[0]));
        on('rejected', (...a) => (bad ? pass(bad(...a)) : n.reject(...a)));
        return n.promise();
      },
      promise: () => d,
    };
    d.pipe = d.then; // jQuery 1.6 to 3: the chaining then
    return d;
  };
  const $: any = () => ({ html() {}, text() {}, on() {}, val: () => 'night' });
  $.extend = (...o: object[]) => Object.assign({}, ...o);
  $.Deferred = Deferred;
  $.sent = [] as { url: string; headers: Record<string, string>; status?: number }[];
  $.ajax = (s: { url: string; data?: Record<string, string>; headers?: Record<string, string>; success?: Cb }) => {
    const d = Deferred();
    const url = s.data ? `${s.url}?${new URLSearchParams(s.data)}` : s.url;
    const sent: { url: string; headers: Record<string, string>; status?: number } = { url, headers: s.headers ?? {} };
    $.sent.push(sent);
    void win.fetch(url, { headers: s.headers }).then(async (r) => {
      sent.status = r.status;
      if (!r.ok) { d.reject({ status: r.status }); return; }
      const body = await r.json();
      s.success?.(body);
      d.resolve(body);
    });
    return d.promise();
  };
  return $;
}

describe('classic page after fix: jQuery, fetch and XMLHttpRequest requests carry the backend\'s app token (strict mock)', () => {
  let mock: MockApi;
  let win: any;
  let tokenRequests = 0;

  beforeAll(async () => {
    mock = await startMockApi({ mode: 'strict', clients: [CLIENT], clientCredentialsLimit: { max: 1, windowSeconds: 12 * 3600 } });
    const route = createTokenEndpoint({ clientId: CLIENT.clientId, clientSecret: CLIENT.clientSecret, authBase: mock.authUrl, fetch: mock.fetch });
    const pageFetch = (url: string, init?: RequestInit): Promise<Response> => {
      if (url === '/api/soundcloud/token') { tokenRequests++; return route(new Request('http://127.0.0.1:8080/api/soundcloud/token', init)); }
      expect(url).not.toMatch(/client_id/);
      return mock.fetch(url.replace('https://api.soundcloud.com', mock.apiUrl), init);
    };
    win = { fetch: pageFetch, Headers, Promise, Date, Math, Number, Object, JSON, URLSearchParams, encodeURIComponent, Infinity };
    // XMLHttpRequest over the page's fetch: open, setRequestHeader, send, onload/onerror
    win.XMLHttpRequest = class {
      url = ''; headers: Record<string, string> = {}; status = 0; responseText = ''; onload?: () => void; onerror?: (e: unknown) => void;
      open(_m: string, url: string) { this.url = url; }
      setRequestHeader(k: string, v: string) { this.headers[k] = v; }
      send() { void pageFetch(this.url, { headers: this.headers }).then(async (r) => { this.status = r.status; this.responseText = await r.text(); win.$.sent.push({ url: this.url, headers: this.headers, status: r.status }); this.onload?.(); }, (e) => this.onerror?.(e)); }
    };
    win.window = win;
    win.jQuery = win.$ = fakeJQuery(win);
    createContext(win);
    runInContext(readFileSync(join(OUT, 'js/soundcloud-browser-client.js'), 'utf8'), win);
    runInContext(readFileSync(join(OUT, 'js/app.js'), 'utf8'), win);
  }, 30_000);
  afterAll(async () => { await mock?.close(); });

  it('the page loads the client before the script', () => {
    const html = readFileSync(join(OUT, 'index.html'), 'utf8');
    const srcs = scriptTags(html).map((t) => t.src);
    expect(srcs.indexOf('js/soundcloud-browser-client.js')).toBe(srcs.indexOf('js/app.js') - 1);
    expect(pageWithClient({ file: join(OUT, 'index.html'), text: html, tags: [] }, join(OUT, 'js/soundcloud-browser-client.js'))).toBe(html);
  });

  it('fetch, $.getJSON, $.ajax and XMLHttpRequest requests pass with one token from the route', async () => {
    const playlist = await win.loadPlaylist(501);
    expect(playlist.id).toBe(501);
    const user = await new Promise((ok, bad) => { win.searchTracks('night'); setTimeout(() => (win.$.sent.length ? ok(win.$.sent) : bad(new Error('no request'))), 500); });
    expect(user).toBeTruthy();
    await new Promise((ok, bad) => {
      const d = win.soundcloudBrowserClient.ajax({ url: 'https://api.soundcloud.com/users/1001', dataType: 'json' }, CLIENT.clientId);
      d.done(ok).fail(bad);
    });
    win.loadUser(1001);
    const tracks = await new Promise((ok) => win.loadUserTracks(1001, ok));
    expect(Array.isArray((tracks as { collection?: unknown[] }).collection ?? tracks)).toBe(true);
    await new Promise((r) => setTimeout(r, 300));
    expect(win.$.sent.length).toBe(4);
    for (const s of win.$.sent) { expect(s.headers.Authorization).toMatch(/^OAuth \S+/); expect(s.status, s.url).toBe(200); }
    expect(tokenRequests).toBe(1);
  });
});
