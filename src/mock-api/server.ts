/**
 * The strict mock SoundCloud API. See docs/mock-api.md for every rule, status and body.
 *
 * Four listeners on 127.0.0.1: the API origin (https), the auth origin (https), a "CDN"
 * origin (https) that stream redirects point to, and a plain-http port that answers 301 to
 * https in strict mode. All share one self-signed certificate made at start.
 */
import http from 'node:http';
import https from 'node:https';
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { createMockCertificate } from './cert.js';
import { createTrustingFetch, type FetchLike } from './trusting-fetch.js';

export type MockMode = 'strict' | 'legacy';

export interface MockClient {
  clientId: string;
  clientSecret: string;
  /** Registered redirect URIs; empty means any. */
  redirectUris?: string[];
}

export type FaultTarget = 'token' | 'auth' | 'api' | 'cdn' | 'any';
export type RateLimitShape = 'errors-meta' | 'code-message' | 'error' | 'text';

export interface Fault {
  /** Where the fault fires (default 'any'). 'token' is the token endpoint only. */
  target?: FaultTarget;
  /** Only requests whose path starts with this. */
  pathPrefix?: string;
  /** How many matching requests it hits (default 1). */
  times?: number;
  type: '5xx' | '429' | 'slow' | 'html';
  /** Status for '5xx' (default 503) and 'html' (default 502). */
  status?: number;
  /** Body shape for '429' (default 'code-message'). */
  shape?: RateLimitShape;
  /** Adds a Retry-After header (seconds) to '429' / '5xx'. */
  retryAfter?: number;
  /** Delay for 'slow' before answering normally (ms, real time; default 5000). */
  delayMs?: number;
}

export interface MockApiOptions {
  mode?: MockMode;
  clients?: MockClient[];
  /** Access token lifetime; `expires_in` is sent as this value (default 3599). */
  tokenTtlSeconds?: number;
  /** Mock clock in ms since epoch (default Date.now plus `advanceTime` offsets). */
  now?: () => number;
  faults?: Fault[];
  /** client_credentials tokens per app per window (default 50 per 12 h). */
  clientCredentialsLimit?: { max: number; windowSeconds: number };
  /** client_credentials tokens per IP per window (default 30 per hour). */
  ipLimit?: { max: number; windowSeconds: number };
  /** Strict mode: whether the old token endpoint `/oauth2/token` and `/connect` still answer (uncertain upstream; default false). */
  legacyEndpoints?: boolean;
  /** Accept `Authorization: Bearer` as well as `OAuth` (reported to work upstream; default true). */
  acceptBearer?: boolean;
  /** Base port: api = port, auth = port+1, cdn = port+2, http = port+3 (default: ephemeral). */
  port?: number;
}

export interface MockStats {
  tokenRequests: Record<string, number> & { total: number };
  apiRequests: number;
  cdnRequests: number;
  authorizeRequests: number;
  rejections: Record<string, number>;
  /** Tokens issued (successful token responses). */
  tokensIssued: number;
  reset(): void;
}

export interface MockApi {
  mode: MockMode;
  apiUrl: string;
  authUrl: string;
  cdnUrl: string;
  httpUrl: string;
  /** PEM of the self-signed certificate (trust it to talk to the mock). */
  ca: string;
  /** Path of a file holding `ca` (for NODE_EXTRA_CA_CERTS); removed on close. */
  caFile: string;
  /** A fetch that trusts the mock's certificate. */
  fetch: FetchLike;
  stats: MockStats;
  /** Env vars that route the runtime and the preload to this mock (see docs/mock-api.md). */
  env: Record<string, string>;
  /** The mock's current time (ms). */
  now(): number;
  /** Moves the mock clock forward (only when no `now` option was given). */
  advanceTime(ms: number): void;
  addFault(fault: Fault): void;
  clearFaults(): void;
  /** Revoke one access token, or all of them. Refresh tokens keep working unless `refresh` is set. */
  revokeTokens(opts?: { accessToken?: string; refresh?: boolean }): void;
  /** Issue an authorization code directly (as if the user consented), for tests. */
  close(): Promise<void>;
}

