/**
 * `sc-migrate/runtime`: SoundCloud API auth done right. See docs/runtime.md.
 *
 * No dependencies (RedisTokenStore uses the Redis client the app passes in). Browser-safe except
 * FileTokenStore (which loads node:fs lazily).
 */
export { SoundCloudClient, withOAuthHeader, DEFAULT_API_BASE, DEFAULT_AUTH_BASE } from './client.js';
export type { SoundCloudClientOptions, AuthorizeUrlResult, Logger, RetryOptions, FetchFn, StreamSource, StreamUrlOptions } from './client.js';
export { SoundCloudError, SoundCloudApiError, SoundCloudAuthError, TokenStoreError, parseErrorBody } from './errors.js';
export type { SoundCloudErrorCode, ParsedErrorBody } from './errors.js';
export { MemoryTokenStore } from './token-store.js';
export type { TokenStore, TokenSet } from './token-store.js';
export { FileTokenStore } from './file-token-store.js';
export type { FileTokenStoreOptions } from './file-token-store.js';
export { RedisTokenStore, redisCommands } from './redis-token-store.js';
export type { RedisTokenStoreOptions, RedisCommands, RedisTokenStoreEvent } from './redis-token-store.js';
export { createPkcePair, pkceChallenge, basicAuthHeader } from './pkce.js';
export { redact } from './redact.js';
export { createClientFromEnv } from './env.js';
export { createTokenEndpoint, toNodeHandler } from './token-route.js';
export type { TokenEndpointHandler, TokenEndpointHandlerOptions, NodeRequestLike, NodeResponseLike } from './token-route.js';
export { createStreamEndpoint } from './stream-route.js';
export type { StreamEndpointHandler, StreamEndpointOptions } from './stream-route.js';
export { streamSrc, streamRouteOf } from './stream-src.js';
export type { StreamSrcSource } from './stream-src.js';
