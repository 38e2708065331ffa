// The workspace's SAML 2.0 service provider, pure of HTTP: SP metadata, IdP metadata parsing,
// SP-initiated AuthnRequests, and validation of the IdP's SAMLResponse.

export { buildSpMetadata, type SpDescription } from './sp-metadata.js';
export { parseIdpMetadata, type IdpConnection } from './idp-metadata.js';
export { createAuthnRequest, newSamlId, type AuthnRequestOptions, type AuthnRequestRedirect } from './authn-request.js';
export {
  validateSamlResponse,
  DEFAULT_CLOCK_SKEW_MS,
  type SamlValidationContext,
  type SamlIdentity,
} from './validate-response.js';
export {
  InMemoryReplayCache,
  InMemoryRequestIdStore,
  type AssertionReplayCache,
  type RequestIdStore,
} from './stores.js';
export { CLAIMS, DEFAULT_ATTRIBUTE_MAP, mapIdentity, type AttributeMap } from './attribute-map.js';
export { SAML_REASONS, type SamlReason } from './reasons.js';
export { toCertificatePem, certificateFingerprint } from './certificates.js';
