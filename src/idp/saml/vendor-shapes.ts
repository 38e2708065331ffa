// How each identity provider the mock IdP imitates shapes its SAML Response: namespace prefixes,
// ID style, validity windows, what it signs, its NameID, and the attribute names it sends.
//
// | vendor    | signs              | NameID                          | attributes                                   |
// |-----------|--------------------|---------------------------------|----------------------------------------------|
// | entra     | Assertion          | emailAddress: email (UPN)       | Entra claim URIs (…/claims/emailaddress, …)   |
// | okta      | Response+Assertion | emailAddress: email             | email, firstName, lastName (xs:string)       |
// | google    | Assertion          | emailAddress: primary email     | firstName, lastName (xs:anyType)             |
// | classlink | Assertion          | unspecified: login id           | Email, FirstName, LastName (basic)           |
// | generic   | Response+Assertion | emailAddress: email             | email, givenName, familyName                 |

import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { CLAIMS } from '../../sso/saml/attribute-map.js';
import { BEARER, NAMEID_FORMAT, STATUS_SUCCESS, escapeXml } from '../../sso/saml/saml-xml.js';

export type Vendor = 'entra' | 'okta' | 'google' | 'classlink' | 'generic';
export type SignedParts = 'assertion' | 'response' | 'both';

export interface ShapeUser {
  email: string;
  givenName: string;
  familyName: string;
  attributes?: Record<string, string | string[]>;
}

export interface ResponseFacts {
  responseId: string;
  assertionId: string;
  issueInstant: number;
  issuer: string;
  destination: string;
  recipient: string;
  audience: string;
  inResponseTo?: string;
  sessionIndex: string;
  nameId: { value: string; format: string };
  attributes: Array<{ name: string; values: string[] }>;
}

export interface VendorShape {
  /** What the vendor signs by default. */
  signs: SignedParts;
  /** Prefix of ds:Signature ('' = default namespace, as Entra writes it). */
  signaturePrefix: string;
  /** InclusiveNamespaces PrefixList of the exclusive canonicalization, if the vendor sets one. */
  inclusivePrefixes?: string[];
  /** Offsets from IssueInstant, in ms. */
  window: { notBefore: number; conditionsEnd: number; confirmationEnd: number; sessionEnd?: number };
  newId(): string;
  nameId(user: ShapeUser, withEmail: boolean): { value: string; format: string };
  attributes(user: ShapeUser, idpEntityId: string, withEmail: boolean): Array<{ name: string; values: string[] }>;
  render(facts: ResponseFacts, window: VendorShape['window']): string;
}

const MIN = 60_000;
const iso = (ms: number) => new Date(ms).toISOString();

/** A stable opaque identifier for a user, as IdPs issue for persistent NameIDs. */
function opaqueId(seed: string, length = 32): string {
  return createHash('sha256').update(seed).digest('hex').slice(0, length);
}

