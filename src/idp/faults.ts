// Which fault a sign-in at the mock IdP carries, pure: asked for by the request, armed for the
// next sign-in, or set for the user; each named fault checked against the protocol's own list.
import { badRequest } from '../errors.js';
import type { IdpState } from '../store/state.js';
import { MOCK_OIDC_FAULTS, parseMockOidcFault, type MockOidcFault } from './oidc/faults.js';
import { SAML_FAULTS, type SamlFault } from './saml/issue-response.js';

export type SignInProtocol = 'saml' | 'oidc';

/** Every fault name the IdP knows, with the reason a correct SP/RP refuses it with, per protocol. */
export const IDP_FAULTS = { saml: SAML_FAULTS, oidc: MOCK_OIDC_FAULTS } as const;

/** The fault of a protocol a name stands for (`none`/empty: none), or null when it has none. */
export function faultFor(protocol: 'saml', name: string | undefined): SamlFault | undefined | null;
export function faultFor(protocol: 'oidc', name: string | undefined): MockOidcFault | undefined | null;
export function faultFor(protocol: SignInProtocol, name: string | undefined): SamlFault | MockOidcFault | undefined | null;
export function faultFor(protocol: SignInProtocol, name: string | undefined): SamlFault | MockOidcFault | undefined | null {
  if (name === undefined || name === '' || name === 'none') return undefined;
  if (protocol === 'saml') return Object.hasOwn(SAML_FAULTS, name) ? (name as SamlFault) : null;
  return parseMockOidcFault(name);
}

/** Throws 400 `idp_unknown_fault` unless the name is a fault of some protocol (or `none`). */
export function checkFaultName(name: string): string {
  if (faultFor('saml', name) !== null || faultFor('oidc', name) !== null) return name;
  throw badRequest(
    'idp_unknown_fault',
    `"${name}" is not a fault of the mock IdP. SAML faults: ${Object.keys(SAML_FAULTS).join(', ')}. OIDC faults: ${Object.keys(MOCK_OIDC_FAULTS).join(', ')}, and the alias unsigned (alg_none). Use "none" for no fault.`,
  );
}

/** Throws 400 `idp_unknown_fault` when a fault asked for by a request does not exist for its protocol. */
export function requestedFault(protocol: SignInProtocol, name: string | undefined): string | undefined {
  if (name === undefined) return undefined;
  if (faultFor(protocol, name) === null) {
    const list = Object.keys(IDP_FAULTS[protocol]).join(', ');
    throw badRequest('idp_unknown_fault', `"${name}" is not a ${protocol.toUpperCase()} fault of the mock IdP; use one of ${list}, or "none".`);
  }
  return name;
}

export interface ChosenFault<F> {
  fault: F | undefined;
  source?: 'request' | 'next' | 'user';
}

/**
 * The fault of one sign-in: the request's own (`none` means none, whatever is armed), else the
 * armed next fault (consumed), else the user's. An armed fault that does not exist for this
 * protocol is left for a sign-in where it does.
 */
export function chooseFault(idp: IdpState, protocol: 'saml', email: string, requested?: string): ChosenFault<SamlFault>;
export function chooseFault(idp: IdpState, protocol: 'oidc', email: string, requested?: string): ChosenFault<MockOidcFault>;
export function chooseFault(idp: IdpState, protocol: SignInProtocol, email: string, requested?: string): ChosenFault<SamlFault | MockOidcFault> {
  if (requested !== undefined) {
    const fault = faultFor(protocol, requested);
    return fault ? { fault, source: 'request' } : { fault: undefined };
  }
  const next = idp.faults.next;
  if (next !== undefined) {
    const fault = faultFor(protocol, next);
    if (fault !== null) {
      delete idp.faults.next;
      return fault ? { fault, source: 'next' } : { fault: undefined };
    }
  }
  const own = idp.faults.users[email.toLowerCase()];
  const fault = own === undefined ? null : faultFor(protocol, own);
  return fault ? { fault, source: 'user' } : { fault: undefined };
}
