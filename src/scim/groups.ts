// SCIM Groups (RFC 7643 §4.2): groups with source `scim`, their JSON form, and every change to
// them. Membership lives in the workspace index and changes by delta, never by copying the list.
import { findKey, isObject } from './filter/attribute-values.js';
import { coerceSingle } from './patch/coerce-value.js';
import { applyPatch, applyPatchInSlices, PATCH_RETRIES, type MemberChange } from './patch/apply-patch.js';
import { COMMON_ATTRIBUTES, GROUP_SCHEMA, findAttribute, findSchema, type ScimAttribute, type ScimResource } from './schema.js';
import { isLenient } from './lenient.js';
import { checkIfMatch, etagOf, invalidSyntax, invalidValue, resourceNotFound, type ScimScope } from './protocol.js';
import { scimUser } from './users.js';
import { EmulatorError } from '../errors.js';
import { newId } from '../ids.js';
import { forgetGroup } from '../roles/roles.js';
import { GROUP_LIMIT } from '../groups/groups.js';
import type { GroupRecord, WorkspaceState } from '../store/state.js';

/** docs/rules.md §9: at most this many groups a workspace, local and SCIM together. */
export const MAX_GROUPS = GROUP_LIMIT;

const GROUP_ATTRIBUTES: readonly ScimAttribute[] = [...COMMON_ATTRIBUTES, ...(findSchema(GROUP_SCHEMA)?.attributes ?? [])];
// Event details list at most this many member ids; counts are always complete.
const EVENT_ID_LIMIT = 100;

/** The group behind a SCIM group id, when it is a SCIM group. */
export function scimGroup(ws: WorkspaceState, id: string): GroupRecord | undefined {
  const g = Object.hasOwn(ws.groups, id) ? ws.groups[id] : undefined;
  return g?.source === 'scim' ? g : undefined;
}

function requireScimGroup(scope: ScimScope, id: string): GroupRecord {
  const g = scimGroup(scope.ws, id);
  if (!g) throw resourceNotFound('Group', id, scope.ws);
  return g;
}

/** The Group resource (RFC 7643 §4.2); `members` from the index, left out when not wanted. */
export function groupResource(scope: ScimScope, g: GroupRecord, withMembers = true): ScimResource {
  const resource: ScimResource = {
    schemas: [GROUP_SCHEMA],
    id: g.id,
    ...(g.externalId !== undefined ? { externalId: g.externalId } : {}),
    displayName: g.displayName,
  };
  if (withMembers) {
    const ids = scope.core.index(scope.ws).groupMembers.get(g.id);
    if (ids && ids.size > 0) {
      const members: Record<string, unknown>[] = [];
      for (const id of ids) {
        const m = scope.ws.members[id];
        members.push({
          value: id,
          $ref: `${scope.baseUrl}/Users/${id}`,
          type: 'User',
          ...(m ? { display: m.displayName ?? (typeof m.scim?.userName === 'string' ? m.scim.userName : m.email) } : {}),
        });
      }
      resource.members = members;
    }
  }
  resource.meta = {
    resourceType: 'Group',
    created: g.createdAt,
    lastModified: g.updatedAt,
    location: `${scope.baseUrl}/Groups/${g.id}`,
    version: etagOf(g.version),
  };
  return resource;
}

interface GroupInput {
  displayName: string;
  externalId: string | undefined;
  memberIds: string[];
}

/** Reads a POST/PUT Group body (RFC 7644 §3.3, §3.5.1); unknown attributes are ignored. */
function readGroupBody(body: unknown): GroupInput {
  if (!isObject(body)) throw invalidSyntax('The request body must be a JSON object: a Group resource (RFC 7644 §3.3).');
  const schemas = body[findKey(body, 'schemas') ?? 'schemas'];
  if (!Array.isArray(schemas) || !schemas.some((s) => typeof s === 'string' && s.toLowerCase() === GROUP_SCHEMA.toLowerCase())) {
    throw invalidSyntax(`A Group body needs "schemas": ["${GROUP_SCHEMA}"] (RFC 7644 §3.3).`);
  }
  const read = (name: string): unknown => {
    const key = findKey(body, name);
    return key === undefined ? undefined : body[key];
  };
  const displayName = coerceSingle(findAttribute(GROUP_ATTRIBUTES, 'displayName')!, read('displayName'), 'displayName');
  if (typeof displayName !== 'string' || displayName.trim() === '') {
    throw invalidValue('"displayName" is required: a non-empty string, e.g. "Teachers" (RFC 7643 §4.2).');
  }
  const externalId = coerceSingle(findAttribute(GROUP_ATTRIBUTES, 'externalId')!, read('externalId'), 'externalId');
  const members = read('members');
  if (members !== undefined && members !== null && !Array.isArray(members)) {
    throw invalidValue('"members" must be an array of {"value": "<user id>"}.');
  }
  const memberIds = (members ?? []).map((item: unknown, i: number) => {
    const id = isObject(item) ? item[findKey(item, 'value') ?? 'value'] : undefined;
    if (typeof id !== 'string' || id === '') throw invalidValue(`members[${i}] must be an object with a non-empty string "value" (a User id).`);
    return id;
  });
  return { displayName, externalId: typeof externalId === 'string' && externalId !== '' ? externalId : undefined, memberIds: [...new Set(memberIds)] };
}

