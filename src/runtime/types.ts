/** Option types shared by the client's modules (re-exported by client.ts). */
export interface Logger {
  debug?(message: string): void;
  info?(message: string): void;
  warn?(message: string): void;
  error?(message: string): void;
}

export interface RetryOptions {
  /** Total attempts for one call on 429 / 5xx / timeout / network error (default 4). */
  maxAttempts?: number;
  /** First backoff delay; doubles each attempt, with jitter (default 500 ms). */
  baseDelayMs?: number;
  /** Cap for any single delay, including Retry-After (default 30 s). A longer Retry-After is not waited for. */
  maxDelayMs?: number;
}

export type FetchFn = (input: string | URL | Request, init?: RequestInit) => Promise<Response>;
