/**
 * Cross-file rewrites (src/fix/project-wrappers.ts, ts-morph's project model): each case under
 * fixtures/transforms/cross-file/<case>/input is fixed as a whole project and must equal output/;
 * the output parses, a second run changes nothing, and the lines outside the edits are kept.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseFile } from '../../src/engine/parse.js';
import { crossCases, fixProject, projectFiles } from './pairs.js';

type After = Map<string, { status: string; after: string; markers: number }>;

/** What each case is about, beyond matching output/. */
const caseChecks: Record<string, (after: After) => void> = {
  'next-api-route': (after) => {
    // every file under pages/api is a route: the client module goes beside pages/, imported as the file imports (no extension)
    expect([...after.keys()].filter((k) => k.startsWith('pages/'))).toEqual(['pages/api/tracks/[id].ts']);
    expect(after.get('soundcloud-client.ts')?.status).toBe('changed');
    expect(after.get('pages/api/tracks/[id].ts')?.after).toContain('from "../../../soundcloud-client";');
  },
  'query-helper': (after) => {
    // the CommonJS helper of another file sends the app token itself; its callers drop the client_id
    expect(after.get('lib/http.js')?.after).toContain("Authorization: 'OAuth ' + token");
    expect(after.get('lib/http.js')?.after).toContain("var soundcloudAccessToken = require('./soundcloud-client.js').soundcloudAccessToken;");
    for (const f of ['lib/tracks.js', 'lib/users.js']) {
      expect(after.get(f)?.after).not.toContain('client_id');
      expect(after.get(f)?.markers).toBe(0);
    }
    expect(after.get('lib/soundcloud-client.js')?.status).toBe('changed');
    expect(after.get('package.json')?.after).toContain('"sc-migrate"');
    // a helper whose request object a caller reads (req.on, req.promise()) keeps its signature and its call a marker
    expect(after.get('lib/raw.js')?.status).toBe('unchanged');
    expect(after.get('lib/stats.js')?.markers).toBe(1);
    expect(after.get('index.js')?.status).toBe('unchanged');
  },
  'query-helper-esm': (after) => {
    // an async helper of another module awaits the app token; a module's own helper waits for it in the promise it returns
    expect(after.get('server/soundcloud.js')?.after).toContain('Authorization: `OAuth ${await soundcloudAccessToken()}`');
    expect(after.get('server/app.js')?.after).toContain('soundcloudAccessToken().then((token) => axios.get(');
    // `{ client_id }` alone as the last argument goes with its comma; `query.client_id = ...;` goes as a statement
    expect(after.get('server/app.js')?.after).toContain('await lookup(`/users/${req.params.id}`);');
    expect(after.get('server/charts.js')?.after).not.toContain('client_id');
    for (const [f, r] of after) expect(r.markers, f).toBe(0);
  },
  'url-helper': (after) => {
    // URLs carrying the client_id, handed to one callback-style request helper of another module (`module.exports.name = fn`):
    // the helper waits for the app token (a failed token request reaches its callback), every caller's URL drops the client_id
    const helper = after.get('util/fetcher.js')!.after;
    expect(helper).toContain("soundcloudAccessToken().then((token) => request.get({headers: {Authorization: 'OAuth ' + token}, url: link, json: true}, onResponse), onResponse);");
    expect(helper).toContain("var soundcloudAccessToken = require('./soundcloud-client.js').soundcloudAccessToken;");
    expect(after.get('lib/Artist.js')?.after).toContain("var link = Endpoints.API.ARTISTS + '/' + id + '/playlists?limit=' + limit;");
    expect(after.get('lib/Artist.js')?.after).toContain("var link = Endpoints.API.ARTISTS;");
    expect(after.get('lib/Sets.js')?.after).toContain("Fetcher.fetchJson(Endpoints.API.SETS + '/' + id, done);");
    expect(after.get('lib/Artist.js')?.markers).toBe(0);
    // a URL returned by a module function called once, as the helper's URL, loses its client_id too
    expect(after.get('lib/Artist.js')?.after).toContain("return Endpoints.API.ARTISTS + '/' + id + '/likes';");
    // a test calling the helper with a string that names no host needs no edit and does not stop the rewrite
    expect(after.get('test/fetcher.spec.js')?.status).toBe('unchanged');
    expect(after.get('util/soundcloud-client.js')?.status).toBe('changed');
    // a helper one of whose callers' URLs cannot lose its client_id cleanly stays as it is: both its callers keep markers
    expect(after.get('util/raw.js')?.status).toBe('unchanged');
    expect(after.get('lib/Sets.js')?.markers).toBe(2);
  },
  'require-at-load': (after) => {
    // the module calls the request while it loads, before its later requires: the client's require
    // goes with the requires the file opens with (after the last of them it was read before its declaration)
    const server = after.get('server.js')!.after;
    expect(server.indexOf("require('./soundcloud-client.js')")).toBeLessThan(server.indexOf('track(1)'));
    expect(server).toContain("const request = require('request')\nconst { soundcloudAccessToken } = require('./soundcloud-client.js')\n");
  },
  'url-helper-chain': (after) => {
    // a helper returning the chain its request heads waits for the app token before the request; the caller only waits for it
    expect(after.get('server/lib/loadJson.js')?.after).toContain("return soundcloudAccessToken().then((token) => fetch(link, { headers: { Authorization: 'OAuth ' + token } })).then((res) => res.json());");
    expect(after.get('server/routes/queue.js')?.after).toContain('loadJson(`https://api.soundcloud.com/tracks/${req.query.track}`)');
    expect(after.get('server/routes/queue.js')?.markers).toBe(0);
    expect(after.get('server/lib/soundcloud-client.js')?.status).toBe('changed');
  },
  'url-helper-entry': (after) => {
    // the helper is the package's entry (package.json main): calls from outside the project are unseen, so nothing changes
    expect(after.get('lib/get.js')?.status).toBe('unchanged');
    expect(after.get('lib/tracks.js')?.markers).toBe(1);
    expect(after.get('lib/tracks.js')?.after).toContain('?client_id=');
  },
  'url-helper-refused': (after) => {
    // a helper also called with an api-v2 URL, or by a test with a URL of another host, keeps its request; every client_id caller keeps its marker
    expect(after.get('util/http.js')?.status).toBe('unchanged');
    expect(after.get('util/json.js')?.status).toBe('unchanged');
    expect(after.get('lib/feeds.js')?.after).toContain("'https://api.soundcloud.com/tracks/' + id + '?client_id=' + this.clientId");
    expect(after.get('lib/feeds.js')?.after).toContain("'https://api.soundcloud.com/users/' + id + '?client_id=' + this.clientId");
    expect(after.get('lib/feeds.js')?.markers).toBe(3);
  },
  'wrapper-signature': (after) => {
    // the wrapper in another file changed, and so did its callers in two more files
    expect(after.get('src/lib/api.js')?.status).toBe('changed');
    expect(after.get('src/lib/api.js')?.after).toContain('authorization');
    expect(after.get('src/actions/session.js')?.markers).toBe(0);
    expect(after.get('src/actions/tracks.ts')?.after).not.toContain('oauth_token');
    // a wrapper handed to .map() keeps its signature; its call keeps a marker
    expect(after.get('src/lib/http.js')?.status).toBe('unchanged');
    expect(after.get('src/actions/lists.js')?.after).toContain('sc-migrate(no-query-oauth-token)');
  },
  'xhr-helpers': (after) => {
    // XMLHttpRequest helpers imported as './http' from Http.js: the helpers that carry a token hand
    // the parameter on to the one function that opens the request, which sets the header after open()
    const http = after.get('src/net/Http.js')!.after;
    expect(http).toContain("xhr.open(method, url, true);\n  if (authorization) xhr.setRequestHeader('Authorization', authorization);");
    for (const helper of ['fetchJson(url, done, authorization)', 'update(url, done, authorization)', 'remove(url, done, authorization)', 'send(method, url, form, done, authorization)']) expect(http).toContain(helper);
    expect(http).toContain('submit(url, form, done) {'); // no token call: unchanged
    const client = after.get('src/api/client.js')!;
    // a params object handed to the URL builder, a URL in a variable sent by two calls, a URL
    // returned by a local builder, a parameter reassigned before its request: every call passes the header
    expect(client.after).toContain("queryString('/me/tracks', { linked_partitioning: 1 })");
    // the builder checks the keys against its own list per route (routes.js): the key leaves the list too
    expect(after.get('src/api/routes.js')!.after).toContain("keys: ['limit']");
    expect(after.get('src/api/routes.js')!.after).toContain('keys: []');
    expect(client.after).toContain("http.fetchJson(API + routeUrl('profile', {}), done, 'OAuth ' + session.token());");
    // a URL that is also kept elsewhere (recent.push(path)) keeps its token and its marker, and so
    // do two calls of one route whose key list they share (reposts)
    expect(client.after.match(/oauth_token/g)).toHaveLength(3);
    expect(after.get('src/api/routes.js')!.after).toContain("keys: ['oauth_token', 'since']");
    // client_id alone to api.soundcloud.com, in a module whose one user token is session.token():
    // that token instead; the api-v2 call keeps client_id and its marker
    expect(client.after).toContain("queryString('/users/' + id, {});\n  http.fetchJson(API + path, done, 'OAuth ' + session.token());");
    expect(client.after.match(/'OAuth ' \+ session\.token\(\)/g)).toHaveLength(7);
    expect(client.after.match(/client_id: /g)).toHaveLength(1);
    expect(client.markers).toBe(4); // the token kept in `recent`, the two reposts calls, and one for the api-v2 base and its client_id call (one root cause)
  },
  'token-url-builder': (after) => {
    // the builders lose the token; the module reads it for the header; every request sends it
    const urls = after.get('src/lib/urls.js')!.after;
    expect(urls).not.toContain('oauth_token');
    expect(urls).toContain("export function authHeaders() {\n  const token = store.get('sc_token');");
    expect(after.get('src/api/tracks.js')?.after).toContain("fetch(url, { headers: authHeaders() })");
    expect(after.get('src/api/tracks.js')?.after).toContain("import { pageUrl, signedUrl, authHeaders } from '../lib/urls';");
    expect(after.get('src/api/me.ts')?.after).toContain('headers: { ...authHeaders(), Accept');
    // a builder whose URL goes to an <audio> element (no header possible) keeps its marker, and its module is not touched otherwise
    expect(after.get('src/lib/links.js')?.markers).toBe(1);
    expect(after.get('src/ui/player.js')?.status).toBe('unchanged');
  },
  'client-id-builder': (after) => {
    // the builder loses the client_id; its module asks the browser module for an app token with that id
    const api = after.get('src/services/api.js')!.after;
    expect(api).toContain('return `//api.soundcloud.com/${path}`;');
    expect(api).toContain('export function soundcloudAppToken() {\n  return soundcloudAccessToken(CLIENT_ID);\n}');
    expect(after.get('src/services/soundcloud-browser-client.js')?.status).toBe('changed');
    // each request of another file that fetches its URL waits for the token: an await, a chain's head, an executor's chain
    const search = after.get('src/actions/search.js')!.after;
    expect(search).toContain("{ headers: { Authorization: 'OAuth ' + (await soundcloudAppToken()) } }");
    expect(search).toContain("soundcloudAppToken().then((token) => fetch(publicApiUrl(`users/${id}`, '?'), { headers: { Authorization: 'OAuth ' + token }, method: 'GET' })).then((r) => r.json()).then(resolve, reject);");
    expect(after.get('src/actions/browse.js')?.after).toContain("return soundcloudAppToken().then((token) => fetch(url, { headers: { Authorization: 'OAuth ' + token } }))");
    // a builder whose URL goes to an <audio> element (no await there): the backend's stream route, built at once
    expect(after.get('src/services/stream.js')?.after).toContain('export const streamUrl = (trackId) => soundcloudStreamSrc(`https://api.soundcloud.com/tracks/${trackId}/stream`);');
    expect(after.get('src/components/Player.jsx')?.status).toBe('unchanged');
    expect(after.get('src/constants/auth.js')?.status).toBe('unchanged');
  },
  'client-id-builder-server': (after) => {
    // server code: the `c ? '?' : '&'` separator goes with the client_id; the token comes from the server module (the app's env name kept)
    const lib = after.get('lib/soundcloud.js')!.after;
    expect(lib).toContain('export const scUrl = (path) => `${API}${path}`;');
    expect(lib).toContain("import { soundcloudAccessToken } from './soundcloud-client.js';");
    expect(after.get('lib/soundcloud-client.js')?.after).toContain('clientId: process.env.SC_CLIENT_ID');
    const routes = after.get('routes/tracks.js')!.after;
    expect(routes).toContain("import { scUrl, soundcloudAppToken } from '../lib/soundcloud.js';");
    // a route handler's chain that ends its function waits for the token (a failed token request reaches .catch(next))
    expect(routes).toContain("soundcloudAppToken().then((token) => axios.get(scUrl(`/tracks/${req.params.id}`), { headers: { Authorization: 'OAuth ' + token } }))\n    .then(");
    expect(routes).not.toContain('client_id');
  },
  'token-builder-fallback': (after) => {
    // builders that send the user's token when there is one and the app's client_id otherwise (an
    // `else` of their own, or another builder of the module as the fallback): neither stays in the URL
    const links = after.get('src/net/links.js')!.after;
    expect(links).not.toMatch(/client_id|oauth_token/);
    expect(links).toContain('export function soundcloudAppToken() {\n  return soundcloudAccessToken(SC_KEY);\n}');
    expect(links).toContain('export async function authHeaders() {\n  const token = session.token();\n  return { Authorization: `OAuth ${token || (await soundcloudAppToken())}` };\n}');
    expect(after.get('src/net/soundcloud-browser-client.js')?.status).toBe('changed');
    // their requests wait for the headers: a chain's head, a statement ending its thunk, an await merged into other headers
    const likes = after.get('src/store/likes.js')!.after;
    expect(likes).toContain('return authHeaders().then((headers) => fetch(link, { headers }))');
    expect(likes).toContain("authHeaders().then((headers) => fetch(userLink(`me/favorites/${track.id}`, '?'), { headers, method:");
    expect(likes).toContain("{ headers: { ...(await authHeaders()), Accept: 'application/json' } }");
    // the client_id builder's own request (`next || first`, the next page the API linked) sends the app token
    expect(after.get('src/store/charts.js')!.after).toContain("return soundcloudAppToken().then((token) => fetch(link, { headers: { Authorization: 'OAuth ' + token } }))");
    for (const [rel, r] of after) expect(r.markers, rel).toBe(0);
  },
  'thunk-chain': (after) => {
    // the URL goes through two thunk creators to a pass-through wrapper: each hands `authorization` on
    expect(after.get('src/actions/session.js')?.after).toContain("loadFeedIfNeeded('stream', `${ME}/activities?limit=25`, `OAuth ${token}`)");
    expect(after.get('src/actions/feed.js')?.after).toContain('dispatch(loadFeed(key, url, authorization));');
    expect(after.get('src/actions/feed.js')?.after).toContain('await request(url, authorization ? { headers: { Authorization: authorization } } : undefined);');
    // connect(mapState, { loadFeedIfNeeded }) keeps the name and every call passes two arguments: no edit there
    expect(after.get('src/containers/Feed.jsx')?.status).toBe('unchanged');
    expect(after.get('src/components/FeedList.jsx')?.status).toBe('unchanged');
    // a creator handed on in an array (callers unknown) keeps its signature; its call keeps the marker
    expect(after.get('src/actions/likes.js')?.status).toBe('unchanged');
    expect(after.get('src/actions/boot.js')?.markers).toBe(1);
  },
};

