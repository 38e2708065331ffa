// The mock IdP's one-parse signer (response-signer.ts, issue-response.ts signResponse) against
// xml-crypto's computeSignature as the oracle, signing the same unsigned response one element after
// the other as the IdP did before: the same bytes for every vendor shape, signed part, algorithm,
// prefix and inclusive prefix list, with users whose names need escaping.
import { SignedXml } from 'xml-crypto';
import { describe, expect, it } from 'vitest';
import { issueSamlResponse, signResponse } from './issue-response.js';
import { UNTRUSTED_CERT_PEM, UNTRUSTED_PRIVATE_KEY_PEM } from './untrusted-key.js';
import { VENDOR_SHAPES, type SignedParts, type Vendor } from './vendor-shapes.js';

const NS_PROTOCOL = 'urn:oasis:names:tc:SAML:2.0:protocol';
const NS_ASSERTION = 'urn:oasis:names:tc:SAML:2.0:assertion';
const EXC_C14N = 'http://www.w3.org/2001/10/xml-exc-c14n#';
const ENVELOPED = 'http://www.w3.org/2000/09/xmldsig#enveloped-signature';
const KEY = { privateKeyPem: UNTRUSTED_PRIVATE_KEY_PEM, certPem: UNTRUSTED_CERT_PEM };
const VENDORS = Object.keys(VENDOR_SHAPES) as Vendor[];
const USERS = [
  { email: 'ada@school.test', givenName: 'Ada', familyName: 'Lovelace' },
  { email: 'o.brien@school.test', givenName: 'Séan & "Sam" <x>', familyName: "O'Brien\r\nJr", attributes: { grade: ['7', '8'], note: 'a&b' } },
];

/** The IdP's signing before: xml-crypto's computeSignature on the text, the Assertion then the Response. */
function oracle(xml: string, parts: SignedParts, options: { prefix: string; inclusivePrefixes: string[]; sha1: boolean }): string {
  const response = `/*[local-name(.)='Response' and namespace-uri(.)='${NS_PROTOCOL}']`;
  const targets = { Assertion: `${response}/*[local-name(.)='Assertion' and namespace-uri(.)='${NS_ASSERTION}']`, Response: response };
  for (const element of ['Assertion', 'Response'] as const) {
    if ((element === 'Assertion' && parts === 'response') || (element === 'Response' && parts === 'assertion')) continue;
    const signer = new SignedXml({
      privateKey: KEY.privateKeyPem,
      publicCert: KEY.certPem,
      signatureAlgorithm: options.sha1 ? 'http://www.w3.org/2000/09/xmldsig#rsa-sha1' : 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256',
      canonicalizationAlgorithm: EXC_C14N,
    });
    signer.addReference({
      xpath: targets[element],
      transforms: [ENVELOPED, EXC_C14N],
      digestAlgorithm: options.sha1 ? 'http://www.w3.org/2000/09/xmldsig#sha1' : 'http://www.w3.org/2001/04/xmlenc#sha256',
      ...(options.inclusivePrefixes.length ? { inclusiveNamespacesPrefixList: options.inclusivePrefixes } : {}),
    });
    signer.computeSignature(xml, { prefix: options.prefix, location: { reference: `${targets[element]}/*[local-name(.)='Issuer']`, action: 'after' } });
    xml = signer.getSignedXml();
  }
  return xml;
}

function unsignedResponse(vendor: Vendor, user: (typeof USERS)[number]): string {
  const b64 = issueSamlResponse({
    idp: { entityId: 'https://idp.test/saml', ...KEY },
    sp: { entityId: 'https://sp.test/saml/metadata', acsUrl: 'https://sp.test/saml/acs' },
    user,
    inResponseTo: '_req1',
    clock: { nowMs: () => Date.UTC(2026, 0, 1), now: () => new Date(Date.UTC(2026, 0, 1)) },
    vendor,
    fault: 'unsigned',
    memory: new Map(),
  });
  return Buffer.from(b64, 'base64').toString('utf8');
}

describe('signResponse signs as xml-crypto computeSignature did, one element after the other', () => {
  it('gives the same bytes for every shape, part and algorithm, with its own prefix and prefix list', () => {
    let compared = 0;
    for (const vendor of VENDORS) {
      const shape = VENDOR_SHAPES[vendor];
      for (const [index, user] of USERS.entries()) {
        const xml = unsignedResponse(vendor, user);
        for (const parts of ['assertion', 'response', 'both'] as const) {
          // The plain user with SHA-256 only; the user whose names need escaping with both algorithms.
          for (const sha1 of index === 0 ? [false] : [false, true]) {
            const options = { prefix: shape.signaturePrefix, inclusivePrefixes: shape.inclusivePrefixes ?? [], sha1 };
            const signed = signResponse(xml, parts, KEY, options);
            expect(signed).toBe(oracle(xml, parts, options));
            expect(signed.match(/SignatureValue>/g)).toHaveLength(parts === 'both' ? 4 : 2);
            compared++;
          }
        }
      }
    }
    expect(compared).toBe(VENDORS.length * 9);
  });

  it('gives the same bytes with any prefix and inclusive prefix list', () => {
    const xml = unsignedResponse('okta', USERS[1]!);
    for (const prefix of ['', 'ds', 'sig']) {
      for (const inclusivePrefixes of [[], ['xs'], ['xs', 'saml', 'samlp']]) {
        const options = { prefix, inclusivePrefixes, sha1: false };
        expect(signResponse(xml, 'both', KEY, options)).toBe(oracle(xml, 'both', options));
      }
    }
  });

  it('refuses a document the shapes would not render, as the XPath signer did', () => {
    const xml = unsignedResponse('generic', USERS[0]!);
    const withoutIssuer = xml.replace(/<saml:Issuer[^>]*>[^<]*<\/saml:Issuer>/, '');
    expect(() => signResponse(withoutIssuer, 'response', KEY, { prefix: 'ds', inclusivePrefixes: [], sha1: false })).toThrow(/Issuer/);
    expect(() => oracle(withoutIssuer, 'response', { prefix: 'ds', inclusivePrefixes: [], sha1: false })).toThrow(/Issuer/);
    expect(() => signResponse('<other/>', 'both', KEY, { prefix: 'ds', inclusivePrefixes: [], sha1: false })).toThrow(/Response/);
  });
});
