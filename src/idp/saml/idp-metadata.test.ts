// The mock IdP's metadata reads back, through the workspace's parser, as the IdP it describes.

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { certificateFingerprint } from '../../sso/saml/certificates.js';
import { parseIdpMetadata } from '../../sso/saml/idp-metadata.js';
import { buildIdpMetadata } from './idp-metadata.js';

const cert = (name: string) => readFileSync(new URL(`../../../fixtures/keys/${name}.crt`, import.meta.url), 'utf8');

describe('buildIdpMetadata', () => {
  it('round-trips through parseIdpMetadata, with two certificates during a rotation', () => {
    const xml = buildIdpMetadata({
      entityId: 'https://idp.test/mock/springfield',
      ssoUrl: 'https://idp.test/mock/springfield/sso',
      sloUrl: 'https://idp.test/mock/springfield/slo',
      certPem: [cert('idp-signing'), cert('idp-signing-rotated')],
    });
    expect(xml).toContain('Location="https://idp.test/mock/springfield/slo"');
    const idp = parseIdpMetadata(xml);
    expect(idp).toMatchObject({
      entityId: 'https://idp.test/mock/springfield',
      ssoUrl: 'https://idp.test/mock/springfield/sso',
      ssoBinding: 'redirect',
    });
    expect(idp.certificates.map(certificateFingerprint)).toEqual([
      certificateFingerprint(cert('idp-signing')),
      certificateFingerprint(cert('idp-signing-rotated')),
    ]);
  });
});
