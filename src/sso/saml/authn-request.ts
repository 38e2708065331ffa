// SP-initiated sign-in: the AuthnRequest (SAML core §3.4.1) sent with the HTTP-Redirect binding
// (SAML bindings §3.4: DEFLATE, base64, URL-encoded, with RelayState).

import { randomBytes } from 'node:crypto';
import type { Clock } from '../../clock.js';
import { samlifyLib } from './samlify-setup.js';
import { BINDING, NAMEID_FORMAT } from './saml-xml.js';

export interface AuthnRequestOptions {
  /** This workspace as SP. */
  sp: { entityId: string; acsUrl: string };
  /** The IdP's SSO endpoint for the HTTP-Redirect binding. */
  idp: { ssoUrl: string };
  /** Emulator clock, for IssueInstant. */
  clock: Clock;
  /** Opaque value the IdP returns with the response (SAML bindings §3.4.3, ≤ 80 bytes). */
  relayState?: string;
  /** Email of the user signing in, sent as the request's Subject NameID (SAML core §3.4.1). */
  subject?: string;
  /** Ask the IdP to re-authenticate the user. */
  forceAuthn?: boolean;
}

export interface AuthnRequestRedirect {
  /** The AuthnRequest ID; remember it in the RequestIdStore to accept the answer. */
  id: string;
  /** The IdP SSO URL with SAMLRequest (and RelayState) in the query: redirect the browser here. */
  url: string;
}

const TEMPLATE =
  '<samlp:AuthnRequest xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="{ID}" Version="2.0" IssueInstant="{IssueInstant}" Destination="{Destination}" ForceAuthn="{ForceAuthn}" ProtocolBinding="{ProtocolBinding}" AssertionConsumerServiceURL="{AssertionConsumerServiceURL}">' +
  '<saml:Issuer>{Issuer}</saml:Issuer>{Subject}' +
  '<samlp:NameIDPolicy Format="{NameIDFormat}" AllowCreate="true"/></samlp:AuthnRequest>';

/** A fresh SAML ID: an xs:ID must not start with a digit (SAML core §1.3.4). */
export function newSamlId(): string {
  return `_${randomBytes(20).toString('hex')}`;
}

/**
 * Builds an SP-initiated AuthnRequest for the HTTP-Redirect binding. The caller stores `id` in
 * its RequestIdStore before redirecting, so that the response's InResponseTo can be matched.
 */
export function createAuthnRequest(options: AuthnRequestOptions): AuthnRequestRedirect {
  const samlify = samlifyLib();
  const { SamlLib } = samlify;
  const sp = samlify.ServiceProvider({
    entityID: options.sp.entityId,
    authnRequestsSigned: false,
    wantAssertionsSigned: true,
    nameIDFormat: [NAMEID_FORMAT.emailAddress],
    assertionConsumerService: [{ Binding: BINDING.post, Location: options.sp.acsUrl }],
  });
  // A throwaway entity for samlify's redirect binding; its SLO entry only keeps samlify quiet.
  const idp = samlify.IdentityProvider({
    singleSignOnService: [{ Binding: BINDING.redirect, Location: options.idp.ssoUrl }],
    singleLogoutService: [{ Binding: BINDING.redirect, Location: options.idp.ssoUrl }],
  });
  const id = newSamlId();
  const subject =
    options.subject === undefined
      ? ''
      : SamlLib.replaceTagsByValue(
          '<saml:Subject><saml:NameID Format="{Format}">{Email}</saml:NameID></saml:Subject>',
          { Format: NAMEID_FORMAT.emailAddress, Email: options.subject },
        );
  const xml = SamlLib.replaceTagsByValue(TEMPLATE, {
    ID: id,
    IssueInstant: options.clock.now().toISOString(),
    Destination: options.idp.ssoUrl,
    ForceAuthn: options.forceAuthn ? 'true' : undefined,
    ProtocolBinding: BINDING.post,
    AssertionConsumerServiceURL: options.sp.acsUrl,
    Issuer: options.sp.entityId,
    NameIDFormat: NAMEID_FORMAT.emailAddress,
  }).replace('{Subject}', subject);
  const { context } = sp.createLoginRequest(idp, 'redirect', {
    ...(options.relayState !== undefined ? { relayState: options.relayState } : {}),
    customTagReplacement: () => ({ id, context: xml }),
  });
  return { id, url: context };
}
