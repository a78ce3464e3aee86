/**
 * URL policy: which bases the client talks to, https only (loopback excepted for mocks),
 * http SoundCloud URLs upgraded, real hosts mapped onto configured bases, and which origin
 * may receive the Authorization header (the API origin only, never a CDN).
 */
import type { Diagnostics } from './diagnostics.js';
import { SoundCloudApiError } from './errors.js';

export const DEFAULT_API_BASE = 'https://api.soundcloud.com';
export const DEFAULT_AUTH_BASE = 'https://secure.soundcloud.com';

const SOUNDCLOUD_HOST = /(^|\.)soundcloud\.com$|(^|\.)sndcdn\.com$/i;
const LOOPBACK = /^(127\.0\.0\.1|localhost|\[::1\])$/;

export function env(name: string): string | undefined {
  const p = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process;
  return p?.env?.[name] || undefined;
}

function trimBase(u: string): string {
  return u.replace(/\/+$/, '');
}

export class UrlPolicy {
  readonly apiBase: string;
  readonly authBase: string;
  readonly #apiOrigin: string;
  readonly #authOrigin: string;
  readonly #diag: Diagnostics;

  /** Throws `insecure_url` when a base is not https (loopback hosts excepted). */
  constructor(apiBase: string | undefined, authBase: string | undefined, diag: Diagnostics) {
    this.#diag = diag;
    this.apiBase = trimBase(apiBase ?? env('SC_MIGRATE_API_BASE') ?? DEFAULT_API_BASE);
    this.authBase = trimBase(authBase ?? env('SC_MIGRATE_AUTH_BASE') ?? DEFAULT_AUTH_BASE);
    for (const base of [this.apiBase, this.authBase]) {
      const u = new URL(base);
      if (u.protocol !== 'https:' && !LOOPBACK.test(u.hostname)) {
        throw new SoundCloudApiError({ status: 0, code: 'insecure_url', message: `SoundCloudClient: ${base} is not https` });
      }
    }
    this.#apiOrigin = new URL(this.apiBase).origin;
    this.#authOrigin = new URL(this.authBase).origin;
  }

  /** Resolves a path or URL against apiBase, then applies `secure`. */
  resolve(pathOrUrl: string | URL): URL {
    const s = String(pathOrUrl);
    const u = /^[a-z][a-z0-9+.-]*:/i.test(s) ? new URL(s) : new URL(this.apiBase + (s.startsWith('/') ? s : `/${s}`));
    return this.secure(u);
  }

  /** Maps real hosts onto configured bases, upgrades http SoundCloud URLs, refuses other http. */
  secure(u: URL): URL {
    const host = u.hostname.toLowerCase();
    if (host === 'api.soundcloud.com' && this.apiBase !== DEFAULT_API_BASE) return new URL(this.apiBase + u.pathname + u.search);
    if (host === 'secure.soundcloud.com' && this.authBase !== DEFAULT_AUTH_BASE) return new URL(this.authBase + u.pathname + u.search);
    if (u.protocol === 'https:') return u;
    if (u.protocol === 'http:') {
      if (SOUNDCLOUD_HOST.test(host)) {
        const up = new URL(u.toString());
        up.protocol = 'https:';
        return up;
      }
      if (u.origin === this.#apiOrigin || u.origin === this.#authOrigin) return u;
    }
    throw this.#diag.apiError({ status: 0, code: 'insecure_url', message: `Refusing a non-https URL: ${u.origin}` });
  }

  /** Only the API origin receives `Authorization: OAuth <token>`. */
  authorized(u: URL): boolean {
    return u.origin === this.#apiOrigin;
  }
}
