// A workspace's directory connection (docs/directory-sync.md): SCIM pushed by the IdP, Google
// Workspace pulled, or CSV files over SFTP; running one sync (pull or read, then apply whole or not at
// all), its record in the sync history and the journal, and the view admins see.
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { ACTOR_ADMIN_KEY, type EmulatorCore } from '../emulator.js';
import { EmulatorError, badRequest, conflict, notFound } from '../errors.js';
import { newId } from '../ids.js';
import { idpEndpoints, requireIdp } from '../idp/registry.js';
import { registerOidcClient } from '../idp/connect.js';
import {
  SYNC_HISTORY_LIMIT,
  syncErrorSchema,
  syncSummarySchema,
  type DirectoryConnection,
  type SyncRecord,
  type SyncSummary,
} from '../store/directory-state.js';
import type { WorkspaceState } from '../store/state.js';
import { applySnapshot, emptySummary, type DirectorySnapshot } from './apply.js';
import { CSV_FILES, MAX_CSV_BYTES, csvSnapshot } from './csv.js';
import { pullGoogleDirectory } from './google.js';
import { directoryRuntime } from './runtime.js';

export { DIRECTORY_RUNTIME, directoryRuntime, type DirectoryRuntime } from './runtime.js';

/** WorkOS: "Google Workspace directories poll every 30 minutes starting from the time of the initial sync". */
export const DEFAULT_INTERVAL_MINUTES = 30;

const groupName = z.string().min(1).max(256);
const interval = z.number().int().min(0).max(7 * 24 * 60).meta({ description: 'Minutes between syncs on the workspace clock; 0 turns interval syncs off (default 30).' });

export const directoryInput = z.discriminatedUnion('type', [
  z.object({ type: z.literal('scim') }).strict(),
  z
    .object({
      type: z.literal('google'),
      mockIdp: z.string().min(1).optional().meta({ description: 'A mock IdP of vendor google (POST /_emulator/idps): pulled from its Directory API, own origin.' }),
      baseUrl: z.url().optional().meta({ description: 'Where /admin/directory/v1 is served (another Directory-API-compatible server; needs the admin key).' }),
      tokenUrl: z.url().optional(),
      clientId: z.string().min(1).max(500).optional(),
      clientSecret: z.string().min(1).max(500).optional(),
      groups: z.array(groupName).max(1000).optional().meta({ description: 'Only members of these groups are provisioned; every user when absent.' }),
      intervalMinutes: interval.optional(),
    })
    .strict(),
  z
    .object({
      type: z.literal('sftp'),
      publicKeys: z.array(z.string().min(1).max(4096)).max(20).optional().meta({ description: 'OpenSSH public keys that may sign in besides the password.' }),
      intervalMinutes: interval.optional(),
    })
    .strict(),
]);
export type DirectoryInput = z.infer<typeof directoryInput>;

export const uploadInput = z
  .object({
    'users.csv': z.string().max(MAX_CSV_BYTES).optional(),
    'groups.csv': z.string().max(MAX_CSV_BYTES).optional(),
  })
  .strict()
  .refine((v) => v['users.csv'] !== undefined || v['groups.csv'] !== undefined, 'send "users.csv" and/or "groups.csv" (the files\' text)');

export const syncViewSchema = z
  .object({
    id: z.string(),
    at: z.string(),
    trigger: z.enum(['manual', 'upload', 'interval']),
    type: z.enum(['google', 'sftp']),
    status: z.enum(['ok', 'failed']),
    summary: syncSummarySchema.strict(),
    error: syncErrorSchema.strict().optional(),
  })
  .strict();
export const syncDetailViewSchema = syncViewSchema.extend({ files: z.record(z.string(), z.string()) }).strict();
export const syncListViewSchema = z.object({ syncs: z.array(syncViewSchema) }).strict();

export const directoryViewSchema = z
  .object({
    type: z.enum(['none', 'scim', 'google', 'sftp']),
    connectedAt: z.string().optional(),
    google: z
      .object({
        mockIdp: z.string().optional(),
        baseUrl: z.string(),
        tokenUrl: z.string(),
        clientId: z.string(),
        /** Never the secret itself. */
        clientSecretSet: z.boolean(),
        groups: z.array(z.string()).optional(),
      })
      .strict()
      .optional(),
    sftp: z
      .object({
        host: z.string(),
        /** Null while the server is not listening (it starts with the connection). */
        port: z.number().int().nullable(),
        username: z.string(),
        password: z.string(),
        publicKeys: z.array(z.string()),
        files: z.array(z.string()),
      })
      .strict()
      .optional(),
    intervalMinutes: z.number().int().optional(),
    lastSyncAt: z.string().optional(),
    nextSyncAt: z.string().optional(),
    lastSync: syncViewSchema.optional(),
    managed: z.object({ users: z.number().int(), groups: z.number().int() }).strict(),
  })
  .strict();
