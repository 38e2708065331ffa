// The mock IdP's SAML Response issuer (HTTP-POST binding, SAML bindings §3.5): vendor-shaped
// responses signed with xml-crypto, and faults that each produce one real protocol defect.

import { createPrivateKey, type KeyObject } from 'node:crypto';
import { DOMParser, XMLSerializer, type Element } from '@xmldom/xmldom';
import { SignedXml, type GetKeyInfoContentArgs } from 'xml-crypto';
import { ResponseSigner, parseForSigning, serializeSigned, type XmlNode } from './response-signer.js';
import type { Clock } from '../../clock.js';
import { EmulatorError } from '../../errors.js';
import { NS } from '../../sso/saml/saml-xml.js';
import { DIGEST_ALGORITHMS, SIGNATURE_ALGORITHMS } from '../../sso/saml/signature.js';
import { UNTRUSTED_CERT_PEM, UNTRUSTED_PRIVATE_KEY_PEM } from './untrusted-key.js';
import { VENDOR_SHAPES, type ResponseFacts, type SignedParts, type Vendor } from './vendor-shapes.js';

export type { Vendor, SignedParts } from './vendor-shapes.js';

/** Each fault makes the response wrong in exactly one way; the SP reason it should meet is noted. */
export const SAML_FAULTS = {
  unsigned: 'saml_unsigned',
  bad_signature: 'saml_bad_signature',
  wrong_audience: 'saml_audience_mismatch',
  wrong_destination: 'saml_destination_mismatch',
  wrong_recipient: 'saml_recipient_mismatch',
  expired: 'saml_expired',
  not_yet_valid: 'saml_not_yet_valid',
  replay: 'saml_replayed',
  wrong_issuer: 'saml_wrong_issuer',
  untrusted_cert: 'saml_untrusted_cert',
  extra_assertion: 'saml_assertion_count',
  missing_email: 'saml_missing_email',
  /** Signed with RSA-SHA1 and SHA-1 digests, as older IdPs do; accepted only with allowSha1. */
  sha1: 'saml_weak_algorithm',
} as const;

export type SamlFault = keyof typeof SAML_FAULTS;

/**
 * Where the `replay` fault finds the assertion id to re-send for an IdP/SP pair: by default the
 * last one issued (one in-memory map for the process); the IdP's routes pass the last one the
 * workspace accepted, and `set` may then ignore what is issued.
 */
export interface IssuedAssertionMemory {
  get(key: string): string | undefined;
  set(key: string, assertionId: string): void;
}

const processMemory: IssuedAssertionMemory = new Map<string, string>();

export interface IssueSamlResponseInput {
  idp: { entityId: string; privateKeyPem: string; certPem: string };
  sp: { entityId: string; acsUrl: string };
  user: { email: string; givenName: string; familyName: string; attributes?: Record<string, string | string[]> };
  /** The AuthnRequest ID answered; absent for IdP-initiated sign-in. */
  inResponseTo?: string;
  clock: Clock;
  vendor: Vendor;
  fault?: SamlFault;
  /** Override what is signed; defaults to the vendor's habit. */
  sign?: SignedParts;
  /** Memory of issued assertion ids for the `replay` fault; defaults to a process-wide map. */
  memory?: IssuedAssertionMemory;
}

const EXC_C14N = 'http://www.w3.org/2001/10/xml-exc-c14n#';
const ENVELOPED = 'http://www.w3.org/2000/09/xmldsig#enveloped-signature';
const MIN = 60_000;

/**
 * Issues a base64 SAMLResponse for the HTTP-POST binding, shaped like `vendor`, optionally with
 * one `fault`. Every response (faulty or not) is offered to `memory` as the last for its IdP/SP
 * pair; `fault: 'replay'` issues a fresh response that reuses the assertion ID `memory` gives, and
 * throws `idp_nothing_to_replay` (409) when it gives none.
 */
