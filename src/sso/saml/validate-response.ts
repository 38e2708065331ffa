// Validation of a SAMLResponse received at the workspace's ACS (HTTP-POST binding): every check
// of SAML core §2–3 and the Web Browser SSO profile (SAML profiles §4.1.4.3) that decides whether
// the identity in it may sign in, each refusal with its own `saml_<check>` reason.

import type { Document, Element } from '@xmldom/xmldom';
import type { Clock } from '../../clock.js';
import { mapIdentity, type AttributeMap } from './attribute-map.js';
import { samlError } from './reasons.js';
import {
  BEARER,
  NS,
  STATUS_SUCCESS,
  attr,
  child,
  childElements,
  declaresDtd,
  descendants,
  isNamed,
  parseSamlTime,
  parseXml,
  text,
} from './saml-xml.js';
import { conformsToSamlSchema } from './schema-check.js';
import { verifyEnvelopedSignature } from './signature.js';
import type { AssertionReplayCache, RequestIdStore } from './stores.js';

/** Default tolerance between our clock and the IdP's, for every time check. */
export const DEFAULT_CLOCK_SKEW_MS = 60_000;

/** Largest SAMLResponse accepted, before decoding (bytes of base64). */
const MAX_ENCODED_LENGTH = 512 * 1024;

/** How long an assertion id is remembered when the assertion names no end of validity. */
const REPLAY_WINDOW_WITHOUT_EXPIRY_MS = 24 * 3_600_000;

export interface SamlValidationContext {
  /** This workspace as a SAML service provider. */
  sp: { entityId: string; acsUrl: string };
  /** The configured IdP: its entityID and every trusted signing certificate (PEM or base64). */
  idp: { entityId: string; certificates: readonly string[] };
  /** The emulator clock; every time check reads it. */
  clock: Clock;
  /** Outstanding AuthnRequest ids; a matched id is consumed. */
  requests: RequestIdStore;
  /** Used assertion ids. */
  replayCache: AssertionReplayCache;
  /** Accept responses without InResponseTo (IdP-initiated SSO). Default false. */
  allowIdpInitiated?: boolean;
  /** Require the Assertion itself to be signed, as the SP metadata asks. Default true. */
  requireSignedAssertion?: boolean;
  /** Accept RSA-SHA1 signatures and SHA-1 digests. Default false. */
  allowSha1?: boolean;
  /** Tolerance for NotBefore/NotOnOrAfter, in ms. Default 60 000. */
  clockSkewMs?: number;
  /** Per-connection attribute names for email and names. */
  attributeMap?: AttributeMap;
  /**
   * Validate against the SAML 2.0 XML schemas (libxml2, schemas compiled once per process). Default
   * true; the first check in a process waits while the validator compiles.
   */
  schemaValidation?: boolean;
}

/** The identity a valid response asserts; every value comes from signed content. */
export interface SamlIdentity {
  nameId: string;
  nameIdFormat?: string;
  email: string;
  givenName?: string;
  familyName?: string;
  /** Every attribute of the AttributeStatement(s), by Name, all values. */
  attributes: Record<string, string[]>;
  issuer: string;
  assertionId: string;
  inResponseTo?: string;
  sessionIndex?: string;
  /** ISO time after which the assertion is no longer valid (earliest of its bounds). */
  notOnOrAfter?: string;
  /** ISO time of AuthnStatement SessionNotOnOrAfter, when the IdP bounds the session. */
  sessionNotOnOrAfter?: string;
}

/**
 * Validates a base64 SAMLResponse (HTTP-POST binding, SAML bindings §3.5.4) and returns the
 * signed identity. Throws EmulatorError with code `saml_<check>` (status 400) on the first
 * failed check. Stateless checks come first; then the assertion id is recorded against replay
 * and the InResponseTo request id is consumed.
 */
