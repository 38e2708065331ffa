// What each scenario step does, through the emulator's public HTTP API only, so a scenario runs
// the same in process and against a running emulator. Sign-ins go through the real protocols.
import { compare, type Difference } from './compare.js';
import { describeError, StepError, toResult, type HttpResult, type ScenarioContext } from './context.js';
import type { StepName } from './schema.js';

export interface StepOutcome {
  /** What `expect` is compared with and `save` reads from. */
  result: Record<string, unknown>;
  /** Differences found by an expectation step itself. */
  diffs?: Difference[];
  /** An HTTP answer that, without `expect`, means the step failed. */
  failedCall?: HttpResult;
}

type Handler = (ctx: ScenarioContext, args: any) => Promise<StepOutcome>;

const ok = (res: HttpResult): StepOutcome => ({ result: { status: res.status, body: res.body }, ...(res.status >= 400 ? { failedCall: res } : {}) });

/** Runs a sign-in to its end the way a browser would, and says how it ended. */
async function signIn(ctx: ScenarioContext, args: { user: string; method: string; fault?: string; password?: string; provider?: string }): Promise<StepOutcome> {
  const ws = ctx.ws;
  if (args.method === 'password' || args.method === 'social') {
    const body =
      args.method === 'password'
        ? { email: args.user, password: args.password ?? ctx.passwords.get(args.user.toLowerCase()) ?? 'not-the-password' }
        : { email: args.user, provider: args.provider ?? 'google' };
    const res = await ctx.call('POST', `/w/${ws}/login/${args.method}`, body, 'none');
    return { result: outcomeOf(res) };
  }
  if (!ctx.idp) throw new StepError('sso sign-in needs the scenario\'s identity provider: add an `idp:` section');
  const connection = (await ctx.api('GET', '/sso')).body;
  const protocol: string = connection?.protocol ?? 'saml';
  const start = await ctx.call('GET', `/w/${ws}/sso/${protocol}/login?email=${encodeURIComponent(args.user)}`, undefined, 'none');
  if (start.status !== 302) return { result: outcomeOf(start) };
  // A fault for this sign-in only goes on the request to the IdP (`none` overrides armed faults).
  const idpUrl = new URL(start.headers.location!, ctx.target.origin);
  if (args.fault) idpUrl.searchParams.set('fault', args.fault);
  const atIdp = await ctx.call('GET', idpUrl.href, undefined, 'none', { Accept: 'application/json' });
  let final: HttpResult;
  if (protocol === 'saml') {
    if (atIdp.status !== 200 || typeof atIdp.body?.SAMLResponse !== 'string') return { result: { ...outcomeOf(atIdp), at: 'idp' } };
    const form = new URLSearchParams({ SAMLResponse: atIdp.body.SAMLResponse, ...(atIdp.body.RelayState ? { RelayState: atIdp.body.RelayState } : {}) });
    const res = await ctx.target.fetch(atIdp.body.acsUrl, { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: form.toString(), redirect: 'manual' });
    final = await toResult(res);
  } else {
    if (atIdp.status !== 302 || !atIdp.headers.location) return { result: { ...outcomeOf(atIdp), at: 'idp' } };
    final = await ctx.call('GET', atIdp.headers.location, undefined, 'none');
  }
  return { result: outcomeOf(final) };
}

/** allowed (a session cookie was set) or denied with the reason code. */
function outcomeOf(res: HttpResult): Record<string, unknown> {
  const session = /edu_session=/.test(res.headers['set-cookie'] ?? '');
  if ((res.status === 200 || res.status === 302) && session) return { outcome: 'allowed', status: res.status };
  const reason = res.body?.error?.code ?? res.body?.reason;
  return { outcome: 'denied', status: res.status, ...(reason ? { reason } : {}), ...(res.body?.error?.message ? { message: res.body.error.message } : {}) };
}

const sortedStrings = (v: unknown) => (Array.isArray(v) && v.every((x) => typeof x === 'string') ? [...v].sort() : v);

