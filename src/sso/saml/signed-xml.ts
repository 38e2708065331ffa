// xml-crypto's SignedXml with its whole-document XPath searches (`//*[@*[local-name(.)='ID']='…']`
// per ID attribute, the first SignedInfo, every Signature) done as one DOM walk each, and its
// canonicalization without a deep copy of the signed element where the copy changes nothing, and
// one parse of a document whose signatures are checked one after the other: same answers.
import { createRequire } from 'node:module';
import type { Attr, Document, Element, Node } from '@xmldom/xmldom';
import { SignedXml, type Reference } from 'xml-crypto';
import { findAncestorNsForElement, findChildren, isDescendantOf, validateDigestValue } from 'xml-crypto/lib/utils.js';

// The xmldom xml-crypto itself requires (it may be another version than the SP's own): a loaded
// signature is parsed by the same parser as in xml-crypto's loadSignature.
const fromXmlCrypto = createRequire(createRequire(import.meta.url).resolve('xml-crypto'));
/** xmldom as xml-crypto itself requires it: what its parses produce (the mock IdP's signer parses with it too). */
export const { DOMParser: XmlCryptoDOMParser } = fromXmlCrypto('@xmldom/xmldom') as { DOMParser: new () => { parseFromString(xml: string, mimeType?: string): Document } };

const ELEMENT_NODE = 1;
const CDATA_SECTION_NODE = 4;
const DSIG = 'http://www.w3.org/2000/09/xmldsig#';

/** The members of SignedXml (6.3.2, lib/signed-xml.js) the walks replace or call; private in its typings. */
interface Internals {
  idAttributes: string[];
  findLoadedSignature(node: Node): Node | null;
  findCanonicalizationAlgorithm(name: string): { process(node: Node, options: object): string | Node };
  signatureNode: Node | null;
  canonicalizationAlgorithm?: string;
  canonicalize(transforms: readonly string[], node: Node, options: object, flags: { discardComments: boolean }): string;
  getCanonXml(transforms: readonly string[], node: Node, options?: object): string;
  findHashAlgorithm(name: string): { getHash(xml: string): string };
}

/** What loadSignature sets and calls (lib/signed-xml.js 6.3.2). */
interface LoadInternals extends Internals {
  signatureXml: string;
  signatureAlgorithm?: string;
  signatureValue: string;
  keyInfo: Node | null;
  references: unknown[];
  loadReference(reference: Node): void;
}

/** Every element under `root` (itself included when an element), in document order, as XPath's `//*`. */
function* elementsOf(root: Node): Generator<Element> {
  for (const node of nodesOf(root)) if (node.nodeType === ELEMENT_NODE) yield node as Element;
}

/** Every node under `root` (itself included), in document order (attributes aside). */
function* nodesOf(root: Node): Generator<Node> {
  const stack: Node[] = [root];
  while (stack.length > 0) {
    const node = stack.pop()!;
    yield node;
    for (let c = node.lastChild; c; c = c.previousSibling) stack.push(c);
  }
}

// XPath's `@Algorithm` (xpath.js NameTestQName without a prefix): an attribute in no namespace
// whose local name is Algorithm; the first in the element's attribute list.
function algorithmAttribute(el: Element): Attr | undefined {
  const attributes = el.attributes;
  for (let i = 0; i < attributes.length; i++) {
    const a = attributes.item(i)!;
    if (!(a.namespaceURI || '') && (a.localName || a.nodeName) === 'Algorithm') return a;
  }
  return undefined;
}

// XPath's local-name() and string value of a node, as the xpath package computes them (xpath.js
// Functions.localName, XNodeSet.stringForNode): `@*` includes namespace declarations there too.
const localNameOf = (n: Node): string => n.localName || n.nodeName || '';

/**
 * SignedXml whose reference lookup, SignedInfo lookup and loaded-signature lookup walk the DOM once
 * instead of running XPath over every node, each keeping xml-crypto's own refusals word for word:
 * several elements carrying the referenced ID (counted over `Id`, `ID` and `id` together) or
 * several Signatures with the same SignatureValue are refused as signature wrapping.
 */
export class SamlSignedXml extends SignedXml {}

