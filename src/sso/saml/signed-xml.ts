// xml-crypto's SignedXml with its whole-document XPath searches (`//*[@*[local-name(.)='ID']='…']`
// per ID attribute, the first SignedInfo, every Signature) done as one DOM walk each: same answers.
import type { Document, Element, Node } from '@xmldom/xmldom';
import { SignedXml, type Reference } from 'xml-crypto';
import { findAncestorNsForElement, findChildren, validateDigestValue } from 'xml-crypto/lib/utils.js';

const ELEMENT_NODE = 1;
const DSIG = 'http://www.w3.org/2000/09/xmldsig#';

/** The members of SignedXml (6.3.2, lib/signed-xml.js) the walks replace or call; private in its typings. */
interface Internals {
  idAttributes: string[];
  signatureNode: Node | null;
  canonicalizationAlgorithm?: string;
  canonicalize(transforms: readonly string[], node: Node, options: object, flags: { discardComments: boolean }): string;
  getCanonXml(transforms: readonly string[], node: Node, options?: object): string;
  findHashAlgorithm(name: string): { getHash(xml: string): string };
}

/** Every element under `root` (itself included when an element), in document order, as XPath's `//*`. */
function* elementsOf(root: Node): Generator<Element> {
  const stack: Node[] = [root];
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (node.nodeType === ELEMENT_NODE) yield node as Element;
    for (let c = node.lastChild; c; c = c.previousSibling) stack.push(c);
  }
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
for (const name of ['validateReference', 'getCanonSignedInfoXml', 'findLoadedSignature', 'canonicalize', 'getCanonXml', 'findHashAlgorithm']) {
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
