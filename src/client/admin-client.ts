// A typed client for the control plane (/_emulator) and the workspace admin API (/w/{ws}/api),
// over any fetch: the global one, MSW-intercepted, or an app's own `app.fetch` (no socket).
import type {
  CatalogApp,
  Directory,
  DirectoryInput,
  DirectorySync,
  DirectorySyncDetail,
  ConformanceProfile,
  ConformanceReport,
  Clock,
  DefaultRole,
  DnsRecord,
  Domain,
  DomainVerification,
  EffectivePermissions,
  UsageLimit,
  UsageLimits,
  UsageLimitsInput,
  EmulatorEvent,
  Enforcement,
  EnforcementPreview,
  EnforcementLevel,
  EventQuery,
  Group,
  Health,
  InviteInput,
  IssuedScimToken,
  Member,
  MemberUpdate,
  Permissions,
  ReadinessItem,
  ReadinessReport,
  Role,
  ScimRequest,
  ScimToken,
  Settings,
  SignInCheck,
  SignInMethod,
  SsoConnection,
  SsoConnectionInput,
  WorkspaceInfo,
} from './types.js';
import { signInHelpers, type SignInTransport } from './sign-in.js';
import { idpAdmin, idpsAdmin } from './idp-client.js';

/** Anything that answers a Request: `globalThis.fetch`, or a Hono app's `app.fetch`. */
export type FetchLike = (request: Request) => Response | Promise<Response>;

export interface AdminClientOptions {
  /** Where the emulator is served, e.g. `http://127.0.0.1:4000` (a trailing slash is fine). */
  url: string;
  /** The emulator admin key, sent as a bearer token. */
  adminKey?: string;
  /**
   * Headers sent with every request, e.g. `{ Cookie: 'edu_session=…' }` to act as a signed-in
   * workspace owner or admin instead of with the admin key.
   */
  headers?: Record<string, string>;
  /** Sends the requests; the global fetch (looked up at each call, so MSW sees it) by default. */
  fetch?: FetchLike;
}

/** A refusal from the emulator: the HTTP status and the error's stable `code`. */
export class AdminApiError extends Error {
  override readonly name = 'AdminApiError';
  /** The emulator's own message (what was wrong and what to do), without the request line. */
  readonly detail: string;
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly body: unknown,
    detail?: string,
    /** Why an operation that answered did not reach its goal, e.g. `txt_not_found` from `addAndVerify`. */
    readonly reason?: string,
  ) {
    super(message);
    this.detail = detail ?? message;
  }
}

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
type Requester = (<T>(method: Method, path: string, body?: unknown) => Promise<T>) & SignInTransport;