export function issueSamlResponse(input: IssueSamlResponseInput): string {
  const shape = VENDOR_SHAPES[input.vendor];
  const { fault } = input;
  const memory = input.memory ?? processMemory;
  const memoryKey = `${input.idp.entityId}\n${input.sp.entityId}`;
  const withEmail = fault !== 'missing_email';

  let assertionId = shape.newId();
  if (fault === 'replay') {
    const last = memory.get(memoryKey);
    if (last === undefined) {
      throw new EmulatorError({
        code: 'idp_nothing_to_replay',
        status: 409,
        message: `The replay fault re-sends the last assertion ${input.sp.entityId} accepted from this IdP (${input.idp.entityId}), and there is none to re-send: no sign-in has been accepted yet, or the last accepted assertion has expired and the SP no longer remembers it (use the expired fault for that). Sign in once without a fault first.`,
      });
    }
    assertionId = last;
  }

  // Faulty windows: everything ended an hour ago, or starts in a quarter of an hour.
  const now = input.clock.nowMs();
  const issueInstant =
    fault === 'expired'
      ? now - shape.window.conditionsEnd - 60 * MIN
      : fault === 'not_yet_valid'
        ? now + 15 * MIN - Math.min(0, shape.window.notBefore)
        : now;

  const facts: ResponseFacts = {
    responseId: shape.newId(),
    assertionId,
    issueInstant,
    issuer: fault === 'wrong_issuer' ? 'https://idp.evil.example/saml/metadata' : input.idp.entityId,
    destination: fault === 'wrong_destination' ? 'https://sp.evil.example/saml/acs' : input.sp.acsUrl,
    recipient: fault === 'wrong_recipient' ? 'https://sp.evil.example/saml/acs' : input.sp.acsUrl,
    audience: fault === 'wrong_audience' ? 'https://sp.evil.example/saml/metadata' : input.sp.entityId,
    ...(input.inResponseTo !== undefined ? { inResponseTo: input.inResponseTo } : {}),
    sessionIndex: shape.newId(),
    nameId: shape.nameId(input.user, withEmail),
    attributes: shape.attributes(input.user, input.idp.entityId, withEmail),
  };
  let xml = shape.render(facts, shape.window);

  const signer =
    fault === 'untrusted_cert'
      ? { privateKeyPem: UNTRUSTED_PRIVATE_KEY_PEM, certPem: UNTRUSTED_CERT_PEM }
      : { privateKeyPem: input.idp.privateKeyPem, certPem: input.idp.certPem };
  const parts = input.sign ?? shape.signs;
  if (fault !== 'unsigned') {
    const options = { prefix: shape.signaturePrefix, inclusivePrefixes: shape.inclusivePrefixes ?? [], sha1: fault === 'sha1' };
    xml = signResponse(xml, parts, signer, options);
  }

  if (fault === 'bad_signature') xml = alterNameId(xml);
  if (fault === 'extra_assertion') xml = addUnsignedAssertion(xml);

  memory.set(memoryKey, assertionId);
  return Buffer.from(xml, 'utf8').toString('base64');
}

/**
 * XML-DSig enveloped signatures placed right after the element's Issuer (SAML core §5.4.1): the
 * Assertion's first, so the Response's covers the signed Assertion (§5.4.1). One parse and one
 * serialization for both (src/idp/saml/response-signer.ts); the bytes xml-crypto's computeSignature
 * makes signing one element after the other.
 */
export function signResponse(
  xml: string,
  parts: SignedParts,
  key: { privateKeyPem: string; certPem: string },
  options: { prefix: string; inclusivePrefixes: string[]; sha1: boolean },
): string {
  const doc = parseForSigning(xml);
  // The shapes render the Response as the root and the Assertion as its child, each with its Issuer
  // first (faults that add elements run after signing).
  const response = doc.documentElement;
  if (!response || response.namespaceURI !== NS.protocol || response.localName !== 'Response') throw new Error('the rendered response has no samlp:Response root');
  const assertion = childNamed(response, NS.assertion, 'Assertion');
  const targets = [...(parts !== 'response' ? [assertion] : []), ...(parts !== 'assertion' ? [response] : [])];
  for (const target of targets) {
    const signer = new ResponseSigner({
      privateKey: privateKeyOf(key.privateKeyPem),
      publicCert: key.certPem,
      getKeyInfoContent: keyInfoContent,
      signatureAlgorithm: options.sha1 ? SIGNATURE_ALGORITHMS.rsaSha1 : SIGNATURE_ALGORITHMS.rsaSha256,
      canonicalizationAlgorithm: EXC_C14N,
    });
    signer.addReference({
      xpath: '',
      transforms: [ENVELOPED, EXC_C14N],
      digestAlgorithm: options.sha1 ? DIGEST_ALGORITHMS.sha1 : DIGEST_ALGORITHMS.sha256,
      ...(options.inclusivePrefixes.length ? { inclusiveNamespacesPrefixList: options.inclusivePrefixes } : {}),
    });
    signer.signAfter(doc, target, childNamed(target, undefined, 'Issuer'), options.prefix);
  }
  return serializeSigned(doc);
}

