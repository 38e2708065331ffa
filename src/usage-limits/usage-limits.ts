// Usage limits ("Setting usage limits in ChatGPT Enterprise and Edu", help.openai.com article
// 20001001): monthly credits per user, per UTC calendar month, from a user override, else the
// user's group defaults, else the workspace default; null is "No limit". A custom role's
// `credits.monthly_limit` (the older per-role limit) reads as a default for the groups it is assigned to.
import { z } from 'zod';
import type { EmulatorCore } from '../emulator.js';
import { badRequest } from '../errors.js';
import { findMemberByEmail } from '../members/members.js';
import { CREDIT_LIMIT_ALIAS, permissionsSchema } from '../roles/permissions.js';
import { effectivePermissions, grantViewSchema, heldRoleSchema, roleCreditLimit, rolesOfGroup, workspaceCreditDefault, type EffectivePermissions } from '../roles/roles.js';
import type { MemberRecord, WorkspaceState } from '../store/state.js';

/** A member's monthly credit limit and its source: the one source of the view type and its documented schema. */
export const memberUsageLimitSchema = z.object({
  /** Credits per UTC calendar month; null: no limit. */
  limit: z.number().nullable(),
  source: z.enum(['user', 'group', 'workspace', 'none']),
  /** The group whose default applied (source `group`). */
  group: z.string().optional(),
  groupId: z.string().optional(),
  /** The custom role whose `credits.monthly_limit` gave that group default (the alias). */
  role: z.string().optional(),
});
export type MemberUsageLimit = z.output<typeof memberUsageLimitSchema>;
export type UsageLimitSource = MemberUsageLimit['source'];

const memberRef = { userId: z.string(), email: z.string() };

/** `GET /users/{id}/usage-limit`. */
export const memberUsageLimitViewSchema = memberUsageLimitSchema.extend(memberRef);
export type MemberUsageLimitView = z.output<typeof memberUsageLimitViewSchema>;

/** A member's effective permissions as the admin API shows them (`GET /users/{id}/permissions`). */
export const effectivePermissionsViewSchema = z.object({
  ...memberRef,
  status: z.enum(['pending_invite', 'active', 'deactivated']),
  permissions: permissionsSchema,
  /** Which rule applied, in words. */
  rule: z.string(),
  source: z.enum(['default', 'custom', 'deactivated']),
  roles: z.array(heldRoleSchema),
  grants: z.array(grantViewSchema),
  usageLimit: memberUsageLimitSchema,
});
export type EffectivePermissionsView = z.output<typeof effectivePermissionsViewSchema>;

/** Whether limit `a` lets a member use more than `b` (null, no limit, is the most). */
const moreThan = (a: number | null, b: number | null) => (a === null ? b !== null : b !== null && a > b);

/** A group's default: set in usage limits, else the highest alias of the roles assigned to it. */
function groupDefault(ws: WorkspaceState, groupId: string): { limit: number | null; role?: string } | undefined {
  if (Object.hasOwn(ws.usageLimits.groups, groupId)) return { limit: ws.usageLimits.groups[groupId]! };
  let best: { limit: number | null; role: string } | undefined;
  for (const roleId of rolesOfGroup(ws, groupId)) {
    const role = ws.roles.custom[roleId];
    const limit = role ? roleCreditLimit(role) : undefined;
    if (role && limit !== undefined && (!best || moreThan(limit, best.limit))) best = { limit, role: role.name };
  }
  return best;
}

/**
 * A member's monthly credit limit and where it comes from. Several group defaults combine by the
 * most permissive: no limit beats any number, else the highest wins (the article gives a
 * workspace default, group defaults and user overrides but not how two groups combine; this is
 * our reading, stated in docs/roles-and-administration.md).
 */
export function memberUsageLimit(core: EmulatorCore, ws: WorkspaceState, member: MemberRecord): MemberUsageLimit {
  if (Object.hasOwn(ws.usageLimits.users, member.id)) return { limit: ws.usageLimits.users[member.id]!, source: 'user' };
  let best: MemberUsageLimit | undefined;
  for (const groupId of core.index(ws).memberGroups.get(member.id) ?? []) {
    const group = ws.groups[groupId];
    const found = group ? groupDefault(ws, groupId) : undefined;
    if (!group || !found) continue;
    if (!best || moreThan(found.limit, best.limit)) {
      best = { limit: found.limit, source: 'group', group: group.displayName, groupId, ...(found.role ? { role: found.role } : {}) };
    }
  }
  if (best) return best;
  const workspace = workspaceCreditDefault(ws);
  return workspace === null ? { limit: null, source: 'none' } : { limit: workspace, source: 'workspace' };
}

/** Effective permissions with the usage limit under its old permission key (the alias). */
export function permissionsWithLimit(core: EmulatorCore, ws: WorkspaceState, member: MemberRecord) {
  const effective: EffectivePermissions = effectivePermissions(core, ws, member);
  const usage = member.status === 'deactivated' ? ({ limit: 0, source: 'none' } as MemberUsageLimit) : memberUsageLimit(core, ws, member);
  return { ...effective, permissions: { ...effective.permissions, [CREDIT_LIMIT_ALIAS]: usage.limit }, usageLimit: usage };
}

