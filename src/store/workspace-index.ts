// Lookup indexes of one workspace, derived from its state at load and kept in step by every
// change: members by email and SCIM userName/externalId, and group membership both ways, so
// hot paths never scan the workspace. Membership is written through to each group's saved
// `members` list (journaled as single adds and removes, not whole lists).
import { identityKey } from './identity-key.js';
import type { GroupRecord, WorkspaceState } from './state.js';
import { rawOf, type StateTracker } from './tracked-state.js';

// Emails, userNames and group names are keyed by their NFC, case-folded form.
const lower = identityKey;

function addTo<K, V>(map: Map<K, Set<V>>, key: K, value: V): void {
  let set = map.get(key);
  if (!set) map.set(key, (set = new Set()));
  set.add(value);
}

function removeFrom<K, V>(map: Map<K, Set<V>>, key: K, value: V): void {
  const set = map.get(key);
  if (set && set.delete(value) && set.size === 0) map.delete(key);
}

export class WorkspaceIndex {
  /** lower-case email → member id */
  readonly memberByEmail = new Map<string, string>();
  /** lower-case SCIM userName → member id (members the directory manages) */
  readonly memberByUserName = new Map<string, string>();
  /** SCIM externalId (exact) → member ids; externalId is not unique */
  readonly membersByExternalId = new Map<string, Set<string>>();
  /** group id → member ids */
  readonly groupMembers = new Map<string, Set<string>>();
  /** member id → group ids */
  readonly memberGroups = new Map<string, Set<string>>();
  /** SCIM externalId → group ids */
  readonly groupsByExternalId = new Map<string, Set<string>>();
  /** lower-case displayName → group ids (names are not unique: a local and a SCIM group may share one) */
  readonly groupsByName = new Map<string, Set<string>>();

  /** The workspace's untracked state: membership lists are written here directly. */
  private readonly raw: WorkspaceState;

  constructor(
    ws: WorkspaceState,
    private readonly tracker?: StateTracker,
  ) {
    ws = rawOf(ws);
    this.raw = ws;
    for (const m of Object.values(ws.members)) {
      this.memberByEmail.set(lower(m.email), m.id);
      const userName = m.scim?.userName;
      if (typeof userName === 'string' && m.scim?.deleted !== true) this.memberByUserName.set(lower(userName), m.id);
      const externalId = m.scim?.externalId;
      if (typeof externalId === 'string' && m.scim?.deleted !== true) addTo(this.membersByExternalId, externalId, m.id);
    }
    for (const g of Object.values(ws.groups)) {
      this.groupMembers.set(g.id, new Set());
      addTo(this.groupsByName, lower(g.displayName), g.id);
      if (g.externalId !== undefined) addTo(this.groupsByExternalId, g.externalId, g.id);
      const members = this.groupMembers.get(g.id)!;
      for (const memberId of g.members ?? []) {
        if (Object.hasOwn(ws.members, memberId) && !members.has(memberId)) {
          members.add(memberId);
          addTo(this.memberGroups, memberId, g.id);
        }
      }
      // The saved list is kept equal to the index (no duplicates, no unknown members).
      if (!Array.isArray(g.members) || g.members.length !== members.size) g.members = [...members];
    }
  }

  private list(groupId: string): string[] | undefined {
    const g: GroupRecord | undefined = Object.hasOwn(this.raw.groups, groupId) ? this.raw.groups[groupId] : undefined;
    if (!g) return undefined;
    if (!Array.isArray(g.members)) g.members = [];
    return g.members;
  }

  private groupPath(groupId: string) {
    return { path: ['workspaces', this.raw.id, 'groups', groupId] };
  }

  private listAdd(groupId: string, memberId: string): void {
    const list = this.list(groupId);
    if (!list) return;
    if (this.tracker) this.tracker.rawArrayAdd(list, memberId, this.groupPath(groupId));
    else list.push(memberId);
  }

