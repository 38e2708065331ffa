// Domain names as the workspace accepts them: case-insensitive, stored in lower case, punycode
// for internationalised names; no IP literals, no single labels (RFC 1035 §2.3.4 limits).
import { domainToASCII } from 'node:url';
import { isIP } from 'node:net';
import { badRequest } from '../errors.js';

const LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
// DNS owner names in the simulated zone may carry underscore labels (`_dmarc`, `_acme-challenge`).
const ZONE_LABEL = /^(?:[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?)$/;

function invalid(input: string, why: string) {
  return badRequest(
    'invalid_domain',
    `"${input}" is not a domain the workspace can verify: ${why}. Send a registered domain name such as "springfield.k12.us".`,
  );
}

/**
 * The comparison form of a domain (e.g. of an email address): lower-case ASCII, internationalised
 * names in punycode after NFC, as verified domains are stored; the lower-cased NFC text when it
 * is no valid domain name.
 */
export function domainKey(name: string): string {
  const bare = name.trim().replace(/\.$/, '');
  if (/^[\x00-\x7f]*$/.test(bare)) return bare.toLowerCase();
  const nfc = bare.normalize('NFC');
  return domainToASCII(nfc) || nfc.toLowerCase();
}

/** Normalises a domain an admin adds: lower case, no trailing dot, punycode; throws `invalid_domain`. */
export function normalizeDomainName(input: unknown): string {
  if (typeof input !== 'string') {
    throw badRequest('invalid_domain', `"domain" must be a string such as "springfield.k12.us", got ${JSON.stringify(input)}.`);
  }
  const raw = input.trim();
  if (raw === '') throw invalid(input, 'it is empty');
  const bare = raw.endsWith('.') ? raw.slice(0, -1) : raw;
  if (isIP(bare) || /^\[.*\]$/.test(bare)) throw invalid(input, 'IP addresses cannot be verified, only domain names');
  if (/[\s/@:?#]/.test(raw)) throw invalid(input, 'a domain has no spaces, scheme, path, port or "@"');
  const ascii = /^[\x00-\x7f]*$/.test(bare) ? bare.toLowerCase() : domainToASCII(bare);
  if (ascii === '') throw invalid(input, 'it is not a valid internationalised domain name');
  if (ascii.length > 253) throw invalid(input, `it is ${ascii.length} characters long, the limit is 253`);
  const labels = ascii.split('.');
  if (labels.length < 2) throw invalid(input, 'a single label is not a public domain');
  for (const label of labels) {
    if (label === '') throw invalid(input, 'it has an empty label (two dots in a row)');
    if (label.length > 63) throw invalid(input, `the label "${label.slice(0, 20)}…" is ${label.length} characters, the limit is 63`);
    if (!LABEL.test(label)) {
      throw invalid(input, `the label "${label}" may only hold letters, digits and inner hyphens`);
    }
  }
  if (/^\d+$/.test(labels[labels.length - 1]!)) throw invalid(input, 'the top-level label cannot be all digits');
  return ascii;
}

/** Normalises an owner name in the simulated DNS zone; looser than an admin's domain (allows `_x`). */
export function normalizeZoneName(input: string): string {
  let name = input.trim().toLowerCase();
  if (name.endsWith('.')) name = name.slice(0, -1);
  const labels = name.split('.');
  if (name === '' || name.length > 253 || labels.some((l) => l.length > 63 || !ZONE_LABEL.test(l) || l === '__proto__')) {
    throw badRequest(
      'invalid_dns_name',
      `"${input}" is not a DNS name: use labels of letters, digits, hyphens or underscores joined by dots, e.g. "springfield.k12.us".`,
    );
  }
  return name;
}
