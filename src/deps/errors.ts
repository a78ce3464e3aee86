/** Errors of `deps` a person can act on (no lockfile, nothing installed, a bad data file): exit code 2, no stack. */
export class DepsError extends Error {
  override name = 'DepsError';
}
