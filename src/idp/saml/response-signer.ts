// The mock IdP's signer: xml-crypto's computeSignature (6.3.2, lib/signed-xml.js) for one element
// of a document already parsed, so a Response and its Assertion are signed in one parse and one
// serialization instead of a parse, an XPath search and two serializations per signature.
import { SamlSignedXml, XmlCryptoDOMParser } from '../../sso/saml/signed-xml.js';

/** The DOM members the signer touches (xmldom 0.8, the version xml-crypto itself requires). */
export interface XmlNode {
  nodeType: number;
  namespaceURI: string | null;
  localName: string | null;
  firstChild: XmlNode | null;
  nextSibling: XmlNode | null;
  parentNode: XmlNode | null;
  insertBefore(node: XmlNode, before: XmlNode | null): XmlNode;
}
export interface XmlDocument extends XmlNode {
  documentElement: XmlNode | null;
  toString(): string;
}

/** Parses as computeSignature does (xml-crypto's xmldom, no MIME type given). */
export function parseForSigning(xml: string): XmlDocument {
  return new XmlCryptoDOMParser().parseFromString(xml) as unknown as XmlDocument;
}

/** Serializes as computeSignature does (lib/signed-xml.js serialize: a carriage return as `&#xD;`). */
export function serializeSigned(doc: XmlDocument): string {
  return doc.toString().replace(/\r/g, '&#xD;');
}

const DSIG = 'http://www.w3.org/2000/09/xmldsig#';

/** The members of SignedXml (6.3.2) computeSignature uses; private in its typings. */
interface SignerInternals {
  signatureNode: XmlNode | null;
  signatureValue: string;
  getReferences(): unknown[];
  ensureHasId(node: XmlNode): string;
  createSignedInfo(doc: XmlDocument, prefix?: string): string;
  getKeyInfo(prefix?: string): string;
  getObjects(prefix?: string): string;
  calculateReferenceDigest(ref: unknown, node: XmlNode): string;
  addAllReferences(doc: XmlDocument, signatureElem: XmlNode, targets: Map<unknown, { node: XmlNode; digestValue?: string }[]>, prefix?: string): void;
  calculateSignatureValue(doc: XmlDocument): void;
  createSignature(prefix?: string): XmlNode;
}

const base = SamlSignedXml.prototype as unknown as Record<string, unknown>;
for (const name of ['ensureHasId', 'createSignedInfo', 'getKeyInfo', 'getObjects', 'calculateReferenceDigest', 'addAllReferences', 'calculateSignatureValue', 'createSignature']) {
  if (typeof base[name] !== 'function') throw new Error(`xml-crypto's SignedXml has no ${name}: src/idp/saml/response-signer.ts follows xml-crypto 6.3.2`);
}

export class ResponseSigner extends SamlSignedXml {
  /**
   * computeSignature's synchronous path for its one reference, to `target` (no XPath), with the
   * Signature inserted after `after` ({ action: 'after' }) and prefixed `prefix`, without the
   * `originalXmlWithIds`, `signatureXml` and `signedXml` serializations: serialize `doc` when done.
   */
  signAfter(doc: XmlDocument, target: XmlNode, after: XmlNode, prefix: string): void {
    const self = this as unknown as SignerInternals;
    const [ref, ...others] = self.getReferences();
    if (ref === undefined || others.length > 0) throw new Error('ResponseSigner signs exactly one reference');
    const targets = new Map<unknown, { node: XmlNode; digestValue?: string }[]>([[ref, [{ node: target }]]]);
    self.ensureHasId(target);
    const xmlNsAttr = prefix ? `xmlns:${prefix}` : 'xmlns';
    const current = prefix ? `${prefix}:` : '';
    const signatureXml = `<${current}Signature ${xmlNsAttr}="${DSIG}">${self.createSignedInfo(doc, prefix)}${self.getKeyInfo(prefix)}${self.getObjects(prefix)}</${current}Signature>`;
    const signatureElem = parseForSigning(`<Dummy >${signatureXml}</Dummy>`).documentElement!.firstChild!;
    const previous = self.signatureNode;
    self.signatureNode = signatureElem;
    try {
      targets.get(ref)![0]!.digestValue = self.calculateReferenceDigest(ref, target);
      if (after.parentNode == null) throw new Error('the Signature goes after an element without a parent');
      after.parentNode.insertBefore(signatureElem, after.nextSibling);
      self.addAllReferences(doc, signatureElem, targets, prefix);
    } catch (error) {
      self.signatureNode = previous;
      throw error;
    }
    let signedInfo: XmlNode | null = null;
    for (let c = signatureElem.firstChild; c && !signedInfo; c = c.nextSibling) if (c.nodeType === 1 && c.localName === 'SignedInfo') signedInfo = c;
    if (!signedInfo) throw new Error('could not find SignedInfo element in the message');
    self.calculateSignatureValue(doc);
    signatureElem.insertBefore(self.createSignature(prefix), signedInfo.nextSibling);
  }
}
