// The mock IdP's reading of an incoming AuthnRequest (SAML core §3.4.1) sent with the
// HTTP-Redirect binding (§3.4.4.1: DEFLATE, then base64) or the HTTP-POST binding (base64).

import { inflateRawSync } from 'node:zlib';
import { samlError } from '../../sso/saml/reasons.js';
import { NS, attr, child, declaresDtd, isNamed, parseXml, text } from '../../sso/saml/saml-xml.js';

export interface ParsedAuthnRequest {
  id: string;
  /** The requesting SP's entity ID. */
  issuer: string;
  /** Where the SP wants the response, when it says (else use its registered ACS URL). */
  acsUrl?: string;
  protocolBinding?: string;
  destination?: string;
  issueInstant?: string;
  nameIdFormat?: string;
  forceAuthn: boolean;
  /** The user the SP asked about (Subject NameID), if any. */
  subject?: string;
}

/**
 * Decodes and parses the `SAMLRequest` value of an HTTP-Redirect request (already URL-decoded, as
 * a router gives it), or with `binding: 'post'` of an HTTP-POST form (base64 without DEFLATE,
 * SAML bindings §3.5.4). Throws `saml_request_invalid` (400) when it is not a base64 SAML 2.0
 * AuthnRequest with an ID and an Issuer.
 */
export function parseAuthnRequest(samlRequest: string, options: { binding?: 'redirect' | 'post' } = {}): ParsedAuthnRequest {
  const compact = samlRequest.replace(/\s+/g, '');
  if (compact.length === 0 || compact.length > 64 * 1024 || !/^[A-Za-z0-9+/]+={0,2}$/.test(compact)) {
    throw invalid('SAMLRequest is not base64.');
  }
  let xml: string;
  if (options.binding === 'post') {
    xml = Buffer.from(compact, 'base64').toString('utf8');
  } else {
    try {
      xml = inflateRawSync(Buffer.from(compact, 'base64'), { maxOutputLength: 256 * 1024 }).toString('utf8');
    } catch {
      throw invalid('SAMLRequest is not DEFLATE-compressed (the HTTP-Redirect binding requires it).');
    }
  }
  if (declaresDtd(xml)) throw invalid('The AuthnRequest declares a DOCTYPE or ENTITY; refused unparsed.');
  const doc = parseXml(xml);
  if (typeof doc === 'string') throw invalid(`The AuthnRequest is not well-formed XML (${doc}).`);
  const root = doc.documentElement!;
  if (!isNamed(root, NS.protocol, 'AuthnRequest')) {
    throw invalid(`Expected a samlp:AuthnRequest, got ${root.localName ?? '?'} (${root.namespaceURI ?? 'no namespace'}).`);
  }
  const id = attr(root, 'ID');
  const issuerEl = child(root, NS.assertion, 'Issuer');
  const issuer = issuerEl ? text(issuerEl) : '';
  if (!id) throw invalid('The AuthnRequest has no ID.');
  if (!issuer) throw invalid('The AuthnRequest has no Issuer (the SP entity ID).');
  const policy = child(root, NS.protocol, 'NameIDPolicy');
  const subjectEl = child(root, NS.assertion, 'Subject');
  const subjectNameId = subjectEl ? child(subjectEl, NS.assertion, 'NameID') : undefined;
  const acsUrl = attr(root, 'AssertionConsumerServiceURL');
  const protocolBinding = attr(root, 'ProtocolBinding');
  const destination = attr(root, 'Destination');
  const issueInstant = attr(root, 'IssueInstant');
  const nameIdFormat = policy ? attr(policy, 'Format') : undefined;
  const subject = subjectNameId ? text(subjectNameId) : undefined;
  return {
    id,
    issuer,
    forceAuthn: attr(root, 'ForceAuthn') === 'true',
    ...(acsUrl !== undefined ? { acsUrl } : {}),
    ...(protocolBinding !== undefined ? { protocolBinding } : {}),
    ...(destination !== undefined ? { destination } : {}),
    ...(issueInstant !== undefined ? { issueInstant } : {}),
    ...(nameIdFormat !== undefined ? { nameIdFormat } : {}),
    ...(subject !== undefined ? { subject } : {}),
  };
}

function invalid(message: string) {
  return samlError('saml_request_invalid', message);
}
