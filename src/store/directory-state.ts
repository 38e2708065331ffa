// The saved form of a workspace's directory connection (docs/directory-sync.md): SCIM pushed, Google
// Workspace pulled, or CSV files over SFTP; what the syncs manage and the history of the last syncs.
import { z } from 'zod';

export { newDirectoryState } from './new-state.js';

const isoTime = z.string().refine((s) => !Number.isNaN(Date.parse(s)), 'must be an ISO 8601 time');

/** The last syncs kept per workspace (older ones are dropped). */
export const SYNC_HISTORY_LIMIT = 50;

export const directoryConnectionSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('scim') }),
  z.object({
    type: z.literal('google'),
    /** The mock IdP pulled from, when the connection was made with `{"mockIdp"}`. */
    mockIdp: z.string().optional(),
    baseUrl: z.string().min(1),
    tokenUrl: z.string().min(1),
    clientId: z.string().min(1),
    /** Kept to ask the token endpoint again; never part of an answer. */
    clientSecret: z.string().min(1),
    /** Group names whose members are provisioned; every user when absent. */
    groups: z.array(z.string()).optional(),
    /** Minutes between interval syncs on the workspace clock (0: never). */
    intervalMinutes: z.number().int().nonnegative(),
  }),
  z.object({
    type: z.literal('sftp'),
    username: z.string().min(1),
    /** Shown to admins in GET /api/directory (the district types it into its SFTP client). */
    password: z.string().min(1),
    /** OpenSSH public keys (`ssh-ed25519 AAAA…`) that may sign in instead of the password. */
    publicKeys: z.array(z.string()).default([]),
    intervalMinutes: z.number().int().nonnegative(),
  }),
]);
export type DirectoryConnection = z.infer<typeof directoryConnectionSchema>;

export const syncSummarySchema = z.object({
  created: z.number().int().nonnegative(),
  updated: z.number().int().nonnegative(),
  deactivated: z.number().int().nonnegative(),
  reactivated: z.number().int().nonnegative(),
  groups: z.object({ created: z.number().int().nonnegative(), updated: z.number().int().nonnegative(), deleted: z.number().int().nonnegative() }),
  memberships: z.object({ added: z.number().int().nonnegative(), removed: z.number().int().nonnegative() }),
  errors: z.number().int().nonnegative(),
  /** What was read but not used (unknown CSV columns, users left out by the group filter…). */
  warnings: z.array(z.string()),
});
export type SyncSummary = z.infer<typeof syncSummarySchema>;

export const syncErrorSchema = z.object({
  code: z.string(),
  message: z.string(),
  file: z.string().optional(),
  line: z.number().int().positive().optional(),
  column: z.number().int().positive().optional(),
});
export type SyncError = z.infer<typeof syncErrorSchema>;

export const syncRecordSchema = z.object({
  id: z.string().min(1),
  at: isoTime,
  trigger: z.enum(['manual', 'upload', 'interval']),
  type: z.enum(['google', 'sftp']),
  status: z.enum(['ok', 'failed']),
  summary: syncSummarySchema,
  error: syncErrorSchema.optional(),
  /** The CSV files a CSV sync read, by name (users.csv, groups.csv). */
  files: z.record(z.string(), z.string()).default({}),
});
export type SyncRecord = z.infer<typeof syncRecordSchema>;

export const directoryStateSchema = z.object({
  connection: directoryConnectionSchema.nullable().default(null),
  connectedAt: isoTime.optional(),
  /** The CSV files last uploaded (the next sync reads them), by name. */
  files: z.record(z.string(), z.string()).default({}),
  /** Directory id → workspace member / group id, for what the syncs of this connection made. */
  managed: z
    .object({ users: z.record(z.string(), z.string()).default({}), groups: z.record(z.string(), z.string()).default({}) })
    .default({ users: {}, groups: {} }),
  lastSyncAt: isoTime.optional(),
  /** Newest first, at most SYNC_HISTORY_LIMIT. */
  syncs: z.array(syncRecordSchema).default([]),
});
export type DirectoryState = z.infer<typeof directoryStateSchema>;
