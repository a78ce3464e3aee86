/**
 * Behavioural proof of the AngularJS `$http` migration (src/fix/angularjs.ts, through classic-pages.ts):
 * rules/no-client-id-auth/fixtures/fix/classic-page-angularjs before and after fix.
 *
 * 1. The interceptor contract (always runs): the generated classic client, evaluated in node:vm,
 *    registers its interceptor once however many fixed scripts configure their module, and the
 *    interceptor adds the backend route's app token only to api.soundcloud.com requests without
 *    an Authorization header or an oauth_token of their own.
 * 2. The page itself in headless Chromium (skipped without /usr/bin/chromium: apt-get install -y
 *    chromium), with the real AngularJS 1.5.11 (devDependency `test-angularjs`, an alias of the npm
 *    package `angular`: the last line with `.success()`), its requests to api.soundcloud.com routed
 *    to the strict mock API and `/api/soundcloud/token` to a createTokenEndpoint route over it:
 *    before fix the strict API answers 401; after fix every request (`$http.get` with `.then`, with
 *    `params`, `$http(config)`, a controller's `.success()`, a named controller function) is answered 200 with one app token, the
 *    user's own request keeps the user's token, and a request to another host gets no token.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { createContext, runInContext } from 'node:vm';
import { chromium, type Browser, type Page, type Route } from 'playwright-core';
import { startMockApi, type MockApi } from '../../src/mock-api/index.js';
import { createTokenEndpoint } from '../../src/runtime/index.js';
import { mockUserToken } from './mock-user-token.js';

const CASE = resolve(import.meta.dirname, '../../rules/no-client-id-auth/fixtures/fix/classic-page-angularjs');
const CLIENT = { clientId: 'c0ffee0123456789abcdef0123456789', clientSecret: 'angular secret', redirectUris: ['http://app.test/cb'] };
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const hasChromium = existsSync(CHROMIUM);
if (!hasChromium) console.warn(`AngularJS page test skipped: no chromium at ${CHROMIUM} (apt-get install -y chromium)`);
const ANGULAR = createRequire(import.meta.url).resolve('test-angularjs/angular.js');

let mock: MockApi;
let route: (req: Request) => Promise<Response>;
let tokenRequests = 0;
beforeAll(async () => {
  mock = await startMockApi({ mode: 'strict', clients: [CLIENT], clientCredentialsLimit: { max: 1, windowSeconds: 12 * 3600 } });
  const endpoint = createTokenEndpoint({ clientId: CLIENT.clientId, clientSecret: CLIENT.clientSecret, authBase: mock.authUrl, fetch: mock.fetch });
  route = (req) => { tokenRequests++; return endpoint(req); };
}, 30_000);
afterAll(async () => { await mock?.close(); });

describe('the classic client\'s AngularJS interceptor', () => {
  it('is pushed once, and adds the app token only where the request has no credential of its own', async () => {
    const win: any = { Promise, Date, Math, Number, Object, JSON, Headers, encodeURIComponent, Infinity, String };
    win.fetch = (url: string, init?: RequestInit) => route(new Request(new URL(url, 'http://app.test/').href, init));
    win.window = win;
    createContext(win);
    runInContext(readFileSync(join(CASE, 'output/js/services/soundcloud-browser-client.js'), 'utf8'), win);
    const [deps, configure] = win.soundcloudBrowserClient.angularConfig;
    expect(deps).toBe('$httpProvider');
    const provider = { interceptors: [] as unknown[] };
    configure(provider);
    configure(provider); // a second fixed script configures its module too
    expect(provider.interceptors).toHaveLength(1);
    // an AngularJS older than 1.1.4 (no interceptors): the app still starts
    win.console = { warn: () => {} };
    expect(() => configure({})).not.toThrow();
    const factory = provider.interceptors[0] as { (q: unknown): { request: (c: any) => any }; $inject: string[] };
    expect(factory.$inject).toEqual(['$q']);
    const { request } = factory({ when: (x: unknown) => Promise.resolve(x) });
    const before = tokenRequests;
    const sc = await request({ url: 'https://api.soundcloud.com/tracks', params: { q: 'night' }, headers: { Accept: 'application/json' } });
    expect(sc.headers).toEqual({ Accept: 'application/json', Authorization: expect.stringMatching(/^OAuth \S+$/) });
    const again = await request({ url: '//api.soundcloud.com/users/1001', headers: {} });
    expect(again.headers.Authorization).toBe(sc.headers.Authorization);
    expect(tokenRequests - before).toBe(1);
    // the app's own credentials and other hosts: the same config, untouched
    for (const c of [
      { url: 'https://api.soundcloud.com/me', headers: { authorization: 'OAuth user' } },
      { url: 'https://api.soundcloud.com/me', params: { oauth_token: 'user' }, headers: {} },
      { url: 'https://api.soundcloud.com/me?oauth_token=user', headers: {} },
      { url: 'https://api-v2.soundcloud.com/tracks', headers: {} },
      { url: 'https://example.com/api.soundcloud.com/x', headers: {} },
      { url: '/api/tracks', headers: {} },
    ]) expect(request(c)).toBe(c);
  });
});

describe.skipIf(!hasChromium)('the AngularJS page in headless Chromium (real AngularJS, strict mock)', () => {
  let browser: Browser;
  let userToken: string;
  beforeAll(async () => {
    userToken = await mockUserToken(mock, CLIENT);
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
  }, 60_000);
  afterAll(async () => { await browser?.close(); });

  type Sent = { url: string; authorization?: string; status: number };
  /** The page of `dir` at http://app.test/, its API requests sent to the strict mock (CORS as api.soundcloud.com answers). */
  async function open(dir: string): Promise<{ page: Page; sent: Sent[] }> {
    const page = await browser.newPage();
    const sent: Sent[] = [];
    const cors = { 'access-control-allow-origin': '*', 'access-control-allow-headers': 'Authorization, Accept, Content-Type', 'access-control-allow-methods': 'GET, PUT, POST, DELETE' };
    await page.route('**/*', async (r: Route) => {
      const req = r.request();
      const url = new URL(req.url());
      if (url.host === 'api.soundcloud.com') {
        if (req.method() === 'OPTIONS') return r.fulfill({ status: 204, headers: cors });
        const authorization = (await req.allHeaders()).authorization;
        const res = await mock.fetch(mock.apiUrl + url.pathname + url.search, { method: req.method(), headers: authorization ? { Authorization: authorization } : {} });
        const body = await res.text();
        sent.push({ url: req.url(), authorization, status: res.status });
        return r.fulfill({ status: res.status, headers: { ...cors, 'content-type': 'application/json' }, body });
      }
      if (url.host !== 'app.test') return r.fulfill({ status: 404, body: '' });
      if (url.pathname === '/api/soundcloud/token') {
        const res = await route(new Request(req.url(), { method: req.method(), headers: await req.allHeaders(), body: req.postData() ?? undefined }));
        return r.fulfill({ status: res.status, headers: { 'content-type': 'application/json' }, body: await res.text() });
      }
      if (url.pathname === '/other.json') { sent.push({ url: req.url(), authorization: (await req.allHeaders()).authorization, status: 200 }); return r.fulfill({ status: 200, headers: { 'content-type': 'application/json' }, body: '{}' }); }
      const file = url.pathname === '/vendor/angular.js' ? ANGULAR : join(dir, url.pathname === '/' ? 'index.html' : url.pathname);
      if (!existsSync(file)) return r.fulfill({ status: 404, body: '' });
      return r.fulfill({ status: 200, headers: { 'content-type': file.endsWith('.html') ? 'text/html' : 'text/javascript' }, body: readFileSync(file, 'utf8') });
    });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    await page.goto('http://app.test/');
    await page.waitForFunction(() => !!(window as any).angular?.element(document.documentElement).injector());
    expect(errors).toEqual([]);
    return { page, sent };
  }

  /** What the app's services answer: each call's data, or its status when it failed. */
  const useApp = (page: Page, token: string) => page.evaluate(async (userToken) => {
    const w = window as any;
    const inj = w.angular.element(w.document.documentElement).injector();
    const status = (p: PromiseLike<any>) => Promise.resolve(p).then((x) => x, (e: any) => ({ failed: e?.status ?? 'rejected' }));
    const tracks = inj.get('Tracks');
    const favorites = inj.get('Favorites');
    const scope = w.angular.element(w.document.querySelector('[ng-controller]')).scope();
    const charts = inj.get('$controller')('ChartsController', { $scope: scope.$new() });
    scope.load(1001); // .success() sets scope.user
    const out = {
      userTracks: await status(tracks.userTracks('1001')),
      search: await status(tracks.search('night')),
      playlist: await status(favorites.playlist(501).then((r: any) => r.data)),
      me: await status(favorites.me(userToken).then((r: any) => r.data)),
      charts: await status(charts.search('night')),
      top: await status(charts.top()),
      other: await status(inj.get('$http').get('http://app.test/other.json').then((r: any) => r.status)),
      user: null as unknown,
    };
    for (let i = 0; i < 50 && !scope.user; i++) await new Promise((r) => setTimeout(r, 20));
    out.user = scope.user;
    return out;
  }, token);

  it('before fix: the strict API refuses the client_id requests', async () => {
    const { page, sent } = await open(join(CASE, 'input'));
    const out = await useApp(page, userToken);
    expect(out.search).toEqual({ failed: 401 });
    expect(out.charts).toEqual({ failed: 401 });
    expect(out.playlist).toEqual({ failed: 401 });
    expect(sent.filter((s) => /client_id=/.test(s.url)).every((s) => s.status === 401)).toBe(true);
    await page.close();
  }, 60_000);

  it('after fix: every request passes, with one app token from the backend route; the user keeps theirs', async () => {
    tokenRequests = 0;
    const { page, sent } = await open(join(CASE, 'output'));
    const out = await useApp(page, userToken);
    expect((out.userTracks as { collection?: unknown[] }).collection ?? out.userTracks).toBeInstanceOf(Array);
    expect(out.search).toBeInstanceOf(Array);
    expect(out.charts).toBeInstanceOf(Array);
    expect(out.top).toBeInstanceOf(Array);
    expect((out.playlist as { id: number }).id).toBe(501);
    expect((out.me as { id: number }).id).toBe(1001);
    expect((out.user as { id: number }).id).toBe(1001);
    expect(out.other).toBe(200);
    const api = sent.filter((s) => new URL(s.url).host === 'api.soundcloud.com');
    expect(api.length).toBe(7);
    for (const s of api) { expect(s.status, s.url).toBe(200); expect(s.url).not.toMatch(/client_id|oauth_token/); }
    const app = api.filter((s) => s.authorization !== `OAuth ${userToken}`);
    expect(app).toHaveLength(6);
    expect(new Set(app.map((s) => s.authorization)).size).toBe(1);
    expect(app[0]!.authorization).toMatch(/^OAuth \S+$/);
    expect(sent.find((s) => s.url.endsWith('/other.json'))?.authorization).toBeUndefined();
    expect(tokenRequests).toBe(1);
    await page.close();
  }, 60_000);
});
