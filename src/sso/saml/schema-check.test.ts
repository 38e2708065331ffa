// Pins the SAML schema check: a well-formed Response with an Assertion conforms; each way of
// breaking the SAML 2.0 schemas (element order, an unknown element, a bad dateTime, a missing
// required attribute, a namespace mix-up) or XML well-formedness does not.
import { describe, expect, it } from 'vitest';
import { conformsToSamlSchema } from './schema-check.js';

const GOOD = "<samlp:Response xmlns:samlp=\"urn:oasis:names:tc:SAML:2.0:protocol\" xmlns:saml=\"urn:oasis:names:tc:SAML:2.0:assertion\" ID=\"_r1\" Version=\"2.0\" IssueInstant=\"2026-01-01T00:00:00Z\" Destination=\"http://localhost/acs\" InResponseTo=\"_abc\"><saml:Issuer>https://idp</saml:Issuer><samlp:Status><samlp:StatusCode Value=\"urn:oasis:names:tc:SAML:2.0:status:Success\"/></samlp:Status><saml:Assertion ID=\"_a1\" Version=\"2.0\" IssueInstant=\"2026-01-01T00:00:00Z\"><saml:Issuer>https://idp</saml:Issuer><saml:Subject><saml:NameID>ada@x</saml:NameID><saml:SubjectConfirmation Method=\"urn:oasis:names:tc:SAML:2.0:cm:bearer\"><saml:SubjectConfirmationData NotOnOrAfter=\"2026-01-01T00:05:00Z\" Recipient=\"http://localhost/acs\" InResponseTo=\"_abc\"/></saml:SubjectConfirmation></saml:Subject><saml:Conditions NotBefore=\"2026-01-01T00:00:00Z\" NotOnOrAfter=\"2026-01-01T00:05:00Z\"><saml:AudienceRestriction><saml:Audience>sp</saml:Audience></saml:AudienceRestriction></saml:Conditions><saml:AuthnStatement AuthnInstant=\"2026-01-01T00:00:00Z\"><saml:AuthnContext><saml:AuthnContextClassRef>urn:oasis:names:tc:SAML:2.0:ac:classes:Password</saml:AuthnContextClassRef></saml:AuthnContext></saml:AuthnStatement></saml:Assertion></samlp:Response>";

describe('conformsToSamlSchema', () => {
  it('accepts a Response whose Assertion follows the schema', async () => {
    expect(await conformsToSamlSchema(GOOD)).toBe(true);
  });

  it.each([
    ['Issuer after Status', GOOD.replace('<saml:Issuer>https://idp</saml:Issuer><samlp:Status>', '<samlp:Status>').replace('</samlp:Status>', '</samlp:Status><saml:Issuer>https://idp</saml:Issuer>')],
    ['an element the schema does not have', GOOD.replace('<saml:Subject>', '<saml:Bogus/><saml:Subject>')],
    ['IssueInstant that is not an xs:dateTime', GOOD.replace('IssueInstant="2026-01-01T00:00:00Z" Destination', 'IssueInstant="yesterday" Destination')],
    ['no Version attribute', GOOD.replace(' Version="2.0" IssueInstant="2026-01-01T00:00:00Z" Destination', ' IssueInstant="2026-01-01T00:00:00Z" Destination')],
    ['an Assertion in the protocol namespace', GOOD.replace('<saml:Assertion ', '<samlp:Assertion ').replace('</saml:Assertion>', '</samlp:Assertion>')],
    ['a document cut short', GOOD.slice(0, -5)],
    ['not XML at all', 'ada@springfield.k12.us'],
  ])('refuses %s', async (_name, xml) => {
    expect(await conformsToSamlSchema(xml)).toBe(false);
  });
});
