// What SSO keeps between messages, per workspace and in memory: outstanding SAML request ids,
// used assertion ids, the last assertion accepted from each IdP, pending OIDC sign-ins and
// discovered OIDC providers.
import { runtimeSlot, type EmulatorCore } from '../emulator.js';
import type { WorkspaceState } from '../store/state.js';
import type { OidcRelyingParty } from './oidc/relying-party.js';
import type { OidcConnection } from './connection.js';
import { InMemoryReplayCache, InMemoryRequestIdStore } from './saml/stores.js';

export interface PendingOidcLogin {
  state: string;
  nonce: string;
  codeVerifier: string;
  redirectUri: string;
  returnTo?: string;
  expiresAtMs: number;
}

const PENDING_TTL_MS = 10 * 60_000;

/** An assertion the workspace accepted (its id is in the replay cache until `untilMs`). */
export interface AcceptedAssertion {
  assertionId: string;
  untilMs: number;
}

class WorkspaceSso {
  readonly samlRequests: InMemoryRequestIdStore;
  readonly samlReplay: InMemoryReplayCache;
  /** Pending OIDC sign-ins by state, in insertion (= expiry) order. */
  readonly oidcPending = new Map<string, PendingOidcLogin>();
  /** The last assertion accepted from each IdP, by issuer (what a replay re-sends). */
  private readonly accepted = new Map<string, AcceptedAssertion>();
  private rp: { key: string; promise: Promise<OidcRelyingParty> } | undefined;

  constructor(
    private readonly core: EmulatorCore,
    private readonly ws: WorkspaceState,
  ) {
    const clock = core.clockFor(ws.id);
    this.samlRequests = new InMemoryRequestIdStore(clock);
    this.samlReplay = new InMemoryReplayCache(clock);
  }

  /** The discovered provider of an OIDC connection, discovered once per connection. */
  relyingParty(c: OidcConnection): Promise<OidcRelyingParty> {
    const key = JSON.stringify([c.issuer, c.clientId, c.clientSecret, c.tokenEndpointAuthMethod, c.clockSkewSeconds]);
    if (this.rp?.key !== key) {
      // openid-client loads with the first OIDC sign-in (docs/performance.md).
      const promise = import('./oidc/relying-party.js').then(({ discoverOidcProvider }) => discoverOidcProvider({
        issuer: c.issuer,
        clientId: c.clientId,
        clientSecret: c.clientSecret,
        tokenEndpointAuthMethod: c.tokenEndpointAuthMethod,
        skewSeconds: c.clockSkewSeconds,
        fetch: (url, init) => this.core.outboundFetch(url, init),
      }));
      this.rp = { key, promise };
      // A failed discovery is not kept: the next sign-in tries again.
      promise.catch(() => {
        if (this.rp?.promise === promise) this.rp = undefined;
      });
    }
    return this.rp.promise;
  }

  /** Records an assertion that passed every check of the SAML validation. */
  rememberAccepted(issuer: string, assertion: AcceptedAssertion): void {
    this.accepted.delete(issuer);
    if (this.accepted.size >= 64) this.accepted.delete(this.accepted.keys().next().value!);
    this.accepted.set(issuer, assertion);
  }

  /** The last assertion accepted from `issuer` whose id the replay cache still holds. */
  lastAccepted(issuer: string): AcceptedAssertion | undefined {
    const a = this.accepted.get(issuer);
    if (!a || a.untilMs <= this.core.clockFor(this.ws.id).nowMs()) return undefined;
    return a;
  }

  rememberOidc(pending: PendingOidcLogin): void {
    const now = this.core.clockFor(this.ws.id).nowMs();
    // Expired entries sit at the front (all share one lifetime): drop them as new ones arrive.
    for (const [state, p] of this.oidcPending) {
      if (p.expiresAtMs > now) break;
      this.oidcPending.delete(state);
    }
    this.oidcPending.set(pending.state, pending);
  }

  takeOidc(state: string | undefined): PendingOidcLogin | undefined {
    if (state === undefined) return undefined;
    const p = this.oidcPending.get(state);
    if (!p) return undefined;
    this.oidcPending.delete(state);
    return p.expiresAtMs > this.core.clockFor(this.ws.id).nowMs() ? p : undefined;
  }
}

/**
 * Per emulator, the SSO runtime of each workspace, keyed by the workspace's state object: a reset,
 * re-created or imported workspace is a new object and so starts with fresh stores, and the old
 * runtime goes with the old state (hence a WeakMap, not a map by id).
 */
export const SSO_RUNTIMES = runtimeSlot('sso runtimes', () => new WeakMap<WorkspaceState, WorkspaceSso>());

/** The SSO runtime of a workspace (a reset or re-created workspace gets a fresh one). */
export function ssoRuntime(core: EmulatorCore, ws: WorkspaceState): WorkspaceSso {
  const byWs = core.runtime(SSO_RUNTIMES);
  let rt = byWs.get(ws);
  if (!rt) byWs.set(ws, (rt = new WorkspaceSso(core, ws)));
  return rt;
}

export const OIDC_PENDING_TTL_MS = PENDING_TTL_MS;