function requester(options: AdminClientOptions): Requester {
  const base = options.url.replace(/\/+$/, '');
  const send: FetchLike = (r) => (options.fetch ?? ((q: Request) => globalThis.fetch(q)))(r);
  const call = async <T>(method: Method, path: string, body?: unknown): Promise<T> => {
    const headers: Record<string, string> = {
      ...(options.adminKey !== undefined ? { Authorization: `Bearer ${options.adminKey}` } : {}),
      ...options.headers,
      Accept: 'application/json',
    };
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    const request = new Request(`${base}${path}`, {
      method,
      headers,
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    const response = await send(request);
    const text = await response.text();
    let parsed: unknown = undefined;
    if (text !== '') {
      try {
        parsed = JSON.parse(text);
      } catch {
        parsed = text;
      }
    }
    if (!response.ok) {
      const error = (parsed as { error?: { code?: unknown; message?: unknown } } | undefined)?.error;
      const code = typeof error?.code === 'string' ? error.code : `http_${response.status}`;
      const message = typeof error?.message === 'string' ? error.message : text.slice(0, 300);
      throw new AdminApiError(response.status, code, `${method} ${path} → ${response.status} ${code}: ${message}`, parsed, message);
    }
    return parsed as T;
  };
  return Object.assign(call, { base, send });
}

const seg = encodeURIComponent;

function query(params: Record<string, string | number | undefined>): string {
  const entries = Object.entries(params).filter((e): e is [string, string | number] => e[1] !== undefined);
  return entries.length === 0 ? '' : `?${new URLSearchParams(entries.map(([k, v]) => [k, String(v)])).toString()}`;
}

/** The admin API of one workspace (`/w/{ws}/api`). */
export function workspaceAdmin(request: Requester, workspaceId: string) {
  const api = `/w/${seg(workspaceId)}/api`;
  return {
    workspaceId,
    domains: {
      add: (domain: string) => request<Domain>('POST', `${api}/domains`, { domain }),
      list: async () => (await request<{ domains: Domain[] }>('GET', `${api}/domains`)).domains,
      get: (domain: string) => request<Domain>('GET', `${api}/domains/${seg(domain)}`),
      verify: (domain: string) => request<DomainVerification>('POST', `${api}/domains/${seg(domain)}/verify`),
      remove: (domain: string) => request<void>('DELETE', `${api}/domains/${seg(domain)}`),
      /**
       * Adds the domain, adds its TXT value to the simulated zone (keeping the values others published
       * at that name) and verifies it. Throws an `AdminApiError` (code `domain_not_verified`, with the
       * verification's `reason`) when the domain does not end up `verified`.
       */
      addAndVerify: async (domain: string) => {
        const added = await request<Domain>('POST', `${api}/domains`, { domain });
        await request('POST', `/_emulator/dns/${seg(added.domain)}`, { txt: [added.txt.value] });
        const path = `${api}/domains/${seg(added.domain)}/verify`;
        const verification = await request<DomainVerification>('POST', path);
        if (verification.status !== 'verified') {
          const reason = verification.reason ?? verification.status;
          const message = verification.message ?? `${added.domain} is ${verification.status} after verification.`;
          throw new AdminApiError(200, 'domain_not_verified', `POST ${path} → ${added.domain} not verified (${reason}): ${message}`, verification, message, reason);
        }
        return verification;
      },
    },
    settings: {
      get: () => request<Settings>('GET', `${api}/settings`),
      update: (patch: { automaticAccountCreation?: boolean; breakGlass?: boolean; scimCompatibility?: 'strict' | 'lenient' }) =>
        request<Settings>('PATCH', `${api}/settings`, patch),
    },
    invites: {
      create: (input: InviteInput) => request<Member>('POST', `${api}/invites`, input),
    },
    users: {
      list: async () => (await request<{ users: Member[] }>('GET', `${api}/users`)).users,
      /** The member with this email, or undefined. */
      findByEmail: async (email: string) => (await request<{ users: Member[] }>('GET', `${api}/users${query({ email })}`)).users[0],
      get: (id: string) => request<Member>('GET', `${api}/users/${seg(id)}`),
      update: (id: string, patch: MemberUpdate) => request<Member>('PATCH', `${api}/users/${seg(id)}`, patch),
      remove: (id: string) => request<void>('DELETE', `${api}/users/${seg(id)}`),
      permissions: (id: string) => request<EffectivePermissions>('GET', `${api}/users/${seg(id)}/permissions`),
      /** The member's monthly credit limit and where it comes from. */
      usageLimit: (id: string) => request<UsageLimit>('GET', `${api}/users/${seg(id)}/usage-limit`),
    },
    usageLimits: {
      get: () => request<UsageLimits>('GET', `${api}/usage-limits`),
      /** Replaces the usage-limit settings; a part left out becomes empty. */
      set: (input: UsageLimitsInput) => request<UsageLimits>('PUT', `${api}/usage-limits`, input),
    },
    scimTokens: {
      /** Issues a token; the answer is the only time its secret is shown. */
      issue: (input: { name?: string } = {}) => request<IssuedScimToken>('POST', `${api}/scim/tokens`, input),
      list: async () => (await request<{ tokens: ScimToken[] }>('GET', `${api}/scim/tokens`)).tokens,
      revoke: (id: string) => request<void>('DELETE', `${api}/scim/tokens/${seg(id)}`),
      /** The last SCIM requests (newest first), with their status and the token used. */
      requests: async () => (await request<{ requests: ScimRequest[] }>('GET', `${api}/scim/requests`)).requests,
    },
    /** Directory sync: Google Workspace pulled, CSV over SFTP (docs/directory-sync.md). */
    directory: {
      get: () => request<Directory>('GET', `${api}/directory`),
      set: (input: DirectoryInput) => request<Directory>('PUT', `${api}/directory`, input),
      remove: () => request<void>('DELETE', `${api}/directory`),
      /** Runs a sync now; a failed one throws its error (the sync is in the history too). */
      sync: () => request<DirectorySync>('POST', `${api}/directory/sync`),
      /** Uploads users.csv and/or groups.csv (their text); a sync follows. */
      upload: (files: { 'users.csv'?: string; 'groups.csv'?: string }) => request<DirectorySync>('POST', `${api}/directory/upload`, files),
      syncs: async () => (await request<{ syncs: DirectorySync[] }>('GET', `${api}/directory/syncs`)).syncs,
      syncDetail: (id: string) => request<DirectorySyncDetail>('GET', `${api}/directory/syncs/${seg(id)}`),
    },
    sso: {
      get: () => request<SsoConnection>('GET', `${api}/sso`),
      configure: (input: SsoConnectionInput) => request<SsoConnection>('PUT', `${api}/sso`, input),
      remove: () => request<void>('DELETE', `${api}/sso`),
      enforcement: {
        get: () => request<Enforcement>('GET', `${api}/sso/enforcement`),
        /** Sets the level; answers with the what-if of the change (who it blocks), computed before it. */
        set: (level: EnforcementLevel, options: { force?: boolean } = {}) =>
          request<Enforcement & { preview: EnforcementPreview }>('PUT', `${api}/sso/enforcement`, { level, ...options }),
        /** Who each member could sign in with at `level`, from the live evaluator; nothing changes. */
        preview: (level: EnforcementLevel) => request<EnforcementPreview>('GET', `${api}/sso/enforcement/preview?level=${encodeURIComponent(level)}`),
      },
    },
    signIn: {
      /** Evaluates a sign-in without side effects. */
      check: (input: { email: string; method: SignInMethod }) => request<SignInCheck>('POST', `${api}/sign-in/check`, input),
      ...signInHelpers(request, workspaceId, async () => {
        const connection = await request<SsoConnection>('GET', `${api}/sso`).catch(() => undefined);
        return connection && 'protocol' in connection && connection.protocol === 'oidc' ? 'oidc' : 'saml';
      }),
    },
    groups: {
      list: async () => (await request<{ groups: Group[] }>('GET', `${api}/groups`)).groups,
      create: (displayName: string) => request<Group>('POST', `${api}/groups`, { displayName }),
      get: (id: string) => request<Group>('GET', `${api}/groups/${seg(id)}`),
      /** Renames a local group (409 scim_managed for a SCIM group). */
      rename: (id: string, displayName: string) => request<Group>('PATCH', `${api}/groups/${seg(id)}`, { displayName }),
      members: async (id: string) => (await request<{ members: Member[] }>('GET', `${api}/groups/${seg(id)}/members`)).members,
      setMembers: (id: string, userIds: string[]) => request<Group>('PUT', `${api}/groups/${seg(id)}/members`, { userIds }),
      adopt: (id: string, into: string) => request<Group>('POST', `${api}/groups/${seg(id)}/adopt`, { into }),
      remove: (id: string) => request<void>('DELETE', `${api}/groups/${seg(id)}`),
    },
    roles: {
      list: async () => (await request<{ roles: Role[] }>('GET', `${api}/roles`)).roles,
      create: (input: { name: string; permissions: Permissions; restrictive?: boolean }) => request<Role>('POST', `${api}/roles`, input),
      get: (id: string) => request<Role>('GET', `${api}/roles/${seg(id)}`),
      update: (id: string, patch: { name?: string; permissions?: Permissions; restrictive?: boolean }) => request<Role>('PATCH', `${api}/roles/${seg(id)}`, patch),
      setGroups: (id: string, groupIds: string[]) => request<Role>('PUT', `${api}/roles/${seg(id)}/groups`, { groupIds }),
      /** The default role: every member's baseline, with every permission key. */
      getDefault: () => request<DefaultRole>('GET', `${api}/roles/default`),
      setDefault: (permissions: Permissions) => request<DefaultRole>('PUT', `${api}/roles/default`, { permissions }),
      remove: (id: string) => request<void>('DELETE', `${api}/roles/${seg(id)}`),
    },
    apps: async () => (await request<{ apps: CatalogApp[] }>('GET', `${api}/apps`)).apps,
    readiness: async () => (await request<{ items: ReadinessItem[] }>('GET', `${api}/readiness`)).items,
    /** The checklist with the count of items in each status. */
    readinessReport: () => request<ReadinessReport>('GET', `${api}/readiness`),
    /** What the conformance rules found in the IdP's traffic, under a profile (docs/conformance.md). */
    conformance: (q: { profile?: ConformanceProfile; since?: string } = {}) => request<ConformanceReport>('GET', `${api}/conformance${query({ ...q })}`),
    clearConformance: () => request<void>('DELETE', `${api}/conformance`),
    events: async (q: EventQuery = {}) => (await request<{ events: EmulatorEvent[] }>('GET', `${api}/events${query({ ...q })}`)).events,
    /** Any other admin route of this workspace, path relative to `/w/{ws}/api` (e.g. `/scim/requests`). */
    request: <T = unknown>(method: Method, path: string, body?: unknown) => request<T>(method, `${api}${path}`, body),
  };
}

export type WorkspaceAdminClient = ReturnType<typeof workspaceAdmin>;

/**
 * A typed client for the emulator's control plane and, through `workspace(id)`, each workspace's
 * admin API. Refusals throw `AdminApiError` with the status and the error's stable code.
 *
 * @example
 * ```ts
 * import { AdminApiError, createAdminClient, createEmulator } from 'edu-workspace-emulator';
 *
 * const admin = createAdminClient({ url: 'http://127.0.0.1:4000', adminKey: process.env.EMU_KEY! });
 * const { id } = await admin.workspaces.create({ name: 'Springfield Public Schools' });
 * const ws = admin.workspace(id);
 * await ws.domains.addAndVerify('springfield.k12.us'); // publishes the TXT value in the simulated zone
 * try {
 *   await ws.sso.enforcement.set('sso_only');
 * } catch (e) {
 *   if (e instanceof AdminApiError) console.log(e.status, e.code); // 409 sso_not_configured
 * }
 *
 * // No socket: answer from an app in this process.
 * const { app, adminKey } = createEmulator();
 * const local = createAdminClient({ url: 'http://emulator.test', adminKey, fetch: (r) => app.fetch(r) });
 * ```
 */
export function createAdminClient(options: AdminClientOptions) {
  const request = requester(options);
  return {
    health: () => request<Health>('GET', '/_emulator/health'),
    workspaces: {
      /** `isolated: true` is the test-only mode whose domains claim nothing from other workspaces. */
      create: (input: { id?: string; name?: string; isolated?: boolean } = {}) => request<WorkspaceInfo>('POST', '/_emulator/workspaces', input),
      list: async () => (await request<{ workspaces: WorkspaceInfo[] }>('GET', '/_emulator/workspaces')).workspaces,
      get: (id: string) => request<WorkspaceInfo>('GET', `/_emulator/workspaces/${seg(id)}`),
      delete: (id: string) => request<void>('DELETE', `/_emulator/workspaces/${seg(id)}`),
      reset: (id: string) => request<WorkspaceInfo>('POST', `/_emulator/workspaces/${seg(id)}/reset`),
    },
    /** Resets everything: only `default` remains, the DNS zone is empty, the clock is real time again. */
    resetAll: () => request<unknown>('POST', '/_emulator/reset', {}),
    clock: {
      get: () => request<Clock>('GET', '/_emulator/clock'),
      /** Moves the clock forward by a duration such as `8d` (units s, m, h, d). */
      advance: (duration: string, options: { workspace?: string } = {}) =>
        request<Clock>('POST', '/_emulator/clock', { advance: duration, ...options }),
      set: (iso: string, options: { workspace?: string } = {}) => request<Clock>('POST', '/_emulator/clock', { set: iso, ...options }),
    },
    dns: {
      /** The whole simulated zone: TXT values by name. */
      list: async () => (await request<{ records: Record<string, string[]> }>('GET', '/_emulator/dns')).records,
      get: (name: string) => request<DnsRecord>('GET', `/_emulator/dns/${seg(name)}`),
      /** Replaces every TXT value at the name. */
      publish: (name: string, txt: string[]) => request<DnsRecord>('PUT', `/_emulator/dns/${seg(name)}`, { txt }),
      /** Adds TXT values at the name, keeping those already there. */
      add: (name: string, txt: string[]) => request<DnsRecord>('POST', `/_emulator/dns/${seg(name)}`, { txt }),
      remove: (name: string) => request<void>('DELETE', `/_emulator/dns/${seg(name)}`),
    },
    events: async (q: EventQuery & { workspace?: string } = {}) =>
      (await request<{ events: EmulatorEvent[] }>('GET', `/_emulator/events${query({ ...q })}`)).events,
    state: {
      export: () => request<Record<string, unknown>>('GET', '/_emulator/state'),
      import: (state: unknown) => request<{ imported: true; workspaces: string[] }>('PUT', '/_emulator/state', state),
    },
    /** Mock IdPs on the control plane: create, list, read, delete. */
    idps: idpsAdmin(request),
    /** One mock IdP: its directory (users, groups, moves), faults, applications and provisioning. */
    idp: (id: string) => idpAdmin(request, id),
    /** The admin API of one workspace. */
    workspace: (id: string) => workspaceAdmin(request, id),
    /** Any other route, path from the server root (e.g. `/_emulator/workspaces`). */
    request,
  };
}

export type AdminClient = ReturnType<typeof createAdminClient>;