export async function validateSamlResponse(
  samlResponseBase64: string,
  ctx: SamlValidationContext,
): Promise<SamlIdentity> {
  const xml = decode(samlResponseBase64);

  // XML external/internal entity attacks: refuse any DTD before a parser sees it.
  if (declaresDtd(xml)) {
    throw samlError(
      'saml_doctype',
      'The SAMLResponse declares a DOCTYPE or ENTITY; SAML messages never carry a DTD, so it was refused unparsed.',
    );
  }
  const parsed = parseXml(xml);
  if (typeof parsed === 'string') {
    throw samlError('saml_malformed', `The SAMLResponse is not well-formed XML (${parsed}).`);
  }
  const doc: Document = parsed;
  const response = doc.documentElement!;
  if (!isNamed(response, NS.protocol, 'Response')) {
    throw samlError(
      'saml_malformed',
      `Expected a samlp:Response (${NS.protocol}) but the message root is ${response.namespaceURI ?? ''}:${response.localName ?? ''}. Post the IdP's SAMLResponse to the ACS URL.`,
      { expected: 'Response', actual: response.localName },
    );
  }
  if ((ctx.schemaValidation ?? true) && !(await conformsToSamlSchema(xml))) {
    throw samlError(
      'saml_schema_invalid',
      'The SAMLResponse does not conform to the SAML 2.0 protocol schema (saml-schema-protocol-2.0.xsd).',
    );
  }

  checkStatus(response);

  // SAML profiles §4.1.4.2: one assertion; wrapping attacks add a second, unsigned one.
  const encrypted = descendants(doc, NS.assertion, 'EncryptedAssertion');
  if (encrypted.length > 0) {
    throw samlError(
      'saml_assertion_count',
      'The SAMLResponse carries an EncryptedAssertion; this workspace does not decrypt assertions. Turn off assertion encryption for this application in the IdP.',
      { expected: 1, encrypted: encrypted.length },
    );
  }
  const assertions = descendants(doc, NS.assertion, 'Assertion');
  const assertionNode = assertions[0];
  if (assertions.length !== 1 || !assertionNode || assertionNode.parentNode !== response) {
    throw samlError(
      'saml_assertion_count',
      `The SAMLResponse must carry exactly one Assertion as a child of Response; found ${assertions.length}${assertions.length === 1 ? ' nested elsewhere' : ''}. This is how signature-wrapping attacks look; a correct IdP sends one assertion.`,
      { expected: 1, actual: assertions.length },
    );
  }

  const responseSignatures = childElements(response, NS.ds, 'Signature');
  const assertionSignatures = childElements(assertionNode, NS.ds, 'Signature');
  if (responseSignatures.length > 1 || assertionSignatures.length > 1) {
    throw samlError('saml_bad_signature', 'The Response or Assertion carries more than one Signature.');
  }
  const responseSignature = responseSignatures[0];
  const assertionSignature = assertionSignatures[0];
  if (!responseSignature && !assertionSignature) {
    throw samlError(
      'saml_unsigned',
      'Neither the Response nor the Assertion is signed. Configure the IdP to sign the SAML assertion.',
      { expected: 'signed Assertion', actual: 'unsigned' },
    );
  }
  if ((ctx.requireSignedAssertion ?? true) && !assertionSignature) {
    throw samlError(
      'saml_unsigned',
      'The Assertion is not signed (only the Response is), and this connection requires signed assertions (WantAssertionsSigned). Set the IdP to sign the assertion, or "response and assertion".',
      { expected: 'signed Assertion', actual: 'signed Response only' },
    );
  }

  const verifyOptions = { allowSha1: ctx.allowSha1 ?? false };
  const signedResponse = responseSignature
    ? verifyEnvelopedSignature(xml, response, responseSignature, ctx.idp.certificates, { ...verifyOptions, what: 'Response' }).element
    : undefined;
  const signedAssertion = assertionSignature
    ? verifyEnvelopedSignature(xml, assertionNode, assertionSignature, ctx.idp.certificates, { ...verifyOptions, what: 'Assertion' }).element
    : undefined;

  // From here on, read only signed content: the envelope from the signed Response when there is
  // one, the assertion from its own signature or from inside the signed Response. What is still
  // read from an unsigned envelope can only refuse, never admit: its Issuer must equal the
  // configured IdP, its Destination the ACS URL (the signed Recipient carries the same guarantee)
  // and its InResponseTo the signed one (see correlate).
  const envelope = signedResponse ?? response;
  const assertion = signedAssertion ?? child(signedResponse!, NS.assertion, 'Assertion');
  if (!assertion) {
    throw samlError('saml_assertion_count', 'The signed Response does not contain the Assertion.');
  }

  const issuer = checkIssuer(envelope, assertion, ctx.idp.entityId);
  checkDestination(envelope, ctx.sp.acsUrl);
  checkAudience(assertion, ctx.sp.entityId);

  const subject = child(assertion, NS.assertion, 'Subject');
  const nameIdEl = subject ? child(subject, NS.assertion, 'NameID') : undefined;
  if (!subject || !nameIdEl) {
    throw samlError(
      'saml_malformed',
      'The Assertion has no Subject/NameID. Configure the IdP to send a NameID (email address format).',
    );
  }
  const confirmation = bearerConfirmation(subject, ctx.sp.acsUrl);

  const now = ctx.clock.nowMs();
  const skew = ctx.clockSkewMs ?? DEFAULT_CLOCK_SKEW_MS;
  const conditions = child(assertion, NS.assertion, 'Conditions');
  const bounds: number[] = [];
  if (conditions) bounds.push(...checkWindow(conditions, 'Conditions', now, skew));
  bounds.push(...checkWindow(confirmation, 'SubjectConfirmationData', now, skew));
  const authn = child(assertion, NS.assertion, 'AuthnStatement');
  const sessionNotOnOrAfter = authn ? attr(authn, 'SessionNotOnOrAfter') : undefined;
  if (authn && sessionNotOnOrAfter !== undefined) {
    const end = time(sessionNotOnOrAfter, 'AuthnStatement SessionNotOnOrAfter');
    if (now - skew >= end) {
      throw expired('AuthnStatement SessionNotOnOrAfter', sessionNotOnOrAfter, now, skew);
    }
  }

  const inResponseTo = correlate(signedResponse, response, confirmation);
  if (inResponseTo === undefined && !(ctx.allowIdpInitiated ?? false)) {
    throw samlError(
      'saml_unsolicited',
      'The SAMLResponse answers no AuthnRequest (no InResponseTo) and IdP-initiated sign-in is off for this workspace. Start sign-in from the workspace, or turn on IdP-initiated SSO.',
      { expected: 'InResponseTo', actual: null },
    );
  }

  const nameId = text(nameIdEl);
  const attributes = readAttributes(assertion);
  const mapped = mapIdentity(nameId, attributes, ctx.attributeMap);
  if (!mapped.email) {
    throw samlError(
      'saml_missing_email',
      `No email address in the assertion: NameID is "${nameId}" and none of ${mapped.emailCandidates.join(', ')} carries an email. Configure the IdP to send the user's email as NameID (emailAddress format) or as the emailaddress claim.`,
      { expected: mapped.emailCandidates, actual: { nameId, attributes: Object.keys(attributes) } },
    );
  }

  const assertionId = attr(assertion, 'ID');
  if (!assertionId) throw samlError('saml_malformed', 'The Assertion has no ID attribute.');
  const validUntil = bounds.length > 0 ? Math.min(...bounds) : undefined;
  const rememberUntil = (validUntil ?? now + REPLAY_WINDOW_WITHOUT_EXPIRY_MS) + skew;
  if (!(await ctx.replayCache.remember(assertionId, rememberUntil))) {
    throw samlError(
      'saml_replayed',
      `Assertion ${assertionId} was already used to sign in; an assertion is accepted once (SAML profiles §4.1.4.5). Sign in again from the start.`,
      { assertionId },
    );
  }
  if (inResponseTo !== undefined && !(await ctx.requests.consume(inResponseTo))) {
    throw samlError(
      'saml_unknown_request',
      `The SAMLResponse answers request ${inResponseTo}, which this workspace did not send, already answered, or which expired. Start sign-in again from the workspace.`,
      { actual: inResponseTo },
    );
  }

  const nameIdFormat = attr(nameIdEl, 'Format');
  const sessionIndex = authn ? attr(authn, 'SessionIndex') : undefined;
  return {
    nameId,
    ...(nameIdFormat !== undefined ? { nameIdFormat } : {}),
    email: mapped.email,
    ...(mapped.givenName !== undefined ? { givenName: mapped.givenName } : {}),
    ...(mapped.familyName !== undefined ? { familyName: mapped.familyName } : {}),
    attributes,
    issuer,
    assertionId,
    ...(inResponseTo !== undefined ? { inResponseTo } : {}),
    ...(sessionIndex !== undefined ? { sessionIndex } : {}),
    ...(validUntil !== undefined ? { notOnOrAfter: new Date(validUntil).toISOString() } : {}),
    ...(sessionNotOnOrAfter !== undefined ? { sessionNotOnOrAfter } : {}),
  };
}

