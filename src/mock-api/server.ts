/**
 * The strict mock SoundCloud API. See docs/mock-api.md for every rule, status and body.
 *
 * Four listeners on 127.0.0.1: the API origin (https), the auth origin (https), a "CDN"
 * origin (https) that stream redirects point to, and a plain-http port that answers 301 to
 * https in strict mode. All share one self-signed certificate made at start.
 *
 * This file starts and stops the listeners and builds the handle; the state lives in state.ts,
 * the route table in routes.ts (one module per route group: token, auth, api, cdn), faults in
 * faults.ts.
 */
import http from 'node:http';
import https from 'node:https';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { createMockCertificate } from './cert.js';
import { dispatch } from './routes.js';
import { createState, send, type Role } from './state.js';
import { createTrustingFetch } from './trusting-fetch.js';
import type { Fault, MockApi, MockApiOptions } from './types.js';

export { DEFAULT_MOCK_CLIENT, MOCK_USER, MOCK_TRACKS, BODIES } from './data.js';
export type { MockMode, MockClient, FaultTarget, RateLimitShape, Fault, MockApiOptions, MockStats, MockApi } from './types.js';

export async function startMockApi(options: MockApiOptions = {}): Promise<MockApi> {
  const s = createState(options);

  const cert = createMockCertificate();
  const caDir = mkdtempSync(join(tmpdir(), 'sc-mock-ca-'));
  const caFile = join(caDir, 'ca.pem');
  writeFileSync(caFile, cert.cert, { mode: 0o644 });

  async function handler(role: Role, req: http.IncomingMessage, res: http.ServerResponse) {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    const url = new URL(req.url ?? '/', 'https://mock.invalid');
    await dispatch(s, { role, req, res, url, path: url.pathname, raw });
  }

  const wrap = (role: Role) => (req: http.IncomingMessage, res: http.ServerResponse) => {
    handler(role, req, res).catch((err) => {
      send(res, 500, { code: 500, message: `mock internal error: ${(err as Error).message}` });
    });
  };
  const tlsOpts = { cert: cert.cert, key: cert.key };
  const servers: Array<[Role, http.Server]> = [
    ['api', https.createServer(tlsOpts, wrap('api'))],
    ['auth', https.createServer(tlsOpts, wrap('auth'))],
    ['cdn', https.createServer(tlsOpts, wrap('cdn'))],
    ['http', http.createServer(wrap('http'))],
  ];
  const basePort = options.port;
  const ports: number[] = [];
  try {
    for (const [i, [, server]] of servers.entries()) {
      server.keepAliveTimeout = 2000;
      await new Promise<void>((resolve, rej) => {
        server.once('error', rej);
        server.listen(basePort ? basePort + i : 0, '127.0.0.1', () => {
          server.off('error', rej);
          resolve();
        });
      });
      ports.push((server.address() as AddressInfo).port);
    }
  } catch (err) {
    for (const [, srv] of servers) if (srv.listening) srv.close();
    rmSync(caDir, { recursive: true, force: true });
    throw err;
  }
  const urls = s.urls;
  urls.apiUrl = `https://127.0.0.1:${ports[0]}`;
  urls.authUrl = `https://127.0.0.1:${ports[1]}`;
  urls.cdnUrl = `https://127.0.0.1:${ports[2]}`;
  urls.httpUrl = `http://127.0.0.1:${ports[3]}`;

  const trustingFetch = createTrustingFetch({ ca: cert.cert });

  const env: Record<string, string> = {
    SC_MIGRATE_API_BASE: urls.apiUrl,
    SC_MIGRATE_AUTH_BASE: urls.authUrl,
    SC_MIGRATE_MOCK_API_URL: urls.apiUrl,
    SC_MIGRATE_MOCK_AUTH_URL: urls.authUrl,
    SC_MIGRATE_MOCK_CDN_URL: urls.cdnUrl,
    SC_MIGRATE_MOCK_HTTP_URL: urls.httpUrl,
    SC_MIGRATE_MOCK_CA_FILE: caFile,
    NODE_EXTRA_CA_CERTS: caFile,
  };

  let closed = false;
  return {
    mode: s.mode,
    ...urls,
    ca: cert.cert,
    caFile,
    fetch: trustingFetch,
    stats: s.stats,
    env,
    now: s.now,
    advanceTime(ms: number) {
      if (options.now) throw new Error('advanceTime: the mock clock is controlled by the `now` option');
      s.clock.offset += ms;
    },
    addFault(fault: Fault) {
      s.faults.push({ ...fault, left: fault.times ?? 1 });
    },
    clearFaults() {
      s.faults.length = 0;
    },
    revokeTokens(opts = {}) {
      for (const t of s.tokens.values()) {
        if (opts.accessToken && t.accessToken !== opts.accessToken) continue;
        t.revoked = true;
        if (opts.refresh) for (const r of s.refreshTokens.values()) if (r.family === t.family) r.revoked = true;
      }
    },
    waitForHeld(n = 1) {
      return s.holds.waitFor(n);
    },
    releaseHeld() {
      s.holds.releaseAll();
    },
    async close() {
      if (closed) return;
      closed = true;
      for (const t of s.timers) clearTimeout(t);
      s.timers.clear();
      s.holds.releaseAll();
      trustingFetch.close();
      await Promise.all(
        servers.map(
          ([, srv]) =>
            new Promise<void>((resolve) => {
              srv.close(() => resolve());
              srv.closeAllConnections();
            }),
        ),
      );
      rmSync(caDir, { recursive: true, force: true });
    },
  };
}
