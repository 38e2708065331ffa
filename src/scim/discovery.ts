// The discovery documents (RFC 7644 §4): ServiceProviderConfig saying truthfully what this
// service provider supports (RFC 7643 §5), with ResourceTypes and Schemas from schema.ts.
import { MAX_RESULTS } from './protocol.js';
import { MAX_BODY_BYTES } from '../http/body.js';

/** RFC 7643 §5: the service provider's configuration for a SCIM base URL. */
export function serviceProviderConfig(baseUrl: string): Record<string, unknown> {
  return {
    schemas: ['urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig'],
    patch: { supported: true },
    // Bulk (RFC 7644 §3.7) is not implemented.
    bulk: { supported: false, maxOperations: 0, maxPayloadSize: MAX_BODY_BYTES },
    filter: { supported: true, maxResults: MAX_RESULTS },
    changePassword: { supported: false },
    sort: { supported: true },
    etag: { supported: true },
    authenticationSchemes: [
      {
        type: 'oauthbearertoken',
        name: 'OAuth Bearer Token',
        description: 'A workspace SCIM token from POST /w/{ws}/api/scim/tokens, sent as "Authorization: Bearer <token>".',
        specUri: 'https://www.rfc-editor.org/info/rfc6750',
        primary: true,
      },
    ],
    meta: { resourceType: 'ServiceProviderConfig', location: `${baseUrl}/ServiceProviderConfig` },
  };
}
