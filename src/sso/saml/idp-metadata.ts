// Reading an IdP's SAML metadata (SAML metadata §2.4.3) into the connection settings the
// workspace needs: entity ID, SSO endpoint, and every signing certificate (rotation keeps two).

import type { Element } from '@xmldom/xmldom';
import { toCertificatePem } from './certificates.js';
import { samlError } from './reasons.js';
import { BINDING, NS, attr, childElements, declaresDtd, descendants, isNamed, parseXml, text } from './saml-xml.js';

export interface IdpConnection {
  /** The IdP's entityID: the Issuer of its responses. */
  entityId: string;
  /** Where to send AuthnRequests: the HTTP-Redirect endpoint, else the HTTP-POST one. */
  ssoUrl: string;
  /** Which binding `ssoUrl` is for. */
  ssoBinding: 'redirect' | 'post';
  /** Every signing certificate, PEM, in metadata order. */
  certificates: string[];
}

const PROTOCOL_SUPPORT = 'urn:oasis:names:tc:SAML:2.0:protocol';

/**
 * Parses IdP metadata XML. Accepts an EntityDescriptor, or an EntitiesDescriptor holding exactly
 * one IdP (or pick one with `options.entityId`). Throws `saml_metadata_invalid` (400) naming
 * what is missing. The metadata's own signature and validUntil are not checked: the admin
 * supplies it directly.
 */
export function parseIdpMetadata(xml: string, options: { entityId?: string } = {}): IdpConnection {
  const source = xml.replace(/^\uFEFF/, '').trim();
  if (source.length === 0) throw invalid('The metadata is empty. Paste the IdP\'s federation metadata XML.');
  if (declaresDtd(source)) throw invalid('The metadata declares a DOCTYPE or ENTITY, which SAML metadata never needs; it was refused unparsed.');
  const doc = parseXml(source);
  if (typeof doc === 'string') throw invalid(`The metadata is not well-formed XML (${doc}).`);
  const root = doc.documentElement!;

  let entities: Element[];
  if (isNamed(root, NS.metadata, 'EntityDescriptor')) entities = [root];
  else if (isNamed(root, NS.metadata, 'EntitiesDescriptor')) entities = descendants(root, NS.metadata, 'EntityDescriptor');
  else {
    throw invalid(
      `The root element is ${root.localName ?? '?'} (${root.namespaceURI ?? 'no namespace'}), not an md:EntityDescriptor of ${NS.metadata}. Download the IdP's SAML metadata, not its SP's or a certificate.`,
    );
  }
  const idps = entities.filter((e) => idpDescriptor(e) !== undefined);
  const chosen = options.entityId === undefined ? idps : idps.filter((e) => attr(e, 'entityID') === options.entityId);
  if (chosen.length === 0) {
    throw invalid(
      options.entityId === undefined
        ? `No IDPSSODescriptor supporting ${PROTOCOL_SUPPORT} was found. This looks like service-provider or non-SAML-2.0 metadata; download the identity provider's metadata.`
        : `No identity provider with entityID "${options.entityId}" in the metadata.`,
    );
  }
  if (chosen.length > 1) {
    throw invalid(
      `The metadata describes ${chosen.length} identity providers (${chosen.map((e) => attr(e, 'entityID')).join(', ')}); say which one with its entity ID.`,
    );
  }
  const entity = chosen[0]!;
  const entityId = attr(entity, 'entityID')?.trim();
  if (!entityId) throw invalid('The EntityDescriptor has no entityID attribute.');
  const descriptor = idpDescriptor(entity)!;

  const services = childElements(descriptor, NS.metadata, 'SingleSignOnService');
  const redirect = services.find((s) => attr(s, 'Binding') === BINDING.redirect && attr(s, 'Location'));
  const post = services.find((s) => attr(s, 'Binding') === BINDING.post && attr(s, 'Location'));
  const sso = redirect ?? post;
  if (!sso) {
    throw invalid(
      `The IDPSSODescriptor has no SingleSignOnService with the HTTP-Redirect or HTTP-POST binding (found: ${services.map((s) => attr(s, 'Binding')).join(', ') || 'none'}).`,
    );
  }
  const ssoUrl = attr(sso, 'Location')!.trim();
  if (!/^https?:\/\/[^\s]+$/i.test(ssoUrl)) throw invalid(`The SingleSignOnService Location "${ssoUrl}" is not an http(s) URL.`);

  const certificates: string[] = [];
  for (const key of childElements(descriptor, NS.metadata, 'KeyDescriptor')) {
    const use = attr(key, 'use');
    if (use !== undefined && use !== 'signing') continue;
    for (const node of descendants(key, NS.ds, 'X509Certificate')) {
      const pem = toCertificatePem(text(node));
      if (!pem) throw invalid('A signing X509Certificate in the metadata is not a valid base64 DER certificate.');
      if (!certificates.includes(pem)) certificates.push(pem);
    }
  }
  if (certificates.length === 0) {
    throw invalid('The IDPSSODescriptor has no signing certificate (KeyDescriptor use="signing" with ds:X509Certificate).');
  }
  return { entityId, ssoUrl, ssoBinding: sso === redirect ? 'redirect' : 'post', certificates };
}

function idpDescriptor(entity: Element): Element | undefined {
  return childElements(entity, NS.metadata, 'IDPSSODescriptor').find((d) =>
    (attr(d, 'protocolSupportEnumeration') ?? '').split(/\s+/).includes(PROTOCOL_SUPPORT),
  );
}

function invalid(message: string) {
  return samlError('saml_metadata_invalid', message);
}
