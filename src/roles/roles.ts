// Custom roles and the default role (docs/rules.md §10, RBAC article 11750701): create, rename, change
// permissions, delete, assign to groups; and a member's effective permissions with the rule and
// grants behind them, computed from the member's own groups only, so the cost does not grow with
// the workspace.
import { z } from 'zod';
import type { EmulatorCore } from '../emulator.js';
import { badRequest, conflict, notFound } from '../errors.js';
import { newId } from '../ids.js';
import type { MemberRecord, WorkspaceState } from '../store/state.js';
import { baseline, BOOLEAN_PERMISSIONS, CREDIT_LIMIT_ALIAS, fillFrom, grants, noPermissions, parseGrant, permissionsSchema, unite, type BooleanPermission, type PermissionGrant, type Permissions } from './permissions.js';
import type { RoleRecord, RolesState } from '../store/role-state.js';

export const DEFAULT_ROLE_ID = 'default' as const;
export const DEFAULT_ROLE_NAME = 'Default' as const;

/** group id → role ids, derived from the roles' groupIds and kept in step with every change. */
const roleIndexes = new WeakMap<RolesState, Map<string, Set<string>>>();

function roleIndex(ws: WorkspaceState): Map<string, Set<string>> {
  let index = roleIndexes.get(ws.roles);
  if (!index) {
    index = new Map();
    for (const role of Object.values(ws.roles.custom)) {
      for (const groupId of role.groupIds) {
        let set = index.get(groupId);
        if (!set) index.set(groupId, (set = new Set()));
        set.add(role.id);
      }
    }
    roleIndexes.set(ws.roles, index);
  }
  return index;
}

export const appIds = (ws: WorkspaceState): ReadonlySet<string> => new Set(ws.roles.apps.map((a) => a.id));

export function requireRole(ws: WorkspaceState, id: string): RoleRecord {
  const role = Object.hasOwn(ws.roles.custom, id) ? ws.roles.custom[id] : undefined;
  if (!role) throw notFound('role_not_found', `Workspace "${ws.id}" has no custom role "${id}". List roles with GET /w/${ws.id}/api/roles.`);
  return role;
}

function checkName(ws: WorkspaceState, name: unknown, except?: string): string {
  if (typeof name !== 'string' || name.trim() === '' || name.length > 100) {
    throw badRequest('invalid_request', `A role needs a "name" of 1 to 100 characters, got ${JSON.stringify(name)}.`);
  }
  const trimmed = name.trim();
  if (trimmed.toLowerCase() === DEFAULT_ROLE_NAME.toLowerCase()) {
    throw conflict('role_exists', `"${trimmed}" is the workspace default role's name; choose another.`);
  }
  for (const r of Object.values(ws.roles.custom)) {
    if (r.id !== except && r.name.toLowerCase() === trimmed.toLowerCase()) {
      throw conflict('role_exists', `A role named "${r.name}" already exists (id ${r.id}).`, { roleId: r.id });
    }
  }
  return trimmed;
}

/** A custom role's full permission set (a role from an older state may name only some keys: the
 *  rest read from the default role as it is now). */
export function roleSet(ws: WorkspaceState, role: RoleRecord): Permissions {
  return fillFrom(baseline(ws.roles.defaultPermissions as PermissionGrant), role.permissions as PermissionGrant);
}

/** The credit-limit alias a stored role carries (a default for the groups it is assigned to). */
export function roleCreditLimit(role: RoleRecord): number | null | undefined {
  const v = role.permissions[CREDIT_LIMIT_ALIAS];
  return typeof v === 'number' || v === null ? v : undefined;
}

const withAlias = (set: Permissions, limit: number | null | undefined) => (limit === undefined ? set : { ...set, [CREDIT_LIMIT_ALIAS]: limit });

const roleGroupSchema = z.object({ id: z.string(), displayName: z.string(), source: z.enum(['scim', 'local']) });