const base = SignedXml.prototype as unknown as Record<string, (...args: unknown[]) => unknown>;
const proto = SamlSignedXml.prototype as unknown as Record<string, unknown>;
// The replaced members are xml-crypto 6.3.2's (pinned); another version is checked against it
// again by test/sso-saml-signed-xml.test.ts before these may stand in for its own.
for (const name of ['loadSignature', 'loadReference', 'validateReference', 'getCanonSignedInfoXml', 'findLoadedSignature', 'canonicalize', 'getCanonXml', 'findHashAlgorithm', 'checkSignature', 'findSignatureAlgorithm']) {
  if (typeof base[name] !== 'function') throw new Error(`xml-crypto's SignedXml has no ${name}: src/sso/saml/signed-xml.ts follows xml-crypto 6.3.2`);
}

// lib/signed-xml.js validateReference: the XPath loop over idAttributes, then the digest check.
proto.validateReference = function validateReference(this: Internals, ref: Reference, doc: Document): string | undefined {
  const uri = ref.uri?.[0] === '#' ? ref.uri.substring(1) : ref.uri;
  // An empty URI (the whole document) and a quote (refused there) keep xml-crypto's own path. The
  // deprecated `ref.getValidatedNode` (an XPath re-run) is not set here: read getSignedReferences().
  if (uri === '' || uri === undefined || uri.includes("'")) return base.validateReference!.call(this, ref, doc) as string | undefined;

  // For each attribute local name, the elements carrying an attribute of that name whose value is
  // the URI: what `//*[@*[local-name(.)='NAME']='URI']` selects, each element once per name.
  const byName = new Map<string, Element[]>();
  for (const el of elementsOf(doc)) {
    const attributes = el.attributes;
    let seen: Set<string> | undefined;
    for (let i = 0; i < attributes.length; i++) {
      const a = attributes.item(i)!;
      if ((a.value || a.nodeValue) !== uri) continue;
      const name = localNameOf(a);
      if (seen?.has(name)) continue;
      (seen ??= new Set()).add(name);
      const list = byName.get(name);
      if (list) list.push(el);
      else byName.set(name, [el]);
    }
  }
  let elem: Element | null = null;
  let count = 0;
  for (const attr of this.idAttributes) {
    const found = byName.get(attr);
    if (!found) continue;
    count += found.length;
    if (count > 1) {
      throw new Error(
        'Cannot validate a document which contains multiple elements with the ' +
          'same value for the ID / Id / Id attributes, in order to prevent ' +
          'signature wrapping attack.',
      );
    }
    elem = found[0]!;
    ref.xpath = `//*[@*[local-name(.)='${attr}']='${uri}']`;
  }
  if (!elem) {
    ref.validationError = new Error(`invalid signature: the signature references an element with uri ${ref.uri} but could not find such element in the xml`);
    return undefined;
  }
  // getCanonReferenceXml: the ancestors' namespaces of what ref.xpath selects (elem, the one match).
  if (Array.isArray(ref.transforms)) ref.ancestorNamespaces = findAncestorNsForElement(elem as never);
  const canonXml = this.canonicalize(
    ref.transforms,
    elem,
    { inclusiveNamespacesPrefixList: ref.inclusiveNamespacesPrefixList, ancestorNamespaces: ref.ancestorNamespaces },
    { discardComments: ref.uri === '' || ref.uri.startsWith('#') },
  );
  const digest = this.findHashAlgorithm(ref.digestAlgorithm).getHash(canonXml);
  if (!validateDigestValue(digest, ref.digestValue)) {
    ref.validationError = new Error(`invalid signature: for uri ${ref.uri} calculated digest is ${digest} but the xml to validate supplies digest ${ref.digestValue}`);
    return undefined;
  }
  return canonXml;
};

