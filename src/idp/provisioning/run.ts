// One provisioning run against one SCIM target: carries out the plan in the target's dialect
// through a `send` function, remembers what was pushed, and reports every request and outcome.
import type { IdpProvisioningTarget, IdpState } from '../../store/state.js';
import { DIALECTS, displayPath, type DialectRules, type PushMember, type PushUser, type ScimRequest, type UserChange } from './dialects.js';
import { planGroups, planUsers, userChanges, type GroupPlan, type UserPlan } from './plan.js';

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

/** One run's shared state: the target's dialect and memory, the transport, and the report being written. */
class ProvisioningRun {
  readonly rules: DialectRules;
  readonly report: ProvisioningReport;

  constructor(
    readonly target: IdpProvisioningTarget,
    private readonly send: ScimSend,
  ) {
    this.rules = DIALECTS[target.dialect];
    this.report = {
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
  }

  get counts(): ProvisioningReport['counts'] {
    return this.report.counts;
  }

  /** Sends one request and writes it into the report. */
  async exchange(req: ScimRequest): Promise<ScimResponse> {
    const res = await this.send(req);
    this.report.requests.push({ method: req.method, path: displayPath(req), status: res.status });
    this.report.counts.requests++;
    if (!ok(res.status)) this.report.counts.failedRequests++;
    return res;
  }

  /** Sends requests in order; the first failure stops the sequence and is returned. */
  async sequence(reqs: ScimRequest[]): Promise<ScimResponse | undefined> {
    for (const req of reqs) {
      const res = await this.exchange(req);
      if (!ok(res.status)) return res;
    }
    return undefined;
  }

  outcome(outcome: ProvisioningOutcome): void {
    this.report.outcomes.push(outcome);
  }

  /** A subject that failed: its outcome says with which status and why. */
  fail(type: 'user' | 'group', subject: string, res: ScimResponse, scimId?: string): void {
    this.outcome({ type, action: 'failed', subject, ...(scimId ? { scimId } : {}), status: res.status, detail: describe(res) });
    if (type === 'user') this.report.counts.users.failed++;
    else this.report.counts.groups.failed++;
  }

  /** Remembers a user as now pushed to the target. */
  remember(user: PushUser, scimId: string, active: boolean): void {
    this.target.users[user.key] = {
      scimId,
      userName: user.userName,
      email: user.email,
      ...(user.givenName !== undefined ? { givenName: user.givenName } : {}),
      ...(user.familyName !== undefined ? { familyName: user.familyName } : {}),
      active,
    };
  }

  /** The directory keys of pushed members. */
  memberKeys(members: PushMember[]): string[] {
    return members.flatMap((m) => {
      const entry = Object.entries(this.target.users).find(([, p]) => p.scimId === m.scimId);
      return entry ? [entry[0]] : [];
    });
  }
}

/**
 * Runs one provisioning cycle: users first (create, update, reactivate), then groups (create,
 * rename, members, delete), then deprovisioning (users out of scope or deleted). Mutates
 * `target` to remember what the target now holds. A failed request fails only its subject.
 */
export async function runProvisioning(idp: IdpState, target: IdpProvisioningTarget, send: ScimSend, now: Date): Promise<ProvisioningReport> {
  const run = new ProvisioningRun(target, send);
  const users = planUsers(idp, target);
  run.counts.users.unchanged = users.unchanged;
  await createUsers(run, users.create);
  await updateUsers(run, users.update);
  await reactivateUsers(run, users.reactivate);

  // Planned after the users' phase, so that groups see the members just pushed.
  const groups = planGroups(idp, target);
  await createGroups(run, groups.create);
  await renameGroups(run, groups.rename);
  await changeGroupMembers(run, groups.members);
  await removeGroups(run, groups.remove);

  await deactivateUsers(run, users.deactivate);
  await removeUsers(run, users.remove);
  target.lastRunAt = now.toISOString();
  return run.report;
}

/** New users: linked to a match the target already holds (and brought up to date), or created. */
async function createUsers(run: ProvisioningRun, users: UserPlan['create']): Promise<void> {
  const { rules } = run;
  for (const user of users) {
    const found = await run.exchange(rules.findUser(user.userName));
    if (!ok(found.status)) {
      run.fail('user', user.email, found);
      continue;
    }
    const existing = firstResource(found.body);
    if (existing && typeof existing.id === 'string') {
      // Matched at the target: linked, then brought up to date as the vendor does.
      const scimId = existing.id;
      const { changes, active } = compareFound(existing, user);
      const failed = await run.sequence([...rules.updateUser(scimId, user, changes, true), ...(active ? [] : rules.setActive(scimId, user, true))]);
      if (failed) {
        run.fail('user', user.email, failed, scimId);
        continue;
      }
      run.remember(user, scimId, true);
      run.outcome({ type: 'user', action: 'linked', subject: user.email, scimId });
      run.counts.users.linked++;
      continue;
    }
    const created = await run.exchange(rules.createUser(user));
    const scimId = (created.body as { id?: unknown } | undefined)?.id;
    if (!ok(created.status) || typeof scimId !== 'string') {
      run.fail('user', user.email, created);
      continue;
    }
    run.remember(user, scimId, true);
    run.outcome({ type: 'user', action: 'created', subject: user.email, scimId });
    run.counts.users.created++;
  }
}

/** Users whose profile changed in the directory. */
async function updateUsers(run: ProvisioningRun, users: UserPlan['update']): Promise<void> {
  for (const { user, scimId, changes } of users) {
    const failed = await run.sequence(run.rules.updateUser(scimId, user, changes, true));
    if (failed) {
      run.fail('user', user.email, failed, scimId);
      continue;
    }
    run.remember(user, scimId, true);
    run.outcome({ type: 'user', action: 'updated', subject: user.email, scimId });
    run.counts.users.updated++;
  }
}

/** Users back in scope after being deactivated: brought up to date and active again. */
async function reactivateUsers(run: ProvisioningRun, users: UserPlan['reactivate']): Promise<void> {
  const { rules } = run;
  for (const { user, scimId, changes } of users) {
    // Okta's PUT carries the whole profile: one request both updates and reactivates.
    const reqs = run.target.dialect === 'okta' ? rules.setActive(scimId, user, true) : [...rules.updateUser(scimId, user, changes, true), ...rules.setActive(scimId, user, true)];
    const failed = await run.sequence(reqs);
    if (failed) {
      run.fail('user', user.email, failed, scimId);
      continue;
    }
    run.remember(user, scimId, true);
    run.outcome({ type: 'user', action: 'reactivated', subject: user.email, scimId });
    run.counts.users.reactivated++;
  }
}

/** New groups: linked to a same-named group at the target where the dialect looks one up, or created; then their members. */
async function createGroups(run: ProvisioningRun, groups: GroupPlan['create']): Promise<void> {
  const { rules, target } = run;
  for (const group of groups) {
    let scimId: string | undefined;
    let linked = false;
    const lookup = rules.findGroup(group.displayName);
    if (lookup) {
      const found = await run.exchange(lookup);
      if (!ok(found.status)) {
        run.fail('group', group.displayName, found);
        continue;
      }
      const existing = firstResource(found.body);
      if (existing && typeof existing.id === 'string') {
        scimId = existing.id;
        linked = true;
      }
    }
    if (scimId === undefined) {
      const created = await run.exchange(rules.createGroup(group.key, group.displayName, group.members));
      const id = (created.body as { id?: unknown } | undefined)?.id;
      if (!ok(created.status) || typeof id !== 'string') {
        run.fail('group', group.displayName, created);
        continue;
      }
      scimId = id;
    }
    const follow = linked ? rules.changeMembers(scimId, group.members, []) : rules.afterGroupCreated(scimId, group.displayName, group.members);
    const failed = await run.sequence(follow);
    // The group exists at the target either way; its members only once pushed.
    target.groups[group.key] = { scimId, displayName: group.displayName, members: failed ? [] : run.memberKeys(group.members) };
    if (failed) {
      run.fail('group', group.displayName, failed, scimId);
      continue;
    }
    run.outcome({ type: 'group', action: linked ? 'linked' : 'created', subject: group.displayName, scimId, added: group.members.length });
    if (linked) run.counts.groups.linked++;
    else run.counts.groups.created++;
    run.counts.members.added += group.members.length;
  }
}

/** Groups renamed in the directory. */
async function renameGroups(run: ProvisioningRun, groups: GroupPlan['rename']): Promise<void> {
  for (const group of groups) {
    const failed = await run.sequence(run.rules.renameGroup(group.scimId, group.displayName));
    if (failed) {
      run.fail('group', group.displayName, failed, group.scimId);
      continue;
    }
    run.target.groups[group.key]!.displayName = group.displayName;
    run.outcome({ type: 'group', action: 'renamed', subject: group.displayName, scimId: group.scimId });
    run.counts.groups.renamed++;
  }
}

/** Members added to and removed from groups already pushed. */
async function changeGroupMembers(run: ProvisioningRun, groups: GroupPlan['members']): Promise<void> {
  const { target } = run;
  for (const group of groups) {
    const failed = await run.sequence(run.rules.changeMembers(group.scimId, group.add, group.remove));
    if (failed) {
      run.fail('group', group.displayName, failed, group.scimId);
      continue;
    }
    const pushed = target.groups[group.key]!;
    const removed = new Set(run.memberKeys(group.remove));
    pushed.members = [...pushed.members.filter((k) => !removed.has(k) && Object.hasOwn(target.users, k)), ...run.memberKeys(group.add)];
    run.outcome({ type: 'group', action: 'members_changed', subject: group.displayName, scimId: group.scimId, added: group.add.length, removed: group.remove.length });
    run.counts.members.added += group.add.length;
    run.counts.members.removed += group.remove.length;
  }
}

/** Groups gone from the directory (already gone at the target counts as done). */
async function removeGroups(run: ProvisioningRun, groups: GroupPlan['remove']): Promise<void> {
  for (const group of groups) {
    const failed = await run.sequence(run.rules.deleteGroup(group.scimId));
    if (failed && failed.status !== 404) {
      run.fail('group', group.displayName, failed, group.scimId);
      continue;
    }
    delete run.target.groups[group.key];
    run.outcome({ type: 'group', action: 'deleted', subject: group.displayName, scimId: group.scimId });
    run.counts.groups.deleted++;
  }
}

/** Users taken out of the provisioning scope: deactivated at the target. */
async function deactivateUsers(run: ProvisioningRun, users: UserPlan['deactivate']): Promise<void> {
  for (const { user, scimId } of users) {
    const failed = await run.sequence(run.rules.setActive(scimId, user, false));
    if (failed) {
      run.fail('user', user.email, failed, scimId);
      continue;
    }
    run.target.users[user.key]!.active = false;
    run.outcome({ type: 'user', action: 'deactivated', subject: user.email, scimId });
    run.counts.users.deactivated++;
  }
}

/** Users deleted from the directory: deleted (RFC clients) or disabled (Entra, Okta), and forgotten. */
async function removeUsers(run: ProvisioningRun, users: UserPlan['remove']): Promise<void> {
  const { target } = run;
  for (const { user, scimId, active } of users) {
    // Entra and Okta disable a deleted user (nothing to send when already disabled); RFC clients DELETE.
    const reqs = target.dialect === 'generic' || active ? run.rules.deleteUser(scimId, user) : [];
    const failed = await run.sequence(reqs);
    if (failed && failed.status !== 404) {
      run.fail('user', user.email, failed, scimId);
      continue;
    }
    delete target.users[user.key];
    for (const g of Object.values(target.groups)) g.members = g.members.filter((k) => k !== user.key);
    run.outcome({ type: 'user', action: target.dialect === 'generic' ? 'deleted' : 'deactivated', subject: user.email, scimId });
    if (target.dialect === 'generic') run.counts.users.deleted++;
    else run.counts.users.deactivated++;
  }
}