function decode(samlResponseBase64: string): string {
  const compact = samlResponseBase64.replace(/\s+/g, '');
  if (compact.length === 0 || compact.length > MAX_ENCODED_LENGTH || !/^[A-Za-z0-9+/]+={0,2}$/.test(compact)) {
    throw samlError(
      'saml_malformed',
      `The SAMLResponse is not base64 of at most ${MAX_ENCODED_LENGTH} characters (HTTP-POST binding, SAML bindings §3.5.4).`,
    );
  }
  return Buffer.from(compact, 'base64').toString('utf8');
}

// SAML core §3.2.2.2: only a top-level Success status carries an authentication.
function checkStatus(response: Element): void {
  const status = child(response, NS.protocol, 'Status');
  const code = status ? child(status, NS.protocol, 'StatusCode') : undefined;
  const value = code ? attr(code, 'Value') : undefined;
  if (value === STATUS_SUCCESS) return;
  const second = code ? child(code, NS.protocol, 'StatusCode') : undefined;
  const secondValue = second ? attr(second, 'Value') : undefined;
  const messageEl = status ? child(status, NS.protocol, 'StatusMessage') : undefined;
  const message = messageEl ? text(messageEl) : undefined;
  throw samlError(
    'saml_status',
    `The IdP answered with status ${value ?? '(none)'}${secondValue ? ` / ${secondValue}` : ''}${message ? ` ("${message}")` : ''} instead of ${STATUS_SUCCESS}. Look at the IdP's sign-in logs for why it refused.`,
    { expected: STATUS_SUCCESS, actual: value ?? null, ...(secondValue ? { subStatus: secondValue } : {}), ...(message ? { statusMessage: message } : {}) },
  );
}

