// The end of every SSO sign-in, whatever the protocol: a refusal answered with its reason (JSON,
// or a page for browsers), or a session and a redirect to where the user was going.
import type { AppContext } from '../http/context.js';
import { EmulatorError } from '../errors.js';
import { recordRefusal, performSignIn, refusalMessage } from '../signin/sign-in.js';
import { startSession } from '../signin/routes.js';

export interface SsoIdentity {
  email: string;
  givenName?: string;
  familyName?: string;
  displayName?: string;
}

/** Only a path inside this workspace is a place to send the user back to. */
export function safeReturnTo(wsId: string, value: string | undefined | null): string | undefined {
  if (!value || !value.startsWith(`/w/${wsId}/`) || value.startsWith('//') || /[\\\r\n]/.test(value)) return undefined;
  return value;
}

/** Records and rethrows a protocol refusal (`saml_…`/`oidc_…`) so it is answered with its reason. */
export function refuseProtocol(c: AppContext, protocol: 'saml' | 'oidc', err: unknown, email = ''): never {
  if (err instanceof EmulatorError) {
    recordRefusal(c.get('core'), c.get('ws'), { method: 'sso', email, detail: { protocol } }, err.code, err.message);
  }
  throw err;
}

/** Runs the sign-in policy for a verified SSO identity and answers the browser. */
export function finishSsoSignIn(c: AppContext, protocol: 'saml' | 'oidc', identity: SsoIdentity, detail: Record<string, unknown>, returnTo?: string) {
  const ws = c.get('ws');
  const result = performSignIn(c.get('core'), ws, {
    method: 'sso',
    email: identity.email,
    ...(identity.givenName !== undefined ? { givenName: identity.givenName } : {}),
    ...(identity.familyName !== undefined ? { familyName: identity.familyName } : {}),
    ...(identity.displayName !== undefined ? { displayName: identity.displayName } : {}),
    detail: { protocol, ...detail },
  });
  if (result.outcome === 'denied') {
    throw new EmulatorError({
      code: result.reason,
      status: 403,
      message: refusalMessage(result.reason),
      details: { outcome: 'denied', reason: result.reason, email: identity.email },
    });
  }
  startSession(c, result.member, `sso:${protocol}`);
  return c.redirect(safeReturnTo(ws.id, returnTo) ?? `/w/${ws.id}/me`, 302);
}
