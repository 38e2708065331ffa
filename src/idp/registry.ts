// The mock IdPs held in the emulator state: creating, finding and deleting them, their URLs at an
// origin, their public view, and their events in the emulator journal (workspace null).
import type { EmulatorCore } from '../emulator.js';
import { conflict, notFound } from '../errors.js';
import type { IdpState } from '../store/state.js';
import { checkIdpId, createIdpState, type IdpInput } from './directory.js';

/** The journal actor of an IdP's own events. */
export const idpActor = (idp: IdpState) => `idp:${idp.id}`;

export function findIdp(core: EmulatorCore, id: string): IdpState | undefined {
  return Object.hasOwn(core.state.idps, id) ? core.state.idps[id] : undefined;
}

export function requireIdp(core: EmulatorCore, id: string): IdpState {
  const idp = findIdp(core, id);
  if (!idp) {
    throw notFound('idp_not_found', `There is no mock IdP "${id}". Create it with POST /_emulator/idps {"id":"${id}","vendor":"entra"}.`);
  }
  return idp;
}

export function createIdp(core: EmulatorCore, input: IdpInput, actor: string): IdpState {
  const id = input.id ?? freeIdpId(core);
  checkIdpId(id);
  if (findIdp(core, id)) throw conflict('idp_exists', `Mock IdP "${id}" already exists; pick another id or delete it first.`);
  const idp = createIdpState({ ...input, id }, core.clock.now());
  core.state.idps[id] = idp;
  core.record(null, 'idp.created', actor, {
    idp: id,
    vendor: idp.vendor,
    users: Object.keys(idp.users).length,
    groups: Object.keys(idp.groups).length,
  });
  return idp;
}

function freeIdpId(core: EmulatorCore): string {
  for (;;) {
    const id = `idp-${Math.random().toString(36).slice(2, 10)}`;
    if (!findIdp(core, id)) return id;
  }
}

export function deleteIdp(core: EmulatorCore, id: string, actor: string): void {
  requireIdp(core, id);
  delete core.state.idps[id];
  core.record(null, 'idp.deleted', actor, { idp: id });
}

/** Records one of the IdP's own events. */
export function recordIdp(core: EmulatorCore, idp: IdpState, type: string, detail: Record<string, unknown> = {}, actor = idpActor(idp)) {
  return core.record(null, type, actor, { idp: idp.id, ...detail });
}

/** The IdP's URLs as seen from `origin`. */
export function idpEndpoints(origin: string, id: string) {
  const base = `${origin}/idp/${id}`;
  return {
    baseUrl: base,
    saml: {
      entityId: `${base}/saml/metadata`,
      metadataUrl: `${base}/saml/metadata`,
      ssoUrl: `${base}/saml/sso`,
      launchUrl: `${base}/saml/launch`,
    },
    oidc: {
      issuer: `${base}/oidc`,
      discoveryUrl: `${base}/oidc/.well-known/openid-configuration`,
    },
  };
}

/** A mock IdP as its management API shows it (secrets withheld). */
export type IdpView = ReturnType<typeof idpView>;

/** The IdP as the API shows it (secrets withheld). */
export function idpView(idp: IdpState, origin: string) {
  const urls = idpEndpoints(origin, idp.id);
  return {
    id: idp.id,
    vendor: idp.vendor,
    name: idp.name,
    createdAt: idp.createdAt,
    autoApprove: idp.autoApprove,
    ...urls,
    users: Object.keys(idp.users).length,
    groups: Object.keys(idp.groups).length,
    apps: {
      saml: Object.values(idp.samlSps).map((sp) => ({ entityId: sp.entityId, acsUrl: sp.acsUrl, ...(sp.workspace ? { workspace: sp.workspace } : {}) })),
      oidc: Object.values(idp.oidcClients).map((cl) => ({ clientId: cl.clientId, redirectUris: cl.redirectUris, ...(cl.workspace ? { workspace: cl.workspace } : {}) })),
    },
    faults: idp.faults,
    provisioning: Object.values(idp.provisioning).map((t) => ({
      baseUrl: t.baseUrl,
      dialect: t.dialect,
      users: Object.keys(t.users).length,
      groups: Object.keys(t.groups).length,
      ...(t.lastRunAt ? { lastRunAt: t.lastRunAt } : {}),
    })),
  };
}
