/**
 * The API origin: authentication (header only in strict mode; `oauth_token` / `client_id` in
 * the query in legacy mode), then a table of resources. Collections honour `limit` (default 50,
 * at most 200) and `offset`, and with `linked_partitioning` answer `{ collection, next_href }`
 * where `next_href` is the absolute URL of the next page (null on the last), as the real API.
 * `/me` and `/me/*` need a user token: an app (client_credentials) token gets 401, as upstream.
 */
import { randomBytes } from 'node:crypto';
import { BODIES, MOCK_PLAYLISTS, MOCK_TRACKS, MOCK_USER } from './data.js';
import { hostOf, type Ctx, type MockState } from './state.js';
import type { TokenRecord } from './types.js';

type Auth = TokenRecord | 'public';

interface ApiRoute {
  pattern: RegExp;
  /** Readable with only `?client_id=` in legacy mode. */
  public?: boolean;
  /** Resolves to the token's user: needs a user token (authorization_code, or password in legacy mode). */
  user?: boolean;
  handle(s: MockState, c: Ctx, m: RegExpExecArray): void;
}

export const DEFAULT_LIMIT = 50;
export const MAX_LIMIT = 200;

function authenticate(s: MockState, { req, res, url }: Ctx, publicResource: boolean): Auth | undefined {
  const { strict, acceptBearer, send, reject, findClient, tokens, now } = s;
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

function flag(v: string | null): boolean {
  return v !== null && v !== '' && v !== 'false' && v !== '0';
}

/**
 * A collection answer: `limit` / `offset`, and `{ collection, next_href }` with linked_partitioning
 * (`linked`: always, as the endpoints whose documented answer is a paged object, e.g. followings).
 */
function page(s: MockState, { req, res, url }: Ctx, items: readonly unknown[], linked = false) {
  const q = url.searchParams;
  const limit = Math.min(MAX_LIMIT, Math.max(1, Number.parseInt(q.get('limit') ?? '', 10) || DEFAULT_LIMIT));
  const offset = Math.max(0, Number.parseInt(q.get('offset') ?? '', 10) || 0);
  const slice = items.slice(offset, offset + limit);
  if (!linked && !flag(q.get('linked_partitioning'))) return s.send(res, 200, slice);
  let next: string | null = null;
  if (offset + limit < items.length) {
    const n = new URL(s.selfOrigin('api', req) + url.pathname + url.search);
    n.searchParams.set('offset', String(offset + limit));
    n.searchParams.set('limit', String(limit));
    next = n.toString();
  }
  return s.send(res, 200, { collection: slice, next_href: next });
}

function resolve(s: MockState, c: Ctx) {
  const { url, req, res } = c;
  const origin = s.selfOrigin('api', req);
  const target = url.searchParams.get('url') ?? '';
  // Strict: a query credential is not carried over (only header auth survives the redirect).
  // Legacy: the old API carried client_id / oauth_token into the Location, so old apps worked.
  const carry = new URLSearchParams();
  if (!s.strict)
    for (const k of ['client_id', 'oauth_token']) {
      const v = url.searchParams.get(k);
      if (v) carry.set(k, v);
    }
  const qs = carry.size ? `?${carry}` : '';
  const found = (location: string) => s.send(res, 302, { status: '302 - Found', location }, { location });
  const permalink = target.replace(/^http:/, 'https:').replace(/\/$/, '');
  const t = MOCK_TRACKS.find((x) => x.permalink_url === permalink);
  if (t) return found(`${origin}/tracks/${t.id}${qs}`);
  if (permalink === MOCK_USER.permalink_url) return found(`${origin}/users/${MOCK_USER.id}${qs}`);
  return s.send(res, 404, { code: 404, message: 'Not Found' });
}

/** `?q=` as the search endpoints read it: a case-insensitive substring of one of `fields`. */
function matching<T extends Record<string, unknown>>(c: Ctx, items: readonly T[], fields: (keyof T)[]): T[] {
  const q = (c.url.searchParams.get('q') ?? '').toLowerCase();
  return items.filter((x) => !q || fields.some((f) => String(x[f] ?? '').toLowerCase().includes(q)));
}

function track(s: MockState, c: Ctx, m: RegExpExecArray) {
  const t = MOCK_TRACKS.find((x) => String(x.id) === m[1]);
  if (!t) return s.send(c.res, 404, { code: 404, message: 'Not Found' });
  const cdn = `${s.cdnOrigin(c.req)}/stream/${t.id}.mp3?Policy=mock&Signature=${randomBytes(6).toString('hex')}`;
  // `/download` (the file of a downloadable track) redirects as `/stream` does
  if (m[2] === '/stream' || m[2] === '/download') return s.send(c.res, 302, { status: '302 - Found', location: cdn }, { location: cdn });
  if (m[2] === '/streams') return s.send(c.res, 200, { http_mp3_128_url: cdn });
  return s.send(c.res, 200, t);
}

export const API_ROUTES: ApiRoute[] = [
  { pattern: /^\/me$/, user: true, handle: (s, c) => s.send(c.res, 200, MOCK_USER) },
  { pattern: /^\/me\/tracks$/, user: true, handle: (s, c) => page(s, c, MOCK_TRACKS) },
  { pattern: /^\/me\/playlists$/, user: true, handle: (s, c) => page(s, c, MOCK_PLAYLISTS) },
  // the users the token's user follows: a paged object ({ collection, next_href }) as documented
  { pattern: /^\/me\/followings$/, user: true, handle: (s, c) => page(s, c, [MOCK_USER], true) },
  { pattern: /^\/users$/, public: true, handle: (s, c) => page(s, c, matching(c, [MOCK_USER], ['username', 'full_name'])) },
  { pattern: new RegExp(`^/users/${MOCK_USER.id}$`), public: true, handle: (s, c) => s.send(c.res, 200, MOCK_USER) },
  // a user's public tracks (any app token will do)
  { pattern: new RegExp(`^/users/${MOCK_USER.id}/tracks$`), public: true, handle: (s, c) => page(s, c, MOCK_TRACKS) },
  {
    pattern: /^\/tracks$/,
    public: true,
    handle: (s, c) => page(s, c, matching(c, MOCK_TRACKS, ['title'])),
  },
  {
    pattern: /^\/playlists\/([^/]+)$/,
    public: true,
    handle: (s, c, m) => {
      const p = MOCK_PLAYLISTS.find((x) => String(x.id) === m[1]);
      return p ? s.send(c.res, 200, p) : s.send(c.res, 404, { code: 404, message: 'Not Found' });
    },
  },
  { pattern: /^\/resolve$/, public: true, handle: resolve },
  { pattern: /^\/tracks\/([^/]+)(\/stream|\/streams|\/download)?$/, public: true, handle: track },
];

export function handleApi(s: MockState, c: Ctx) {
  s.stats.apiRequests++;
  if (/^api-v2\./i.test(hostOf(c.req)) && s.strict) {
    s.reject('api_v2_unsupported');
    return s.send(c.res, 403, BODIES.apiV2);
  }
  // a `.json` format suffix (`/resolve.json`, `/users/1001/tracks.json`) names the same resource
  const path = c.url.pathname.replace(/\/+$/, '').replace(/\.json$/, '') || '/';
  let route: ApiRoute | undefined;
  let m: RegExpExecArray | null = null;
  for (const r of API_ROUTES) if ((m = r.pattern.exec(path))) { route = r; break; }
  if (!route || !m) return s.send(c.res, 404, { code: 404, message: 'Not Found' });
  const auth = authenticate(s, c, !!route.public);
  if (!auth) return;
  if (route.user) {
    if (auth === 'public') return s.send(c.res, 401, BODIES.missingAuthorization);
    if (s.strict && auth.userId === undefined) {
      s.reject('me_with_app_token');
      return s.send(c.res, 401, BODIES.meWithAppToken);
    }
  }
  return route.handle(s, c, m);
}
