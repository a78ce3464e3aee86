/**
 * Rewrites of request-library calls seen on real code (issue 11): the fixed code is run with a
 * stub `request` and a stub client module, so the test shows where the token goes and that a
 * failed token request rejects like a failed request would. No network, no server.
 */
import { describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { allRules } from '../../rules/index.js';
import { fixText } from '../../src/fix/apply.js';

interface Sent { url: string; opts: { headers?: Record<string, string>; [k: string]: unknown } }

/** Runs CommonJS `code` with `request` and `./soundcloud-client.js` stubbed; returns its exports and the requests it sent. */
function run(code: string, token: () => Promise<string> = async () => 'app-token') {
  const sent: Sent[] = [];
  const reply = (url: string, opts: Sent['opts']) => { sent.push({ url, opts }); return JSON.stringify({ url }); };
  const request = Object.assign(
    (url: string | Sent['opts'], opts: Sent['opts'] | ((...a: unknown[]) => void), cb?: (...a: unknown[]) => void) => {
      if (typeof url === 'object') { const { url: u, ...o } = url as { url: string }; return (opts as (...a: unknown[]) => void)(null, { statusCode: 200 }, reply(u, o)); }
      if (typeof opts === 'function') return opts(null, { statusCode: 200 }, reply(url, {}));
      return cb!(null, { statusCode: 200 }, reply(url, opts));
    },
    {
      get: (o: Sent['opts'] & { url: string }, cb: (...a: unknown[]) => void) => { const { url, ...rest } = o; cb(null, { statusCode: 200 }, reply(url, rest)); },
      getAsync: async (url: string, opts: Sent['opts']) => [{ statusCode: 200 }, reply(url, opts)],
    },
  );
  const modules: Record<string, unknown> = { request, bluebird: Promise, './soundcloud-client.js': { soundcloudAccessToken: token } };
  const module = { exports: {} as Record<string, (...a: unknown[]) => unknown> };
  new Function('require', 'module', 'exports', code)((m: string) => { if (!(m in modules)) throw new Error(`unexpected require ${m}`); return modules[m]; }, module, module.exports);
  return { exports: module.exports, sent };
}

const fix = (text: string) => fixText(text, { filename: '/srv/app/lib/soundcloud.js', rules: allRules });

describe('client_id in a Promise executor (callback-style request)', () => {
  const input = `const request = require('request');

function resolve(link, key) {
  return new Promise((resolve, reject) => {
    request(
      'https://api.soundcloud.com/resolve?url=' + encodeURIComponent(link) + '&client_id=' + key,
      (err, res, body) => {
        if (err) return reject(err);
        resolve(JSON.parse(body));
      }
    );
  });
}

module.exports = { resolve };
`;

  it('waits for the app token, sends it in the header and no client_id; a failed token request rejects', async () => {
    const r = fix(input);
    expect(r.status).toBe('changed');
    expect(r.text).toContain("soundcloudAccessToken().then((token) => request(");
    expect(r.text).toContain('), reject);');
    expect(r.text).not.toMatch(/client_id/);
    expect(r.remaining.filter((f) => f.ruleId === 'no-client-id-auth')).toEqual([]);
    const ok = run(r.text);
    await expect(ok.exports.resolve!('https://soundcloud.com/a/b', 'k')).resolves.toEqual({ url: 'https://api.soundcloud.com/resolve?url=https%3A%2F%2Fsoundcloud.com%2Fa%2Fb' });
    expect(ok.sent[0]!.opts.headers).toEqual({ Authorization: 'OAuth app-token' });
    const failed = run(r.text, async () => { throw new Error('invalid_client'); });
    await expect(failed.exports.resolve!('https://soundcloud.com/a/b', 'k')).rejects.toThrow('invalid_client');
    expect(failed.sent).toEqual([]);
    expect(fix(r.text).status).toBe('unchanged');
  });

  it('an options object declared before the request in the executor: the call sends a copy with the header (the token is in scope there)', async () => {
    const local = "const request = require('request');\n\nfunction track(id, key) {\n  return new Promise((resolve, reject) => {\n    const options = { url: 'https://api.soundcloud.com/tracks/' + id + '?client_id=' + key, json: true };\n    request.get(options, (err, res, body) => (err ? reject(err) : resolve(body)));\n  });\n}\n\nmodule.exports = { track };\n";
    const r = fix(local);
    expect(r.text).toContain("const options = { url: 'https://api.soundcloud.com/tracks/' + id, json: true };");
    expect(r.text).toContain("soundcloudAccessToken().then((token) => request.get({ ...options, headers: { Authorization: 'OAuth ' + token } }, ");
    const { exports, sent } = run(r.text);
    await expect(exports.track!(7, 'k')).resolves.toBe(JSON.stringify({ url: 'https://api.soundcloud.com/tracks/7' }));
    expect(sent[0]!.opts).toEqual({ json: true, headers: { Authorization: 'OAuth app-token' } });
  });

  it('a request in an if/else branch of the executor waits too; the other branch is untouched', async () => {
    const nested = "const request = require('request');\n\nfunction resolveUrl(link, key) {\n  return new Promise((resolve, reject) => {\n    if (!key) {\n      reject(new Error('no key'));\n    } else if (link) {\n      request('https://api.soundcloud.com/resolve?url=' + link + '&client_id=' + key, (err, res, body) => (err ? reject(err) : resolve(body)));\n    } else {\n      throw new Error('no link');\n    }\n  });\n}\n\nmodule.exports = { resolveUrl };\n";
    const r = fix(nested);
    expect(r.text).toContain("      soundcloudAccessToken().then((token) => request('https://api.soundcloud.com/resolve?url=' + link, { headers: { Authorization: 'OAuth ' + token } }, ");
    expect(r.text).toContain("    if (!key) {\n      reject(new Error('no key'));\n    } else if (link) {\n");
    expect(r.text).toContain('(err ? reject(err) : resolve(body))), reject);');
    const { exports, sent } = run(r.text);
    await expect(exports.resolveUrl!('x', 'k')).resolves.toBe(JSON.stringify({ url: 'https://api.soundcloud.com/resolve?url=x' }));
    expect(sent[0]!.opts.headers).toEqual({ Authorization: 'OAuth app-token' });
  });

  it('a name `token` already used in the executor is not shadowed', () => {
    const r = fix(input.replace('(err, res, body) =>', '(err, res, token) =>').replace('JSON.parse(body)', 'JSON.parse(token)'));
    expect(r.text).toContain('soundcloudAccessToken().then((scToken) => request(');
    expect(r.text).toContain("Authorization: 'OAuth ' + scToken");
  });
});

describe('client_id of a callback-style request in a plain function', () => {
  const plain = "const request = require('request');\n\nfunction track(id, key, cb) {\n  request('https://api.soundcloud.com/tracks/' + id + '?client_id=' + key, (err, res, body) => cb(err, body));\n}\n\nmodule.exports = { track };\n";

  it('the request ending the function waits for the app token; a failed token request reaches the callback as its error', async () => {
    const r = fix(plain);
    expect(r.text).toContain('  const onResponse = (err, res, body) => cb(err, body);\n  soundcloudAccessToken().then((token) => request(');
    expect(r.text).toContain('onResponse), onResponse);');
    expect(r.text).not.toMatch(/client_id|sc-migrate\(/);
    const ok = run(r.text);
    const body = await new Promise((done) => ok.exports.track!(7, 'k', (err: unknown, b: unknown) => done(err ?? b)));
    expect(body).toBe(JSON.stringify({ url: 'https://api.soundcloud.com/tracks/7' }));
    expect(ok.sent[0]!.opts.headers).toEqual({ Authorization: 'OAuth app-token' });
    const failed = run(r.text, async () => { throw new Error('invalid_client'); });
    const err = await new Promise((done) => failed.exports.track!(7, 'k', (e: unknown) => done(e)));
    expect(String(err)).toContain('invalid_client');
    expect(failed.sent).toEqual([]);
    expect(fix(r.text).status).toBe('unchanged');
  });

  it('a callback given by name is used as it is; options declared before the call are sent as a copy with the header', async () => {
    const named = "var request = require('request'); // HTTP client\n\nfunction song(id, key, done) {\n  var options = {\n    url: `https://api.soundcloud.com/tracks/${id}?client_id=${key}`,\n    json: true\n  };\n  request.get(options, done);\n}\n\nmodule.exports = { song };\n";
    const r = fix(named);
    expect(r.text).toContain('soundcloudAccessToken().then((token) => request.get({ ...options, headers: { Authorization: `OAuth ${token}` } }, done), done);');
    // the import goes after the require's trailing comment, which stays on its line
    // (an ES5 file, var only: its own way of requiring)
    expect(r.text).toContain("var request = require('request'); // HTTP client\nvar soundcloudAccessToken = require('./soundcloud-client.js').soundcloudAccessToken;");
    const { exports, sent } = run(r.text);
    await new Promise((done) => exports.song!(3, 'k', done));
    expect(sent).toEqual([{ url: 'https://api.soundcloud.com/tracks/3', opts: { json: true, headers: { Authorization: 'OAuth app-token' } } }]);
  });

  it('request(url, handler) with a function of the file as its callback: the header goes between the URL and the callback', async () => {
    const byName = "const request = require('request');\nconst seen = [];\n\nfunction remember(err, res, body) {\n  seen.push(err ? String(err) : body);\n}\nconst log = (err, res, body) => seen.push(err ? String(err) : body);\n\nfunction track(id, key) {\n  request('https://api.soundcloud.com/tracks/' + id + '?client_id=' + key, remember);\n}\n\nfunction user(id, key) {\n  request('https://api.soundcloud.com/users/' + id + '?client_id=' + key, log);\n}\n\nmodule.exports = { track, user, seen };\n";
    const r = fix(byName);
    expect(r.text).toContain("soundcloudAccessToken().then((token) => request('https://api.soundcloud.com/tracks/' + id, { headers: { Authorization: 'OAuth ' + token } }, remember), remember);");
    expect(r.text).toContain("soundcloudAccessToken().then((token) => request('https://api.soundcloud.com/users/' + id, { headers: { Authorization: 'OAuth ' + token } }, log), log);");
    expect(r.text).not.toMatch(/client_id|sc-migrate\(/);
    const { exports, sent } = run(r.text);
    exports.track!(7, 'k');
    exports.user!(8, 'k');
    await new Promise((done) => setTimeout(done, 0));
    expect(sent).toEqual([
      { url: 'https://api.soundcloud.com/tracks/7', opts: { headers: { Authorization: 'OAuth app-token' } } },
      { url: 'https://api.soundcloud.com/users/8', opts: { headers: { Authorization: 'OAuth app-token' } } },
    ]);
    expect(fix(r.text).status).toBe('unchanged');
    // a parameter after the URL may be the options, not a callback; a function reading `this` is no rejection handler
    const param = "const request = require('request');\n\nfunction track(id, key, opts) {\n  request('https://api.soundcloud.com/tracks/' + id + '?client_id=' + key, opts);\n}\n\nmodule.exports = { track };\n";
    const usesThis = byName.replace('seen.push(err ? String(err) : body);\n}', 'seen.push(this.uri);\n}');
    for (const text of [param, usesThis]) {
      const kept = fix(text);
      expect(kept.text).toContain("'?client_id=' + key");
      expect(kept.text).toMatch(/sc-migrate\(no-client-id-auth\)/);
    }
  });

  it('a request followed by more statements (or in a loop), or a callback reading `this`, keeps its marker', () => {
    const notLast = plain.replace("(err, res, body) => cb(err, body));\n", "(err, res, body) => cb(err, body));\n  key = null;\n");
    const loop = "const request = require('request');\n\nfunction tracks(ids, key, cb) {\n  for (var i = 0; i < ids.length; i++) request('https://api.soundcloud.com/tracks/' + ids[i] + '?client_id=' + key, cb);\n}\n\nmodule.exports = { tracks };\n";
    const usesThis = plain.replace('(err, res, body) => cb(err, body)', 'function (err, res, body) { cb(err, this.uri && body); }');
    for (const text of [notLast, loop, usesThis]) {
      const r = fix(text);
      expect(r.text).toContain("'?client_id=' + key");
      expect(r.text).toMatch(/sc-migrate\(no-client-id-auth\)/);
    }
    // TypeScript: an inline callback without parameter types would lose the types the call gives it
    const ts = fixText(plain, { filename: '/srv/app/lib/soundcloud.ts', rules: allRules });
    expect(ts.text).toContain("'?client_id=' + key");
  });
});

describe('client_id in a module of a UI project that nothing marks as server code', () => {
  it('a Nuxt app with an Express dependency: utils/ imported by pages gets no app credentials, only the marker', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sc-nuxt-'));
    try {
      writeFileSync(join(dir, 'package.json'), JSON.stringify({ dependencies: { nuxt: '^2.0.0', vue: '^2.6.0', express: '^4.16.0', axios: '^0.19.0' } }));
      mkdirSync(join(dir, 'utils'));
      const text = "import axios from 'axios';\n\nexport default (path, query) => new Promise((resolve, reject) => {\n  axios.get(`https://api.soundcloud.com/${path}?client_id=${process.env.SC_ID}&${query}`).then((res) => resolve(res.data));\n});\n";
      const r = fixText(text, { filename: join(dir, 'utils', 'api.js'), rules: allRules });
      expect(r.text).not.toContain('soundcloudAccessToken');
      expect(r.text).toContain('client_id=${process.env.SC_ID}');
      expect(r.text).toMatch(/sc-migrate\(no-client-id-auth\)/);
      // the same module in a project without a UI framework is server code: rewritten
      writeFileSync(join(dir, 'package.json'), JSON.stringify({ dependencies: { express: '^4.16.0', axios: '^0.19.0' } }));
      const server = fixText(text, { filename: join(dir, 'utils', 'api.js'), rules: allRules });
      expect(server.text).toContain('soundcloudAccessToken().then((token) => axios.get(');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('the user token of request-family calls', () => {
  it('a URL variable read only by request.getAsync (and a debug log): header at the call, `&format` keeps its place', async () => {
    const input = `var Promise = require('bluebird');
var request = require('request');

function playlists(opts) {
  var uri = 'https://api.soundcloud.com/me/playlists?oauth_token=' + opts.token + '&format=json';
  if (opts.debug) console.log('GET', uri);
  return request.getAsync(uri, {timeout: 5000}).then(function (r) { return JSON.parse(r[1]); });
}

module.exports = { playlists };
`;
    const r = fix(input);
    expect(r.text).toContain("var uri = 'https://api.soundcloud.com/me/playlists?format=json';");
    expect(r.text).toContain("request.getAsync(uri, {headers: {Authorization: 'OAuth ' + opts.token}, timeout: 5000})");
    const { exports, sent } = run(r.text);
    await exports.playlists!({ token: 'user-token' });
    expect(sent).toEqual([{ url: 'https://api.soundcloud.com/me/playlists?format=json', opts: { headers: { Authorization: 'OAuth user-token' }, timeout: 5000 } }]);
    expect(fix(r.text).status).toBe('unchanged');
  });

  it('a URL variable that is reassigned or read elsewhere keeps its marker', () => {
    const reassigned = "var request = require('request');\n\nfunction me(t, more) {\n  var uri = 'https://api.soundcloud.com/me?oauth_token=' + t;\n  if (more) uri += '&limit=200';\n  return request.getAsync(uri, { timeout: 5000 });\n}\n\nmodule.exports = { me };\n";
    const shared = "var request = require('request');\n\nfunction me(t, cache) {\n  var uri = 'https://api.soundcloud.com/me?oauth_token=' + t;\n  cache.set(uri, true);\n  return request.getAsync(uri, { timeout: 5000 });\n}\n\nmodule.exports = { me };\n";
    for (const text of [reassigned, shared]) {
      const r = fix(text);
      expect(r.text).toContain("me?oauth_token=' + t");
      expect(r.text).toMatch(/sc-migrate\(no-query-oauth-token\)/);
    }
  });

  it('an options object declared before request.get(options, cb) takes the header; one shared by two requests does not', async () => {
    const input = `var request = require('request');

function me(token, done) {
  var options = {
    url: 'https://api.soundcloud.com/me?oauth_token=' + token,
    json: true
  };
  request.get(options, function (err, res, body) {
    done(err, body);
  });
}

function twice(token, done) {
  var options = { url: 'https://api.soundcloud.com/me/followings?oauth_token=' + token };
  request.get(options, done);
  request.get(options, done);
}

module.exports = { me, twice };
`;
    const r = fix(input);
    expect(r.text).toContain("    headers: { Authorization: 'OAuth ' + token },\n    url: 'https://api.soundcloud.com/me',\n");
    expect(r.text).toContain("var options = { url: 'https://api.soundcloud.com/me/followings?oauth_token=' + token };");
    const { exports, sent } = run(r.text);
    await new Promise((done) => exports.me!('user-token', done));
    expect(sent).toEqual([{ url: 'https://api.soundcloud.com/me', opts: { headers: { Authorization: 'OAuth user-token' }, json: true } }]);
  });

  it('request(url, callback): the options go between the URL and the callback', async () => {
    const input = "const request = require('request');\n\nexports.me = (token, cb) => request('https://api.soundcloud.com/me?oauth_token=' + token, (err, res, body) => cb(err, body));\n";
    const r = fix(input);
    expect(r.text).toContain("request('https://api.soundcloud.com/me', { headers: { Authorization: 'OAuth ' + token } }, (err, res, body) =>");
    const { exports, sent } = run(r.text);
    await new Promise((done) => exports.me!('user-token', done));
    expect(sent[0]).toEqual({ url: 'https://api.soundcloud.com/me', opts: { headers: { Authorization: 'OAuth user-token' } } });
  });
});

describe('request(url, x) where x is a parameter: options or callback (src/fix/callbacks.ts)', () => {
  it('a parameter the function calls itself is a callback: the header goes between the URL and it', async () => {
    const input = `const request = require('request');

exports.me = function (token, cb) {
  if (!token) return cb(new Error('no token'));
  request('https://api.soundcloud.com/me?oauth_token=' + token, cb);
};
`;
    const r = fix(input);
    expect(r.text).toContain("request('https://api.soundcloud.com/me', { headers: { Authorization: 'OAuth ' + token } }, cb);");
    const { exports, sent } = run(r.text);
    const body = await new Promise((done) => exports.me!('user-token', (_e: unknown, _res: unknown, b: unknown) => done(b)));
    expect(JSON.parse(body as string)).toEqual({ url: 'https://api.soundcloud.com/me' });
    expect(sent).toEqual([{ url: 'https://api.soundcloud.com/me', opts: { headers: { Authorization: 'OAuth user-token' } } }]);
  });

  it('a parameter every call of the function fills with a function is a callback; one filled with an object is not', () => {
    const input = `const request = require('request');

function likes(token, done) {
  request('https://api.soundcloud.com/me/favorites?oauth_token=' + token, done);
}

function other(token, x) {
  request('https://api.soundcloud.com/me/followings?oauth_token=' + token, x);
}

module.exports = (token, next) => {
  likes(token, (err, res, body) => next(err, body));
  other(token, { json: true });
};
`;
    const r = fix(input);
    expect(r.text).toContain("request('https://api.soundcloud.com/me/favorites', { headers: { Authorization: 'OAuth ' + token } }, done);");
    expect(r.text).toContain("request('https://api.soundcloud.com/me/followings?oauth_token=' + token, x);");
    expect(r.remaining.map((f) => f.line)).toEqual([9]);
  });

  it('an exported function whose parameter it never calls: its callers are unknown, marker', () => {
    const input = "const request = require('request');\n\nfunction me(token, x) {\n  request('https://api.soundcloud.com/me?oauth_token=' + token, x);\n}\n\nmodule.exports = { me };\n";
    const r = fix(input);
    expect(r.text).toContain("request('https://api.soundcloud.com/me?oauth_token=' + token, x);");
    expect(r.remaining.map((f) => f.ruleId)).toEqual(['no-query-oauth-token']);
  });

  it('client_id: the request waits for the app token and a failed token request reaches the callback parameter', async () => {
    const input = `const request = require('request');

function search(q, callback) {
  if (!q) return callback(new Error('no query'));
  request('https://api.soundcloud.com/tracks?client_id=' + process.env.SC_CLIENT_ID + '&q=' + q, callback);
}

module.exports = { search };
`;
    const r = fix(input);
    expect(r.text).toContain("soundcloudAccessToken().then((token) => request('https://api.soundcloud.com/tracks?q=' + q, { headers: { Authorization: 'OAuth ' + token } }, callback), callback);");
    const { exports, sent } = run(r.text);
    await new Promise((done) => exports.search!('bach', done));
    expect(sent).toEqual([{ url: 'https://api.soundcloud.com/tracks?q=bach', opts: { headers: { Authorization: 'OAuth app-token' } } }]);
    const failed = run(r.text, async () => { throw new Error('token endpoint down'); });
    const err = await new Promise((done) => failed.exports.search!('bach', done));
    expect((err as Error).message).toBe('token endpoint down');
    expect(failed.sent).toEqual([]);
  });
});

describe("Node's https.get(url, callback)", () => {
  /** Runs CommonJS `code` with `https` stubbed: a stream URL answers 302 to a CDN, anything else 200 with its URL. */
  function runHttps(code: string, token: () => Promise<string> = async () => 'app-token') {
    const sent: { url: string; headers: Record<string, string> }[] = [];
    const get = (url: string, opts: unknown, cb?: unknown) => {
      const [o, done] = typeof opts === 'function' ? [{}, opts] : [opts as { headers?: Record<string, string> }, cb];
      sent.push({ url, headers: (o as { headers?: Record<string, string> }).headers ?? {} });
      const handlers: Record<string, (x?: unknown) => void> = {};
      const res = { statusCode: /\/stream$/.test(url) ? 302 : 200, headers: { location: 'https://cdn.example/audio.mp3' }, on: (ev: string, f: (x?: unknown) => void) => { handlers[ev] = f; return res; } };
      setImmediate(() => { (done as (r: unknown) => void)(res); handlers.data?.(JSON.stringify({ url })); handlers.end?.(); });
      return { on: () => undefined };
    };
    const modules: Record<string, unknown> = { https: { get }, './soundcloud-client.js': { soundcloudAccessToken: token } };
    const module = { exports: {} as Record<string, (...a: unknown[]) => Promise<unknown>> };
    new Function('require', 'module', 'exports', code)((m: string) => modules[m], module, module.exports);
    return { exports: module.exports, sent };
  }
  // the pair's input (fixtures/transforms/no-client-id-auth/node-https), run after the fix
  const input = readFileSync(join(process.cwd(), 'fixtures/transforms/no-client-id-auth/node-https.input.js'), 'utf8');

  it('the user token and the app token go in the header; the CDN redirect gets none', async () => {
    const r = fix(input);
    expect(r.status).toBe('changed');
    expect(r.remaining).toEqual([]);
    const { exports, sent } = runHttps(r.text);
    expect(await exports.getMe!('user-token')).toEqual({ url: 'https://api.soundcloud.com/me' });
    await exports.openStream!(42);
    expect(sent).toEqual([
      { url: 'https://api.soundcloud.com/me', headers: { Authorization: 'OAuth user-token' } },
      { url: 'https://api.soundcloud.com/tracks/42/stream', headers: { Authorization: 'OAuth app-token' } },
      { url: 'https://cdn.example/audio.mp3', headers: {} },
    ]);
  });

  it('a failed token request rejects the promise, and nothing is sent', async () => {
    const { exports, sent } = runHttps(fix(input).text, async () => { throw new Error('token endpoint down'); });
    await expect(exports.openStream!(42)).rejects.toThrow('token endpoint down');
    expect(sent).toEqual([]);
  });
});
