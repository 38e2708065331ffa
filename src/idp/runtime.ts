// What a mock IdP keeps in memory only: its OIDC provider per origin (codes and access tokens in
// flight), the last assertion id issued to each SP (for the `replay` fault), a provisioning lock.
import { AsyncLocalStorage } from 'node:async_hooks';
import type { Clock } from '../clock.js';
import { runtimeSlot, type EmulatorCore } from '../emulator.js';
import { findUser } from './directory.js';
import type { IdpState, IdpUser } from '../store/state.js';
import { passwordMatches } from '../members/members.js';
import { chooseFault } from './faults.js';
import { idpSigningKeys } from './keys.js';
import { createMockOidcProvider, type MockOidcProvider, type MockOidcUser, type MockOidcVendor } from './oidc/index.js';
import { recordIdp } from './registry.js';

/** Per-request settings a program passes to the authorization endpoint. */
export interface OidcRequestSettings {
  fault?: string;
  autoApprove?: boolean;
  /** The workspace of the client the request is for: the IdP keeps that workspace's time. */
  workspace?: string;
}

const requestSettings = new AsyncLocalStorage<OidcRequestSettings>();

/**
 * The time the IdP keeps towards a workspace: the workspace's own emulator clock, so moving one
 * workspace's clock (a scenario's advance_clock) moves the district's IdP with it for that
 * workspace and no other; the emulator-wide clock when the application belongs to no workspace.
 */
export function idpClock(core: EmulatorCore, workspace: string | undefined): Clock {
  return workspace !== undefined && core.workspace(workspace) ? core.clockFor(workspace) : core.clock;
}

/** Runs `fn` with the settings of one authorization request in scope. */
export function withOidcRequest<T>(settings: OidcRequestSettings, fn: () => T): T {
  return requestSettings.run(settings, fn);
}

const OIDC_VENDOR: Record<IdpState['vendor'], MockOidcVendor> = {
  entra: 'entra',
  google: 'google',
  clever: 'clever',
  okta: 'generic',
  classlink: 'generic',
  generic: 'generic',
};

export function oidcUser(user: IdpUser): MockOidcUser {
  const userType = user.attributes.user_type ?? user.attributes.userType;
  return {
    email: user.email,
    id: user.id,
    ...(user.givenName !== undefined ? { givenName: user.givenName } : {}),
    ...(user.familyName !== undefined ? { familyName: user.familyName } : {}),
    ...(typeof userType === 'string' ? { userType } : {}),
  };
}

export class IdpRuntime {
  /** Last assertion id per IdP/SP pair, for the `replay` fault. */
  readonly issuedAssertions = new Map<string, string>();
  provisioning = false;
  private readonly providers = new Map<string, MockOidcProvider>();

  constructor(
    private readonly core: EmulatorCore,
    private readonly idp: IdpState,
  ) {}

  /**
   * The OIDC provider for an issuer (`<origin>/idp/{idp}/oidc`, or a vendor URL an outbound route
   * stands for), made on first use; at most a few per IdP, the oldest dropped first.
   */
  oidcProvider(issuer: string): MockOidcProvider {
    let provider = this.providers.get(issuer);
    if (provider) return provider;
    const { core, idp } = this;
    if (this.providers.size >= 16) this.providers.delete(this.providers.keys().next().value!);
    provider = createMockOidcProvider({
      issuer,
      vendor: OIDC_VENDOR[idp.vendor],
      displayName: idp.name,
      appName: (clientId) => {
        const ws = Object.hasOwn(idp.oidcClients, clientId) ? idp.oidcClients[clientId]!.workspace : undefined;
        return ws && Object.hasOwn(core.state.workspaces, ws) ? core.state.workspaces[ws]!.name : undefined;
      },
      clock: {
        nowMs: () => idpClock(core, requestSettings.getStore()?.workspace).nowMs(),
        now: () => idpClock(core, requestSettings.getStore()?.workspace).now(),
      },
      signingKey: { privateJwk: idpSigningKeys().privateJwk },
      clients: (clientId) => {
        const client = Object.hasOwn(idp.oidcClients, clientId) ? idp.oidcClients[clientId] : undefined;
        return client ? { clientId: client.clientId, clientSecret: client.clientSecret, redirectUris: client.redirectUris } : undefined;
      },
      users: {
        find: (email) => {
          const user = findUser(idp, email);
          return user && user.email.toLowerCase() === email.toLowerCase() ? oidcUser(user) : undefined;
        },
        list: () => Object.values(idp.users).map(oidcUser),
        verifyPassword: (email, password) => {
          const user = findUser(idp, email);
          return user?.passwordHash === undefined || passwordMatches(user.passwordHash, password);
        },
      },
      autoApprove: () => requestSettings.getStore()?.autoApprove ?? idp.autoApprove,
      getFault: ({ user, clientId }) => {
        const chosen = chooseFault(idp, 'oidc', user.email, requestSettings.getStore()?.fault);
        const client = idp.oidcClients[clientId];
        recordSignIn(core, idp, 'oidc', user.email, { clientId, ...(client?.workspace ? { workspace: client.workspace } : {}) }, chosen);
        return chosen.fault;
      },
    });
    this.providers.set(issuer, provider);
    return provider;
  }
}

/** Records a sign-in the IdP completed (and the fault it carried, as its own event). */
export function recordSignIn(
  core: EmulatorCore,
  idp: IdpState,
  protocol: 'saml' | 'oidc',
  email: string,
  detail: Record<string, unknown>,
  chosen: { fault: string | undefined; source?: string },
): void {
  const fault = chosen.fault ? { fault: chosen.fault, faultSource: chosen.source } : {};
  if (chosen.fault) recordIdp(core, idp, 'idp.fault_used', { protocol, email, ...detail, ...fault });
  recordIdp(core, idp, 'idp.signin', { protocol, email, ...detail, ...fault });
}

/**
 * Per emulator, the runtime of each mock IdP, keyed by the IdP's state object: a re-created or
 * imported IdP is a new object and so starts fresh, and the old runtime goes with the old state
 * (hence a WeakMap, not a map by id).
 */
export const IDP_RUNTIMES = runtimeSlot('idp runtimes', () => new WeakMap<IdpState, IdpRuntime>());

/** The runtime of an IdP (a re-created or imported IdP gets a fresh one). */
export function idpRuntime(core: EmulatorCore, idp: IdpState): IdpRuntime {
  const byIdp = core.runtime(IDP_RUNTIMES);
  let rt = byIdp.get(idp);
  if (!rt) byIdp.set(idp, (rt = new IdpRuntime(core, idp)));
  return rt;
}
