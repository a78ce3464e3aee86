/**
 * no-client-id-auth: `axios.create({ baseURL, params: { client_id } })` defaults become a request
 * interceptor that sets the app token (src/fix/instances.ts). The fixed code runs with a small
 * axios stand-in that applies defaults and runs request interceptors as axios does.
 */
import { describe, expect, it } from 'vitest';
import { allRules } from '../../rules/index.js';
import { fixText } from '../../src/fix/apply.js';

const fix = (text: string, filename = '/srv/app/lib/soundcloud.js') => fixText(text, { filename, rules: allRules });

type Cfg = { url?: string; params?: Record<string, unknown>; headers: Record<string, string> };
function run(code: string, token: () => Promise<string> = async () => 'app-token') {
  const sent: Cfg[] = [];
  const axios = {
    create(defaults: { baseURL: string; params?: Record<string, unknown> }) {
      const interceptors: ((c: Cfg) => Cfg | Promise<Cfg>)[] = [];
      return {
        interceptors: { request: { use: (f: (c: Cfg) => Cfg) => { interceptors.push(f); } } },
        async get(url: string, cfg: { params?: Record<string, unknown> } = {}) {
          let c: Cfg = { url: defaults.baseURL + url, params: { ...defaults.params, ...cfg.params }, headers: {} };
          for (const f of interceptors) c = await f(c);
          sent.push(c);
          return { data: { ok: true } };
        },
      };
    },
  };
  const modules: Record<string, unknown> = { axios, './soundcloud-client.js': { soundcloudAccessToken: token } };
  const module = { exports: {} as Record<string, (...a: unknown[]) => Promise<unknown>> };
  new Function('require', 'module', 'exports', 'process', code)((m: string) => modules[m], module, module.exports, { env: { SC_ID: 'id-1' } });
  return { exports: module.exports, sent };
}

const input = `const axios = require('axios');

const api = axios.create({
  baseURL: 'https://api.soundcloud.com',
  params: { client_id: process.env.SC_ID, limit: 10 },
});

exports.search = (q) => api.get('/tracks', { params: { q } });
`;

describe('axios instance defaults with a client_id', () => {
  it('the client_id leaves the defaults and every request of the instance sends the app token', async () => {
    const r = fix(input);
    expect(r.status).toBe('changed');
    expect(r.remaining).toEqual([]);
    const { exports, sent } = run(r.text);
    await exports.search!('bach');
    expect(sent).toEqual([{ url: 'https://api.soundcloud.com/tracks', params: { limit: 10, q: 'bach' }, headers: { Authorization: 'OAuth app-token' } }]);
    expect(fix(r.text).text).toBe(r.text);
  });

  it('a failed token request fails the request before it is sent', async () => {
    const { exports, sent } = run(fix(input).text, async () => { throw new Error('token endpoint down'); });
    await expect(exports.search!('bach')).rejects.toThrow('token endpoint down');
    expect(sent).toEqual([]);
  });

  it('the private api-v2 and TypeScript files keep the marker', () => {
    const v2 = fix(input.replace('api.soundcloud.com', 'api-v2.soundcloud.com'));
    expect(v2.text).not.toContain('interceptors');
    const ts = fix(input, '/srv/app/lib/soundcloud.ts');
    expect(ts.text).not.toContain('interceptors');
    expect(ts.remaining.map((f) => f.ruleId)).toEqual(['no-client-id-auth']);
  });
});
