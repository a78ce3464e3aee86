/**
 * Secret redaction for every output format. Findings point at code that often holds a SoundCloud
 * client secret or token; reports (CI logs, PR comments, SARIF uploads) must not copy them.
 * Redaction is textual and conservative: a string value keyed or assigned by a secret-like name,
 * query parameters and Authorization headers with credentials, JWTs, and long high-entropy
 * strings are masked as `ab«redacted»` (at most the first 2 characters kept).
 */

export const REDACTED = '«redacted»';

const SECRET_NAME = String.raw`[A-Za-z0-9_$-]*(?:secret|token|passw(?:or)?d|passwd|pwd|api[_-]?key|apikey|auth[_-]?key|private[_-]?key|credential|bearer)[A-Za-z0-9_$-]*`;
/** Names that contain a secret word but hold no secret (`token_url`, `tokenType`, `expires_in`...). */
const NOT_SECRET_NAME = /(?:url|uri|endpoint|path|type|name|header|field|param|params|key_name|expires?(?:_?in|_?at)?|_in|ttl|length|count|id|label|placeholder|prefix|storage_?key|cookie_?name)$/i;

const KEYED = new RegExp(
  String.raw`(["'\x60]?)(${SECRET_NAME})\1(\s*(?::|=>|=|,|\(\s*)\s*)(["'\x60])((?:\\.|(?!\4)[^\\\r\n])*)\4`,
  'gi',
);
const QUERY = new RegExp(String.raw`([?&;]|\b)((?:oauth_token|access_token|refresh_token|client_secret|id_token|code_verifier|token|password|secret)=)([^&\s'"\x60#<>),;]+)`, 'gi');
const AUTH_HEADER = /\b(Bearer|OAuth|Basic)(\s+)([A-Za-z0-9._~+/=-]{8,})/g;
const JWT = /\beyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*/g;
const QUOTED = /(["'\x60])((?:\\.|(?!\1)[^\\\r\n]){16,})\1/g;
const BARE = /[A-Za-z0-9_+/=.-]{24,}/g;
/** Any other query parameter (`client_id=...`): masked when its value looks random, like a quoted string in code. */
const QUERY_ANY = /([?&;][A-Za-z_][A-Za-z0-9_.-]*=)([A-Za-z0-9_+/=.~-]{20,})/g;
/** `name=value` inside a bare word: only the value can be a secret (our messages say `code_challenge_method=S256`). */
const NAME_VALUE = /^([A-Za-z_][A-Za-z0-9_]*=)(.*)$/s;

/** Masks a secret value: keeps at most the first 2 characters. */
export function mask(value: string): string {
  if (value.includes(REDACTED)) return value;
  const keep = value.length >= 8 ? 2 : value.length >= 4 ? 1 : 0;
  return value.slice(0, keep) + REDACTED;
}

function entropy(s: string): number {
  const counts = new Map<string, number>();
  for (const c of s) counts.set(c, (counts.get(c) ?? 0) + 1);
  let h = 0;
  for (const n of counts.values()) { const p = n / s.length; h -= p * Math.log2(p); }
  return h;
}

/** A long, random-looking token: letters and digits mixed, high entropy, not a URL, path or word. */
export function looksLikeSecret(value: string): boolean {
  if (value.length < 20 || value.length > 2000) return false;
  if (!/^[A-Za-z0-9_+/=.-]+$/.test(value)) return false;
  if (/^\.{0,2}\//.test(value) || /\/[a-z]+\//i.test(value) && !/[+=]/.test(value)) return false;
  if (/^(?:[a-z0-9-]+\.)+[a-z]{2,}(?:[/:]|$)/i.test(value)) return false; // host or host/path
  if (value.includes('/') && value.split('/').every((seg) => /^[a-z0-9_.-]*$/.test(seg) || /^[A-Z]?[a-z0-9_.-]*$/.test(seg))) return false; // path of words
  if (!/[0-9]/.test(value) || !/[A-Za-z]/.test(value)) return false;
  if (/^[a-z]+(?:[-_.][a-z0-9]+)*$/.test(value) && entropy(value) < 4) return false; // kebab/snake words
  if (/^[A-Za-z][a-z]+(?:[A-Z][a-z0-9]+)+$/.test(value)) return false; // camelCase identifiers
  return entropy(value) >= 3.5;
}

const looksLikePlaceholder = (v: string) =>
  v.length < 4 || /\$\{|^\s*$|^<.*>$|^\{\{.*\}\}$|^process\.env|^(?:x+|\*+|\.+|changeme|your[_-].*|xxx.*|todo|none|null|undefined|bearer|basic|oauth|password|secret|token)$/i.test(v) || /\s/.test(v.trim()) || /:\/\//.test(v);

export interface RedactOptions {
  /** Also mask bare (unquoted) high-entropy words: for messages, not for code. */
  bare?: boolean;
}

/** Results by text: findings repeat the same few messages thousands of times. */
const memo = new Map<string, string>();
const MEMO_MAX = 20_000;

/** Redacts secrets in one piece of text (a code line, a message, a snippet). */
export function redact(text: string, opts: RedactOptions = {}): string {
  if (!text) return text;
  const key = (opts.bare ? 'b' : 'c') + text;
  const hit = memo.get(key);
  if (hit !== undefined) return hit;
  const out = redactText(text, opts);
  if (memo.size >= MEMO_MAX) memo.clear();
  memo.set(key, out);
  return out;
}

function redactText(text: string, opts: RedactOptions): string {
  let out = text.replace(KEYED, (m, q1: string, name: string, sepr: string, q: string, value: string) => {
    if (NOT_SECRET_NAME.test(name) || looksLikePlaceholder(value)) return m;
    return `${q1}${name}${q1}${sepr}${q}${mask(value)}${q}`;
  });
  out = out.replace(QUERY, (m, pre: string, key: string, value: string) => (value.startsWith('$') || value.startsWith('{') || value.length < 4 ? m : `${pre}${key}${mask(value)}`));
  out = out.replace(AUTH_HEADER, (m, kind: string, sp: string, value: string) => (value.startsWith('$') ? m : `${kind}${sp}${mask(value)}`));
  out = out.replace(QUERY_ANY, (m, key: string, value: string) => (looksLikeSecret(value) ? `${key}${mask(value)}` : m));
  out = out.replace(JWT, (m) => mask(m));
  out = out.replace(QUOTED, (m, q: string, value: string) => (looksLikeSecret(value) ? `${q}${mask(value)}${q}` : m));
  if (opts.bare) {
    out = out.replace(BARE, (m) => {
      if (m.includes(REDACTED)) return m;
      const kv = NAME_VALUE.exec(m);
      if (kv) return looksLikeSecret(kv[2]!) ? kv[1]! + mask(kv[2]!) : m;
      return looksLikeSecret(m) ? mask(m) : m;
    });
  }
  return out;
}
