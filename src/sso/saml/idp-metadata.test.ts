// parseIdpMetadata on the vendor metadata fixtures and on the inputs admins get wrong.

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { isEmulatorError } from '../../errors.js';
import { certificateFingerprint } from './certificates.js';
import { parseIdpMetadata } from './idp-metadata.js';

const fixture = (name: string) =>
  readFileSync(new URL(`../../../fixtures/saml/idp-metadata/${name}`, import.meta.url), 'utf8');
const cert = (name: string) => readFileSync(new URL(`../../../fixtures/keys/${name}.crt`, import.meta.url), 'utf8');
const SIGNING = certificateFingerprint(cert('idp-signing'));
const ROTATED = certificateFingerprint(cert('idp-signing-rotated'));

function refusal(xml: string): string {
  try {
    parseIdpMetadata(xml);
  } catch (err) {
    if (isEmulatorError(err) && err.code === 'saml_metadata_invalid' && err.status === 400) return err.message;
    throw err;
  }
  throw new Error('metadata was accepted');
}

describe('parseIdpMetadata: vendor fixtures', () => {
  it('Entra ID federation metadata: SAML endpoint and both rotation certificates, ignoring WS-Fed roles', () => {
    const idp = parseIdpMetadata(fixture('entra.xml'));
    expect(idp.entityId).toBe('https://sts.windows.net/3f2b8c1e-6a4d-4e59-9b7a-2c1d0e8f4a6b/');
    expect(idp.ssoUrl).toBe('https://login.microsoftonline.com/3f2b8c1e-6a4d-4e59-9b7a-2c1d0e8f4a6b/saml2');
    expect(idp.ssoBinding).toBe('redirect');
    expect(idp.certificates.map(certificateFingerprint)).toEqual([SIGNING, ROTATED]);
  });

  it('Okta: prefers HTTP-Redirect though HTTP-POST is listed first; wrapped base64 is fine', () => {
    const idp = parseIdpMetadata(fixture('okta.xml'));
    expect(idp).toMatchObject({
      entityId: 'http://www.okta.com/exk9x2a7q1ZbC3dE4f5g',
      ssoUrl: 'https://springfield-k12.okta.com/app/springfield-k12_chatgptedu_1/exk9x2a7q1ZbC3dE4f5g/sso/saml',
      ssoBinding: 'redirect',
    });
    expect(idp.certificates.map(certificateFingerprint)).toEqual([SIGNING]);
  });

  it('Google Workspace', () => {
    const idp = parseIdpMetadata(fixture('google.xml'));
    expect(idp).toMatchObject({
      entityId: 'https://accounts.google.com/o/saml2?idpid=C03x7k2pq',
      ssoUrl: 'https://accounts.google.com/o/saml2/idp?idpid=C03x7k2pq',
    });
    expect(idp.certificates).toHaveLength(1);
  });

  it('ClassLink: POST-only SSO, encryption key not taken as a signing certificate', () => {
    const idp = parseIdpMetadata(fixture('classlink.xml'));
    expect(idp).toMatchObject({
      entityId: 'https://launchpad.classlink.com/springfieldk12',
      ssoUrl: 'https://launchpad.classlink.com/saml/sso/springfieldk12',
      ssoBinding: 'post',
    });
    expect(idp.certificates.map(certificateFingerprint)).toEqual([SIGNING]);
  });

  it('an EntitiesDescriptor with one IdP', () => {
    const inner = fixture('google.xml').replace(/^<\?xml[^>]*>\s*<!--[^>]*-->\s*/, '');
    const wrapped = `<md:EntitiesDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata">${inner}</md:EntitiesDescriptor>`;
    expect(parseIdpMetadata(wrapped).entityId).toBe('https://accounts.google.com/o/saml2?idpid=C03x7k2pq');
  });
});

describe('parseIdpMetadata: refusals name what is missing', () => {
  const okta = fixture('okta.xml');

  it('empty input, non-XML, a DTD', () => {
    expect(refusal('  ')).toMatch(/empty/);
    expect(refusal('{"entityId": "x"}')).toMatch(/not well-formed|root element/);
    expect(refusal(`<!DOCTYPE x [<!ENTITY a "b">]>${okta}`)).toMatch(/DOCTYPE/);
  });

  it('SP metadata instead of IdP metadata', () => {
    const sp =
      '<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" entityID="https://sp"><md:SPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol"/></md:EntityDescriptor>';
    expect(refusal(sp)).toMatch(/IDPSSODescriptor/);
  });

  it('no entityID', () => {
    expect(refusal(okta.replace(/ entityID="[^"]*"/, ''))).toMatch(/entityID/);
  });

  it('no usable SingleSignOnService', () => {
    expect(refusal(okta.replace(/<md:SingleSignOnService[^>]*\/>/g, ''))).toMatch(/SingleSignOnService/);
  });

  it('no signing certificate, or a broken one', () => {
    expect(refusal(okta.replace(/<md:KeyDescriptor[\s\S]*<\/md:KeyDescriptor>/, ''))).toMatch(/signing certificate/);
    expect(refusal(okta.replace(/<ds:X509Certificate>[^<]*</, '<ds:X509Certificate>bm90IGEgY2VydA==<'))).toMatch(/X509Certificate/);
  });
});