export type DirectoryView = z.output<typeof directoryViewSchema>;
export type SyncView = z.output<typeof syncViewSchema>;

const now = (core: EmulatorCore, ws: WorkspaceState) => core.clockFor(ws.id).nowIso();

export function syncView(s: SyncRecord): SyncView {
  return { id: s.id, at: s.at, trigger: s.trigger, type: s.type, status: s.status, summary: s.summary, ...(s.error ? { error: s.error } : {}) };
}

/** The connection as admins see it: the client secret never, the SFTP password (the district types it in) yes. */
export function directoryView(core: EmulatorCore, ws: WorkspaceState): DirectoryView {
  const d = ws.directory;
  const c = d.connection;
  const managed = { users: Object.keys(d.managed.users).length, groups: Object.keys(d.managed.groups).length };
  const last = d.syncs[0];
  const base = { ...(d.lastSyncAt ? { lastSyncAt: d.lastSyncAt } : {}), ...(last ? { lastSync: syncView(last) } : {}), managed };
  if (!c) return { type: 'none', ...base };
  const connectedAt = d.connectedAt !== undefined ? { connectedAt: d.connectedAt } : {};
  if (c.type === 'scim') return { type: 'scim', ...connectedAt, ...base };
  const next = nextSyncAt(core, ws);
  const timing = { intervalMinutes: c.intervalMinutes, ...(next ? { nextSyncAt: next.toISOString() } : {}) };
  if (c.type === 'google') {
    return {
      type: 'google',
      ...connectedAt,
      google: {
        ...(c.mockIdp !== undefined ? { mockIdp: c.mockIdp } : {}),
        baseUrl: c.baseUrl,
        tokenUrl: c.tokenUrl,
        clientId: c.clientId,
        clientSecretSet: c.clientSecret !== '',
        ...(c.groups ? { groups: [...c.groups] } : {}),
      },
      ...timing,
      ...base,
    };
  }
  const address = directoryRuntime(core).sftpAddress;
  return {
    type: 'sftp',
    ...connectedAt,
    sftp: {
      host: address?.host ?? '127.0.0.1',
      port: address?.port ?? null,
      username: c.username,
      password: c.password,
      publicKeys: [...c.publicKeys],
      files: Object.keys(d.files).sort(),
    },
    ...timing,
    ...base,
  };
}

/** When the next interval sync is due on the workspace clock, if interval syncs are on. */
export function nextSyncAt(core: EmulatorCore, ws: WorkspaceState): Date | undefined {
  const c = ws.directory.connection;
  if (!c || c.type === 'scim' || c.intervalMinutes === 0) return undefined;
  const from = ws.directory.lastSyncAt ?? ws.directory.connectedAt;
  if (from === undefined) return undefined;
  return new Date(Date.parse(from) + c.intervalMinutes * 60_000);
}

/**
 * Refuses (403 `directory_target_not_allowed`) a Directory API or token URL other than this
 * emulator's own unless the admin key was sent: pulling with a caller's credentials from any host
 * and port would make the emulator a port scanner (docs/security.md).
 */
function checkTarget(core: EmulatorCore, url: string, privileged: boolean): void {
  if (privileged) return;
  let parsed: URL | undefined;
  try {
    parsed = new URL(url);
  } catch {
    parsed = undefined;
  }
  if (parsed && core.isOwnOrigin(parsed)) return;
  throw new EmulatorError({
    code: 'directory_target_not_allowed',
    status: 403,
    message: `A directory connection pulls without the admin key only from this emulator's own mock IdPs ({"type":"google","mockIdp":"<id>"}), not from ${url}. Send "Authorization: Bearer <admin key>" to pull from another server.`,
    details: { target: url },
  });
}

