// One provisioning run against one SCIM target: carries out the plan in the target's dialect
// through a `send` function, remembers what was pushed, and reports every request and outcome.
import type { IdpProvisioningTarget, IdpState } from '../../store/state.js';
import { DIALECTS, displayPath, type DialectRules, type PushMember, type PushUser, type ScimRequest, type UserChange } from './dialects.js';
import { planGroups, planUsers, userChanges } from './plan.js';

export interface ScimResponse {
  status: number;
  body: unknown;
}

/** Sends one SCIM request to the target (HTTP at the edge; a recorder in tests). */
export type ScimSend = (request: ScimRequest) => Promise<ScimResponse>;

export interface ProvisioningOutcome {
  type: 'user' | 'group';
  action: 'created' | 'linked' | 'updated' | 'reactivated' | 'deactivated' | 'deleted' | 'renamed' | 'members_changed' | 'failed';
  /** The user's email or the group's display name. */
  subject: string;
  scimId?: string;
  added?: number;
  removed?: number;
  /** For failures: the status and what the target said. */
  status?: number;
  detail?: string;
}

export interface ProvisioningReport {
  target: string;
  dialect: string;
  requests: Array<{ method: string; path: string; status: number }>;
  outcomes: ProvisioningOutcome[];
  counts: {
    requests: number;
    failedRequests: number;
    users: { created: number; linked: number; updated: number; reactivated: number; deactivated: number; deleted: number; unchanged: number; failed: number };
    groups: { created: number; linked: number; renamed: number; deleted: number; failed: number };
    members: { added: number; removed: number };
  };
}

const ok = (status: number) => status >= 200 && status < 300;

/** RFC 7644 §3.12 error detail, or a short form of whatever came back. */
function describe(res: ScimResponse): string {
  const body = res.body as { detail?: unknown; scimType?: unknown } | undefined;
  if (body && typeof body === 'object' && typeof body.detail === 'string') {
    return typeof body.scimType === 'string' ? `${body.scimType}: ${body.detail}` : body.detail;
  }
  return typeof res.body === 'string' ? res.body.slice(0, 200) : `HTTP ${res.status}`;
}

/** The first resource of a ListResponse (RFC 7644 §3.4.2). */
function firstResource(body: unknown): Record<string, unknown> | undefined {
  const resources = (body as { Resources?: unknown } | undefined)?.Resources;
  return Array.isArray(resources) && resources[0] && typeof resources[0] === 'object' ? (resources[0] as Record<string, unknown>) : undefined;
}

/** How a resource found at the target differs from the directory's user, and whether it is active. */
function compareFound(resource: Record<string, unknown>, user: PushUser): { changes: UserChange[]; active: boolean } {
  const name = (resource.name ?? {}) as { givenName?: unknown; familyName?: unknown };
  const emails = Array.isArray(resource.emails) ? (resource.emails as Array<{ value?: unknown; primary?: unknown; type?: unknown }>) : [];
  const email = emails.find((e) => e.primary === true) ?? emails.find((e) => e.type === 'work') ?? emails[0];
  const found = {
    userName: String(resource.userName ?? ''),
    email: typeof email?.value === 'string' ? email.value : user.email,
    givenName: typeof name.givenName === 'string' ? name.givenName : '',
    familyName: typeof name.familyName === 'string' ? name.familyName : '',
  };
  const active = resource.active === true || (typeof resource.active === 'string' && resource.active.toLowerCase() === 'true');
  return { changes: userChanges(found, user), active };
}

/**
 * Runs one provisioning cycle: users first (create, update, reactivate), then groups (create,
 * rename, members, delete), then deprovisioning (users out of scope or deleted). Mutates
 * `target` to remember what the target now holds. A failed request fails only its subject.
 */
