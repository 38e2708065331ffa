// Maps verified OIDC claims to the workspace identity: email (required, not refused as
// unverified), given and family name (OIDC Core §5.1 standard claims).
import { oidcError } from './reasons.js';

/** The identity an OIDC sign-in establishes. */
export interface OidcIdentity {
  /** The `email` claim, trimmed and lower-cased (workspace emails match case-insensitively). */
  email: string;
  givenName?: string;
  familyName?: string;
  /** The provider's subject identifier for the user. */
  sub: string;
  /** The issuer that vouched for the identity. */
  issuer: string;
  /** Every claim received: ID token claims, completed by userinfo claims the ID token lacked. */
  claims: Record<string, unknown>;
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/**
 * Builds the identity from verified claims. Refuses a missing `email` (`oidc_missing_email`), one
 * that is not an address (`oidc_invalid_email`) and `email_verified: false`
 * (`oidc_unverified_email`; an absent `email_verified` is accepted, as Entra and Clever omit it).
 */
export function mapOidcIdentity(claims: Record<string, unknown>, issuer: string): OidcIdentity {
  const rawEmail = claims.email;
  if (rawEmail === undefined || rawEmail === null || rawEmail === '') {
    const upn = typeof claims.preferred_username === 'string' ? ` (preferred_username is "${claims.preferred_username}", which is not used as the email)` : '';
    throw oidcError(
      'oidc_missing_email',
      `Neither the ID token nor userinfo carries an email claim${upn}. Request the "email" scope and have the provider release the email claim (Entra: add the optional claim "email"; Google and Clever release it with the email scope).`,
      { sub: claims.sub },
    );
  }
  if (typeof rawEmail !== 'string' || !EMAIL.test(rawEmail.trim())) {
    throw oidcError(
      'oidc_invalid_email',
      `The email claim is ${JSON.stringify(rawEmail)}, which is not an email address; map the provider's email attribute to the user's mail address.`,
      { actual: rawEmail },
    );
  }
  const email = rawEmail.trim().toLowerCase();
  // Some providers (Google's older endpoints) send the boolean as a string.
  const verified = claims.email_verified;
  if (verified === false || verified === 'false') {
    throw oidcError(
      'oidc_unverified_email',
      `The provider says the email ${email} is not verified (email_verified: ${JSON.stringify(verified)}); expected true or no claim. Verify the address at the provider, or use an account whose email the provider has verified.`,
      { email },
    );
  }
  const identity: OidcIdentity = { email, sub: String(claims.sub), issuer, claims };
  const given = nonEmpty(claims.given_name);
  const family = nonEmpty(claims.family_name);
  if (given !== undefined) identity.givenName = given;
  if (family !== undefined) identity.familyName = family;
  return identity;
}

function nonEmpty(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}
