// The last SCIM requests of each workspace, in memory only (never persisted): what the web
// console shows a trainer while an IdP syncs.
import { z } from 'zod';
import { runtimeSlot, type EmulatorCore } from '../emulator.js';
import type { WorkspaceState } from '../store/state.js';

export const REQUEST_LOG_SIZE = 200;

/** One logged SCIM request as the admin API shows it; the one source of its type and documented schema. */
export const scimRequestEntrySchema = z.object({
  time: z.string(),
  method: z.string(),
  path: z.string(),
  /** The query string without `?`, when there was one. */
  query: z.string().optional(),
  status: z.number().int(),
  /** The SCIM token that authenticated the request; null when none did. */
  tokenId: z.string().nullable(),
});
export type ScimRequestEntry = z.output<typeof scimRequestEntrySchema>;

/** A request as logged: its time as the clock read it, formatted only when the log is read. */
export interface LoggedScimRequest {
  /** The workspace clock's reading, ms since the epoch. */
  at: number;
  method: string;
  path: string;
  query: string | undefined;
  status: number;
  tokenId: string | null;
}

function entryOf(r: LoggedScimRequest): ScimRequestEntry {
  return {
    time: new Date(r.at).toISOString(),
    method: r.method,
    path: r.path,
    ...(r.query !== undefined ? { query: r.query } : {}),
    status: r.status,
    tokenId: r.tokenId,
  };
}

/** A fixed-size ring: adding is O(1) and the oldest entry falls out. */
class RequestRing {
  private readonly items: (LoggedScimRequest | undefined)[] = new Array(REQUEST_LOG_SIZE);
  private next = 0;
  private size = 0;

  add(entry: LoggedScimRequest): void {
    this.items[this.next] = entry;
    this.next = (this.next + 1) % REQUEST_LOG_SIZE;
    this.size = Math.min(this.size + 1, REQUEST_LOG_SIZE);
  }

  /** Newest first. */
  list(): ScimRequestEntry[] {
    const out: ScimRequestEntry[] = [];
    for (let i = 1; i <= this.size; i++) {
      const e = this.items[(this.next - i + REQUEST_LOG_SIZE) % REQUEST_LOG_SIZE];
      if (e) out.push(entryOf(e));
    }
    return out;
  }
}

/** Per emulator, keyed by the workspace object: a reset or deleted workspace takes its log with it. */
export const SCIM_REQUEST_LOGS = runtimeSlot('scim request logs', () => new WeakMap<WorkspaceState, RequestRing>());

export function logScimRequest(core: EmulatorCore, ws: WorkspaceState, entry: LoggedScimRequest): void {
  const rings = core.runtime(SCIM_REQUEST_LOGS);
  let ring = rings.get(ws);
  if (!ring) rings.set(ws, (ring = new RequestRing()));
  ring.add(entry);
}

/** The workspace's recent SCIM requests, newest first. */
export function recentScimRequests(core: EmulatorCore, ws: WorkspaceState): ScimRequestEntry[] {
  return core.runtime(SCIM_REQUEST_LOGS).get(ws)?.list() ?? [];
}
