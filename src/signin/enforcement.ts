// SSO enforcement (docs/rules.md §3): raising it above `off` needs a configured connection and a
// successful SSO sign-in since the connection last changed, unless forced (which is recorded).
import type { EmulatorCore } from '../emulator.js';
import { conflict } from '../errors.js';
import type { EnforcementLevel, WorkspaceState } from '../store/state.js';

export function enforcementView(ws: WorkspaceState) {
  return {
    level: ws.sso.enforcement,
    ssoConfigured: ws.sso.connection !== null,
    tested: ws.sso.lastSuccessAt !== undefined,
    ...(ws.sso.lastSuccessAt ? { lastSuccessfulSsoAt: ws.sso.lastSuccessAt } : {}),
    ...(ws.sso.enforcementChangedAt ? { changedAt: ws.sso.enforcementChangedAt } : {}),
  };
}

export function setEnforcement(core: EmulatorCore, ws: WorkspaceState, level: EnforcementLevel, force: boolean, actor: string) {
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
