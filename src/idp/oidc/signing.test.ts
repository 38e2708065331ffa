// The `bad_signature` fault's key is one the provider did not publish, whatever key the provider has.
import { createPrivateKey } from 'node:crypto';
import { createLocalJWKSet, decodeProtectedHeader, jwtVerify, type JWK } from 'jose';
import { describe, expect, it } from 'vitest';
import { idpSigningKeys } from '../keys.js';
import { UNTRUSTED_PRIVATE_KEY_PEM } from '../saml/untrusted-key.js';
import { createIdTokenSigner } from './signing.js';

const claims = { iss: 'https://idp.example/oidc', sub: 'u1', aud: 'client', iat: 1, exp: 4_000_000_000 };

describe('ID token signer, bad_signature', () => {
  it.each([
    ['the fixture key', idpSigningKeys().privateJwk],
    ['the untrusted key itself', createPrivateKey(UNTRUSTED_PRIVATE_KEY_PEM).export({ format: 'jwk' }) as JWK],
  ])('a provider signing with %s: the good token verifies, the faulty one does not', async (_, privateJwk) => {
    const signer = await createIdTokenSigner({ privateJwk });
    const jwks = createLocalJWKSet(signer.jwks());
    await expect(jwtVerify(await signer.sign(claims), jwks)).resolves.toBeTruthy();
    const bad = await signer.sign(claims, 'bad_signature');
    expect(decodeProtectedHeader(bad).kid).toBe(signer.kid);
    await expect(jwtVerify(bad, jwks)).rejects.toThrow(/signature/);
  });
});
