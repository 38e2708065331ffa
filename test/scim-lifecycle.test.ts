// SCIM Users and Groups over HTTP: members with source `scim` and their status (SPEC §1),
// linking invited and automatic members, uniqueness, groups and their limit, ETags, PUT and DELETE.
import { describe, expect, it } from 'vitest';
import { inProcess } from './support/in-process.js';
import { createGroup } from '../src/scim/groups.js';

const USER = 'urn:ietf:params:scim:schemas:core:2.0:User';
const GROUP = 'urn:ietf:params:scim:schemas:core:2.0:Group';
const PATCH = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';
const ERROR = 'urn:ietf:params:scim:api:messages:2.0:Error';

async function setup() {
  const t = inProcess();
  const { id: tokenId, token } = (await t.call('POST', '/w/default/api/scim/tokens', {})).body;
  const scim = (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) =>
    t.call(method, `/w/default/scim/v2${path}`, body, { auth: token, headers });
  const createUser = async (userName: string, extra: Record<string, unknown> = {}) => {
    const res = await scim('POST', '/Users', { schemas: [USER], userName, ...extra });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body;
  };
  // The token's first use sets lastUsedAt (kept to the minute); later requests leave the state alone.
  await scim('GET', '/ServiceProviderConfig');
  const ws = async () => (await t.state()).workspaces.default;
  const events = async () => (await t.call('GET', '/w/default/api/events')).body.events.filter((e: any) => e.type.startsWith('scim.user') || e.type.startsWith('scim.group'));
  return { ...t, tokenId: tokenId as string, scim, createUser, ws, events };
}

const patchBody = (...Operations: unknown[]) => ({ schemas: [PATCH], Operations });

