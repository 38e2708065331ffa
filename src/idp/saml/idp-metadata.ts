// The mock IdP's SAML metadata (SAML metadata §2.4.3), for a workspace admin to upload: entity ID,
// SSO endpoints for both browser bindings, and its signing certificate(s).

import { samlifyLib, withoutSloWarning } from '../../sso/saml/samlify-setup.js';
import { BINDING, NAMEID_FORMAT } from '../../sso/saml/saml-xml.js';

export interface MockIdpDescription {
  entityId: string;
  /** The SSO endpoint; served for both HTTP-Redirect and HTTP-POST. */
  ssoUrl: string;
  /** Signing certificate(s), PEM; give two during a rotation. */
  certPem: string | string[];
  /** The single-logout endpoint (HTTP-Redirect), when the IdP serves one. */
  sloUrl?: string;
}

/** Builds the mock IdP's metadata XML with samlify's IdentityProvider. */
export function buildIdpMetadata(idp: MockIdpDescription): string {
  const samlify = samlifyLib();
  return withoutSloWarning(() => samlify.IdentityProvider({
      entityID: idp.entityId,
      signingCert: idp.certPem,
      wantAuthnRequestsSigned: false,
      nameIDFormat: [NAMEID_FORMAT.emailAddress, NAMEID_FORMAT.persistent, NAMEID_FORMAT.unspecified],
      singleSignOnService: [
        { Binding: BINDING.redirect, Location: idp.ssoUrl },
        { Binding: BINDING.post, Location: idp.ssoUrl },
      ],
      ...(idp.sloUrl !== undefined ? { singleLogoutService: [{ Binding: BINDING.redirect, Location: idp.sloUrl }] } : {}),
    })).getMetadata();
}
