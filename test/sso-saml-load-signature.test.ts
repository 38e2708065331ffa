// SamlSignedXml's loadSignature (src/sso/saml/signed-xml.ts) against xml-crypto's own as the
// oracle: for issued signatures and for odd ones (algorithms missing, doubled or namespaced,
// CDATA or split SignatureValues, several KeyInfos, no Reference, two SignedInfos) both load the
// same algorithms, value, KeyInfo and references, or refuse with the same message.
import { DOMParser, XMLSerializer, type Element } from '@xmldom/xmldom';
import { SignedXml } from 'xml-crypto';
import { describe, expect, it } from 'vitest';
import type { Vendor } from '../src/idp/saml/vendor-shapes.js';
import { UNTRUSTED_CERT_PEM } from '../src/idp/saml/untrusted-key.js';
import { SamlSignedXml } from '../src/sso/saml/signed-xml.js';
import { issuedSamlXml } from './support/saml.js';

const DSIG = 'http://www.w3.org/2000/09/xmldsig#';

function signaturesOf(vendor: Vendor): string[] {
  const doc = new DOMParser().parseFromString(issuedSamlXml(vendor), 'text/xml');
  return Array.from(doc.getElementsByTagNameNS(DSIG, 'Signature')).map((s) => new XMLSerializer().serializeToString(s as Element));
}

/** What loadSignature leaves in the verifier (or its refusal). */
function loaded(Verifier: typeof SignedXml, signature: string) {
  const verifier = new Verifier({ publicCert: UNTRUSTED_CERT_PEM, getCertFromKeyInfo: () => null });
  let error: string | undefined;
  try {
    verifier.loadSignature(signature);
  } catch (e) {
    error = (e as Error).message;
  }
  const v = verifier as unknown as Record<string, unknown>;
  return {
    error,
    canonicalizationAlgorithm: v.canonicalizationAlgorithm,
    signatureAlgorithm: v.signatureAlgorithm,
    signatureValue: v.signatureValue,
    signatureXml: v.signatureXml,
    keyInfo: v.keyInfo == null ? v.keyInfo : String(v.keyInfo),
    references: verifier.getReferences().map(({ getValidatedNode: _, ...ref }) => ref),
  };
}

function sameAsXmlCrypto(signature: string) {
  const ours = loaded(SamlSignedXml, signature);
  expect(ours).toEqual(loaded(SignedXml, signature));
  return ours;
}

describe('SamlSignedXml.loadSignature gives the answers of xml-crypto SignedXml', () => {
  for (const vendor of ['entra', 'okta', 'google', 'classlink', 'generic'] as const) {
    it(`loads a ${vendor} response's signatures the same`, () => {
      for (const signature of signaturesOf(vendor)) {
        const ours = sameAsXmlCrypto(signature);
        expect(ours.error).toBeUndefined();
        expect(ours.references).toHaveLength(1);
        expect(ours.signatureValue).not.toBe('');
      }
    });
  }

  const [signature] = signaturesOf('okta');
  const sig = signature!;
  const prefix = /^<(\w+):Signature/.exec(sig)?.[1] ?? 'ds';
  const p = (name: string) => `${prefix}:${name}`;
  const value = new RegExp(`<${p('SignatureValue')}>([^<]*)</${p('SignatureValue')}>`);
  const odd: [string, string][] = [
    ['no CanonicalizationMethod', sig.replace(new RegExp(`<${p('CanonicalizationMethod')}[^>]*/>`), '')],
    ['a CanonicalizationMethod without Algorithm, a later one with it', sig
      .replace(new RegExp(`<${p('CanonicalizationMethod')} Algorithm="[^"]*"`), `<${p('CanonicalizationMethod')}`)
      .replace(`</${p('Signature')}>`, `<${p('Object')}><${p('CanonicalizationMethod')} Algorithm="http://www.w3.org/2001/10/xml-exc-c14n#"/></${p('Object')}></${p('Signature')}>`)],
    ['a namespaced x:Algorithm only', sig.replace(new RegExp(`<${p('CanonicalizationMethod')} Algorithm=`), `<${p('CanonicalizationMethod')} xmlns:x="urn:x" x:Algorithm=`)],
    ['inclusive c14n named for SignedInfo', sig.replace(/xml-exc-c14n#"/, 'REC-xml-c14n-20010315"').replace('http://www.w3.org/2001/10/REC-xml-c14n-20010315', 'http://www.w3.org/TR/2001/REC-xml-c14n-20010315')],
    ['a SignatureMethod without Algorithm', sig.replace(new RegExp(`(<${p('SignatureMethod')}) Algorithm="[^"]*"`), '$1')],
    ['a SignatureValue in CDATA', sig.replace(value, (_m, v: string) => `<${p('SignatureValue')}><![CDATA[${v}]]></${p('SignatureValue')}>`)],
    ['a SignatureValue after a comment, with line breaks', sig.replace(value, (_m, v: string) => `<${p('SignatureValue')}><!--c-->${v.slice(0, 10)}\r\n${v.slice(10)}</${p('SignatureValue')}>`)],
    ['a SignatureValue with an element before its text', sig.replace(value, (_m, v: string) => `<${p('SignatureValue')}><${p('SignatureValue')}>inner</${p('SignatureValue')}>${v}</${p('SignatureValue')}>`)],
    ['an empty SignatureValue, then another', sig.replace(value, `<${p('SignatureValue')}/>`).replace(`</${p('Signature')}>`, `<${p('SignatureValue')}>later</${p('SignatureValue')}></${p('Signature')}>`)],
    ['no KeyInfo', sig.replace(new RegExp(`<${p('KeyInfo')}>.*</${p('KeyInfo')}>`), '')],
    ['a second KeyInfo before the first', sig.replace(new RegExp(`<${p('SignatureValue')}>`), `<x:KeyInfo xmlns:x="urn:x">second</x:KeyInfo><${p('SignatureValue')}>`)],
    ['no Reference', sig.replace(new RegExp(`<${p('Reference')}.*</${p('Reference')}>`), '')],
    ['two SignedInfos', sig.replace(new RegExp(`(<${p('SignedInfo')}>.*</${p('SignedInfo')}>)`), '$1$1')],
    ['not XML', 'not xml at all'],
  ];
  for (const [name, variant] of odd) {
    it(`an odd signature: ${name}`, () => {
      expect(variant).not.toBe(sig);
      sameAsXmlCrypto(variant);
    });
  }
});
