/** Errors that end a command with exit code 2 and a one-line message (no stack). */
export class UsageError extends Error {
  constructor(message: string) { super(message); this.name = 'UsageError'; }
}
export class ConfigError extends Error {
  constructor(message: string) { super(message); this.name = 'ConfigError'; }
}
