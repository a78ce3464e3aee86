/**
 * Preload that routes an unmodified app to a running mock:
 *
 *   node --import sc-migrate/mock-api/preload app.js
 *
 * with the env vars from `mock.env` (SC_MIGRATE_MOCK_API_URL, SC_MIGRATE_MOCK_AUTH_URL,
 * SC_MIGRATE_MOCK_CDN_URL, SC_MIGRATE_MOCK_HTTP_URL, SC_MIGRATE_MOCK_CA_FILE).
 *
 * It patches globalThis.fetch and node:http / node:https `request` and `get` (string URLs, URL
 * objects and option objects with host/hostname/path — what axios, got and node-fetch use) so
 * that api.soundcloud.com, api-v2.soundcloud.com, secure.soundcloud.com, soundcloud.com
 * (/connect) and *.sndcdn.com go to the mock, over TLS that trusts the mock's certificate.
 * `http://` SoundCloud URLs go to the mock's plain-http port (301 to https in strict mode).
 * The original Host header is kept, so the mock's redirects point back at SoundCloud hosts.
 */
import http from 'node:http';
import https from 'node:https';
import { readFileSync } from 'node:fs';
import { syncBuiltinESMExports } from 'node:module';
import { createTrustingFetch } from './trusting-fetch.js';
import { mockRouteFor, mockUrlsFromEnv, type MockUrls } from './routing.js';

type AnyFn = (...args: any[]) => any;
const PATCHED = Symbol.for('sc-migrate.mock-api.preload');

export function installMockRouting(urls: MockUrls, ca: string): void {
  const g = globalThis as any;
  if (g[PATCHED]) return;
  g[PATCHED] = true;
  const mockOrigins = new Set([urls.apiUrl, urls.authUrl, urls.cdnUrl, urls.httpUrl].map((u) => new URL(u).origin));

  // ---- fetch ----
  const originalFetch: typeof fetch | undefined = g.fetch?.bind(globalThis);
  const trusting = createTrustingFetch({
    ca,
    route: (u) => mockRouteFor(u, urls),
  });
  if (originalFetch) {
    g.fetch = function patchedFetch(input: string | URL | Request, init?: RequestInit) {
      let u: URL | undefined;
      try {
        u = new URL(typeof input === 'string' || input instanceof URL ? String(input) : input.url);
      } catch {
        u = undefined;
      }
      if (u && (mockRouteFor(u, urls) || mockOrigins.has(u.origin))) return trusting(input, init);
      return originalFetch(input as any, init);
    };
  }

  // ---- node:http / node:https ----
  function normalize(args: unknown[], defaultProtocol: string) {
    let url: URL | undefined;
    let options: Record<string, any> = {};
    let cb: AnyFn | undefined;
    let i = 0;
    if (typeof args[0] === 'string' || args[0] instanceof URL) {
      url = new URL(String(args[0]));
      i = 1;
    }
    if (args[i] && typeof args[i] === 'object') options = args[i++] as Record<string, any>;
    if (typeof args[i] === 'function') cb = args[i] as AnyFn;
    const base: Record<string, any> = url
      ? {
          protocol: url.protocol,
          hostname: url.hostname,
          port: url.port || undefined,
          path: url.pathname + url.search,
          ...(url.username ? { auth: `${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}` } : {}),
        }
      : {};
    const merged: Record<string, any> = { ...base, ...options };
    const protocol: string = merged.protocol ?? defaultProtocol;
    let host: string = merged.hostname ?? merged.host ?? 'localhost';
    if (!merged.hostname && typeof merged.host === 'string' && /^[^[].*:\d+$/.test(merged.host)) {
      host = merged.host.replace(/:\d+$/, '');
    }
    const path: string = merged.path ?? '/';
    return { merged, protocol, host: host.replace(/^\[|\]$/g, ''), path, cb };
  }

  function reroute(args: unknown[], defaultProtocol: string): { mod: 'http' | 'https'; args: unknown[] } | undefined {
    let n: ReturnType<typeof normalize>;
    try {
      n = normalize(args, defaultProtocol);
    } catch {
      return undefined;
    }
    const port = n.merged.port ? `:${n.merged.port}` : '';
    let u: URL;
    try {
      u = new URL(`${n.protocol}//${n.host.includes(':') ? `[${n.host}]` : n.host}${port}${n.path}`);
    } catch {
      return undefined;
    }
    const route = mockRouteFor(u, urls);
    if (!route) {
      // Direct calls to the mock's own https origins: add trust.
      if (mockOrigins.has(u.origin) && u.protocol === 'https:' && !n.merged.ca) {
        return { mod: 'https', args: [{ ...n.merged, ca }, ...(n.cb ? [n.cb] : [])] };
      }
      return undefined;
    }
    const headers: Record<string, any> = {};
    if (Array.isArray(n.merged.headers)) {
      for (let k = 0; k + 1 < n.merged.headers.length; k += 2) headers[n.merged.headers[k]] = n.merged.headers[k + 1];
    } else {
      Object.assign(headers, n.merged.headers ?? {});
    }
    for (const k of Object.keys(headers)) if (k.toLowerCase() === 'host') delete headers[k];
    headers['Host'] = route.hostHeader;
    const isHttps = route.url.protocol === 'https:';
    const out: Record<string, any> = {
      ...n.merged,
      protocol: route.url.protocol,
      hostname: route.url.hostname,
      host: route.url.hostname,
      port: Number(route.url.port),
      path: route.url.pathname + route.url.search,
      headers,
    };
    delete out.servername;
    delete out.href;
    delete out.origin;
    if (isHttps) out.ca = ca;
    // An agent of the other protocol cannot carry this request.
    if (out.agent && out.agent instanceof http.Agent && isHttps !== out.agent instanceof https.Agent) delete out.agent;
    return { mod: isHttps ? 'https' : 'http', args: [out, ...(n.cb ? [n.cb] : [])] };
  }

  const originals = {
    http: { request: http.request, get: http.get },
    https: { request: https.request, get: https.get },
  };
  function makeRequest(defaultProtocol: 'http:' | 'https:', self: 'http' | 'https') {
    return function patchedRequest(...args: unknown[]) {
      const r = reroute(args, defaultProtocol);
      if (!r) return (originals[self].request as AnyFn)(...args);
      return (originals[r.mod].request as AnyFn)(...r.args);
    };
  }
  function makeGet(defaultProtocol: 'http:' | 'https:', self: 'http' | 'https') {
    return function patchedGet(...args: unknown[]) {
      const r = reroute(args, defaultProtocol);
      if (!r) return (originals[self].get as AnyFn)(...args);
      const req = (originals[r.mod].request as AnyFn)(...r.args);
      req.end();
      return req;
    };
  }
  (http as any).request = makeRequest('http:', 'http');
  (http as any).get = makeGet('http:', 'http');
  (https as any).request = makeRequest('https:', 'https');
  (https as any).get = makeGet('https:', 'https');
  syncBuiltinESMExports();
}

const urls = mockUrlsFromEnv();
const caFile = process.env.SC_MIGRATE_MOCK_CA_FILE;
if (urls && caFile) {
  installMockRouting(urls, readFileSync(caFile, 'utf8'));
} else if (!process.env.SC_MIGRATE_MOCK_PRELOAD_QUIET) {
  process.stderr.write(
    '[sc-migrate mock-api preload] SC_MIGRATE_MOCK_* env vars not set; requests are not routed to a mock.\n',
  );
}
