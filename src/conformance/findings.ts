// Conformance findings saved with the workspace state: newest 10,000 per workspace, each add one
// key written (and at most one deleted), so recording stays O(1) however many are kept.
import type { EmulatorCore } from '../emulator.js';
import type { ConformanceFinding, ConformanceState, WorkspaceState } from '../store/state.js';

export const MAX_FINDINGS = 10_000;

/** A finding before it is numbered. */
export type NewFinding = Omit<ConformanceFinding, 'seq' | 'request'> & { request: Omit<ConformanceFinding['request'], 'id'> };

// A state handed over as is (createEmulator({state}), replaceState) may predate the field.
const saved = (ws: WorkspaceState): ConformanceState | undefined => (ws as { conformance?: ConformanceState }).conformance;

/** Numbers and saves the findings of one request (they share its request id). */
export function addFindings(ws: WorkspaceState, findings: NewFinding[]): void {
  if (findings.length === 0) return;
  const state = saved(ws) ?? (ws.conformance = { seq: 0, findings: {} });
  const requestId = `req_${state.seq + 1}`;
  for (const f of findings) {
    const seq = state.seq + 1;
    state.seq = seq;
    state.findings[`f${seq}`] = { ...f, seq, request: { id: requestId, ...f.request } };
    const dropped = `f${seq - MAX_FINDINGS}`;
    if (seq > MAX_FINDINGS && Object.hasOwn(state.findings, dropped)) delete state.findings[dropped];
  }
}

/** The saved findings, oldest first, optionally only those of requests at or after `since`. */
export function listFindings(ws: WorkspaceState, since?: number): ConformanceFinding[] {
  const all = Object.values(saved(ws)?.findings ?? {}).sort((a, b) => a.seq - b.seq);
  return since === undefined ? all : all.filter((f) => Date.parse(f.request.at) >= since);
}

/** Forgets every finding (the counter goes on, so request ids stay unique). */
export function clearFindings(core: EmulatorCore, ws: WorkspaceState, actor: string): void {
  const state = saved(ws);
  const count = Object.keys(state?.findings ?? {}).length;
  ws.conformance = { seq: state?.seq ?? 0, findings: {} };
  core.record(ws, 'conformance.cleared', actor, { count });
}