export const STEPS: Record<StepName, Handler> = {
  async verify_domain(ctx, args: string | { domain: string; publish?: boolean }) {
    const domain = typeof args === 'string' ? args : args.domain;
    const publish = typeof args === 'string' ? true : args.publish !== false;
    let added = await ctx.api('POST', '/domains', { domain });
    if (added.status === 409 && added.body?.error?.code === 'domain_exists') added = await ctx.api('GET', `/domains/${domain}`);
    if (added.status >= 400) return ok(added);
    if (publish) {
      const name = added.body.domain as string;
      // Adds the value and keeps those already at the name (one atomic call).
      await ctx.call('POST', `/_emulator/dns/${name}`, { txt: [added.body.txt.value] });
    }
    const verified = await ctx.api('POST', `/domains/${added.body.domain}/verify`);
    if (verified.status < 400 && publish && verified.body.status !== 'verified') {
      return { result: { status: verified.status, body: verified.body }, failedCall: { ...verified, status: 422, body: { error: { code: verified.body.reason ?? 'not_verified', message: verified.body.message ?? 'not verified' } } } };
    }
    return ok(verified);
  },
  async configure_sso(ctx, args: { protocol?: string; allowIdpInitiated?: boolean; force?: boolean } | null) {
    if (!ctx.idp) throw new StepError('configure_sso wires the scenario\'s identity provider: add an `idp:` section');
    const protocol = args?.protocol ?? ctx.scenario.doc.idp?.protocol ?? 'saml';
    const options = { ...(args?.allowIdpInitiated !== undefined ? { allowIdpInitiated: args.allowIdpInitiated } : {}), ...(args?.force !== undefined ? { force: args.force } : {}) };
    return ok(await ctx.api('PUT', '/sso', { protocol, mockIdp: ctx.idp, ...options }));
  },
  async invite(ctx, args: string | (string | { email: string; role?: string; password?: string })[]) {
    const list = typeof args === 'string' ? [args] : args;
    let last: HttpResult | undefined;
    for (const item of list) {
      const body = typeof item === 'string' ? { email: item } : item;
      last = await ctx.api('POST', '/invites', body);
      if (last.status >= 400) return ok(last);
      if (typeof item !== 'string' && item.password) ctx.passwords.set(item.email.toLowerCase(), item.password);
    }
    return ok(last!);
  },
  async set_enforcement(ctx, args: string | { level: string; force?: boolean }) {
    return ok(await ctx.api('PUT', '/sso/enforcement', typeof args === 'string' ? { level: args } : args));
  },
  async settings(ctx, args) {
    return ok(await ctx.api('PATCH', '/settings', args));
  },
  async issue_scim_token(ctx, args: { save?: string; name?: string } | null) {
    const res = await ctx.api('POST', '/scim/tokens', { name: args?.name ?? 'scenario' });
    if (res.status === 201) {
      ctx.scimToken = res.body.token;
      if (args?.save) ctx.vars[args.save] = res.body.token;
    }
    return ok(res);
  },
  async create_group(ctx, args: { name: string; members?: string[] }) {
    const created = await ctx.api('POST', '/groups', { displayName: args.name });
    if (created.status >= 400 || !args.members) return ok(created);
    const ids = [];
    for (const email of args.members) ids.push((await ctx.requireMember(email)).id);
    return ok(await ctx.api('PUT', `/groups/${created.body.id}/members`, { userIds: ids }));
  },
  async create_role(ctx, args: { name: string; permissions: Record<string, unknown>; restrictive?: boolean }) {
    return ok(await ctx.api('POST', '/roles', args));
  },
  async set_default_role(ctx, args: { permissions: Record<string, unknown> }) {
    return ok(await ctx.api('PUT', '/roles/default', args));
  },
  async usage_limits(ctx, args: Record<string, unknown>) {
    return ok(await ctx.api('PUT', '/usage-limits', args));
  },
  async map_group(ctx, args: { group: string; role: string; source?: 'local' | 'scim' }) {
    const group = await ctx.group(args.group, args.source);
    const role = await ctx.role(args.role);
    const groupIds = [...new Set([...role.groups.map((g: { id: string }) => g.id), group.id])];
    return ok(await ctx.api('PUT', `/roles/${role.id}/groups`, { groupIds }));
  },
  async adopt_group(ctx, args: { local: string; into: string }) {
    const local = await ctx.group(args.local, 'local');
    const into = await ctx.group(args.into, 'scim');
    return ok(await ctx.api('POST', `/groups/${local.id}/adopt`, { into: into.id }));
  },
  async scim_sync(ctx, args: { dialect?: string } | null) {
    const token = await ctx.ensureScimToken();
    const res = await ctx.idpCall('POST', '/provision', {
      target: { baseUrl: `${ctx.target.origin}/w/${ctx.ws}/scim/v2`, token },
      ...(args?.dialect ? { dialect: args.dialect } : {}),
    });
    return ok(res);
  },
  async directory_sync(ctx, args: { groups?: string[]; files?: { users?: string; groups?: string } } | null) {
    const current = await ctx.api('GET', '/directory');
    if (current.status >= 400) return ok(current);
    if (args?.files) {
      if (args.groups) throw new StepError('directory_sync takes groups (a Google directory) or files (a CSV one), not both');
      if (current.body.type !== 'sftp') {
        const connected = await ctx.api('PUT', '/directory', { type: 'sftp' });
        if (connected.status >= 400) return ok(connected);
      }
      const files: Record<string, string> = {};
      if (args.files.users !== undefined) files['users.csv'] = args.files.users;
      if (args.files.groups !== undefined) files['groups.csv'] = args.files.groups;
      return ok(await ctx.api('POST', '/directory/upload', files));
    }
    if (current.body.type === 'none' || args?.groups !== undefined) {
      if (!ctx.idp) throw new StepError('directory_sync pulls from the scenario\'s identity provider: add an `idp:` section with vendor: google, or give files');
      const connected = await ctx.api('PUT', '/directory', { type: 'google', mockIdp: ctx.idp, ...(args?.groups ? { groups: args.groups } : {}) });
      if (connected.status >= 400) return ok(connected);
    }
    return ok(await ctx.api('POST', '/directory/sync'));
  },
  async idp_add_user(ctx, args) {
    return ok(await ctx.idpCall('POST', '/users', args));
  },
  async idp_remove_user(ctx, email: string) {
    return ok(await ctx.idpCall('PATCH', `/users/${encodeURIComponent(email)}`, { provisioned: false }));
  },
  async idp_delete_user(ctx, email: string) {
    return ok(await ctx.idpCall('DELETE', `/users/${encodeURIComponent(email)}`));
  },
  async idp_move_user(ctx, args: { user: string; from: string; to: string }) {
    return ok(await ctx.idpCall('POST', `/users/${encodeURIComponent(args.user)}/move`, { from: args.from, to: args.to }));
  },
  async idp_fault(ctx, args: { fault: string; user?: string }) {
    return ok(await ctx.idpCall('PUT', '/faults', args.user ? { users: { [args.user]: args.fault } } : { next: args.fault }));
  },
  sign_in: signIn,
  async check_sign_in(ctx, args: { user: string; method: string }) {
    const res = await ctx.api('POST', '/sign-in/check', { email: args.user, method: args.method });
    return { result: { ...res.body, status: res.status }, ...(res.status >= 400 ? { failedCall: res } : {}) };
  },
  async advance_clock(ctx, duration: string) {
    return ok(await ctx.call('POST', '/_emulator/clock', { advance: duration, workspace: ctx.ws }));
  },
  async request(ctx, args: { method: string; path: string; body?: unknown; auth?: 'scim' | 'admin' | 'none'; headers?: Record<string, string> }) {
    const path = args.path.startsWith('/') ? args.path : `/${args.path}`;
    // A scenario file is untrusted and this step carries the admin key: it stays inside its
    // workspace, so "/../../_emulator/state" or "/%2e%2e/…" (dot segments the URL parser resolves) is refused.
    const inside = `/w/${ctx.ws}/`;
    if (!new URL(`${inside.slice(0, -1)}${path}`, 'http://scenario.invalid').pathname.startsWith(inside)) {
      throw new StepError(`request: path "${args.path}" leaves the workspace; give a path under /w/${ctx.ws} such as /api/users or /scim/v2/Users, without "..".`);
    }
    // Pulling from another server is the admin's choice, not a scenario file's (docs/security.md).
    if (/^\/api\/directory\/?(?:[?#]|$)/.test(path) && typeof args.body === 'object' && args.body !== null && ('baseUrl' in args.body || 'tokenUrl' in args.body)) {
      throw new StepError('request: a scenario connects a Google directory through its own mock IdP (directory_sync, or {"type":"google","mockIdp":…}), not to a "baseUrl" or "tokenUrl" of its choosing.');
    }
    const auth = args.auth ?? (path.startsWith('/scim/') ? 'scim' : 'admin');
    const res = await ctx.call(args.method, `/w/${ctx.ws}${path}`, args.body, auth, args.headers);
    return { result: { status: res.status, body: res.body, headers: res.headers } };
  },
  async expect_permissions(ctx, args: { user: string; has: Record<string, unknown> }) {
    const member = await ctx.requireMember(args.user);
    const res = await ctx.api('GET', `/users/${member.id}/permissions`);
    const actual = res.body.permissions as Record<string, unknown>;
    const diffs = Object.entries(args.has).flatMap(([k, v]) => compare(sortedStrings(v), sortedStrings(actual[k]), k));
    return { result: { status: res.status, permissions: actual, grants: res.body.grants }, diffs };
  },
  async expect_member(ctx, args: { user: string; exists?: boolean; status?: string; source?: string; role?: string; groups?: string[] }) {
    const member = await ctx.member(args.user);
    const exists = args.exists ?? true;
    if (!member) return { result: { exists: false }, diffs: exists ? [{ path: 'exists', expected: true, actual: false }] : [] };
    if (!exists) return { result: { exists: true, ...member }, diffs: [{ path: 'exists', expected: false, actual: true }] };
    const actual = { status: member.status, source: member.source, role: member.role, groups: member.groups.map((g: { displayName: string }) => g.displayName).sort() };
    const expected: Record<string, unknown> = {};
    for (const k of ['status', 'source', 'role'] as const) if (args[k] !== undefined) expected[k] = args[k];
    if (args.groups) expected.groups = [...args.groups].sort();
    return { result: { exists: true, ...member }, diffs: compare(expected, actual) };
  },
  async expect_usage_limit(ctx, args: { user: string; limit?: number | null; source?: string; group?: string }) {
    const member = await ctx.requireMember(args.user);
    const res = await ctx.api('GET', `/users/${member.id}/usage-limit`);
    const expected: Record<string, unknown> = {};
    for (const k of ['limit', 'source', 'group'] as const) if (args[k] !== undefined) expected[k] = args[k];
    return { result: { status: res.status, ...res.body }, diffs: compare(expected, res.body ?? {}) };
  },
  async expect_readiness(ctx, args: Record<string, string>) {
    const res = await ctx.api('GET', '/readiness');
    const actual = Object.fromEntries((res.body.items as { id: string; status: string }[]).map((i) => [i.id, i.status]));
    return { result: { status: res.status, items: res.body.items }, diffs: compare(args, actual) };
  },
  async expect_enforcement_preview(ctx, args: { level: string } & Record<string, unknown>) {
    const res = await ctx.api('GET', `/sso/enforcement/preview?level=${encodeURIComponent(args.level)}`);
    if (res.status >= 400) return ok(res);
    const rows = res.body.members as { email: string; outcome: string }[];
    const diffs: Difference[] = [];
    for (const outcome of ['newly_blocked', 'newly_allowed', 'unchanged', 'insufficient_data']) {
      if (args[outcome] === undefined) continue;
      const actual = rows.filter((r) => r.outcome === outcome).map((r) => r.email.toLowerCase()).sort();
      diffs.push(...compare((args[outcome] as string[]).map((e) => e.toLowerCase()).sort(), actual, outcome));
    }
    return { result: { status: res.status, ...res.body }, diffs };
  },
  async expect_conformance(ctx, args: { profile?: string; fail?: number; warn?: number; info?: number; known_quirk?: number }) {
    const res = await ctx.api('GET', `/conformance?profile=${encodeURIComponent(args.profile ?? 'rfc')}`);
    if (res.status >= 400) return ok(res);
    const expected: Record<string, number> = {};
    for (const k of ['fail', 'warn', 'info', 'known_quirk'] as const) if (args[k] !== undefined) expected[k] = args[k];
    const diffs = compare(expected, res.body.summary ?? {}, 'summary');
    // Name the findings behind a count that differs, so the failure says what the IdP sent.
    for (const d of [...diffs]) {
      if (typeof d.actual !== 'number' || typeof d.expected !== 'number' || d.actual < d.expected) continue;
      const severity = d.path.split('.').at(-1);
      const behind = (res.body.findings as { rule: string; severity: string; message: string; request: { method: string; path: string } }[]).filter((f) => f.severity === severity).slice(0, 5);
      for (const f of behind) diffs.push({ path: `${severity}: ${f.rule}`, expected: 'not in the report', actual: `${f.request.method} ${f.request.path}: ${f.message}` });
    }
    return { result: { status: res.status, ...res.body }, diffs };
  },
  async expect_events(ctx, args: { type: string; count?: number; min?: number }) {
    const res = await ctx.api('GET', `/events?type=${encodeURIComponent(args.type)}&limit=2000`);
    const count = (res.body.events as unknown[]).length;
    const diffs: Difference[] = [];
    if (args.count !== undefined && count !== args.count) diffs.push({ path: `count(${args.type})`, expected: args.count, actual: count });
    if (args.min !== undefined && count < args.min) diffs.push({ path: `count(${args.type})`, expected: `at least ${args.min}`, actual: count });
    if (args.count === undefined && args.min === undefined && count === 0) diffs.push({ path: `count(${args.type})`, expected: 'at least 1', actual: 0 });
    return { result: { status: res.status, count, events: res.body.events }, diffs };
  },
};