// SAML profiles §4.1.4.2: the Assertion's Issuer (and the Response's, if present) is the IdP.
function checkIssuer(envelope: Element, assertion: Element, expected: string): string {
  const assertionIssuerEl = child(assertion, NS.assertion, 'Issuer');
  const assertionIssuer = assertionIssuerEl ? text(assertionIssuerEl) : '';
  const responseIssuerEl = child(envelope, NS.assertion, 'Issuer');
  const candidates = [assertionIssuer, ...(responseIssuerEl ? [text(responseIssuerEl)] : [])];
  for (const actual of candidates) {
    if (actual !== expected) {
      throw samlError(
        'saml_wrong_issuer',
        `The Issuer is "${actual}" but this connection expects "${expected}". Use the IdP's entity ID (Identifier / Issuer) from its metadata in the SSO configuration.`,
        { expected, actual },
      );
    }
  }
  return assertionIssuer;
}

// SAML bindings §3.5.5.2: Destination must be the endpoint the message was delivered to.
function checkDestination(envelope: Element, acsUrl: string): void {
  const actual = attr(envelope, 'Destination');
  if (actual !== acsUrl) {
    throw samlError(
      'saml_destination_mismatch',
      `The Response Destination is ${actual === undefined ? 'missing' : `"${actual}"`} but this workspace's ACS URL is "${acsUrl}". Set the Reply URL (ACS URL) in the IdP to "${acsUrl}".`,
      { expected: acsUrl, actual: actual ?? null },
    );
  }
}

// SAML core §2.5.1.4: every AudienceRestriction must name this SP; profiles §4.1.4.2 requires one.
function checkAudience(assertion: Element, entityId: string): void {
  const conditions = child(assertion, NS.assertion, 'Conditions');
  const restrictions = conditions ? childElements(conditions, NS.assertion, 'AudienceRestriction') : [];
  const seen: string[] = [];
  let ok = restrictions.length > 0;
  for (const restriction of restrictions) {
    const audiences = childElements(restriction, NS.assertion, 'Audience').map(text);
    seen.push(...audiences);
    if (!audiences.includes(entityId)) ok = false;
  }
  if (!ok) {
    throw samlError(
      'saml_audience_mismatch',
      `The assertion's Audience is ${seen.length ? seen.map((a) => `"${a}"`).join(', ') : 'missing'} but this workspace's entity ID is "${entityId}". Set the Identifier (Entity ID / Audience URI) in the IdP to "${entityId}".`,
      { expected: entityId, actual: seen },
    );
  }
}