// lib/signed-xml.js getCanonSignedInfoXml: the ancestors' namespaces of the document's first
// `//*[local-name()='SignedInfo']`. Without a document (its refusal for inclusive c14n) it is
// xml-crypto's own.
proto.getCanonSignedInfoXml = function getCanonSignedInfoXml(this: Internals, doc: Document): string {
  if (!doc || typeof doc !== 'object') return base.getCanonSignedInfoXml!.call(this, doc) as string;
  if (this.signatureNode == null) throw new Error('No signature found.');
  if (typeof this.canonicalizationAlgorithm !== 'string') throw new Error('Missing canonicalizationAlgorithm when trying to get signed info for XML');
  const signedInfo = findChildren(this.signatureNode as never, 'SignedInfo');
  if (signedInfo.length === 0) throw new Error('could not find SignedInfo element in the message');
  if (signedInfo.length > 1) throw new Error('could not get canonicalized signed info for a signature that contains multiple SignedInfo nodes');
  let first: Element | undefined;
  for (const el of elementsOf(doc)) {
    if (localNameOf(el) === 'SignedInfo') {
      first = el;
      break;
    }
  }
  const ancestorNamespaces = first ? findAncestorNsForElement(first as never) : [];
  return this.getCanonXml([this.canonicalizationAlgorithm], signedInfo[0] as never, { ancestorNamespaces });
};

// lib/signed-xml.js findLoadedSignature: the Signature (by its SignatureValue) among every
// `.//*[local-name(.)='Signature' and namespace-uri(.)=DSIG]` of the node's document.
proto.findLoadedSignature = function findLoadedSignature(this: Internals, node: Node): Node | null {
  const doc = node.ownerDocument ?? node;
  if (this.signatureNode == null || this.signatureNode.ownerDocument === doc) return this.signatureNode;
  const signatureValue = findChildren(this.signatureNode as never, 'SignatureValue')[0]?.textContent;
  if (!signatureValue) return null;
  const matches: Element[] = [];
  for (const el of elementsOf(doc)) {
    if (el === doc || localNameOf(el) !== 'Signature' || (el.namespaceURI || '') !== DSIG) continue;
    if (findChildren(el as never, 'SignatureValue')[0]?.textContent === signatureValue) matches.push(el);
  }
  if (matches.length > 1) {
    throw new Error('Cannot validate a document which contains multiple Signature elements with the same SignatureValue, in order to prevent signature wrapping attack.');
  }
  return matches[0] ?? null;
};

const C14N = 'http://www.w3.org/TR/2001/REC-xml-c14n-20010315';
const TEXT_NODE = 3;

// lib/signed-xml.js loadSignature for a signature given as text (a node keeps xml-crypto's own
// path): its four `.//*[local-name(.)='…']` XPath lookups done as one walk of the signature in
// document order (the first match is what xpath's select1 returns), the rest line for line.
proto.loadSignature = function loadSignature(this: LoadInternals, signature: Node | string): void {
  if (typeof signature !== 'string') {
    base.loadSignature!.call(this, signature);
    return;
  }
  const doc = new XmlCryptoDOMParser().parseFromString(signature);
  this.signatureNode = doc;
  this.signatureXml = doc.toString();
  let canonicalization: Attr | undefined;
  let signatureMethod: Attr | undefined;
  let signatureValue: Node | undefined;
  let keyInfo: Element | undefined;
  for (const node of nodesOf(doc)) {
    if (node.nodeType === ELEMENT_NODE) {
      const name = localNameOf(node);
      if (name === 'CanonicalizationMethod') canonicalization ??= algorithmAttribute(node as Element);
      else if (name === 'SignatureMethod') signatureMethod ??= algorithmAttribute(node as Element);
      else if (name === 'KeyInfo') keyInfo ??= node as Element;
    } else if ((node.nodeType === TEXT_NODE || node.nodeType === CDATA_SECTION_NODE) && signatureValue === undefined) {
      // `.//*[local-name(.)='SignatureValue']/text()`: text() takes CDATA sections too.
      const parent = node.parentNode;
      if (parent && parent.nodeType === ELEMENT_NODE && localNameOf(parent) === 'SignatureValue') signatureValue = node;
    }
  }
  if (!canonicalization) throw new Error('could not find CanonicalizationMethod/@Algorithm element');
  this.canonicalizationAlgorithm = canonicalization.value;
  if (signatureMethod) this.signatureAlgorithm = signatureMethod.value;
  const signedInfoNodes = findChildren(doc as never, 'SignedInfo');
  if (signedInfoNodes.length === 0) throw new Error('no signed info node found');
  if (signedInfoNodes.length > 1) throw new Error('could not load signature that contains multiple SignedInfo nodes');
  // xml-crypto: the references are read from SignedInfo canonicalized exclusively.
  let forSignedInfo = this.canonicalizationAlgorithm;
  if (!forSignedInfo || forSignedInfo === C14N || forSignedInfo === `${C14N}#WithComments`) forSignedInfo = 'http://www.w3.org/2001/10/xml-exc-c14n#';
  const canonSignedInfo = this.getCanonXml([forSignedInfo], signedInfoNodes[0] as never);
  const signedInfoDoc = new XmlCryptoDOMParser().parseFromString(canonSignedInfo, 'text/xml').documentElement!;
  this.references = [];
  const references = findChildren(signedInfoDoc as never, 'Reference');
  if (references.length === 0) throw new Error('could not find any Reference elements');
  for (const reference of references) this.loadReference(reference as never);
  // Only a text node counts (xml-crypto's isTextNode): a CDATA section leaves the value unset.
  if (signatureValue?.nodeType === TEXT_NODE) this.signatureValue = (signatureValue as unknown as { data: string }).data.replace(/\r?\n/g, '');
  if (keyInfo) this.keyInfo = keyInfo;
};