function connectGoogle(core: EmulatorCore, ws: WorkspaceState, input: Extract<DirectoryInput, { type: 'google' }>, origin: string, actor: string): DirectoryConnection {
  const intervalMinutes = input.intervalMinutes ?? DEFAULT_INTERVAL_MINUTES;
  const groups = input.groups ? [...new Set(input.groups.map((g) => g.trim()))] : undefined;
  if (input.mockIdp !== undefined) {
    const extra = (['baseUrl', 'tokenUrl', 'clientId', 'clientSecret'] as const).filter((k) => input[k] !== undefined);
    if (extra.length > 0) throw badRequest('invalid_directory_config', `Give either "mockIdp" or ${extra.map((k) => `"${k}"`).join(', ')}, not both: the mock IdP brings its own URLs and client.`);
    const idp = requireIdp(core, input.mockIdp);
    if (idp.vendor !== 'google') {
      throw badRequest('invalid_directory_config', `Mock IdP "${idp.id}" is a ${idp.vendor} IdP; only a google one serves the Directory API. Create one with POST /_emulator/idps {"vendor":"google"}.`);
    }
    const previous = ws.directory.connection;
    const reuse = previous?.type === 'google' && previous.mockIdp === idp.id && Object.hasOwn(idp.oidcClients, previous.clientId) ? previous : undefined;
    const client = reuse
      ? { clientId: reuse.clientId, clientSecret: reuse.clientSecret }
      : registerOidcClient(core, idp, { clientId: `${ws.id}-directory-${randomBytes(4).toString('hex')}`, redirectUris: [] }, actor);
    const base = `${idpEndpoints(origin, idp.id).baseUrl}/google`;
    return { type: 'google', mockIdp: idp.id, baseUrl: base, tokenUrl: `${base}/token`, clientId: client.clientId, clientSecret: client.clientSecret, ...(groups ? { groups } : {}), intervalMinutes };
  }
  const missing = (['baseUrl', 'tokenUrl', 'clientId', 'clientSecret'] as const).filter((k) => input[k] === undefined);
  if (missing.length > 0) {
    throw badRequest('invalid_directory_config', `A Google connection needs {"mockIdp"} or all of "baseUrl", "tokenUrl", "clientId", "clientSecret"; missing ${missing.map((k) => `"${k}"`).join(', ')}.`);
  }
  const privileged = actor === ACTOR_ADMIN_KEY;
  checkTarget(core, input.baseUrl!, privileged);
  checkTarget(core, input.tokenUrl!, privileged);
  return { type: 'google', baseUrl: input.baseUrl!.replace(/\/+$/, ''), tokenUrl: input.tokenUrl!, clientId: input.clientId!, clientSecret: input.clientSecret!, ...(groups ? { groups } : {}), intervalMinutes };
}

/** Sets the workspace's directory connection; a change of type starts over (what earlier syncs made stays, unmanaged). */
export async function setDirectory(core: EmulatorCore, ws: WorkspaceState, input: DirectoryInput, origin: string, actor: string): Promise<DirectoryConnection> {
  let connection: DirectoryConnection;
  if (input.type === 'scim') connection = { type: 'scim' };
  else if (input.type === 'google') connection = connectGoogle(core, ws, input, origin, actor);
  else {
    const previous = ws.directory.connection;
    const keep = previous?.type === 'sftp' ? previous : undefined;
    // Started before anything is saved, so a port that cannot be bound changes nothing.
    await directoryRuntime(core).startSftp();
    connection = {
      type: 'sftp',
      username: keep?.username ?? `${ws.id}-sftp`,
      password: keep?.password ?? randomBytes(18).toString('base64url'),
      publicKeys: input.publicKeys ?? keep?.publicKeys ?? [],
      intervalMinutes: input.intervalMinutes ?? 0,
    };
  }
  const previous = ws.directory.connection;
  const sameSource =
    previous !== null &&
    previous.type === connection.type &&
    (connection.type !== 'google' || (previous.type === 'google' && previous.baseUrl === connection.baseUrl));
  if (!sameSource) {
    ws.directory.managed = { users: {}, groups: {} };
    ws.directory.files = {};
    delete ws.directory.lastSyncAt;
  }
  ws.directory.connection = connection;
  ws.directory.connectedAt = now(core, ws);
  core.record(ws, 'directory.connected', actor, {
    type: connection.type,
    ...(connection.type === 'google' ? { baseUrl: connection.baseUrl, ...(connection.groups ? { groups: connection.groups } : {}) } : {}),
  });
  return connection;
}

