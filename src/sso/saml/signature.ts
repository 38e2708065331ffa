// Verification of one enveloped XML signature (XML-DSig core §3.2) against the configured IdP
// certificates only, with an algorithm allow-list, and classification of failures into
// `saml_unsigned`/`saml_weak_algorithm`/`saml_bad_signature`/`saml_untrusted_cert`.

import { XMLSerializer, type Element } from '@xmldom/xmldom';
import { certificateFingerprint, publicKeyFingerprint, toCertificatePem } from './certificates.js';
import { samlError } from './reasons.js';
import { SamlSignedXml } from './signed-xml.js';
import { NS, attr, child, childElements, isNamed, parseXml, text } from './saml-xml.js';

export const SIGNATURE_ALGORITHMS = {
  rsaSha1: 'http://www.w3.org/2000/09/xmldsig#rsa-sha1',
  rsaSha256: 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256',
  rsaSha512: 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha512',
} as const;

export const DIGEST_ALGORITHMS = {
  sha1: 'http://www.w3.org/2000/09/xmldsig#sha1',
  sha256: 'http://www.w3.org/2001/04/xmlenc#sha256',
  sha512: 'http://www.w3.org/2001/04/xmlenc#sha512',
} as const;

/** How to accept SHA-1 when the IdP cannot do better, said in every SHA-1 refusal. */
const SHA1_HINT =
  ' If the IdP cannot (older district IdPs, pysaml2 defaults), allow SHA-1 for this connection: send "allowSha1": true with the SSO configuration (PUT /w/{ws}/api/sso); the readiness report warns while it is on.';

const ALLOWED_TRANSFORMS = new Set([
  'http://www.w3.org/2000/09/xmldsig#enveloped-signature',
  'http://www.w3.org/2001/10/xml-exc-c14n#',
  'http://www.w3.org/2001/10/xml-exc-c14n#WithComments',
  'http://www.w3.org/TR/2001/REC-xml-c14n-20010315',
  'http://www.w3.org/TR/2001/REC-xml-c14n-20010315#WithComments',
]);

export interface VerifiedElement {
  /** The signed element, re-parsed from the canonical bytes the signature covers. */
  element: Element;
  /** SignatureMethod algorithm URI. */
  algorithm: string;
  /** Index of the configured certificate that verified it. */
  certificateIndex: number;
}

/**
 * Verifies the enveloped `signature` of `signed` (a Response or Assertion) within `fullXml`.
 * Only the configured `certificates` are tried; a KeyInfo certificate in the message is read only
 * to explain a failure, never to verify. The returned element is rebuilt from the bytes the
 * signature covers, so what callers read is exactly what was signed (defeats signature wrapping).
 */
