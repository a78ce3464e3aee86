/**
 * `sc-migrate/mock-api`: a strict local SoundCloud API for tests. See docs/mock-api.md.
 */
export {
  startMockApi,
  DEFAULT_MOCK_CLIENT,
  MOCK_USER,
  MOCK_TRACKS,
  BODIES as MOCK_BODIES,
} from './server.js';
export type { MockApi, MockApiOptions, MockClient, MockMode, MockStats, Fault, FaultTarget, RateLimitShape } from './server.js';
export { createTrustingFetch } from './trusting-fetch.js';
export type { FetchLike, TrustingFetchOptions } from './trusting-fetch.js';
export { createMockCertificate, buildSelfSignedCertificate } from './cert.js';
export type { MockCertificate } from './cert.js';
export { runMockApiCommand } from './cli.js';
export { mockRouteFor, SOUNDCLOUD_HOSTS } from './routing.js';
