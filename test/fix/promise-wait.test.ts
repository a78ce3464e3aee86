/**
 * no-client-id-auth, a fetch/axios request that a plain function returns (or an arrow function's
 * body is): it waits for the app token in the chain it heads (src/fix/waits.ts). The fixed code
 * is run with stubbed fetch and axios and a stub client module.
 */
import { describe, expect, it } from 'vitest';
import { allRules } from '../../rules/index.js';
import { fixText } from '../../src/fix/apply.js';

const fix = (text: string) => fixText(text, { filename: '/srv/app/lib/soundcloud.js', rules: allRules });

function run(code: string, token: () => Promise<string> = async () => 'app-token') {
  const sent: { url: string; headers: Record<string, string>; params?: unknown }[] = [];
  const fetch = async (url: string, init: { headers?: Record<string, string> } = {}) => { sent.push({ url, headers: init.headers ?? {} }); return { json: async () => ({ from: url }) }; };
  const axios = { get: async (url: string, cfg: { headers?: Record<string, string>; params?: unknown } = {}) => { sent.push({ url, headers: cfg.headers ?? {}, ...(cfg.params ? { params: cfg.params } : {}) }); return { data: { from: url } }; } };
  const modules: Record<string, unknown> = { 'node-fetch': fetch, axios, './soundcloud-client.js': { soundcloudAccessToken: token } };
  const module = { exports: {} as Record<string, (...a: unknown[]) => Promise<unknown>> };
  new Function('require', 'module', 'exports', 'process', code)((m: string) => modules[m], module, module.exports, { env: { SC_CLIENT_ID: 'id-1' } });
  return { exports: module.exports, sent };
}

const input = `const axios = require('axios');
const fetch = require('node-fetch');
const CLIENT_ID = process.env.SC_CLIENT_ID;

function searchTracks(q) {
  return fetch('https://api.soundcloud.com/tracks?client_id=' + CLIENT_ID + '&q=' + q).then((res) => res.json());
}

const getUser = (id) => axios.get('https://api.soundcloud.com/users/' + id, { params: { client_id: CLIENT_ID, limit: 5 } });

module.exports = { searchTracks, getUser };
`;

describe('a returned fetch/axios chain waits for the app token', () => {
  it('sends the app token in the header and returns the same value', async () => {
    const r = fix(input);
    expect(r.status).toBe('changed');
    expect(r.remaining).toEqual([]);
    const { exports, sent } = run(r.text);
    expect(await exports.searchTracks!('bach')).toEqual({ from: 'https://api.soundcloud.com/tracks?q=bach' });
    expect(await exports.getUser!(7)).toEqual({ data: { from: 'https://api.soundcloud.com/users/7' } });
    expect(sent).toEqual([
      { url: 'https://api.soundcloud.com/tracks?q=bach', headers: { Authorization: 'OAuth app-token' } },
      { url: 'https://api.soundcloud.com/users/7', headers: { Authorization: 'OAuth app-token' }, params: { limit: 5 } },
    ]);
    expect(fix(r.text).text).toBe(r.text);
  });

  it('a failed token request rejects the returned promise and sends nothing', async () => {
    const { exports, sent } = run(fix(input).text, async () => { throw new Error('token endpoint down'); });
    await expect(exports.searchTracks!('bach')).rejects.toThrow('token endpoint down');
    await expect(exports.getUser!(7)).rejects.toThrow('token endpoint down');
    expect(sent).toEqual([]);
  });

  it('a chain that ends a plain function (a route handler): a failed token request goes down the same chain', async () => {
    const handler = `const axios = require('axios');

function search(req, res, next) {
  axios.get('https://api.soundcloud.com/tracks', { params: { client_id: process.env.SC_CLIENT_ID, q: req.q } })
    .then((r) => res.json(r.data))
    .catch(next);
}

module.exports = { search };
`;
    const r = fix(handler);
    expect(r.remaining).toEqual([]);
    const ok = run(r.text);
    const got = await new Promise((done) => ok.exports.search!({ q: 'bach' }, { json: done }, done));
    expect(got).toEqual({ from: 'https://api.soundcloud.com/tracks' });
    expect(ok.sent).toEqual([{ url: 'https://api.soundcloud.com/tracks', headers: { Authorization: 'OAuth app-token' }, params: { q: 'bach' } }]);
    const failed = run(r.text, async () => { throw new Error('token endpoint down'); });
    const err = await new Promise((done) => failed.exports.search!({ q: 'bach' }, { json: done }, done));
    expect((err as Error).message).toBe('token endpoint down');
    // followed by another statement: its arguments could change before it is sent, marker
    const after = fix(handler.replace('.catch(next);', '.catch(next);\n  req.q = null;'));
    expect(after.remaining.map((f) => f.ruleId)).toEqual(['no-client-id-auth']);
  });

  it("an async function's returned chain with its own failure handler: the token is waited for at the chain's head, its failure reaches the handler", async () => {
    const api = `const axios = require('axios');

class SoundcloudAPI {
  async searchTrack(q) {
    const params = { q, client_id: process.env.SC_CLIENT_ID };
    return axios.get('https://api.soundcloud.com/tracks', { params })
      .then((r) => r.data)
      .catch(() => []);
  }
}

module.exports = { searchTrack: (q) => new SoundcloudAPI().searchTrack(q) };
`;
    const r = fix(api);
    expect(r.remaining).toEqual([]);
    expect(r.text).toContain("return soundcloudAccessToken().then((token) => axios.get(");
    const ok = run(r.text);
    expect(await ok.exports.searchTrack!('bach')).toEqual({ from: 'https://api.soundcloud.com/tracks' });
    expect(ok.sent).toEqual([{ url: 'https://api.soundcloud.com/tracks', headers: { Authorization: 'OAuth app-token' }, params: { q: 'bach' } }]);
    // a failed token request: the chain's own fallback, as for a failed request (an await inside the request would throw past it)
    const failed = run(r.text, async () => { throw new Error('token endpoint down'); });
    expect(await failed.exports.searchTrack!('bach')).toEqual([]);
    expect(failed.sent).toEqual([]);
    expect(fix(r.text).text).toBe(r.text);
  });

  it('got and superagent return objects with methods of their own: marker', () => {
    const r = fix("const got = require('got');\n\nfunction search(q) {\n  return got('https://api.soundcloud.com/tracks?client_id=' + process.env.SC_ID + '&q=' + q);\n}\n\nmodule.exports = { search };\n");
    expect(r.remaining.map((f) => f.ruleId)).toEqual(['no-client-id-auth']);
    expect(r.text).not.toContain('soundcloudAccessToken');
  });
});
