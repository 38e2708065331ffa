// The mock OpenID provider's signing key and ID token encoding: RS256 with the published key,
// or, on demand, signed by a stranger key (`bad_signature`) or unsigned (`alg_none`).
import { calculateJwkThumbprint, exportJWK, generateKeyPair, importJWK, importPKCS8, SignJWT, UnsecuredJWT, type JWK } from 'jose';
import { UNTRUSTED_PRIVATE_KEY_PEM } from '../saml/untrusted-key.js';
import type { MockOidcFault } from './faults.js';

/** A signing key for the mock provider: a key pair as `generateKeyPair('RS256')` returns, or a private RSA JWK. */
export type MockOidcSigningKey = { privateKey: CryptoKey; publicKey: CryptoKey; kid?: string } | { privateJwk: JWK };

/** Signs ID tokens and publishes the key set. */
export interface IdTokenSigner {
  readonly kid: string;
  /** The JWK Set served at `/jwks` (RFC 7517 §5). */
  jwks(): { keys: JWK[] };
  sign(claims: Record<string, unknown>, fault?: MockOidcFault): Promise<string>;
}

const PRIVATE_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth', 'k'] as const;

/**
 * The key of the `bad_signature` fault: the well-known untrusted pair the SAML side signs
 * `untrusted_cert` with (an RSA key generation costs 50-300 ms of CPU), or a fresh pair for a
 * provider that publishes that very key.
 */
async function strangerKey(published: JWK): Promise<CryptoKey> {
  const untrusted = (await importPKCS8(UNTRUSTED_PRIVATE_KEY_PEM, 'RS256', { extractable: true })) as CryptoKey;
  if ((await exportJWK(untrusted)).n !== published.n) return untrusted;
  return (await generateKeyPair('RS256')).privateKey;
}

/** Creates the signer from `key`, or from a fresh RS256 key pair. */
export async function createIdTokenSigner(key?: MockOidcSigningKey): Promise<IdTokenSigner> {
  let privateKey: CryptoKey;
  let publicJwk: JWK;
  if (key && 'privateJwk' in key) {
    privateKey = (await importJWK({ ...key.privateJwk, alg: 'RS256' }, 'RS256')) as CryptoKey;
    publicJwk = { ...key.privateJwk };
    for (const member of PRIVATE_MEMBERS) delete publicJwk[member];
  } else {
    const pair = key ?? (await generateKeyPair('RS256'));
    privateKey = pair.privateKey;
    publicJwk = await exportJWK(pair.publicKey);
    if (key?.kid) publicJwk.kid = key.kid;
  }
  const kid = publicJwk.kid ?? (await calculateJwkThumbprint(publicJwk));
  const published: JWK = { ...publicJwk, kid, alg: 'RS256', use: 'sig' };
  let stranger: Promise<CryptoKey> | undefined;

  return {
    kid,
    jwks: () => ({ keys: [published] }),
    async sign(claims, fault) {
      if (fault === 'alg_none') return new UnsecuredJWT(claims).encode();
      // A key nobody published, presented under the provider's kid: the signature cannot verify.
      const signingKey = fault === 'bad_signature' ? await (stranger ??= strangerKey(published)) : privateKey;
      return new SignJWT(claims).setProtectedHeader({ alg: 'RS256', kid, typ: 'JWT' }).sign(signingKey);
    },
  };
}
