// The sign-in policy table (docs/rules.md §2): every combination of method × enforcement × domain verified
// × member status × automatic account creation × owner break-glass (× SSO configured ×
// credentials), each checked against the rules as docs/rules.md §2 states them, in its order.
import { describe, expect, it } from 'vitest';
import { evaluateSignIn, type SignInDecision, type SignInFacts } from './policy.js';

type MemberState = 'none' | 'pending_invite' | 'active' | 'deactivated';
interface Row {
  method: SignInFacts['method'];
  enforcement: SignInFacts['enforcement'];
  domainVerified: boolean;
  member: MemberState;
  role: 'owner' | 'admin' | 'member';
  automaticAccountCreation: boolean;
  breakGlass: boolean;
  ssoConfigured: boolean;
  credentials: 'valid' | 'invalid' | 'unchecked';
}

// The rules written as a decision table, first match wins. Each line is one sentence of docs/rules.md §2.
type Cond = { [K in keyof Row]?: Row[K] | Row[K][] };
const RULES: [Cond, SignInDecision][] = [
  // SSO: connection, then domain, then membership or automatic creation, then deactivated.
  [{ method: 'sso', ssoConfigured: false }, { outcome: 'denied', reason: 'sso_not_configured' }],
  [{ method: 'sso', domainVerified: false }, { outcome: 'denied', reason: 'domain_not_verified' }],
  [{ method: 'sso', member: 'none', automaticAccountCreation: true }, { outcome: 'allowed', createMember: true }],
  [{ method: 'sso', member: 'none' }, { outcome: 'denied', reason: 'not_a_member' }],
  [{ method: 'sso', member: 'deactivated' }, { outcome: 'denied', reason: 'deactivated' }],
  [{ method: 'sso' }, { outcome: 'allowed' }],
  // Password and social: membership (automatic creation adds verified-domain users by any method
  // the policy allows), deactivated, policy, credentials.
  [{ member: 'none', automaticAccountCreation: true, domainVerified: true, method: 'password', enforcement: ['no_passwords', 'sso_only'] }, { outcome: 'denied', reason: 'sso_required' }],
  [{ member: 'none', automaticAccountCreation: true, domainVerified: true, method: 'social', enforcement: 'sso_only' }, { outcome: 'denied', reason: 'sso_required' }],
  [{ member: 'none', automaticAccountCreation: true, domainVerified: true, method: 'password', credentials: 'invalid' }, { outcome: 'denied', reason: 'invalid_credentials' }],
  [{ member: 'none', automaticAccountCreation: true, domainVerified: true }, { outcome: 'allowed', createMember: true }],
  [{ member: 'none' }, { outcome: 'denied', reason: 'not_a_member' }],
  [{ member: 'deactivated' }, { outcome: 'denied', reason: 'deactivated' }],
  // Enforcement touches verified-domain users only; owners keep password sign-in with break-glass.
  [
    { method: 'password', domainVerified: true, enforcement: ['no_passwords', 'sso_only'], role: 'owner', breakGlass: true, credentials: 'invalid' },
    { outcome: 'denied', reason: 'invalid_credentials' },
  ],
  [
    { method: 'password', domainVerified: true, enforcement: ['no_passwords', 'sso_only'], role: 'owner', breakGlass: true },
    { outcome: 'allowed', breakGlass: true },
  ],
  [{ method: 'password', domainVerified: true, enforcement: ['no_passwords', 'sso_only'] }, { outcome: 'denied', reason: 'sso_required' }],
  [{ method: 'social', domainVerified: true, enforcement: 'sso_only' }, { outcome: 'denied', reason: 'sso_required' }],
  [{ method: 'password', credentials: 'invalid' }, { outcome: 'denied', reason: 'invalid_credentials' }],
  [{}, { outcome: 'allowed' }],
];

function expected(row: Row): SignInDecision {
  for (const [cond, decision] of RULES) {
    const matches = (Object.keys(cond) as (keyof Row)[]).every((k) => {
      const want = cond[k];
      return Array.isArray(want) ? (want as unknown[]).includes(row[k]) : want === row[k];
    });
    if (matches) return decision;
  }
  throw new Error('no rule');
}

