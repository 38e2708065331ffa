// The mock IdP's part of the SAML warm-up (src/sso/saml/warm-up.ts): one whole sign-in without
// HTTP, on throwaway names and the well-known untrusted key pair, so that the first real one does
// not meet code V8 has never run: the SP's AuthnRequest, the IdP's reading of it, a signed
// response, and every check of the SP's ACS.
import type { Clock } from '../../clock.js';
import { parseAuthnRequest } from './authn-request.js';
import { issueSamlResponse } from './issue-response.js';
import { UNTRUSTED_CERT_PEM, UNTRUSTED_PRIVATE_KEY_PEM } from './untrusted-key.js';
import { VENDOR_SHAPES, type Vendor } from './vendor-shapes.js';

const SP = { entityId: 'https://sp.warm-up.invalid/saml/metadata', acsUrl: 'https://sp.warm-up.invalid/saml/acs' };
const IDP = { entityId: 'https://idp.warm-up.invalid/saml/metadata', ssoUrl: 'https://idp.warm-up.invalid/saml/sso' };
const USER = { email: 'ada@warm-up.invalid', givenName: 'Ada', familyName: 'Lovelace' };

/**
 * Runs the round trip once for each vendor shape the IdP can answer in; throws when a response it
 * issued is refused (never expected).
 */
export async function warmUpMockIdpSaml(): Promise<void> {
  // The SP's modules load on first use (docs/performance.md §2); these are those.
  const [{ createAuthnRequest }, { validateSamlResponse }, { InMemoryReplayCache, InMemoryRequestIdStore }] = await Promise.all([
    import('../../sso/saml/authn-request.js'),
    import('../../sso/saml/validate-response.js'),
    import('../../sso/saml/stores.js'),
  ]);
  const clock: Clock = { nowMs: () => Date.now(), now: () => new Date() };
  const requests = new InMemoryRequestIdStore(clock);
  const replayCache = new InMemoryReplayCache(clock);
  for (const vendor of Object.keys(VENDOR_SHAPES) as Vendor[]) {
    const sent = createAuthnRequest({ sp: SP, idp: { ssoUrl: IDP.ssoUrl }, clock, subject: USER.email });
    requests.remember(sent.id);
    const request = parseAuthnRequest(new URL(sent.url).searchParams.get('SAMLRequest') ?? '', { binding: 'redirect' });
    const response = issueSamlResponse({
      idp: { entityId: IDP.entityId, privateKeyPem: UNTRUSTED_PRIVATE_KEY_PEM, certPem: UNTRUSTED_CERT_PEM },
      sp: SP,
      user: USER,
      inResponseTo: request.id,
      clock,
      vendor,
      memory: new Map(),
    });
    const identity = await validateSamlResponse(response, { sp: SP, idp: { entityId: IDP.entityId, certificates: [UNTRUSTED_CERT_PEM] }, clock, requests, replayCache });
    if (identity.email !== USER.email) throw new Error(`the warm-up sign-in (${vendor}) asserted ${identity.email}, not ${USER.email}`);
  }
}
