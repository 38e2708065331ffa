// validateSamlResponse against an independent IdP built here with samlify's IdentityProvider and
// the test key pairs: positive SP- and IdP-initiated flows, rotation, and the refusal matrix.

import { readFileSync } from 'node:fs';
import { inflateRawSync } from 'node:zlib';
import { DOMParser, XMLSerializer } from '@xmldom/xmldom';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Clock } from '../../clock.js';
import { isEmulatorError } from '../../errors.js';
import { CLAIMS } from './attribute-map.js';
import { createAuthnRequest } from './authn-request.js';
import { samlifyLib } from './samlify-setup.js';
import { conformsToSamlSchema } from './schema-check.js';
import { InMemoryReplayCache, InMemoryRequestIdStore } from './stores.js';
import { validateSamlResponse, type SamlValidationContext } from './validate-response.js';

const keyDir = new URL('../../../fixtures/keys/', import.meta.url);
const pair = (name: string) => ({
  privateKey: readFileSync(new URL(`${name}.key`, keyDir), 'utf8'),
  cert: readFileSync(new URL(`${name}.crt`, keyDir), 'utf8'),
});
const KEYS = { idp: pair('idp-signing'), rotated: pair('idp-signing-rotated'), untrusted: pair('untrusted') };

const SP = {
  entityId: 'https://workspace.test/w/springfield/sso/saml/metadata',
  acsUrl: 'https://workspace.test/w/springfield/sso/saml/acs',
};
const IDP_ENTITY = 'https://idp.test/saml/springfield';
const IDP_SSO = 'https://idp.test/saml/springfield/sso';
const T0 = Date.parse('2030-03-01T09:00:00.000Z');
const MIN = 60_000;

class FixedClock implements Clock {
  constructor(public ms: number) {}
  now() {
    return new Date(this.ms);
  }
  nowMs() {
    return this.ms;
  }
}

const samlify = samlifyLib();
const { SamlLib, Constants } = samlify;

const SIGNED_SP = samlify.ServiceProvider({
  entityID: SP.entityId,
  wantAssertionsSigned: true,
  assertionConsumerService: [{ Binding: Constants.namespace.binding.post, Location: SP.acsUrl }],
});
const SIGNED_BOTH_SP = samlify.ServiceProvider({
  entityID: SP.entityId,
  wantAssertionsSigned: true,
  wantMessageSigned: true,
  assertionConsumerService: [{ Binding: Constants.namespace.binding.post, Location: SP.acsUrl }],
});
const RESPONSE_ONLY_SP = samlify.ServiceProvider({
  entityID: SP.entityId,
  wantAssertionsSigned: false,
  assertionConsumerService: [{ Binding: Constants.namespace.binding.post, Location: SP.acsUrl }],
});

function testIdp(key = KEYS.idp, signatureAlgorithm?: string) {
  return samlify.IdentityProvider({
    entityID: IDP_ENTITY,
    privateKey: key.privateKey,
    signingCert: key.cert,
    ...(signatureAlgorithm ? { requestSignatureAlgorithm: signatureAlgorithm } : {}),
    singleSignOnService: [{ Binding: Constants.namespace.binding.redirect, Location: IDP_SSO }],
    singleLogoutService: [{ Binding: Constants.namespace.binding.redirect, Location: IDP_SSO }],
    loginResponseTemplate: {
      context: SamlLib.defaultLoginResponseTemplate.context,
      attributes: [
        { name: CLAIMS.emailaddress, valueTag: 'email', nameFormat: 'urn:oasis:names:tc:SAML:2.0:attrname-format:uri', valueXsiType: 'xs:string' },
        { name: CLAIMS.givenname, valueTag: 'givenName', nameFormat: 'urn:oasis:names:tc:SAML:2.0:attrname-format:uri', valueXsiType: 'xs:string' },
        { name: CLAIMS.surname, valueTag: 'familyName', nameFormat: 'urn:oasis:names:tc:SAML:2.0:attrname-format:uri', valueXsiType: 'xs:string' },
      ],
    },
  });
}

interface ResponseSpec {
  key?: { privateKey: string; cert: string };
  sp?: typeof SIGNED_SP;
  signatureAlgorithm?: string;
  inResponseTo?: string;
  issueAt?: number;
  nameId?: string;
  email?: string;
  assertionId?: string;
  issuer?: string;
  audience?: string;
  destination?: string;
  recipient?: string;
  notBefore?: number;
  notOnOrAfter?: number;
  confirmationNotOnOrAfter?: number;
}