function* rows(): Generator<Row> {
  for (const method of ['password', 'social', 'sso'] as const)
    for (const enforcement of ['off', 'no_passwords', 'sso_only'] as const)
      for (const domainVerified of [true, false])
        for (const member of ['none', 'pending_invite', 'active', 'deactivated'] as const)
          for (const role of ['owner', 'admin', 'member'] as const)
            for (const automaticAccountCreation of [false, true])
              for (const breakGlass of [false, true])
                for (const ssoConfigured of [true, false])
                  for (const credentials of ['valid', 'invalid', 'unchecked'] as const)
                    yield { method, enforcement, domainVerified, member, role, automaticAccountCreation, breakGlass, ssoConfigured, credentials };
}

function facts(row: Row): SignInFacts {
  return {
    method: row.method,
    enforcement: row.enforcement,
    domainVerified: row.domainVerified,
    member: row.member === 'none' ? null : { status: row.member, role: row.role },
    automaticAccountCreation: row.automaticAccountCreation,
    breakGlass: row.breakGlass,
    ssoConfigured: row.ssoConfigured,
    ...(row.credentials === 'unchecked' ? {} : { credentialsValid: row.credentials === 'valid' }),
  };
}

describe('evaluateSignIn', () => {
  const all = [...rows()];

  it('covers every combination', () => {
    expect(all).toHaveLength(3 * 3 * 2 * 4 * 3 * 2 * 2 * 2 * 3);
  });

  it('decides every combination as the rules say', () => {
    const wrong = all.filter((row) => JSON.stringify(evaluateSignIn(facts(row))) !== JSON.stringify(expected(row)));
    expect(wrong.slice(0, 5).map((row) => ({ row, got: evaluateSignIn(facts(row)), want: expected(row) }))).toEqual([]);
  });

  it('reaches every outcome of the table', () => {
    const seen = new Set(all.map((row) => JSON.stringify(evaluateSignIn(facts(row)))));
    for (const [, decision] of RULES) expect(seen).toContain(JSON.stringify(decision));
  });

  // Spot checks, each a sentence of docs/rules.md §2 with its own facts.
  const base: SignInFacts = {
    method: 'password',
    enforcement: 'off',
    ssoConfigured: true,
    domainVerified: true,
    member: { status: 'active', role: 'member' },
    automaticAccountCreation: false,
    breakGlass: false,
    credentialsValid: true,
  };
  it.each<[string, Partial<SignInFacts>, SignInDecision]>([
    ['enforcement leaves users of other domains alone', { enforcement: 'sso_only', domainVerified: false }, { outcome: 'allowed' }],
    ['no_passwords still allows social', { method: 'social', enforcement: 'no_passwords' }, { outcome: 'allowed' }],
    ['no_passwords refuses passwords', { enforcement: 'no_passwords' }, { outcome: 'denied', reason: 'sso_required' }],
    ['a stranger learns only that they are not a member, not the policy', { member: null, enforcement: 'sso_only' }, { outcome: 'denied', reason: 'not_a_member' }],
    ['a deactivated user is refused before the policy is told', { member: { status: 'deactivated', role: 'member' }, enforcement: 'sso_only' }, { outcome: 'denied', reason: 'deactivated' }],
    ['policy is told before credentials are checked', { enforcement: 'sso_only', credentialsValid: false }, { outcome: 'denied', reason: 'sso_required' }],
    ['SSO never adds a member without automatic account creation', { method: 'sso', member: null }, { outcome: 'denied', reason: 'not_a_member' }],
    ['automatic account creation adds a verified-domain user by social sign-in too', { method: 'social', member: null, automaticAccountCreation: true }, { outcome: 'allowed', createMember: true }],
    ['automatic account creation adds nobody from an unverified domain', { method: 'social', member: null, automaticAccountCreation: true, domainVerified: false }, { outcome: 'denied', reason: 'not_a_member' }],
    ['SSO of an unverified domain is refused before membership', { method: 'sso', member: null, domainVerified: false, automaticAccountCreation: true }, { outcome: 'denied', reason: 'domain_not_verified' }],
    ['break-glass is for owners only', { enforcement: 'sso_only', breakGlass: true, member: { status: 'active', role: 'admin' } }, { outcome: 'denied', reason: 'sso_required' }],
    ['break-glass is for passwords only', { method: 'social', enforcement: 'sso_only', breakGlass: true, member: { status: 'active', role: 'owner' } }, { outcome: 'denied', reason: 'sso_required' }],
  ])('%s', (_name, change, decision) => {
    expect(evaluateSignIn({ ...base, ...change })).toEqual(decision);
  });
});
