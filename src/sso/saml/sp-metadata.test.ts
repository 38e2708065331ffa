// The workspace's SP metadata, read back as an IdP would.

import { describe, expect, it } from 'vitest';
import { NS, parseXml } from './saml-xml.js';
import { buildSpMetadata } from './sp-metadata.js';

const SP = {
  entityId: 'https://workspace.test/w/springfield/sso/saml/metadata',
  acsUrl: 'https://workspace.test/w/springfield/sso/saml/acs',
};

describe('buildSpMetadata', () => {
  it('describes entity ID, ACS (HTTP-POST), signed assertions and email NameID', () => {
    const doc = parseXml(buildSpMetadata(SP));
    if (typeof doc === 'string') throw new Error(doc);
    const root = doc.documentElement!;
    expect(root.getAttribute('entityID')).toBe(SP.entityId);
    const descriptor = root.getElementsByTagNameNS(NS.metadata, 'SPSSODescriptor')[0]!;
    expect(descriptor.getAttribute('WantAssertionsSigned')).toBe('true');
    expect(descriptor.getAttribute('AuthnRequestsSigned')).toBe('false');
    const acs = descriptor.getElementsByTagNameNS(NS.metadata, 'AssertionConsumerService')[0]!;
    expect(acs.getAttribute('Binding')).toBe('urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST');
    expect(acs.getAttribute('Location')).toBe(SP.acsUrl);
    expect(descriptor.getElementsByTagNameNS(NS.metadata, 'NameIDFormat')[0]!.textContent).toBe(
      'urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress',
    );
  });
});
