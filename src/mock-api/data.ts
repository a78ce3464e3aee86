/** The mock's fixed data: the default client, the user, the tracks and the documented bodies. */
import type { MockClient } from './types.js';

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
  avatar_url: null,
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
  // present on every track the API answers (null when the track has no artwork)
  artwork_url: null,
  created_at: '2020/01/01 00:00:00 +0000',
}));

/** The user's one playlist (set), as /me/playlists and /playlists/:id answer it: the tracks inline. */
export const MOCK_PLAYLISTS = [
  {
    id: 501,
    kind: 'playlist',
    title: 'Mock Set',
    permalink_url: 'https://soundcloud.com/mock-user/sets/mock-set',
    uri: 'https://api.soundcloud.com/playlists/501',
    user_id: MOCK_USER.id,
    user: { id: MOCK_USER.id, username: MOCK_USER.username },
    artwork_url: null,
    last_modified: '2020/01/02 00:00:00 +0000',
    likes_count: 0,
    track_count: MOCK_TRACKS.length,
    tracks: MOCK_TRACKS,
  },
];

const AUTH_HEADER_MESSAGE =
  'A request must contain the Authorization header. See https://developers.soundcloud.com/blog/security-updates-api';
export const BODIES = {
  missingAuthorization: { code: 401, message: AUTH_HEADER_MESSAGE },
  invalidToken: { code: 401, message: 'invalid_token', error_code: 'invalid_token' },
  nonExpiring: { error: 'invalid_scope', error_description: 'Requesting non-expiring tokens is not allowed' },
  rateLimitToken: { error: 'rate_limit_exceeded' },
  cdnAuthorization:
    'Only one auth mechanism allowed; only the X-Amz-Algorithm query parameter, Signature query string parameter or the Authorization header should be specified',
  /** What the real API answers for /me and /me/* with an app (client_credentials) token: there is no user. */
  meWithAppToken: { code: 401, message: '', link: 'https://developers.soundcloud.com/docs/api/explorer/open-api', status: '401 - Unauthorized', errors: [], error: null },
  apiV2: { code: 403, message: 'api-v2.soundcloud.com is a private API and is not supported; use https://api.soundcloud.com' },
} as const;

