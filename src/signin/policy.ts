// Who may sign in, and why not (docs/rules.md §2): a pure function over the facts of one attempt. The
// order of checks is part of the contract, so that a refusal never tells more than it must.
import type { EnforcementLevel } from '../store/state.js';

export type SignInMethod = 'password' | 'social' | 'sso';
export const SIGN_IN_METHODS: readonly SignInMethod[] = ['password', 'social', 'sso'];

export const REFUSAL_REASONS = ['not_a_member', 'deactivated', 'sso_required', 'sso_not_configured', 'domain_not_verified', 'invalid_credentials'] as const;
export type RefusalReason = (typeof REFUSAL_REASONS)[number];

export interface SignInFacts {
  method: SignInMethod;
  enforcement: EnforcementLevel;
  ssoConfigured: boolean;
  /** Whether the workspace has verified the domain of the email. */
  domainVerified: boolean;
  /** The member with this email, if any. */
  member: { status: 'pending_invite' | 'active' | 'deactivated'; role: 'owner' | 'admin' | 'member' | 'analytics_viewer' } | null;
  automaticAccountCreation: boolean;
  /** Owners keep an audited password sign-in when this is on. */
  breakGlass: boolean;
  /** Whether the credentials were right (password); undefined when not checked (sign-in/check). */
  credentialsValid?: boolean;
}

export type SignInDecision =
  | {
      outcome: 'allowed';
      /** Automatic account creation adds this person as a member (source `auto`). */
      createMember?: true;
      /** An owner's password sign-in let through by break-glass despite enforcement. */
      breakGlass?: true;
    }
  | { outcome: 'denied'; reason: RefusalReason };

const deny = (reason: RefusalReason): SignInDecision => ({ outcome: 'denied', reason });

/** Whether enforcement at `level` refuses `method` (for users of verified domains only). */
export function enforcementRefuses(level: EnforcementLevel, method: SignInMethod): boolean {
  if (method === 'sso') return false;
  if (level === 'sso_only') return true;
  if (level === 'no_passwords') return method === 'password';
  return false;
}

/**
 * Decides one sign-in attempt. SSO: the assertion or token was checked before (saml_/oidc_
 * reasons), then connection, domain, membership (or automatic creation), deactivated. Password and
 * social: membership (or automatic creation for a verified domain), deactivated, policy, then
 * credentials (for a new account: the password it signs up with).
 */
export function evaluateSignIn(f: SignInFacts): SignInDecision {
  if (f.method === 'sso') {
    if (!f.ssoConfigured) return deny('sso_not_configured');
    if (!f.domainVerified) return deny('domain_not_verified');
    if (!f.member) return f.automaticAccountCreation ? { outcome: 'allowed', createMember: true } : deny('not_a_member');
    if (f.member.status === 'deactivated') return deny('deactivated');
    return { outcome: 'allowed' };
  }
  if (!f.member) {
    // Automatic account creation adds verified-domain users who sign up or log in by any method
    // the policy allows, not only SSO (help-center article 9672121).
    if (!f.automaticAccountCreation || !f.domainVerified) return deny('not_a_member');
    if (enforcementRefuses(f.enforcement, f.method)) return deny('sso_required');
    if (f.method === 'password' && f.credentialsValid === false) return deny('invalid_credentials');
    return { outcome: 'allowed', createMember: true };
  }
  if (f.member.status === 'deactivated') return deny('deactivated');
  let breakGlass = false;
  if (f.domainVerified && enforcementRefuses(f.enforcement, f.method)) {
    if (f.method === 'password' && f.breakGlass && f.member.role === 'owner') breakGlass = true;
    else return deny('sso_required');
  }
  if (f.method === 'password' && f.credentialsValid === false) return deny('invalid_credentials');
  return breakGlass ? { outcome: 'allowed', breakGlass: true } : { outcome: 'allowed' };
}
