// What a provisioning run must change at one SCIM target, pure: the directory (users in the
// provisioning scope, groups) compared with what the client remembers having pushed there.
import type { IdpProvisioningTarget, IdpState, IdpUser } from '../../store/state.js';
import type { PushMember, PushUser, UserChange } from './dialects.js';

export interface UserPlan {
  /** In scope, never pushed. */
  create: PushUser[];
  /** Pushed, in scope, attributes changed. */
  update: Array<{ user: PushUser; scimId: string; changes: UserChange[] }>;
  /** Pushed and deactivated, back in scope. */
  reactivate: Array<{ user: PushUser; scimId: string; changes: UserChange[] }>;
  /** Pushed and active, now out of scope (still in the directory). */
  deactivate: Array<{ user: PushUser; scimId: string }>;
  /** Pushed, now deleted from the directory. */
  remove: Array<{ user: PushUser; scimId: string; active: boolean }>;
  /** In scope and up to date. */
  unchanged: number;
}

export interface GroupPlan {
  create: Array<{ key: string; displayName: string; members: PushMember[] }>;
  rename: Array<{ key: string; scimId: string; displayName: string }>;
  members: Array<{ key: string; scimId: string; displayName: string; add: PushMember[]; remove: PushMember[] }>;
  remove: Array<{ key: string; scimId: string; displayName: string }>;
}

/** The user as the provisioning client sends it: userName is the email (UPN / Okta login). */
export function pushUserOf(user: IdpUser): PushUser {
  return {
    key: user.id,
    userName: user.email,
    email: user.email,
    ...(user.givenName !== undefined ? { givenName: user.givenName } : {}),
    ...(user.familyName !== undefined ? { familyName: user.familyName } : {}),
  };
}

/** Which managed attributes differ between what was pushed and the user now. */
export function userChanges(pushed: { userName: string; email: string; givenName?: string; familyName?: string }, user: PushUser): UserChange[] {
  const changes: UserChange[] = [];
  if (pushed.userName !== user.userName) changes.push('userName');
  if (pushed.email !== user.email) changes.push('email');
  if ((pushed.givenName ?? '') !== (user.givenName ?? '')) changes.push('givenName');
  if ((pushed.familyName ?? '') !== (user.familyName ?? '')) changes.push('familyName');
  return changes;
}

/** Users to create, update, reactivate, deactivate (out of scope) and remove (deleted). */
export function planUsers(idp: IdpState, target: IdpProvisioningTarget): UserPlan {
  const plan: UserPlan = { create: [], update: [], reactivate: [], deactivate: [], remove: [], unchanged: 0 };
  for (const user of Object.values(idp.users)) {
    const desired = pushUserOf(user);
    const pushed = target.users[user.id];
    if (!pushed) {
      if (user.provisioned) plan.create.push(desired);
      continue;
    }
    if (!user.provisioned) {
      if (pushed.active) plan.deactivate.push({ user: desired, scimId: pushed.scimId });
      continue;
    }
    const changes = userChanges(pushed, desired);
    if (!pushed.active) plan.reactivate.push({ user: desired, scimId: pushed.scimId, changes });
    else if (changes.length) plan.update.push({ user: desired, scimId: pushed.scimId, changes });
    else plan.unchanged++;
  }
  for (const [key, pushed] of Object.entries(target.users)) {
    if (Object.hasOwn(idp.users, key)) continue;
    plan.remove.push({ user: pushedUser(key, pushed), scimId: pushed.scimId, active: pushed.active });
  }
  return plan;
}

function pushedUser(key: string, p: IdpProvisioningTarget['users'][string]): PushUser {
  return {
    key,
    userName: p.userName,
    email: p.email,
    ...(p.givenName !== undefined ? { givenName: p.givenName } : {}),
    ...(p.familyName !== undefined ? { familyName: p.familyName } : {}),
  };
}

/**
 * Groups to create, rename, re-member and delete. A group's members at the target are the
 * directory members the client has pushed (users that failed to provision are left out).
 */
export function planGroups(idp: IdpState, target: IdpProvisioningTarget): GroupPlan {
  const plan: GroupPlan = { create: [], rename: [], members: [], remove: [] };
  const member = (key: string): PushMember | undefined => {
    const p = target.users[key];
    return p ? { scimId: p.scimId, userName: p.userName } : undefined;
  };
  for (const group of Object.values(idp.groups)) {
    const desired = group.members.filter((k) => target.users[k] !== undefined);
    const pushed = target.groups[group.id];
    if (!pushed) {
      plan.create.push({ key: group.id, displayName: group.displayName, members: desired.map((k) => member(k)!) });
      continue;
    }
    if (pushed.displayName !== group.displayName) plan.rename.push({ key: group.id, scimId: pushed.scimId, displayName: group.displayName });
    const add = desired.filter((k) => !pushed.members.includes(k));
    const remove = pushed.members.filter((k) => !desired.includes(k));
    if (add.length || remove.length) {
      plan.members.push({
        key: group.id,
        scimId: pushed.scimId,
        displayName: group.displayName,
        add: add.map((k) => member(k)!),
        // A member the client no longer knows is removed by the id it was pushed with.
        remove: remove.flatMap((k) => {
          const m = member(k);
          return m ? [m] : [];
        }),
      });
    }
  }
  for (const [key, pushed] of Object.entries(target.groups)) {
    if (!Object.hasOwn(idp.groups, key)) plan.remove.push({ key, scimId: pushed.scimId, displayName: pushed.displayName });
  }
  return plan;
}