/** The first child element named `name` (in `ns`, or in any namespace as XPath's `*[local-name(.)=…]`). */
function childNamed(parent: XmlNode, ns: string | undefined, name: string): XmlNode {
  for (let c = parent.firstChild; c; c = c.nextSibling) {
    if (c.nodeType === 1 && (ns === undefined || c.namespaceURI === ns) && c.localName === name) return c;
  }
  throw new Error(`the rendered response has no ${name} where the shapes put it`);
}

// Parsing a PEM private key costs twice the RSA signature itself, and a certificate's KeyInfo
// (xml-crypto checks and re-encodes the certificate) is the same text for every response: each is
// made once per key. The IdP keys are few (the fixture pair, the untrusted pair); the bound only
// keeps a caller with many keys from growing the maps.
const KEY_MEMO_LIMIT = 32;
const privateKeys = new Map<string, KeyObject>();
const keyInfos = new Map<string, string | null>();

function privateKeyOf(pem: string): KeyObject {
  let key = privateKeys.get(pem);
  if (!key) {
    if (privateKeys.size >= KEY_MEMO_LIMIT) privateKeys.clear();
    key = createPrivateKey(pem);
    privateKeys.set(pem, key);
  }
  return key;
}

/** xml-crypto's own KeyInfo content (X509Data with the certificate), remembered per certificate and prefix. */
function keyInfoContent(args?: GetKeyInfoContentArgs): string | null {
  if (!args || typeof args.publicCert !== 'string') return SignedXml.getKeyInfoContent(args ?? {});
  const memoKey = `${args.prefix ?? ''}\n${args.publicCert}`;
  let content = keyInfos.get(memoKey);
  if (content === undefined) {
    if (keyInfos.size >= KEY_MEMO_LIMIT) keyInfos.clear();
    content = SignedXml.getKeyInfoContent(args);
    keyInfos.set(memoKey, content);
  }
  return content;
}

function parse(xml: string) {
  return new DOMParser().parseFromString(xml, 'text/xml');
}

function nameIdOf(assertion: Element): Element {
  const nameId = assertion.getElementsByTagNameNS(NS.assertion, 'NameID')[0];
  if (!nameId) throw new Error('issued assertion has no NameID');
  return nameId;
}

// Content changed after signing: the NameID now claims another user of the same domain.
function alterNameId(xml: string): string {
  const doc = parse(xml);
  const nameId = nameIdOf(doc.getElementsByTagNameNS(NS.assertion, 'Assertion')[0]!);
  const value = nameId.textContent ?? '';
  nameId.textContent = value.includes('@') ? `admin@${value.split('@')[1]}` : `admin-${value}`;
  return new XMLSerializer().serializeToString(doc);
}

// Signature wrapping: an unsigned copy claiming another user, placed before the signed assertion.
function addUnsignedAssertion(xml: string): string {
  const doc = parse(xml);
  const signed = doc.getElementsByTagNameNS(NS.assertion, 'Assertion')[0]!;
  const copy = signed.cloneNode(true) as Element;
  for (const sig of Array.from(copy.getElementsByTagNameNS(NS.ds, 'Signature'))) sig.parentNode?.removeChild(sig);
  copy.setAttribute('ID', `${signed.getAttribute('ID') ?? '_a'}-evil`);
  const nameId = nameIdOf(copy);
  const value = nameId.textContent ?? '';
  nameId.textContent = value.includes('@') ? `admin@${value.split('@')[1]}` : `admin-${value}`;
  signed.parentNode!.insertBefore(copy, signed);
  return new XMLSerializer().serializeToString(doc);
}