// SAML profiles §4.1.4.2: a bearer SubjectConfirmation whose Recipient is the ACS URL.
function bearerConfirmation(subject: Element, acsUrl: string): Element {
  const recipients: string[] = [];
  for (const sc of childElements(subject, NS.assertion, 'SubjectConfirmation')) {
    if (attr(sc, 'Method') !== BEARER) continue;
    const data = child(sc, NS.assertion, 'SubjectConfirmationData');
    if (!data) continue;
    const recipient = attr(data, 'Recipient');
    if (recipient === acsUrl) return data;
    recipients.push(recipient ?? '(none)');
  }
  throw samlError(
    'saml_recipient_mismatch',
    `The assertion's bearer SubjectConfirmationData Recipient is ${recipients.length ? recipients.map((r) => `"${r}"`).join(', ') : 'missing'} but this workspace's ACS URL is "${acsUrl}". Set the Reply URL (ACS URL) in the IdP to "${acsUrl}".`,
    { expected: acsUrl, actual: recipients },
  );
}

// SAML core §2.5.1.2 and §2.4.1.2: NotBefore inclusive, NotOnOrAfter exclusive, with skew.
function checkWindow(el: Element, where: string, now: number, skew: number): number[] {
  const notBefore = attr(el, 'NotBefore');
  const notOnOrAfter = attr(el, 'NotOnOrAfter');
  if (notBefore !== undefined) {
    const start = time(notBefore, `${where} NotBefore`);
    if (now + skew < start) {
      throw samlError(
        'saml_not_yet_valid',
        `The assertion is not valid yet: ${where} NotBefore is ${notBefore}, emulator time is ${new Date(now).toISOString()} (tolerance ${skew / 1000} s). Check the IdP's clock, or the emulator clock.`,
        { field: `${where}.NotBefore`, expected: `<= ${new Date(now + skew).toISOString()}`, actual: notBefore },
      );
    }
  }
  if (notOnOrAfter === undefined) return [];
  const end = time(notOnOrAfter, `${where} NotOnOrAfter`);
  if (now - skew >= end) throw expired(`${where} NotOnOrAfter`, notOnOrAfter, now, skew);
  return [end];
}

function expired(field: string, value: string, now: number, skew: number) {
  return samlError(
    'saml_expired',
    `The assertion has expired: ${field} is ${value}, emulator time is ${new Date(now).toISOString()} (tolerance ${skew / 1000} s). Sign in again; if it persists, check the IdP's clock or the emulator clock.`,
    { field: field.replace(' ', '.'), expected: `> ${new Date(now - skew).toISOString()}`, actual: value },
  );
}

function time(value: string, field: string): number {
  const ms = parseSamlTime(value);
  if (ms === null) throw samlError('saml_malformed', `${field} "${value}" is not an xs:dateTime.`);
  return ms;
}

// SAML profiles §4.1.4.2: the request a response answers is read from signed data only: the
// signed assertion's bearer SubjectConfirmationData, or a signed Response. An unsigned Response
// envelope can be edited by anyone who relays it, so its InResponseTo never correlates; when
// present it must equal the signed value (else an IdP-initiated response could be passed off
// as an answer to a request the attacker started).
function correlate(signedEnvelope: Element | undefined, unsignedEnvelope: Element, confirmation: Element): string | undefined {
  const onConfirmation = attr(confirmation, 'InResponseTo') || undefined;
  const onSignedResponse = signedEnvelope ? attr(signedEnvelope, 'InResponseTo') || undefined : undefined;
  if (onSignedResponse !== undefined && onConfirmation !== undefined && onSignedResponse !== onConfirmation) {
    throw samlError(
      'saml_in_response_to_mismatch',
      `The Response answers request "${onSignedResponse}" but its assertion answers "${onConfirmation}".`,
      { expected: onConfirmation, actual: onSignedResponse },
    );
  }
  const signed = onConfirmation ?? onSignedResponse;
  if (!signedEnvelope) {
    const onUnsigned = attr(unsignedEnvelope, 'InResponseTo') || undefined;
    if (onUnsigned !== undefined && onUnsigned !== signed) {
      throw samlError(
        'saml_in_response_to_mismatch',
        `The unsigned Response says it answers request "${onUnsigned}", but the signed assertion ${signed === undefined ? 'answers no request' : `answers "${signed}"`}. Only signed data decides which sign-in a response belongs to; an IdP sends the same InResponseTo in both places.`,
        { expected: signed ?? null, actual: onUnsigned },
      );
    }
  }
  return signed;
}

function readAttributes(assertion: Element): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const statement of childElements(assertion, NS.assertion, 'AttributeStatement')) {
    for (const attribute of childElements(statement, NS.assertion, 'Attribute')) {
      const name = attr(attribute, 'Name');
      if (!name) continue;
      const values = childElements(attribute, NS.assertion, 'AttributeValue').map(text);
      (out[name] ??= []).push(...values);
    }
  }
  return out;
}
