// The emulator's runtime: its state, the lookup indexes derived from it, the clocks, the event
// journal and the persistence hook. HTTP-free; routes and the scenario runner call into it.
import { CLOCK_MAX_MS, CLOCK_MIN_MS, OffsetClock, clockInRange, describeClockReading, type Clock } from './clock.js';
import { conflict, badRequest, notFound } from './errors.js';
import { Journal } from './events/journal.js';
import { SimulatedZoneResolver, type TxtResolver } from './domains/resolver.js';
import type { EmulatorState, WorkspaceState } from './store/state.js';
import { STATE_FORMAT, STATE_VERSION, newDirectoryState, newRolesState, newUsageLimitsState } from './store/new-state.js';
import { domainStatus } from './domains/domain-status.js';
import { WorkspaceIndex } from './store/workspace-index.js';
import { StateTracker } from './store/tracked-state.js';
import { SessionStore } from './signin/sessions.js';

export const DEFAULT_WORKSPACE = 'default';
const WORKSPACE_ID = /^[a-z0-9](?:[a-z0-9-]{0,62})$/;

/** Actor names used in the journal. */
export const ACTOR_ADMIN_KEY = 'admin-key';
export const ACTOR_SYSTEM = 'system';

export interface EmulatorCoreOptions {
  state?: EmulatorState;
  /** Where TXT lookups go; the simulated zone when absent. */
  resolver?: TxtResolver;
  /** Called after every recorded event (the store itself sees every write through the tracker). */
  onChange?: () => void;
}

/**
 * A named slot for what a feature keeps in memory on the core (SAML request stores, IdP runtimes,
 * console sign-ins, walkthroughs…): the feature declares it, `core.runtime(slot)` makes it on
 * first use. Nothing in a slot is saved; a restart starts it empty.
 */
export interface RuntimeSlot<T> {
  readonly name: string;
  create(): T;
}

export function runtimeSlot<T>(name: string, create: () => T): RuntimeSlot<T> {
  return { name, create };
}

export function emptyState(now: Date): EmulatorState {
  return {
    format: STATE_FORMAT,
    version: STATE_VERSION,
    clock: { offsetMs: 0 },
    dns: {},
    workspaces: { [DEFAULT_WORKSPACE]: newWorkspaceState(DEFAULT_WORKSPACE, 'Default workspace', now) },
    events: { seq: 0, items: [] },
    idps: {},
  };
}

export function newWorkspaceState(id: string, name: string, now: Date): WorkspaceState {
  return {
    id,
    name,
    createdAt: now.toISOString(),
    clockOffsetMs: 0,
    settings: { automaticAccountCreation: false, breakGlass: false, scimCompatibility: 'strict' },
    domains: {},
    members: {},
    groups: {},
    scimTokens: {},
    sso: { connection: null, enforcement: 'off' },
    roles: newRolesState(),
    usageLimits: newUsageLimitsState(),
    directory: newDirectoryState(),
    events: [],
    conformance: { seq: 0, findings: {} },
  };
}

export class EmulatorCore {
  /** Every write to the state goes through this tracker (the store journals and can take back). */
  readonly tracker: StateTracker;
  /** The emulator-wide clock; each workspace's clock is this plus the workspace's own offset. */
  readonly clock: OffsetClock;
  readonly journal: Journal;
  readonly resolver: TxtResolver;
  /** Signed-in members' sessions (in memory only). */
  readonly sessions = new SessionStore();
  /**
   * Fetch for the emulator's own outgoing requests (OIDC discovery, JWKS, token). The app factory
   * routes requests to its own origins in process; tests and MSW may replace it.
   */
  outboundFetch: (url: string, init?: RequestInit) => Promise<Response> = (url, init) => fetch(url, init);
  /** Answers a request with the emulator's own app, in process (set by the app factory). */
  selfFetch: (request: Request) => Promise<Response> = (request) =>
    Promise.reject(new Error(`no app answers ${request.method} ${request.url} in process: build the emulator with createEmulator()`));
  /** Whether a URL is this emulator itself (from its Host allow-list and socket; set by the app factory). */
  isOwnOrigin: (url: URL) => boolean = () => false;
  private readonly workspaceClocks = new Map<string, OffsetClock>();
  private readonly indexes = new Map<string, WorkspaceIndex>();
  /** Verified domain → owning workspace (docs/rules.md §1: a domain belongs to at most one workspace). */
  readonly domainOwners = new Map<string, string>();
  private readonly onChange: () => void;
  private readonly runtimeState = new Map<RuntimeSlot<unknown>, unknown>();

  constructor(options: EmulatorCoreOptions = {}) {
    this.onChange = options.onChange ?? (() => {});
    this.clock = new OffsetClock(options.state?.clock.offsetMs ?? 0);
    this.tracker = new StateTracker(options.state ?? emptyState(this.clock.now()));
    this.tracker.beforeTake = () => this.syncClocks();
    this.journal = new Journal(
      () => this.state,
      () => this.changed(),
      (list, count) => this.tracker.trimEventList(list, count),
      (list, event, path) => this.tracker.appendEvent(list, event, path),
    );
    this.resolver = options.resolver ?? new SimulatedZoneResolver(() => this.state.dns);
    this.rebuildIndexes();
  }

