// Groups in the workspace admin API (docs/rules.md §9): local groups (for pilots) created, renamed,
// deleted and filled here; SCIM groups visible but read-only; a local group adopted into a SCIM
// group hands over its role mappings. At most 10,000 groups a workspace.
import { z } from 'zod';
import type { EmulatorCore } from '../emulator.js';
import { badRequest, conflict, notFound } from '../errors.js';
import { newId } from '../ids.js';
import { forgetGroup, moveGroupMappings, rolesOfGroup } from '../roles/roles.js';
import type { GroupRecord, WorkspaceState } from '../store/state.js';

export const GROUP_LIMIT = 10_000;

export function requireGroup(ws: WorkspaceState, id: string): GroupRecord {
  const g = Object.hasOwn(ws.groups, id) ? ws.groups[id] : undefined;
  if (!g) throw notFound('group_not_found', `Workspace "${ws.id}" has no group "${id}". List groups with GET /w/${ws.id}/api/groups.`);
  return g;
}

function requireLocal(ws: WorkspaceState, id: string): GroupRecord {
  const g = requireGroup(ws, id);
  if (g.source === 'scim') {
    throw conflict(
      'scim_managed',
      `"${g.displayName}" is pushed by the identity provider (SCIM); change it in the IdP. Only local groups can be edited here.`,
      { groupId: g.id },
    );
  }
  return g;
}

/** Whether a local and a SCIM group share this group's name (the readiness report flags it). */
export function hasDuplicateName(core: EmulatorCore, ws: WorkspaceState, g: GroupRecord): boolean {
  const same = core.index(ws).groupsByName.get(g.displayName.toLowerCase());
  if (!same || same.size < 2) return false;
  for (const id of same) if (ws.groups[id] && ws.groups[id]!.source !== g.source) return true;
  return false;
}

/** The public shape of a group (docs/http-api.md §8): the one source of the view type, the typed client's and the OpenAPI document's. */
export const groupViewSchema = z.object({
  id: z.string(),
  displayName: z.string(),
  source: z.enum(['scim', 'local']),
  memberCount: z.number().int(),
  externalId: z.string().optional(),
  /** The custom roles assigned to this group. */
  roles: z.array(z.object({ id: z.string(), name: z.string() })),
  /** A local and a SCIM group share this name (the readiness report flags it). */
  duplicateName: z.boolean(),
  createdAt: z.string(),
});
export type GroupView = z.output<typeof groupViewSchema>;

export function groupView(core: EmulatorCore, ws: WorkspaceState, g: GroupRecord): GroupView {
  return {
    id: g.id,
    displayName: g.displayName,
    source: g.source,
    memberCount: core.index(ws).groupMembers.get(g.id)?.size ?? 0,
    ...(g.externalId !== undefined ? { externalId: g.externalId } : {}),
    roles: rolesOfGroup(ws, g.id).flatMap((id) => {
      const r = ws.roles.custom[id];
      return r ? [{ id: r.id, name: r.name }] : [];
    }),
    duplicateName: hasDuplicateName(core, ws, g),
    createdAt: g.createdAt,
  };
}

function checkDisplayName(name: unknown): string {
  if (typeof name !== 'string' || name.trim() === '' || name.length > 256) {
    throw badRequest('invalid_request', `A group needs a "displayName" of 1 to 256 characters, got ${JSON.stringify(name)}.`);
  }
  return name.trim();
}

/** Refuses a new group past the workspace limit (409 `group_limit`). */
export function checkGroupLimit(core: EmulatorCore, ws: WorkspaceState): void {
  if (core.index(ws).groupMembers.size >= GROUP_LIMIT) {
    throw conflict('group_limit', `Workspace "${ws.id}" already has ${GROUP_LIMIT} groups, the most a workspace may have. Delete groups you no longer need.`);
  }
}

export function createLocalGroup(core: EmulatorCore, ws: WorkspaceState, displayName: unknown, actor: string): GroupRecord {
  const name = checkDisplayName(displayName);
  checkGroupLimit(core, ws);
  const now = core.clockFor(ws.id).nowIso();
  const g: GroupRecord = { id: newId('grp'), displayName: name, source: 'local', members: [], createdAt: now, updatedAt: now, version: 1 };
  ws.groups[g.id] = g;
  core.index(ws).addGroup(g.id, g.displayName);
  core.record(ws, 'group.created', actor, { groupId: g.id, displayName: name, source: 'local' });
  return g;
}

export function renameLocalGroup(core: EmulatorCore, ws: WorkspaceState, id: string, displayName: unknown, actor: string): GroupRecord {
  const g = requireLocal(ws, id);
  const name = checkDisplayName(displayName);
  if (name !== g.displayName) {
    core.index(ws).renameGroup(g.id, g.displayName, name);
    core.record(ws, 'group.renamed', actor, { groupId: g.id, from: g.displayName, to: name });
    g.displayName = name;
    g.updatedAt = core.clockFor(ws.id).nowIso();
    g.version++;
  }
  return g;
}

export function deleteLocalGroup(core: EmulatorCore, ws: WorkspaceState, id: string, actor: string): void {
  const g = requireLocal(ws, id);
  const roles = forgetGroup(core, ws, g.id, actor);
  core.index(ws).removeGroup(g.id, g.displayName, g.externalId);
  delete ws.groups[g.id];
  core.record(ws, 'group.deleted', actor, { groupId: g.id, displayName: g.displayName, source: 'local', roles });
}

/** Replaces a local group's members; every id must be a member of this workspace. */
export function setLocalMembers(core: EmulatorCore, ws: WorkspaceState, id: string, userIds: unknown, actor: string): GroupRecord {
  const g = requireLocal(ws, id);
  if (!Array.isArray(userIds) || userIds.some((u) => typeof u !== 'string')) {
    throw badRequest('invalid_request', '"userIds" must be a list of member ids, e.g. {"userIds": ["usr_…"]}.');
  }
  const wanted = [...new Set(userIds as string[])];
  const unknown = wanted.filter((u) => !Object.hasOwn(ws.members, u));
  if (unknown.length > 0) {
    throw badRequest('unknown_user', `No member with id ${unknown.map((u) => `"${u}"`).join(', ')} in this workspace. Find ids with GET /w/${ws.id}/api/users.`, { userIds: unknown });
  }
  const index = core.index(ws);
  index.clearMembers(g.id);
  for (const u of wanted) index.addMembership(g.id, u);
  g.updatedAt = core.clockFor(ws.id).nowIso();
  g.version++;
  core.record(ws, 'group.members_set', actor, { groupId: g.id, displayName: g.displayName, count: wanted.length });
  return g;
}

/**
 * Adopts a local group into a SCIM group: the local group's role mappings move onto the SCIM
 * group and the local group is removed — one event.
 */
export function adoptLocalGroup(core: EmulatorCore, ws: WorkspaceState, id: string, into: unknown, actor: string): GroupRecord {
  const local = requireLocal(ws, id);
  if (typeof into !== 'string') throw badRequest('invalid_request', '"into" must be the id of a SCIM group, e.g. {"into": "grp_…"}.');
  const target = requireGroup(ws, into);
  if (target.source !== 'scim') {
    throw conflict('not_scim_group', `"${target.displayName}" is a local group; adopt into a group the identity provider pushes (source scim).`);
  }
  const roles = moveGroupMappings(ws, local.id, target.id);
  core.index(ws).removeGroup(local.id, local.displayName, local.externalId);
  delete ws.groups[local.id];
  core.record(ws, 'group.adopted', actor, { from: { id: local.id, displayName: local.displayName }, into: { id: target.id, displayName: target.displayName }, roles });
  return target;
}
