/**
 * createClientFromEnv: the one-liner the codemods insert.
 *
 * Reads SOUNDCLOUD_CLIENT_ID (required), SOUNDCLOUD_CLIENT_SECRET, SOUNDCLOUD_REDIRECT_URI,
 * SOUNDCLOUD_TOKEN_FILE (a FileTokenStore path; default: memory), and SC_MIGRATE_API_BASE /
 * SC_MIGRATE_AUTH_BASE (point the client at the mock or a proxy).
 */
import { SoundCloudClient, type SoundCloudClientOptions } from './client.js';
import { FileTokenStore } from './file-token-store.js';

export function createClientFromEnv(
  overrides: Partial<SoundCloudClientOptions> = {},
  env: Record<string, string | undefined> = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env ?? {},
): SoundCloudClient {
  const clientId = overrides.clientId ?? env.SOUNDCLOUD_CLIENT_ID;
  if (!clientId) throw new TypeError('createClientFromEnv: set SOUNDCLOUD_CLIENT_ID');
  const tokenFile = env.SOUNDCLOUD_TOKEN_FILE;
  return new SoundCloudClient({
    clientSecret: env.SOUNDCLOUD_CLIENT_SECRET || undefined,
    redirectUri: env.SOUNDCLOUD_REDIRECT_URI || undefined,
    apiBase: env.SC_MIGRATE_API_BASE || undefined,
    authBase: env.SC_MIGRATE_AUTH_BASE || undefined,
    tokenStore: tokenFile ? new FileTokenStore(tokenFile) : undefined,
    ...overrides,
    clientId,
  });
}
