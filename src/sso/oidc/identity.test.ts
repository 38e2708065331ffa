// Pins how verified claims become the workspace identity, and the email refusals.
import { describe, expect, it } from 'vitest';
import { EmulatorError } from '../../errors.js';
import { mapOidcIdentity } from './identity.js';

const ISS = 'https://idp.example';
const code = (claims: Record<string, unknown>) => {
  try {
    mapOidcIdentity(claims, ISS);
    return 'accepted';
  } catch (err) {
    return (err as EmulatorError).code;
  }
};

describe('mapOidcIdentity', () => {
  it('maps email, given_name and family_name', () => {
    expect(mapOidcIdentity({ sub: 's', email: ' Ada@Springfield.K12.us ', given_name: 'Ada', family_name: 'Admin' }, ISS)).toEqual({
      email: 'ada@springfield.k12.us',
      givenName: 'Ada',
      familyName: 'Admin',
      sub: 's',
      issuer: ISS,
      claims: { sub: 's', email: ' Ada@Springfield.K12.us ', given_name: 'Ada', family_name: 'Admin' },
    });
  });

  it('leaves out names the provider did not send', () => {
    const identity = mapOidcIdentity({ sub: 's', email: 'a@b.org', given_name: '' }, ISS);
    expect(identity).not.toHaveProperty('givenName');
    expect(identity).not.toHaveProperty('familyName');
  });

  it('refuses a missing, malformed or unverified email; accepts an absent email_verified', () => {
    expect(code({ sub: 's' })).toBe('oidc_missing_email');
    expect(code({ sub: 's', email: '', preferred_username: 'a@b.org' })).toBe('oidc_missing_email');
    expect(code({ sub: 's', email: 'not-an-email' })).toBe('oidc_invalid_email');
    expect(code({ sub: 's', email: 'a@b.org', email_verified: false })).toBe('oidc_unverified_email');
    expect(code({ sub: 's', email: 'a@b.org', email_verified: 'false' })).toBe('oidc_unverified_email');
    expect(code({ sub: 's', email: 'a@b.org' })).toBe('accepted');
    expect(code({ sub: 's', email: 'a@b.org', email_verified: 'true' })).toBe('accepted');
  });
});
