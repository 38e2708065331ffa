// Workspace settings (docs/rules.md §4): automatic account creation, owner break-glass sign-in, and
// how SCIM reads what clients send (docs/rules.md §17).
import { z } from 'zod';
import type { EmulatorCore } from '../emulator.js';
import { conflict } from '../errors.js';
import type { WorkspaceSettings, WorkspaceState } from '../store/state.js';

/** The settings as the admin API shows them; the one source of their documented schema. */
export const settingsViewSchema = z.object({
  automaticAccountCreation: z.boolean(),
  breakGlass: z.boolean(),
  scimCompatibility: z.enum(['strict', 'lenient']),
});
export type SettingsView = z.output<typeof settingsViewSchema>;

/** The settings' public shape (a copy). */
export function settingsView(ws: WorkspaceState): SettingsView {
  return {
    automaticAccountCreation: ws.settings.automaticAccountCreation,
    breakGlass: ws.settings.breakGlass,
    scimCompatibility: ws.settings.scimCompatibility,
  };
}

/** Applies a settings change; records one event listing what changed. */
export function updateSettings(
  core: EmulatorCore,
  ws: WorkspaceState,
  patch: Partial<WorkspaceSettings>,
  actor: string,
): SettingsView {
  // Automatic account creation needs a verified domain (help-center article 9672121): it adds
  // users by their verified email domain, so without one it could add nobody.
  if (patch.automaticAccountCreation === true && !ws.settings.automaticAccountCreation && !Object.values(ws.domains).some((d) => d.status === 'verified')) {
    throw conflict(
      'domain_not_verified',
      'Automatic account creation adds users of the workspace\'s verified domains, and none is verified yet: verify a domain (POST /api/domains, then /verify) and switch it on again.',
    );
  }
  const changes: Record<string, { from: boolean | string; to: boolean | string }> = {};
  for (const key of Object.keys(patch) as (keyof WorkspaceSettings)[]) {
    const to = patch[key];
    if (to !== undefined && ws.settings[key] !== to) changes[key] = { from: ws.settings[key], to };
  }
  const settings = ws.settings as Record<keyof WorkspaceSettings, boolean | string>;
  for (const [key, change] of Object.entries(changes)) settings[key as keyof WorkspaceSettings] = change.to;
  if (Object.keys(changes).length > 0) core.record(ws, 'settings.changed', actor, { changes });
  return settingsView(ws);
}
