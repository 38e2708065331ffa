// The SAML and OpenID Connect rules (docs/conformance.md §3): what one sign-in response at the ACS
// or the OIDC callback says about the IdP. Never quotes an assertion, a token or a signature value.
import type { NewFinding } from './findings.js';
import { RULES_BY_ID } from './rules.js';

export interface SsoObservation {
  protocol: 'saml' | 'oidc';
  method: string;
  path: string;
  status: number;
  at: string;
  error?: { code: string; message: string; details?: Record<string, unknown> };
  /** The SAML response's XML (decoded), when one was posted. */
  samlXml?: string;
}

const SHA1 = /Algorithm="http:\/\/www\.w3\.org\/2000\/09\/xmldsig#(?:rsa-sha1|sha1)"/;

// Error messages may name values from the response: long opaque runs (tokens, digests) are cut.
const scrub = (text: string) => {
  const cut = text.replace(/[A-Za-z0-9+/=_.-]{32,}/g, '[…]');
  return cut.length > 300 ? `${cut.slice(0, 297)}...` : cut;
};

export function ssoFindings(o: SsoObservation): NewFinding[] {
  const request = { method: o.method, path: o.path, at: o.at, status: o.status };
  const out: NewFinding[] = [];
  const add = (rule: string, outcome: NewFinding['outcome'], message: string) => {
    const impact = RULES_BY_ID.get(rule)?.impact;
    out.push({ rule, outcome, message, ...(impact !== undefined ? { impact } : {}), request });
  };
  const code = o.error?.code;
  if (code !== undefined && code.startsWith(`${o.protocol}_`)) {
    const said = `${o.status} ${code}: ${scrub(o.error!.message)}`;
    if (code === 'saml_weak_algorithm') add('saml.signature.sha1', 'refused', said);
    else if (code === 'oidc_nonce_mismatch') {
      const missing = o.error!.details?.actual === undefined || o.error!.details.actual === null;
      add('oidc.id_token.nonce_missing', 'refused', `${o.status} ${code}: the ID token ${missing ? 'carries no nonce' : "carries another sign-in's nonce"}.`);
    } else add(o.protocol === 'saml' ? 'saml.response.refused' : 'oidc.response.refused', 'refused', said);
    return out;
  }
  // Passed every SAML check (a sign-in policy may still refuse the person: not the IdP's doing).
  if (o.protocol === 'saml' && o.samlXml !== undefined && SHA1.test(o.samlXml)) {
    add('saml.signature.sha1', 'observed', 'The response was signed or digested with SHA-1 and passed only because the connection allows SHA-1.');
  }
  return out;
}
