// The persisted shape of the emulator: plain JSON, validated with zod on load and on import.
// Lookup indexes are derived from it at load (see workspaces/registry.ts) and never persisted.
import { z } from 'zod';

export const STATE_FORMAT = 'edu-workspace-emulator/state';
export const STATE_VERSION = 1;

const isoTime = z.string().refine((s) => !Number.isNaN(Date.parse(s)), 'must be an ISO 8601 time');

export const domainRecordSchema = z.object({
  domain: z.string().min(1),
  status: z.enum(['pending', 'verified', 'expired']),
  token: z.string().min(1),
  createdAt: isoTime,
  expiresAt: isoTime,
  verifiedAt: isoTime.optional(),
  lastCheckedAt: isoTime.optional(),
});
export type DomainRecord = z.infer<typeof domainRecordSchema>;

export const eventRecordSchema = z.object({
  id: z.string(),
  seq: z.number().int().nonnegative(),
  time: isoTime,
  workspace: z.string().nullable(),
  type: z.string().min(1),
  actor: z.string(),
  detail: z.record(z.string(), z.unknown()),
});
export type EventRecord = z.infer<typeof eventRecordSchema>;

export const workspaceSettingsSchema = z.object({
  automaticAccountCreation: z.boolean().default(false),
  breakGlass: z.boolean().default(false),
});
export type WorkspaceSettings = z.infer<typeof workspaceSettingsSchema>;

export const workspaceStateSchema = z.object({
  id: z.string().min(1),
  name: z.string(),
  createdAt: isoTime,
  clockOffsetMs: z.number().finite().default(0),
  settings: workspaceSettingsSchema.default({ automaticAccountCreation: false, breakGlass: false }),
  domains: z.record(z.string(), domainRecordSchema).default({}),
  events: z.array(eventRecordSchema).default([]),
});
export type WorkspaceState = z.infer<typeof workspaceStateSchema>;

export const emulatorStateSchema = z.object({
  format: z.literal(STATE_FORMAT),
  version: z.literal(STATE_VERSION),
  savedAt: isoTime.optional(),
  clock: z.object({ offsetMs: z.number().finite() }).default({ offsetMs: 0 }),
  dns: z.record(z.string(), z.array(z.string())).default({}),
  workspaces: z.record(z.string(), workspaceStateSchema),
  /** Emulator-level events (workspace null); each workspace keeps its own in `events`. */
  events: z
    .object({ seq: z.number().int().nonnegative(), items: z.array(eventRecordSchema) })
    .default({ seq: 0, items: [] }),
});
export type EmulatorState = z.infer<typeof emulatorStateSchema>;

/** Validates a state document (from a data file or an import); returns the issues when invalid. */
export function parseState(
  input: unknown,
): { ok: true; state: EmulatorState } | { ok: false; issues: string[] } {
  const result = emulatorStateSchema.safeParse(input);
  if (result.success) {
    for (const [key, ws] of Object.entries(result.data.workspaces)) {
      if (ws.id !== key) {
        return { ok: false, issues: [`workspaces.${key}.id: must equal its key "${key}", got "${ws.id}"`] };
      }
    }
    return { ok: true, state: result.data };
  }
  return {
    ok: false,
    issues: result.error.issues.slice(0, 20).map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`),
  };
}
