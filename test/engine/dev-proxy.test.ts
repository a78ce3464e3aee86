/**
 * Proxies to SoundCloud written in code (engine/dev-proxy.ts): each config shape seen in public
 * apps (Vite, webpack / Vue CLI devServer, Nuxt, http-proxy-middleware) read from its AST into
 * the routes the hosting rewrites use, and what is not read (other services, rewrites that are not
 * a prefix replaced by a string).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { addCodeRoutes, codeProxyRoutes, proxyScope } from '../../src/engine/dev-proxy.js';
import { loadParser, parseFile } from '../../src/engine/parse.js';
import { mayProxyToSc, proxiedUrl, type ProxyRoutes } from '../../src/engine/proxy-routes.js';

beforeAll(() => loadParser());

/** The routes of a config's code, as `from -> to`. */
const routes = (code: string, file = '/app/vite.config.ts'): string[] => codeProxyRoutes(parseFile(code, file).ast, file).map((r) => `${r.from} -> ${r.to}`);

describe('proxies to SoundCloud written in code (dev-proxy)', () => {
  it('reads Vite server.proxy entries: a prefix rewritten away, the target alone, a constant target', () => {
    const vite = `
      import { defineConfig } from 'vite';
      const V1 = 'https://api.soundcloud.com';
      export default defineConfig({
        server: {
          proxy: {
            '/sc-api': { target: 'https://api-v2.soundcloud.com', changeOrigin: true, rewrite: (path) => path.replace(/^\\/sc-api/, '') },
            '/api/soundcloud': { target: V1, rewrite: (p) => { return p.replace(/^\\/api\\/soundcloud/, '/v1'); } },
            '/tracks': 'https://api.soundcloud.com',
            '^/resolve': { target: 'https://api.soundcloud.com' },
          },
        },
        preview: { proxy: { '/sc2': { target: 'https://api-v2.soundcloud.com', rewrite: (p) => p.replace('/sc2', '') } } },
      });`;
    expect(routes(vite)).toEqual([
      '/sc-api/ -> https://api-v2.soundcloud.com/',
      '/api/soundcloud/ -> https://api.soundcloud.com/v1/',
      '/tracks/ -> https://api.soundcloud.com/tracks/',
      '/resolve/ -> https://api.soundcloud.com/resolve/',
      '/sc2/ -> https://api-v2.soundcloud.com/',
    ]);
  });

  it('reads webpack devServer arrays, Vue CLI pathRewrite tables, Nuxt devProxy and routeRules', () => {
    expect(routes(`module.exports = { devServer: { proxy: [{ context: ['/sc', '/sc-old'], target: 'https://api.soundcloud.com', pathRewrite: { '^/sc': '' } }] } };`, '/app/webpack.config.js'))
      .toEqual(['/sc/ -> https://api.soundcloud.com/']); // '/sc-old' is not under the rewrite's prefix '/sc/': not read
    expect(routes(`module.exports = { devServer: { proxy: { '/soundcloud': { target: 'https://api.soundcloud.com', pathRewrite: { '^/soundcloud': '' } } } } };`, '/app/vue.config.js'))
      .toEqual(['/soundcloud/ -> https://api.soundcloud.com/']);
    expect(routes(`export default defineNuxtConfig({ nitro: { devProxy: { '/api/soundcloud': { target: 'https://api-v2.soundcloud.com', changeOrigin: true } } } });`, '/app/nuxt.config.ts'))
      .toEqual(['/api/soundcloud/ -> https://api-v2.soundcloud.com/']);
    expect(routes(`export default defineNuxtConfig({ routeRules: { '/sc/**': { proxy: 'https://api.soundcloud.com/**' }, '/old/**': { redirect: '/' } } });`, '/app/nuxt.config.ts'))
      .toEqual(['/sc/ -> https://api.soundcloud.com/']);
  });

  it('reads http-proxy-middleware mounted on a path, its options inline or in a constant', () => {
    const server = `
      const express = require('express');
      const proxy = require('http-proxy-middleware');
      const app = express();
      const optionsV1 = { target: 'https://api.soundcloud.com', changeOrigin: true, pathRewrite: { '^/sc/v1': '/' } };
      const proxyV1 = proxy(optionsV1);
      app.use('/sc/v1', proxyV1);
      app.use('/sc/v2', proxy({ target: 'https://api-v2.soundcloud.com', pathRewrite: { '^/sc/v2': '' } }));
      app.use('/own', express.static('public'));`;
    expect(routes(server, '/app/server.js')).toEqual(['/sc/v1/ -> https://api.soundcloud.com/', '/sc/v2/ -> https://api-v2.soundcloud.com/']);
    const cra = `
      const { createProxyMiddleware } = require('http-proxy-middleware');
      module.exports = (app) => { app.use(createProxyMiddleware('/api', { target: 'https://api.soundcloud.com', changeOrigin: true })); };`;
    expect(routes(cra, '/app/src/setupProxy.js')).toEqual(['/api/ -> https://api.soundcloud.com/api/']);
  });

  it('keeps only SoundCloud targets and rewrites it can read', () => {
    expect(routes(`export default { server: { proxy: { '/api': { target: 'https://api.spotify.com', rewrite: (p) => p.replace(/^\\/api/, '') } } } };`)).toEqual([]);
    // a rewrite that is not a prefix replaced by a string, a computed target, a rewrite of another prefix
    expect(routes(`export default { server: { proxy: {
      '/a': { target: 'https://api.soundcloud.com', rewrite: (p) => p.split('/').slice(2).join('/') },
      '/b': { target: process.env.SC_API },
      '/c': { target: 'https://api.soundcloud.com', rewrite: (p) => p.replace(/^\\/other/, '') },
    } } };`)).toEqual([]);
    expect(mayProxyToSc(`export default { server: { proxy: { '/api': 'http://localhost:3000' } } }; // https://soundcloud.com/me`)).toBe(true);
    expect(mayProxyToSc(`fetch('https://api.soundcloud.com/tracks')`)).toBe(false);
  });

  it('scopes routes to the app: a dev-server config its folder, setupProxy.js the folder above, a server the project', () => {
    expect(proxyScope('/r/web/vite.config.ts', '/r')).toBe('/r/web');
    expect(proxyScope('/r/web/webpack.dev.config.js', '/r')).toBe('/r/web');
    expect(proxyScope('/r/web/src/setupProxy.js', '/r')).toBe('/r/web');
    expect(proxyScope('/r/server/index.js', '/r')).toBe('/r');
    const all: ProxyRoutes = new Map();
    const texts: Record<string, string> = {
      '/r/web/vite.config.ts': `export default { server: { proxy: { '/sc': { target: 'https://api-v2.soundcloud.com', rewrite: (p) => p.replace(/^\\/sc/, '') } } } };`,
      '/r/web/src/app.ts': `fetch('/sc/tracks')`,
    };
    addCodeRoutes(all, Object.keys(texts), '/r', (p) => texts[p], (p, t) => parseFile(t, p).ast);
    expect([...all.keys()]).toEqual(['/r/web']);
    expect(proxiedUrl(all, '/r', '/r/web/src/app.ts', '/sc/search/tracks?q=a&client_id=x')).toBe('https://api-v2.soundcloud.com/search/tracks?q=a&client_id=x');
    expect(proxiedUrl(all, '/r', '/r/other/app.ts', '/sc/search/tracks')).toBeUndefined();
  });
});
