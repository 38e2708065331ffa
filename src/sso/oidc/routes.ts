// The workspace as an OpenID Connect relying party over HTTP: login (authorization code with
// PKCE S256, state and nonce) and the callback.
import { Hono } from 'hono';
import type { AppEnv } from '../../http/context.js';
import { requireConnection, spValues } from '../connection.js';
import { finishSsoSignIn, refuseProtocol, safeReturnTo } from '../finish.js';
import { OIDC_PENDING_TTL_MS, ssoRuntime } from '../runtime.js';
import { oidcError } from './reasons.js';
// openid-client and jose load with the first OIDC sign-in (docs/performance.md).
const relyingParty = () => import('./relying-party.js');

export function oidcRoutes() {
  const r = new Hono<AppEnv>();

  r.get('/login', async (c) => {
    const ws = c.get('ws');
    const core = c.get('core');
    const connection = requireConnection(ws, 'oidc');
    const runtime = ssoRuntime(core, ws);
    const redirectUri = spValues(new URL(c.req.url).origin, ws.id).oidc.redirectUri;
    const email = c.req.query('email') ?? '';
    let login;
    try {
      const rp = await runtime.relyingParty(connection);
      login = await (await relyingParty()).beginOidcLogin(rp, { email, redirectUri });
    } catch (err) {
      refuseProtocol(c, 'oidc', err, email);
    }
    const returnTo = safeReturnTo(ws.id, c.req.query('returnTo'));
    runtime.rememberOidc({
      state: login.state,
      nonce: login.nonce,
      codeVerifier: login.codeVerifier,
      redirectUri: login.redirectUri,
      ...(returnTo ? { returnTo } : {}),
      expiresAtMs: core.clockFor(ws.id).nowMs() + OIDC_PENDING_TTL_MS,
    });
    return c.redirect(login.url, 302);
  });

  r.get('/callback', async (c) => {
    const ws = c.get('ws');
    const core = c.get('core');
    const connection = requireConnection(ws, 'oidc');
    const runtime = ssoRuntime(core, ws);
    const state = c.req.query('state');
    let identity;
    let pending;
    try {
      pending = runtime.takeOidc(state);
      if (!pending) {
        throw oidcError(
          'oidc_state_mismatch',
          `The callback's state ${state === undefined ? '(none)' : `"${state}"`} matches no sign-in in progress (unknown, used or expired). Start the sign-in again from /w/${ws.id}/sso/oidc/login.`,
          { actual: state ?? null },
        );
      }
      const rp = await runtime.relyingParty(connection);
      identity = await (await relyingParty()).completeOidcLogin(rp, { callbackUrl: c.req.url, pending }, core.clockFor(ws.id));
    } catch (err) {
      refuseProtocol(c, 'oidc', err);
    }
    return finishSsoSignIn(c, 'oidc', identity, { issuer: identity.issuer, sub: identity.sub }, pending.returnTo);
  });

  return r;
}