export function verifyEnvelopedSignature(
  fullXml: string,
  signed: Element,
  signature: Element,
  certificates: readonly string[],
  options: { allowSha1: boolean; what: 'Response' | 'Assertion' },
): VerifiedElement {
  const { what } = options;
  const signedInfo = child(signature, NS.ds, 'SignedInfo');
  if (!signedInfo) throw badSignature(what, 'the Signature has no SignedInfo');

  const method = child(signedInfo, NS.ds, 'SignatureMethod');
  const algorithm = method ? (attr(method, 'Algorithm') ?? '') : '';
  const allowedSig: string[] = [SIGNATURE_ALGORITHMS.rsaSha256, SIGNATURE_ALGORITHMS.rsaSha512];
  if (options.allowSha1) allowedSig.push(SIGNATURE_ALGORITHMS.rsaSha1);
  if (!allowedSig.includes(algorithm)) {
    throw samlError(
      'saml_weak_algorithm',
      `The ${what} is signed with ${algorithm || '(no algorithm)'}, which is not accepted; expected one of ${allowedSig.join(', ')}. Set the IdP's signing algorithm to RSA-SHA256.${algorithm === SIGNATURE_ALGORITHMS.rsaSha1 ? SHA1_HINT : ''}`,
      { element: what, expected: allowedSig, actual: algorithm },
    );
  }

  // One Reference, pointing at the element that envelops the signature (SAML core §5.4.2).
  const references = childElements(signedInfo, NS.ds, 'Reference');
  const id = attr(signed, 'ID');
  if (references.length !== 1 || !id) {
    throw badSignature(what, `the signature must carry exactly one Reference to the signed ${what} (found ${references.length})`);
  }
  const reference = references[0]!;
  const uri = attr(reference, 'URI') ?? '';
  if (uri !== `#${id}`) {
    throw badSignature(what, `the signature Reference URI is "${uri}" but the enclosing ${what} has ID "${id}"`);
  }
  const digest = child(reference, NS.ds, 'DigestMethod');
  const digestAlgorithm = digest ? (attr(digest, 'Algorithm') ?? '') : '';
  const allowedDigest: string[] = [DIGEST_ALGORITHMS.sha256, DIGEST_ALGORITHMS.sha512];
  if (options.allowSha1) allowedDigest.push(DIGEST_ALGORITHMS.sha1);
  if (!allowedDigest.includes(digestAlgorithm)) {
    throw samlError(
      'saml_weak_algorithm',
      `The ${what} signature digests with ${digestAlgorithm || '(no algorithm)'}, which is not accepted; expected one of ${allowedDigest.join(', ')}. Set the IdP's digest algorithm to SHA-256.${digestAlgorithm === DIGEST_ALGORITHMS.sha1 ? SHA1_HINT : ''}`,
      { element: what, expected: allowedDigest, actual: digestAlgorithm },
    );
  }
  const transforms = child(reference, NS.ds, 'Transforms');
  for (const t of transforms ? childElements(transforms, NS.ds, 'Transform') : []) {
    const alg = attr(t, 'Algorithm') ?? '';
    if (!ALLOWED_TRANSFORMS.has(alg)) throw badSignature(what, `the signature uses the unsupported transform ${alg}`);
  }

  const signatureXml = new XMLSerializer().serializeToString(signature);
  const trusted = certificates.map((c) => toCertificatePem(c)).filter((c): c is string => c !== null);
  let lastProblem = 'the signature value does not verify';
  for (const [index, cert] of trusted.entries()) {
    const verifier = new SamlSignedXml({ publicCert: cert, getCertFromKeyInfo: () => null });
    try {
      verifier.loadSignature(signatureXml);
      if (!verifier.checkSignature(fullXml)) {
        lastProblem = 'the digest of the signed content does not match: it was changed after signing';
        continue;
      }
    } catch (err) {
      lastProblem = err instanceof Error ? err.message : String(err);
      continue;
    }
    const signedRefs = verifier.getSignedReferences();
    const canonical = signedRefs.length === 1 ? signedRefs[0]! : undefined;
    const doc = canonical === undefined ? undefined : parseXml(canonical);
    const root = doc && typeof doc !== 'string' ? doc.documentElement : null;
    const ns = what === 'Response' ? NS.protocol : NS.assertion;
    if (!root || !isNamed(root, ns, what) || attr(root, 'ID') !== id) {
      throw badSignature(what, `the signature does not cover the ${what} it is enclosed in`);
    }
    return { element: root, algorithm, certificateIndex: index };
  }

  // Nothing verified: explain with the certificate the message claims, without trusting it.
  const embeddedNode = signature.getElementsByTagNameNS(NS.ds, 'X509Certificate')[0];
  const embedded = embeddedNode ? toCertificatePem(text(embeddedNode)) : null;
  if (embedded) {
    const embeddedKey = publicKeyFingerprint(embedded);
    const configuredKeys = trusted.map(publicKeyFingerprint);
    if (!configuredKeys.includes(embeddedKey)) {
      throw samlError(
        'saml_untrusted_cert',
        `The ${what} is signed by a certificate that is not configured for this IdP (SHA-256 fingerprint ${certificateFingerprint(embedded)}); configured: ${trusted.map(certificateFingerprint).join(', ') || 'none'}. Upload the IdP's current signing certificate (or its new metadata) to the SSO configuration, or make the IdP sign with the configured one.`,
        {
          element: what,
          expected: trusted.map(certificateFingerprint),
          actual: certificateFingerprint(embedded),
        },
      );
    }
  }
  throw badSignature(what, lastProblem);
}

function badSignature(what: string, problem: string) {
  return samlError(
    'saml_bad_signature',
    `The ${what} signature does not verify against the configured IdP certificates: ${problem}. Check that the message is not altered in transit and that the SSO configuration holds the IdP's signing certificate.`,
    { element: what, problem },
  );
}
