// The mock identity provider's SAML 2.0 side, pure of HTTP: its metadata, reading AuthnRequests,
// and issuing vendor-shaped SAMLResponses with optional faults.

export {
  issueSamlResponse,
  SAML_FAULTS,
  type IssueSamlResponseInput,
  type IssuedAssertionMemory,
  type SamlFault,
  type SignedParts,
  type Vendor,
} from './issue-response.js';
export { buildIdpMetadata, type MockIdpDescription } from './idp-metadata.js';
export { parseAuthnRequest, type ParsedAuthnRequest } from './authn-request.js';
export { UNTRUSTED_CERT_PEM } from './untrusted-key.js';
