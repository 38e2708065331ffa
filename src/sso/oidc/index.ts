// The OpenID Connect relying party of the workspace: discovery, sign-in start and completion,
// ID token checks and the `oidc_<check>` reasons they refuse with.
export {
  discoverOidcProvider,
  beginOidcLogin,
  completeOidcLogin,
  type OidcFetch,
  type OidcRelyingParty,
  type OidcRelyingPartyOptions,
  type OidcLoginRequest,
  type OidcPendingLogin,
} from './relying-party.js';
export { mapOidcIdentity, type OidcIdentity } from './identity.js';
export { verifyIdToken, checkIdTokenClaims, checkIdTokenAlgorithm, acceptedAlgorithms, type IdTokenExpectations, type IdTokenClaims } from './id-token.js';
export { isLoopbackHost, parseIssuer } from './issuer-policy.js';
export { OIDC_REASONS, oidcError, type OidcReason } from './reasons.js';