let counter = 0;
const iso = (ms: number) => new Date(ms).toISOString();

/** A response from the independent samlify IdP, base64 and as XML. */
async function samlifyResponse(spec: ResponseSpec = {}): Promise<{ b64: string; xml: string }> {
  const at = spec.issueAt ?? T0;
  const email = spec.email ?? 'ada@springfield.k12.us';
  const idp = testIdp(spec.key, spec.signatureAlgorithm);
  const tags = {
    ID: `_resp${++counter}`,
    AssertionID: spec.assertionId ?? `_assert${counter}`,
    Destination: spec.destination ?? SP.acsUrl,
    Audience: spec.audience ?? SP.entityId,
    SubjectRecipient: spec.recipient ?? SP.acsUrl,
    Issuer: spec.issuer ?? IDP_ENTITY,
    IssueInstant: iso(at),
    StatusCode: 'urn:oasis:names:tc:SAML:2.0:status:Success',
    ConditionsNotBefore: iso(spec.notBefore ?? at),
    ConditionsNotOnOrAfter: iso(spec.notOnOrAfter ?? at + 5 * MIN),
    SubjectConfirmationDataNotOnOrAfter: iso(spec.confirmationNotOnOrAfter ?? at + 5 * MIN),
    NameIDFormat: 'urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress',
    NameID: spec.nameId ?? email,
    InResponseTo: spec.inResponseTo,
    AuthnStatement: '',
    attrEmail: email,
    attrGivenName: 'Ada',
    attrFamilyName: 'Lovelace',
  };
  const { context } = await idp.createLoginResponse(
    spec.sp ?? SIGNED_SP,
    {} as never,
    'post',
    {},
    { customTagReplacement: (template: string) => ({ id: tags.ID, context: SamlLib.replaceTagsByValue(template, tags) }) },
  );
  return { b64: context, xml: Buffer.from(context, 'base64').toString('utf8') };
}

const b64 = (xml: string) => Buffer.from(xml, 'utf8').toString('base64');

function edit(xml: string, change: (doc: ReturnType<DOMParser['parseFromString']>) => void): string {
  const doc = new DOMParser().parseFromString(xml, 'text/xml');
  change(doc);
  return new XMLSerializer().serializeToString(doc);
}

const ASSERTION_NS = 'urn:oasis:names:tc:SAML:2.0:assertion';
const DS_NS = 'http://www.w3.org/2000/09/xmldsig#';

let clock: FixedClock;
let requests: InMemoryRequestIdStore;
let replayCache: InMemoryReplayCache;

function ctx(extra: Partial<SamlValidationContext> = {}): SamlValidationContext {
  return {
    sp: SP,
    idp: { entityId: IDP_ENTITY, certificates: [KEYS.idp.cert] },
    clock,
    requests,
    replayCache,
    allowIdpInitiated: true,
    ...extra,
  };
}

async function reason(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (err) {
    if (isEmulatorError(err)) return err.code;
    throw err;
  }
  return 'accepted';
}

// The schema validator compiles the SAML schemas on first use; pay that outside the tests.
beforeAll(() => conformsToSamlSchema('<warm-up/>'), 60_000);

beforeEach(() => {
  clock = new FixedClock(T0);
  requests = new InMemoryRequestIdStore(clock);
  replayCache = new InMemoryReplayCache(clock);
});

