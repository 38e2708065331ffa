// The emulator admin key: random per start unless given, required on the control plane and the
// workspace admin API, compared in constant time.
import { hash, randomBytes, timingSafeEqual } from 'node:crypto';
import { unauthorized } from '../errors.js';

export function generateAdminKey(): string {
  return `emu_${randomBytes(24).toString('base64url')}`;
}

const digest = (s: string) => hash('sha256', s, 'buffer');

/** Constant-time comparison (hashing first makes the lengths equal). */
export function safeEqual(a: string, b: string): boolean {
  return timingSafeEqual(digest(a), digest(b));
}

/** The SHA-256 digest of a secret as sent, the form every comparison here is made in. */
export const secretDigest = digest;

/**
 * `safeEqual(candidate, key)` with the key's digest taken once, for a check made on every
 * request; a caller that has the candidate's `secretDigest` already passes it.
 */
export function matchesKey(key: string): (candidate: string, candidateDigest?: Buffer) => boolean {
  const expected = digest(key);
  return (candidate, candidateDigest = digest(candidate)) => timingSafeEqual(candidateDigest, expected);
}

/** The bearer token of an Authorization header, or undefined. */
export function bearerToken(header: string | undefined): string | undefined {
  const m = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '');
  return m?.[1];
}

/** Throws 401 unless the request carries the admin key. */
export function requireAdminKey(header: string | undefined, adminKey: string): void {
  const token = bearerToken(header);
  if (token === undefined) {
    throw unauthorized('unauthorized', 'This route needs the emulator admin key: send "Authorization: Bearer <admin key>" (printed by edu-emulator serve).');
  }
  if (!safeEqual(token, adminKey)) {
    throw unauthorized('unauthorized', 'The bearer token is not the emulator admin key. Use the key printed by edu-emulator serve, or set one with --admin-key.');
  }
}
