// The mock IdP's metadata is built once per origin with a stand-in id and then given each IdP's id
// (saml-routes.ts `idpMetadataXml`): it must be the document built for that IdP directly, its id
// escaped as XML like every other value. An imported state may hold any IdP id.
import { DOMParser } from '@xmldom/xmldom';
import { describe, expect, it } from 'vitest';
import { idpSigningKeys } from './keys.js';
import { idpEndpoints } from './registry.js';
import { idpMetadataXml } from './saml-routes.js';
import { buildIdpMetadata } from './saml/index.js';
import type { IdpState } from '../store/state.js';

const ORIGIN = 'http://localhost:4010';

function direct(id: string): string {
  const urls = idpEndpoints(ORIGIN, id).saml;
  return buildIdpMetadata({ entityId: urls.entityId, ssoUrl: urls.ssoUrl, certPem: idpSigningKeys().certPem });
}

describe('idpMetadataXml', () => {
  for (const id of ['entra', 'e"><md:Evil x="&amp;\'', 'a<b>&c']) {
    it(`is the metadata built for the IdP ${JSON.stringify(id)} directly`, () => {
      const xml = idpMetadataXml({ id } as IdpState, ORIGIN);
      expect(xml).toBe(direct(id));
      const root = new DOMParser().parseFromString(xml, 'text/xml').documentElement!;
      expect(root.getAttribute('entityID')).toBe(idpEndpoints(ORIGIN, id).saml.entityId);
      expect(root.getElementsByTagName('md:Evil').length).toBe(0);
    });
  }
});
