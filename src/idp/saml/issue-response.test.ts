// The mock IdP's responses fed to the workspace's validator: every vendor shape signs in, and
// every fault is refused with exactly its matching reason.

import { readFileSync } from 'node:fs';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Clock } from '../../clock.js';
import { isEmulatorError } from '../../errors.js';
import { conformsToSamlSchema } from '../../sso/saml/schema-check.js';
import { InMemoryReplayCache, InMemoryRequestIdStore } from '../../sso/saml/stores.js';
import { validateSamlResponse, type SamlValidationContext } from '../../sso/saml/validate-response.js';
import { SAML_FAULTS, issueSamlResponse, type IssueSamlResponseInput, type SamlFault } from './issue-response.js';
import { UNTRUSTED_CERT_PEM, UNTRUSTED_PRIVATE_KEY_PEM } from './untrusted-key.js';
import type { Vendor } from './vendor-shapes.js';

const keyDir = new URL('../../../fixtures/keys/', import.meta.url);
const read = (file: string) => readFileSync(new URL(file, keyDir), 'utf8');
const IDP = {
  entityId: 'https://idp.test/mock/springfield',
  privateKeyPem: read('idp-signing.key'),
  certPem: read('idp-signing.crt'),
};
const SP = {
  entityId: 'https://workspace.test/w/springfield/sso/saml/metadata',
  acsUrl: 'https://workspace.test/w/springfield/sso/saml/acs',
};
const USER = { email: 'ada@springfield.k12.us', givenName: 'Ada', familyName: 'Lovelace' };
const VENDORS: Vendor[] = ['entra', 'okta', 'google', 'classlink', 'generic'];

class FixedClock implements Clock {
  constructor(public ms: number) {}
  now() {
    return new Date(this.ms);
  }
  nowMs() {
    return this.ms;
  }
}

let clock: FixedClock;
let requests: InMemoryRequestIdStore;
let replayCache: InMemoryReplayCache;
let memory: Map<string, string>;

// The schema validator compiles the SAML schemas on first use; pay that outside the tests.
beforeAll(() => conformsToSamlSchema('<warm-up/>'), 60_000);

beforeEach(() => {
  clock = new FixedClock(Date.parse('2030-09-01T08:00:00.000Z'));
  requests = new InMemoryRequestIdStore(clock);
  replayCache = new InMemoryReplayCache(clock);
  memory = new Map();
});

function ctx(extra: Partial<SamlValidationContext> = {}): SamlValidationContext {
  return {
    sp: SP,
    idp: { entityId: IDP.entityId, certificates: [IDP.certPem] },
    clock,
    requests,
    replayCache,
    ...extra,
  };
}

async function signIn(
  vendor: Vendor,
  fault?: SamlFault,
  extra: Partial<IssueSamlResponseInput> = {},
  check: Partial<SamlValidationContext> = {},
) {
  const requestId = `_req-${vendor}-${fault ?? 'none'}-${Math.random().toString(36).slice(2)}`;
  await requests.remember(requestId);
  const response = issueSamlResponse({
    idp: IDP,
    sp: SP,
    user: USER,
    inResponseTo: requestId,
    clock,
    vendor,
    memory,
    ...(fault ? { fault } : {}),
    ...extra,
  });
  return validateSamlResponse(response, ctx(check));
}

async function reasonOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
    return 'accepted';
  } catch (err) {
    if (isEmulatorError(err)) return err.code;
    throw err;
  }
}

describe('issueSamlResponse: vendor shapes sign in', () => {
  it.each(VENDORS)('%s (and conforms to the SAML 2.0 schemas)', async (vendor) => {
    const identity = await signIn(vendor, undefined, {}, { schemaValidation: true });
    expect(identity).toMatchObject({ email: USER.email, givenName: 'Ada', familyName: 'Lovelace', issuer: IDP.entityId });
  });

  it('shapes claims as each vendor names them', async () => {
    const entra = await signIn('entra');
    expect(Object.keys(entra.attributes)).toContain('http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress');
    expect(Object.keys(entra.attributes)).toContain('http://schemas.microsoft.com/identity/claims/objectidentifier');
    expect(Object.keys((await signIn('okta')).attributes)).toEqual(['email', 'firstName', 'lastName']);
    expect(Object.keys((await signIn('google')).attributes)).toEqual(['firstName', 'lastName']);
    const classlink = await signIn('classlink');
    expect(classlink.nameId).toBe('ada');
    expect(Object.keys(classlink.attributes)).toEqual(['Email', 'FirstName', 'LastName']);
    expect(classlink.sessionNotOnOrAfter).toBeDefined();
  });

  it('Entra writes unprefixed assertion elements and signs only the assertion; Okta signs both', () => {
    const entra = Buffer.from(issueSamlResponse({ idp: IDP, sp: SP, user: USER, clock, vendor: 'entra', memory }), 'base64').toString();
    expect(entra).toContain('<Assertion xmlns="urn:oasis:names:tc:SAML:2.0:assertion"');
    expect(entra.match(/<Signature xmlns="http:\/\/www.w3.org\/2000\/09\/xmldsig#"/g)).toHaveLength(1);
    const okta = Buffer.from(issueSamlResponse({ idp: IDP, sp: SP, user: USER, clock, vendor: 'okta', memory }), 'base64').toString();
    expect(okta).toContain('<saml2p:Response');
    expect(okta.match(/<ds:Signature[ >]/g)).toHaveLength(2);
  });

  it('passes extra user attributes through', async () => {
    const identity = await signIn('generic', undefined, { user: { ...USER, attributes: { groups: ['Teachers', 'Staff'] } } });
    expect(identity.attributes['groups']).toEqual(['Teachers', 'Staff']);
  });

  it('issues IdP-initiated responses without InResponseTo', async () => {
    const response = issueSamlResponse({ idp: IDP, sp: SP, user: USER, clock, vendor: 'okta', memory });
    const identity = await validateSamlResponse(response, ctx({ allowIdpInitiated: true }));
    expect(identity.inResponseTo).toBeUndefined();
  });
});

describe('issueSamlResponse: each fault meets its reason', () => {
  const faults = Object.entries(SAML_FAULTS) as Array<[SamlFault, string]>;

  it.each(VENDORS.flatMap((v) => faults.map(([f, r]) => [v, f, r] as const)))('%s %s → %s', async (vendor, fault, reason) => {
    if (fault === 'replay') await signIn(vendor);
    expect(await reasonOf(signIn(vendor, fault))).toBe(reason);
  });

  it('replay without an earlier assertion is refused by the issuer', () => {
    expect(() => issueSamlResponse({ idp: IDP, sp: SP, user: USER, clock, vendor: 'generic', fault: 'replay', memory })).toThrow(
      expect.objectContaining({ code: 'idp_nothing_to_replay' }),
    );
  });

  it('the untrusted key pair is the fixture one', () => {
    expect(UNTRUSTED_PRIVATE_KEY_PEM.trim()).toBe(read('untrusted.key').trim());
    expect(UNTRUSTED_CERT_PEM.trim()).toBe(read('untrusted.crt').trim());
  });
});
