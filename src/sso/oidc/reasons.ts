// The `oidc_<check>` reason codes of OpenID Connect sign-in refusals and their HTTP statuses:
// 400 for a broken exchange or configuration, 403 for an ID token or identity that is refused.
import { EmulatorError } from '../../errors.js';

/** Every reason an OIDC sign-in can be refused with, and the status it is answered with. */
export const OIDC_REASONS = {
  /** Issuer (or a discovered endpoint) is plain http on a non-loopback host. */
  oidc_insecure_issuer: 400,
  /** Issuer is not a valid issuer identifier URL. */
  oidc_invalid_issuer: 400,
  /** The discovery document could not be fetched or is not usable. */
  oidc_discovery_failed: 400,
  /** The callback's `state` is not the one this sign-in sent. */
  oidc_state_mismatch: 400,
  /** The provider answered the authorization request with `error=…`. */
  oidc_error: 400,
  /** The callback carries neither `code` nor `error`. */
  oidc_missing_code: 400,
  /** The token endpoint refused the code (e.g. `invalid_grant` on a PKCE verifier mismatch). */
  oidc_token_exchange: 400,
  /** The provider's JWKS could not be fetched. */
  oidc_jwks_unavailable: 400,
  /** The userinfo endpoint could not be used to complete the claims. */
  oidc_userinfo_failed: 400,
  /** The ID token is malformed or lacks a required claim (sub, exp, iat…). */
  oidc_invalid_id_token: 403,
  /** ID token signature does not verify against the provider's JWKS. */
  oidc_bad_signature: 403,
  /** ID token is unsigned (`alg: none`). */
  oidc_alg_none: 403,
  /** ID token is signed with an algorithm the provider does not advertise or we do not accept. */
  oidc_unsupported_alg: 403,
  /** ID token `iss` is not the configured issuer. */
  oidc_wrong_issuer: 403,
  /** ID token `aud`/`azp` does not name this client. */
  oidc_audience_mismatch: 403,
  /** ID token `exp` has passed on the emulator clock. */
  oidc_expired: 403,
  /** ID token `iat` lies in the future on the emulator clock. */
  oidc_issued_in_future: 403,
  /** ID token `nbf` lies in the future on the emulator clock. */
  oidc_not_yet_valid: 403,
  /** ID token `nonce` is not the one this sign-in sent. */
  oidc_nonce_mismatch: 403,
  /** Neither the ID token nor userinfo carries an `email` claim. */
  oidc_missing_email: 403,
  /** The `email` claim is not an email address. */
  oidc_invalid_email: 403,
  /** The provider says the email is not verified (`email_verified: false`). */
  oidc_unverified_email: 403,
} as const;

/** A reason code of an OIDC sign-in refusal. */
export type OidcReason = keyof typeof OIDC_REASONS;

/** Builds the EmulatorError for a reason, with the reason's status. */
export function oidcError(code: OidcReason, message: string, details?: Record<string, unknown>): EmulatorError {
  return new EmulatorError({ code, status: OIDC_REASONS[code], message, ...(details ? { details } : {}) });
}