// Member values must be Users of this workspace's directory (RFC 7644 §3.12 invalidValue otherwise);
// lenient mode (docs/rules.md §17) leaves the others out instead. Returns the members kept.
function checkMembers(scope: ScimScope, ids: string[]): string[] {
  if (isLenient(scope.ws)) return ids.filter((id) => scimUser(scope.ws, id) !== undefined);
  for (const id of ids) {
    if (!scimUser(scope.ws, id)) {
      throw invalidValue(
        `Member "${id}" is not a User of this workspace's directory: members must be ids of SCIM Users (GET /w/${scope.ws.id}/scim/v2/Users). Nested groups are not supported.`,
      );
    }
  }
  return ids;
}

function now(scope: ScimScope): string {
  return scope.core.clockFor(scope.ws.id).nowIso();
}

function summary(ids: string[]): Record<string, unknown> {
  return { count: ids.length, ids: ids.slice(0, EVENT_ID_LIMIT) };
}

/** Creates a Group (RFC 7644 §3.3) with source `scim`; refused at the workspace's group limit. */
export function createGroup(scope: ScimScope, body: unknown): GroupRecord {
  const input = readGroupBody(body);
  const index = scope.core.index(scope.ws);
  if (index.groupMembers.size >= MAX_GROUPS) {
    throw new EmulatorError({
      code: 'group_limit',
      status: 409,
      message: `Workspace "${scope.ws.id}" already has ${index.groupMembers.size} groups, the limit of ${MAX_GROUPS.toLocaleString('en-US')} groups a workspace (local and SCIM together); delete some first.`,
    });
  }
  input.memberIds = checkMembers(scope, input.memberIds);
  const time = now(scope);
  const g: GroupRecord = {
    id: newId('grp'),
    displayName: input.displayName,
    source: 'scim',
    ...(input.externalId !== undefined ? { externalId: input.externalId } : {}),
    members: [],
    createdAt: time,
    updatedAt: time,
    version: 1,
  };
  scope.ws.groups[g.id] = g;
  index.addGroup(g.id, g.displayName, g.externalId);
  for (const id of input.memberIds) index.addMembership(g.id, id);
  scope.core.record(scope.ws, 'scim.group.created', scope.actor, {
    groupId: g.id,
    displayName: g.displayName,
    ...(g.externalId !== undefined ? { externalId: g.externalId } : {}),
    members: summary(input.memberIds),
  });
  return g;
}

interface GroupChange {
  displayName: string;
  externalId: string | undefined;
  /** Applied to the index in order. */
  memberChanges: readonly MemberChange[];
}

// Applies a validated change; one `scim.group.updated` event when anything changed.
function applyChange(scope: ScimScope, g: GroupRecord, change: GroupChange, via: string): GroupRecord {
  const index = scope.core.index(scope.ws);
  const detail: Record<string, unknown> = { groupId: g.id, via };
  if (change.displayName !== g.displayName) {
    detail.displayName = { from: g.displayName, to: change.displayName };
    index.renameGroup(g.id, g.displayName, change.displayName);
    g.displayName = change.displayName;
  }
  if (change.externalId !== g.externalId) {
    detail.externalId = { from: g.externalId ?? null, to: change.externalId ?? null };
    index.setGroupExternalId(g.id, g.externalId, change.externalId);
    if (change.externalId === undefined) delete g.externalId;
    else g.externalId = change.externalId;
  }
  const added: string[] = [];
  const removed: string[] = [];
  let cleared = 0;
  for (const c of change.memberChanges) {
    if (c.kind === 'removeAll') cleared += index.clearMembers(g.id);
    else if (c.kind === 'add') for (const id of c.values) index.addMembership(g.id, id) && added.push(id);
    else for (const id of c.values) index.removeMembership(g.id, id) && removed.push(id);
  }
  if (added.length > 0) detail.membersAdded = summary(added);
  if (removed.length > 0) detail.membersRemoved = summary(removed);
  if (cleared > 0) detail.membersCleared = cleared;
  if (Object.keys(detail).length > 2) {
    g.version += 1;
    g.updatedAt = now(scope);
    scope.core.record(scope.ws, 'scim.group.updated', scope.actor, { ...detail, displayName: detail.displayName ?? g.displayName });
  }
  return g;
}

