// Carrying out a sign-in: gathers the facts, asks the policy, and on success activates or
// (automatic account creation) adds the member. Every attempt is one event in the journal.
import type { EmulatorCore } from '../emulator.js';
import { isVerifiedDomainOf } from '../domains/domains.js';
import { addMember, findMemberByEmail, MIN_PASSWORD, normalizeEmail, passwordMatches } from '../members/members.js';
import type { EnforcementLevel, MemberRecord, WorkspaceState } from '../store/state.js';
import { evaluateSignIn, type RefusalReason, type SignInDecision, type SignInFacts, type SignInMethod } from './policy.js';

/**
 * The facts of an attempt as the workspace sees them now; `enforcement` asks what they would be
 * at another level (the enforcement what-if), everything else as it is.
 */
export function signInFacts(
  core: EmulatorCore,
  ws: WorkspaceState,
  email: string,
  method: SignInMethod,
  credentialsValid?: boolean,
  enforcement: EnforcementLevel = ws.sso.enforcement,
): SignInFacts {
  const member = findMemberByEmail(core, ws, email);
  return {
    method,
    enforcement,
    ssoConfigured: ws.sso.connection !== null,
    domainVerified: isVerifiedDomainOf(core, ws, email),
    member: member ? { status: member.status, role: member.role } : null,
    automaticAccountCreation: ws.settings.automaticAccountCreation,
    breakGlass: ws.settings.breakGlass,
    ...(credentialsValid !== undefined ? { credentialsValid } : {}),
  };
}

/** Evaluates without side effects (`POST /api/sign-in/check`). */
export function checkSignIn(core: EmulatorCore, ws: WorkspaceState, email: unknown, method: SignInMethod): SignInDecision {
  return evaluateSignIn(signInFacts(core, ws, normalizeEmail(email), method));
}

export interface SignInAttempt {
  method: SignInMethod;
  email: string;
  /** For password sign-in. */
  password?: string;
  /** Names from the IdP (SSO) to fill in a member's blanks. */
  givenName?: string;
  familyName?: string;
  displayName?: string;
  /** Extra detail for the journal: protocol, provider, IdP issuer… */
  detail?: Record<string, unknown>;
}

export type SignInResult =
  | { outcome: 'allowed'; member: MemberRecord; breakGlass: boolean }
  | { outcome: 'denied'; reason: RefusalReason | string; message: string };

const REASON_TEXT: Record<RefusalReason, string> = {
  not_a_member: 'This email is not a member of the workspace: ask an admin to invite you, or to provision you from the directory.',
  deactivated: 'This account has been deactivated in the workspace.',
  sso_required: 'This workspace requires single sign-on for your email domain: use "Sign in with SSO".',
  sso_not_configured: 'Single sign-on is not configured for this workspace yet.',
  domain_not_verified: "Your email's domain is not verified by this workspace, so it cannot use single sign-on.",
  invalid_credentials: 'The email or password is wrong.',
};

export const refusalMessage = (reason: string) => REASON_TEXT[reason as RefusalReason] ?? `Sign-in refused (${reason}).`;

/** Records a refusal that happened before the policy (a bad assertion or token). */
export function recordRefusal(core: EmulatorCore, ws: WorkspaceState, attempt: Omit<SignInAttempt, 'password'>, reason: string, message: string) {
  core.record(ws, 'signin.denied', `user:${attempt.email || 'unknown'}`, {
    method: attempt.method,
    email: attempt.email,
    outcome: 'denied',
    reason,
    message,
    ...(attempt.detail ?? {}),
  });
}

/** Runs one sign-in attempt to its end (with side effects on success). */
export function performSignIn(core: EmulatorCore, ws: WorkspaceState, attempt: SignInAttempt): SignInResult {
  const email = attempt.email.trim();
  const existing = findMemberByEmail(core, ws, email);
  // A password sign-in of someone who is not a member yet (automatic account creation) signs up
  // with that password: it needs the length every password needs.
  const credentialsValid =
    attempt.method !== 'password' ? undefined : existing ? passwordMatches(existing.passwordHash, attempt.password ?? '') : (attempt.password ?? '').length >= MIN_PASSWORD;
  const decision = evaluateSignIn(signInFacts(core, ws, email, attempt.method, credentialsValid));
  const actor = `user:${email}`;
  const base = { method: attempt.method, email, ...(attempt.detail ?? {}) };
  if (decision.outcome === 'denied') {
    const message = refusalMessage(decision.reason);
    core.record(ws, 'signin.denied', actor, { ...base, outcome: 'denied', reason: decision.reason });
    return { outcome: 'denied', reason: decision.reason, message };
  }
  const clock = core.clockFor(ws.id);
  const now = clock.nowIso();
  let member = existing;
  if (!member) {
    member = addMember(core, ws, {
      email,
      source: 'auto',
      status: 'active',
      ...(attempt.givenName !== undefined ? { givenName: attempt.givenName } : {}),
      ...(attempt.familyName !== undefined ? { familyName: attempt.familyName } : {}),
      ...(attempt.method === 'password' && attempt.password !== undefined ? { password: attempt.password } : {}),
    });
    core.record(ws, 'member.created', actor, { memberId: member.id, email, source: 'auto', via: attempt.method });
  } else if (member.status === 'pending_invite') {
    member.status = 'active';
    core.record(ws, 'member.activated', actor, { memberId: member.id, email });
  }
  if (member.givenName === undefined && attempt.givenName !== undefined) member.givenName = attempt.givenName;
  if (member.familyName === undefined && attempt.familyName !== undefined) member.familyName = attempt.familyName;
  if (member.displayName === undefined && attempt.displayName !== undefined) member.displayName = attempt.displayName;
  member.lastSignInAt = now;
  member.updatedAt = now;
  if (attempt.method === 'sso') {
    ws.sso.lastSuccessAt = now;
    // Evidence for the enforcement what-if that SSO works for this member.
    member.lastSsoSignInAt = now;
  }
  if (decision.breakGlass) core.record(ws, 'signin.break_glass', actor, { email, memberId: member.id, enforcement: ws.sso.enforcement });
  core.record(ws, 'signin.allowed', actor, { ...base, outcome: 'allowed', memberId: member.id, ...(decision.breakGlass ? { breakGlass: true } : {}) });
  return { outcome: 'allowed', member, breakGlass: decision.breakGlass === true };
}