describe('validateSamlResponse: accepted flows', () => {
  it('accepts an SP-initiated response answering our AuthnRequest, and consumes the request id', async () => {
    const request = createAuthnRequest({ sp: SP, idp: { ssoUrl: IDP_SSO }, clock, relayState: '/w/springfield/me' });
    await requests.remember(request.id);
    const sent = inflateRawSync(Buffer.from(new URL(request.url).searchParams.get('SAMLRequest')!, 'base64')).toString();
    expect(sent).toContain(`ID="${request.id}"`);

    const { b64: response } = await samlifyResponse({ inResponseTo: request.id });
    const identity = await validateSamlResponse(response, ctx({ allowIdpInitiated: false, schemaValidation: true }));
    expect(identity).toMatchObject({
      nameId: 'ada@springfield.k12.us',
      email: 'ada@springfield.k12.us',
      givenName: 'Ada',
      familyName: 'Lovelace',
      issuer: IDP_ENTITY,
      inResponseTo: request.id,
      notOnOrAfter: iso(T0 + 5 * MIN),
    });
    expect(identity.attributes[CLAIMS.emailaddress]).toEqual(['ada@springfield.k12.us']);
    expect(requests.size).toBe(0);
  });

  it('accepts an IdP-initiated response (no InResponseTo) when the workspace allows it', async () => {
    const { b64: response } = await samlifyResponse();
    const identity = await validateSamlResponse(response, ctx({ allowIdpInitiated: true }));
    expect(identity.email).toBe('ada@springfield.k12.us');
    expect(identity.inResponseTo).toBeUndefined();
  });

  it('accepts a response whose Response and Assertion are both signed', async () => {
    const { b64: response, xml } = await samlifyResponse({ sp: SIGNED_BOTH_SP });
    expect(xml.match(/<ds:Signature[ >]/g)).toHaveLength(2);
    expect((await validateSamlResponse(response, ctx())).email).toBe('ada@springfield.k12.us');
  });

  it('accepts both certificates during a rotation', async () => {
    const rotation = ctx({ idp: { entityId: IDP_ENTITY, certificates: [KEYS.rotated.cert, KEYS.idp.cert] } });
    const old = await samlifyResponse({ key: KEYS.idp });
    const next = await samlifyResponse({ key: KEYS.rotated });
    expect((await validateSamlResponse(old.b64, rotation)).email).toBe('ada@springfield.k12.us');
    expect((await validateSamlResponse(next.b64, rotation)).email).toBe('ada@springfield.k12.us');
  });

  it('accepts a Response-only signature when signed assertions are not required, refuses it otherwise', async () => {
    const { b64: response, xml } = await samlifyResponse({ sp: RESPONSE_ONLY_SP });
    expect(xml.match(/<ds:Signature[ >]/g)).toHaveLength(1);
    expect(await reason(validateSamlResponse(response, ctx()))).toBe('saml_unsigned');
    expect((await validateSamlResponse(response, ctx({ requireSignedAssertion: false }))).email).toBe('ada@springfield.k12.us');
  });

  it('reads the whole signed NameID when a comment is injected into it', async () => {
    const signed = await samlifyResponse({ nameId: 'user@evil.com.school.edu', email: 'user@evil.com.school.edu' });
    const injected = signed.xml
      .replace('>user@evil.com.school.edu</saml:NameID>', '>user@evil.com<!---->.school.edu</saml:NameID>')
      .replace('>user@evil.com.school.edu</saml:AttributeValue>', '>user@evil.com<!---->.school.edu</saml:AttributeValue>');
    expect(injected).toContain('user@evil.com<!---->.school.edu</saml:NameID>');
    const identity = await validateSamlResponse(b64(injected), ctx());
    expect(identity.nameId).toBe('user@evil.com.school.edu');
    expect(identity.email).toBe('user@evil.com.school.edu');
    expect(identity.attributes[CLAIMS.emailaddress]).toEqual(['user@evil.com.school.edu']);
  });

  it('takes the email from the claim attributes when the NameID is opaque, and honours an attribute map', async () => {
    const { b64: response } = await samlifyResponse({ nameId: 'a1b2c3d4e5' });
    const identity = await validateSamlResponse(response, ctx());
    expect(identity).toMatchObject({ nameId: 'a1b2c3d4e5', email: 'ada@springfield.k12.us' });

    const { b64: second } = await samlifyResponse({ nameId: 'a1b2c3d4e5' });
    const mapped = await validateSamlResponse(second, ctx({ attributeMap: { givenName: CLAIMS.surname, familyName: 'nope' } }));
    expect(mapped.givenName).toBe('Lovelace');
    expect(mapped.familyName).toBeUndefined();
  });

  it('accepts RSA-SHA1 only when the connection allows it', async () => {
    const { b64: response } = await samlifyResponse({ signatureAlgorithm: 'http://www.w3.org/2000/09/xmldsig#rsa-sha1' });
    expect(await reason(validateSamlResponse(response, ctx()))).toBe('saml_weak_algorithm');
    expect((await validateSamlResponse(response, ctx({ allowSha1: true }))).email).toBe('ada@springfield.k12.us');
  });
});

