/**
 * The token endpoint (`POST /oauth/token`, and the old `/oauth2/token`): client
 * authentication (Basic or form body), client_credentials (Basic only, rate-limited per app and
 * per IP), authorization_code with PKCE, single-use rotating refresh tokens, and the refused
 * password grant and non-expiring scope.
 */
import { createHash } from 'node:crypto';
import { BODIES, MOCK_USER } from './data.js';
import { b64url, safeEqual, type Ctx, type MockState } from './state.js';

function formDecode(s: string): string {
  return decodeURIComponent(s.replace(/\+/g, ' '));
}

export function parseBasic(header: string | undefined): { id: string; secret: string } | 'malformed' | undefined {
  if (!header) return undefined;
  const m = /^Basic\s+(.+)$/i.exec(header.trim());
  if (!m) return undefined;
  let decoded: string;
  try {
    decoded = Buffer.from(m[1]!, 'base64').toString('utf8');
  } catch {
    return 'malformed';
  }
  const i = decoded.indexOf(':');
  if (i < 0) return 'malformed';
  try {
    return { id: formDecode(decoded.slice(0, i)), secret: formDecode(decoded.slice(i + 1)) };
  } catch {
    return 'malformed';
  }
}

export async function handleToken(s: MockState, { req, res, raw }: Ctx, legacyPath: boolean) {
  const { strict, legacyEndpoints, stats, send, reject, findClient, issue, withinLimit, ccIssued, ipIssued, ccLimit, ipLimit, codes, refreshTokens, now } = s;
  if (legacyPath && !legacyEndpoints) {
    reject('legacy_token_endpoint');
    return send(res, 404, { error: 'not_found', error_description: 'Use https://secure.soundcloud.com/oauth/token' });
  }
  if (req.method !== 'POST') return send(res, 405, { error: 'invalid_request', error_description: 'POST required' });
  const ctype = String(req.headers['content-type'] ?? '');
  let params: URLSearchParams;
  if (ctype.includes('application/json') && !strict) {
    try {
      params = new URLSearchParams(JSON.parse(raw || '{}'));
    } catch {
      params = new URLSearchParams();
    }
  } else {
    params = new URLSearchParams(raw);
  }
  const grant = params.get('grant_type') ?? '';
  stats.tokenRequests[grant || 'missing'] = (stats.tokenRequests[grant || 'missing'] ?? 0) + 1;
  stats.tokenRequests.total++;

  const scope = params.get('scope') ?? '';
  const nonExpiring = scope.split(/[\s,]+/).includes('non-expiring');
  if (nonExpiring && strict) {
    reject('non_expiring_scope');
    return send(res, 403, BODIES.nonExpiring);
  }

  // Client authentication.
  const basic = parseBasic(req.headers.authorization);
  if (basic === 'malformed') {
    reject('invalid_client');
    return send(res, 401, { error: 'invalid_client', error_description: 'Malformed Basic authorization header' });
  }
  const bodyId = params.get('client_id') ?? undefined;
  const bodySecret = params.get('client_secret') ?? undefined;
  let clientId: string | undefined;
  let secretOk = false;
  if (basic) {
    const c = findClient(basic.id);
    clientId = basic.id;
    secretOk = !!c && safeEqual(c.clientSecret, basic.secret);
  } else if (bodyId) {
    const c = findClient(bodyId);
    clientId = bodyId;
    secretOk = !!c && bodySecret !== undefined && safeEqual(c.clientSecret, bodySecret);
  }
  const client = findClient(clientId);
  const invalidClient = () => {
    reject('invalid_client');
    return send(res, 401, { error: 'invalid_client' });
  };

  if (grant === 'client_credentials') {
    if (strict && !basic) {
      reject('client_credentials_without_basic');
      return send(res, 401, { error: 'invalid_client', error_description: 'client_credentials requires HTTP Basic client authentication' });
    }
    if (!client || !secretOk) return invalidClient();
    const ip = req.socket.remoteAddress ?? 'unknown';
    if (!withinLimit(ccIssued, client.clientId, ccLimit) || !withinLimit(ipIssued, ip, ipLimit)) {
      reject('client_credentials_rate_limit');
      return send(res, 429, BODIES.rateLimitToken);
    }
    ccIssued.get(client.clientId)!.push(now());
    ipIssued.get(ip)!.push(now());
    return send(res, 200, issue(client.clientId, grant, { nonExpiring }));
  }

  if (grant === 'authorization_code') {
    if (!client || !secretOk) return invalidClient();
    const code = params.get('code') ?? '';
    const rec = codes.get(code);
    if (!rec || rec.used || rec.clientId !== client.clientId || rec.expiresAt < now()) {
      reject('invalid_code');
      return send(res, 400, { error: 'invalid_grant', error_description: 'Invalid, expired or used authorization code' });
    }
    rec.used = true;
    if ((rec.redirectUri ?? '') !== (params.get('redirect_uri') ?? rec.redirectUri ?? '')) {
      reject('redirect_uri_mismatch');
      return send(res, 400, { error: 'invalid_grant', error_description: 'redirect_uri does not match' });
    }
    if (strict || rec.challenge) {
      const verifier = params.get('code_verifier') ?? '';
      const expected = rec.challenge ?? '';
      const actual = b64url(createHash('sha256').update(verifier).digest());
      if (!verifier || !expected || !safeEqual(actual, expected)) {
        reject('pkce_verifier_mismatch');
        return send(res, 400, { error: 'invalid_grant', error_description: 'PKCE verification failed' });
      }
    }
    return send(res, 200, issue(client.clientId, grant, { userId: MOCK_USER.id, scope: rec.scope }));
  }

  if (grant === 'refresh_token') {
    if (!client || !secretOk) return invalidClient();
    const rt = params.get('refresh_token') ?? '';
    const rec = refreshTokens.get(rt);
    if (!rec || rec.clientId !== client.clientId || rec.revoked || (strict && rec.used)) {
      reject(rec?.used ? 'refresh_token_reused' : 'invalid_refresh_token');
      return send(res, 400, { error: 'invalid_grant' });
    }
    rec.used = true;
    return send(res, 200, issue(client.clientId, rec.grant, { userId: rec.userId, family: rec.family }));
  }

  if (grant === 'password') {
    if (strict) {
      reject('password_grant');
      return send(res, 400, { error: 'unsupported_grant_type' });
    }
    if (!client || !secretOk || !params.get('username') || !params.get('password')) return invalidClient();
    return send(res, 200, issue(client.clientId, grant, { userId: MOCK_USER.id, nonExpiring }));
  }

  reject('unsupported_grant_type');
  return send(res, 400, { error: 'unsupported_grant_type' });
}