export async function runProvisioning(idp: IdpState, target: IdpProvisioningTarget, send: ScimSend, now: Date): Promise<ProvisioningReport> {
  const rules: DialectRules = DIALECTS[target.dialect];
  const report: ProvisioningReport = {
    target: target.baseUrl,
    dialect: target.dialect,
    requests: [],
    outcomes: [],
    counts: {
      requests: 0,
      failedRequests: 0,
      users: { created: 0, linked: 0, updated: 0, reactivated: 0, deactivated: 0, deleted: 0, unchanged: 0, failed: 0 },
      groups: { created: 0, linked: 0, renamed: 0, deleted: 0, failed: 0 },
      members: { added: 0, removed: 0 },
    },
  };
  const exchange = async (req: ScimRequest): Promise<ScimResponse> => {
    const res = await send(req);
    report.requests.push({ method: req.method, path: displayPath(req), status: res.status });
    report.counts.requests++;
    if (!ok(res.status)) report.counts.failedRequests++;
    return res;
  };
  /** Sends requests in order; the first failure stops the sequence and is returned. */
  const sequence = async (reqs: ScimRequest[]): Promise<ScimResponse | undefined> => {
    for (const req of reqs) {
      const res = await exchange(req);
      if (!ok(res.status)) return res;
    }
    return undefined;
  };
  const fail = (type: 'user' | 'group', subject: string, res: ScimResponse, scimId?: string) => {
    report.outcomes.push({ type, action: 'failed', subject, ...(scimId ? { scimId } : {}), status: res.status, detail: describe(res) });
    if (type === 'user') report.counts.users.failed++;
    else report.counts.groups.failed++;
  };
  const remember = (user: PushUser, scimId: string, active: boolean) => {
    target.users[user.key] = {
      scimId,
      userName: user.userName,
      email: user.email,
      ...(user.givenName !== undefined ? { givenName: user.givenName } : {}),
      ...(user.familyName !== undefined ? { familyName: user.familyName } : {}),
      active,
    };
  };

  const users = planUsers(idp, target);
  report.counts.users.unchanged = users.unchanged;

  for (const user of users.create) {
    const found = await exchange(rules.findUser(user.userName));
    if (!ok(found.status)) {
      fail('user', user.email, found);
      continue;
    }
    const existing = firstResource(found.body);
    if (existing && typeof existing.id === 'string') {
      // Matched at the target: linked, then brought up to date as the vendor does.
      const scimId = existing.id;
      const { changes, active } = compareFound(existing, user);
      const failed = await sequence([...rules.updateUser(scimId, user, changes, true), ...(active ? [] : rules.setActive(scimId, user, true))]);
      if (failed) {
        fail('user', user.email, failed, scimId);
        continue;
      }
      remember(user, scimId, true);
      report.outcomes.push({ type: 'user', action: 'linked', subject: user.email, scimId });
      report.counts.users.linked++;
      continue;
    }
    const created = await exchange(rules.createUser(user));
    const scimId = (created.body as { id?: unknown } | undefined)?.id;
    if (!ok(created.status) || typeof scimId !== 'string') {
      fail('user', user.email, created);
      continue;
    }
    remember(user, scimId, true);
    report.outcomes.push({ type: 'user', action: 'created', subject: user.email, scimId });
    report.counts.users.created++;
  }

  for (const { user, scimId, changes } of users.update) {
    const failed = await sequence(rules.updateUser(scimId, user, changes, true));
    if (failed) {
      fail('user', user.email, failed, scimId);
      continue;
    }
    remember(user, scimId, true);
    report.outcomes.push({ type: 'user', action: 'updated', subject: user.email, scimId });
    report.counts.users.updated++;
  }

  for (const { user, scimId, changes } of users.reactivate) {
    // Okta's PUT carries the whole profile: one request both updates and reactivates.
    const reqs = target.dialect === 'okta' ? rules.setActive(scimId, user, true) : [...rules.updateUser(scimId, user, changes, true), ...rules.setActive(scimId, user, true)];
    const failed = await sequence(reqs);
    if (failed) {
      fail('user', user.email, failed, scimId);
      continue;
    }
    remember(user, scimId, true);
    report.outcomes.push({ type: 'user', action: 'reactivated', subject: user.email, scimId });
    report.counts.users.reactivated++;
  }

  const groups = planGroups(idp, target);
  const memberKeys = (members: PushMember[]) =>
    members.flatMap((m) => {
      const entry = Object.entries(target.users).find(([, p]) => p.scimId === m.scimId);
      return entry ? [entry[0]] : [];
    });

  for (const group of groups.create) {
    let scimId: string | undefined;
    let linked = false;
    const lookup = rules.findGroup(group.displayName);
    if (lookup) {
      const found = await exchange(lookup);
      if (!ok(found.status)) {
        fail('group', group.displayName, found);
        continue;
      }
      const existing = firstResource(found.body);
      if (existing && typeof existing.id === 'string') {
        scimId = existing.id;
        linked = true;
      }
    }
    if (scimId === undefined) {
      const created = await exchange(rules.createGroup(group.key, group.displayName, group.members));
      const id = (created.body as { id?: unknown } | undefined)?.id;
      if (!ok(created.status) || typeof id !== 'string') {
        fail('group', group.displayName, created);
        continue;
      }
      scimId = id;
    }
    const follow = linked ? rules.changeMembers(scimId, group.members, []) : rules.afterGroupCreated(scimId, group.displayName, group.members);
    const failed = await sequence(follow);
    // The group exists at the target either way; its members only once pushed.
    target.groups[group.key] = { scimId, displayName: group.displayName, members: failed ? [] : memberKeys(group.members) };
    if (failed) {
      fail('group', group.displayName, failed, scimId);
      continue;
    }
    report.outcomes.push({ type: 'group', action: linked ? 'linked' : 'created', subject: group.displayName, scimId, added: group.members.length });
    if (linked) report.counts.groups.linked++;
    else report.counts.groups.created++;
    report.counts.members.added += group.members.length;
  }

  for (const group of groups.rename) {
    const failed = await sequence(rules.renameGroup(group.scimId, group.displayName));
    if (failed) {
      fail('group', group.displayName, failed, group.scimId);
      continue;
    }
    target.groups[group.key]!.displayName = group.displayName;
    report.outcomes.push({ type: 'group', action: 'renamed', subject: group.displayName, scimId: group.scimId });
    report.counts.groups.renamed++;
  }

  for (const group of groups.members) {
    const failed = await sequence(rules.changeMembers(group.scimId, group.add, group.remove));
    if (failed) {
      fail('group', group.displayName, failed, group.scimId);
      continue;
    }
    const pushed = target.groups[group.key]!;
    const removed = new Set(memberKeys(group.remove));
    pushed.members = [...pushed.members.filter((k) => !removed.has(k) && Object.hasOwn(target.users, k)), ...memberKeys(group.add)];
    report.outcomes.push({ type: 'group', action: 'members_changed', subject: group.displayName, scimId: group.scimId, added: group.add.length, removed: group.remove.length });
    report.counts.members.added += group.add.length;
    report.counts.members.removed += group.remove.length;
  }

  for (const group of groups.remove) {
    const failed = await sequence(rules.deleteGroup(group.scimId));
    if (failed && failed.status !== 404) {
      fail('group', group.displayName, failed, group.scimId);
      continue;
    }
    delete target.groups[group.key];
    report.outcomes.push({ type: 'group', action: 'deleted', subject: group.displayName, scimId: group.scimId });
    report.counts.groups.deleted++;
  }

  for (const { user, scimId } of users.deactivate) {
    const failed = await sequence(rules.setActive(scimId, user, false));
    if (failed) {
      fail('user', user.email, failed, scimId);
      continue;
    }
    target.users[user.key]!.active = false;
    report.outcomes.push({ type: 'user', action: 'deactivated', subject: user.email, scimId });
    report.counts.users.deactivated++;
  }

  for (const { user, scimId, active } of users.remove) {
    // Entra and Okta disable a deleted user (nothing to send when already disabled); RFC clients DELETE.
    const reqs = target.dialect === 'generic' || active ? rules.deleteUser(scimId, user) : [];
    const failed = await sequence(reqs);
    if (failed && failed.status !== 404) {
      fail('user', user.email, failed, scimId);
      continue;
    }
    delete target.users[user.key];
    for (const g of Object.values(target.groups)) g.members = g.members.filter((k) => k !== user.key);
    report.outcomes.push({ type: 'user', action: target.dialect === 'generic' ? 'deleted' : 'deactivated', subject: user.email, scimId });
    if (target.dialect === 'generic') report.counts.users.deleted++;
    else report.counts.users.deactivated++;
  }

  target.lastRunAt = now.toISOString();
  return report;
}
