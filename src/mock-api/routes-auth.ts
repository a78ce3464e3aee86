/**
 * The auth origin's pages: `GET /authorize` (auto-consent as the mock user; code + PKCE +
 * state in strict mode, implicit grants in legacy mode; old `/connect`) and `POST /sign-out`.
 */
import { randomBytes } from 'node:crypto';
import { BODIES, MOCK_USER } from './data.js';
import type { Ctx, MockState } from './state.js';

export function handleAuthorize(s: MockState, { res, url }: Ctx, legacyPath: boolean) {
  const { stats, legacyEndpoints, strict, send, reject, findClient, issue, codes, now } = s;
  stats.authorizeRequests++;
  if (legacyPath && !legacyEndpoints) {
    reject('legacy_connect_endpoint');
    return send(res, 404, { error: 'not_found', error_description: 'Use https://secure.soundcloud.com/authorize' });
  }
  const q = url.searchParams;
  const client = findClient(q.get('client_id') ?? undefined);
  if (!client) {
    reject('invalid_client');
    return send(res, 400, { error: 'invalid_client' });
  }
  const redirectUri = q.get('redirect_uri') ?? '';
  if (!redirectUri || (client.redirectUris?.length && !client.redirectUris.includes(redirectUri))) {
    reject('redirect_uri_mismatch');
    return send(res, 400, { error: 'invalid_request', error_description: 'redirect_uri does not match the registered redirect URI' });
  }
  const scope = q.get('scope') ?? '';
  const nonExpiring = scope.split(/[\s,]+/).includes('non-expiring');
  if (nonExpiring && strict) {
    reject('non_expiring_scope');
    return send(res, 403, BODIES.nonExpiring);
  }
  const responseType = q.get('response_type') ?? '';
  const state = q.get('state');
  const target = new URL(redirectUri);
  if (responseType === 'code') {
    const challenge = q.get('code_challenge') ?? undefined;
    const method = q.get('code_challenge_method') ?? undefined;
    if (strict && (!challenge || method !== 'S256')) {
      reject('pkce_missing');
      return send(res, 400, { error: 'invalid_request', error_description: 'code_challenge and code_challenge_method=S256 are required' });
    }
    if (strict && !state) {
      reject('state_missing');
      return send(res, 400, { error: 'invalid_request', error_description: 'state is required' });
    }
    const code = randomBytes(18).toString('base64url');
    codes.set(code, { clientId: client.clientId, redirectUri, challenge, method, expiresAt: now() + 600_000, used: false, scope });
    target.searchParams.set('code', code);
    if (state !== null) target.searchParams.set('state', state);
    return send(res, 302, '', { location: target.toString() });
  }
  if ((responseType === 'token' || responseType === 'code_and_token') && !strict) {
    const body = issue(client.clientId, 'implicit', { userId: MOCK_USER.id, nonExpiring });
    const frag = new URLSearchParams();
    for (const [k, v] of Object.entries(body)) frag.set(k, String(v));
    if (state !== null) frag.set('state', state);
    if (responseType === 'code_and_token') {
      const code = randomBytes(18).toString('base64url');
      codes.set(code, { clientId: client.clientId, redirectUri, expiresAt: now() + 600_000, used: false, scope });
      target.searchParams.set('code', code);
    }
    target.hash = frag.toString();
    return send(res, 302, '', { location: target.toString() });
  }
  reject('unsupported_response_type');
  return send(res, 400, { error: 'unsupported_response_type', error_description: 'Only response_type=code is supported' });
}

export async function handleSignOut(s: MockState, { req, res, raw }: Ctx) {
  const { send, tokens, refreshTokens } = s;
  if (req.method !== 'POST') return send(res, 405, { error: 'invalid_request' });
  let accessToken: string | undefined;
  try {
    accessToken = JSON.parse(raw || '{}').access_token;
  } catch {
    /* fallthrough */
  }
  const rec = accessToken ? tokens.get(accessToken) : undefined;
  if (!rec) return send(res, 400, { error: 'invalid_request' });
  for (const t of tokens.values()) if (t.family === rec.family) t.revoked = true;
  for (const r of refreshTokens.values()) if (r.family === rec.family) r.revoked = true;
  return send(res, 200, {});
}