  private listRemove(groupId: string, memberId: string): void {
    const list = this.list(groupId);
    if (!list) return;
    if (this.tracker) this.tracker.rawArrayRemove(list, memberId, this.groupPath(groupId));
    else {
      const at = list.indexOf(memberId);
      if (at >= 0) list.splice(at, 1);
    }
  }

  // Members

  setEmail(memberId: string, oldEmail: string | undefined, newEmail: string): void {
    if (oldEmail !== undefined && this.memberByEmail.get(lower(oldEmail)) === memberId) this.memberByEmail.delete(lower(oldEmail));
    this.memberByEmail.set(lower(newEmail), memberId);
  }

  setUserName(memberId: string, oldUserName: string | undefined, newUserName: string | undefined): void {
    if (oldUserName !== undefined && this.memberByUserName.get(lower(oldUserName)) === memberId) {
      this.memberByUserName.delete(lower(oldUserName));
    }
    if (newUserName !== undefined) this.memberByUserName.set(lower(newUserName), memberId);
  }

  setMemberExternalId(memberId: string, oldId: string | undefined, newId: string | undefined): void {
    if (oldId !== undefined) removeFrom(this.membersByExternalId, oldId, memberId);
    if (newId !== undefined) addTo(this.membersByExternalId, newId, memberId);
  }

  /** Forgets a member entirely (its groups lose it too). */
  removeMember(memberId: string, email: string, userName?: string, externalId?: string): void {
    if (this.memberByEmail.get(lower(email)) === memberId) this.memberByEmail.delete(lower(email));
    this.setUserName(memberId, userName, undefined);
    this.setMemberExternalId(memberId, externalId, undefined);
    for (const groupId of this.memberGroups.get(memberId) ?? []) {
      this.groupMembers.get(groupId)?.delete(memberId);
      this.listRemove(groupId, memberId);
    }
    this.memberGroups.delete(memberId);
  }

  // Groups

  addGroup(groupId: string, displayName: string, externalId?: string): void {
    this.groupMembers.set(groupId, new Set());
    addTo(this.groupsByName, lower(displayName), groupId);
    if (externalId !== undefined) addTo(this.groupsByExternalId, externalId, groupId);
  }

  renameGroup(groupId: string, oldName: string, newName: string): void {
    removeFrom(this.groupsByName, lower(oldName), groupId);
    addTo(this.groupsByName, lower(newName), groupId);
  }

  setGroupExternalId(groupId: string, oldId: string | undefined, newId: string | undefined): void {
    if (oldId !== undefined) removeFrom(this.groupsByExternalId, oldId, groupId);
    if (newId !== undefined) addTo(this.groupsByExternalId, newId, groupId);
  }

  removeGroup(groupId: string, displayName: string, externalId?: string): void {
    for (const memberId of this.groupMembers.get(groupId) ?? []) removeFrom(this.memberGroups, memberId, groupId);
    this.groupMembers.delete(groupId);
    removeFrom(this.groupsByName, lower(displayName), groupId);
    if (externalId !== undefined) removeFrom(this.groupsByExternalId, externalId, groupId);
  }

  addMembership(groupId: string, memberId: string): boolean {
    const members = this.groupMembers.get(groupId);
    if (!members || members.has(memberId)) return false;
    members.add(memberId);
    addTo(this.memberGroups, memberId, groupId);
    this.listAdd(groupId, memberId);
    return true;
  }

  removeMembership(groupId: string, memberId: string): boolean {
    const members = this.groupMembers.get(groupId);
    if (!members || !members.delete(memberId)) return false;
    removeFrom(this.memberGroups, memberId, groupId);
    this.listRemove(groupId, memberId);
    return true;
  }

  clearMembers(groupId: string): number {
    const members = this.groupMembers.get(groupId);
    if (!members) return 0;
    const n = members.size;
    for (const memberId of members) removeFrom(this.memberGroups, memberId, groupId);
    members.clear();
    const list = this.list(groupId);
    if (list) {
      if (this.tracker) this.tracker.rawArrayClear(list, this.groupPath(groupId));
      else list.length = 0;
    }
    return n;
  }
}
