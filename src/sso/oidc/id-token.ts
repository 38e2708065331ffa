// ID token validation of the relying party (OIDC Core §3.1.3.7): algorithm, signature against the
// provider's JWKS, then iss, aud/azp, exp, iat, nbf and nonce on the emulator clock.
import { compactVerify, decodeProtectedHeader, errors as joseErrors, type JWTVerifyGetKey } from 'jose';
import { oidcError } from './reasons.js';

/** Asymmetric JWS algorithms accepted for ID tokens; MAC algorithms keyed by the client secret are not. */
export const ACCEPTED_ID_TOKEN_ALGS = [
  'RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA', 'Ed25519',
] as const;

/** What an ID token must match; times are checked against `nowMs` with `skewSeconds` of leeway. */
export interface IdTokenExpectations {
  issuer: string;
  clientId: string;
  nonce: string;
  nowMs: number;
  skewSeconds: number;
}

/** The claims of an ID token once verified. */
export type IdTokenClaims = Record<string, unknown> & { iss: string; sub: string; exp: number; iat: number };

const iso = (seconds: number) => new Date(seconds * 1000).toISOString();
const show = (value: unknown) => (value === undefined ? '(none)' : JSON.stringify(value));

/**
 * The algorithms to accept for a provider: those it advertises in
 * `id_token_signing_alg_values_supported` that we accept, or RS256 when it advertises none
 * (OIDC Discovery §3, OIDC Core §3.1.3.7 step 7).
 */
export function acceptedAlgorithms(advertised: readonly string[] | undefined): string[] {
  if (!advertised || advertised.length === 0) return ['RS256'];
  return advertised.filter((alg) => (ACCEPTED_ID_TOKEN_ALGS as readonly string[]).includes(alg));
}

/** Refuses `alg: none` (`oidc_alg_none`) and algorithms outside `accepted` (`oidc_unsupported_alg`). */
export function checkIdTokenAlgorithm(header: { alg?: unknown }, accepted: readonly string[]): void {
  const alg = header.alg;
  if (typeof alg === 'string' && alg.toLowerCase() === 'none') {
    throw oidcError(
      'oidc_alg_none',
      `ID token is unsigned (alg "none"); expected a signature with one of ${accepted.join(', ')}. Configure the provider to sign ID tokens (RS256).`,
      { alg },
    );
  }
  if (typeof alg !== 'string' || !accepted.includes(alg)) {
    throw oidcError(
      'oidc_unsupported_alg',
      `ID token is signed with alg ${show(alg)}; expected one of ${accepted.join(', ')} (the provider's advertised asymmetric algorithms). Configure the provider to sign ID tokens with RS256.`,
      { alg, accepted },
    );
  }
}

/**
 * Checks the claims of an ID token in the order of OIDC Core §3.1.3.7: iss (2), aud and azp (3–5),
 * exp (9), iat (10), nbf (RFC 7519 §4.1.5), nonce (11), and that `sub` is present (§2).
 * Throws the matching `oidc_<check>` error.
 */
