// SamlSignedXml (src/sso/saml/signed-xml.ts) against xml-crypto's own SignedXml as the oracle:
// every vendor shape, tampered content and the signature-wrapping cases (a second element with
// the referenced ID under ID, Id, id, a namespaced or a namespace-declaration attribute, a copied
// Signature) get the same verdict, the same refusal and the same signed bytes from both.
import { DOMParser, XMLSerializer, type Document, type Element } from '@xmldom/xmldom';
import { SignedXml } from 'xml-crypto';
import { describe, expect, it } from 'vitest';
import type { SignedParts, Vendor } from '../src/idp/saml/vendor-shapes.js';
import { UNTRUSTED_CERT_PEM } from '../src/idp/saml/untrusted-key.js';
import { SamlSignedXml } from '../src/sso/saml/signed-xml.js';
import { issuedSamlXml } from './support/saml.js';

const DSIG = 'http://www.w3.org/2000/09/xmldsig#';
const ASSERTION = 'urn:oasis:names:tc:SAML:2.0:assertion';


const parse = (xml: string) => new DOMParser().parseFromString(xml, 'text/xml') as unknown as Document;
const serialize = (node: Document | Element) => new XMLSerializer().serializeToString(node);
const assertionOf = (doc: Document) => doc.getElementsByTagNameNS(ASSERTION, 'Assertion')[0]!;

type Outcome = { result: unknown; error?: string; signed: string[]; problems: (string | undefined)[]; xpaths: (string | undefined)[] };

function check(Verifier: typeof SignedXml, xml: string, signatureXml: string): Outcome {
  const verifier = new Verifier({ publicCert: UNTRUSTED_CERT_PEM, getCertFromKeyInfo: () => null });
  let result: unknown;
  let error: string | undefined;
  try {
    verifier.loadSignature(signatureXml);
    result = verifier.checkSignature(xml);
  } catch (e) {
    error = (e as Error).message;
  }
  const refs = verifier.getReferences();
  return { result, ...(error !== undefined ? { error } : {}), signed: verifier.getSignedReferences(), problems: refs.map((r) => r.validationError?.message), xpaths: refs.map((r) => r.xpath) };
}

/** Checks every Signature of the document with both verifiers; returns our outcomes. */
function sameAsXmlCrypto(xml: string): Outcome[] {
  const signatures = Array.from(parse(xml).getElementsByTagNameNS(DSIG, 'Signature')).map((s) => serialize(s as Element));
  expect(signatures.length).toBeGreaterThan(0);
  return signatures.map((signature) => {
    const ours = check(SamlSignedXml, xml, signature);
    expect(ours).toEqual(check(SignedXml, xml, signature));
    return ours;
  });
}

/** The issued response with `edit` applied to its DOM. */
function edited(xml: string, edit: (doc: Document, assertion: Element, id: string) => void): string {
  const doc = parse(xml);
  const assertion = assertionOf(doc);
  edit(doc, assertion, assertion.getAttribute('ID')!);
  return serialize(doc);
}

