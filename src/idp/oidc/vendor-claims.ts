// The identity claims of the mock OpenID provider, shaped like each vendor's ID tokens
// (fixtures/oidc/*-id-token.json): Clever's district claims, Google's hd, Entra's tid/oid/UPN.
import { base64url } from 'jose';

/** The vendor whose ID tokens the mock provider imitates. */
export type MockOidcVendor = 'clever' | 'google' | 'entra' | 'generic';

/** A user of the mock provider's directory. */
export interface MockOidcUser {
  email: string;
  givenName?: string;
  familyName?: string;
  /** Stable id of the user at the provider; derived from the email when absent. */
  id?: string;
  /** What `email_verified` says where the vendor sends it. Default true. */
  emailVerified?: boolean;
  /** Clever `user_type` (`teacher`, `student`, `district_admin`, `staff`). Default `teacher`. */
  userType?: string;
}

async function digest(text: string): Promise<Uint8Array> {
  return new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text)));
}

const hex = (bytes: Uint8Array) => Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');

/** A GUID derived from a seed, in the 8-4-4-4-12 form Entra uses for tenant and object ids. */
async function guid(seed: string): Promise<string> {
  const h = hex(await digest(seed));
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

/** Claims that identify the user for `vendor`, without iss/aud/exp/iat/nonce. `sub` included. */
export async function vendorClaims(
  vendor: MockOidcVendor,
  user: MockOidcUser,
  context: { issuer: string; clientId: string },
): Promise<Record<string, unknown>> {
  const seed = user.id ?? user.email.toLowerCase();
  const name = [user.givenName, user.familyName].filter(Boolean).join(' ') || undefined;
  const names = {
    ...(user.givenName !== undefined ? { given_name: user.givenName } : {}),
    ...(user.familyName !== undefined ? { family_name: user.familyName } : {}),
  };
  // Clever and Entra omit email_verified; an explicitly unverified user still says so.
  const unverified = user.emailVerified === false ? { email_verified: false } : {};
  const domain = user.email.slice(user.email.lastIndexOf('@') + 1).toLowerCase();
  switch (vendor) {
    case 'clever': {
      // Clever ids are 24 hex digits (Mongo ObjectIds); `district` is the district's id.
      const userId = user.id ?? hex(await digest(`clever-user:${seed}`)).slice(0, 24);
      return {
        sub: userId,
        user_id: userId,
        user_type: user.userType ?? 'teacher',
        district: hex(await digest(`clever-district:${context.issuer}`)).slice(0, 24),
        multi_role_user_id: hex(await digest(`clever-multi-role:${seed}`)).slice(0, 24),
        email: user.email,
        ...unverified,
        ...names,
      };
    }
    case 'google': {
      // Google subjects are decimal strings of about 21 digits.
      const digits = Array.from((await digest(`google:${seed}`)).slice(0, 21), (b) => String(b % 10)).join('');
      return {
        sub: user.id ?? `1${digits.slice(1)}`,
        azp: context.clientId,
        hd: domain,
        email: user.email,
        email_verified: user.emailVerified ?? true,
        ...(name !== undefined ? { name } : {}),
        ...names,
      };
    }
    case 'entra': {
      const tid = await guid(`entra-tenant:${context.issuer}`);
      const oid = user.id ?? (await guid(`entra-object:${seed}`));
      // v2.0 `sub` is pairwise: unique per user and application.
      const sub = base64url.encode((await digest(`entra-sub:${oid}:${context.clientId}`)).slice(0, 32));
      return {
        sub,
        ver: '2.0',
        tid,
        oid,
        preferred_username: user.email,
        email: user.email,
        ...unverified,
        ...(name !== undefined ? { name } : {}),
        ...names,
      };
    }
    case 'generic':
      return {
        sub: user.id ?? hex(await digest(`generic:${seed}`)).slice(0, 32),
        email: user.email,
        email_verified: user.emailVerified ?? true,
        ...(name !== undefined ? { name } : {}),
        ...names,
      };
  }
}
