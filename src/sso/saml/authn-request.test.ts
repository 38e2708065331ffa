// The SP-initiated AuthnRequest redirect (HTTP-Redirect binding), read back as an IdP would.

import { inflateRawSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import type { Clock } from '../../clock.js';
import { createAuthnRequest } from './authn-request.js';

const SP = {
  entityId: 'https://workspace.test/w/springfield/sso/saml/metadata',
  acsUrl: 'https://workspace.test/w/springfield/sso/saml/acs',
};
const clock: Clock = { now: () => new Date('2030-01-02T03:04:05.000Z'), nowMs: () => Date.parse('2030-01-02T03:04:05.000Z') };

describe('createAuthnRequest', () => {
  it('redirects to the IdP with a deflated AuthnRequest and the RelayState', () => {
    const { id, url } = createAuthnRequest({
      sp: SP,
      idp: { ssoUrl: 'https://idp.test/sso?tenant=x' },
      clock,
      relayState: '/w/springfield/me?x=1',
      subject: 'ada@springfield.k12.us',
    });
    const u = new URL(url);
    expect(`${u.origin}${u.pathname}`).toBe('https://idp.test/sso');
    expect(u.searchParams.get('tenant')).toBe('x');
    expect(u.searchParams.get('RelayState')).toBe('/w/springfield/me?x=1');
    const xml = inflateRawSync(Buffer.from(u.searchParams.get('SAMLRequest')!, 'base64')).toString('utf8');
    expect(xml).toContain(`ID="${id}"`);
    expect(xml).toContain('IssueInstant="2030-01-02T03:04:05.000Z"');
    expect(xml).toContain(`AssertionConsumerServiceURL="${SP.acsUrl}"`);
    expect(xml).toContain(`<saml:Issuer>${SP.entityId}</saml:Issuer>`);
    expect(xml).toContain('ada@springfield.k12.us</saml:NameID></saml:Subject>');
    expect(id).toMatch(/^_[0-9a-f]{40}$/);
  });

  it('gives every request a new id and omits what was not asked', () => {
    const a = createAuthnRequest({ sp: SP, idp: { ssoUrl: 'https://idp.test/sso' }, clock });
    const b = createAuthnRequest({ sp: SP, idp: { ssoUrl: 'https://idp.test/sso' }, clock });
    expect(a.id).not.toBe(b.id);
    const u = new URL(a.url);
    expect(u.searchParams.has('RelayState')).toBe(false);
    const xml = inflateRawSync(Buffer.from(u.searchParams.get('SAMLRequest')!, 'base64')).toString('utf8');
    expect(xml).not.toContain('ForceAuthn');
    expect(xml).not.toContain('Subject');
  });
});
