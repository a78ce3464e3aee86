/**
 * Self-signed TLS certificate for the mock, made at start.
 *
 * Node 20 can make keys but not X.509 certificates, so this module builds a minimal
 * certificate in DER by hand: an EC P-256 key from generateKeyPairSync, a TBSCertificate
 * with a subjectAltName for 127.0.0.1, localhost and the SoundCloud host names, signed with ECDSA-SHA256.
 * It needs nothing but node:crypto, so it works on a fresh machine without openssl.
 * If building fails for any reason, `openssl req -x509` is tried as a fallback.
 */
import { generateKeyPairSync, randomBytes, sign, X509Certificate } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface MockCertificate {
  /** PEM certificate; also the only CA a client needs to trust. */
  cert: string;
  /** PEM private key (PKCS#8). */
  key: string;
  /** How the certificate was made. */
  source: 'der-builder' | 'openssl';
}

export const MOCK_CERT_DNS_NAMES = [
  'localhost',
  'soundcloud.com',
  '*.soundcloud.com',
  '*.sndcdn.com',
];

function len(n: number): Buffer {
  if (n < 0x80) return Buffer.from([n]);
  const bytes: number[] = [];
  while (n > 0) {
    bytes.unshift(n & 0xff);
    n >>= 8;
  }
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}

function tlv(tag: number, content: Buffer): Buffer {
  return Buffer.concat([Buffer.from([tag]), len(content.length), content]);
}

const seq = (...parts: Buffer[]) => tlv(0x30, Buffer.concat(parts));
const set = (...parts: Buffer[]) => tlv(0x31, Buffer.concat(parts));

function oid(dotted: string): Buffer {
  const parts = dotted.split('.').map(Number);
  const out: number[] = [parts[0]! * 40 + parts[1]!];
  for (const p of parts.slice(2)) {
    const stack: number[] = [p & 0x7f];
    let v = Math.floor(p / 128);
    while (v > 0) {
      stack.unshift((v & 0x7f) | 0x80);
      v = Math.floor(v / 128);
    }
    out.push(...stack);
  }
  return tlv(0x06, Buffer.from(out));
}

function integer(bytes: Buffer): Buffer {
  let b = bytes;
  while (b.length > 1 && b[0] === 0 && (b[1]! & 0x80) === 0) b = b.subarray(1);
  if (b[0]! & 0x80) b = Buffer.concat([Buffer.from([0]), b]);
  return tlv(0x02, b);
}

function utcTime(d: Date): Buffer {
  const p = (n: number) => String(n).padStart(2, '0');
  const s =
    p(d.getUTCFullYear() % 100) +
    p(d.getUTCMonth() + 1) +
    p(d.getUTCDate()) +
    p(d.getUTCHours()) +
    p(d.getUTCMinutes()) +
    p(d.getUTCSeconds()) +
    'Z';
  return tlv(0x17, Buffer.from(s, 'ascii'));
}

function name(cn: string): Buffer {
  return seq(set(seq(oid('2.5.4.3'), tlv(0x0c, Buffer.from(cn, 'utf8')))));
}

/** Build a self-signed certificate with node:crypto only (no openssl). */
export function buildSelfSignedCertificate(commonName = 'sc-migrate mock SoundCloud API'): MockCertificate {
  const { publicKey, privateKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  const spki = publicKey.export({ type: 'spki', format: 'der' });
  const ecdsaWithSha256 = seq(oid('1.2.840.10045.4.3.2'));
  const now = Date.now();
  const notBefore = new Date(now - 24 * 3600 * 1000);
  const notAfter = new Date(now + 365 * 24 * 3600 * 1000);
  const serial = randomBytes(16);
  serial[0] = serial[0]! & 0x7f;

  // The SoundCloud names are included so that a client routed by the preload (which keeps the
  // original Host header, and Node then verifies against it) accepts the certificate. It is
  // trusted only by clients explicitly given this one certificate.
  const san = seq(
    ...MOCK_CERT_DNS_NAMES.map((n) => tlv(0x82, Buffer.from(n, 'ascii'))), // dNSName [2]
    tlv(0x87, Buffer.from([127, 0, 0, 1])), // iPAddress [7]
  );
  const extensions = tlv(
    0xa3,
    seq(
      // basicConstraints, critical, CA:TRUE (so it can be its own trust anchor)
      seq(oid('2.5.29.19'), tlv(0x01, Buffer.from([0xff])), tlv(0x04, seq(tlv(0x01, Buffer.from([0xff]))))),
      // keyUsage: digitalSignature, keyCertSign
      seq(oid('2.5.29.15'), tlv(0x04, tlv(0x03, Buffer.from([0x02, 0x84])))),
      // extKeyUsage: serverAuth
      seq(oid('2.5.29.37'), tlv(0x04, seq(oid('1.3.6.1.5.5.7.3.1')))),
      // subjectAltName
      seq(oid('2.5.29.17'), tlv(0x04, san)),
    ),
  );
  const tbs = seq(
    tlv(0xa0, integer(Buffer.from([2]))), // v3
    integer(serial),
    ecdsaWithSha256,
    name(commonName),
    seq(utcTime(notBefore), utcTime(notAfter)),
    name(commonName),
    spki,
    extensions,
  );
  const signature = sign('sha256', tbs, privateKey); // DER-encoded ECDSA signature
  const der = seq(tbs, ecdsaWithSha256, tlv(0x03, Buffer.concat([Buffer.from([0]), signature])));
  const b64 = der.toString('base64').replace(/(.{64})/g, '$1\n').trim();
  const cert = `-----BEGIN CERTIFICATE-----\n${b64}\n-----END CERTIFICATE-----\n`;
  // Validate that it parses and verifies with its own key.
  const x509 = new X509Certificate(cert);
  if (!x509.verify(publicKey)) throw new Error('self-signed certificate does not verify');
  return { cert, key: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(), source: 'der-builder' };
}

function opensslCertificate(): MockCertificate {
  const dir = mkdtempSync(join(tmpdir(), 'sc-mock-cert-'));
  try {
    execFileSync(
      'openssl',
      [
        'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes',
        '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem'), '-days', '365',
        '-subj', '/CN=sc-migrate mock SoundCloud API',
        '-addext', `subjectAltName=IP:127.0.0.1,${MOCK_CERT_DNS_NAMES.map((n) => `DNS:${n}`).join(',')}`,
      ],
      { stdio: 'ignore' },
    );
    return {
      cert: readFileSync(join(dir, 'cert.pem'), 'utf8'),
      key: readFileSync(join(dir, 'key.pem'), 'utf8'),
      source: 'openssl',
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Make the mock's certificate: the DER builder, with openssl as the fallback. */
export function createMockCertificate(): MockCertificate {
  try {
    return buildSelfSignedCertificate();
  } catch (err) {
    try {
      return opensslCertificate();
    } catch {
      throw err;
    }
  }
}