for (const c of crossCases()) {
  describe(`cross-file/${c.name}`, () => {
    it('fixes the project into output/, and refuses what is unsafe', async () => {
      const after = await fixProject(c.input);
      const expected = projectFiles(c.output);
      expect([...after.keys()].sort()).toEqual(expected.map((f) => f.path.slice(c.output.length + 1).split('\\').join('/')).sort());
      for (const [rel, r] of after) expect(r.after, rel).toBe(readFileSync(join(c.output, rel), 'utf8'));
      expect(caseChecks[c.name], `no checks for cross-file/${c.name}`).toBeDefined();
      caseChecks[c.name]!(after);
    });
    it('output parses, and a second run changes nothing', async () => {
      for (const f of projectFiles(c.output)) if (/\.[jt]sx?$/.test(f.path)) expect(() => parseFile(f.text, f.path)).not.toThrow();
      const again = await fixProject(c.output);
      for (const [rel, r] of again) expect(r.status, rel).not.toBe('changed');
    });
    it('keeps every line outside the edits', async () => {
      for (const f of projectFiles(c.input)) {
        const out = readFileSync(join(c.output, f.path.slice(c.input.length + 1)), 'utf8');
        const kept = f.text.split('\n').filter((l) => out.includes(l));
        // (a file of up to three lines, all of its code edited, has nothing outside the edits to keep)
        if (f.text.trim().split('\n').length <= 3) continue;
        expect(kept.length).toBeGreaterThan(f.text.split('\n').length / 2);
      }
    });
  });
}
