// The SAML warm-up runs each added step once per process, and an AuthnRequest after it is still
// complete and the connection's own.
import { inflateRawSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { createAuthnRequest } from './authn-request.js';
import { addSamlWarmUpStep, runSamlWarmUp, warmUpSaml } from './warm-up.js';

const clock = { nowMs: () => Date.UTC(2026, 0, 1), now: () => new Date(Date.UTC(2026, 0, 1)) };

describe('SAML warm-up', () => {
  it('runs the SP part and each added step; warmUpSaml runs them once per process', async () => {
    let runs = 0;
    addSamlWarmUpStep(async () => {
      runs += 1;
    });
    await runSamlWarmUp();
    expect(runs).toBe(1);
    await warmUpSaml();
    const once = runs;
    await warmUpSaml();
    expect(runs).toBe(once);
  });

  it('after the warm-up, a connection sends its AuthnRequest to its IdP with its ACS URL, entity ID, subject and RelayState', async () => {
    await warmUpSaml();
    const sp = { entityId: 'https://ws.test/w/prep/sso/saml/metadata', acsUrl: 'https://ws.test/w/prep/sso/saml/acs' };
    const idp = { ssoUrl: 'https://idp.test/prep/saml/sso' };
    const request = createAuthnRequest({ sp, idp, clock, relayState: '/w/prep/me', subject: 'ada@prep.test' });
    const url = new URL(request.url);
    expect(`${url.origin}${url.pathname}`).toBe(idp.ssoUrl);
    expect(url.searchParams.get('RelayState')).toBe('/w/prep/me');
    const xml = inflateRawSync(Buffer.from(url.searchParams.get('SAMLRequest')!, 'base64')).toString('utf8');
    expect(xml).toContain(`ID="${request.id}"`);
    expect(xml).toContain(`AssertionConsumerServiceURL="${sp.acsUrl}"`);
    expect(xml).toContain(`<saml:Issuer>${sp.entityId}</saml:Issuer>`);
    expect(xml).toContain('<saml:NameID Format="urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress">ada@prep.test</saml:NameID>');
  });
});