interface TokenRecord {
  accessToken: string;
  clientId: string;
  grant: string;
  userId?: number;
  expiresAt?: number;
  revoked?: boolean;
  family: string;
}
interface RefreshRecord {
  clientId: string;
  family: string;
  used: boolean;
  userId?: number;
  grant: string;
  revoked?: boolean;
}
interface CodeRecord {
  clientId: string;
  redirectUri?: string;
  challenge?: string;
  method?: string;
  expiresAt: number;
  used: boolean;
  scope?: string;
}

export const DEFAULT_MOCK_CLIENT: MockClient = {
  clientId: 'mock-client-id',
  clientSecret: 'mock-client-secret',
  redirectUris: [],
};

export const MOCK_USER = {
  id: 1001,
  kind: 'user',
  username: 'mock-user',
  permalink: 'mock-user',
  permalink_url: 'https://soundcloud.com/mock-user',
  full_name: 'Mock User',
};

export const MOCK_TRACKS = [
  { id: 1, title: 'First Light', permalink: 'first-light' },
  { id: 2, title: 'Night Drive', permalink: 'night-drive' },
  { id: 3, title: 'Morning Tide', permalink: 'morning-tide' },
].map((t) => ({
  kind: 'track',
  ...t,
  user_id: MOCK_USER.id,
  user: { id: MOCK_USER.id, username: MOCK_USER.username },
  permalink_url: `https://soundcloud.com/mock-user/${t.permalink}`,
  // As the API answers: absolute api.soundcloud.com URLs (the preload routes them to the mock).
  uri: `https://api.soundcloud.com/tracks/${t.id}`,
  stream_url: `https://api.soundcloud.com/tracks/${t.id}/stream`,
  streamable: true,
  duration: 180000,
}));

const AUTH_HEADER_MESSAGE =
  'A request must contain the Authorization header. See https://developers.soundcloud.com/blog/security-updates-api';
export const BODIES = {
  missingAuthorization: { code: 401, message: AUTH_HEADER_MESSAGE },
  invalidToken: { code: 401, message: 'invalid_token', error_code: 'invalid_token' },
  nonExpiring: { error: 'invalid_scope', error_description: 'Requesting non-expiring tokens is not allowed' },
  rateLimitToken: { error: 'rate_limit_exceeded' },
  cdnAuthorization:
    'Only one auth mechanism allowed; only the X-Amz-Algorithm query parameter, Signature query string parameter or the Authorization header should be specified',
  apiV2: { code: 403, message: 'api-v2.soundcloud.com is a private API and is not supported; use https://api.soundcloud.com' },
} as const;

const SOUNDCLOUD_HOST = /(^|\.)soundcloud\.com$|(^|\.)sndcdn\.com$/i;

function b64url(buf: Buffer): string {
  return buf.toString('base64url');
}