  /**
   * The in-memory state a feature keeps on this emulator, by slot (see `runtimeSlot`). The slots:
   * `SSO_RUNTIMES` (sso/runtime.ts), `CONNECTION_SOURCES` (sso/connection-sources.ts),
   * `SCIM_REQUEST_LOGS` (scim/request-log.ts), `IDP_RUNTIMES` (idp/runtime.ts),
   * `CONSOLE_SIGN_INS` (ui/console-auth.ts), `CONSOLE_FLASHES` (ui/flash.ts), `WALKTHROUGHS`
   * (ui/training.ts), `RECORDINGS` (recorder/recording.ts), `PASSWORD_HASHING` (members/members.ts),
   * `SAML_WARM_UP` (sso/saml/warm-up.ts).
   * Member sessions are the `sessions` field.
   */
  runtime<T>(slot: RuntimeSlot<T>): T {
    if (!this.runtimeState.has(slot)) this.runtimeState.set(slot, slot.create());
    return this.runtimeState.get(slot) as T;
  }

  /** The state (tracked: read and write it freely, the store sees every write). */
  get state(): EmulatorState {
    return this.tracker.root as EmulatorState;
  }

  set state(next: EmulatorState) {
    this.tracker.replaceRoot(next);
  }

  /** Notes an event (the store sees the writes themselves through the tracker). */
  changed(): void {
    this.onChange();
  }

  /** Writes the clocks' offsets into the state when they moved (before each commit). */
  syncClocks(): void {
    const raw = this.tracker.raw as EmulatorState;
    if (raw.clock.offsetMs !== this.clock.offset) this.state.clock.offsetMs = this.clock.offset;
    for (const [id, c] of this.workspaceClocks) {
      const ws = Object.hasOwn(raw.workspaces, id) ? raw.workspaces[id] : undefined;
      if (ws && ws.clockOffsetMs !== c.offset) this.state.workspaces[id]!.clockOffsetMs = c.offset;
    }
  }

  /** The state as a plain JSON document (membership and clocks are always current in it). */
  snapshot(): EmulatorState {
    this.syncClocks();
    return this.state;
  }

  /** Replaces the whole state (an import already validated by parseState). */
  replaceState(state: EmulatorState): void {
    this.state = state;
    this.clock.setOffset(state.clock.offsetMs);
    this.rebuildIndexes();
    this.changed();
  }

  /** Rebuilds what derives from the state after the store took a change back. */
  afterRollback(): void {
    this.clock.setOffset((this.tracker.raw as EmulatorState).clock.offsetMs);
    this.rebuildIndexes();
  }

  private rebuildIndexes(): void {
    this.workspaceClocks.clear();
    this.indexes.clear();
    this.domainOwners.clear();
    for (const ws of Object.values(this.state.workspaces)) {
      this.workspaceClocks.set(ws.id, new OffsetClock(ws.clockOffsetMs, this.clock));
      this.indexes.set(ws.id, new WorkspaceIndex(ws, this.tracker));
      for (const d of Object.values(ws.domains)) {
        if (d.status === 'verified' && ws.isolated !== true) this.domainOwners.set(d.domain, ws.id);
      }
    }
  }

  workspace(id: string): WorkspaceState | undefined {
    return Object.hasOwn(this.state.workspaces, id) ? this.state.workspaces[id] : undefined;
  }

  requireWorkspace(id: string): WorkspaceState {
    const ws = this.workspace(id);
    if (!ws) {
      throw notFound(
        'workspace_not_found',
        `There is no workspace "${id}". Create it with POST /_emulator/workspaces {"id":"${id}"} or use "default".`,
      );
    }
    return ws;
  }

  /** The lookup indexes of a workspace. */
  index(ws: WorkspaceState): WorkspaceIndex {
    let index = this.indexes.get(ws.id);
    if (!index) this.indexes.set(ws.id, (index = new WorkspaceIndex(ws, this.tracker)));
    return index;
  }

  /** The emulator clock as a workspace sees it. */
  clockFor(wsId: string): OffsetClock {
    return this.workspaceClocks.get(wsId) ?? this.clock;
  }

  /** Records an event in a workspace's journal at that workspace's time. */
  record(ws: WorkspaceState | null, type: string, actor: string, detail: Record<string, unknown> = {}) {
    const time = ws ? this.clockFor(ws.id).nowIso() : this.clock.nowIso();
    return this.journal.record(ws, type, actor, detail, time);
  }

