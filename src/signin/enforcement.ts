// SSO enforcement (docs/rules.md §3): raising it above `off` needs a configured connection, a
// successful SSO sign-in since the connection last changed, and an owner who keeps a way in,
// unless forced (which is recorded). Every change answers with the what-if of who it blocks.
import { z } from 'zod';
import type { EmulatorCore } from '../emulator.js';
import { conflict } from '../errors.js';
import { ENFORCEMENT_LEVELS, type EnforcementLevel, type WorkspaceState } from '../store/state.js';
import { previewEnforcement, type EnforcementPreview } from './enforcement-preview.js';

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

/** 409 `owner_lockout` naming each owner and why they would have no way in. */
function ownerLockout(ws: WorkspaceState, level: EnforcementLevel, preview: EnforcementPreview) {
  const owners = preview.members.filter((r) => r.role === 'owner' && r.status !== 'deactivated');
  const why = owners.map((r) => `${r.email}: ${r.keepsWayIn === null ? 'cannot be known' : 'no way in'} (${r.reason})`);
  return conflict(
    'owner_lockout',
    `Enforcing "${level}" would leave no owner a sure way in — ${why.join('; ')}. Turn on break-glass password sign-in for owners (PATCH /w/${ws.id}/api/settings {"breakGlass": true}), or have an owner sign in through SSO first; see GET /w/${ws.id}/api/sso/enforcement/preview?level=${level}. Or send "force": true to override (it is recorded).`,
    { level, owners: owners.map((r) => ({ email: r.email, keepsWayIn: r.keepsWayIn ?? null, rule: r.rule })) },
  );
}

/**
 * Sets the level after the guards (connection, tested, an owner keeps a way in; `force` overrides
 * the last two) and answers with the view and the what-if of the change, computed before it.
 * A workspace with no owner (run with the emulator admin key) has no owner to lock out.
 */
export function setEnforcement(core: EmulatorCore, ws: WorkspaceState, level: EnforcementLevel, force: boolean, actor: string): EnforcementView & { preview: EnforcementPreview } {
  const from = ws.sso.enforcement;
  const preview = previewEnforcement(core, ws, level);
  let lockoutOverridden = false;
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
    if (preview.owners.total > 0 && preview.owners.keepWayIn === 0) {
      if (!force) throw ownerLockout(ws, level, preview);
      lockoutOverridden = true;
    }
  }
  if (level !== from) {
    ws.sso.enforcement = level;
    ws.sso.enforcementChangedAt = core.clockFor(ws.id).nowIso();
    const forced = force && level !== 'off' && (ws.sso.lastSuccessAt === undefined || lockoutOverridden);
    const blocked = preview.members.filter((r) => r.outcome === 'newly_blocked').map((r) => r.email);
    core.record(ws, 'sso.enforcement_changed', actor, {
      from,
      to: level,
      ...(forced ? { forced: true } : {}),
      ...(lockoutOverridden ? { ownerLockout: true } : {}),
      ...(blocked.length > 0 ? { newlyBlocked: blocked.length } : {}),
    });
  }
  return { ...enforcementView(ws), preview };
}
