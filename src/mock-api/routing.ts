/**
 * Which real SoundCloud hosts map to which mock origin. Used by the preload and available to
 * tests that route requests themselves.
 */
export const SOUNDCLOUD_HOSTS = {
  api: ['api.soundcloud.com', 'api-v2.soundcloud.com'],
  auth: ['secure.soundcloud.com', 'soundcloud.com', 'www.soundcloud.com'],
  cdn: /(^|\.)sndcdn\.com$/i,
} as const;

export interface MockUrls {
  apiUrl: string;
  authUrl: string;
  cdnUrl: string;
  httpUrl: string;
}

/** Reads the mock URLs from SC_MIGRATE_MOCK_* env vars (set by `mock.env`). */
export function mockUrlsFromEnv(env: NodeJS.ProcessEnv = process.env): MockUrls | undefined {
  const apiUrl = env.SC_MIGRATE_MOCK_API_URL;
  const authUrl = env.SC_MIGRATE_MOCK_AUTH_URL;
  const cdnUrl = env.SC_MIGRATE_MOCK_CDN_URL;
  const httpUrl = env.SC_MIGRATE_MOCK_HTTP_URL;
  if (!apiUrl || !authUrl || !cdnUrl || !httpUrl) return undefined;
  return { apiUrl, authUrl, cdnUrl, httpUrl };
}

/**
 * Maps a URL on a SoundCloud host to the mock. Returns undefined for any other host.
 * `hostHeader` keeps the original host so the mock's redirects point back at SoundCloud hosts
 * (which are routed again); plain http goes to the mock's http port (301 in strict mode).
 */
export function mockRouteFor(url: URL, urls: MockUrls): { url: URL; hostHeader: string } | undefined {
  const host = url.hostname.toLowerCase();
  let base: string | undefined;
  if ((SOUNDCLOUD_HOSTS.api as readonly string[]).includes(host)) base = urls.apiUrl;
  else if ((SOUNDCLOUD_HOSTS.auth as readonly string[]).includes(host)) base = urls.authUrl;
  else if (SOUNDCLOUD_HOSTS.cdn.test(host)) base = urls.cdnUrl;
  if (!base) return undefined;
  if (url.protocol === 'http:') base = urls.httpUrl;
  const target = new URL(url.pathname + url.search, base);
  return { url: target, hostHeader: host };
}