describe('validateSamlResponse: refusals', () => {
  it('refuses an unsigned response (saml_unsigned)', async () => {
    const { xml } = await samlifyResponse({ sp: SIGNED_BOTH_SP });
    const stripped = edit(xml, (doc) => {
      for (const sig of Array.from(doc.getElementsByTagNameNS(DS_NS, 'Signature'))) sig.parentNode!.removeChild(sig);
    });
    expect(await reason(validateSamlResponse(b64(stripped), ctx()))).toBe('saml_unsigned');
  });

  it('refuses a NameID changed after signing (saml_bad_signature)', async () => {
    const { xml } = await samlifyResponse();
    const tampered = xml.replace('>ada@springfield.k12.us</saml:NameID>', '>admin@springfield.k12.us</saml:NameID>');
    expect(tampered).not.toBe(xml);
    expect(await reason(validateSamlResponse(b64(tampered), ctx()))).toBe('saml_bad_signature');
  });

  it('refuses an attribute changed after signing (saml_bad_signature)', async () => {
    const { xml } = await samlifyResponse();
    const tampered = xml.replace('>Lovelace<', '>Byron<');
    expect(tampered).not.toBe(xml);
    expect(await reason(validateSamlResponse(b64(tampered), ctx()))).toBe('saml_bad_signature');
  });

  it('refuses a second, unsigned assertion placed before the signed one (saml_assertion_count)', async () => {
    const { xml } = await samlifyResponse();
    const wrapped = edit(xml, (doc) => {
      const signed = doc.getElementsByTagNameNS(ASSERTION_NS, 'Assertion')[0]!;
      const evil = signed.cloneNode(true) as typeof signed;
      for (const sig of Array.from(evil.getElementsByTagNameNS(DS_NS, 'Signature'))) sig.parentNode!.removeChild(sig);
      evil.setAttribute('ID', '_evil');
      evil.getElementsByTagNameNS(ASSERTION_NS, 'NameID')[0]!.textContent = 'admin@springfield.k12.us';
      signed.parentNode!.insertBefore(evil, signed);
    });
    expect(await reason(validateSamlResponse(b64(wrapped), ctx()))).toBe('saml_assertion_count');
  });

  it('refuses a wrapped response where the signed assertion hides inside the evil one (saml_assertion_count)', async () => {
    const { xml } = await samlifyResponse();
    const wrapped = edit(xml, (doc) => {
      const signed = doc.getElementsByTagNameNS(ASSERTION_NS, 'Assertion')[0]!;
      const evil = signed.cloneNode(true) as typeof signed;
      for (const sig of Array.from(evil.getElementsByTagNameNS(DS_NS, 'Signature'))) sig.parentNode!.removeChild(sig);
      evil.getElementsByTagNameNS(ASSERTION_NS, 'NameID')[0]!.textContent = 'admin@springfield.k12.us';
      const parent = signed.parentNode!;
      parent.replaceChild(evil, signed);
      evil.appendChild(signed);
    });
    // Without the schema check the structural check still refuses it; with it (the default), the
    // schema refuses it first.
    expect(await reason(validateSamlResponse(b64(wrapped), ctx({ schemaValidation: false })))).toBe('saml_assertion_count');
    expect(await reason(validateSamlResponse(b64(wrapped), ctx()))).toBe('saml_schema_invalid');
  });

  it('refuses a wrong audience (saml_audience_mismatch)', async () => {
    const { b64: response } = await samlifyResponse({ audience: 'https://other.test/sp' });
    const err = await validateSamlResponse(response, ctx()).catch((e: unknown) => e);
    expect(isEmulatorError(err) && err.code).toBe('saml_audience_mismatch');
    expect(String((err as Error).message)).toContain(SP.entityId);
    expect(String((err as Error).message)).toContain('https://other.test/sp');
  });

  it('refuses a wrong Destination (saml_destination_mismatch)', async () => {
    const { b64: response } = await samlifyResponse({ destination: 'https://other.test/acs' });
    expect(await reason(validateSamlResponse(response, ctx()))).toBe('saml_destination_mismatch');
  });

  it('refuses a wrong SubjectConfirmationData Recipient (saml_recipient_mismatch)', async () => {
    const { b64: response } = await samlifyResponse({ recipient: 'https://other.test/acs' });
    expect(await reason(validateSamlResponse(response, ctx()))).toBe('saml_recipient_mismatch');
  });

  it('refuses an InResponseTo we never sent (saml_unknown_request)', async () => {
    const { b64: response } = await samlifyResponse({ inResponseTo: '_never-sent' });
    expect(await reason(validateSamlResponse(response, ctx()))).toBe('saml_unknown_request');
  });

  it('refuses an expired request id (saml_unknown_request)', async () => {
    await requests.remember('_old');
    clock.ms += 11 * MIN;
    const { b64: response } = await samlifyResponse({ inResponseTo: '_old', issueAt: clock.ms });
    expect(await reason(validateSamlResponse(response, ctx()))).toBe('saml_unknown_request');
  });

  it('refuses a replayed assertion (saml_replayed), and forgets it once it has expired', async () => {
    await requests.remember('_req1');
    const { b64: response } = await samlifyResponse({ inResponseTo: '_req1' });
    await validateSamlResponse(response, ctx());
    expect(await reason(validateSamlResponse(response, ctx()))).toBe('saml_replayed');
    expect(replayCache.size).toBe(1);
    clock.ms += 7 * MIN;
    expect(replayCache.size).toBe(0);
  });

  it('checks Conditions NotOnOrAfter at both edges of the skew window (saml_expired)', async () => {
    const end = T0 + 5 * MIN;
    const spec = { notOnOrAfter: end, confirmationNotOnOrAfter: end + 10 * MIN };
    clock.ms = end + 60_000 - 1;
    expect(await reason(validateSamlResponse((await samlifyResponse(spec)).b64, ctx()))).toBe('accepted');
    clock.ms = end + 60_000;
    expect(await reason(validateSamlResponse((await samlifyResponse(spec)).b64, ctx()))).toBe('saml_expired');
  });

  it('checks SubjectConfirmationData NotOnOrAfter with a configured skew (saml_expired)', async () => {
    const end = T0 + 2 * MIN;
    const spec = { confirmationNotOnOrAfter: end, notOnOrAfter: end + 10 * MIN };
    clock.ms = end + 5_000 - 1;
    expect(await reason(validateSamlResponse((await samlifyResponse(spec)).b64, ctx({ clockSkewMs: 5_000 })))).toBe('accepted');
    clock.ms = end + 5_000;
    expect(await reason(validateSamlResponse((await samlifyResponse(spec)).b64, ctx({ clockSkewMs: 5_000 })))).toBe('saml_expired');
  });

  it('checks NotBefore at both edges of the skew window (saml_not_yet_valid)', async () => {
    const start = T0 + 10 * MIN;
    const spec = { issueAt: start, notBefore: start };
    clock.ms = start - 60_000;
    expect(await reason(validateSamlResponse((await samlifyResponse(spec)).b64, ctx()))).toBe('accepted');
    clock.ms = start - 60_000 - 1;
    expect(await reason(validateSamlResponse((await samlifyResponse(spec)).b64, ctx()))).toBe('saml_not_yet_valid');
  });

  it('refuses a wrong Issuer (saml_wrong_issuer)', async () => {
    const { b64: response } = await samlifyResponse({ issuer: 'https://evil.test/idp' });
    expect(await reason(validateSamlResponse(response, ctx()))).toBe('saml_wrong_issuer');
  });

  it('refuses a response signed with a key that is not configured (saml_untrusted_cert)', async () => {
    const { b64: response } = await samlifyResponse({ key: KEYS.untrusted });
    const err = await validateSamlResponse(response, ctx()).catch((e: unknown) => e);
    expect(isEmulatorError(err) && err.code).toBe('saml_untrusted_cert');
  });

  it('does not trust a configured certificate pasted into KeyInfo of a message signed by another key (saml_bad_signature)', async () => {
    const { xml } = await samlifyResponse({ key: KEYS.untrusted });
    const body = (pem: string) => pem.replace(/-----[^-]+-----/g, '').replace(/\s+/g, '');
    const forged = xml.split(body(KEYS.untrusted.cert)).join(body(KEYS.idp.cert));
    expect(forged).not.toBe(xml);
    expect(await reason(validateSamlResponse(b64(forged), ctx()))).toBe('saml_bad_signature');
  });

  it('refuses any DOCTYPE or ENTITY before parsing (saml_doctype)', async () => {
    const { xml } = await samlifyResponse();
    const xxe = `<?xml version="1.0"?><!DOCTYPE r [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>${xml}`;
    expect(await reason(validateSamlResponse(b64(xxe), ctx()))).toBe('saml_doctype');
    const laughs = `<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;">]>${xml.replace('ada@springfield.k12.us', '&lol2;')}`;
    expect(await reason(validateSamlResponse(b64(laughs), ctx()))).toBe('saml_doctype');
  });

  it('refuses an unsolicited response when IdP-initiated sign-in is off (saml_unsolicited)', async () => {
    const { b64: response } = await samlifyResponse();
    expect(await reason(validateSamlResponse(response, ctx({ allowIdpInitiated: false })))).toBe('saml_unsolicited');
  });

  it('refuses a response without any email (saml_missing_email)', async () => {
    const { b64: response } = await samlifyResponse({ nameId: 'opaque-7f3a', email: 'not-an-email' });
    const err = await validateSamlResponse(response, ctx()).catch((e: unknown) => e);
    expect(isEmulatorError(err) && err.code).toBe('saml_missing_email');
    expect(String((err as Error).message)).toContain('opaque-7f3a');
  });

  it('refuses a non-Success status with the IdP status in the message (saml_status)', async () => {
    const xml =
      '<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="_r" Version="2.0" IssueInstant="2030-03-01T09:00:00Z" Destination="' +
      SP.acsUrl +
      '"><saml:Issuer>' +
      IDP_ENTITY +
      '</saml:Issuer><samlp:Status><samlp:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:Responder"><samlp:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:AuthnFailed"/></samlp:StatusCode><samlp:StatusMessage>User is not assigned to this application</samlp:StatusMessage></samlp:Status></samlp:Response>';
    const err = await validateSamlResponse(b64(xml), ctx()).catch((e: unknown) => e);
    expect(isEmulatorError(err) && err.code).toBe('saml_status');
    expect(String((err as Error).message)).toContain('AuthnFailed');
  });

  it('refuses an EncryptedAssertion (saml_assertion_count)', async () => {
    const { xml } = await samlifyResponse();
    const encrypted = edit(xml, (doc) => {
      const a = doc.getElementsByTagNameNS(ASSERTION_NS, 'Assertion')[0]!;
      const enc = doc.createElementNS(ASSERTION_NS, 'saml:EncryptedAssertion');
      const data = doc.createElementNS('http://www.w3.org/2001/04/xmlenc#', 'xenc:EncryptedData');
      const cipher = doc.createElementNS('http://www.w3.org/2001/04/xmlenc#', 'xenc:CipherData');
      const value = doc.createElementNS('http://www.w3.org/2001/04/xmlenc#', 'xenc:CipherValue');
      value.textContent = 'AAAA';
      cipher.appendChild(value);
      data.appendChild(cipher);
      enc.appendChild(data);
      a.parentNode!.replaceChild(enc, a);
    });
    expect(await reason(validateSamlResponse(b64(encrypted), ctx()))).toBe('saml_assertion_count');
  });

  it('refuses what is not a base64 SAML Response (saml_malformed)', async () => {
    expect(await reason(validateSamlResponse('%%%not base64%%%', ctx()))).toBe('saml_malformed');
    expect(await reason(validateSamlResponse(b64('<samlp:Response'), ctx()))).toBe('saml_malformed');
    expect(await reason(validateSamlResponse(b64('<AuthnRequest xmlns="urn:oasis:names:tc:SAML:2.0:protocol"/>'), ctx()))).toBe('saml_malformed');
  });

  it('refuses a response that breaks the SAML schema (saml_schema_invalid), schema validation being on by default', async () => {
    const { xml } = await samlifyResponse();
    const broken = xml.replace('Version="2.0"', 'Version="2.0" Bogus="1"');
    expect(await reason(validateSamlResponse(b64(broken), ctx({ schemaValidation: false })))).toBe('accepted');
    expect(await reason(validateSamlResponse(b64(broken), ctx()))).toBe('saml_schema_invalid');
  });
});
