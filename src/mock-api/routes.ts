/**
 * The route table: which handler serves a request, by listener role and path. The plain-http
 * listener answers 301 to https in strict mode (legacy mode serves it as the origin it names);
 * faults apply before any route.
 */
import { applyFault } from './faults.js';
import { handleApi } from './routes-api.js';
import { handleAuthorize, handleSignOut } from './routes-auth.js';
import { handleCdn } from './routes-cdn.js';
import { handleToken } from './routes-token.js';
import { SOUNDCLOUD_HOST, hostOf, type Ctx, type MockState, type Role } from './state.js';

interface Route {
  /** Listener roles it answers on (undefined: any). */
  roles?: Role[];
  /** Exact paths (undefined: any path). */
  paths?: string[];
  handle(s: MockState, c: Ctx): unknown;
}

const AUTH_PATHS = /^\/(oauth\/token|authorize|sign-out)/;

export const ROUTES: Route[] = [
  { roles: ['cdn'], handle: handleCdn },
  { roles: ['auth'], paths: ['/oauth/token'], handle: (s, c) => handleToken(s, c, false) },
  { paths: ['/oauth2/token'], handle: (s, c) => handleToken(s, c, true) },
  { roles: ['auth'], paths: ['/authorize'], handle: (s, c) => handleAuthorize(s, c, false) },
  { paths: ['/connect', '/connect/'], handle: (s, c) => handleAuthorize(s, c, true) },
  { roles: ['auth'], paths: ['/sign-out'], handle: handleSignOut },
  { roles: ['auth'], handle: (s, c) => s.send(c.res, 404, { error: 'not_found' }) },
  { roles: ['api'], handle: handleApi },
];

/** Strict: 301 to https. Legacy: the role this plain-http request is served as. */
function plainHttp(s: MockState, c: Ctx): Role | undefined {
  const host = hostOf(c.req);
  if (s.strict) {
    s.reject('plain_http');
    const base = SOUNDCLOUD_HOST.test(host) ? `https://${host}` : AUTH_PATHS.test(c.path) ? s.urls.authUrl : s.urls.apiUrl;
    const location = base + c.path + c.url.search;
    s.send(c.res, 301, { status: '301 - Moved Permanently', location }, { location });
    return undefined;
  }
  return /^secure\./.test(host) || AUTH_PATHS.test(c.path) || host === 'soundcloud.com' ? 'auth' : 'api';
}

export async function dispatch(s: MockState, c: Ctx): Promise<unknown> {
  if (c.role === 'http') {
    const role = plainHttp(s, c);
    if (!role) return;
    c.role = role;
  }
  if (await applyFault(s, c)) return;
  for (const r of ROUTES) {
    if (r.roles && !r.roles.includes(c.role)) continue;
    if (r.paths && !r.paths.includes(c.path)) continue;
    return r.handle(s, c);
  }
}
