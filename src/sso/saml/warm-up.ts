// Loads the SAML code (samlify, xml-crypto, xmldom, the schema check) in the background once a
// workspace has a SAML connection or a SAML sign-in starts, so the first response is not the one
// that pays for it (docs/performance.md §5).
import { warmUpSamlSchema } from './schema-check.js';

/** Starts loading what a SAML sign-in needs; never throws, never waits. */
export function warmUpSaml(): void {
  warmUpSamlSchema();
  import('./authn-request.js').catch(() => undefined);
  import('./validate-response.js').catch(() => undefined);
}
