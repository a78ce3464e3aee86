/**
 * What every part of the client shares for output: the set of secrets seen so far (client
 * secret, tokens, codes, verifiers), redacted logging, and typed errors built with those secrets.
 */
import { SoundCloudApiError, SoundCloudAuthError } from './errors.js';
import { redact } from './redact.js';
import type { Logger } from './types.js';

type ErrorInit = ConstructorParameters<typeof SoundCloudApiError>[0];

export class Diagnostics {
  readonly secrets = new Set<string>();
  readonly #logger?: Logger;
  readonly #pinned?: string;

  /** `pinned` (the client secret) is never evicted from the secret set. */
  constructor(logger?: Logger, pinned?: string) {
    this.#logger = logger;
    this.#pinned = pinned;
    this.remember(pinned);
  }

  remember(secret: string | undefined): void {
    if (!secret) return;
    this.secrets.add(secret);
    if (this.secrets.size > 256) {
      const first = this.secrets.values().next().value;
      if (first !== undefined && first !== this.#pinned) this.secrets.delete(first);
    }
  }

  log(level: keyof Logger, message: string): void {
    const fn = this.#logger?.[level];
    if (fn) fn.call(this.#logger, redact(`[soundcloud] ${message}`, this.secrets));
  }

  apiError(init: ErrorInit): SoundCloudApiError {
    return new SoundCloudApiError({ ...init, secrets: this.secrets });
  }

  authError(init: ErrorInit): SoundCloudAuthError {
    return new SoundCloudAuthError({ ...init, secrets: this.secrets });
  }
}
