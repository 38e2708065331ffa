// Workspace members (docs/rules.md §5): sources invite/scim/auto, status pending_invite → active →
// deactivated, built-in roles owner/admin/member/analytics_viewer. Lookups go through the workspace index.
import { randomBytes, scryptSync, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import { runtimeSlot, type EmulatorCore } from '../emulator.js';
import { badRequest, conflict, notFound } from '../errors.js';
import { newId } from '../ids.js';
import { domainKey } from '../domains/domain-name.js';
import { identityKey } from '../store/identity-key.js';
import type { MemberRecord, WorkspaceState } from '../store/state.js';

export type MemberRole = MemberRecord['role'];
/** The built-in roles of Enterprise and Edu workspaces (help-center article 8266401). */
export const MEMBER_ROLES = ['owner', 'admin', 'member', 'analytics_viewer'] as const satisfies readonly MemberRole[];

const EMAIL = /^[^\s@"<>(),;:\\[\]]+@[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)+$/i;

/** Checks an email address's shape; throws 400 `invalid_email`. */
export function normalizeEmail(input: unknown): string {
  if (typeof input !== 'string' || !EMAIL.test(input.trim())) {
    throw badRequest('invalid_email', `${JSON.stringify(input)} is not an email address such as "ada@springfield.k12.us".`);
  }
  return input.trim();
}

/** The domain of an email in the form verified domains are kept in (lower-case ASCII, punycode). */
export const emailDomain = (email: string) => domainKey(email.slice(email.lastIndexOf('@') + 1));

/** The fewest characters a password may have. */
export const MIN_PASSWORD = 8;

/**
 * How an emulator hashes its members' passwords. `stored` (the default): scrypt at Node's default
 * cost (N = 2^14), for every state that may be kept. `throwaway`: the same scrypt at N = 2^8, for an
 * emulator whose state is never saved nor served — `edu-emulator run` in process, where every
 * password comes in plain text from the scenario file and the workspace is gone at exit.
 */
export type PasswordHashing = 'stored' | 'throwaway';
export const PASSWORD_HASHING = runtimeSlot<{ mode: PasswordHashing }>('members.passwordHashing', () => ({ mode: 'stored' }));

/** log2 of scrypt's N: RFC 7914 §2; the stored cost is Node's default (crypto.scrypt, N = 16384). */
const STORED_COST = 14;
const THROWAWAY_COST = 8;

/**
 * scrypt with a random salt, stored as `scrypt$<salt>$<hash>`; a throw-away emulator's cheaper hash
 * names its cost, `scrypt:8$<salt>$<hash>`, so that `passwordMatches` checks either form.
 */
export function hashPassword(password: string, hashing: PasswordHashing = 'stored'): string {
  const salt = randomBytes(16);
  const cost = hashing === 'throwaway' ? THROWAWAY_COST : STORED_COST;
  const scheme = cost === STORED_COST ? 'scrypt' : `scrypt:${cost}`;
  return `${scheme}$${salt.toString('base64url')}$${scryptSync(password, salt, 32, { N: 2 ** cost }).toString('base64url')}`;
}

/** The password hashing of this emulator (see PASSWORD_HASHING). */
export const passwordHashingOf = (core: EmulatorCore): PasswordHashing => core.runtime(PASSWORD_HASHING).mode;

export function passwordMatches(hash: string | undefined, password: string): boolean {
  if (!hash) return false;
  const [scheme, salt, expected] = hash.split('$');
  // Only the two costs this emulator writes are read back.
  const cost = scheme === 'scrypt' ? STORED_COST : scheme === `scrypt:${THROWAWAY_COST}` ? THROWAWAY_COST : undefined;
  if (cost === undefined || !salt || !expected) return false;
  const actual = scryptSync(password, Buffer.from(salt, 'base64url'), 32, { N: 2 ** cost });
  const want = Buffer.from(expected, 'base64url');
  return want.length === actual.length && timingSafeEqual(actual, want);
}

export function findMemberByEmail(core: EmulatorCore, ws: WorkspaceState, email: string): MemberRecord | undefined {
  const id = core.index(ws).memberByEmail.get(identityKey(email));
  return id === undefined ? undefined : ws.members[id];
}

export function requireMember(ws: WorkspaceState, id: string): MemberRecord {
  const m = Object.hasOwn(ws.members, id) ? ws.members[id] : undefined;
  if (!m) throw notFound('member_not_found', `Workspace "${ws.id}" has no member with id "${id}". List members with GET /w/${ws.id}/api/users.`);
  return m;
}

/** The public shape of a member (docs/http-api.md §5): the one source of the view type, the typed client's and the OpenAPI document's. */
export const memberViewSchema = z.object({
  id: z.string(),
  email: z.string(),
  givenName: z.string().nullable(),
  familyName: z.string().nullable(),
  source: z.enum(['invite', 'scim', 'auto']),
  status: z.enum(['pending_invite', 'active', 'deactivated']),
  role: z.enum(['owner', 'admin', 'member', 'analytics_viewer']),
  groups: z.array(z.object({ id: z.string(), displayName: z.string(), source: z.enum(['scim', 'local']) })),
  createdAt: z.string(),
  lastSignInAt: z.string().optional(),
  deactivatedAt: z.string().optional(),
});
export type MemberView = z.output<typeof memberViewSchema>;

export function memberView(core: EmulatorCore, ws: WorkspaceState, m: MemberRecord): MemberView {
  const groupIds = core.index(ws).memberGroups.get(m.id);
  const groups = groupIds
    ? [...groupIds].flatMap((id) => {
        const g = ws.groups[id];
        return g ? [{ id: g.id, displayName: g.displayName, source: g.source }] : [];
      })
    : [];
  return {
    id: m.id,
    email: m.email,
    givenName: m.givenName ?? null,
    familyName: m.familyName ?? null,
    source: m.source,
    status: m.status,
    role: m.role,
    groups,
    createdAt: m.createdAt,
    ...(m.lastSignInAt ? { lastSignInAt: m.lastSignInAt } : {}),
    ...(m.deactivatedAt ? { deactivatedAt: m.deactivatedAt } : {}),
  };
}

export interface NewMember {
  email: string;
  source: MemberRecord['source'];
  role?: MemberRole;
  givenName?: string;
  familyName?: string;
  password?: string;
  status?: MemberRecord['status'];
}

/** Adds a member record and indexes it (callers have checked the email is free). */
export function addMember(core: EmulatorCore, ws: WorkspaceState, input: NewMember): MemberRecord {
  const now = core.clockFor(ws.id).nowIso();
  const m: MemberRecord = {
    id: newId('usr'),
    email: input.email,
    source: input.source,
    status: input.status ?? 'pending_invite',
    role: input.role ?? 'member',
    createdAt: now,
    updatedAt: now,
  };
  if (input.givenName !== undefined) m.givenName = input.givenName;
  if (input.familyName !== undefined) m.familyName = input.familyName;
  if (input.password !== undefined) m.passwordHash = hashPassword(input.password, passwordHashingOf(core));
  ws.members[m.id] = m;
  core.index(ws).setEmail(m.id, undefined, m.email);
  return m;
}

/** An admin invites someone by email (docs/http-api.md §5 `POST /invites`). */
export function inviteMember(
  core: EmulatorCore,
  ws: WorkspaceState,
  input: { email: unknown; role?: MemberRole; password?: string; givenName?: string; familyName?: string },
  actor: string,
): MemberRecord {
  const email = normalizeEmail(input.email);
  const existing = findMemberByEmail(core, ws, email);
  if (existing) {
    throw conflict(
      'member_exists',
      `${email} is already a member of this workspace (source ${existing.source}, status ${existing.status}).`,
      { memberId: existing.id },
    );
  }
  if (input.password !== undefined && input.password.length < MIN_PASSWORD) {
    throw badRequest('weak_password', 'A password needs at least 8 characters.');
  }
  const m = addMember(core, ws, {
    email,
    source: 'invite',
    role: input.role ?? 'member',
    ...(input.password !== undefined ? { password: input.password } : {}),
    ...(input.givenName !== undefined ? { givenName: input.givenName } : {}),
    ...(input.familyName !== undefined ? { familyName: input.familyName } : {}),
  });
  core.record(ws, 'member.invited', actor, { memberId: m.id, email, role: m.role, withPassword: input.password !== undefined });
  return m;
}

/** Changes a member's built-in role or password. */
export function updateMember(
  core: EmulatorCore,
  ws: WorkspaceState,
  id: string,
  patch: { role?: MemberRole; password?: string },
  actor: string,
): MemberRecord {
  const m = requireMember(ws, id);
  if (patch.password !== undefined && patch.password.length < MIN_PASSWORD) {
    throw badRequest('weak_password', 'A password needs at least 8 characters.');
  }
  const changes: Record<string, unknown> = {};
  if (patch.role !== undefined && patch.role !== m.role) {
    changes.role = { from: m.role, to: patch.role };
    m.role = patch.role;
  }
  if (patch.password !== undefined) {
    m.passwordHash = hashPassword(patch.password, passwordHashingOf(core));
    changes.password = 'set';
  }
  if (Object.keys(changes).length > 0) {
    m.updatedAt = core.clockFor(ws.id).nowIso();
    core.record(ws, 'member.updated', actor, { memberId: m.id, email: m.email, changes });
  }
  return m;
}

/** Removes an invited or automatically created member; directory members are removed through SCIM. */
export function removeMember(core: EmulatorCore, ws: WorkspaceState, id: string, actor: string): void {
  const m = requireMember(ws, id);
  if (m.source === 'scim') {
    throw conflict('scim_managed', `${m.email} is managed by the directory (SCIM); remove or deactivate them in the identity provider.`);
  }
  core.index(ws).removeMember(m.id, m.email);
  delete ws.members[m.id];
  delete ws.usageLimits.users[m.id];
  core.record(ws, 'member.removed', actor, { memberId: m.id, email: m.email });
}
