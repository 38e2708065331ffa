// The enforcement what-if (`GET /api/sso/enforcement/preview`): for every member, which sign-in
// methods work now and at another level, each decided by the live evaluator (evaluateSignIn over
// signInFacts, the very code that enforces sign-in) — never a second copy of the rules.
import { isVerifiedDomainOf } from '../domains/domains.js';
import type { EmulatorCore } from '../emulator.js';
import type { EnforcementLevel, MemberRecord, WorkspaceState } from '../store/state.js';
import { evaluateSignIn, SIGN_IN_METHODS, type RefusalReason, type SignInMethod } from './policy.js';
import { signInFacts } from './sign-in.js';

/**
 * One method's verdict: allowed, the refusal reason of the policy, `not_in_idp_directory` when
 * the connected mock IdP cannot authenticate the member (its refusal comes before the workspace
 * sees anything), or `unknown` when an external IdP's answer cannot be known.
 */
export type MethodVerdict = 'allowed' | RefusalReason | 'not_in_idp_directory' | 'unknown';
export type MethodVerdicts = Record<SignInMethod, MethodVerdict>;

export type PreviewOutcome = 'newly_blocked' | 'newly_allowed' | 'unchanged' | 'insufficient_data';
export const PREVIEW_OUTCOMES: readonly PreviewOutcome[] = ['newly_blocked', 'newly_allowed', 'unchanged', 'insufficient_data'];

/** Why a row has its outcome, as a stable code. */
export type PreviewRule =
  | 'same_level'
  | 'deactivated'
  | 'domain_not_verified'
  | 'sso_works'
  | 'social_allowed'
  | 'break_glass'
  | 'enforcement_lowered'
  | 'sso_not_configured'
  | 'not_in_idp_directory'
  | 'idp_missing'
  | 'connection_untested'
  | 'no_sso_evidence';

export interface PreviewRow {
  id: string;
  email: string;
  role: MemberRecord['role'];
  status: MemberRecord['status'];
  outcome: PreviewOutcome;
  before: MethodVerdicts;
  after: MethodVerdicts;
  reason: string;
  rule: PreviewRule;
  /** Owners only: whether this owner keeps a way in at the new level (null: cannot be known). */
  keepsWayIn?: boolean | null;
  /** Owners only: the way in is the audited break-glass password sign-in. */
  breakGlass?: boolean;
}

export interface EnforcementPreview {
  level: EnforcementLevel;
  from: EnforcementLevel;
  summary: Record<PreviewOutcome, number>;
  /** Owners who are not deactivated, and how many of them keep a way in at `level`. */
  owners: { total: number; keepWayIn: number };
  members: PreviewRow[];
}

/** Whether SSO reaches a member through the connected IdP, and why (or why it cannot be known). */
interface SsoReach {
  reach: 'yes' | 'no' | 'unknown';
  rule: PreviewRule;
  why: string;
}

type ReachOf = (m: MemberRecord) => SsoReach;

/**
 * How the connected IdP answers for a member. A mock IdP of this emulator: its directory decides
 * (a user outside the provisioning scope can still sign in, as at a real IdP). An external IdP:
 * known only from a successful SSO sign-in of that member since the connection last changed.
 */
function ssoReachFor(core: EmulatorCore, ws: WorkspaceState): ReachOf {
  const connection = ws.sso.connection as { mockIdp?: unknown } | null;
  if (!connection) return () => ({ reach: 'no', rule: 'sso_not_configured', why: 'No SSO connection is configured.' });
  const mockId = typeof connection.mockIdp === 'string' ? connection.mockIdp : undefined;
  if (mockId !== undefined) {
    const idp = Object.hasOwn(core.state.idps, mockId) ? core.state.idps[mockId] : undefined;
    if (!idp) return () => ({ reach: 'no', rule: 'idp_missing', why: `The connected mock IdP "${mockId}" no longer exists, so SSO signs nobody in.` });
    const known = new Set(Object.values(idp.users).map((u) => u.email.toLowerCase()));
    return (m) =>
      known.has(m.email.toLowerCase())
        ? { reach: 'yes', rule: 'sso_works', why: `In the directory of the connected IdP "${mockId}", so SSO signs them in.` }
        : { reach: 'no', rule: 'not_in_idp_directory', why: `Not in the directory of the connected IdP "${mockId}", so SSO cannot sign them in.` };
  }
  const changedAt = ws.sso.connectionChangedAt;
  const untested = ws.sso.lastSuccessAt === undefined;
  return (m) => {
    if (m.lastSsoSignInAt !== undefined && (changedAt === undefined || m.lastSsoSignInAt >= changedAt)) {
      return { reach: 'yes', rule: 'sso_works', why: `Signed in through SSO at ${m.lastSsoSignInAt}, since the connection last changed.` };
    }
    if (untested) {
      return { reach: 'unknown', rule: 'connection_untested', why: 'The connection has never been tested: nobody has signed in through SSO since it last changed, so whether SSO works for anyone cannot be known.' };
    }
    return {
      reach: 'unknown',
      rule: 'no_sso_evidence',
      why: m.lastSignInAt
        ? 'Has only used a password or social sign-in so far: whether the external IdP knows them cannot be known until they sign in through SSO once.'
        : 'Has never signed in: whether the external IdP knows them cannot be known until they sign in through SSO once.',
    };
  };
}

