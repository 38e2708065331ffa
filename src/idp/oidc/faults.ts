// The faults the mock OpenID provider injects on demand: each yields a real token (or userinfo)
// with exactly one defect, so that a relying party's refusal of it can be tested.

/** Faults of the mock OpenID provider and the `oidc_<check>` reason a correct relying party answers. */
export const MOCK_OIDC_FAULTS = {
  /** Signed by another key under the provider's kid. */
  bad_signature: 'oidc_bad_signature',
  /** Unsigned: `alg: none` and an empty signature. */
  alg_none: 'oidc_alg_none',
  /** `aud` names another client. */
  wrong_audience: 'oidc_audience_mismatch',
  /** `iss` is not the provider's issuer. */
  wrong_issuer: 'oidc_wrong_issuer',
  /** `exp` (and `iat`) an hour in the past of the provider's clock. */
  expired: 'oidc_expired',
  /** `iat` an hour in the future of the provider's clock. */
  issued_in_future: 'oidc_issued_in_future',
  /** `nonce` is not the one the authorization request sent. */
  nonce_mismatch: 'oidc_nonce_mismatch',
  /** `email_verified: false` in the ID token and userinfo. */
  unverified_email: 'oidc_unverified_email',
  /** No `email` in the ID token nor userinfo. */
  missing_email: 'oidc_missing_email',
} as const;

/** A fault of the mock OpenID provider. */
export type MockOidcFault = keyof typeof MOCK_OIDC_FAULTS;

const ALIASES: Record<string, MockOidcFault> = { unsigned: 'alg_none', wrong_aud: 'wrong_audience', wrong_iss: 'wrong_issuer' };

/**
 * Reads a fault name as scenarios write it: a fault, an alias (`unsigned` → `alg_none`), or
 * `none`/empty for no fault. Returns null for a name the OIDC provider does not know.
 */
export function parseMockOidcFault(name: string | undefined | null): MockOidcFault | undefined | null {
  if (name === undefined || name === null || name === '' || name === 'none') return undefined;
  if (name in MOCK_OIDC_FAULTS) return name as MockOidcFault;
  return ALIASES[name] ?? null;
}

const HOUR = 3600;

/** Applies a claim-level fault to ID token claims (returns a new object). */
export function faultIdTokenClaims(fault: MockOidcFault | undefined, claims: Record<string, unknown>, nowSeconds: number): Record<string, unknown> {
  const out = faultIdentityClaims(fault, claims);
  switch (fault) {
    case 'wrong_audience':
      out.aud = `not-${String(claims.aud)}`;
      if (out.azp !== undefined) out.azp = out.aud;
      break;
    case 'wrong_issuer':
      out.iss = `${new URL(String(claims.iss)).origin}/another-issuer`;
      break;
    case 'expired':
      out.iat = nowSeconds - 2 * HOUR;
      out.auth_time = out.iat;
      out.exp = nowSeconds - HOUR;
      if (out.nbf !== undefined) out.nbf = out.iat;
      break;
    case 'issued_in_future':
      out.iat = nowSeconds + HOUR;
      out.auth_time = out.iat;
      out.exp = nowSeconds + 2 * HOUR;
      if (out.nbf !== undefined) out.nbf = out.iat;
      break;
    case 'nonce_mismatch':
      out.nonce = `${String(claims.nonce ?? '')}-from-another-sign-in`;
      break;
    default:
      break;
  }
  return out;
}

/** Applies the email faults to identity claims, as the ID token and userinfo both carry them. */
export function faultIdentityClaims(fault: MockOidcFault | undefined, claims: Record<string, unknown>): Record<string, unknown> {
  const out = { ...claims };
  if (fault === 'unverified_email') out.email_verified = false;
  if (fault === 'missing_email') {
    delete out.email;
    delete out.email_verified;
  }
  return out;
}