export function checkIdTokenClaims(claims: Record<string, unknown>, expected: IdTokenExpectations): IdTokenClaims {
  const { iss, aud, azp, exp, iat, nbf, nonce, sub } = claims;
  if (iss !== expected.issuer) {
    throw oidcError(
      'oidc_wrong_issuer',
      `ID token iss is ${show(iss)}, expected "${expected.issuer}". The SSO connection's issuer must be exactly the provider's issuer identifier (check trailing slashes and tenant-specific issuers).`,
      { expected: expected.issuer, actual: iss },
    );
  }
  const audiences = Array.isArray(aud) ? aud : [aud];
  if (!audiences.includes(expected.clientId)) {
    throw oidcError(
      'oidc_audience_mismatch',
      `ID token aud is ${show(aud)}, expected "${expected.clientId}". The token was issued to another application: check the client ID of the SSO connection.`,
      { expected: expected.clientId, actual: aud },
    );
  }
  // §3.1.3.7 steps 4–5: with several audiences the authorized party must be us.
  if ((audiences.length > 1 || azp !== undefined) && azp !== expected.clientId) {
    throw oidcError(
      'oidc_audience_mismatch',
      `ID token azp (authorized party) is ${show(azp)} with aud ${show(aud)}, expected azp "${expected.clientId}". The token was issued to another application: check the client ID of the SSO connection.`,
      { expected: expected.clientId, actual: azp },
    );
  }
  if (typeof exp !== 'number' || typeof iat !== 'number') {
    throw oidcError(
      'oidc_invalid_id_token',
      `ID token lacks a numeric ${typeof exp !== 'number' ? 'exp' : 'iat'} claim (got ${show(typeof exp !== 'number' ? exp : iat)}); OIDC Core §2 requires exp and iat.`,
    );
  }
  const now = expected.nowMs / 1000;
  const skew = expected.skewSeconds;
  const nowText = new Date(expected.nowMs).toISOString();
  if (exp <= now - skew) {
    throw oidcError(
      'oidc_expired',
      `ID token expired at ${iso(exp)} (exp); emulator time is ${nowText} (allowed skew ${skew}s). Sign in again; if it keeps happening, check the provider's clock and token lifetime, or whether the emulator clock was moved.`,
      { exp: iso(exp), now: nowText, skewSeconds: skew },
    );
  }
  if (iat > now + skew) {
    throw oidcError(
      'oidc_issued_in_future',
      `ID token was issued at ${iso(iat)} (iat), after emulator time ${nowText} (allowed skew ${skew}s). The provider's clock runs ahead; sync it or move the emulator clock.`,
      { iat: iso(iat), now: nowText, skewSeconds: skew },
    );
  }
  if (typeof nbf === 'number' && nbf > now + skew) {
    throw oidcError(
      'oidc_not_yet_valid',
      `ID token is not valid before ${iso(nbf)} (nbf); emulator time is ${nowText} (allowed skew ${skew}s). The provider's clock runs ahead; sync it or move the emulator clock.`,
      { nbf: iso(nbf), now: nowText, skewSeconds: skew },
    );
  }
  if (nonce !== expected.nonce) {
    throw oidcError(
      'oidc_nonce_mismatch',
      `ID token nonce is ${show(nonce)}, expected "${expected.nonce}" (the nonce this sign-in sent). The token belongs to another sign-in or was replayed; start the sign-in again.`,
      { expected: expected.nonce, actual: nonce },
    );
  }
  if (typeof sub !== 'string' || sub === '') {
    throw oidcError('oidc_invalid_id_token', `ID token lacks a sub claim (got ${show(sub)}); OIDC Core §2 requires a subject identifier.`);
  }
  return claims as IdTokenClaims;
}

/**
 * Verifies an ID token: algorithm, signature against `jwks` (the provider's key set), then the
 * claims against `expected`. Returns the claims or throws an `oidc_<check>` error.
 */
export async function verifyIdToken(
  idToken: string,
  jwks: JWTVerifyGetKey,
  algorithms: readonly string[],
  expected: IdTokenExpectations,
): Promise<IdTokenClaims> {
  let header: { alg?: unknown };
  try {
    header = decodeProtectedHeader(idToken);
  } catch {
    throw oidcError('oidc_invalid_id_token', 'ID token is not a compact JWS (header.payload.signature); the provider returned something else as id_token.');
  }
  checkIdTokenAlgorithm(header, algorithms);
  let payload: Uint8Array;
  try {
    ({ payload } = await compactVerify(idToken, jwks, { algorithms: [...algorithms] }));
  } catch (err) {
    throw signatureError(err, header);
  }
  let claims: unknown;
  try {
    claims = JSON.parse(new TextDecoder().decode(payload));
  } catch {
    throw oidcError('oidc_invalid_id_token', 'ID token payload is not JSON.');
  }
  if (typeof claims !== 'object' || claims === null || Array.isArray(claims)) {
    throw oidcError('oidc_invalid_id_token', 'ID token payload is not a JSON object.');
  }
  return checkIdTokenClaims(claims as Record<string, unknown>, expected);
}

function signatureError(err: unknown, header: { alg?: unknown; kid?: unknown }) {
  if (err instanceof joseErrors.JWKSNoMatchingKey) {
    return oidcError(
      'oidc_bad_signature',
      `ID token is signed with key ${show(header.kid)} (${show(header.alg)}), which is not in the provider's JWKS. The token was not signed by this provider, or its keys rotated without publishing the new key.`,
      { kid: header.kid },
    );
  }
  if (err instanceof joseErrors.JWSSignatureVerificationFailed) {
    return oidcError(
      'oidc_bad_signature',
      `ID token signature does not verify against the provider's JWKS key ${show(header.kid)}. The token was altered or signed with another key; check that the issuer is the provider that signed it.`,
      { kid: header.kid },
    );
  }
  if (err instanceof joseErrors.JOSEAlgNotAllowed || err instanceof joseErrors.JOSENotSupported) {
    return oidcError('oidc_unsupported_alg', `ID token algorithm ${show(header.alg)} is not accepted: ${err.message}.`, { alg: header.alg });
  }
  if (err instanceof joseErrors.JWSInvalid) {
    return oidcError('oidc_invalid_id_token', `ID token is not a valid JWS: ${err.message}.`);
  }
  const message = err instanceof Error ? err.message : String(err);
  return oidcError(
    'oidc_jwks_unavailable',
    `The provider's JWKS could not be fetched or used (${message}), so the ID token signature cannot be checked. Check that jwks_uri answers 200 with a JSON key set.`,
  );
}
