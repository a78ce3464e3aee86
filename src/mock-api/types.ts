/** Public option and handle types of the mock, and its internal records. */
import type { FetchLike } from './trusting-fetch.js';

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
  type: '5xx' | '429' | 'slow' | 'html' | 'hold';
  /** Status for '5xx' (default 503) and 'html' (default 502). */
  status?: number;
  /** Body shape for '429' (default 'code-message'). */
  shape?: RateLimitShape;
  /** Adds a Retry-After header (seconds) to '429' / '5xx'. */
  retryAfter?: number;
  /** Delay for 'slow' before answering normally (ms, real time; default 5000). 'hold' waits for `releaseHeld()` instead. */
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
  /** Resolves when `n` requests (default 1) are held by 'hold' faults; see `releaseHeld`. */
  waitForHeld(n?: number): Promise<void>;
  /** Lets every held request go on (a held request whose client went away is dropped unanswered). */
  releaseHeld(): void;
  close(): Promise<void>;
}

export interface TokenRecord {
  accessToken: string;
  clientId: string;
  grant: string;
  userId?: number;
  expiresAt?: number;
  revoked?: boolean;
  family: string;
}
export interface RefreshRecord {
  clientId: string;
  family: string;
  used: boolean;
  userId?: number;
  grant: string;
  revoked?: boolean;
}
export interface CodeRecord {
  clientId: string;
  redirectUri?: string;
  challenge?: string;
  method?: string;
  expiresAt: number;
  used: boolean;
  scope?: string;
}