function newToken(prefix: string): string {
  // Opaque, variable-length, JWT-looking (SoundCloud tokens are variable-length JWTs since 2025).
  const header = b64url(Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT', k: prefix })));
  const payload = b64url(randomBytes(16 + Math.floor(Math.random() * 48)));
  return `${header}.${payload}.${b64url(randomBytes(8))}`;
}

function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

function formDecode(s: string): string {
  return decodeURIComponent(s.replace(/\+/g, ' '));
}

export async function startMockApi(options: MockApiOptions = {}): Promise<MockApi> {
  const mode: MockMode = options.mode ?? 'strict';
  const strict = mode === 'strict';
  const clients = options.clients?.length ? options.clients : [DEFAULT_MOCK_CLIENT];
  const ttl = options.tokenTtlSeconds ?? 3599;
  let offset = 0;
  const now = options.now ?? (() => Date.now() + offset);
  const ccLimit = options.clientCredentialsLimit ?? { max: 50, windowSeconds: 12 * 3600 };
  const ipLimit = options.ipLimit ?? { max: 30, windowSeconds: 3600 };
  const legacyEndpoints = options.legacyEndpoints ?? !strict;
  const acceptBearer = options.acceptBearer ?? true;
  const faults: Array<Fault & { left: number }> = (options.faults ?? []).map((f) => ({ ...f, left: f.times ?? 1 }));

  const tokens = new Map<string, TokenRecord>();
  const refreshTokens = new Map<string, RefreshRecord>();
  const codes = new Map<string, CodeRecord>();
  const ccIssued = new Map<string, number[]>();
  const ipIssued = new Map<string, number[]>();
  const timers = new Set<NodeJS.Timeout>();

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
  const reject = (reason: string) => {
    stats.rejections[reason] = (stats.rejections[reason] ?? 0) + 1;
  };

  const cert = createMockCertificate();
  const caDir = mkdtempSync(join(tmpdir(), 'sc-mock-ca-'));
  const caFile = join(caDir, 'ca.pem');
  writeFileSync(caFile, cert.cert, { mode: 0o644 });

  let apiUrl = '';
  let authUrl = '';
  let cdnUrl = '';
  let httpUrl = '';

  type Role = 'api' | 'auth' | 'cdn' | 'http';

  function send(res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
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

  function selfOrigin(role: Role, req: http.IncomingMessage): string {
    const host = String(req.headers.host ?? '').split(':')[0] ?? '';
    if (SOUNDCLOUD_HOST.test(host)) return `https://${host}`;
    return role === 'api' ? apiUrl : role === 'auth' ? authUrl : role === 'cdn' ? cdnUrl : httpUrl;
  }
  function cdnOrigin(req: http.IncomingMessage): string {
    const host = String(req.headers.host ?? '').split(':')[0] ?? '';
    return SOUNDCLOUD_HOST.test(host) ? 'https://cf-media.sndcdn.com' : cdnUrl;
  }

  function matchFault(role: Role, path: string): (Fault & { left: number }) | undefined {
    for (const f of faults) {
      if (f.left <= 0) continue;
      const target = f.target ?? 'any';
      const isToken = path === '/oauth/token' || path === '/oauth2/token';
      const ok =
        target === 'any' ||
        (target === 'token' && isToken) ||
        (target === 'auth' && role === 'auth') ||
        (target === 'api' && role === 'api' && !isToken) ||
        (target === 'cdn' && role === 'cdn');
      if (!ok) continue;
      if (f.pathPrefix && !path.startsWith(f.pathPrefix)) continue;
      f.left--;
      return f;
    }
    return undefined;
  }

  function sendFault(res: http.ServerResponse, f: Fault) {
    const headers: Record<string, string> = {};
    if (f.retryAfter !== undefined) headers['retry-after'] = String(f.retryAfter);
    reject(`fault_${f.type}`);
    if (f.type === '5xx') return send(res, f.status ?? 503, { code: f.status ?? 503, message: 'Service Unavailable' }, headers);
    if (f.type === 'html') {
      const html = `<!DOCTYPE html><html><head><title>${f.status ?? 502} Bad Gateway</title></head><body><h1>502 Bad Gateway</h1><p>The CDN could not reach the origin.</p></body></html>`;
      return send(res, f.status ?? 502, html, { 'content-type': 'text/html; charset=utf-8' });
    }
    // 429 shapes
    const shape = f.shape ?? 'code-message';
    if (shape === 'text') return send(res, 429, 'Please slow down.', headers);
    if (shape === 'error') return send(res, 429, { error: 'rate_limit_exceeded' }, headers);
    if (shape === 'errors-meta')
      return send(
        res,
        429,
        {
          errors: [
            {
              meta: {
                rate_limit: { bucket: 'by-client', max_nr_of_requests: 15000, time_window: 'PT24H', group: 'plays' },
                remaining_requests: 0,
                reset_time: '2026/01/01 10:00:00 +0000',
              },
            },
          ],
        },
        headers,
      );
    return send(res, 429, { code: 429, message: 'rate_limit_exceeded' }, headers);
  }

  function findClient(id: string | undefined) {
    return id ? clients.find((c) => c.clientId === id) : undefined;
  }

  function parseBasic(header: string | undefined): { id: string; secret: string } | 'malformed' | undefined {
    if (!header) return undefined;
    const m = /^Basic\s+(.+)$/i.exec(header.trim());
    if (!m) return undefined;
    let decoded: string;
    try {
      decoded = Buffer.from(m[1]!, 'base64').toString('utf8');
    } catch {
      return 'malformed';
    }
    const i = decoded.indexOf(':');
    if (i < 0) return 'malformed';
    try {
      return { id: formDecode(decoded.slice(0, i)), secret: formDecode(decoded.slice(i + 1)) };
    } catch {
      return 'malformed';
    }
  }

  function issue(clientId: string, grant: string, opts: { userId?: number; nonExpiring?: boolean; family?: string; scope?: string }) {
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
  }

  function withinLimit(map: Map<string, number[]>, key: string, limit: { max: number; windowSeconds: number }) {
    const t = now();
    const list = (map.get(key) ?? []).filter((x) => x > t - limit.windowSeconds * 1000);
    map.set(key, list);
    return list.length < limit.max;
  }

  async function handleToken(req: http.IncomingMessage, res: http.ServerResponse, raw: string, legacyPath: boolean) {
    if (legacyPath && !legacyEndpoints) {
      reject('legacy_token_endpoint');
      return send(res, 404, { error: 'not_found', error_description: 'Use https://secure.soundcloud.com/oauth/token' });
    }
    if (req.method !== 'POST') return send(res, 405, { error: 'invalid_request', error_description: 'POST required' });
    const ctype = String(req.headers['content-type'] ?? '');
    let params: URLSearchParams;
    if (ctype.includes('application/json') && !strict) {
      try {
        params = new URLSearchParams(JSON.parse(raw || '{}'));
      } catch {
        params = new URLSearchParams();
      }
    } else {
      params = new URLSearchParams(raw);
    }
    const grant = params.get('grant_type') ?? '';
    stats.tokenRequests[grant || 'missing'] = (stats.tokenRequests[grant || 'missing'] ?? 0) + 1;
    stats.tokenRequests.total++;

    const scope = params.get('scope') ?? '';
    const nonExpiring = scope.split(/[\s,]+/).includes('non-expiring');
    if (nonExpiring && strict) {
      reject('non_expiring_scope');
      return send(res, 403, BODIES.nonExpiring);
    }

    // Client authentication.
    const basic = parseBasic(req.headers.authorization);
    if (basic === 'malformed') {
      reject('invalid_client');
      return send(res, 401, { error: 'invalid_client', error_description: 'Malformed Basic authorization header' });
    }
    const bodyId = params.get('client_id') ?? undefined;
    const bodySecret = params.get('client_secret') ?? undefined;
    let clientId: string | undefined;
    let secretOk = false;
    if (basic) {
      const c = findClient(basic.id);
      clientId = basic.id;
      secretOk = !!c && safeEqual(c.clientSecret, basic.secret);
    } else if (bodyId) {
      const c = findClient(bodyId);
      clientId = bodyId;
      secretOk = !!c && bodySecret !== undefined && safeEqual(c.clientSecret, bodySecret);
    }
    const client = findClient(clientId);

    if (grant === 'client_credentials') {
      if (strict && !basic) {
        reject('client_credentials_without_basic');
        return send(res, 401, { error: 'invalid_client', error_description: 'client_credentials requires HTTP Basic client authentication' });
      }
      if (!client || !secretOk) {
        reject('invalid_client');
        return send(res, 401, { error: 'invalid_client' });
      }
      const ip = req.socket.remoteAddress ?? 'unknown';
      if (!withinLimit(ccIssued, client.clientId, ccLimit) || !withinLimit(ipIssued, ip, ipLimit)) {
        reject('client_credentials_rate_limit');
        return send(res, 429, BODIES.rateLimitToken);
      }
      ccIssued.get(client.clientId)!.push(now());
      ipIssued.get(ip)!.push(now());
      return send(res, 200, issue(client.clientId, grant, { nonExpiring }));
    }

    if (grant === 'authorization_code') {
      if (!client || !secretOk) {
        reject('invalid_client');
        return send(res, 401, { error: 'invalid_client' });
      }
      const code = params.get('code') ?? '';
      const rec = codes.get(code);
      if (!rec || rec.used || rec.clientId !== client.clientId || rec.expiresAt < now()) {
        reject('invalid_code');
        return send(res, 400, { error: 'invalid_grant', error_description: 'Invalid, expired or used authorization code' });
      }
      rec.used = true;
      if ((rec.redirectUri ?? '') !== (params.get('redirect_uri') ?? rec.redirectUri ?? '')) {
        reject('redirect_uri_mismatch');
        return send(res, 400, { error: 'invalid_grant', error_description: 'redirect_uri does not match' });
      }
      if (strict || rec.challenge) {
        const verifier = params.get('code_verifier') ?? '';
        const expected = rec.challenge ?? '';
        const actual = b64url(createHash('sha256').update(verifier).digest());
        if (!verifier || !expected || !safeEqual(actual, expected)) {
          reject('pkce_verifier_mismatch');
          return send(res, 400, { error: 'invalid_grant', error_description: 'PKCE verification failed' });
        }
      }
      return send(res, 200, issue(client.clientId, grant, { userId: MOCK_USER.id, scope: rec.scope }));
    }

    if (grant === 'refresh_token') {
      if (!client || !secretOk) {
        reject('invalid_client');
        return send(res, 401, { error: 'invalid_client' });
      }
      const rt = params.get('refresh_token') ?? '';
      const rec = refreshTokens.get(rt);
      if (!rec || rec.clientId !== client.clientId || rec.revoked || (strict && rec.used)) {
        reject(rec?.used ? 'refresh_token_reused' : 'invalid_refresh_token');
        return send(res, 400, { error: 'invalid_grant' });
      }
      rec.used = true;
      return send(res, 200, issue(client.clientId, rec.grant, { userId: rec.userId, family: rec.family }));
    }

    if (grant === 'password') {
      if (strict) {
        reject('password_grant');
        return send(res, 400, { error: 'unsupported_grant_type' });
      }
      if (!client || !secretOk || !params.get('username') || !params.get('password')) {
        reject('invalid_client');
        return send(res, 401, { error: 'invalid_client' });
      }
      return send(res, 200, issue(client.clientId, grant, { userId: MOCK_USER.id, nonExpiring }));
    }

    reject('unsupported_grant_type');
    return send(res, 400, { error: 'unsupported_grant_type' });
  }

  function handleAuthorize(req: http.IncomingMessage, res: http.ServerResponse, url: URL, legacyPath: boolean) {
    stats.authorizeRequests++;
    if (legacyPath && !legacyEndpoints) {
      reject('legacy_connect_endpoint');
      return send(res, 404, { error: 'not_found', error_description: 'Use https://secure.soundcloud.com/authorize' });
    }
    const q = url.searchParams;
    const client = findClient(q.get('client_id') ?? undefined);
    if (!client) {
      reject('invalid_client');
      return send(res, 400, { error: 'invalid_client' });
    }
    const redirectUri = q.get('redirect_uri') ?? '';
    if (!redirectUri || (client.redirectUris?.length && !client.redirectUris.includes(redirectUri))) {
      reject('redirect_uri_mismatch');
      return send(res, 400, { error: 'invalid_request', error_description: 'redirect_uri does not match the registered redirect URI' });
    }
    const scope = q.get('scope') ?? '';
    const nonExpiring = scope.split(/[\s,]+/).includes('non-expiring');
    if (nonExpiring && strict) {
      reject('non_expiring_scope');
      return send(res, 403, BODIES.nonExpiring);
    }
    const responseType = q.get('response_type') ?? '';
    const state = q.get('state');
    const target = new URL(redirectUri);
    if (responseType === 'code') {
      const challenge = q.get('code_challenge') ?? undefined;
      const method = q.get('code_challenge_method') ?? undefined;
      if (strict && (!challenge || method !== 'S256')) {
        reject('pkce_missing');
        return send(res, 400, { error: 'invalid_request', error_description: 'code_challenge and code_challenge_method=S256 are required' });
      }
      if (strict && !state) {
        reject('state_missing');
        return send(res, 400, { error: 'invalid_request', error_description: 'state is required' });
      }
      const code = randomBytes(18).toString('base64url');
      codes.set(code, { clientId: client.clientId, redirectUri, challenge, method, expiresAt: now() + 600_000, used: false, scope });
      target.searchParams.set('code', code);
      if (state !== null) target.searchParams.set('state', state);
      return send(res, 302, '', { location: target.toString() });
    }
    if ((responseType === 'token' || responseType === 'code_and_token') && !strict) {
      const body = issue(client.clientId, 'implicit', { userId: MOCK_USER.id, nonExpiring });
      const frag = new URLSearchParams();
      for (const [k, v] of Object.entries(body)) frag.set(k, String(v));
      if (state !== null) frag.set('state', state);
      if (responseType === 'code_and_token') {
        const code = randomBytes(18).toString('base64url');
        codes.set(code, { clientId: client.clientId, redirectUri, expiresAt: now() + 600_000, used: false, scope });
        target.searchParams.set('code', code);
      }
      target.hash = frag.toString();
      return send(res, 302, '', { location: target.toString() });
    }
    reject('unsupported_response_type');
    return send(res, 400, { error: 'unsupported_response_type', error_description: 'Only response_type=code is supported' });
  }

  function authenticate(req: http.IncomingMessage, res: http.ServerResponse, url: URL, publicResource: boolean): TokenRecord | 'public' | undefined {
    const header = req.headers.authorization;
    const m = header ? /^(OAuth|Bearer)\s+(\S+)\s*$/i.exec(header) : null;
    let token: string | undefined;
    if (m && (m[1]!.toLowerCase() === 'oauth' || acceptBearer)) token = m[2];
    if (!token && header) {
      reject('bad_authorization_scheme');
      send(res, 401, BODIES.missingAuthorization);
      return undefined;
    }
    if (!token) {
      const qToken = url.searchParams.get('oauth_token');
      const qClient = url.searchParams.get('client_id');
      if (!strict) {
        if (qToken) token = qToken;
        else if (qClient && publicResource && findClient(qClient)) return 'public';
      }
      if (!token) {
        reject(qToken ? 'oauth_token_in_query' : qClient ? 'client_id_only' : 'missing_authorization');
        send(res, 401, BODIES.missingAuthorization);
        return undefined;
      }
    }
    const rec = tokens.get(token);
    if (!rec || rec.revoked || (rec.expiresAt !== undefined && rec.expiresAt <= now())) {
      reject(!rec ? 'unknown_token' : rec.revoked ? 'revoked_token' : 'expired_token');
      send(res, 401, BODIES.invalidToken, { 'www-authenticate': 'OAuth realm="SoundCloud", error="invalid_token"' });
      return undefined;
    }
    return rec;
  }

  function handleApi(req: http.IncomingMessage, res: http.ServerResponse, url: URL) {
    stats.apiRequests++;
    const host = String(req.headers.host ?? '').split(':')[0] ?? '';
    if (/^api-v2\./i.test(host) && strict) {
      reject('api_v2_unsupported');
      return send(res, 403, BODIES.apiV2);
    }
    const path = url.pathname.replace(/\/+$/, '') || '/';
    const origin = selfOrigin('api', req);
    const isPublic = path === '/tracks' || path.startsWith('/tracks/') || path === '/resolve' || path.startsWith('/users/');
    const known =
      path === '/me' || path === '/me/tracks' || path === '/tracks' || path === '/resolve' || /^\/tracks\/[^/]+(\/stream|\/streams)?$/.test(path) || path === '/users/' + MOCK_USER.id || path === `/users/${MOCK_USER.id}/tracks`;
    if (!known) return send(res, 404, { code: 404, message: 'Not Found' });
    const auth = authenticate(req, res, url, isPublic);
    if (!auth) return;
    if (path === '/me') {
      if (auth === 'public') return send(res, 401, BODIES.missingAuthorization);
      return send(res, 200, MOCK_USER);
    }
    if (path === '/users/' + MOCK_USER.id) return send(res, 200, MOCK_USER);
    // a user's public tracks (any app token will do)
    if (path === `/users/${MOCK_USER.id}/tracks`) {
      if (url.searchParams.get('linked_partitioning')) return send(res, 200, { collection: MOCK_TRACKS, next_href: null });
      return send(res, 200, MOCK_TRACKS);
    }
    if (path === '/me/tracks') {
      if (auth === 'public') return send(res, 401, BODIES.missingAuthorization);
      return send(res, 200, MOCK_TRACKS);
    }
    if (path === '/tracks') {
      const q = (url.searchParams.get('q') ?? '').toLowerCase();
      const list = MOCK_TRACKS.filter((t) => !q || t.title.toLowerCase().includes(q));
      if (url.searchParams.get('linked_partitioning')) return send(res, 200, { collection: list, next_href: null });
      return send(res, 200, list);
    }
    if (path === '/resolve') {
      const target = url.searchParams.get('url') ?? '';
      // Strict: a query credential is not carried over (only header auth survives the redirect).
      // Legacy: the old API carried client_id / oauth_token into the Location, so old apps worked.
      const carry = new URLSearchParams();
      if (!strict) for (const k of ['client_id', 'oauth_token']) { const v = url.searchParams.get(k); if (v) carry.set(k, v); }
      const qs = carry.size ? `?${carry}` : '';
      const t = MOCK_TRACKS.find((x) => x.permalink_url === target.replace(/^http:/, 'https:').replace(/\/$/, ''));
      if (t) return send(res, 302, { status: '302 - Found', location: `${origin}/tracks/${t.id}${qs}` }, { location: `${origin}/tracks/${t.id}${qs}` });
      if (target.replace(/\/$/, '') === MOCK_USER.permalink_url)
        return send(res, 302, { status: '302 - Found', location: `${origin}/users/${MOCK_USER.id}${qs}` }, { location: `${origin}/users/${MOCK_USER.id}${qs}` });
      return send(res, 404, { code: 404, message: 'Not Found' });
    }
    const m = /^\/tracks\/([^/]+)(\/stream|\/streams)?$/.exec(path)!;
    const track = MOCK_TRACKS.find((t) => String(t.id) === m[1]);
    if (!track) return send(res, 404, { code: 404, message: 'Not Found' });
    const cdn = `${cdnOrigin(req)}/stream/${track.id}.mp3?Policy=mock&Signature=${randomBytes(6).toString('hex')}`;
    if (m[2] === '/stream') return send(res, 302, { status: '302 - Found', location: cdn }, { location: cdn });
    if (m[2] === '/streams') return send(res, 200, { http_mp3_128_url: cdn });
    return send(res, 200, track);
  }

  function handleCdn(req: http.IncomingMessage, res: http.ServerResponse, url: URL) {
    stats.cdnRequests++;
    if (req.headers.authorization) {
      reject('cdn_authorization_header');
      return send(res, 400, BODIES.cdnAuthorization);
    }
    const m = /^\/stream\/(\d+)\.mp3$/.exec(url.pathname);
    if (!m || !url.searchParams.get('Signature')) return send(res, 403, 'Access Denied');
    const audio = Buffer.concat([Buffer.from('ID3'), Buffer.alloc(61, Number(m[1]))]);
    res.writeHead(200, { 'content-type': 'audio/mpeg', 'content-length': audio.length });
    res.end(audio);
  }

  async function handleSignOut(req: http.IncomingMessage, res: http.ServerResponse, raw: string) {
    if (req.method !== 'POST') return send(res, 405, { error: 'invalid_request' });
    let accessToken: string | undefined;
    try {
      accessToken = JSON.parse(raw || '{}').access_token;
    } catch {
      /* fallthrough */
    }
    const rec = accessToken ? tokens.get(accessToken) : undefined;
    if (!rec) return send(res, 400, { error: 'invalid_request' });
    for (const t of tokens.values()) if (t.family === rec.family) t.revoked = true;
    for (const r of refreshTokens.values()) if (r.family === rec.family) r.revoked = true;
    return send(res, 200, {});
  }

  async function handler(role: Role, req: http.IncomingMessage, res: http.ServerResponse) {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    const url = new URL(req.url ?? '/', 'https://mock.invalid');
    const path = url.pathname;

    if (role === 'http') {
      if (strict) {
        reject('plain_http');
        const host = String(req.headers.host ?? '').split(':')[0] ?? '';
        const base = SOUNDCLOUD_HOST.test(host)
          ? `https://${host}`
          : /^\/(oauth\/token|authorize|sign-out)/.test(path)
            ? authUrl
            : apiUrl;
        const location = base + path + url.search;
        return send(res, 301, { status: '301 - Moved Permanently', location }, { location });
      }
      const host = String(req.headers.host ?? '').split(':')[0] ?? '';
      role = /^secure\./.test(host) || /^\/(oauth\/token|authorize|sign-out)/.test(path) ? 'auth' : host === 'soundcloud.com' ? 'auth' : 'api';
    }

    const f = matchFault(role, path);
    if (f) {
      if (f.type === 'slow') {
        await new Promise<void>((resolve) => {
          const t = setTimeout(() => {
            timers.delete(t);
            resolve();
          }, f.delayMs ?? 5000);
          timers.add(t);
        });
        if (res.destroyed) return;
      } else {
        return sendFault(res, f);
      }
    }

    if (role === 'cdn') return handleCdn(req, res, url);
    if (path === '/oauth/token' && role === 'auth') return handleToken(req, res, raw, false);
    if (path === '/oauth2/token') return handleToken(req, res, raw, true);
    if (path === '/authorize' && role === 'auth') return handleAuthorize(req, res, url, false);
    if (path === '/connect' || path === '/connect/') return handleAuthorize(req, res, url, true);
    if (path === '/sign-out' && role === 'auth') return handleSignOut(req, res, raw);
    if (role === 'auth') return send(res, 404, { error: 'not_found' });
    return handleApi(req, res, url);
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
    for (const [, s] of servers) if (s.listening) s.close();
    rmSync(caDir, { recursive: true, force: true });
    throw err;
  }
  apiUrl = `https://127.0.0.1:${ports[0]}`;
  authUrl = `https://127.0.0.1:${ports[1]}`;
  cdnUrl = `https://127.0.0.1:${ports[2]}`;
  httpUrl = `http://127.0.0.1:${ports[3]}`;

  const trustingFetch = createTrustingFetch({ ca: cert.cert });

  const env: Record<string, string> = {
    SC_MIGRATE_API_BASE: apiUrl,
    SC_MIGRATE_AUTH_BASE: authUrl,
    SC_MIGRATE_MOCK_API_URL: apiUrl,
    SC_MIGRATE_MOCK_AUTH_URL: authUrl,
    SC_MIGRATE_MOCK_CDN_URL: cdnUrl,
    SC_MIGRATE_MOCK_HTTP_URL: httpUrl,
    SC_MIGRATE_MOCK_CA_FILE: caFile,
    NODE_EXTRA_CA_CERTS: caFile,
  };

  let closed = false;
  return {
    mode,
    apiUrl,
    authUrl,
    cdnUrl,
    httpUrl,
    ca: cert.cert,
    caFile,
    fetch: trustingFetch,
    stats,
    env,
    now,
    advanceTime(ms: number) {
      if (options.now) throw new Error('advanceTime: the mock clock is controlled by the `now` option');
      offset += ms;
    },
    addFault(fault: Fault) {
      faults.push({ ...fault, left: fault.times ?? 1 });
    },
    clearFaults() {
      faults.length = 0;
    },
    revokeTokens(opts = {}) {
      for (const t of tokens.values()) {
        if (opts.accessToken && t.accessToken !== opts.accessToken) continue;
        t.revoked = true;
        if (opts.refresh) for (const r of refreshTokens.values()) if (r.family === t.family) r.revoked = true;
      }
    },
    async close() {
      if (closed) return;
      closed = true;
      for (const t of timers) clearTimeout(t);
      timers.clear();
      trustingFetch.close();
      await Promise.all(
        servers.map(
          ([, s]) =>
            new Promise<void>((resolve) => {
              s.close(() => resolve());
              s.closeAllConnections();
            }),
        ),
      );
      rmSync(caDir, { recursive: true, force: true });
    },
  };
}
