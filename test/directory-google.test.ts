// Directory sync from Google Workspace (docs/directory-sync.md): the mock IdP's Directory API over a
// real socket, a pull with paging (more users than one page), a group filter, a suspended user and a
// user moved out of the filtered groups; Google API errors retried or reported, never half-applied.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type RunningEmulator } from '../src/start.js';
import { directoryRuntime } from '../src/directory/directory.js';

let running: RunningEmulator;
const STUDENTS = 530; // more than one users.list page (500) and members.list page (200)

async function call(method: string, path: string, body?: unknown, auth: string | null = running.adminKey) {
  const res = await fetch(`${running.url}${path}`, {
    method,
    headers: { ...(auth ? { Authorization: `Bearer ${auth}` } : {}), ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}) },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined, headers: res.headers };
}

const member = async (ws: string, email: string) => (await call('GET', `/w/${ws}/api/users?email=${encodeURIComponent(email)}`)).body.users[0];

beforeAll(async () => {
  running = await startEmulator({ adminKey: 'directory-test-key' });
  directoryRuntime(running.emulator.core).sleep = async () => {};
  const students = Array.from({ length: STUDENTS }, (_, i) => ({ email: `s${String(i).padStart(4, '0')}@springfield.k12.us`, givenName: 'Student', familyName: String(i), groups: ['Students'] }));
  const res = await call('POST', '/_emulator/idps', {
    id: 'gws',
    vendor: 'google',
    users: [
      { email: 'tom@springfield.k12.us', givenName: 'Tom', familyName: 'Lee', groups: ['Teachers'] },
      { email: 'ann@springfield.k12.us', givenName: 'Ann', familyName: 'Park', groups: ['Teachers'] },
      { email: 'sue@springfield.k12.us', givenName: 'Sue', familyName: 'Ito', groups: ['Teachers'], attributes: { orgUnitPath: '/Staff/Teachers' } },
      { email: 'cook@springfield.k12.us', givenName: 'Cal', familyName: 'Cook', groups: ['Kitchen'] },
      { email: 'nogroup@springfield.k12.us' },
      ...students,
    ],
  });
  expect(res.status).toBe(201);
}, 60_000);
afterAll(() => running.stop());

describe('the mock Google Directory API over HTTP', () => {
  it('needs a bearer token from its token endpoint and pages users with pageToken', async () => {
    const app = await call('POST', '/idp/gws/apps/oidc', { redirectUris: ['https://rp.example/cb'] }, null);
    const unauthenticated = await call('GET', '/idp/gws/google/admin/directory/v1/users?customer=my_customer', undefined, null);
    expect(unauthenticated.status).toBe(401);
    expect(unauthenticated.body.error.status).toBe('UNAUTHENTICATED');
    const badSecret = await fetch(`${running.url}/idp/gws/google/token`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'client_credentials', client_id: app.body.clientId, client_secret: 'nope' }),
    });
    expect(badSecret.status).toBe(401);
    expect((await badSecret.json()).error).toBe('invalid_client');
    const tokenRes = await fetch(`${running.url}/idp/gws/google/token`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', Authorization: `Basic ${Buffer.from(`${app.body.clientId}:${app.body.clientSecret}`).toString('base64')}` },
      body: new URLSearchParams({ grant_type: 'client_credentials', scope: 'https://www.googleapis.com/auth/admin.directory.user.readonly' }),
    });
    const token = (await tokenRes.json()) as { access_token: string; token_type: string };
    expect(token.token_type).toBe('Bearer');
    const first = await call('GET', '/idp/gws/google/admin/directory/v1/users?customer=my_customer&maxResults=2', undefined, token.access_token);
    expect(first.status).toBe(200);
    expect(first.body.kind).toBe('admin#directory#users');
    expect(first.body.users.map((u: any) => u.primaryEmail)).toEqual(['ann@springfield.k12.us', 'cook@springfield.k12.us']);
    expect(first.body.users[0]).toMatchObject({ name: { givenName: 'Ann', familyName: 'Park' }, suspended: false, orgUnitPath: '/' });
    const second = await call('GET', `/idp/gws/google/admin/directory/v1/users?customer=my_customer&maxResults=2&pageToken=${first.body.nextPageToken}`, undefined, token.access_token);
    expect(second.body.users[0].primaryEmail).toBe('nogroup@springfield.k12.us');
    expect((await call('GET', '/idp/gws/google/admin/directory/v1/users?maxResults=2', undefined, token.access_token)).status).toBe(400);
    const groups = await call('GET', '/idp/gws/google/admin/directory/v1/groups?customer=my_customer', undefined, token.access_token);
    expect(groups.body.groups.map((g: any) => g.name)).toEqual(['Kitchen', 'Students', 'Teachers']);
    const teachers = groups.body.groups.find((g: any) => g.name === 'Teachers');
    const members = await call('GET', `/idp/gws/google/admin/directory/v1/groups/${teachers.id}/members`, undefined, token.access_token);
    expect(members.body.members).toHaveLength(3);
    expect(members.body.members[0]).toMatchObject({ kind: 'admin#directory#member', type: 'USER', status: 'ACTIVE' });
  });
});