describe('SCIM users as workspace members', () => {
  it('creates a pending_invite member with source scim, meta from the emulator clock, and a Location', async () => {
    const { scim, createUser, ws, call, events, tokenId } = await setup();
    await call('POST', '/_emulator/clock', { set: '2030-01-02T03:04:05.000Z' });
    const u = await createUser('Ada@Springfield.k12.us', { name: { givenName: 'Ada', familyName: 'Lovelace' }, displayName: 'Ada L', nickName: 'ada', unknownThing: 1 });
    expect(u).toMatchObject({
      schemas: [USER],
      userName: 'Ada@Springfield.k12.us',
      active: true,
      meta: { resourceType: 'User', created: expect.stringMatching(/^2030-01-02T03:04/), version: 'W/"1"', location: `http://localhost/w/default/scim/v2/Users/${u.id}` },
    });
    expect(u).not.toHaveProperty('unknownThing');
    expect(u.meta.lastModified).toBe(u.meta.created);
    const res = await scim('GET', `/Users/${u.id}`);
    expect(res.headers.get('ETag')).toBe('W/"1"');
    const m = (await ws()).members[u.id];
    expect(m).toMatchObject({ email: 'Ada@Springfield.k12.us', source: 'scim', status: 'pending_invite', role: 'member', givenName: 'Ada', familyName: 'Lovelace', displayName: 'Ada L' });
    expect(JSON.stringify(m)).not.toContain('unknownThing');
    expect(await events()).toEqual([expect.objectContaining({ type: 'scim.user.created', actor: `scim:${tokenId}`, detail: expect.objectContaining({ memberId: u.id }) })]);
  });

  it('takes the email from the primary email, then the work one, then the userName', async () => {
    const { createUser, ws, scim, state } = await setup();
    const a = await createUser('a-login', { emails: [{ value: 'home@x.edu', type: 'home' }, { value: 'primary@x.edu', primary: true }] });
    const b = await createUser('b-login', { emails: [{ value: 'home2@x.edu', type: 'home' }, { value: 'work@x.edu', type: 'work' }] });
    const c = await createUser('c@x.edu');
    const members = (await ws()).members;
    expect([members[a.id].email, members[b.id].email, members[c.id].email]).toEqual(['primary@x.edu', 'work@x.edu', 'c@x.edu']);
    const before = await state();
    const res = await scim('POST', '/Users', { schemas: [USER], userName: 'no-email' });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ schemas: [ERROR], status: '400', scimType: 'invalidValue', detail: expect.stringContaining('no usable email') });
    expect(await state()).toEqual(before);
  });

  it('is unique by userName, case-insensitively (409 uniqueness), and changes nothing', async () => {
    const { scim, createUser, state } = await setup();
    await createUser('tom@x.edu');
    const before = await state();
    const res = await scim('POST', '/Users', { schemas: [USER], userName: 'TOM@X.EDU' });
    expect(res.status).toBe(409);
    expect(res.body).toMatchObject({ schemas: [ERROR], status: '409', scimType: 'uniqueness' });
    const byEmail = await scim('POST', '/Users', { schemas: [USER], userName: 'tom2', emails: [{ value: 'tom@x.edu', primary: true }] });
    expect(byEmail.status).toBe(409);
    expect(byEmail.body.scimType).toBe('uniqueness');
    expect(await state()).toEqual(before);
  });

  it('keeps externalId without making it unique', async () => {
    const { createUser, scim } = await setup();
    await createUser('a@x.edu', { externalId: 'same' });
    await createUser('b@x.edu', { externalId: 'same' });
    const list = await scim('GET', '/Users?filter=externalId%20eq%20%22same%22');
    expect(list.body.totalResults).toBe(2);
    expect((await scim('GET', '/Users?filter=externalId%20eq%20%22SAME%22')).body.totalResults).toBe(0);
  });

  it('links an invited member to the directory with one event instead of failing', async () => {
    const { call, createUser, ws, events } = await setup();
    const invited = (await call('POST', '/w/default/api/invites', { email: 'ada@x.edu', role: 'admin' })).body;
    const u = await createUser('ADA@x.edu', { name: { givenName: 'Ada' } });
    expect(u.id).toBe(invited.id);
    const m = (await ws()).members[u.id];
    expect(m).toMatchObject({ source: 'scim', status: 'pending_invite', role: 'admin' });
    expect((await events()).map((e: any) => e.type)).toEqual(['scim.user.linked']);
    expect((await events())[0].detail).toMatchObject({ previousSource: 'invite' });
  });

  it('links an automatically created member that has signed in, keeping it active', async () => {
    const { call, createUser, ws } = await setup();
    await call('POST', '/w/default/api/invites', { email: 'sam@x.edu', password: 'password123' });
    await call('POST', '/w/default/login/password', { email: 'sam@x.edu', password: 'password123' }, { auth: null });
    const u = await createUser('sam@x.edu');
    expect((await ws()).members[u.id]).toMatchObject({ source: 'scim', status: 'active' });
  });

  it('deactivates with active false, and restores to active if the member had signed in', async () => {
    const { call, scim, createUser, ws, events } = await setup();
    const u = await createUser('kim@x.edu', { password: 'ignored-pw' });
    expect((await ws()).members[u.id].passwordHash).toBeUndefined();
    await scim('PATCH', `/Users/${u.id}`, patchBody({ op: 'replace', path: 'active', value: false }));
    let m = (await ws()).members[u.id];
    expect(m).toMatchObject({ status: 'deactivated', deactivatedAt: expect.any(String) });
    // A deactivated member is refused at sign-in.
    const check = await call('POST', '/w/default/api/sign-in/check', { email: 'kim@x.edu', method: 'password' });
    expect(check.body).toMatchObject({ outcome: 'denied', reason: 'deactivated' });
    await scim('PATCH', `/Users/${u.id}`, patchBody({ op: 'replace', path: 'active', value: true }));
    m = (await ws()).members[u.id];
    expect(m.status).toBe('pending_invite');
    expect(m.deactivatedAt).toBeUndefined();
    expect((await events()).map((e: any) => e.type)).toEqual(['scim.user.created', 'scim.user.deactivated', 'scim.user.reactivated']);
  });

  it('DELETE hides the user from SCIM, deactivates the member, drops its groups; a create restores it', async () => {
    const { scim, createUser, ws, events } = await setup();
    const u = await createUser('lee@x.edu', { externalId: 'e1' });
    const g = (await scim('POST', '/Groups', { schemas: [GROUP], displayName: 'Teachers', members: [{ value: u.id }] })).body;
    expect((await scim('DELETE', `/Users/${u.id}`)).status).toBe(204);
    expect((await scim('GET', `/Users/${u.id}`)).status).toBe(404);
    expect((await scim('DELETE', `/Users/${u.id}`)).status).toBe(404);
    expect((await scim('GET', '/Users')).body.totalResults).toBe(0);
    expect((await scim('GET', '/Users?filter=externalId%20eq%20%22e1%22')).body.totalResults).toBe(0);
    let state = await ws();
    expect(state.members[u.id]).toMatchObject({ status: 'deactivated', source: 'scim' });
    expect(state.groups[g.id].members).toEqual([]);

    const again = await createUser('LEE@x.edu');
    expect(again.id).toBe(u.id);
    expect(again.active).toBe(true);
    state = await ws();
    expect(state.members[u.id].status).toBe('pending_invite');
    expect((await events()).map((e: any) => e.type)).toEqual([
      'scim.user.created',
      'scim.group.created',
      'scim.user.deleted',
      'scim.user.reactivated',
    ]);
  });

  it('lists only directory members', async () => {
    const { call, scim, createUser } = await setup();
    await call('POST', '/w/default/api/invites', { email: 'invited@x.edu' });
    const u = await createUser('dir@x.edu');
    const list = await scim('GET', '/Users');
    expect(list.body.Resources.map((r: any) => r.id)).toEqual([u.id]);
  });

  it('PUT replaces the user: attributes left out are removed, active left out keeps the status', async () => {
    const { scim, createUser, ws } = await setup();
    const u = await createUser('pat@x.edu', { title: 'Teacher', name: { givenName: 'Pat' }, active: false });
    const res = await scim('PUT', `/Users/${u.id}`, { schemas: [USER], userName: 'pat@x.edu', displayName: 'Pat Q', id: 'ignored', meta: { version: 'x' }, groups: [{ value: 'g' }] });
    expect(res.status).toBe(200);
    expect(res.body).not.toHaveProperty('title');
    expect(res.body).not.toHaveProperty('name');
    expect(res.body).toMatchObject({ id: u.id, displayName: 'Pat Q', active: false, meta: { version: 'W/"2"' } });
    expect((await ws()).members[u.id].givenName).toBeUndefined();
  });
});

