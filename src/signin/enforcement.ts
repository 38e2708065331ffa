// SSO enforcement (docs/rules.md §3): raising it above `off` needs a configured connection and a
// successful SSO sign-in since the connection last changed, unless forced (which is recorded).
import { z } from 'zod';
import type { EmulatorCore } from '../emulator.js';
import { conflict } from '../errors.js';
import { ENFORCEMENT_LEVELS, type EnforcementLevel, type WorkspaceState } from '../store/state.js';

/** SSO enforcement as the admin API shows it; the one source of its type and documented schema. */
export const enforcementViewSchema = z.object({
  level: z.enum(ENFORCEMENT_LEVELS),
  ssoConfigured: z.boolean(),
  /** A successful SSO sign-in since the connection last changed. */
  tested: z.boolean(),
  lastSuccessfulSsoAt: z.string().optional(),
  changedAt: z.string().optional(),
});
export type EnforcementView = z.output<typeof enforcementViewSchema>;

export function enforcementView(ws: WorkspaceState): EnforcementView {
  return {
    level: ws.sso.enforcement,
    ssoConfigured: ws.sso.connection !== null,
    tested: ws.sso.lastSuccessAt !== undefined,
    ...(ws.sso.lastSuccessAt ? { lastSuccessfulSsoAt: ws.sso.lastSuccessAt } : {}),
    ...(ws.sso.enforcementChangedAt ? { changedAt: ws.sso.enforcementChangedAt } : {}),
  };
}

export function setEnforcement(core: EmulatorCore, ws: WorkspaceState, level: EnforcementLevel, force: boolean, actor: string): EnforcementView {
  const from = ws.sso.enforcement;
  if (level !== 'off' && level !== from) {
    if (ws.sso.connection === null) {
      throw conflict(
        'sso_not_configured',
        `SSO enforcement "${level}" needs an SSO connection: configure one with PUT /w/${ws.id}/api/sso first, then test it with a sign-in.`,
      );
    }
    if (ws.sso.lastSuccessAt === undefined && !force) {
      throw conflict(
        'sso_untested',
        `Nobody has signed in through SSO since the connection last changed, so enforcing "${level}" could lock everyone out. Sign in once through SSO with a test user, or send "force": true to override (it is recorded).`,
      );
    }
  }
  if (level !== from) {
    ws.sso.enforcement = level;
    ws.sso.enforcementChangedAt = core.clockFor(ws.id).now().toISOString();
    const forced = force && level !== 'off' && ws.sso.lastSuccessAt === undefined;
    core.record(ws, 'sso.enforcement_changed', actor, { from, to: level, ...(forced ? { forced: true } : {}) });
  }
  return enforcementView(ws);
}
