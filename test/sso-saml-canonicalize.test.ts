// SamlSignedXml's canonicalization (src/sso/saml/signed-xml.ts: the enveloped Signature taken out
// of the element itself instead of a deep copy) against xml-crypto's own SignedXml as the oracle:
// the same octets for every element of issued responses under every transform list, with comments,
// inclusive namespace prefixes and foreign signatures; the document unchanged afterwards; and the
// same signed XML when each signs the same input.
import { DOMParser, XMLSerializer, type Document, type Element, type Node } from '@xmldom/xmldom';
import { SignedXml } from 'xml-crypto';
import { findAncestorNsForElement } from 'xml-crypto/lib/utils.js';
import { describe, expect, it } from 'vitest';
import { UNTRUSTED_CERT_PEM, UNTRUSTED_PRIVATE_KEY_PEM } from '../src/idp/saml/untrusted-key.js';
import { SamlSignedXml } from '../src/sso/saml/signed-xml.js';
import { issuedSamlXml } from './support/saml.js';

const DSIG = 'http://www.w3.org/2000/09/xmldsig#';
const ENVELOPED = `${DSIG}enveloped-signature`;
const EXC = 'http://www.w3.org/2001/10/xml-exc-c14n#';
const C14N = 'http://www.w3.org/TR/2001/REC-xml-c14n-20010315';
const VENDORS = ['entra', 'okta', 'google', 'classlink', 'generic'] as const;
const TRANSFORMS: string[][] = [
  [ENVELOPED, EXC],
  [ENVELOPED, C14N],
  [ENVELOPED],
  [EXC],
  [C14N],
  [],
  [ENVELOPED, `${EXC}WithComments`],
  [ENVELOPED, `${C14N}#WithComments`],
  [`${EXC}WithComments`],
];

const parse = (xml: string) => new DOMParser().parseFromString(xml, 'text/xml') as unknown as Document;
const serialize = (node: Node) => new XMLSerializer().serializeToString(node);

/** SignedXml's canonicalize, private in its typings. */
interface Canonicalizing {
  canonicalize(transforms: string[], node: Node, options: object, flags: { discardComments: boolean }): string;
}

/** Every element of the document, in document order. */
function elementsOf(doc: Document): Element[] {
  return Array.from(doc.getElementsByTagName('*')) as Element[];
}

/** A signer of class `Signer` with `signatureXml` loaded; undefined when that class refuses to load it. */
function signer(Signer: typeof SignedXml, signatureXml: string | undefined): Canonicalizing | undefined {
  const s = new Signer({ publicCert: UNTRUSTED_CERT_PEM });
  try {
    if (signatureXml) s.loadSignature(signatureXml);
  } catch {
    return undefined;
  }
  return s as unknown as Canonicalizing;
}

/** A SamlSignedXml with `signatureXml` loaded. */
function loaded(signatureXml: string): Canonicalizing {
  const s = signer(SamlSignedXml, signatureXml);
  if (!s) throw new Error('the signature does not load');
  return s;
}

/** Canonicalizes `element` with `s`; the octets or the refusal. */
function canonical(s: Canonicalizing, element: Element, transforms: string[], prefixes: string[], discardComments: boolean) {
  const options = { inclusiveNamespacesPrefixList: prefixes, ancestorNamespaces: findAncestorNsForElement(element as never) };
  try {
    return { octets: s.canonicalize(transforms, element as never, options, { discardComments }) };
  } catch (e) {
    return { error: (e as Error).message };
  }
}

/** Inputs: issued responses, one with comments and a foreign ds:Signature, one with an inclusive prefix declared above. */
function documents(): string[] {
  const out: string[] = [];
  for (const vendor of VENDORS) {
    const xml = issuedSamlXml(vendor);
    out.push(xml);
    // Every shape as issued; the edited copy for two of them (no prefix, and the ds: prefix with xs inclusive).
    if (vendor !== 'entra' && vendor !== 'okta') continue;
    const doc = parse(xml);
    const assertion = doc.getElementsByTagNameNS('urn:oasis:names:tc:SAML:2.0:assertion', 'Assertion')[0]!;
    assertion.insertBefore(doc.createComment(' a comment inside the assertion '), assertion.firstChild);
    doc.documentElement!.appendChild(doc.createComment(' a comment after it '));
    const foreign = doc.createElementNS(DSIG, 'ds:Signature');
    foreign.appendChild(doc.createElementNS(DSIG, 'ds:SignatureValue')).appendChild(doc.createTextNode('AAAA'));
    assertion.appendChild(foreign);
    doc.documentElement!.setAttributeNS('http://www.w3.org/2000/xmlns/', 'xmlns:xs', 'http://www.w3.org/2001/XMLSchema');
    out.push(serialize(doc));
  }
  return out;
}

