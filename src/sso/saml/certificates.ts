// X.509 certificate handling for SAML trust: normalising the PEM or bare base64 an admin pastes
// or metadata carries, and telling whether two certificates carry the same signing key.

import { X509Certificate, createHash } from 'node:crypto';

// What toCertificatePem answered for each input of a certificate's size: the configured
// certificates are the same at every sign-in, and parsing one is most of the cost. Bounded, as a
// message's own KeyInfo certificate (read to explain a refusal) comes through here too.
const pemCache = new Map<string, string | null>();
const CACHED_INPUT_MAX = 16 * 1024;

/**
 * Normalises a certificate given as PEM or as the bare base64 of an `X509Certificate` element
 * (XML-DSig §4.4.4) into PEM. Returns null when it is not a parseable X.509 certificate.
 */
export function toCertificatePem(input: string): string | null {
  if (input.length > CACHED_INPUT_MAX) return parseCertificatePem(input);
  let pem = pemCache.get(input);
  if (pem === undefined) {
    pem = parseCertificatePem(input);
    if (pemCache.size >= 256) pemCache.clear();
    pemCache.set(input, pem);
  }
  return pem;
}

function parseCertificatePem(input: string): string | null {
  const body = input
    .replace(/-----BEGIN CERTIFICATE-----/g, '')
    .replace(/-----END CERTIFICATE-----/g, '')
    .replace(/\s+/g, '');
  if (body.length === 0 || !/^[A-Za-z0-9+/]+={0,2}$/.test(body)) return null;
  const pem = `-----BEGIN CERTIFICATE-----\n${body.match(/.{1,64}/g)!.join('\n')}\n-----END CERTIFICATE-----\n`;
  try {
    new X509Certificate(pem);
    return pem;
  } catch {
    return null;
  }
}

/** SHA-256 fingerprint of the certificate's public key (SPKI DER), hex with colons. */
export function publicKeyFingerprint(pem: string): string {
  const spki = new X509Certificate(pem).publicKey.export({ type: 'spki', format: 'der' });
  return createHash('sha256')
    .update(spki)
    .digest('hex')
    .toUpperCase()
    .match(/.{2}/g)!
    .join(':');
}

/** SHA-256 fingerprint of the whole certificate, as admin consoles show it. */
export function certificateFingerprint(pem: string): string {
  return new X509Certificate(pem).fingerprint256;
}
