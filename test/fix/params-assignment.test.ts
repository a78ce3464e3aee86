/**
 * no-query-oauth-token: a params object that gets the token by assignment (`if (t) params.oauth_token = t`)
 * and becomes the query of a request of the same function (src/fix/params.ts). The fixed code is
 * run with stubbed `fetch` and `querystring`: what it sends, with and without a token.
 */
import { describe, expect, it } from 'vitest';
import querystring from 'node:querystring';
import { allRules } from '../../rules/index.js';
import { fixText } from '../../src/fix/apply.js';

const fix = (text: string) => fixText(text, { filename: '/srv/app/lib/soundcloud.js', rules: allRules });

function run(code: string) {
  const sent: { url: string; headers: Record<string, string> }[] = [];
  const fetch = async (url: string, init: { headers?: Record<string, string> } = {}) => { sent.push({ url, headers: init.headers ?? {} }); return { json: async () => ({}) }; };
  const module = { exports: {} as Record<string, (...a: unknown[]) => Promise<unknown>> };
  const modules: Record<string, unknown> = { 'node-fetch': fetch, querystring };
  new Function('require', 'module', 'exports', code)((m: string) => modules[m], module, module.exports);
  return { exports: module.exports, sent };
}

const input = `const fetch = require('node-fetch');
const querystring = require('querystring');

async function get(path, token, query) {
  const params = Object.assign({ format: 'json' }, query);
  if (token) {
    params.oauth_token = token;
  } else {
    params.app = 'public';
  }
  const res = await fetch('https://api.soundcloud.com' + path + '?' + querystring.stringify(params));
  return res.json();
}

module.exports = { get };
`;

describe('params.oauth_token = t before the request', () => {
  it('the token goes in the header only when there is one; the other branch stays', async () => {
    const r = fix(input);
    expect(r.status).toBe('changed');
    expect(r.remaining).toEqual([]);
    expect(r.text).toContain('  if (!token) {\n    params.app = \'public\';\n  }\n');
    const { exports, sent } = run(r.text);
    await exports.get!('/me', 'user-token', { limit: 5 });
    await exports.get!('/tracks', undefined, { q: 'bach' });
    expect(sent).toEqual([
      { url: 'https://api.soundcloud.com/me?format=json&limit=5', headers: { Authorization: 'OAuth user-token' } },
      { url: 'https://api.soundcloud.com/tracks?format=json&q=bach&app=public', headers: {} },
    ]);
    expect(fix(r.text).text).toBe(r.text);
  });

  it('params handed to two requests, or a token computed by a call: marker', () => {
    const two = `const fetch = require('node-fetch');
const qs = require('querystring');

async function both(token) {
  const params = {};
  params.oauth_token = token;
  await fetch('https://api.soundcloud.com/me?' + qs.stringify(params));
  return fetch('https://api.soundcloud.com/me/tracks?' + qs.stringify(params));
}

async function called(session) {
  const params = {};
  params.oauth_token = session.getToken();
  return fetch('https://api.soundcloud.com/me?' + qs.stringify(params));
}

module.exports = { both, called };
`;
    const r = fix(two);
    expect(r.text).toContain('  params.oauth_token = token;\n');
    expect(r.text).toContain('  params.oauth_token = session.getToken();\n');
    expect(r.remaining.map((f) => f.ruleId)).toEqual(['no-query-oauth-token', 'no-query-oauth-token']);
  });
});

describe('params.client_id = ID before the request (server code, async function)', () => {
  it('the assignment goes and the request sends the app token', async () => {
    const input = `const fetch = require('node-fetch');
const querystring = require('querystring');

async function get(path, params = {}) {
  params.client_id = process.env.SC_CLIENT_ID;
  const res = await fetch('https://api.soundcloud.com' + path + '?' + querystring.stringify(params));
  return res.json();
}

module.exports = { get };
`;
    const r = fix(input);
    expect(r.remaining).toEqual([]);
    const sent: { url: string; headers: Record<string, string> }[] = [];
    const fetch = async (url: string, init: { headers?: Record<string, string> } = {}) => { sent.push({ url, headers: init.headers ?? {} }); return { json: async () => ({}) }; };
    const module = { exports: {} as Record<string, (...a: unknown[]) => Promise<unknown>> };
    const modules: Record<string, unknown> = { 'node-fetch': fetch, querystring, './soundcloud-client.js': { soundcloudAccessToken: async () => 'app-token' } };
    new Function('require', 'module', 'exports', 'process', r.text)((m: string) => modules[m], module, module.exports, { env: { SC_CLIENT_ID: 'id-1' } });
    await module.exports.get!('/tracks', { q: 'bach' });
    expect(sent).toEqual([{ url: 'https://api.soundcloud.com/tracks?q=bach', headers: { Authorization: 'OAuth app-token' } }]);
  });
});