describe('SamlSignedXml canonicalizes as xml-crypto SignedXml does', () => {
  it('gives the same octets (or the same refusal) and leaves the document as it was', () => {
    let compared = 0;
    for (const xml of documents()) {
      const [ourDoc, theirDoc] = [parse(xml), parse(xml)];
      const [ourElements, theirElements] = [elementsOf(ourDoc), elementsOf(theirDoc)];
      const signatures = [undefined, ...Array.from(ourDoc.getElementsByTagNameNS(DSIG, 'Signature')).map((s) => serialize(s as Element))];
      for (const signatureXml of signatures) {
        const [ours, theirs] = [signer(SamlSignedXml, signatureXml), signer(SignedXml, signatureXml)];
        expect(ours === undefined).toBe(theirs === undefined);
        if (!ours || !theirs) continue;
        for (const transforms of TRANSFORMS) {
          for (const prefixes of [[], ['xs', 'saml']]) {
            for (let index = compared % 7; index < ourElements.length; index += 7) {
              const discard = index % 2 === 0;
              expect(canonical(ours, ourElements[index]!, transforms, prefixes, discard)).toEqual(canonical(theirs, theirElements[index]!, transforms, prefixes, discard));
              compared++;
            }
            expect(serialize(ourDoc)).toBe(serialize(theirDoc));
          }
        }
      }
      expect(serialize(ourDoc)).toBe(serialize(parse(xml)));
    }
    expect(compared).toBeGreaterThan(1_000);
  });

  it('leaves the Signature out of the octets and puts it back at its place', () => {
    const xml = issuedSamlXml('okta', 'assertion');
    const doc = parse(xml);
    const signature = doc.getElementsByTagNameNS(DSIG, 'Signature')[0]! as Element;
    const assertion = signature.parentNode as Element;
    const next = signature.nextSibling;
    const signer = loaded(serialize(signature));
    const octets = signer.canonicalize([ENVELOPED, EXC], assertion as never, { ancestorNamespaces: findAncestorNsForElement(assertion as never) }, { discardComments: true });
    expect(octets).not.toContain('SignatureValue');
    expect(octets).toContain('NameID');
    expect(signature.parentNode).toBe(assertion);
    expect(signature.nextSibling).toBe(next);
    expect(serialize(doc)).toBe(xml);
  });

  it('puts the Signature back when the canonicalization throws', () => {
    const xml = issuedSamlXml('entra', 'assertion');
    const doc = parse(xml);
    const signature = doc.getElementsByTagNameNS(DSIG, 'Signature')[0]! as Element;
    const assertion = signature.parentNode as Element;
    const signer = loaded(serialize(signature));
    // An ancestor namespace list that is not a list makes the c14n throw midway.
    expect(() => signer.canonicalize([ENVELOPED, C14N], assertion as never, { ancestorNamespaces: 42 }, { discardComments: true })).toThrow();
    expect(signature.parentNode).toBe(assertion);
    expect(serialize(doc)).toBe(xml);
  });

  it('signs an issued response into the same bytes', () => {
    for (const vendor of VENDORS) {
      const doc = parse(issuedSamlXml(vendor));
      for (const s of Array.from(doc.getElementsByTagNameNS(DSIG, 'Signature'))) s.parentNode!.removeChild(s);
      const unsigned = serialize(doc);
      for (const [reference, prefixes] of [["//*[local-name(.)='Assertion']", ['xs']], ["/*[local-name(.)='Response']", []]] as const) {
        const signed = (Signer: typeof SignedXml) => {
          const signer = new Signer({ privateKey: UNTRUSTED_PRIVATE_KEY_PEM, publicCert: UNTRUSTED_CERT_PEM, signatureAlgorithm: 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256', canonicalizationAlgorithm: EXC });
          signer.addReference({ xpath: reference, transforms: [ENVELOPED, EXC], digestAlgorithm: 'http://www.w3.org/2001/04/xmlenc#sha256', inclusiveNamespacesPrefixList: [...prefixes] });
          signer.computeSignature(unsigned, { prefix: 'ds', location: { reference: `${reference}/*[local-name(.)='Issuer']`, action: 'after' } });
          return signer.getSignedXml();
        };
        expect(signed(SamlSignedXml)).toBe(signed(SignedXml));
      }
    }
  });
});
