// Workspace settings (docs/rules.md §4): automatic account creation and owner break-glass sign-in.
import type { EmulatorCore } from '../emulator.js';
import type { WorkspaceSettings, WorkspaceState } from '../store/state.js';

/** Applies a settings change; records one event listing what changed. */
export function updateSettings(
  core: EmulatorCore,
  ws: WorkspaceState,
  patch: Partial<WorkspaceSettings>,
  actor: string,
): WorkspaceSettings {
  const changes: Record<string, { from: boolean; to: boolean }> = {};
  for (const key of Object.keys(patch) as (keyof WorkspaceSettings)[]) {
    const to = patch[key];
    if (to !== undefined && ws.settings[key] !== to) changes[key] = { from: ws.settings[key], to };
  }
  for (const [key, change] of Object.entries(changes)) ws.settings[key as keyof WorkspaceSettings] = change.to;
  if (Object.keys(changes).length > 0) core.record(ws, 'settings.changed', actor, { changes });
  return { ...ws.settings };
}