describe('SamlSignedXml gives the answers of xml-crypto SignedXml', () => {
  for (const vendor of ['entra', 'okta', 'google', 'classlink', 'generic'] as const) {
    it(`verifies a ${vendor} response signed on both levels, with the same signed bytes`, () => {
      const outcomes = sameAsXmlCrypto(issuedSamlXml(vendor));
      expect(outcomes.every((o) => o.result === true && o.signed.length === 1)).toBe(true);
    });
  }

  it('refuses content changed after signing with the same digest message', () => {
    const xml = issuedSamlXml('okta').replace('ada@school.test</', 'admin@school.test</');
    const outcomes = sameAsXmlCrypto(xml);
    expect(outcomes.some((o) => o.result === false && /calculated digest/.test(o.problems[0] ?? ''))).toBe(true);
  });

  const wrappings: [string, (doc: Document, assertion: Element, id: string) => void][] = [
    ['a second element with the same ID', (doc, assertion, id) => {
      const extra = doc.createElementNS(ASSERTION, 'saml:Evil');
      extra.setAttribute('ID', id);
      assertion.parentNode!.appendChild(extra);
    }],
    ['another element with it as Id', (doc, assertion, id) => {
      const extra = doc.createElementNS(ASSERTION, 'saml:Evil');
      extra.setAttribute('Id', id);
      assertion.parentNode!.insertBefore(extra, assertion);
    }],
    ['another element with it as id', (doc, _assertion, id) => {
      const extra = doc.createElementNS(ASSERTION, 'saml:Evil');
      extra.setAttribute('id', id);
      doc.documentElement!.appendChild(extra);
    }],
    ['the same element carrying it as ID and as Id', (_doc, assertion, id) => {
      assertion.setAttribute('Id', id);
    }],
    ['a namespaced x:ID attribute elsewhere', (_doc, _assertion, id) => {
      const issuer = _doc.getElementsByTagNameNS(ASSERTION, 'Issuer')[0]!;
      issuer.setAttributeNS('urn:evil', 'x:ID', id);
    }],
    ['the signed element itself carrying it again as x:ID (one element: accepted)', (_doc, assertion, id) => {
      assertion.setAttributeNS('urn:evil', 'x:ID', id);
    }],
    ['a namespace declaration xmlns:ID naming it', (doc, _assertion, id) => {
      doc.documentElement!.setAttributeNS('http://www.w3.org/2000/xmlns/', 'xmlns:ID', id);
    }],
    ['the assertion under another ID (the reference finds nothing)', (_doc, assertion, id) => {
      assertion.setAttribute('ID', `${id}-moved`);
    }],
    ['a copy of a Signature elsewhere (same SignatureValue)', (doc, assertion) => {
      const signature = assertion.getElementsByTagNameNS(DSIG, 'Signature')[0]!;
      const holder = doc.createElementNS(ASSERTION, 'saml:Advice');
      holder.appendChild(signature.cloneNode(true));
      assertion.appendChild(holder);
    }],
    ['an unsigned copy of the assertion under another ID before it', (_doc, assertion, id) => {
      const copy = assertion.cloneNode(true) as Element;
      for (const s of Array.from(copy.getElementsByTagNameNS(DSIG, 'Signature'))) s.parentNode!.removeChild(s);
      copy.setAttribute('ID', `${id}-evil`);
      assertion.parentNode!.insertBefore(copy, assertion);
    }],
  ];
  for (const [name, edit] of wrappings) {
    it(`signature wrapping: ${name}`, () => {
      for (const sign of ['assertion', 'both'] as const) sameAsXmlCrypto(edited(issuedSamlXml('entra', sign), edit));
    });
  }

  it('refuses the duplicate ID with xml-crypto\'s own message', () => {
    const wrapping = (name: string) => wrappings.find(([n]) => n.startsWith(name))![1];
    const outcomes = sameAsXmlCrypto(edited(issuedSamlXml('generic', 'assertion'), wrapping('another element with it as Id')));
    expect(outcomes[0]!.error).toMatch(/multiple elements with the same value for the ID/);
    const copied = sameAsXmlCrypto(edited(issuedSamlXml('generic', 'assertion'), wrapping('a copy of a Signature')));
    expect(copied.some((o) => /multiple Signature elements with the same SignatureValue/.test(o.error ?? ''))).toBe(true);
  });

  it('a verifier checking again publishes what each successful check authenticated, as xml-crypto does', () => {
    const xml = issuedSamlXml('okta');
    const tampered = xml.replace('ada@school.test</', 'admin@school.test</');
    const signature = serialize(parse(xml).getElementsByTagNameNS(DSIG, 'Signature')[0] as Element);
    const run = (Verifier: typeof SignedXml) => {
      const verifier = new Verifier({ publicCert: UNTRUSTED_CERT_PEM, getCertFromKeyInfo: () => null });
      verifier.loadSignature(signature);
      const steps: unknown[] = [];
      for (const text of [xml, xml, tampered, xml]) {
        let result: unknown;
        try {
          result = verifier.checkSignature(text);
        } catch (e) {
          result = (e as Error).message;
        }
        steps.push({ result, signed: verifier.getSignedReferences() });
      }
      return steps;
    };
    const ours = run(SamlSignedXml);
    expect(ours).toEqual(run(SignedXml));
    // Two successes publish two; a failed check hides everything before it.
    expect((ours as { signed: string[] }[]).map((step) => step.signed.length)).toEqual([1, 2, 0, 1]);
  });

  it('a Reference URI with a quote, and an empty one, stay xml-crypto\'s own paths', () => {
    const xml = issuedSamlXml('generic', 'assertion');
    const id = assertionOf(parse(xml)).getAttribute('ID')!;
    sameAsXmlCrypto(xml.replaceAll(`URI="#${id}"`, `URI="#${id}'x"`));
    sameAsXmlCrypto(xml.replaceAll(`URI="#${id}"`, 'URI=""'));
  });
});