/** Replaces a Group (RFC 7644 §3.5.1): members left out means no members. */
export function replaceGroup(scope: ScimScope, id: string, body: unknown, ifMatch: string | undefined): GroupRecord {
  const g = requireScimGroup(scope, id);
  checkIfMatch(ifMatch, g.version);
  const input = readGroupBody(body);
  input.memberIds = checkMembers(scope, input.memberIds);
  // The delta between the stored set and the new one, so unchanged members are not touched.
  const current = scope.core.index(scope.ws).groupMembers.get(g.id) ?? new Set<string>();
  const wanted = new Set(input.memberIds);
  const remove: string[] = [];
  for (const m of current) if (!wanted.has(m)) remove.push(m);
  const add = input.memberIds.filter((m) => !current.has(m));
  const memberChanges: MemberChange[] = [];
  if (remove.length > 0) memberChanges.push({ kind: 'remove', values: remove });
  if (add.length > 0) memberChanges.push({ kind: 'add', values: add });
  return applyChange(scope, g, { displayName: input.displayName, externalId: input.externalId, memberChanges }, 'put');
}

/** Modifies a Group with a PatchOp message (RFC 7644 §3.5.2), all or nothing. */
export async function patchGroup(scope: ScimScope, id: string, body: unknown, ifMatch: string | undefined): Promise<GroupRecord> {
  // As patchUser: in slices, again over the new state when another write overtook it.
  for (let attempt = 0; ; attempt++) {
    const g = requireScimGroup(scope, id);
    checkIfMatch(ifMatch, g.version);
    if (attempt >= PATCH_RETRIES) return storePatchedGroup(scope, g, applyPatch(groupResource(scope, g, false), body, 'Group'));
    const seen = groupStamp(g);
    const outcome = await applyPatchInSlices(groupResource(scope, g, false), body, 'Group');
    const now = requireScimGroup(scope, id);
    if (groupStamp(now) === seen) return storePatchedGroup(scope, now, outcome);
  }
}

const groupStamp = (g: GroupRecord) => `${g.version}\u0000${g.updatedAt}\u0000${g.displayName}`;

function storePatchedGroup(scope: ScimScope, g: GroupRecord, patched: ReturnType<typeof applyPatch>): GroupRecord {
  const { resource } = patched;
  const memberChanges = patched.memberChanges.map((c) => (c.kind === 'add' ? { ...c, values: checkMembers(scope, [...c.values]) } : c));
  const displayName = resource.displayName;
  if (typeof displayName !== 'string' || displayName.trim() === '') {
    throw invalidValue('"displayName" is required and cannot be emptied (RFC 7643 §4.2).');
  }
  const externalId = typeof resource.externalId === 'string' && resource.externalId !== '' ? resource.externalId : undefined;
  return applyChange(scope, g, { displayName, externalId, memberChanges }, 'patch');
}

/** Deletes a Group (RFC 7644 §3.6); its members stay, only the membership goes. */
export function deleteGroup(scope: ScimScope, id: string, ifMatch: string | undefined): void {
  const g = requireScimGroup(scope, id);
  checkIfMatch(ifMatch, g.version);
  const index = scope.core.index(scope.ws);
  const size = index.groupMembers.get(g.id)?.size ?? 0;
  // Deleting a group removes its role mappings (docs/rules.md §9).
  const roles = forgetGroup(scope.core, scope.ws, g.id, scope.actor);
  index.removeGroup(g.id, g.displayName, g.externalId);
  delete scope.ws.groups[g.id];
  scope.core.record(scope.ws, 'scim.group.deleted', scope.actor, { groupId: g.id, displayName: g.displayName, memberCount: size, roles });
}
