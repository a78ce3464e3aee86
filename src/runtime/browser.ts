/**
 * `sc-migrate/runtime/browser`: the runtime for a browser bundle. The same client as
 * `sc-migrate/runtime`, without what only a server uses (FileTokenStore and createClientFromEnv,
 * which reach for `node:fs` / `process.env`; RedisTokenStore; createTokenEndpoint, which holds
 * the client secret): a bundler meets no Node module anywhere in this graph.
 * A browser client gets its tokens from the app's backend (`tokenEndpoint`, served there with
 * createTokenEndpoint of `sc-migrate/runtime`), and a URL that plays at once from its stream route
 * (streamSrc; served there with createStreamEndpoint); see docs/runtime.md.
 */
export { SoundCloudClient, withOAuthHeader, DEFAULT_API_BASE, DEFAULT_AUTH_BASE } from './client.js';
export type { SoundCloudClientOptions, AuthorizeUrlResult, Logger, RetryOptions, FetchFn, StreamSource, StreamUrlOptions } from './client.js';
export { SoundCloudError, SoundCloudApiError, SoundCloudAuthError, TokenStoreError, parseErrorBody } from './errors.js';
export type { SoundCloudErrorCode, ParsedErrorBody } from './errors.js';
export { MemoryTokenStore } from './token-store.js';
export type { TokenStore, TokenSet } from './token-store.js';
export { createPkcePair, pkceChallenge } from './pkce.js';
export { redact } from './redact.js';
export { streamSrc, streamRouteOf } from './stream-src.js';
export type { StreamSrcSource } from './stream-src.js';
