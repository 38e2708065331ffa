// Custom roles and the default role (SPEC §1): create, rename, change permissions, delete,
// assign to groups; and a member's effective permissions with the grant behind each one, computed
// from the member's own groups only, so the cost does not grow with the workspace.
import { z } from 'zod';
import type { EmulatorCore } from '../emulator.js';
import { badRequest, conflict, notFound } from '../errors.js';
import { newId } from '../members/members.js';
import type { MemberRecord, WorkspaceState } from '../store/state.js';
import {
  addsTo,
  baseline,
  BOOLEAN_PERMISSIONS,
  noPermissions,
  parseGrant,
  PERMISSION_KEYS,
  permissionGrantSchema,
  permissionsSchema,
  unite,
  type PermissionGrant,
  type PermissionKey,
  type Permissions,
} from './permissions.js';
import type { RoleRecord, RolesState } from './role-state.js';

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

/** The public shape of a custom role: the one source of the view type and its documented schema. */
export const roleViewSchema = z.object({
  id: z.string(),
  name: z.string(),
  permissions: permissionGrantSchema,
  groups: z.array(z.object({ id: z.string(), displayName: z.string(), source: z.enum(['scim', 'local']) })),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type RoleView = z.output<typeof roleViewSchema>;

/** The default role: every member's baseline, with every permission key present. */
export const defaultRoleViewSchema = z.object({ id: z.literal(DEFAULT_ROLE_ID), name: z.literal(DEFAULT_ROLE_NAME), default: z.literal(true), permissions: permissionsSchema });
export type DefaultRoleView = z.output<typeof defaultRoleViewSchema>;

export function roleView(ws: WorkspaceState, role: RoleRecord): RoleView {
  const groups = role.groupIds.flatMap((id) => {
    const g = ws.groups[id];
    return g ? [{ id: g.id, displayName: g.displayName, source: g.source }] : [];
  });
  return { id: role.id, name: role.name, permissions: role.permissions as PermissionGrant, groups, createdAt: role.createdAt, updatedAt: role.updatedAt };
}

export function defaultRoleView(ws: WorkspaceState): DefaultRoleView {
  return { id: DEFAULT_ROLE_ID, name: DEFAULT_ROLE_NAME, default: true as const, permissions: baseline(ws.roles.defaultPermissions as PermissionGrant) };
}

export function createRole(core: EmulatorCore, ws: WorkspaceState, input: { name: unknown; permissions?: unknown }, actor: string): RoleRecord {
  const name = checkName(ws, input.name);
  const permissions = parseGrant(input.permissions ?? {}, appIds(ws));
  const now = core.clockFor(ws.id).now().toISOString();
  const role: RoleRecord = { id: newId('role'), name, permissions, groupIds: [], createdAt: now, updatedAt: now };
  ws.roles.custom[role.id] = role;
  core.record(ws, 'role.created', actor, { roleId: role.id, name, permissions });
  return role;
}

export function updateRole(core: EmulatorCore, ws: WorkspaceState, id: string, input: { name?: unknown; permissions?: unknown }, actor: string): RoleRecord {
  const role = requireRole(ws, id);
  const name = input.name === undefined ? role.name : checkName(ws, input.name, role.id);
  const permissions = input.permissions === undefined ? role.permissions : parseGrant(input.permissions, appIds(ws));
  const changes: Record<string, unknown> = {};
  if (name !== role.name) changes.name = { from: role.name, to: name };
  if (JSON.stringify(permissions) !== JSON.stringify(role.permissions)) changes.permissions = { from: role.permissions, to: permissions };
  if (Object.keys(changes).length > 0) {
    role.name = name;
    role.permissions = permissions;
    role.updatedAt = core.clockFor(ws.id).now().toISOString();
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
  role.updatedAt = core.clockFor(ws.id).now().toISOString();
  core.record(ws, 'role.groups_set', actor, { roleId: role.id, name: role.name, from, to: wanted });
  return role;
}

/** Changes the default role's values (what every member has). */
export function setDefaultPermissions(core: EmulatorCore, ws: WorkspaceState, input: unknown, actor: string) {
  const grant = parseGrant(input, appIds(ws));
  const from = baseline(ws.roles.defaultPermissions as PermissionGrant);
  ws.roles.defaultPermissions = { ...ws.roles.defaultPermissions, ...grant };
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
  return roleIds;
}

/** One grant behind an effective permission: the role (and the group it came through) and the value. */
export const grantViewSchema = z.object({
  permission: z.enum(PERMISSION_KEYS),
  role: z.string(),
  roleId: z.string(),
  group: z.string().optional(),
  groupId: z.string().optional(),
  value: z.union([z.boolean(), z.number(), z.array(z.string())]),
});
export type Grant = z.output<typeof grantViewSchema>;

/** A member's effective permissions as the admin API shows them (`GET /users/{id}/permissions`). */
export const effectivePermissionsViewSchema = z.object({
  userId: z.string(),
  email: z.string(),
  status: z.enum(['pending_invite', 'active', 'deactivated']),
  permissions: permissionsSchema,
  grants: z.array(grantViewSchema),
});
export type EffectivePermissionsView = z.output<typeof effectivePermissionsViewSchema>;

export function effectivePermissionsView(core: EmulatorCore, ws: WorkspaceState, member: MemberRecord): EffectivePermissionsView {
  return { userId: member.id, email: member.email, status: member.status, ...effectivePermissions(core, ws, member) };
}

/**
 * A member's effective permissions and, for each permission, the grants behind it: the default
 * role for the baseline, and every role (through which group) that adds to it.
 */
export function effectivePermissions(core: EmulatorCore, ws: WorkspaceState, member: MemberRecord): { permissions: Permissions; grants: Grant[] } {
  if (member.status === 'deactivated') return { permissions: noPermissions(), grants: [] };
  const base = baseline(ws.roles.defaultPermissions as PermissionGrant);
  const permissions: Permissions = { ...base, apps: [...base.apps] };
  const grants: Grant[] = [];
  for (const key of BOOLEAN_PERMISSIONS) {
    if (base[key]) grants.push({ permission: key, role: DEFAULT_ROLE_NAME, roleId: DEFAULT_ROLE_ID, value: true });
  }
  if (base.apps.length > 0) grants.push({ permission: 'apps', role: DEFAULT_ROLE_NAME, roleId: DEFAULT_ROLE_ID, value: [...base.apps] });
  grants.push({ permission: 'credits.monthly_limit', role: DEFAULT_ROLE_NAME, roleId: DEFAULT_ROLE_ID, value: base['credits.monthly_limit'] });

  const index = roleIndex(ws);
  for (const groupId of core.index(ws).memberGroups.get(member.id) ?? []) {
    const group = ws.groups[groupId];
    if (!group) continue;
    for (const roleId of index.get(groupId) ?? []) {
      const role = ws.roles.custom[roleId];
      if (!role) continue;
      const grant = role.permissions as PermissionGrant;
      unite(permissions, grant);
      for (const key of PERMISSION_KEYS) {
        if (addsTo(base, grant, key)) {
          grants.push({ permission: key, role: role.name, roleId: role.id, group: group.displayName, groupId: group.id, value: grant[key] as Grant['value'] });
        }
      }
    }
  }
  return { permissions, grants };
}
