/**
 * PKCE (RFC 7636, S256) and small encoding helpers on Web Crypto (`globalThis.crypto`), so they
 * work in browsers and in Node >= 20 alike.
 */
function webCrypto(): Crypto {
  const c = (globalThis as { crypto?: Crypto }).crypto;
  if (!c?.getRandomValues || !c.subtle) throw new Error('Web Crypto (globalThis.crypto) is required');
  return c;
}

export function base64FromBytes(bytes: Uint8Array): string {
  let bin = '';
  for (let i = 0; i < bytes.length; i++) bin += String.fromCharCode(bytes[i]!);
  return btoa(bin);
}

export function base64Url(bytes: Uint8Array): string {
  return base64FromBytes(bytes).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

export function randomString(byteLength = 32): string {
  const b = new Uint8Array(byteLength);
  webCrypto().getRandomValues(b);
  return base64Url(b);
}

/** A code verifier (43 chars of base64url, 256 bits) and its S256 challenge. */
export async function createPkcePair(): Promise<{ codeVerifier: string; codeChallenge: string }> {
  const codeVerifier = randomString(32);
  return { codeVerifier, codeChallenge: await pkceChallenge(codeVerifier) };
}

export async function pkceChallenge(codeVerifier: string): Promise<string> {
  const digest = await webCrypto().subtle.digest('SHA-256', new TextEncoder().encode(codeVerifier));
  return base64Url(new Uint8Array(digest));
}

/** application/x-www-form-urlencoded encoding of one value (RFC 6749 appendix B). */
export function formEncode(value: string): string {
  return new URLSearchParams({ v: value }).toString().slice(2);
}

/** `Basic base64(urlencode(id):urlencode(secret))`, per RFC 6749 section 2.3.1. */
export function basicAuthHeader(clientId: string, clientSecret: string): string {
  const raw = `${formEncode(clientId)}:${formEncode(clientSecret)}`;
  return `Basic ${base64FromBytes(new TextEncoder().encode(raw))}`;
}

/** Constant-time string comparison (for `state`). */
export function safeEqual(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return diff === 0;
}
