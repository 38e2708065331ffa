// Applies one directory snapshot (Google pull or CSV files) to a workspace through the SCIM rules
// themselves (createUser, replaceUser, patchUser, createGroup, replaceGroup, deleteGroup), so directory
// members behave exactly as SCIM-pushed ones; everything is checked first, so a sync applies whole or not at all.
import type { EmulatorCore } from '../emulator.js';
import { EmulatorError } from '../errors.js';
import { GROUP_LIMIT } from '../groups/groups.js';
import { normalizeEmail } from '../members/members.js';
import { identityKey } from '../store/identity-key.js';
import type { SyncSummary } from '../store/directory-state.js';
import type { WorkspaceState } from '../store/state.js';
import { createGroup, deleteGroup, replaceGroup, scimGroup } from '../scim/groups.js';
import type { ScimScope } from '../scim/protocol.js';
import { GROUP_SCHEMA, PATCH_OP_SCHEMA, USER_SCHEMA } from '../scim/schema.js';
import { createUser, patchUser, replaceUser, scimUser } from '../scim/users.js';

/** A user as the directory has it; `id` is the directory's own (Google user id, CSV `id`). */
export interface DirectoryUser {
  id: string;
  email: string;
  givenName?: string;
  familyName?: string;
  active: boolean;
}

/** A group as the directory has it, with its members' directory ids. */
export interface DirectoryGroup {
  id: string;
  name: string;
  members: string[];
}

/** Everything one sync read from the directory: the users and groups in scope. */
export interface DirectorySnapshot {
  users: DirectoryUser[];
  groups: DirectoryGroup[];
  warnings: string[];
}

/** Warnings kept in one sync's summary: each is saved with the sync and in the journal. */
export const MAX_SYNC_WARNINGS = 20;

// A directory (a foreign Directory API, a CSV header) decides how many warnings it causes: repeats
// are said once and the rest counted, so a sync record stays small (docs/security.md).
function boundedWarnings(warnings: string[]): string[] {
  const unique = [...new Set(warnings)];
  if (unique.length <= MAX_SYNC_WARNINGS) return unique.map((w) => (w.length > 500 ? `${w.slice(0, 497)}...` : w));
  const kept = unique.slice(0, MAX_SYNC_WARNINGS).map((w) => (w.length > 500 ? `${w.slice(0, 497)}...` : w));
  return [...kept, `and ${unique.length - MAX_SYNC_WARNINGS} more warnings`];
}

export function emptySummary(warnings: string[] = []): SyncSummary {
  return {
    created: 0,
    updated: 0,
    deactivated: 0,
    reactivated: 0,
    groups: { created: 0, updated: 0, deleted: 0 },
    memberships: { added: 0, removed: 0 },
    errors: 0,
    warnings: boundedWarnings(warnings),
  };
}

const conflictError = (message: string, details: Record<string, unknown>) =>
  new EmulatorError({ code: 'directory_conflict', status: 409, message, details });

interface PlannedUser {
  user: DirectoryUser;
  /** The workspace member it updates, or undefined for a create. */
  memberId: string | undefined;
}

/**
 * Decides, before anything changes, which member each directory user becomes, and refuses the
 * whole sync (409 `directory_conflict`) when one would fail: an email held by a member the sync
 * does not manage, two directory users with one email, the group limit.
 */
function plan(core: EmulatorCore, ws: WorkspaceState, snapshot: DirectorySnapshot): PlannedUser[] {
  const index = core.index(ws);
  const managed = ws.directory.managed.users;
  const managedMembers = new Set(Object.values(managed));
  const seen = new Map<string, string>();
  const targets = new Map<string, string>();
  const out: PlannedUser[] = [];
  for (const user of snapshot.users) {
    const email = normalizeEmail(user.email);
    const key = identityKey(email);
    const other = seen.get(key);
    if (other !== undefined) {
      throw conflictError(`Directory users "${other}" and "${user.id}" share the email ${email}; a workspace member has one email. Fix it in the directory and sync again.`, { email });
    }
    seen.set(key, user.id);
    const knownId = Object.hasOwn(managed, user.id) ? managed[user.id] : undefined;
    let memberId = knownId !== undefined && scimUser(ws, knownId) ? knownId : undefined;
    const holderByUserName = index.memberByUserName.get(key);
    const holderByEmail = index.memberByEmail.get(key);
    if (memberId === undefined && holderByUserName !== undefined) {
      // A member SCIM already manages under this userName (an earlier push) is taken over, once.
      if (managedMembers.has(holderByUserName)) {
        throw conflictError(`${email} is already the member synced from another directory user; each member comes from one directory user.`, { email, memberId: holderByUserName });
      }
      memberId = holderByUserName;
    }
    if (memberId !== undefined) {
      for (const holder of [holderByUserName, holderByEmail]) {
        if (holder !== undefined && holder !== memberId) {
          throw conflictError(
            `Directory user "${user.id}" would take the email ${email}, which belongs to another member ("${holder}"); nothing was changed. Fix the directory, or remove that member, and sync again.`,
            { email, memberId: holder },
          );
        }
      }
      const taken = targets.get(memberId);
      if (taken !== undefined) throw conflictError(`Directory users "${taken}" and "${user.id}" would both become member "${memberId}".`, { memberId });
      targets.set(memberId, user.id);
    } else if (holderByEmail !== undefined) {
      const holder = ws.members[holderByEmail];
      // An invited or automatically created member is linked (docs/rules.md §6); a SCIM one is not.
      if (holder?.source === 'scim' && scimUser(ws, holder.id)) {
        throw conflictError(`${email} is already provisioned as User "${holder.id}" with another userName; nothing was changed.`, { email, memberId: holder.id });
      }
    }
    out.push({ user: { ...user, email }, memberId });
  }
  const existingGroups = index.groupMembers.size;
  const newGroups = snapshot.groups.filter((g) => {
    const id = ws.directory.managed.groups[g.id];
    return id === undefined || !scimGroup(ws, id);
  }).length;
  const snapshotGroups = new Set(snapshot.groups.map((g) => g.id));
  const leaving = Object.entries(ws.directory.managed.groups).filter(([id, groupId]) => !snapshotGroups.has(id) && scimGroup(ws, groupId)).length;
  if (existingGroups + newGroups - leaving > GROUP_LIMIT) {
    throw new EmulatorError({
      code: 'group_limit',
      status: 409,
      message: `This sync would bring workspace "${ws.id}" to ${existingGroups + newGroups - leaving} groups, over the limit of ${GROUP_LIMIT.toLocaleString('en-US')}; nothing was changed. Filter the groups synced.`,
    });
  }
  return out;
}

