// Pins the ID token claim and algorithm checks (OIDC Core §3.1.3.7) and the skew boundaries.
import { describe, expect, it } from 'vitest';
import { EmulatorError } from '../../errors.js';
import { acceptedAlgorithms, checkIdTokenAlgorithm, checkIdTokenClaims, type IdTokenExpectations } from './id-token.js';

const NOW = Date.UTC(2025, 8, 1, 12, 0, 0);
const now = NOW / 1000;
const expected: IdTokenExpectations = { issuer: 'https://idp.example', clientId: 'ws', nonce: 'n1', nowMs: NOW, skewSeconds: 30 };
const good = { iss: 'https://idp.example', aud: 'ws', sub: 'u1', iat: now, exp: now + 300, nonce: 'n1' };

const reason = (fn: () => unknown) => {
  try {
    fn();
  } catch (err) {
    if (err instanceof EmulatorError) return err.code;
    throw err;
  }
  return 'accepted';
};

describe('checkIdTokenClaims', () => {
  it('accepts a good token', () => {
    expect(reason(() => checkIdTokenClaims(good, expected))).toBe('accepted');
  });

  it.each([
    [{ iss: 'https://idp.example/' }, 'oidc_wrong_issuer'],
    [{ aud: 'other' }, 'oidc_audience_mismatch'],
    [{ aud: ['ws', 'other'] }, 'oidc_audience_mismatch'],
    [{ aud: ['ws', 'other'], azp: 'other' }, 'oidc_audience_mismatch'],
    [{ azp: 'other' }, 'oidc_audience_mismatch'],
    [{ exp: now - 30 }, 'oidc_expired'],
    [{ iat: now + 31 }, 'oidc_issued_in_future'],
    [{ nbf: now + 31 }, 'oidc_not_yet_valid'],
    [{ nonce: 'n2' }, 'oidc_nonce_mismatch'],
    [{ nonce: undefined }, 'oidc_nonce_mismatch'],
    [{ sub: undefined }, 'oidc_invalid_id_token'],
    [{ exp: undefined }, 'oidc_invalid_id_token'],
    [{ iat: '1' }, 'oidc_invalid_id_token'],
  ] as Array<[Record<string, unknown>, string]>)('%j → %s', (change, code) => {
    expect(reason(() => checkIdTokenClaims({ ...good, ...change }, expected))).toBe(code);
  });

  it('allows the configured skew and no more', () => {
    expect(reason(() => checkIdTokenClaims({ ...good, exp: now - 29 }, expected))).toBe('accepted');
    expect(reason(() => checkIdTokenClaims({ ...good, iat: now + 30 }, expected))).toBe('accepted');
    expect(reason(() => checkIdTokenClaims({ ...good, aud: ['ws', 'other'], azp: 'ws' }, expected))).toBe('accepted');
    expect(reason(() => checkIdTokenClaims({ ...good, exp: now - 29 }, { ...expected, skewSeconds: 0 }))).toBe('oidc_expired');
  });
});

describe('checkIdTokenAlgorithm', () => {
  it('refuses none in any case, and algorithms outside the accepted list', () => {
    expect(reason(() => checkIdTokenAlgorithm({ alg: 'none' }, ['RS256']))).toBe('oidc_alg_none');
    expect(reason(() => checkIdTokenAlgorithm({ alg: 'None' }, ['RS256']))).toBe('oidc_alg_none');
    expect(reason(() => checkIdTokenAlgorithm({ alg: 'HS256' }, ['RS256']))).toBe('oidc_unsupported_alg');
    expect(reason(() => checkIdTokenAlgorithm({}, ['RS256']))).toBe('oidc_unsupported_alg');
    expect(reason(() => checkIdTokenAlgorithm({ alg: 'ES256' }, ['RS256', 'ES256']))).toBe('accepted');
  });

  it('accepts the advertised asymmetric algorithms, RS256 when none are advertised', () => {
    expect(acceptedAlgorithms(undefined)).toEqual(['RS256']);
    expect(acceptedAlgorithms(['none', 'HS256', 'RS256', 'ES256'])).toEqual(['RS256', 'ES256']);
  });
});
