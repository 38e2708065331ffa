// Connecting a workspace to a mock IdP in one call (`PUT /w/{ws}/api/sso {"protocol","mockIdp"}`),
// both sides wired as an admin would paste values; and registering applications at an IdP.
import { randomBytes } from 'node:crypto';
import type { EmulatorCore } from '../emulator.js';
import { badRequest } from '../errors.js';
import { parseConnection, spValues, type SsoConnection } from '../sso/connection.js';
import { registerConnectionSource } from '../sso/connection-sources.js';
import { addSamlWarmUpStep } from '../sso/saml/warm-up.js';
import type { IdpState, WorkspaceState } from '../store/state.js';
import { idpEndpoints, recordIdp, requireIdp } from './registry.js';
import { idpMetadataXml } from './saml-routes.js';

/** Plugs the mock IdPs into the workspace connection API: a PUT /api/sso body with `mockIdp` connects to one. */
export function plugMockIdpsIntoSso(core: EmulatorCore): void {
  registerConnectionSource(core, 'mockIdp', { connect: connectMockIdp });
  // The SAML warm-up (awaited by the first SAML configuration) includes a sign-in through it,
  // loaded only then.
  addSamlWarmUpStep(mockIdpSamlWarmUp);
}

async function mockIdpSamlWarmUp(): Promise<void> {
  await (await import('./saml/warm-up.js')).warmUpMockIdpSaml();
}

/** Registers (or updates) a SAML service provider at the IdP. */
export function registerSamlSp(core: EmulatorCore, idp: IdpState, sp: { entityId: string; acsUrl: string; workspace?: string }, actor: string) {
  const before = idp.samlSps[sp.entityId];
  idp.samlSps[sp.entityId] = {
    entityId: sp.entityId,
    acsUrl: sp.acsUrl,
    ...(sp.workspace !== undefined ? { workspace: sp.workspace } : {}),
    registeredAt: before?.registeredAt ?? core.clock.nowIso(),
  };
  recordIdp(core, idp, 'idp.app_registered', { protocol: 'saml', entityId: sp.entityId, acsUrl: sp.acsUrl, ...(sp.workspace ? { workspace: sp.workspace } : {}) }, actor);
  return idp.samlSps[sp.entityId]!;
}

/** Registers an OIDC client at the IdP (a new id and secret unless given). */
export function registerOidcClient(
  core: EmulatorCore,
  idp: IdpState,
  input: { clientId?: string; clientSecret?: string; redirectUris: string[]; workspace?: string },
  actor: string,
) {
  const clientId = input.clientId ?? `${input.workspace ?? 'app'}-${randomBytes(6).toString('hex')}`;
  const before = idp.oidcClients[clientId];
  const client = {
    clientId,
    clientSecret: input.clientSecret ?? before?.clientSecret ?? randomBytes(24).toString('base64url'),
    redirectUris: [...new Set([...(before?.redirectUris ?? []), ...input.redirectUris])],
    ...(input.workspace !== undefined ? { workspace: input.workspace } : {}),
    registeredAt: before?.registeredAt ?? core.clock.nowIso(),
  };
  idp.oidcClients[clientId] = client;
  recordIdp(core, idp, 'idp.app_registered', { protocol: 'oidc', clientId, redirectUris: client.redirectUris, ...(input.workspace ? { workspace: input.workspace } : {}) }, actor);
  return client;
}

/**
 * Builds the workspace's connection to a mock IdP and registers the workspace at the IdP. The
 * other fields of the request (SAML options, OIDC client authentication, clock skew) are checked
 * as for any connection. `check` sees the connection before the IdP is touched (the enforcement
 * guard). Throws 400, 404 or what `check` throws, naming the problem, before changing anything.
 */
export function connectMockIdp(
  core: EmulatorCore,
  ws: WorkspaceState,
  origin: string,
  raw: { protocol: unknown; mockIdp: unknown },
  actor: string,
  check: (connection: SsoConnection) => void = () => {},
): SsoConnection {
  const { mockIdp, ...rest } = raw as Record<string, unknown>;
  if (typeof mockIdp !== 'string' || mockIdp === '') {
    throw badRequest('invalid_sso_config', 'mockIdp must be the id of a mock IdP (see GET /_emulator/idps).');
  }
  const idp = requireIdp(core, mockIdp);
  const sp = spValues(origin, ws.id);
  let connection: SsoConnection;
  if (rest.protocol === 'saml') {
    // The IdP's metadata is exchanged as an admin would upload it.
    connection = parseConnection({ ...rest, metadataXml: idpMetadataXml(idp, origin) });
    connection.mockIdp = idp.id;
    check(connection);
    registerSamlSp(core, idp, { entityId: sp.saml.entityId, acsUrl: sp.saml.acsUrl, workspace: ws.id }, actor);
  } else if (rest.protocol === 'oidc') {
    const existing = Object.values(idp.oidcClients).find((cl) => cl.workspace === ws.id);
    const secret = existing?.clientSecret ?? randomBytes(24).toString('base64url');
    const clientId = existing?.clientId ?? `${ws.id}-${randomBytes(6).toString('hex')}`;
    connection = parseConnection({ ...rest, issuer: idpEndpoints(origin, idp.id).oidc.issuer, clientId, clientSecret: secret });
    connection.mockIdp = idp.id;
    check(connection);
    registerOidcClient(core, idp, { clientId, clientSecret: secret, redirectUris: [sp.oidc.redirectUri], workspace: ws.id }, actor);
  } else {
    throw badRequest('invalid_sso_config', `protocol must be "saml" or "oidc" to connect mock IdP "${idp.id}", got ${JSON.stringify(rest.protocol)}.`);
  }
  return connection;
}