function userBody(user: DirectoryUser): Record<string, unknown> {
  const name: Record<string, string> = {};
  if (user.givenName) name.givenName = user.givenName;
  if (user.familyName) name.familyName = user.familyName;
  return {
    schemas: [USER_SCHEMA],
    userName: user.email,
    externalId: user.id,
    ...(Object.keys(name).length > 0 ? { name } : {}),
    emails: [{ value: user.email, type: 'work', primary: true }],
    active: user.active,
  };
}

function countStatus(summary: SyncSummary, before: string | undefined, after: string): void {
  if (before !== 'deactivated' && after === 'deactivated') summary.deactivated++;
  if (before === 'deactivated' && after !== 'deactivated') summary.reactivated++;
}

/**
 * Brings the workspace to the snapshot: creates, links, updates, deactivates (users missing or
 * inactive) and reactivates members; creates, fills, renames and deletes the groups it manages.
 * Throws, with nothing changed, when the plan refuses the snapshot.
 */
export function applySnapshot(core: EmulatorCore, ws: WorkspaceState, snapshot: DirectorySnapshot, actor: string, scimBaseUrl: string): SyncSummary {
  const planned = plan(core, ws, snapshot);
  const scope: ScimScope = { core, ws, actor, baseUrl: scimBaseUrl };
  const summary = emptySummary(snapshot.warnings);
  const managed = ws.directory.managed;
  const inSnapshot = new Set<string>();

  for (const { user, memberId } of planned) {
    inSnapshot.add(user.id);
    if (memberId !== undefined) {
      const before = ws.members[memberId]!;
      const statusBefore = before.status;
      const versionBefore = scimUser(ws, memberId)!.record.version;
      const { member, record } = replaceUser(scope, memberId, userBody(user), undefined);
      if (record.version !== versionBefore && statusBefore === member.status) summary.updated++;
      countStatus(summary, statusBefore, member.status);
      managed.users[user.id] = member.id;
    } else {
      const { member } = createUser(scope, userBody(user));
      summary.created++;
      if (member.status === 'deactivated') summary.deactivated++;
      managed.users[user.id] = member.id;
    }
  }

  // Users the directory no longer has in scope (deleted, out of the filtered groups, missing from
  // users.csv) are deactivated, as a SCIM client sets active false; they come back if they return.
  for (const [directoryId, memberId] of Object.entries(managed.users)) {
    if (inSnapshot.has(directoryId)) continue;
    const found = scimUser(ws, memberId);
    if (!found || found.member.status === 'deactivated') continue;
    patchUser(scope, memberId, { schemas: [PATCH_OP_SCHEMA], Operations: [{ op: 'replace', path: 'active', value: false }] }, undefined);
    summary.deactivated++;
  }

  const index = core.index(ws);
  const groupsInSnapshot = new Set<string>();
  for (const group of snapshot.groups) {
    groupsInSnapshot.add(group.id);
    const memberIds = [...new Set(group.members.flatMap((id) => (Object.hasOwn(managed.users, id) && scimUser(ws, managed.users[id]!) ? [managed.users[id]!] : [])))];
    const body = { schemas: [GROUP_SCHEMA], displayName: group.name, externalId: group.id, members: memberIds.map((value) => ({ value })) };
    const knownId = managed.groups[group.id];
    const existing = knownId !== undefined ? scimGroup(ws, knownId) : undefined;
    if (existing) {
      const before = new Set(index.groupMembers.get(existing.id) ?? []);
      const versionBefore = existing.version;
      const nameBefore = existing.displayName;
      replaceGroup(scope, existing.id, body, undefined);
      const after = index.groupMembers.get(existing.id) ?? new Set<string>();
      for (const id of after) if (!before.has(id)) summary.memberships.added++;
      for (const id of before) if (!after.has(id)) summary.memberships.removed++;
      if (existing.version !== versionBefore && nameBefore !== existing.displayName) summary.groups.updated++;
    } else {
      const created = createGroup(scope, body);
      managed.groups[group.id] = created.id;
      summary.groups.created++;
      summary.memberships.added += memberIds.length;
    }
  }
  for (const [directoryId, groupId] of Object.entries(managed.groups)) {
    if (groupsInSnapshot.has(directoryId)) continue;
    // A group gone from the directory (or from the filter) goes, with its role mappings, as a SCIM DELETE would.
    if (scimGroup(ws, groupId)) {
      summary.memberships.removed += index.groupMembers.get(groupId)?.size ?? 0;
      deleteGroup(scope, groupId, undefined);
      summary.groups.deleted++;
    }
    delete managed.groups[directoryId];
  }
  return summary;
}
