/**
 * no-client-id-auth: `axios.create({ baseURL, params: { client_id } })` defaults become a request
 * interceptor that sets the app token (src/fix/instances.ts). The fixed code runs with a small
 * axios stand-in that applies defaults and runs request interceptors as axios does.
 */
import { describe, expect, it } from 'vitest';
import { allRules } from '../../rules/index.js';
import { fixText } from '../../src/fix/apply.js';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createProjectContext } from '../../src/engine/project.js';

const fix = (text: string, filename = '/srv/app/lib/soundcloud.js') => fixText(text, { filename, rules: allRules });

type Cfg = { url?: string; params?: Record<string, unknown>; headers: Record<string, string> };
function run(code: string, token: (...a: unknown[]) => Promise<string> = async () => 'app-token') {
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

  it('an instance whose requests may leave api.soundcloud.com keeps the marker (the token would go with them)', () => {
    for (const use of [
      "exports.other = () => api.get('https://other.example/x');",
      'exports.any = (url) => api.get(url);',
      "exports.req = (u) => api.request({ url: u, method: 'get' });",
      'module.exports.api = api;',
      'register(api);',
    ]) {
      const r = fix(`${input}${use}\n`);
      expect(r.text, use).not.toContain('interceptors');
      expect(r.remaining.map((f) => f.ruleId), use).toEqual(['no-client-id-auth']);
    }
    // relative paths, the base itself, and its own interceptors are fine
    const ok = fix(`${input}exports.me = () => api.get('https://api.soundcloud.com/resolve', { params: { url: 'x' } });\nexports.cfg = () => api({ url: '/tracks/1' });\n`);
    expect(ok.text).toContain('interceptors');
  });

  it('the private api-v2 and TypeScript files keep the marker', () => {
    const v2 = fix(input.replace('api.soundcloud.com', 'api-v2.soundcloud.com'));
    expect(v2.text).not.toContain('interceptors');
    const ts = fix(input, '/srv/app/lib/soundcloud.ts');
    expect(ts.text).not.toContain('interceptors');
    expect(ts.remaining.map((f) => f.ruleId)).toEqual(['no-client-id-auth']);
  });
});

/** The fixed ES module run as CommonJS: its imports become requires of the stand-ins. */
const asScript = (code: string) => code
  .replace(/^import (\w+) from '([^']+)'$/gm, "const $1 = require('$2')")
  .replace(/^import \{ (\w+) \} from '([^']+)'$/gm, "const { $1 } = require('$2')")
  .replace(/^export default /m, 'module.exports = ');

const browserInput = `import axios from 'axios'

const apiRoot = '//api.soundcloud.com'
const apiKey = process.env.SC_ID || ''

const api = axios.create({
  baseURL: apiRoot,
  params: {
    client_id: apiKey
  }
})

export default {
  search: (q) => api.get('/tracks', { params: { q } }),
}
`;

describe('axios instance defaults with a client_id, in browser code', () => {
  const fixBrowser = (text: string, pkg: object, tokenEndpoint?: string) => {
    const dir = mkdtempSync(join(tmpdir(), 'sc-axios-instance-'));
    try {
      writeFileSync(join(dir, 'package.json'), JSON.stringify(pkg));
      mkdirSync(join(dir, 'src'));
      const filename = join(dir, 'src/api.js');
      writeFileSync(filename, text);
      return fixText(text, { filename, rules: allRules, project: createProjectContext({ root: dir }), ...(tokenEndpoint ? { tokenEndpoint } : {}) });
    } finally { rmSync(dir, { recursive: true, force: true }); }
  };
  const REACT = { dependencies: { axios: '^0.18.0', react: '^16.8.0' } };

  it('the client id leaves the defaults; every request asks the backend route for the token of that client id', async () => {
    const r = fixBrowser(browserInput, REACT);
    expect(r.status).toBe('changed');
    expect(r.remaining).toEqual([]);
    expect(r.text).toContain("import { soundcloudAccessToken } from './soundcloud-browser-client.js'\n");
    expect(r.text).not.toMatch(/client_id|;\n/);
    const asked: unknown[] = [];
    const { exports, sent } = run(asScript(r.text).replace("'./soundcloud-browser-client.js'", "'./soundcloud-client.js'"), async (...a: unknown[]) => { asked.push(...a); return 'app-token'; });
    await (exports as unknown as { search: (q: string) => Promise<unknown> }).search('bach');
    expect(asked).toEqual(['id-1']);
    expect(sent).toEqual([{ url: '//api.soundcloud.com/tracks', params: { q: 'bach' }, headers: { Authorization: 'OAuth app-token' } }]);
    expect(fixBrowser(r.text, REACT).status).toBe('unchanged');
  });

  it('a Nuxt (server-rendered) module, which also runs in the browser, gets no app credentials and keeps the marker', () => {
    const nuxt = { dependencies: { axios: '^0.19.0', nuxt: '^2.0.0', vue: '^2.6.0', express: '^4.16.4' } };
    const r = fixBrowser(browserInput, nuxt);
    expect(r.text).not.toMatch(/interceptors|soundcloud-client|soundcloudAccessToken/);
    expect(r.remaining.map((f) => f.ruleId)).toEqual(['no-client-id-auth']);
  });

  it('a phone shell given a route it cannot ask keeps the marker; with a full one, or none (the route left to set), it takes the rewrite', () => {
    const shell = { dependencies: { axios: '^0.18.0', 'react-native': '0.45.1' } };
    const kept = fixBrowser(browserInput, shell, '/api/soundcloud/token');
    expect(kept.text).not.toContain('interceptors');
    expect(kept.remaining.map((f) => f.ruleId)).toEqual(['no-client-id-auth']);
    expect(fixBrowser(browserInput, shell, 'https://api.example.com/sc/token').text).toContain('interceptors');
    expect(fixBrowser(browserInput, shell).text).toContain('interceptors');
  });
});
