/**
 * Transport and retry policy: one attempt with a timeout, typed transport errors, Retry-After
 * parsing and exponential backoff with jitter (sleep injectable for tests).
 */
import { SoundCloudApiError, SoundCloudAuthError, SoundCloudError } from './errors.js';
import { redact } from './redact.js';
import type { Diagnostics } from './diagnostics.js';
import type { FetchFn, RetryOptions } from './types.js';

export interface TransportOptions {
  /** Default: globalThis.fetch, looked up per call. */
  fetch?: FetchFn;
  timeoutMs: number;
  retry: Required<RetryOptions>;
  sleep: (ms: number) => Promise<void>;
  diag: Diagnostics;
}

export function retryPolicy(retry: RetryOptions | undefined): Required<RetryOptions> {
  return {
    maxAttempts: retry?.maxAttempts ?? 4,
    baseDelayMs: retry?.baseDelayMs ?? 500,
    maxDelayMs: retry?.maxDelayMs ?? 30_000,
  };
}

export const defaultSleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

class TimeoutMarker extends Error {
  constructor() {
    super('timeout');
  }
}

/** Path + redacted query, for messages. */
export function safePath(url: string): string {
  try {
    const u = new URL(url);
    return redact(u.pathname + u.search);
  } catch {
    return redact(url);
  }
}

export class Transport {
  readonly retry: Required<RetryOptions>;
  readonly timeoutMs: number;
  readonly #fetch?: FetchFn;
  readonly #sleep: (ms: number) => Promise<void>;
  readonly #diag: Diagnostics;

  constructor(o: TransportOptions) {
    this.#fetch = o.fetch;
    this.timeoutMs = o.timeoutMs;
    this.retry = o.retry;
    this.#sleep = o.sleep;
    this.#diag = o.diag;
  }

  /** One fetch attempt, aborted after `timeoutMs` (until response headers); honours init.signal. */
  async attempt(url: string, init: RequestInit): Promise<Response> {
    const controller = new AbortController();
    const outer = init.signal;
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, this.timeoutMs);
    const onAbort = () => controller.abort(outer?.reason);
    if (outer) {
      if (outer.aborted) controller.abort(outer.reason);
      else outer.addEventListener('abort', onAbort, { once: true });
    }
    try {
      const f = this.#fetch ?? (globalThis.fetch as FetchFn);
      return await f(url, { ...init, signal: controller.signal });
    } catch (err) {
      if (timedOut) throw new TimeoutMarker();
      throw err;
    } finally {
      clearTimeout(timer);
      outer?.removeEventListener('abort', onAbort);
    }
  }

  /** A typed error (timeout / network_error) for a failed attempt; typed errors pass through. */
  error(err: unknown, method: string, url: string, Kind: typeof SoundCloudApiError | typeof SoundCloudAuthError): SoundCloudError {
    if (err instanceof SoundCloudError) return err;
    const path = safePath(url);
    const secrets = this.#diag.secrets;
    if (err instanceof TimeoutMarker) {
      return new Kind({ status: 0, code: 'timeout', message: `${method} ${path} timed out after ${this.timeoutMs} ms`, method, url: path, secrets });
    }
    const cause = (err as { cause?: { code?: string } })?.cause?.code;
    return new Kind({
      status: 0,
      code: 'network_error',
      message: `${method} ${path} failed: network error${cause ? ` (${String(cause).slice(0, 40)})` : ''}`,
      method,
      url: path,
      secrets,
    });
  }

  retryAfterMs(res: Response): number | undefined {
    const h = res.headers.get('retry-after');
    if (!h) return undefined;
    if (/^\d+(\.\d+)?$/.test(h.trim())) return Math.round(Number(h) * 1000);
    const d = Date.parse(h);
    return Number.isNaN(d) ? undefined : Math.max(0, d - Date.now());
  }

  /** Whether a Retry-After (if any) is short enough to wait for. */
  canWait(retryAfterMs: number | undefined): boolean {
    return retryAfterMs === undefined || retryAfterMs <= this.retry.maxDelayMs;
  }

  async backoff(attempt: number, retryAfterMs: number | undefined, why: string): Promise<void> {
    const r = this.retry;
    const exp = Math.min(r.maxDelayMs, r.baseDelayMs * 2 ** (attempt - 1));
    const delay = retryAfterMs !== undefined ? Math.min(retryAfterMs, r.maxDelayMs) : Math.round(exp / 2 + (Math.random() * exp) / 2);
    this.#diag.log('warn', `${why}; retrying in ${delay} ms (attempt ${attempt + 1}/${r.maxAttempts})`);
    await this.#sleep(delay);
  }
}