const ENVELOPED = 'http://www.w3.org/2000/09/xmldsig#enveloped-signature';
const EXC_C14N = 'http://www.w3.org/2001/10/xml-exc-c14n#';
/** Canonicalizations that leave comments out: the deep copy's comment removal changes nothing for them. */
const WITHOUT_COMMENTS = new Set([EXC_C14N, C14N]);

/**
 * The algorithm that makes the octets when `transforms` is [enveloped-signature?, c14n?] with a
 * c14n that drops comments (a node-set left at the end gets inclusive C14N); otherwise undefined.
 */
function plainCanonicalization(transforms: readonly string[]): string | undefined {
  const rest = transforms[0] === ENVELOPED ? transforms.slice(1) : transforms;
  if (rest.length === 0) return C14N;
  return rest.length === 1 && WITHOUT_COMMENTS.has(rest[0]!) ? rest[0] : undefined;
}

/**
 * Whether exclusive c14n would write to `elem`: with an InclusiveNamespaces prefix list (given, or
 * under the element's own CanonicalizationMethod) naming a prefix its ancestors declare, it sets that
 * declaration on the element (lib/exclusive-canonicalization.js process).
 */
function excWritesTo(elem: Node, options: { inclusiveNamespacesPrefixList?: string[]; ancestorNamespaces?: { prefix: string }[] }): boolean {
  // As process() reads it: a given list only when it is a non-empty array.
  let prefixes: string[] = Array.isArray(options.inclusiveNamespacesPrefixList) ? options.inclusiveNamespacesPrefixList : [];
  if (prefixes.length === 0) {
    const method = findChildren(elem as never, 'CanonicalizationMethod')[0];
    const inclusive = method ? findChildren(method, 'InclusiveNamespaces')[0] : undefined;
    if (inclusive) prefixes = (inclusive.getAttribute('PrefixList') || '').split(' ');
  }
  const ancestors: unknown = options.ancestorNamespaces ?? [];
  // Anything but a list is left to xml-crypto's own path (and its own error).
  if (!Array.isArray(ancestors)) return prefixes.length > 0;
  return prefixes.some((prefix) => ancestors.some((a: { prefix?: string }) => a.prefix === prefix));
}

// lib/signed-xml.js canonicalize deep-copies the element, drops comments and the enveloped
// Signature from the copy, then runs the c14n. Where the c14n drops comments and does not write to
// the element, the copy only serves to leave the Signature out: here the Signature is taken out of
// the element itself for the c14n and put back at its place right after, even when the c14n throws.
// Anything else (comments kept, an inclusive prefix written, no loaded signature) is xml-crypto's own.
proto.canonicalize = function canonicalize(
  this: Internals,
  transforms: readonly string[],
  node: Node,
  options: { defaultNsForPrefix?: unknown; signatureNode?: unknown; inclusiveNamespacesPrefixList?: string[]; ancestorNamespaces?: { prefix: string }[] },
  flags: { discardComments: boolean },
): string {
  const algorithm = plainCanonicalization(transforms);
  if (algorithm === undefined || this.signatureNode == null || node.nodeType !== ELEMENT_NODE || (algorithm === EXC_C14N && excWritesTo(node, options))) {
    return base.canonicalize!.call(this, transforms, node, options, flags) as string;
  }
  let signature: Node | null = null;
  if (transforms[0] === ENVELOPED) {
    signature = this.findLoadedSignature(node);
    if (signature === node) return base.canonicalize!.call(this, transforms, node, options, flags) as string;
    if (signature && !isDescendantOf(signature as never, node as never)) signature = null;
  }
  options.defaultNsForPrefix = options.defaultNsForPrefix ?? (SignedXml as unknown as { defaultNsForPrefix: unknown }).defaultNsForPrefix;
  options.signatureNode = this.signatureNode;
  const parent = signature?.parentNode ?? null;
  const next = signature?.nextSibling ?? null;
  if (signature && parent) parent.removeChild(signature);
  try {
    return this.findCanonicalizationAlgorithm(algorithm).process(node, options).toString();
  } finally {
    if (signature && parent) parent.insertBefore(signature, next);
  }
};

