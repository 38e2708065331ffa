// The workspace's SAML service-provider metadata (SAML metadata §2.4.4): what an admin uploads
// to the IdP — entity ID, ACS URL (HTTP-POST), signed assertions wanted, email NameID.

import { samlifyLib } from './samlify-setup.js';
import { BINDING, NAMEID_FORMAT } from './saml-xml.js';

export interface SpDescription {
  /** The workspace's SP entity ID (the IdP's "Identifier" / "Audience URI"). */
  entityId: string;
  /** The Assertion Consumer Service URL (the IdP's "Reply URL" / "ACS URL"). */
  acsUrl: string;
}

/** Builds the SP metadata XML for a workspace, with samlify's ServiceProvider. */
export function buildSpMetadata(sp: SpDescription): string {
  const samlify = samlifyLib();
  return samlify
    .ServiceProvider({
      entityID: sp.entityId,
      authnRequestsSigned: false,
      wantAssertionsSigned: true,
      nameIDFormat: [NAMEID_FORMAT.emailAddress],
      assertionConsumerService: [{ Binding: BINDING.post, Location: sp.acsUrl }],
    })
    .getMetadata();
}