describe('SCIM groups', () => {
  it('creates a scim group with members, lists them with $ref and display, and shows groups on the user', async () => {
    const { scim, createUser, ws } = await setup();
    const u = await createUser('ann@x.edu', { displayName: 'Ann' });
    const g = await scim('POST', '/Groups', { schemas: [GROUP], displayName: 'Teachers', externalId: 'ext-1', members: [{ value: u.id, display: 'whatever' }] });
    expect(g.status).toBe(201);
    expect(g.headers.get('Location')).toBe(`http://localhost/w/default/scim/v2/Groups/${g.body.id}`);
    expect(g.body).toMatchObject({
      schemas: [GROUP],
      displayName: 'Teachers',
      externalId: 'ext-1',
      members: [{ value: u.id, $ref: `http://localhost/w/default/scim/v2/Users/${u.id}`, display: 'Ann', type: 'User' }],
      meta: { resourceType: 'Group', version: 'W/"1"' },
    });
    expect((await scim('GET', `/Users/${u.id}`)).body.groups).toEqual([
      { value: g.body.id, $ref: `http://localhost/w/default/scim/v2/Groups/${g.body.id}`, display: 'Teachers', type: 'direct' },
    ]);
    expect((await ws()).groups[g.body.id]).toMatchObject({ source: 'scim', members: [u.id] });
  });

  it('refuses a member that is not a SCIM user of this workspace, naming it, with no change', async () => {
    const { scim, call, state } = await setup();
    const invited = (await call('POST', '/w/default/api/invites', { email: 'inv@x.edu' })).body;
    const before = await state();
    for (const id of ['usr_unknown', invited.id]) {
      const res = await scim('POST', '/Groups', { schemas: [GROUP], displayName: 'G', members: [{ value: id }] });
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({ scimType: 'invalidValue', detail: expect.stringContaining(id) });
    }
    expect(await state()).toEqual(before);
  });

  it('does not merge with a local group of the same name, and lists only scim groups', async () => {
    const { scim, core } = await (async () => {
      const s = await setup();
      return { ...s, core: s.emulator.core };
    })();
    const ws = core.requireWorkspace('default');
    const now = new Date().toISOString();
    ws.groups.grp_local = { id: 'grp_local', displayName: 'Teachers', source: 'local', members: [], createdAt: now, updatedAt: now, version: 1 };
    core.index(ws).addGroup('grp_local', 'Teachers');
    expect((await scim('GET', '/Groups?filter=displayName%20eq%20%22teachers%22')).body.totalResults).toBe(0);
    expect((await scim('GET', '/Groups/grp_local')).status).toBe(404);
    const g = await scim('POST', '/Groups', { schemas: [GROUP], displayName: 'Teachers' });
    expect(g.status).toBe(201);
    expect((await scim('GET', '/Groups?filter=displayName%20eq%20%22teachers%22')).body.Resources.map((r: any) => r.id)).toEqual([g.body.id]);
  });

  it('refuses the group after 10,000 in the workspace with 409 naming the limit', async () => {
    const s = await setup();
    const ws = s.emulator.core.requireWorkspace('default');
    const scope = { core: s.emulator.core, ws, actor: 'test', baseUrl: 'http://localhost/w/default/scim/v2' };
    for (let i = 0; i < 10_000; i++) createGroup(scope, { schemas: [GROUP], displayName: `G${i}` });
    const before = await s.state();
    const res = await s.scim('POST', '/Groups', { schemas: [GROUP], displayName: 'One too many' });
    expect(res.status).toBe(409);
    expect(res.body).toEqual({ schemas: [ERROR], status: '409', detail: expect.stringContaining('10,000') });
    expect(await s.state()).toEqual(before);
  });

  it('PUT replaces name, externalId and members; DELETE removes the group but not its members', async () => {
    const { scim, createUser, ws, events } = await setup();
    const a = await createUser('a@x.edu');
    const b = await createUser('b@x.edu');
    const g = (await scim('POST', '/Groups', { schemas: [GROUP], displayName: 'G', externalId: 'x', members: [{ value: a.id }] })).body;
    const put = await scim('PUT', `/Groups/${g.id}`, { schemas: [GROUP], displayName: 'G2', members: [{ value: b.id }] });
    expect(put.status).toBe(200);
    expect(put.body).toMatchObject({ displayName: 'G2', members: [expect.objectContaining({ value: b.id })], meta: { version: 'W/"2"' } });
    expect(put.body).not.toHaveProperty('externalId');
    expect((await ws()).groups[g.id].members).toEqual([b.id]);
    expect((await scim('DELETE', `/Groups/${g.id}`)).status).toBe(204);
    expect((await scim('GET', `/Groups/${g.id}`)).status).toBe(404);
    const state = await ws();
    expect(state.groups[g.id]).toBeUndefined();
    expect(state.members[b.id].status).toBe('pending_invite');
    expect((await events()).map((e: any) => e.type).slice(-2)).toEqual(['scim.group.updated', 'scim.group.deleted']);
  });
});