/** The member's effective permissions with their usage limit, as `GET /users/{id}/permissions` answers. */
export function effectivePermissionsView(core: EmulatorCore, ws: WorkspaceState, member: MemberRecord): EffectivePermissionsView {
  return { userId: member.id, email: member.email, status: member.status, ...permissionsWithLimit(core, ws, member) };
}

/** The member's usage limit, as `GET /users/{id}/usage-limit` answers. */
export function memberUsageLimitView(core: EmulatorCore, ws: WorkspaceState, member: MemberRecord): MemberUsageLimitView {
  return { userId: member.id, email: member.email, ...memberUsageLimit(core, ws, member) };
}

/** The public shape of the usage-limit settings: the one source of the view type and its documented schema. */
export const usageLimitsViewSchema = z.object({
  period: z.string(),
  workspaceDefault: z.number().nullable(),
  groups: z.array(z.object({ group: z.string(), displayName: z.string(), limit: z.number().nullable() })),
  users: z.array(z.object({ user: z.string(), email: z.string(), limit: z.number().nullable() })),
  /** Group defaults that come from a custom role's credits.monthly_limit (the alias), read-only here. */
  fromRoles: z.array(z.object({ group: z.string(), displayName: z.string(), role: z.string(), limit: z.number().nullable() })),
});
export type UsageLimitsView = z.output<typeof usageLimitsViewSchema>;

/** The public shape of the usage-limit settings. */
export function usageLimitsView(ws: WorkspaceState): UsageLimitsView {
  const groups = Object.entries(ws.usageLimits.groups).flatMap(([id, limit]) => {
    const g = ws.groups[id];
    return g ? [{ group: id, displayName: g.displayName, limit }] : [];
  });
  const users = Object.entries(ws.usageLimits.users).flatMap(([id, limit]) => {
    const m = ws.members[id];
    return m ? [{ user: id, email: m.email, limit }] : [];
  });
  // Group defaults that come from a custom role's credits.monthly_limit (the alias), read-only here.
  const fromRoles = Object.values(ws.roles.custom).flatMap((role) => {
    const limit = roleCreditLimit(role);
    if (limit === undefined) return [];
    return role.groupIds.flatMap((id) => {
      const g = ws.groups[id];
      return g && !Object.hasOwn(ws.usageLimits.groups, id) ? [{ group: id, displayName: g.displayName, role: role.name, limit }] : [];
    });
  });
  return { period: 'month (UTC)', workspaceDefault: workspaceCreditDefault(ws), groups, users, fromRoles };
}

export interface UsageLimitsInput {
  workspaceDefault?: number | null;
  groups?: { group: string; limit: number | null }[];
  users?: { user: string; limit: number | null }[];
}

function resolveGroup(core: EmulatorCore, ws: WorkspaceState, ref: string): string {
  if (Object.hasOwn(ws.groups, ref)) return ref;
  const ids = [...(core.index(ws).groupsByName.get(ref.toLowerCase()) ?? [])];
  if (ids.length === 1) return ids[0]!;
  if (ids.length > 1) {
    throw badRequest('ambiguous_group', `"${ref}" names both a local and a SCIM group: give the group's id instead (GET /w/${ws.id}/api/groups).`, { group: ref, ids });
  }
  throw badRequest('unknown_group', `No group with id or name "${ref}" in this workspace. List groups with GET /w/${ws.id}/api/groups.`, { group: ref });
}

function resolveUser(core: EmulatorCore, ws: WorkspaceState, ref: string): string {
  if (Object.hasOwn(ws.members, ref)) return ref;
  const m = ref.includes('@') ? findMemberByEmail(core, ws, ref.trim()) : undefined;
  if (m) return m.id;
  throw badRequest('unknown_user', `No member with id or email "${ref}" in this workspace. List members with GET /w/${ws.id}/api/users.`, { user: ref });
}

/**
 * Replaces the usage-limit settings (parts left out become empty: no workspace default, no group
 * or user entries). Every group and user is checked before anything changes.
 */
export function setUsageLimits(core: EmulatorCore, ws: WorkspaceState, input: UsageLimitsInput, actor: string) {
  const groups: Record<string, number | null> = {};
  for (const { group, limit } of input.groups ?? []) {
    const id = resolveGroup(core, ws, group);
    if (Object.hasOwn(groups, id)) throw badRequest('duplicate_entry', `Group "${group}" is listed twice; give each group one limit.`, { group });
    groups[id] = limit;
  }
  const users: Record<string, number | null> = {};
  for (const { user, limit } of input.users ?? []) {
    const id = resolveUser(core, ws, user);
    if (Object.hasOwn(users, id)) throw badRequest('duplicate_entry', `User "${user}" is listed twice; give each user one limit.`, { user });
    users[id] = limit;
  }
  const from = usageLimitsView(ws);
  ws.usageLimits = { workspaceDefault: input.workspaceDefault ?? null, groups, users };
  // One truth for the workspace default: an older state's default-role alias is replaced.
  delete (ws.roles.defaultPermissions as Record<string, unknown>)[CREDIT_LIMIT_ALIAS];
  const to = usageLimitsView(ws);
  core.record(ws, 'usage_limits.changed', actor, { from: { workspaceDefault: from.workspaceDefault, groups: from.groups, users: from.users }, to: { workspaceDefault: to.workspaceDefault, groups: to.groups, users: to.users } });
  return to;
}
