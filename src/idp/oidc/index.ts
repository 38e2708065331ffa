// The built-in mock OpenID provider: a Hono sub-app with vendor-shaped claims and on-demand faults.
export {
  createMockOidcProvider,
  type MockOidcProvider,
  type MockOidcProviderOptions,
  type MockOidcClient,
  type MockOidcUserDirectory,
  type MockOidcFaultContext,
} from './provider.js';
export { MOCK_OIDC_FAULTS, parseMockOidcFault, type MockOidcFault } from './faults.js';
export type { MockOidcUser, MockOidcVendor } from './vendor-claims.js';
export type { MockOidcSigningKey } from './signing.js';