  /** `isolated`: test-only mode, the workspace's domains claim nothing from others (docs/testing.md). */
  createWorkspace(input: { id?: string; name?: string; isolated?: boolean }, actor: string): WorkspaceState {
    const id = input.id ?? this.freeWorkspaceId();
    if (!WORKSPACE_ID.test(id)) {
      throw badRequest(
        'invalid_workspace_id',
        `Workspace id "${id}" is not allowed: use 1 to 63 lower-case letters, digits or hyphens, starting with a letter or digit.`,
      );
    }
    if (this.workspace(id)) {
      throw conflict('workspace_exists', `Workspace "${id}" already exists; pick another id or delete it first.`);
    }
    const ws = newWorkspaceState(id, input.name ?? id, this.clock.now());
    if (input.isolated === true) ws.isolated = true;
    this.state.workspaces[id] = ws;
    this.workspaceClocks.set(id, new OffsetClock(0, this.clock));
    this.indexes.set(id, new WorkspaceIndex(ws, this.tracker));
    this.record(null, 'workspace.created', actor, { workspace: id, name: ws.name, ...(ws.isolated ? { isolated: true } : {}) });
    return ws;
  }

  private freeWorkspaceId(): string {
    for (;;) {
      const id = `ws-${Math.random().toString(36).slice(2, 10)}`;
      if (!this.workspace(id)) return id;
    }
  }

  deleteWorkspace(id: string, actor: string): void {
    const ws = this.requireWorkspace(id);
    this.releaseWorkspaceIndexes(ws);
    delete this.state.workspaces[id];
    this.workspaceClocks.delete(id);
    this.indexes.delete(id);
    this.record(null, 'workspace.deleted', actor, { workspace: id });
  }

  /** Puts one workspace back to its state at creation (same id and name, nothing else). */
  resetWorkspace(id: string, actor: string): WorkspaceState {
    const old = this.requireWorkspace(id);
    this.releaseWorkspaceIndexes(old);
    const fresh = newWorkspaceState(id, old.name, this.clock.now());
    if (old.isolated === true) fresh.isolated = true;
    this.state.workspaces[id] = fresh;
    this.workspaceClocks.set(id, new OffsetClock(0, this.clock));
    this.indexes.set(id, new WorkspaceIndex(fresh, this.tracker));
    this.record(fresh, 'workspace.reset', actor, {});
    return fresh;
  }

  /** Everything back to a fresh start: only `default`, empty zone, clock at real time. */
  resetAll(actor: string): void {
    this.clock.setOffset(0);
    this.state = emptyState(this.clock.now());
    this.rebuildIndexes();
    this.record(null, 'emulator.reset', actor, {});
  }

  private releaseWorkspaceIndexes(ws: WorkspaceState): void {
    for (const d of Object.values(ws.domains)) {
      if (this.domainOwners.get(d.domain) === ws.id) this.domainOwners.delete(d.domain);
    }
  }

  /**
   * Moves the emulator clock (all workspaces, or one) and settles what time changed. A move that
   * would put any affected clock outside CLOCK_MIN_MS..CLOCK_MAX_MS is refused (400 `invalid_clock`)
   * before anything changes; if settling fails, the clock is put back before the error goes on.
   */
  moveClock(move: { advanceMs?: number; set?: Date }, workspaceId: string | undefined, actor: string): Date {
    const ws = workspaceId === undefined ? null : this.requireWorkspace(workspaceId);
    const target = ws ? this.workspaceClock(ws.id) : this.clock;
    const beforeMs = target.nowMs();
    const deltaMs = move.advanceMs ?? (move.set ? move.set.getTime() - beforeMs : 0);
    const affected: [string, number][] = ws
      ? [[`workspace "${ws.id}"`, beforeMs]]
      : [['the emulator clock', beforeMs], ...Object.keys(this.state.workspaces).map((id): [string, number] => [`workspace "${id}"`, this.clockFor(id).nowMs()])];
    for (const [what, nowMs] of affected) {
      const after = nowMs + deltaMs;
      if (!clockInRange(after)) {
        throw badRequest(
          'invalid_clock',
          `This move would put ${what} at ${describeClockReading(after)}, outside what the emulator clock can show (${new Date(CLOCK_MIN_MS).toISOString()} to ${new Date(CLOCK_MAX_MS).toISOString()}); nothing was changed. Advance by less, or set a time inside that window.`,
          { min: new Date(CLOCK_MIN_MS).toISOString(), max: new Date(CLOCK_MAX_MS).toISOString() },
        );
      }
    }
    const offsetBefore = target.offset;
    target.advance(deltaMs);
    try {
      this.record(ws, 'clock.moved', actor, { from: new Date(beforeMs).toISOString(), to: target.nowIso() });
      for (const w of ws ? [ws] : Object.values(this.state.workspaces)) this.settleTime(w);
    } catch (e) {
      target.setOffset(offsetBefore);
      throw e;
    }
    return target.now();
  }

  private workspaceClock(id: string): OffsetClock {
    let clock = this.workspaceClocks.get(id);
    if (!clock) this.workspaceClocks.set(id, (clock = new OffsetClock(0, this.clock)));
    return clock;
  }

  /** Materialises time-driven transitions (pending domains past their window expire), with events. */
  settleTime(ws: WorkspaceState): void {
    const now = this.clockFor(ws.id).nowMs();
    for (const d of Object.values(ws.domains)) {
      if (d.status === 'pending' && domainStatus(d, now) === 'expired') {
        d.status = 'expired';
        this.record(ws, 'domain.expired', ACTOR_SYSTEM, { domain: d.domain, expiredAt: d.expiresAt });
      }
    }
  }
}
