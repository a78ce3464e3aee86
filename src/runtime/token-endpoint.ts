/**
 * The token endpoint: client_credentials (HTTP Basic only), refresh_token and
 * authorization_code grants, with retries on 5xx / 429-with-Retry-After / transport errors,
 * and the response turned into a TokenSet (expiry from `expires_in`, never hard-coded).
 */
import { SoundCloudAuthError, parseErrorBody } from './errors.js';
import { basicAuthHeader } from './pkce.js';
import type { Diagnostics } from './diagnostics.js';
import type { Transport } from './retry.js';
import type { TokenSet } from './token-store.js';

export interface TokenEndpointOptions {
  url: string;
  clientId: string;
  clientSecret?: string;
  transport: Transport;
  diag: Diagnostics;
  now: () => number;
  /**
   * `url` is the app's own backend (a browser client without a secret): it authenticates the
   * client itself, so client_credentials goes there without credentials.
   */
  backend?: boolean;
  /**
   * How authorization_code and refresh_token requests authenticate the client: `'body'`
   * (`client_id`/`client_secret` in the form, as SoundCloud documents; default) or `'basic'`
   * (HTTP Basic; whether SoundCloud accepts it for these grants is not documented).
   */
  clientAuth?: 'body' | 'basic';
}

export class TokenEndpoint {
  readonly url: string;
  readonly #o: TokenEndpointOptions;

  constructor(o: TokenEndpointOptions) {
    this.url = o.url;
    this.#o = o;
  }

  get hasSecret(): boolean {
    return !!this.#o.clientSecret;
  }

  clientCredentials(): Promise<TokenSet> {
    const { clientId, clientSecret, diag, backend } = this.#o;
    if (!clientSecret && backend) {
      // the app's backend holds the secret and answers with its cached, shared app token
      diag.log('info', 'asking the backend token endpoint for an app token');
      return this.request(new URLSearchParams({ grant_type: 'client_credentials', client_id: clientId }), 'client_credentials');
    }
    if (!clientSecret) throw diag.authError({ status: 0, code: 'invalid_client', message: 'client_credentials needs clientSecret' });
    diag.log('info', 'requesting a client_credentials token');
    const body = new URLSearchParams({ grant_type: 'client_credentials' });
    return this.request(body, 'client_credentials', basicAuthHeader(clientId, clientSecret));
  }

  /** Refresh grant with `client_id`/`client_secret` in the form body (as documented), or HTTP Basic (`clientAuth: 'basic'`). */
  refresh(stored: TokenSet): Promise<TokenSet> {
    this.#o.diag.log('info', 'renewing the access token with the refresh grant');
    const body = new URLSearchParams({ grant_type: 'refresh_token', refresh_token: stored.refreshToken!, client_id: this.#o.clientId });
    return this.request(body, stored.kind, this.#authenticate(body));
  }

  /**
   * The client's credentials for a user grant: `client_secret` added to the form (documented),
   * or with `clientAuth: 'basic'` the HTTP Basic header returned (and `client_id` left out of the form).
   */
  #authenticate(body: URLSearchParams): string | undefined {
    const { clientId, clientSecret, clientAuth } = this.#o;
    if (!clientSecret) return undefined;
    if (clientAuth === 'basic') {
      body.delete('client_id');
      return basicAuthHeader(clientId, clientSecret);
    }
    body.set('client_secret', clientSecret);
    return undefined;
  }

  authorizationCode(opts: { code: string; codeVerifier: string; redirectUri: string }): Promise<TokenSet> {
    const body = new URLSearchParams({
      grant_type: 'authorization_code',
      client_id: this.#o.clientId,
      redirect_uri: opts.redirectUri,
      code: opts.code,
      code_verifier: opts.codeVerifier,
    });
    return this.request(body, 'user', this.#authenticate(body));
  }

  async request(body: URLSearchParams, kind: TokenSet['kind'], authorization?: string): Promise<TokenSet> {
    const { transport, diag } = this.#o;
    const headers: Record<string, string> = {
      'Content-Type': 'application/x-www-form-urlencoded',
      Accept: 'application/json; charset=utf-8',
    };
    if (authorization) headers['Authorization'] = authorization;
    const grant = body.get('grant_type') ?? '';
    for (let attempt = 1; ; attempt++) {
      let res: Response;
      try {
        res = await transport.attempt(this.url, { method: 'POST', headers, body: body.toString(), redirect: 'error' });
      } catch (err) {
        const e = transport.error(err, 'POST', this.url, SoundCloudAuthError);
        if (attempt < transport.retry.maxAttempts) {
          await transport.backoff(attempt, undefined, `token request (${grant}) ${e.code}`);
          continue;
        }
        throw e;
      }
      const text = await res.text();
      if (res.ok) return this.#tokenSet(res.status, text, kind, grant);
      const parsed = parseErrorBody(res.status, text, res.headers.get('content-type') ?? '');
      const ra = transport.retryAfterMs(res);
      const retryable = res.status >= 500 || (res.status === 429 && ra !== undefined);
      if (retryable && attempt < transport.retry.maxAttempts && transport.canWait(ra)) {
        await transport.backoff(attempt, ra, `token request (${grant}) answered ${res.status}`);
        continue;
      }
      throw diag.authError({
        status: res.status,
        code: parsed.code,
        message: `Token request (${grant}) failed: ${res.status} ${parsed.code}: ${parsed.message}`,
        method: 'POST',
        url: this.url,
        retryAfterMs: ra,
      });
    }
  }

  #tokenSet(status: number, text: string, kind: TokenSet['kind'], grant: string): TokenSet {
    const { diag } = this.#o;
    let json: any;
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
    if (!json || typeof json.access_token !== 'string' || !json.access_token) {
      throw diag.authError({ status, code: 'invalid_response', message: 'Token endpoint answered without an access_token' });
    }
    const now = this.#o.now();
    const expiresIn = typeof json.expires_in === 'number' ? json.expires_in : Number(json.expires_in) || undefined;
    const t: TokenSet = {
      accessToken: json.access_token,
      refreshToken: typeof json.refresh_token === 'string' && json.refresh_token ? json.refresh_token : undefined,
      expiresAt: expiresIn !== undefined ? now + expiresIn * 1000 : undefined,
      expiresIn,
      scope: typeof json.scope === 'string' ? json.scope : undefined,
      kind,
      obtainedAt: now,
    };
    diag.remember(t.accessToken);
    diag.remember(t.refreshToken);
    diag.log('info', `got a token (${grant}), expires_in=${expiresIn ?? 'none'}`);
    return t;
  }
}
