// The workspace as a SAML 2.0 service provider over HTTP: metadata, SP-initiated login
// (HTTP-Redirect AuthnRequest) and the ACS (HTTP-POST binding).
import { Hono } from 'hono';
import { badRequest } from '../../errors.js';
import type { AppEnv } from '../../http/context.js';
import { authnRequestBinding, requireConnection, spValues } from '../connection.js';
import { finishSsoSignIn, refuseProtocol, safeReturnTo } from '../finish.js';
import { ssoRuntime } from '../runtime.js';
import { mapIdentity } from './attribute-map.js';
import { startLoadingSaml } from './warm-up.js';

// samlify, xml-crypto and xmldom load with the first SAML request, not with the emulator
// (docs/performance.md).
const authnRequests = () => import('./authn-request.js');

export function samlRoutes() {
  const r = new Hono<AppEnv>();

  r.get('/metadata', async (c) => {
    const sp = spValues(new URL(c.req.url).origin, c.get('ws').id).saml;
    const { buildSpMetadata } = await import('./sp-metadata.js');
    return c.body(buildSpMetadata({ entityId: sp.entityId, acsUrl: sp.acsUrl }), 200, { 'Content-Type': 'application/samlmetadata+xml' });
  });

  r.get('/login', async (c) => {
    const ws = c.get('ws');
    const core = c.get('core');
    const connection = requireConnection(ws, 'saml');
    const sp = spValues(new URL(c.req.url).origin, ws.id).saml;
    const email = c.req.query('email');
    const relayState = c.req.query('relayState') ?? c.req.query('RelayState');
    if (relayState !== undefined && Buffer.byteLength(relayState) > 80) {
      throw badRequest('invalid_relay_state', 'relayState is limited to 80 bytes (SAML bindings §3.4.3); send a shorter path.');
    }
    startLoadingSaml();
    const { createAuthnRequest, createAuthnRequestPost, renderAuthnRequestForm } = await authnRequests();
    const options = {
      sp,
      idp: { ssoUrl: connection.idp.ssoUrl },
      clock: core.clockFor(ws.id),
      ...(relayState !== undefined ? { relayState } : {}),
      ...(email ? { subject: email } : {}),
    };
    const binding = authnRequestBinding(connection);
    // An IdP whose metadata offers only HTTP-POST refuses a redirected request: post it instead.
    const request = binding === 'post' ? createAuthnRequestPost(options) : createAuthnRequest(options);
    ssoRuntime(core, ws).samlRequests.remember(request.id);
    core.record(ws, 'sso.saml.request_sent', 'anonymous', { requestId: request.id, binding, ...(email ? { email } : {}) });
    if ('url' in request) return c.redirect(request.url, 302);
    return c.html(renderAuthnRequestForm(request), 200, { 'Cache-Control': 'no-store' });
  });

  r.post('/acs', async (c) => {
    const ws = c.get('ws');
    const core = c.get('core');
    const connection = requireConnection(ws, 'saml');
    const form = await c.req.parseBody().catch(() => ({}) as Record<string, unknown>);
    const samlResponse = form.SAMLResponse;
    if (typeof samlResponse !== 'string' || samlResponse === '') {
      throw badRequest('saml_missing_response', 'POST the IdP\'s SAMLResponse as an application/x-www-form-urlencoded field named "SAMLResponse" (HTTP-POST binding).');
    }
    const relayState = typeof form.RelayState === 'string' ? form.RelayState : undefined;
    const runtime = ssoRuntime(core, ws);
    const sp = spValues(new URL(c.req.url).origin, ws.id).saml;
    const { validateSamlResponse } = await import('./validate-response.js');
    let identity;
    try {
      identity = await validateSamlResponse(samlResponse, {
        sp,
        idp: { entityId: connection.idp.entityId, certificates: connection.idp.certificates },
        clock: core.clockFor(ws.id),
        requests: runtime.samlRequests,
        replayCache: runtime.samlReplay,
        allowIdpInitiated: connection.allowIdpInitiated,
        requireSignedAssertion: connection.requireSignedAssertion,
        allowSha1: connection.allowSha1 === true,
        clockSkewMs: connection.clockSkewSeconds * 1000,
        ...(connection.attributeMap ? { attributeMap: connection.attributeMap } : {}),
      });
    } catch (err) {
      refuseProtocol(c, 'saml', err);
    }
    // What the mock IdP's `replay` fault re-sends: an assertion this workspace accepted, for as
    // long as the replay cache keeps its id (its validity plus the skew; a day without bounds).
    const validUntil = identity.notOnOrAfter !== undefined ? Date.parse(identity.notOnOrAfter) : core.clockFor(ws.id).nowMs() + 24 * 3_600_000;
    runtime.rememberAccepted(identity.issuer, { assertionId: identity.assertionId, untilMs: validUntil + connection.clockSkewSeconds * 1000 });
    // The display name (displayName, its OID, Entra's claim) is read from the same signed attributes.
    const { displayName } = mapIdentity(identity.nameId, identity.attributes, connection.attributeMap);
    return finishSsoSignIn(
      c,
      'saml',
      { ...identity, ...(displayName !== undefined ? { displayName } : {}) },
      { issuer: identity.issuer, assertionId: identity.assertionId, idpInitiated: identity.inResponseTo === undefined },
      safeReturnTo(ws.id, relayState),
    );
  });

  return r;
}