export function removeDirectory(core: EmulatorCore, ws: WorkspaceState, actor: string): void {
  const previous = ws.directory.connection;
  if (!previous) throw notFound('directory_not_configured', `Workspace "${ws.id}" has no directory connection. Set one with PUT /w/${ws.id}/api/directory.`);
  ws.directory.connection = null;
  ws.directory.managed = { users: {}, groups: {} };
  ws.directory.files = {};
  delete ws.directory.connectedAt;
  delete ws.directory.lastSyncAt;
  core.record(ws, 'directory.disconnected', actor, { type: previous.type });
}

/** Refuses (409 `directory_not_csv`) a CSV upload to a workspace whose directory is not an SFTP one. */
export function checkCsvUpload(ws: WorkspaceState): void {
  const c = ws.directory.connection;
  if (c?.type !== 'sftp') {
    throw conflict('directory_not_csv', `Workspace "${ws.id}" has ${c ? `a ${c.type}` : 'no'} directory connection; CSV files are taken by an SFTP connection: PUT /w/${ws.id}/api/directory {"type":"sftp"}.`);
  }
}

export function requireSync(ws: WorkspaceState, id: string): SyncRecord {
  const s = ws.directory.syncs.find((x) => x.id === id);
  if (!s) throw notFound('sync_not_found', `Workspace "${ws.id}" has no sync "${id}". List them with GET /w/${ws.id}/api/directory/syncs.`);
  return s;
}

export type SyncTrigger = SyncRecord['trigger'];

// A mock IdP is this emulator itself: answered in process whatever origin and port the connection
// was made under (a restart on another port keeps working).
const ownMockIdpFetch = (core: EmulatorCore) => (url: string, init?: RequestInit) => core.selfFetch(new Request(url, init));

function asSyncError(err: unknown): SyncRecord['error'] {
  if (err instanceof EmulatorError) {
    const d = err.details ?? {};
    return {
      code: err.code,
      message: err.message,
      ...(typeof d.file === 'string' ? { file: d.file } : {}),
      ...(typeof d.line === 'number' ? { line: d.line } : {}),
      ...(typeof d.column === 'number' ? { column: d.column } : {}),
    };
  }
  return { code: 'directory_sync_failed', message: `The sync stopped: ${err instanceof Error ? err.message : String(err)}.` };
}

/**
 * Runs one sync of the workspace's directory: reads it (Google pull, or the CSV files with
 * `upload` merged over the kept ones), then applies it whole. A failure of any kind applies
 * nothing, keeps the previous files, and is recorded as a failed sync with its error; the
 * record is returned either way, with the error to answer when it failed. 409 `directory_sync_busy` while another sync of the workspace runs.
 */
export async function runSync(
  core: EmulatorCore,
  wsId: string,
  trigger: SyncTrigger,
  actor: string,
  origin: string,
  upload?: Record<string, string>,
): Promise<{ record: SyncRecord; failure?: EmulatorError }> {
  const first = core.requireWorkspace(wsId);
  const connection = first.directory.connection;
  if (!connection) throw conflict('directory_not_configured', `Workspace "${wsId}" has no directory connection. Set one with PUT /w/${wsId}/api/directory.`);
  if (connection.type === 'scim') {
    throw conflict('directory_push_only', `Workspace "${wsId}" takes SCIM pushed by its IdP; there is nothing to pull. Push from the IdP (POST /idp/<id>/provision), or connect a Google or SFTP directory.`);
  }
  const runtime = directoryRuntime(core);
  if (runtime.running.has(wsId)) throw conflict('directory_sync_busy', `A sync of workspace "${wsId}" is running; wait for it to end.`);
  runtime.running.add(wsId);
  const files: Record<string, string> = connection.type === 'sftp' ? { ...first.directory.files, ...(upload ?? {}) } : {};
  let snapshot: DirectorySnapshot | undefined;
  let failure: unknown;
  try {
    snapshot =
      connection.type === 'google'
        ? await pullGoogleDirectory({ fetch: connection.mockIdp !== undefined ? ownMockIdpFetch(core) : core.outboundFetch, baseUrl: connection.baseUrl, tokenUrl: connection.tokenUrl, clientId: connection.clientId, clientSecret: connection.clientSecret, groups: connection.groups, sleep: runtime.sleep })
        : csvSnapshot(files);
  } catch (err) {
    failure = err;
  } finally {
    runtime.running.delete(wsId);
  }
  // The workspace may have been reset or deleted, or its connection changed, during the pull.
  const ws = core.workspace(wsId);
  if (!ws) throw notFound('workspace_not_found', `Workspace "${wsId}" was deleted during the sync; nothing was applied.`);
  if (ws.directory.connection?.type !== connection.type) {
    throw conflict('directory_changed', `The directory connection of workspace "${wsId}" changed during the sync; nothing was applied. Sync again.`);
  }
  let summary: SyncSummary = emptySummary();
  if (snapshot && failure === undefined) {
    try {
      summary = applySnapshot(core, ws, snapshot, `directory:${connection.type}`, `${origin}/w/${ws.id}/scim/v2`);
    } catch (err) {
      failure = err;
    }
  }
  const record = recordSync(core, ws, { trigger, actor, type: connection.type, summary, failure, warnings: snapshot?.warnings ?? [], files: connection.type === 'sftp' ? files : {} });
  if (failure === undefined) return { record };
  const error =
    failure instanceof EmulatorError
      ? new EmulatorError({ code: failure.code, status: failure.status, message: failure.message, details: { ...(failure.details ?? {}), syncId: record.id } })
      : new EmulatorError({ code: record.error!.code, status: 500, message: record.error!.message, details: { syncId: record.id } });
  return { record, failure: error };
}

