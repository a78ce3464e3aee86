/**
 * Typed errors. Messages never contain tokens or secrets: every message is built from parsed
 * fields and passed through `redact` before it is stored.
 */
import { redact } from './redact.js';

export type SoundCloudErrorCode =
  | 'invalid_grant'
  | 'invalid_client'
  | 'invalid_request'
  | 'invalid_scope'
  | 'unsupported_grant_type'
  | 'unauthorized_client'
  | 'invalid_token'
  | 'login_required'
  | 'user_token_required'
  | 'state_mismatch'
  | 'access_denied'
  | 'rate_limited'
  | 'server_error'
  | 'timeout'
  | 'network_error'
  | 'insecure_url'
  | 'too_many_redirects'
  | 'bad_request'
  | 'forbidden'
  | 'not_found'
  | 'invalid_response'
  | 'token_store_unavailable'
  | 'token_store_lock_timeout'
  | 'token_store_error'
  | (string & {});

export interface SoundCloudErrorInit {
  status: number;
  code: SoundCloudErrorCode;
  message: string;
  /** Request method and URL (query values of sensitive params are redacted). */
  method?: string;
  url?: string;
  /** How long the server asked us to wait, when known. */
  retryAfterMs?: number;
  secrets?: Iterable<string>;
}

export class SoundCloudError extends Error {
  /** HTTP status, or 0 when no response arrived (timeout, network error, refused URL). */
  readonly status: number;
  readonly code: SoundCloudErrorCode;
  readonly method?: string;
  readonly url?: string;
  readonly retryAfterMs?: number;
  constructor(init: SoundCloudErrorInit) {
    super(redact(init.message, init.secrets));
    this.name = 'SoundCloudError';
    this.status = init.status;
    this.code = init.code;
    this.method = init.method;
    this.url = init.url === undefined ? undefined : redact(init.url, init.secrets);
    this.retryAfterMs = init.retryAfterMs;
  }
}

/** An API call failed (4xx/5xx after retries, timeout, network, refused URL). */
export class SoundCloudApiError extends SoundCloudError {
  constructor(init: SoundCloudErrorInit) {
    super(init);
    this.name = 'SoundCloudApiError';
  }
}

/** Getting or using a token failed (token endpoint errors, 401 after one renewal, state mismatch). */
export class SoundCloudAuthError extends SoundCloudError {
  constructor(init: SoundCloudErrorInit) {
    super(init);
    this.name = 'SoundCloudAuthError';
  }
}

export interface ParsedErrorBody {
  code: SoundCloudErrorCode;
  message: string;
}

function statusCode(status: number): SoundCloudErrorCode {
  if (status === 429) return 'rate_limited';
  if (status === 401) return 'invalid_token';
  if (status === 403) return 'forbidden';
  if (status === 404) return 'not_found';
  if (status >= 500) return 'server_error';
  if (status >= 400) return 'bad_request';
  return 'invalid_response';
}

/**
 * Parses every error body shape of the reference: RFC 6749 `{error, error_description}`,
 * older `{code, message, error_code}`, `{errors:[{error_message|meta}]}`, the 429 shapes,
 * plain text and CDN HTML pages. Any 429 maps to code `rate_limited`.
 */
export function parseErrorBody(status: number, text: string, contentType = ''): ParsedErrorBody {
  const trimmed = text.trim();
  let code: SoundCloudErrorCode = statusCode(status);
  let message = '';
  if (/html/i.test(contentType) || /^<(!doctype|html)/i.test(trimmed)) {
    const title = /<title>([^<]{0,120})<\/title>/i.exec(trimmed)?.[1];
    message = `HTML error page${title ? ` (${title.trim()})` : ''}`;
  } else {
    let json: any;
    try {
      json = trimmed ? JSON.parse(trimmed) : undefined;
    } catch {
      json = undefined;
    }
    if (json && typeof json === 'object') {
      if (typeof json.error === 'string') {
        code = json.error;
        message = typeof json.error_description === 'string' ? json.error_description : json.error;
      } else if (Array.isArray(json.errors) && json.errors.length) {
        const e = json.errors[0] ?? {};
        message = typeof e.error_message === 'string' ? e.error_message : e.meta ? 'rate limit reached' : 'error';
        if (e.meta?.reset_time) message += ` (resets ${String(e.meta.reset_time).slice(0, 40)})`;
      } else if (typeof json.message === 'string' || typeof json.error_code === 'string') {
        message = String(json.message ?? json.error_code);
        if (typeof json.error_code === 'string') code = json.error_code;
        else if (/^[a-z_]+$/.test(message)) code = message;
      }
    } else {
      message = trimmed.slice(0, 200);
    }
  }
  if (status === 429 || code === 'rate_limit_exceeded') code = 'rate_limited';
  if (!message) message = `HTTP ${status}`;
  return { code, message: message.slice(0, 300) };
}

/**
 * A token store failed (e.g. Redis unreachable, or its lock not obtained in time). `store`
 * names the store; the message names the store and the reason (an error code, never a value).
 */
export class TokenStoreError extends SoundCloudError {
  readonly store: string;
  constructor(init: Omit<SoundCloudErrorInit, 'status'> & { store: string }) {
    super({ ...init, status: 0 });
    this.name = 'TokenStoreError';
    this.store = init.store;
  }
}