function guidFrom(seed: string): string {
  const h = opaqueId(seed);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

function extraAttributes(user: ShapeUser): Array<{ name: string; values: string[] }> {
  return Object.entries(user.attributes ?? {}).map(([name, v]) => ({ name, values: Array.isArray(v) ? v : [v] }));
}

/** Renders the common SAML 2.0 Response structure with the given prefixes and attribute style. */
function renderResponse(
  f: ResponseFacts,
  w: VendorShape['window'],
  style: {
    p: string;
    a: string;
    /** Declare the assertion namespace as the default on Issuer/Assertion (Entra). */
    defaultAssertionNs?: boolean;
    issuerFormat?: string;
    responseXmlnsXs?: boolean;
    attribute: (name: string, values: string[]) => string;
    authnContext: string;
  },
): string {
  const P = style.p ? `${style.p}:` : '';
  const A = style.a ? `${style.a}:` : '';
  const pNs = `xmlns${style.p ? `:${style.p}` : ''}="urn:oasis:names:tc:SAML:2.0:protocol"`;
  const aNs = `xmlns${style.a ? `:${style.a}` : ''}="urn:oasis:names:tc:SAML:2.0:assertion"`;
  const xs = style.responseXmlnsXs ? ' xmlns:xs="http://www.w3.org/2001/XMLSchema"' : '';
  const issuerFormat = style.issuerFormat ? ` Format="${style.issuerFormat}"` : '';
  const irt = f.inResponseTo !== undefined ? ` InResponseTo="${escapeXml(f.inResponseTo)}"` : '';
  const t = f.issueInstant;
  const attributes = f.attributes.map((x) => style.attribute(escapeXml(x.name), x.values.map(escapeXml))).join('');
  const session = w.sessionEnd !== undefined ? ` SessionNotOnOrAfter="${iso(t + w.sessionEnd)}"` : '';
  return (
    `<${P}Response ${pNs} ID="${f.responseId}" Version="2.0" IssueInstant="${iso(t)}" Destination="${escapeXml(f.destination)}"${irt}${xs}>` +
    `<${A}Issuer ${aNs}${issuerFormat}>${escapeXml(f.issuer)}</${A}Issuer>` +
    `<${P}Status><${P}StatusCode Value="${STATUS_SUCCESS}"/></${P}Status>` +
    `<${A}Assertion ${aNs} ID="${f.assertionId}" IssueInstant="${iso(t)}" Version="2.0"${xs}>` +
    `<${A}Issuer${issuerFormat}>${escapeXml(f.issuer)}</${A}Issuer>` +
    `<${A}Subject><${A}NameID Format="${f.nameId.format}">${escapeXml(f.nameId.value)}</${A}NameID>` +
    `<${A}SubjectConfirmation Method="${BEARER}"><${A}SubjectConfirmationData${irt} NotOnOrAfter="${iso(t + w.confirmationEnd)}" Recipient="${escapeXml(f.recipient)}"/></${A}SubjectConfirmation></${A}Subject>` +
    `<${A}Conditions NotBefore="${iso(t + w.notBefore)}" NotOnOrAfter="${iso(t + w.conditionsEnd)}"><${A}AudienceRestriction><${A}Audience>${escapeXml(f.audience)}</${A}Audience></${A}AudienceRestriction></${A}Conditions>` +
    (attributes ? `<${A}AttributeStatement>${attributes}</${A}AttributeStatement>` : '') +
    `<${A}AuthnStatement AuthnInstant="${iso(t)}" SessionIndex="${f.sessionIndex}"${session}><${A}AuthnContext><${A}AuthnContextClassRef>${style.authnContext}</${A}AuthnContextClassRef></${A}AuthnContext></${A}AuthnStatement>` +
    `</${A}Assertion></${P}Response>`
  );
}

const entra: VendorShape = {
  signs: 'assertion',
  signaturePrefix: '',
  // Entra: NotBefore IssueInstant−5 min, Conditions +1 h, SubjectConfirmationData +5 min.
  window: { notBefore: -5 * MIN, conditionsEnd: 60 * MIN, confirmationEnd: 5 * MIN },
  newId: () => `_${randomUUID()}`,
  nameId: (u, withEmail) =>
    withEmail
      ? { value: u.email, format: NAMEID_FORMAT.emailAddress }
      : { value: opaqueId(`entra:${u.email}`, 43), format: NAMEID_FORMAT.persistent },
  attributes: (u, idp, withEmail) => [
    { name: 'http://schemas.microsoft.com/identity/claims/tenantid', values: [guidFrom(`tenant:${idp}`)] },
    { name: 'http://schemas.microsoft.com/identity/claims/objectidentifier', values: [guidFrom(`oid:${u.email}`)] },
    { name: 'http://schemas.microsoft.com/identity/claims/displayname', values: [`${u.givenName} ${u.familyName}`.trim()] },
    { name: 'http://schemas.microsoft.com/identity/claims/identityprovider', values: [idp] },
    {
      name: 'http://schemas.microsoft.com/claims/authnmethodsreferences',
      values: ['http://schemas.microsoft.com/ws/2008/06/identity/authenticationmethod/password'],
    },
    { name: CLAIMS.givenname, values: [u.givenName] },
    { name: CLAIMS.surname, values: [u.familyName] },
    ...(withEmail ? [{ name: CLAIMS.emailaddress, values: [u.email] }, { name: CLAIMS.name, values: [u.email] }] : []),
    ...extraAttributes(u),
  ],
  render: (f, w) =>
    renderResponse(f, w, {
      p: 'samlp',
      a: '',
      attribute: (n, vs) => `<Attribute Name="${n}">${vs.map((v) => `<AttributeValue>${v}</AttributeValue>`).join('')}</Attribute>`,
      authnContext: 'urn:oasis:names:tc:SAML:2.0:ac:classes:Password',
    }),
};

const okta: VendorShape = {
  signs: 'both',
  signaturePrefix: 'ds',
  inclusivePrefixes: ['xs'],
  window: { notBefore: -5 * MIN, conditionsEnd: 5 * MIN, confirmationEnd: 5 * MIN },
  newId: () => `id${BigInt(`0x${randomBytes(12).toString('hex')}`).toString()}`,
  nameId: (u, withEmail) =>
    withEmail
      ? { value: u.email, format: NAMEID_FORMAT.emailAddress }
      : { value: `00u${opaqueId(`okta:${u.email}`, 17)}`, format: NAMEID_FORMAT.unspecified },
  attributes: (u, _idp, withEmail) => [
    ...(withEmail ? [{ name: 'email', values: [u.email] }] : []),
    { name: 'firstName', values: [u.givenName] },
    { name: 'lastName', values: [u.familyName] },
    ...extraAttributes(u),
  ],
  render: (f, w) =>
    renderResponse(f, w, {
      p: 'saml2p',
      a: 'saml2',
      issuerFormat: NAMEID_FORMAT.entity,
      responseXmlnsXs: true,
      attribute: (n, vs) =>
        `<saml2:Attribute Name="${n}" NameFormat="urn:oasis:names:tc:SAML:2.0:attrname-format:unspecified">${vs
          .map((v) => `<saml2:AttributeValue xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:type="xs:string">${v}</saml2:AttributeValue>`)
          .join('')}</saml2:Attribute>`,
      authnContext: 'urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport',
    }),
};

const google: VendorShape = {
  signs: 'assertion',
  signaturePrefix: 'ds',
  window: { notBefore: -5 * MIN, conditionsEnd: 5 * MIN, confirmationEnd: 5 * MIN },
  newId: () => `_${randomBytes(16).toString('hex')}`,
  nameId: (u, withEmail) =>
    withEmail
      ? { value: u.email, format: NAMEID_FORMAT.emailAddress }
      : { value: opaqueId(`google:${u.email}`, 21).replace(/[a-f]/g, (c) => String(c.charCodeAt(0) % 10)), format: NAMEID_FORMAT.persistent },
  attributes: (u) => [
    { name: 'firstName', values: [u.givenName] },
    { name: 'lastName', values: [u.familyName] },
    ...extraAttributes(u),
  ],
  render: (f, w) =>
    renderResponse(f, w, {
      p: 'saml2p',
      a: 'saml2',
      attribute: (n, vs) =>
        `<saml2:Attribute Name="${n}">${vs
          .map(
            (v) =>
              `<saml2:AttributeValue xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:type="xs:anyType">${v}</saml2:AttributeValue>`,
          )
          .join('')}</saml2:Attribute>`,
      authnContext: 'urn:oasis:names:tc:SAML:2.0:ac:classes:unspecified',
    }),
};

const classlink: VendorShape = {
  signs: 'assertion',
  signaturePrefix: 'ds',
  window: { notBefore: -30_000, conditionsEnd: 5 * MIN, confirmationEnd: 5 * MIN, sessionEnd: 8 * 60 * MIN },
  newId: () => `_${randomBytes(21).toString('hex')}`,
  nameId: (u, withEmail) => ({
    value: withEmail ? (u.email.split('@')[0] ?? u.email) : opaqueId(`classlink:${u.email}`, 24),
    format: NAMEID_FORMAT.unspecified,
  }),
  attributes: (u, _idp, withEmail) => [
    ...(withEmail ? [{ name: 'Email', values: [u.email] }] : []),
    { name: 'FirstName', values: [u.givenName] },
    { name: 'LastName', values: [u.familyName] },
    ...extraAttributes(u),
  ],
  render: (f, w) =>
    renderResponse(f, w, {
      p: 'samlp',
      a: 'saml',
      attribute: (n, vs) =>
        `<saml:Attribute Name="${n}" NameFormat="urn:oasis:names:tc:SAML:2.0:attrname-format:basic">${vs
          .map((v) => `<saml:AttributeValue xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:type="xs:string">${v}</saml:AttributeValue>`)
          .join('')}</saml:Attribute>`,
      authnContext: 'urn:oasis:names:tc:SAML:2.0:ac:classes:Password',
    }),
};

const generic: VendorShape = {
  signs: 'both',
  signaturePrefix: 'ds',
  window: { notBefore: 0, conditionsEnd: 5 * MIN, confirmationEnd: 5 * MIN },
  newId: () => `_${randomBytes(20).toString('hex')}`,
  nameId: (u, withEmail) =>
    withEmail
      ? { value: u.email, format: NAMEID_FORMAT.emailAddress }
      : { value: opaqueId(`generic:${u.email}`), format: NAMEID_FORMAT.persistent },
  attributes: (u, _idp, withEmail) => [
    ...(withEmail ? [{ name: 'email', values: [u.email] }] : []),
    { name: 'givenName', values: [u.givenName] },
    { name: 'familyName', values: [u.familyName] },
    ...extraAttributes(u),
  ],
  render: (f, w) =>
    renderResponse(f, w, {
      p: 'samlp',
      a: 'saml',
      attribute: (n, vs) =>
        `<saml:Attribute Name="${n}" NameFormat="urn:oasis:names:tc:SAML:2.0:attrname-format:basic">${vs
          .map((v) => `<saml:AttributeValue>${v}</saml:AttributeValue>`)
          .join('')}</saml:Attribute>`,
      authnContext: 'urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport',
    }),
};

/** The shape of each vendor's responses. */
export const VENDOR_SHAPES: Record<Vendor, VendorShape> = { entra, okta, google, classlink, generic };
