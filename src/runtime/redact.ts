/**
 * Redaction of tokens and secrets from any text that may reach a log or an error message.
 * Known secret values are replaced wherever they appear, and well-known shapes
 * (`oauth_token=...`, `"access_token":"..."`, `Authorization: OAuth ...`) are masked even
 * when the value is not known.
 */
export const REDACTED = '[REDACTED]';

const PATTERNS: Array<[RegExp, string]> = [
  [/((?:oauth_token|access_token|refresh_token|client_secret|code_verifier|code|password|token)=)[^&\s"'#]+/gi, `$1${REDACTED}`],
  [/("(?:oauth_token|access_token|refresh_token|client_secret|code_verifier|password|token)"\s*:\s*")[^"]*"/gi, `$1${REDACTED}"`],
  [/\b(OAuth|Bearer|Basic)\s+[A-Za-z0-9._~+/=-]{6,}/g, `$1 ${REDACTED}`],
];

export function redact(text: string, secrets?: Iterable<string>): string {
  let out = String(text);
  if (secrets) {
    const list = [...secrets].filter((s) => typeof s === 'string' && s.length >= 4).sort((a, b) => b.length - a.length);
    for (const s of list) out = out.split(s).join(REDACTED);
  }
  for (const [re, rep] of PATTERNS) out = out.replace(re, rep);
  return out;
}
