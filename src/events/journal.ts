// The event journal: every state change and decision, with time, workspace, actor and detail.
// Capped per workspace (and for emulator-level events) so memory stays bounded; subscribers get
// each event as it is recorded (server-sent events read from here).
import type { EmulatorState, EventRecord, WorkspaceState } from '../store/state.js';

export const EVENTS_PER_WORKSPACE = 2_000;

export type EventListener = (event: EventRecord) => void;

export interface EventQuery {
  workspace?: string;
  /** Exact type, or a prefix ending in `.` or `*` (`domain.` / `domain.*`). */
  type?: string;
  /** Only events with seq greater than this. */
  after?: number;
  limit?: number;
}

export class Journal {
  private readonly listeners = new Set<EventListener>();

  constructor(
    private readonly getState: () => EmulatorState,
    private readonly onRecord: () => void,
    /** Drops the first `count` events of a list (the state tracker does it without a write per moved event). */
    private readonly trim: (list: EventRecord[], count: number) => void = (list, count) => void list.splice(0, count),
    /** Appends an event to the list at `path` (the state tracker does it without a proxied push); answers the list's length. */
    private readonly append: (list: EventRecord[], event: EventRecord, path: string[]) => number = (list, event) => list.push(event),
  ) {}

  /** Records one event; `time` (ISO 8601) comes from the caller's clock (the workspace's emulator clock). */
  record(
    workspace: WorkspaceState | null,
    type: string,
    actor: string,
    detail: Record<string, unknown>,
    time: string,
  ): EventRecord {
    const state = this.getState();
    const seq = ++state.events.seq;
    const event: EventRecord = {
      id: `evt_${seq}`,
      seq,
      time,
      workspace: workspace ? workspace.id : null,
      type,
      actor,
      detail,
    };
    const list = workspace ? workspace.events : state.events.items;
    const length = this.append(list, event, workspace ? ['workspaces', workspace.id, 'events'] : ['events', 'items']);
    // Trim in batches so the cost per event stays constant.
    if (length > EVENTS_PER_WORKSPACE + EVENTS_PER_WORKSPACE / 4) {
      this.trim(list, length - EVENTS_PER_WORKSPACE);
    }
    this.onRecord();
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch {
        // A failing subscriber must not break the change that was recorded.
      }
    }
    return event;
  }

  /** Events matching the query, oldest first. */
  list(query: EventQuery = {}): EventRecord[] {
    const state = this.getState();
    let sources: EventRecord[][];
    if (query.workspace !== undefined) {
      const ws = state.workspaces[query.workspace];
      sources = ws ? [ws.events] : [];
    } else {
      sources = [state.events.items, ...Object.values(state.workspaces).map((w) => w.events)];
    }
    const matches = matcher(query);
    let out = sources.flatMap((list) => list.filter(matches));
    if (sources.length > 1) out.sort((a, b) => a.seq - b.seq);
    if (query.limit !== undefined && out.length > query.limit) out = out.slice(out.length - query.limit);
    return out;
  }

  subscribe(listener: EventListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}

/** A predicate for one event, from the same query that `list` takes. */
export function matcher(query: EventQuery): (e: EventRecord) => boolean {
  const type = query.type;
  const prefix = type?.endsWith('*') ? type.slice(0, -1) : type?.endsWith('.') ? type : undefined;
  return (e) =>
    (query.workspace === undefined || e.workspace === query.workspace) &&
    (query.after === undefined || e.seq > query.after) &&
    (type === undefined || (prefix !== undefined ? e.type.startsWith(prefix) : e.type === type));
}