/** The public shape of a custom role, its full permission set: the one source of the view type and its documented schema. */
export const roleViewSchema = z.object({
  id: z.string(),
  name: z.string(),
  restrictive: z.boolean(),
  permissions: permissionsSchema.extend({ [CREDIT_LIMIT_ALIAS]: z.number().nullable().optional() }),
  groups: z.array(roleGroupSchema),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type RoleView = z.output<typeof roleViewSchema>;

/** The default role: the permissions of every member who holds no custom role. */
export const defaultRoleViewSchema = z.object({ id: z.literal(DEFAULT_ROLE_ID), name: z.literal(DEFAULT_ROLE_NAME), default: z.literal(true), permissions: permissionsSchema });
export type DefaultRoleView = z.output<typeof defaultRoleViewSchema>;

/** The public shape of a role: its full permission set. */
export function roleView(ws: WorkspaceState, role: RoleRecord): RoleView {
  const groups = role.groupIds.flatMap((id) => {
    const g = ws.groups[id];
    return g ? [{ id: g.id, displayName: g.displayName, source: g.source }] : [];
  });
  return {
    id: role.id,
    name: role.name,
    restrictive: role.restrictive,
    permissions: withAlias(roleSet(ws, role), roleCreditLimit(role)),
    groups,
    createdAt: role.createdAt,
    updatedAt: role.updatedAt,
  };
}

/** The workspace usage-limit default: set through usage limits, else an older state's default-role alias, else none. */
export function workspaceCreditDefault(ws: WorkspaceState): number | null {
  if (ws.usageLimits.workspaceDefault !== undefined) return ws.usageLimits.workspaceDefault;
  const legacy = ws.roles.defaultPermissions[CREDIT_LIMIT_ALIAS];
  return typeof legacy === 'number' ? legacy : null;
}

export function defaultRoleView(ws: WorkspaceState): DefaultRoleView {
  return {
    id: DEFAULT_ROLE_ID,
    name: DEFAULT_ROLE_NAME,
    default: true as const,
    permissions: { ...baseline(ws.roles.defaultPermissions as PermissionGrant), [CREDIT_LIMIT_ALIAS]: workspaceCreditDefault(ws) },
  };
}

function checkRestrictive(input: unknown): boolean | undefined {
  if (input === undefined) return undefined;
  if (typeof input !== 'boolean') throw badRequest('invalid_request', `"restrictive" takes true or false, got ${JSON.stringify(input)}.`);
  return input;
}

/** The stored form of a full set plus the alias, when given. */
function stored(set: Permissions, limit: number | null | undefined): RoleRecord['permissions'] {
  return withAlias(set, limit) as RoleRecord['permissions'];
}

/**
 * Creates a custom role. It is a full permission set: keys the request leaves out are filled from
 * the default role as it is now (the product's role form starts from the defaults); a later change
 * to the default role does not change it.
 */
export function createRole(core: EmulatorCore, ws: WorkspaceState, input: { name: unknown; permissions?: unknown; restrictive?: unknown }, actor: string): RoleRecord {
  const name = checkName(ws, input.name);
  const grant = parseGrant(input.permissions ?? {}, appIds(ws));
  const restrictive = checkRestrictive(input.restrictive) ?? false;
  const set = fillFrom(baseline(ws.roles.defaultPermissions as PermissionGrant), grant);
  const now = core.clockFor(ws.id).nowIso();
  const permissions = stored(set, grant[CREDIT_LIMIT_ALIAS]);
  const role: RoleRecord = { id: newId('role'), name, permissions, restrictive, groupIds: [], createdAt: now, updatedAt: now };
  ws.roles.custom[role.id] = role;
  core.record(ws, 'role.created', actor, { roleId: role.id, name, permissions, restrictive, requested: grant });
  return role;
}

/** Renames a role, changes the permission keys named (the others stay), or its restrictive mark. */
export function updateRole(core: EmulatorCore, ws: WorkspaceState, id: string, input: { name?: unknown; permissions?: unknown; restrictive?: unknown }, actor: string): RoleRecord {
  const role = requireRole(ws, id);
  const name = input.name === undefined ? role.name : checkName(ws, input.name, role.id);
  const restrictive = checkRestrictive(input.restrictive) ?? role.restrictive;
  let permissions = role.permissions;
  if (input.permissions !== undefined) {
    const grant = parseGrant(input.permissions, appIds(ws));
    const limit = CREDIT_LIMIT_ALIAS in grant ? grant[CREDIT_LIMIT_ALIAS] : roleCreditLimit(role);
    permissions = stored(fillFrom(roleSet(ws, role), grant), limit);
  }
  const changes: Record<string, unknown> = {};
  if (name !== role.name) changes.name = { from: role.name, to: name };
  if (restrictive !== role.restrictive) changes.restrictive = { from: role.restrictive, to: restrictive };
  if (JSON.stringify(permissions) !== JSON.stringify(role.permissions)) changes.permissions = { from: role.permissions, to: permissions };
  if (Object.keys(changes).length > 0) {
    role.name = name;
    role.permissions = permissions;
    role.restrictive = restrictive;
    role.updatedAt = core.clockFor(ws.id).nowIso();
    core.record(ws, 'role.updated', actor, { roleId: role.id, changes });
  }
  return role;
}

export function deleteRole(core: EmulatorCore, ws: WorkspaceState, id: string, actor: string): void {
  const role = requireRole(ws, id);
  const index = roleIndex(ws);
  for (const groupId of role.groupIds) index.get(groupId)?.delete(role.id);
  delete ws.roles.custom[role.id];
  core.record(ws, 'role.deleted', actor, { roleId: role.id, name: role.name, groups: role.groupIds });
}

/** Replaces the groups a role is assigned to; every id must be a group of this workspace. */
export function setRoleGroups(core: EmulatorCore, ws: WorkspaceState, id: string, groupIds: unknown, actor: string): RoleRecord {
  const role = requireRole(ws, id);
  if (!Array.isArray(groupIds) || groupIds.some((g) => typeof g !== 'string')) {
    throw badRequest('invalid_request', '"groupIds" must be a list of group ids, e.g. {"groupIds": ["grp_…"]}.');
  }
  const wanted = [...new Set(groupIds as string[])];
  const unknown = wanted.filter((g) => !Object.hasOwn(ws.groups, g));
  if (unknown.length > 0) {
    throw badRequest('unknown_group', `No group with id ${unknown.map((g) => `"${g}"`).join(', ')} in this workspace. List groups with GET /w/${ws.id}/api/groups.`, { groupIds: unknown });
  }
  const index = roleIndex(ws);
  for (const g of role.groupIds) index.get(g)?.delete(role.id);
  for (const g of wanted) {
    let set = index.get(g);
    if (!set) index.set(g, (set = new Set()));
    set.add(role.id);
  }
  const from = role.groupIds;
  role.groupIds = wanted;
  role.updatedAt = core.clockFor(ws.id).nowIso();
  core.record(ws, 'role.groups_set', actor, { roleId: role.id, name: role.name, from, to: wanted });
  return role;
}

/**
 * Changes the default role's values (what members without a custom role have). Custom roles keep
 * their own full sets. The `credits.monthly_limit` alias sets the workspace usage-limit default.
 */
export function setDefaultPermissions(core: EmulatorCore, ws: WorkspaceState, input: unknown, actor: string) {
  const grant = parseGrant(input, appIds(ws));
  const from = defaultRoleView(ws).permissions;
  const { [CREDIT_LIMIT_ALIAS]: limit, ...rest } = grant;
  const next: Record<string, unknown> = { ...ws.roles.defaultPermissions, ...rest };
  delete next[CREDIT_LIMIT_ALIAS];
  ws.roles.defaultPermissions = next as RolesState['defaultPermissions'];
  if (CREDIT_LIMIT_ALIAS in grant) ws.usageLimits.workspaceDefault = limit ?? null;
  core.record(ws, 'role.default_changed', actor, { changes: grant, from });
  return defaultRoleView(ws);
}

/** The roles mapped to a group (ids), for callers that show or move mappings. */
export function rolesOfGroup(ws: WorkspaceState, groupId: string): string[] {
  return [...(roleIndex(ws).get(groupId) ?? [])];
}

/** Removes a group from every role it is assigned to (when the group is deleted). */
export function forgetGroup(core: EmulatorCore, ws: WorkspaceState, groupId: string, actor: string): string[] {
  const index = roleIndex(ws);
  const roleIds = [...(index.get(groupId) ?? [])];
  for (const roleId of roleIds) {
    const role = ws.roles.custom[roleId];
    if (role) role.groupIds = role.groupIds.filter((g) => g !== groupId);
  }
  index.delete(groupId);
  if (roleIds.length > 0) core.record(ws, 'role.group_unmapped', actor, { groupId, roles: roleIds });
  // The group's usage-limit default goes with it.
  delete ws.usageLimits.groups[groupId];
  return roleIds;
}

/** Moves every role mapping of one group onto another (adopting a local group into a SCIM group). */
export function moveGroupMappings(ws: WorkspaceState, fromGroup: string, toGroup: string): string[] {
  const index = roleIndex(ws);
  const roleIds = [...(index.get(fromGroup) ?? [])];
  let target = index.get(toGroup);
  if (!target && roleIds.length > 0) index.set(toGroup, (target = new Set()));
  for (const roleId of roleIds) {
    const role = ws.roles.custom[roleId];
    if (!role) continue;
    role.groupIds = [...new Set(role.groupIds.map((g) => (g === fromGroup ? toGroup : g)))];
    target!.add(roleId);
  }
  index.delete(fromGroup);
  // A usage-limit default moves too, unless the target group has its own.
  if (Object.hasOwn(ws.usageLimits.groups, fromGroup)) {
    if (!Object.hasOwn(ws.usageLimits.groups, toGroup)) ws.usageLimits.groups[toGroup] = ws.usageLimits.groups[fromGroup]!;
    delete ws.usageLimits.groups[fromGroup];
  }
  return roleIds;
}

/** One grant behind an effective permission: the role (and the group it came through) and the value. */
export const grantViewSchema = z.object({
  permission: z.enum([...BOOLEAN_PERMISSIONS, 'apps'] as unknown as readonly [BooleanPermission | 'apps', ...(BooleanPermission | 'apps')[]]),
  role: z.string(),
  roleId: z.string(),
  group: z.string().optional(),
  groupId: z.string().optional(),
  value: z.union([z.boolean(), z.array(z.string())]),
});
export type Grant = z.output<typeof grantViewSchema>;

/** A custom role a member holds, and the groups it reaches them through (documented shape). */
export const heldRoleSchema = z.object({ id: z.string(), name: z.string(), groups: z.array(z.object({ id: z.string(), displayName: z.string() })) });

/** A custom role a member holds, and the groups it reaches them through. */
export interface HeldRole {
  id: string;
  name: string;
  groups: { id: string; displayName: string }[];
}

export interface EffectivePermissions {
  permissions: Permissions;
  /** Which rule applied, in words: "default role: no custom role" or "custom roles X, Y through groups A, B". */
  rule: string;
  source: 'default' | 'custom' | 'deactivated';
  roles: HeldRole[];
  grants: Grant[];
}

const names = (list: string[]) => list.map((n) => `"${n}"`).join(', ');

/** The custom roles a member holds through their groups (from their own groups only). */
export function heldRoles(core: EmulatorCore, ws: WorkspaceState, member: MemberRecord): HeldRole[] {
  const held = new Map<string, HeldRole>();
  const index = roleIndex(ws);
  for (const groupId of core.index(ws).memberGroups.get(member.id) ?? []) {
    const group = ws.groups[groupId];
    if (!group) continue;
    for (const roleId of index.get(groupId) ?? []) {
      const role = ws.roles.custom[roleId];
      if (!role) continue;
      let h = held.get(roleId);
      if (!h) held.set(roleId, (h = { id: role.id, name: role.name, groups: [] }));
      h.groups.push({ id: group.id, displayName: group.displayName });
    }
  }
  return [...held.values()];
}

/**
 * A member's effective permissions (RBAC article 11750701): a member who holds one or more custom
 * roles through their groups gets the union of those roles only (how several combine is not
 * documented; union is the natural reading); a member with none gets the default role. Each
 * permission granted comes with the grants behind it.
 */
export function effectivePermissions(core: EmulatorCore, ws: WorkspaceState, member: MemberRecord): EffectivePermissions {
  if (member.status === 'deactivated') return { permissions: noPermissions(), rule: 'deactivated: no permissions', source: 'deactivated', roles: [], grants: [] };
  const keys = [...BOOLEAN_PERMISSIONS, 'apps'] as const;
  const held = heldRoles(core, ws, member);
  const grantsOf = (set: Permissions, role: string, roleId: string, group?: { id: string; displayName: string }): Grant[] =>
    keys.flatMap((permission) =>
      grants(set, permission)
        ? [{ permission, role, roleId, ...(group ? { group: group.displayName, groupId: group.id } : {}), value: permission === 'apps' ? [...set.apps] : true }]
        : [],
    );
  if (held.length === 0) {
    const base = baseline(ws.roles.defaultPermissions as PermissionGrant);
    return { permissions: base, rule: 'default role: no custom role', source: 'default', roles: [], grants: grantsOf(base, DEFAULT_ROLE_NAME, DEFAULT_ROLE_ID) };
  }
  const permissions = noPermissions();
  const grantList: Grant[] = [];
  for (const h of held) {
    const set = roleSet(ws, ws.roles.custom[h.id]!);
    unite(permissions, set);
    for (const g of h.groups) grantList.push(...grantsOf(set, h.name, h.id, g));
  }
  const groupNames = [...new Set(held.flatMap((h) => h.groups.map((g) => g.displayName)))];
  const rule = `custom role${held.length > 1 ? 's' : ''} ${names(held.map((h) => h.name))} through group${groupNames.length > 1 ? 's' : ''} ${names(groupNames)}`;
  return { permissions, rule, source: 'custom', roles: held, grants: grantList };
}
