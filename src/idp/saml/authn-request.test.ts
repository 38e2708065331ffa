// The mock IdP reading AuthnRequests: the workspace's own, and inputs that are not one.

import { deflateRawSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import type { Clock } from '../../clock.js';
import { isEmulatorError } from '../../errors.js';
import { createAuthnRequest } from '../../sso/saml/authn-request.js';
import { parseAuthnRequest } from './authn-request.js';

const SP = {
  entityId: 'https://workspace.test/w/springfield/sso/saml/metadata',
  acsUrl: 'https://workspace.test/w/springfield/sso/saml/acs',
};
const clock: Clock = { now: () => new Date('2030-01-02T03:04:05.000Z'), nowMs: () => Date.parse('2030-01-02T03:04:05.000Z') };
const encode = (xml: string) => deflateRawSync(Buffer.from(xml)).toString('base64');

function code(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    if (isEmulatorError(err)) return err.code;
    throw err;
  }
  return 'accepted';
}

describe('parseAuthnRequest', () => {
  it('reads id, issuer, ACS URL and subject from the workspace request', () => {
    const { id, url } = createAuthnRequest({
      sp: SP,
      idp: { ssoUrl: 'https://idp.test/sso' },
      clock,
      subject: 'ada@springfield.k12.us',
      forceAuthn: true,
    });
    const parsed = parseAuthnRequest(new URL(url).searchParams.get('SAMLRequest')!);
    expect(parsed).toEqual({
      id,
      issuer: SP.entityId,
      acsUrl: SP.acsUrl,
      protocolBinding: 'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST',
      destination: 'https://idp.test/sso',
      issueInstant: '2030-01-02T03:04:05.000Z',
      nameIdFormat: 'urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress',
      forceAuthn: true,
      subject: 'ada@springfield.k12.us',
    });
  });

  it('refuses what is not a deflated base64 AuthnRequest (saml_request_invalid)', () => {
    expect(code(() => parseAuthnRequest('***'))).toBe('saml_request_invalid');
    expect(code(() => parseAuthnRequest(Buffer.from('<x/>').toString('base64')))).toBe('saml_request_invalid');
    expect(code(() => parseAuthnRequest(encode('<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol"/>')))).toBe(
      'saml_request_invalid',
    );
    expect(code(() => parseAuthnRequest(encode('<!DOCTYPE a [<!ENTITY b "c">]><a/>')))).toBe('saml_request_invalid');
    const noIssuer = '<samlp:AuthnRequest xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" ID="_1" Version="2.0"/>';
    expect(code(() => parseAuthnRequest(encode(noIssuer)))).toBe('saml_request_invalid');
  });
});