/** What checkSignature sets and calls (lib/signed-xml.js 6.3.2). */
interface CheckInternals extends LoadInternals {
  signedXml: string;
  signedReferences: string[];
  publicCert?: unknown;
  privateKey?: unknown;
  getCertFromKeyInfo(keyInfo: Node | null): string | null;
  findSignatureAlgorithm(name?: string): { verifySignature(material: string, key: unknown, signatureValue: string): boolean };
  validateReference(ref: Reference, doc: Document): string | undefined;
  getCanonSignedInfoXml(doc: Document): string;
}

// The document checkSignature parsed last, by its text. A Response and its Assertion each carry a
// signature over the same text, checked one after the other: the second check reads the same
// parse. Nothing writes to it (canonicalize puts back what it takes out); one document is kept.
let lastParsed: { xml: string; doc: Document } | undefined;
function parsedOnce(xml: string): Document {
  if (lastParsed?.xml !== xml) lastParsed = { xml, doc: new XmlCryptoDOMParser().parseFromString(xml) };
  return lastParsed.doc;
}

// lib/signed-xml.js checkSignature without a callback, line for line, the document parsed once
// per text (parsedOnce); with a callback, xml-crypto's own.
proto.checkSignature = function checkSignature(this: CheckInternals, xml: string, callback?: unknown): boolean {
  if (callback !== undefined) return base.checkSignature!.call(this, xml, callback) as boolean;
  // Nothing this check has not authenticated may be visible, even if it throws partway. Success
  // adds to what earlier successful checks on this instance published.
  const earlierSignedReferences = this.signedReferences;
  this.signedReferences = [];
  this.signedXml = xml;
  const doc = parsedOnce(xml);
  // Only references from the re-parsed SignedInfo can be trusted.
  this.references = [];
  const unverifiedSignedInfoCanon = this.getCanonSignedInfoXml(doc);
  if (!unverifiedSignedInfoCanon) throw new Error('Canonical signed info cannot be empty');
  const unverifiedSignedInfoDoc = new XmlCryptoDOMParser().parseFromString(unverifiedSignedInfoCanon, 'text/xml').documentElement;
  if (!unverifiedSignedInfoDoc) throw new Error('Could not parse unverifiedSignedInfoCanon into a document');
  const references = findChildren(unverifiedSignedInfoDoc as never, 'Reference');
  if (references.length === 0) throw new Error('could not find any Reference elements');
  for (const reference of references) this.loadReference(reference as never);
  const canonReferences: string[] = [];
  for (const ref of this.references as Reference[]) {
    const canonXml = this.validateReference(ref, doc);
    // Some references may have validated, but not all (xml-crypto answers false, not an error).
    if (canonXml === undefined) return false;
    canonReferences.push(canonXml);
  }
  const signer = this.findSignatureAlgorithm(this.signatureAlgorithm);
  const key = this.getCertFromKeyInfo(this.keyInfo) || this.publicCert || this.privateKey;
  if (key == null) throw new Error('KeyInfo or publicCert or privateKey is required to validate signature');
  if (signer.verifySignature(unverifiedSignedInfoCanon, key, this.signatureValue) === true) {
    this.signedReferences = [...earlierSignedReferences, ...canonReferences];
    (this.references as Reference[]).forEach((ref, index) => {
      (ref as Reference & { signedReference?: string }).signedReference = canonReferences[index];
    });
    return true;
  }
  throw new Error(`invalid signature: the signature value ${this.signatureValue} is incorrect`);
};
