// Test support: SAML sign-in through the workspace's real SP, with responses from the mock IdP's
// issuer signed by the test key pair (fixtures/keys).
import { readFileSync } from 'node:fs';
import { inflateRawSync } from 'node:zlib';
import { issueSamlResponse } from '../../src/idp/saml/issue-response.js';
import { UNTRUSTED_CERT_PEM, UNTRUSTED_PRIVATE_KEY_PEM } from '../../src/idp/saml/untrusted-key.js';
import type { SignedParts, Vendor } from '../../src/idp/saml/vendor-shapes.js';
import type { inProcess } from './in-process.js';

type Env = ReturnType<typeof inProcess>;

export const TEST_IDP = {
  entityId: 'https://idp.springfield.test/saml',
  ssoUrl: 'https://idp.springfield.test/saml/sso',
  privateKeyPem: readFileSync(new URL('../../fixtures/keys/idp-signing.key', import.meta.url), 'utf8'),
  certPem: readFileSync(new URL('../../fixtures/keys/idp-signing.crt', import.meta.url), 'utf8'),
};

/** Configures the workspace's SAML connection to trust TEST_IDP. */
export async function connectTestIdp(env: Env, ws = 'default'): Promise<void> {
  const res = await env.call('PUT', `/w/${ws}/api/sso`, {
    protocol: 'saml',
    idp: { entityId: TEST_IDP.entityId, ssoUrl: TEST_IDP.ssoUrl, certificates: [TEST_IDP.certPem] },
  });
  if (res.status !== 200) throw new Error(`connect: ${JSON.stringify(res.body)}`);
}

/** A complete SP-initiated SAML sign-in; returns the ACS response. */
export async function samlSignIn(env: Env, email: string, ws = 'default'): Promise<Response> {
  const login = await env.emulator.app.request(`/w/${ws}/sso/saml/login?email=${encodeURIComponent(email)}`);
  const request = new URL(login.headers.get('Location')!).searchParams.get('SAMLRequest')!;
  const id = /ID="([^"]+)"/.exec(inflateRawSync(Buffer.from(request, 'base64')).toString('utf8'))![1]!;
  const response = issueSamlResponse({
    idp: TEST_IDP,
    sp: { entityId: `http://localhost/w/${ws}/sso/saml/metadata`, acsUrl: `http://localhost/w/${ws}/sso/saml/acs` },
    user: { email, givenName: 'Test', familyName: 'User' },
    inResponseTo: id,
    clock: env.emulator.core.clockFor(ws),
    vendor: 'entra',
  });
  return env.emulator.app.request(`/w/${ws}/sso/saml/acs`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ SAMLResponse: response }).toString(),
  });
}

/**
 * A Response as the mock IdP issues it (XML text) for a fixed SP, user and clock, signed with the
 * well-known untrusted pair: the input of the signature tests that compare with xml-crypto.
 */
export function issuedSamlXml(vendor: Vendor, sign: SignedParts = 'both'): string {
  const b64 = issueSamlResponse({
    idp: { entityId: 'https://idp.test/saml', privateKeyPem: UNTRUSTED_PRIVATE_KEY_PEM, certPem: UNTRUSTED_CERT_PEM },
    sp: { entityId: 'https://sp.test/saml/metadata', acsUrl: 'https://sp.test/saml/acs' },
    user: { email: 'ada@school.test', givenName: 'Ada', familyName: 'Lovelace' },
    inResponseTo: '_req1',
    clock: { nowMs: () => Date.UTC(2026, 0, 1), now: () => new Date(Date.UTC(2026, 0, 1)) },
    vendor,
    sign,
    memory: new Map(),
  });
  return Buffer.from(b64, 'base64').toString('utf8');
}
