/**
 * The mock's state and the helpers every route group uses: options resolved, the clock, the
 * token / refresh / code records, stats and rejections, client lookup, token issuing, rate-limit
 * windows and the response writer. One state per `startMockApi`.
 */
import type http from 'node:http';
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { DEFAULT_MOCK_CLIENT } from './data.js';
import { Holds } from './faults.js';
import type { CodeRecord, Fault, MockApiOptions, MockClient, MockMode, MockStats, RefreshRecord, TokenRecord } from './types.js';

export type Role = 'api' | 'auth' | 'cdn' | 'http';

/** One request as the routes see it. */
export interface Ctx {
  role: Role;
  req: http.IncomingMessage;
  res: http.ServerResponse;
  url: URL;
  path: string;
  raw: string;
}

export interface Limit {
  max: number;
  windowSeconds: number;
}

export const SOUNDCLOUD_HOST = /(^|\.)soundcloud\.com$|(^|\.)sndcdn\.com$/i;

export function b64url(buf: Buffer): string {
  return buf.toString('base64url');
}

function newToken(prefix: string): string {
  // Opaque, variable-length, JWT-looking (SoundCloud tokens are variable-length JWTs since 2025).
  const header = b64url(Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT', k: prefix })));
  const payload = b64url(randomBytes(16 + Math.floor(Math.random() * 48)));
  return `${header}.${payload}.${b64url(randomBytes(8))}`;
}

export function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export function hostOf(req: http.IncomingMessage): string {
  return String(req.headers.host ?? '').split(':')[0] ?? '';
}

export function send(res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
  if (res.headersSent || res.destroyed) return;
  const isText = typeof body === 'string';
  const payload = body === undefined ? '' : isText ? body : JSON.stringify(body);
  res.writeHead(status, {
    'content-type': isText ? 'text/plain; charset=utf-8' : 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(payload),
    ...headers,
  });
  res.end(payload);
}

export function createState(options: MockApiOptions) {
  const mode: MockMode = options.mode ?? 'strict';
  const strict = mode === 'strict';
  const clients: MockClient[] = options.clients?.length ? options.clients : [DEFAULT_MOCK_CLIENT];
  const ttl = options.tokenTtlSeconds ?? 3599;
  const clock = { offset: 0 };
  const now = options.now ?? (() => Date.now() + clock.offset);
  const stats: MockStats = {
    tokenRequests: { total: 0 },
    apiRequests: 0,
    cdnRequests: 0,
    authorizeRequests: 0,
    rejections: {},
    tokensIssued: 0,
    reset() {
      stats.tokenRequests = { total: 0 };
      stats.apiRequests = 0;
      stats.cdnRequests = 0;
      stats.authorizeRequests = 0;
      stats.rejections = {};
      stats.tokensIssued = 0;
    },
  };
  const tokens = new Map<string, TokenRecord>();
  const refreshTokens = new Map<string, RefreshRecord>();
  const s = {
    mode,
    strict,
    clients,
    ttl,
    clock,
    now,
    ccLimit: options.clientCredentialsLimit ?? ({ max: 50, windowSeconds: 12 * 3600 } as Limit),
    ipLimit: options.ipLimit ?? ({ max: 30, windowSeconds: 3600 } as Limit),
    legacyEndpoints: options.legacyEndpoints ?? !strict,
    acceptBearer: options.acceptBearer ?? true,
    faults: (options.faults ?? []).map((f) => ({ ...f, left: f.times ?? 1 })) as Array<Fault & { left: number }>,
    tokens,
    refreshTokens,
    codes: new Map<string, CodeRecord>(),
    ccIssued: new Map<string, number[]>(),
    ipIssued: new Map<string, number[]>(),
    timers: new Set<NodeJS.Timeout>(),
    holds: new Holds(),
    stats,
    urls: { apiUrl: '', authUrl: '', cdnUrl: '', httpUrl: '' },
    send,

    reject(reason: string) {
      stats.rejections[reason] = (stats.rejections[reason] ?? 0) + 1;
    },

    /** The origin a redirect back to this role should use (a real SoundCloud host when the request came through the preload). */
    selfOrigin(role: Role, req: http.IncomingMessage): string {
      const host = hostOf(req);
      if (SOUNDCLOUD_HOST.test(host)) return `https://${host}`;
      const u = s.urls;
      return role === 'api' ? u.apiUrl : role === 'auth' ? u.authUrl : role === 'cdn' ? u.cdnUrl : u.httpUrl;
    },
    cdnOrigin(req: http.IncomingMessage): string {
      return SOUNDCLOUD_HOST.test(hostOf(req)) ? 'https://cf-media.sndcdn.com' : s.urls.cdnUrl;
    },

    findClient(id: string | undefined): MockClient | undefined {
      return id ? clients.find((c) => c.clientId === id) : undefined;
    },

    issue(clientId: string, grant: string, opts: { userId?: number; nonExpiring?: boolean; family?: string; scope?: string }) {
      const accessToken = newToken('at');
      const refreshToken = newToken('rt');
      const family = opts.family ?? randomBytes(6).toString('hex');
      const expiresAt = opts.nonExpiring ? undefined : now() + ttl * 1000;
      tokens.set(accessToken, { accessToken, clientId, grant, userId: opts.userId, expiresAt, family });
      refreshTokens.set(refreshToken, { clientId, family, used: false, userId: opts.userId, grant });
      stats.tokensIssued++;
      const body: Record<string, unknown> = {
        access_token: accessToken,
        token_type: 'bearer',
        refresh_token: refreshToken,
        scope: opts.scope ?? '',
      };
      if (!opts.nonExpiring) body.expires_in = ttl;
      return body;
    },

    withinLimit(map: Map<string, number[]>, key: string, limit: Limit): boolean {
      const t = now();
      const list = (map.get(key) ?? []).filter((x) => x > t - limit.windowSeconds * 1000);
      map.set(key, list);
      return list.length < limit.max;
    },
  };
  return s;
}

export type MockState = ReturnType<typeof createState>;