/** Every method's verdict for a member at a level, from the live evaluator. */
function verdicts(core: EmulatorCore, ws: WorkspaceState, m: MemberRecord, level: EnforcementLevel, reach: SsoReach) {
  let breakGlass = false;
  const out = {} as MethodVerdicts;
  for (const method of SIGN_IN_METHODS) {
    const decision = evaluateSignIn(signInFacts(core, ws, m.email, method, undefined, level));
    if (method === 'sso' && !(decision.outcome === 'denied' && decision.reason === 'sso_not_configured')) {
      // The IdP answers before the workspace sees an assertion.
      if (reach.reach === 'no') {
        out.sso = 'not_in_idp_directory';
        continue;
      }
      if (reach.reach === 'unknown') {
        out.sso = decision.outcome === 'denied' ? decision.reason : 'unknown';
        continue;
      }
    }
    if (decision.outcome === 'allowed') {
      out[method] = 'allowed';
      if (method === 'password' && decision.breakGlass) breakGlass = true;
    } else out[method] = decision.reason;
  }
  return { verdicts: out, breakGlass };
}

/** true: some method is allowed; null: none surely is but one is unknown; false: all refused. */
function wayIn(v: MethodVerdicts): boolean | null {
  const values = Object.values(v);
  if (values.includes('allowed')) return true;
  return values.includes('unknown') ? null : false;
}

const sameVerdicts = (a: MethodVerdicts, b: MethodVerdicts) => SIGN_IN_METHODS.every((m) => a[m] === b[m]);

function domainOf(email: string): string {
  return email.slice(email.lastIndexOf('@') + 1).toLowerCase();
}

/** Outcome, rule and words for one member. */
function judge(
  m: MemberRecord,
  from: EnforcementLevel,
  level: EnforcementLevel,
  before: MethodVerdicts,
  after: MethodVerdicts,
  reach: SsoReach,
  breakGlassAfter: boolean,
  domainVerified: boolean,
): Pick<PreviewRow, 'outcome' | 'rule' | 'reason'> {
  const b = wayIn(before);
  const a = wayIn(after);
  if (m.status === 'deactivated') return { outcome: 'unchanged', rule: 'deactivated', reason: 'Deactivated: refused by every method at every level.' };
  if (!domainVerified && sameVerdicts(before, after)) {
    return { outcome: 'unchanged', rule: 'domain_not_verified', reason: `The domain ${domainOf(m.email)} is not verified by this workspace, so enforcement does not apply to them.` };
  }
  const unchanged = sameVerdicts(before, after) || (a !== null && a === b);
  let outcome: PreviewOutcome;
  if (unchanged) outcome = 'unchanged';
  else if (a === false && b === true) outcome = 'newly_blocked';
  else if (a === true && b === false) outcome = 'newly_allowed';
  else outcome = 'insufficient_data';

  if (outcome === 'insufficient_data' || (outcome === 'unchanged' && a === null)) {
    return { outcome, rule: reach.rule, reason: `${reach.why} Under "${level}" SSO would be their only way in.` };
  }
  if (outcome === 'newly_blocked') {
    return { outcome, rule: reach.rule, reason: `${reach.why} "${level}" refuses their password and social sign-in, so they are locked out.` };
  }
  if (outcome === 'newly_allowed') {
    return { outcome, rule: 'enforcement_lowered', reason: `"${level}" lets them use ${after.password === 'allowed' ? 'a password' : 'social sign-in'} again; SSO does not sign them in (${after.sso}).` };
  }
  if (from === level) return { outcome, rule: 'same_level', reason: `Enforcement is already "${level}".` };
  if (after.sso === 'allowed') return { outcome, rule: 'sso_works', reason: reach.why };
  if (breakGlassAfter) return { outcome, rule: 'break_glass', reason: 'An owner with break-glass: keeps an audited password sign-in.' };
  if (after.social === 'allowed') return { outcome, rule: 'social_allowed', reason: `"${level}" still allows social sign-in.` };
  return { outcome, rule: reach.rule === 'sso_works' ? 'same_level' : reach.rule, reason: `No way in before nor after. ${reach.why}` };
}

/**
 * What raising (or lowering) enforcement to `level` changes for every member, from the live
 * evaluator. O(members) with indexed lookups; no side effects.
 *
 * @example
 * const preview = previewEnforcement(core, ws, 'sso_only');
 * preview.members.filter((r) => r.outcome === 'newly_blocked').map((r) => r.email);
 */
export function previewEnforcement(core: EmulatorCore, ws: WorkspaceState, level: EnforcementLevel): EnforcementPreview {
  const from = ws.sso.enforcement;
  const reachOf = ssoReachFor(core, ws);
  const summary: Record<PreviewOutcome, number> = { newly_blocked: 0, newly_allowed: 0, unchanged: 0, insufficient_data: 0 };
  const owners = { total: 0, keepWayIn: 0 };
  const members = Object.values(ws.members)
    .sort((x, y) => (x.email.toLowerCase() < y.email.toLowerCase() ? -1 : 1))
    .map((m): PreviewRow => {
      const reach = reachOf(m);
      const before = verdicts(core, ws, m, from, reach);
      const after = verdicts(core, ws, m, level, reach);
      const judged = judge(m, from, level, before.verdicts, after.verdicts, reach, after.breakGlass, isVerifiedDomainOf(core, ws, m.email));
      summary[judged.outcome]++;
      const row: PreviewRow = { id: m.id, email: m.email, role: m.role, status: m.status, ...judged, before: before.verdicts, after: after.verdicts };
      if (m.role === 'owner') {
        const keeps = wayIn(after.verdicts);
        row.keepsWayIn = keeps;
        row.breakGlass = after.breakGlass && after.verdicts.social !== 'allowed' && after.verdicts.sso !== 'allowed';
        if (m.status !== 'deactivated') {
          owners.total++;
          if (keeps === true) owners.keepWayIn++;
        }
      }
      return row;
    });
  return { level, from, summary, owners, members };
}
