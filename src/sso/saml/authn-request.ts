// SP-initiated sign-in: the AuthnRequest (SAML core §3.4.1) sent with the HTTP-Redirect binding
// (SAML bindings §3.4: DEFLATE, base64, URL-encoded, with RelayState), or with the HTTP-POST
// binding (§3.5: base64 in an auto-posting form) to an IdP whose metadata offers only that.

import { randomBytes } from 'node:crypto';
import { deflateRawSync } from 'node:zlib';
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

export interface AuthnRequestPost {
  /** The AuthnRequest ID; remember it in the RequestIdStore to accept the answer. */
  id: string;
  /** Where the form posts: the IdP's HTTP-POST SSO endpoint. */
  action: string;
  /** The form's fields: SAMLRequest (base64, not deflated) and RelayState when given. */
  fields: { SAMLRequest: string; RelayState?: string };
}

/** The AuthnRequest XML with a fresh ID. */
function authnRequestXml(options: AuthnRequestOptions): { id: string; xml: string } {
  const { SamlLib } = samlifyLib();
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
  return { id, xml };
}

/**
 * Builds an SP-initiated AuthnRequest for the HTTP-Redirect binding. The caller stores `id` in
 * its RequestIdStore before redirecting, so that the response's InResponseTo can be matched.
 *
 * The URL is composed as samlify 2's unsigned redirect binding composes it (binding-redirect.js
 * buildRedirectURL: raw DEFLATE by zlib, base64, encodeURIComponent, `?` or `&` after the SSO URL,
 * RelayState when not empty), without building samlify's SP and IdP entities, whose metadata each
 * new connection would generate and parse again only to read back the SSO URL given here.
 */
export function createAuthnRequest(options: AuthnRequestOptions): AuthnRequestRedirect {
  const { id, xml } = authnRequestXml(options);
  const base = options.idp.ssoUrl;
  // SAML bindings §3.4.4.1: DEFLATE (RFC 1951, raw), base64, then URL-encoded as SAMLRequest.
  const samlRequest = encodeURIComponent(deflateRawSync(Buffer.from(xml, 'utf8')).toString('base64'));
  const relayState = options.relayState ? `&RelayState=${encodeURIComponent(options.relayState)}` : '';
  return { id, url: `${base}${hasQuery(base) ? '&' : '?'}SAMLRequest=${samlRequest}${relayState}` };
}

/** Whether the URL has a non-empty query, as samlify decides it (url.parse(base).query's length). */
function hasQuery(url: string): boolean {
  const withoutHash = url.split('#', 1)[0]!;
  const at = withoutHash.indexOf('?');
  return at !== -1 && at < withoutHash.length - 1;
}

/**
 * Builds an SP-initiated AuthnRequest for the HTTP-POST binding (SAML bindings §3.5.4: the XML
 * base64-encoded, without DEFLATE, in a form field), for IdPs whose metadata offers only it.
 */
export function createAuthnRequestPost(options: AuthnRequestOptions): AuthnRequestPost {
  const { id, xml } = authnRequestXml(options);
  return {
    id,
    action: options.idp.ssoUrl,
    fields: { SAMLRequest: Buffer.from(xml, 'utf8').toString('base64'), ...(options.relayState !== undefined ? { RelayState: options.relayState } : {}) },
  };
}

/** The page of the HTTP-POST binding: a form that posts itself (a button when scripts are off). */
export function renderAuthnRequestForm(post: AuthnRequestPost): string {
  const esc = (v: string) => v.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  const inputs = Object.entries(post.fields)
    .map(([name, value]) => `<input type="hidden" name="${name}" value="${esc(value)}">`)
    .join('\n');
  return `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>Signing in\u2026</title></head>
<body onload="document.forms[0].submit()">
<form method="post" action="${esc(post.action)}">
${inputs}
<noscript><p>JavaScript is off: press the button to continue to the identity provider.</p></noscript>
<button type="submit">Continue</button>
</form>
</body>
</html>`;
}