describe('ETags and PATCH responses', () => {
  it('sends meta.version as a weak ETag, answers If-None-Match with 304 and refuses a stale If-Match with 412', async () => {
    const { scim, createUser, state } = await setup();
    const u = await createUser('e@x.edu');
    const got = await scim('GET', `/Users/${u.id}`);
    expect(got.headers.get('ETag')).toBe('W/"1"');
    const notModified = await scim('GET', `/Users/${u.id}`, undefined, { 'If-None-Match': 'W/"1"' });
    expect(notModified.status).toBe(304);
    expect(notModified.body).toBeUndefined();
    expect((await scim('GET', `/Users/${u.id}`, undefined, { 'If-None-Match': 'W/"9"' })).status).toBe(200);

    const changed = await scim('PATCH', `/Users/${u.id}`, patchBody({ op: 'replace', path: 'title', value: 'Dr' }), { 'If-Match': 'W/"1"' });
    expect(changed.status).toBe(200);
    expect(changed.headers.get('ETag')).toBe('W/"2"');
    expect(changed.body.meta.version).toBe('W/"2"');

    const before = await state();
    for (const [method, body] of [
      ['PATCH', patchBody({ op: 'replace', path: 'title', value: 'Prof' })],
      ['PUT', { schemas: [USER], userName: 'e@x.edu' }],
      ['DELETE', undefined],
    ] as const) {
      const stale = await scim(method, `/Users/${u.id}`, body, { 'If-Match': 'W/"1"' });
      expect(stale.status, method).toBe(412);
      expect(stale.body).toMatchObject({ schemas: [ERROR], status: '412' });
    }
    expect(await state()).toEqual(before);
    expect((await scim('PUT', `/Users/${u.id}`, { schemas: [USER], userName: 'e@x.edu' }, { 'If-Match': '"2"' })).status).toBe(200);
    expect((await scim('DELETE', `/Users/${u.id}`, undefined, { 'If-Match': '*' })).status).toBe(204);
  });

  it('honours If-Match and If-None-Match on groups', async () => {
    const { scim } = await setup();
    const g = (await scim('POST', '/Groups', { schemas: [GROUP], displayName: 'G' })).body;
    expect((await scim('GET', `/Groups/${g.id}`, undefined, { 'If-None-Match': 'W/"1"' })).status).toBe(304);
    expect((await scim('PATCH', `/Groups/${g.id}`, patchBody({ op: 'replace', path: 'displayName', value: 'H' }), { 'If-Match': 'W/"7"' })).status).toBe(412);
    expect((await scim('DELETE', `/Groups/${g.id}`, undefined, { 'If-Match': 'W/"7"' })).status).toBe(412);
    expect((await scim('PATCH', `/Groups/${g.id}`, patchBody({ op: 'replace', path: 'displayName', value: 'H' }), { 'If-Match': 'W/"1"' })).headers.get('ETag')).toBe('W/"2"');
  });

  it('answers PATCH with 204 for Prefer: return=minimal or an empty attributes parameter', async () => {
    const { scim, createUser } = await setup();
    const u = await createUser('p@x.edu');
    const minimal = await scim('PATCH', `/Users/${u.id}`, patchBody({ op: 'replace', path: 'title', value: 'A' }), { Prefer: 'return=minimal' });
    expect(minimal.status).toBe(204);
    expect(minimal.headers.get('ETag')).toBe('W/"2"');
    const empty = await scim('PATCH', `/Users/${u.id}?attributes=`, patchBody({ op: 'replace', path: 'title', value: 'B' }));
    expect(empty.status).toBe(204);
    const g = (await scim('POST', '/Groups', { schemas: [GROUP], displayName: 'G' })).body;
    const gMinimal = await scim('PATCH', `/Groups/${g.id}`, patchBody({ op: 'add', path: 'members', value: [{ value: u.id }] }), { Prefer: 'return=minimal' });
    expect(gMinimal.status).toBe(204);
    const selected = await scim('PATCH', `/Users/${u.id}?attributes=title`, patchBody({ op: 'replace', path: 'title', value: 'C' }));
    expect(selected.body).toEqual({ schemas: [USER], id: u.id, title: 'C' });
  });

  it('does not bump the version for a change that changes nothing', async () => {
    const { scim, createUser } = await setup();
    const u = await createUser('same@x.edu', { title: 'T' });
    const res = await scim('PATCH', `/Users/${u.id}`, patchBody({ op: 'replace', path: 'title', value: 'T' }));
    expect(res.body.meta.version).toBe('W/"1"');
  });
});
