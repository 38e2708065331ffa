// The mock IdP's signing key pair: the test-only pair in fixtures/keys/ (idp-signing.key/.crt),
// one pair for SAML signatures and the OIDC JWKS alike, so workspaces trust one certificate.
import { createPrivateKey, type JsonWebKey } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { JWK } from 'jose';
import { packageRoot } from '../package-root.js';

export interface IdpSigningKeys {
  privateKeyPem: string;
  certPem: string;
  /** The private key as a JWK, for the OIDC provider's RS256 signer. */
  privateJwk: JWK;
}

let cached: IdpSigningKeys | undefined;

function findKeyDir(): string {
  const dir = join(packageRoot(), 'fixtures', 'keys');
  if (existsSync(join(dir, 'idp-signing.key'))) return dir;
  throw new Error('fixtures/keys/idp-signing.key was not found beside the emulator; reinstall the package (fixtures/ ships with it).');
}

/** The mock IdP's signing pair, read once. */
export function idpSigningKeys(): IdpSigningKeys {
  if (!cached) {
    const dir = findKeyDir();
    const privateKeyPem = readFileSync(join(dir, 'idp-signing.key'), 'utf8');
    const certPem = readFileSync(join(dir, 'idp-signing.crt'), 'utf8');
    const jwk = createPrivateKey(privateKeyPem).export({ format: 'jwk' }) as JsonWebKey;
    cached = { privateKeyPem, certPem, privateJwk: jwk as JWK };
  }
  return cached;
}
