// Which URLs the relying party may talk to: https everywhere, plain http only to loopback hosts
// (127.0.0.0/8, ::1, localhost) so that local providers and tests work without certificates.
import { EmulatorError } from '../../errors.js';

/** True when the host is a loopback host: `localhost`, an address in 127.0.0.0/8, or `::1`. */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.toLowerCase().replace(/\.$/, '');
  if (host === 'localhost') return true;
  if (host === '[::1]' || host === '::1') return true;
  // WHATWG URL parsing already normalises short forms such as `127.1` to dotted quads.
  return /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}

/** True when plain http may be used for this URL (a loopback host). */
export function allowsPlainHttp(url: URL): boolean {
  return url.protocol === 'http:' && isLoopbackHost(url.hostname);
}

/**
 * Parses and checks an issuer identifier. OIDC Discovery §2: an https URL without query or
 * fragment; http is accepted for loopback hosts only. Throws `oidc_invalid_issuer` (400) or
 * `oidc_insecure_issuer` (400).
 */
export function parseIssuer(issuer: string): URL {
  let url: URL;
  try {
    url = new URL(issuer);
  } catch {
    throw new EmulatorError({
      code: 'oidc_invalid_issuer',
      status: 400,
      message: `OIDC issuer "${issuer}" is not an absolute URL; use the provider's issuer identifier, e.g. https://login.example.com.`,
    });
  }
  if (url.search || url.hash) {
    throw new EmulatorError({
      code: 'oidc_invalid_issuer',
      status: 400,
      message: `OIDC issuer "${issuer}" has a query or fragment; an issuer identifier is scheme, host and optional path only (OIDC Discovery §2).`,
    });
  }
  assertSecureEndpoint('issuer', url);
  return url;
}

/**
 * Refuses a provider URL that is neither https nor http on a loopback host
 * (`oidc_insecure_issuer`, 400). `what` names the URL in the message (`issuer`, `token_endpoint`…).
 */
export function assertSecureEndpoint(what: string, url: URL): void {
  if (url.protocol === 'https:' || allowsPlainHttp(url)) return;
  const hint =
    url.protocol === 'http:'
      ? `plain http is accepted only for loopback hosts (127.0.0.0/8, ::1, localhost); serve the provider over https, e.g. ${url.href.replace(/^http:/, 'https:')}`
      : 'use an https URL';
  throw new EmulatorError({
    code: 'oidc_insecure_issuer',
    status: 400,
    message: `OIDC ${what} ${url.href} is not allowed: ${hint}.`,
    details: { url: url.href },
  });
}