/**
 * The bytes of CSV text the sync history keeps (saved with the state): the newest syncs keep their
 * files, older ones keep their record without them. Without a bound, 50 uploads of 1 MiB files
 * (even refused ones, which cost little) would add 50-100 MiB to the state (docs/security.md).
 */
export const MAX_HISTORY_FILE_BYTES = 4 * 1024 * 1024;

function keepFileBytes(syncs: SyncRecord[]): SyncRecord[] {
  let budget = MAX_HISTORY_FILE_BYTES;
  return syncs.map((s) => {
    const size = Object.values(s.files).reduce((n, text) => n + Buffer.byteLength(text), 0);
    if (size === 0) return s;
    if (size <= budget) {
      budget -= size;
      return s;
    }
    budget = 0;
    return { ...s, files: {} };
  });
}

/**
 * Records one sync (ok or failed) in the history and the journal; a good one moves `lastSyncAt`
 * and keeps the CSV files it read.
 */
export function recordSync(
  core: EmulatorCore,
  ws: WorkspaceState,
  s: { trigger: SyncTrigger; actor: string; type: 'google' | 'sftp'; summary: SyncSummary; failure: unknown; warnings: string[]; files: Record<string, string> },
): SyncRecord {
  const at = now(core, ws);
  const failed = s.failure !== undefined;
  const record: SyncRecord = {
    id: newId('sync'),
    at,
    trigger: s.trigger,
    type: s.type,
    status: failed ? 'failed' : 'ok',
    summary: failed ? { ...emptySummary(s.warnings), errors: 1 } : s.summary,
    ...(failed ? { error: asSyncError(s.failure) } : {}),
    files: s.files,
  };
  if (!failed) {
    if (s.type === 'sftp') ws.directory.files = s.files;
    ws.directory.lastSyncAt = at;
  } else if (s.trigger === 'interval') {
    // A failed interval sync waits a whole interval too, rather than retrying at every tick.
    ws.directory.lastSyncAt = at;
  }
  ws.directory.syncs = keepFileBytes([record, ...ws.directory.syncs].slice(0, SYNC_HISTORY_LIMIT));
  core.record(ws, failed ? 'directory.sync_failed' : 'directory.synced', s.actor, {
    syncId: record.id,
    type: s.type,
    trigger: s.trigger,
    summary: record.summary,
    ...(record.error ? { error: record.error } : {}),
  });
  return record;
}

/** The CSV file an uploaded name stands for (`users.csv`, `groups.csv`); 400 `invalid_csv_name` otherwise. */
export function checkCsvName(name: string): (typeof CSV_FILES)[number] {
  const lower = name.replace(/^.*\//, '').toLowerCase();
  const found = CSV_FILES.find((f) => f === lower);
  if (!found) throw badRequest('invalid_csv_name', `"${name}" is not a file the directory reads: upload ${CSV_FILES.join(' and ')}.`);
  return found;
}
