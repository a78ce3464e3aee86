import { describe, expect, it } from 'vitest';
import { proxiedUrl, readProxyRoutes, routeOf, routesIn } from '../../src/engine/proxy-routes.js';

const V = '/app/vercel.json';

describe('hosting rewrites to SoundCloud (proxy-routes)', () => {
  it('reads a source ending in a capture as a prefix, its destination ending in the same capture', () => {
    expect(routeOf('/api/sc/(.*)', 'https://api-v2.soundcloud.com/$1', V)).toEqual({ from: '/api/sc/', prefix: true, to: 'https://api-v2.soundcloud.com/', file: V });
    expect(routeOf('/api/music/:path*', 'https://api.soundcloud.com/:path*', V)).toMatchObject({ from: '/api/music/', to: 'https://api.soundcloud.com/' });
    expect(routeOf('/sc/*', 'https://api.soundcloud.com/v1/:splat', V)).toMatchObject({ from: '/sc/', to: 'https://api.soundcloud.com/v1/' });
    expect(routeOf('/me', 'https://api.soundcloud.com/me', V)).toEqual({ from: '/me', prefix: false, to: 'https://api.soundcloud.com/me', file: V });
  });

  it('keeps only SoundCloud destinations and the shapes it can read', () => {
    expect(routeOf('/api/(.*)', 'https://api.spotify.com/$1', V)).toBeUndefined();
    expect(routeOf('/(.*)', '/index.html', V)).toBeUndefined();
    expect(routeOf('/u/:id/tracks', 'https://api.soundcloud.com/users/:id/tracks', V)).toBeUndefined();
    expect(routeOf('/a/(.*)/b', 'https://api.soundcloud.com/$1', V)).toBeUndefined();
  });

  it('reads vercel.json rewrites and routes, netlify.toml redirects and _redirects lines', () => {
    const vercel = JSON.stringify({ rewrites: [{ source: '/sc/(.*)', destination: 'https://api-v2.soundcloud.com/$1' }, { source: '/(.*)', destination: '/index.html' }], routes: [{ src: '/old/(.*)', dest: 'https://api.soundcloud.com/$1' }] });
    expect(routesIn(vercel, V).map((r) => r.from)).toEqual(['/sc/', '/old/']);
    const toml = '[build]\n  publish = "dist"\n\n[[redirects]]\n  from = "/soundcloud/*"\n  to = "https://api.soundcloud.com/:splat"\n  status = 200\n\n[[redirects]]\n  from = "/*"\n  to = "/index.html"\n';
    expect(routesIn(toml, '/app/netlify.toml')).toEqual([{ from: '/soundcloud/', prefix: true, to: 'https://api.soundcloud.com/', file: '/app/netlify.toml' }]);
    const lines = '# proxies\n/sc/*  https://api-v2.soundcloud.com/:splat  200\n/*  /index.html  200\n';
    expect(routesIn(lines, '/app/public/_redirects').map((r) => r.to)).toEqual(['https://api-v2.soundcloud.com/']);
    expect(routesIn('{ not json soundcloud.com', V)).toEqual([]);
  });

  it("gives a relative URL of a file the URL its folder's routes (or a folder's above, to the root) forward it to", () => {
    const routes = readProxyRoutes(['/app/vercel.json', '/app/web/.env', '/app/web/public/_redirects'], (p) => ({
      '/app/vercel.json': JSON.stringify({ rewrites: [{ source: '/api/sc/(.*)', destination: 'https://api-v2.soundcloud.com/$1' }] }),
      '/app/web/public/_redirects': '/music/*  https://api.soundcloud.com/:splat  200',
    } as Record<string, string>)[p]);
    expect(proxiedUrl(routes, '/app', '/app/web/src/a.ts', '/api/sc/search/tracks?q=x&client_id=\uFFFC')).toBe('https://api-v2.soundcloud.com/search/tracks?q=x&client_id=\uFFFC');
    expect(proxiedUrl(routes, '/app', '/app/web/src/a.ts', '/api/sc\uFFFC?client_id=\uFFFC')).toBe('https://api-v2.soundcloud.com/\uFFFC?client_id=\uFFFC');
    expect(proxiedUrl(routes, '/app', '/app/web/src/a.ts', '/api/scores')).toBeUndefined();
    expect(proxiedUrl(routes, '/app', '/app/web/src/a.ts', '//cdn.example.com/api/sc/x')).toBeUndefined();
    // a _redirects of public/ is the site's (web/): its sibling folders get it, the folder above does not
    expect(proxiedUrl(routes, '/app', '/app/web/src/a.ts', '/music/tracks')).toBe('https://api.soundcloud.com/tracks');
    expect(proxiedUrl(routes, '/app', '/app/api/a.ts', '/music/tracks')).toBeUndefined();
  });
});