describe('a Google directory connection with a group filter', () => {
  const ws = 'springfield';
  beforeAll(async () => {
    expect((await call('POST', '/_emulator/workspaces', { id: ws, isolated: true })).status).toBe(201);
    // Invited before the first sync: the sync links this member instead of failing.
    expect((await call('POST', `/w/${ws}/api/invites`, { email: 'Tom@springfield.k12.us' })).status).toBe(201);
  });

  it('refuses a mock IdP that is not google, and a foreign server without the admin key', async () => {
    await call('POST', '/_emulator/idps', { id: 'entra1', vendor: 'entra' });
    const wrong = await call('PUT', `/w/${ws}/api/directory`, { type: 'google', mockIdp: 'entra1' });
    expect(wrong.status).toBe(400);
    expect(wrong.body.error.code).toBe('invalid_directory_config');
    const missing = await call('PUT', `/w/${ws}/api/directory`, { type: 'google', baseUrl: 'https://admin.googleapis.com' });
    expect(missing.body.error.message).toMatch(/tokenUrl/);
    const before = await call('GET', `/w/${ws}/api/directory`);
    expect(before.body.type).toBe('none');
  });

  it('pulls every page, provisions only the filtered groups, links the invited member', async () => {
    const put = await call('PUT', `/w/${ws}/api/directory`, { type: 'google', mockIdp: 'gws', groups: ['Teachers', 'Students'] });
    expect(put.status).toBe(200);
    expect(put.body).toMatchObject({ type: 'google', google: { mockIdp: 'gws', groups: ['Teachers', 'Students'], clientSecretSet: true }, intervalMinutes: 30 });
    expect(JSON.stringify(put.body)).not.toMatch(/clientSecret"/);
    const sync = await call('POST', `/w/${ws}/api/directory/sync`);
    expect(sync.status).toBe(200);
    expect(sync.body).toMatchObject({
      status: 'ok',
      trigger: 'manual',
      type: 'google',
      // Tom, invited before, is linked: counted with the created ones.
      summary: { created: STUDENTS + 3, deactivated: 0, groups: { created: 2, updated: 0, deleted: 0 }, memberships: { added: STUDENTS + 3, removed: 0 }, errors: 0 },
    });
    expect(sync.body.summary.warnings).toContain('2 users outside the filtered groups were not synced');
    const tom = await member(ws, 'tom@springfield.k12.us');
    expect(tom).toMatchObject({ source: 'scim', status: 'pending_invite', givenName: 'Tom', familyName: 'Lee' });
    expect(tom.groups.map((g: any) => g.displayName)).toEqual(['Teachers']);
    expect(await member(ws, 'cook@springfield.k12.us')).toBeUndefined();
    expect(await member(ws, 'nogroup@springfield.k12.us')).toBeUndefined();
    expect(await member(ws, `s0529@springfield.k12.us`)).toMatchObject({ source: 'scim', status: 'pending_invite' });
    const groups = (await call('GET', `/w/${ws}/api/groups`)).body.groups;
    expect(groups.map((g: any) => [g.displayName, g.source, g.memberCount]).sort()).toEqual([['Students', 'scim', STUDENTS], ['Teachers', 'scim', 3]]);
    // The same users over SCIM, as a pushed directory's would be.
    const token = (await call('POST', `/w/${ws}/api/scim/tokens`, {})).body.token;
    const scim = await call('GET', `/w/${ws}/scim/v2/Users?filter=${encodeURIComponent('userName eq "ann@springfield.k12.us"')}`, undefined, token);
    expect(scim.body.Resources[0]).toMatchObject({ active: true, externalId: expect.any(String), name: { givenName: 'Ann' } });
  });

  it('maps a role to a synced group', async () => {
    const teachers = (await call('GET', `/w/${ws}/api/groups`)).body.groups.find((g: any) => g.displayName === 'Teachers');
    const role = (await call('POST', `/w/${ws}/api/roles`, { name: 'GPT Publishers', permissions: { 'gpts.publish_workspace': true } })).body;
    expect((await call('PUT', `/w/${ws}/api/roles/${role.id}/groups`, { groupIds: [teachers.id] })).status).toBe(200);
    const ann = await member(ws, 'ann@springfield.k12.us');
    const perms = (await call('GET', `/w/${ws}/api/users/${ann.id}/permissions`)).body;
    expect(perms.permissions['gpts.publish_workspace']).toBe(true);
  });

  it('deactivates a suspended user and one moved out of the filtered groups, and brings them back', async () => {
    await call('PATCH', '/idp/gws/users/ann@springfield.k12.us', { attributes: { suspended: 'true' } });
    const moved = await call('POST', '/idp/gws/users/sue@springfield.k12.us/move', { from: 'Teachers', to: 'Kitchen' });
    expect(moved.status).toBe(200);
    const sync = await call('POST', `/w/${ws}/api/directory/sync`);
    expect(sync.body.summary).toMatchObject({ created: 0, deactivated: 2, reactivated: 0, memberships: { added: 0, removed: 1 } });
    expect(await member(ws, 'ann@springfield.k12.us')).toMatchObject({ status: 'deactivated' });
    const sue = await member(ws, 'sue@springfield.k12.us');
    expect(sue).toMatchObject({ status: 'deactivated', groups: [] });
    const signIn = await call('POST', `/w/${ws}/api/sign-in/check`, { email: 'ann@springfield.k12.us', method: 'password' });
    expect(signIn.body).toMatchObject({ outcome: 'denied', reason: 'deactivated' });

    // A sync with nothing new changes nothing.
    const again = await call('POST', `/w/${ws}/api/directory/sync`);
    expect(again.body.summary).toMatchObject({ created: 0, updated: 0, deactivated: 0, reactivated: 0, memberships: { added: 0, removed: 0 } });

    await call('PATCH', '/idp/gws/users/ann@springfield.k12.us', { attributes: { suspended: 'false' } });
    await call('POST', '/idp/gws/users/sue@springfield.k12.us/move', { from: 'Kitchen', to: 'Teachers' });
    const back = await call('POST', `/w/${ws}/api/directory/sync`);
    expect(back.body.summary).toMatchObject({ reactivated: 2, deactivated: 0, memberships: { added: 1, removed: 0 } });
    expect(await member(ws, 'sue@springfield.k12.us')).toMatchObject({ status: 'pending_invite', groups: [{ displayName: 'Teachers' }] });
  });

  it('lists every sync newest first and journals each', async () => {
    const syncs = (await call('GET', `/w/${ws}/api/directory/syncs`)).body.syncs;
    expect(syncs).toHaveLength(4);
    expect(syncs.map((s: any) => s.summary.reactivated)).toEqual([2, 0, 0, 0]);
    expect((await call('GET', `/w/${ws}/api/directory/syncs/${syncs[0].id}`)).body).toMatchObject({ id: syncs[0].id, files: {} });
    const events = (await call('GET', `/w/${ws}/api/events?type=directory.synced`)).body.events;
    expect(events).toHaveLength(4);
    expect(events[0].actor).toBe('admin-key');
    const view = (await call('GET', `/w/${ws}/api/directory`)).body;
    expect(view.lastSync.id).toBe(syncs[0].id);
    // The typed client reads the same.
    const typed = running.admin.workspace(ws).directory;
    expect((await typed.syncs()).map((s) => s.id)).toEqual(syncs.map((s: any) => s.id));
    expect((await typed.get()).google?.groups).toEqual(['Teachers', 'Students']);
    expect(view.managed).toEqual({ users: STUDENTS + 3, groups: 2 });
  });
});

describe('Google API errors', () => {
  let server: Server;
  let base: string;
  /** The next answers of the fake Directory API, by path; a missing one answers from `directory`. */
  const queue: { path: string; status: number; headers?: Record<string, string> }[] = [];
  let groupsFail = false;
  let tokens = 0;
  const directory = {
    users: [
      { id: 'u1', primaryEmail: 'ada@district.example', name: { givenName: 'Ada', familyName: 'L' }, suspended: false },
      { id: 'u2', primaryEmail: 'bob@district.example', name: { givenName: 'Bob', familyName: 'M' }, suspended: false },
    ],
  };
  beforeAll(async () => {
    server = createServer((req, res) => {
      const url = new URL(req.url!, 'http://x');
      const send = (status: number, body: unknown, headers: Record<string, string> = {}) => {
        res.writeHead(status, { 'Content-Type': 'application/json', ...headers });
        res.end(JSON.stringify(body));
      };
      if (url.pathname === '/token') {
        tokens++;
        return send(200, { access_token: `t${tokens}`, token_type: 'Bearer', expires_in: 3600 });
      }
      const next = queue.findIndex((q) => url.pathname.endsWith(q.path));
      if (next >= 0) {
        const [q] = queue.splice(next, 1);
        return send(q!.status, { error: { code: q!.status, message: `fake ${q!.status}` } }, q!.headers);
      }
      if (url.pathname.endsWith('/users')) return send(200, { users: directory.users });
      if (url.pathname.endsWith('/groups')) return groupsFail ? send(503, { error: { code: 503, message: 'backend' } }) : send(200, { groups: [] });
      return send(404, {});
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    await call('POST', '/_emulator/workspaces', { id: 'remote', isolated: true });
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  const connect = (auth: string | null = running.adminKey) =>
    call('PUT', '/w/remote/api/directory', { type: 'google', baseUrl: base, tokenUrl: `${base}/token`, clientId: 'c', clientSecret: 's' }, auth);

  it('a foreign Directory API needs the admin key (SSRF)', async () => {
    await call('POST', '/w/remote/api/invites', { email: 'owner@district.example', role: 'owner', password: 'correct-horse' });
    const login = await fetch(`${running.url}/w/remote/login/password`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ email: 'owner@district.example', password: 'correct-horse' }),
    });
    const cookie = login.headers.get('set-cookie')!.split(';')[0]!;
    const res = await fetch(`${running.url}/w/remote/api/directory`, {
      method: 'PUT',
      headers: { Cookie: cookie, 'Content-Type': 'application/json', Origin: running.url },
      body: JSON.stringify({ type: 'google', baseUrl: base, tokenUrl: `${base}/token`, clientId: 'c', clientSecret: 's' }),
    });
    expect(res.status).toBe(403);
    expect(((await res.json()) as any).error.code).toBe('directory_target_not_allowed');
    expect((await connect()).status).toBe(200);
  });

  it('retries 429 after Retry-After, a 5xx, and a 401 with a new token', async () => {
    queue.push({ path: '/users', status: 429, headers: { 'Retry-After': '1' } }, { path: '/users', status: 502 }, { path: '/groups', status: 401 });
    const before = tokens;
    const sync = await call('POST', '/w/remote/api/directory/sync');
    expect(sync.status).toBe(200);
    expect(sync.body.summary.created).toBe(2);
    expect(tokens - before).toBe(2);
    expect(queue).toEqual([]);
  });

  it('reports a 403 as the sync\'s error and changes nothing', async () => {
    directory.users[1]!.suspended = true;
    queue.push({ path: '/users', status: 403 });
    const res = await call('POST', '/w/remote/api/directory/sync');
    expect(res.status).toBe(502);
    expect(res.body.error.code).toBe('directory_forbidden');
    expect(res.body.error.syncId).toEqual(expect.any(String));
    expect(await member('remote', 'bob@district.example')).toMatchObject({ status: 'pending_invite' });
    const last = (await call('GET', '/w/remote/api/directory/syncs')).body.syncs[0];
    expect(last).toMatchObject({ id: res.body.error.syncId, status: 'failed', error: { code: 'directory_forbidden' }, summary: { errors: 1, created: 0 } });
    const events = (await call('GET', '/w/remote/api/events?type=directory.sync_failed')).body.events;
    expect(events.at(-1).detail.error.code).toBe('directory_forbidden');
  });

  it('gives up on a server that keeps failing after the users were read, applying nothing', async () => {
    groupsFail = true;
    const res = await call('POST', '/w/remote/api/directory/sync');
    groupsFail = false;
    expect(res.status).toBe(502);
    expect(res.body.error.code).toBe('directory_unavailable');
    // Bob is suspended in the pulled users, but the sync failed as a whole: he stays as he was.
    expect(await member('remote', 'bob@district.example')).toMatchObject({ status: 'pending_invite' });
    const ok = await call('POST', '/w/remote/api/directory/sync');
    expect(ok.body.summary.deactivated).toBe(1);
  });

  it('refuses a sync that would take an email another member holds, with nothing changed', async () => {
    directory.users.push({ id: 'u3', primaryEmail: 'owner@district.example', name: { givenName: 'O', familyName: 'W' }, suspended: false });
    directory.users.push({ id: 'u4', primaryEmail: 'new@district.example', name: { givenName: 'N', familyName: 'W' }, suspended: false });
    // owner@ is an invited member: linked. A second directory user with the same email is refused.
    directory.users.push({ id: 'u5', primaryEmail: 'OWNER@district.example', name: { givenName: 'O', familyName: 'X' }, suspended: false });
    const res = await call('POST', '/w/remote/api/directory/sync');
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('directory_conflict');
    expect(await member('remote', 'new@district.example')).toBeUndefined();
    expect(await member('remote', 'owner@district.example')).toMatchObject({ source: 'invite' });
    directory.users.pop();
    const ok = await call('POST', '/w/remote/api/directory/sync');
    expect(ok.body.summary.created).toBe(2);
    expect(await member('remote', 'owner@district.example')).toMatchObject({ source: 'scim', role: 'owner', status: 'active' });
  });
});

describe('interval syncs on the emulator clock', () => {
  it('sync when the workspace clock passes the interval (30 minutes by default)', async () => {
    await call('POST', '/_emulator/workspaces', { id: 'interval', isolated: true });
    await call('PUT', '/w/interval/api/directory', { type: 'google', mockIdp: 'gws', groups: ['Teachers'] });
    expect((await call('POST', '/w/interval/api/directory/sync')).body.summary.created).toBe(3);
    const view = (await call('GET', '/w/interval/api/directory')).body;
    expect(Date.parse(view.nextSyncAt) - Date.parse(view.lastSyncAt)).toBe(30 * 60_000);
    await call('POST', '/idp/gws/users', { email: 'new.teacher@springfield.k12.us', groups: ['Teachers'] });
    await call('POST', '/_emulator/clock', { advance: '29m', workspace: 'interval' });
    expect((await call('GET', '/w/interval/api/directory/syncs')).body.syncs).toHaveLength(1);
    await call('POST', '/_emulator/clock', { advance: '2m', workspace: 'interval' });
    const syncs = (await call('GET', '/w/interval/api/directory/syncs')).body.syncs;
    expect(syncs).toHaveLength(2);
    expect(syncs[0]).toMatchObject({ trigger: 'interval', status: 'ok', summary: { created: 1 } });
    expect(await member('interval', 'new.teacher@springfield.k12.us')).toMatchObject({ source: 'scim' });
    // Other workspaces' directories were not due.
    expect((await call('GET', '/w/springfield/api/directory/syncs')).body.syncs).toHaveLength(4);
  });
});

describe('after a restart', () => {
  it('pulls from the mock IdP under the new port, and keeps the connection and history', async () => {
    const state = JSON.parse(JSON.stringify(running.emulator.core.snapshot()));
    const again = await startEmulator({ adminKey: 'directory-test-key', state });
    try {
      expect(again.url).not.toBe(running.url);
      const res = await fetch(`${again.url}/w/springfield/api/directory/sync`, { method: 'POST', headers: { Authorization: `Bearer ${again.adminKey}` } });
      const body = (await res.json()) as any;
      expect(res.status, JSON.stringify(body)).toBe(200);
      // The teacher added to the IdP by the interval test is new here.
      expect(body.summary).toMatchObject({ created: 1, deactivated: 0 });
      const syncs = (await (await fetch(`${again.url}/w/springfield/api/directory/syncs`, { headers: { Authorization: `Bearer ${again.adminKey}` } })).json()) as any;
      expect(syncs.syncs).toHaveLength(5);
    } finally {
      await again.stop();
    }
  });
});
