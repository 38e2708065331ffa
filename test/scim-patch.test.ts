// Every PATCH form (RFC 7644 §3.5.2) through HTTP on Users and Groups, with the refused forms
// answered by the right scimType and no change to the state.
import { describe, expect, it } from 'vitest';
import { inProcess } from './support/in-process.js';

const USER = 'urn:ietf:params:scim:schemas:core:2.0:User';
const GROUP = 'urn:ietf:params:scim:schemas:core:2.0:Group';
const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
const PATCH = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';
const ERROR = 'urn:ietf:params:scim:api:messages:2.0:Error';

const ops = (...Operations: unknown[]) => ({ schemas: [PATCH], Operations });

async function setup() {
  const t = inProcess();
  const { token } = (await t.call('POST', '/w/default/api/scim/tokens', {})).body;
  const scim = (method: string, path: string, body?: unknown) => t.call(method, `/w/default/scim/v2${path}`, body, { auth: token });
  await scim('GET', '/ServiceProviderConfig');
  const user = (await scim('POST', '/Users', {
    schemas: [USER],
    userName: 'ada@x.edu',
    name: { givenName: 'Ada', familyName: 'Lovelace' },
    emails: [{ value: 'ada@x.edu', type: 'work', primary: true }, { value: 'ada@home.example', type: 'home' }],
  })).body;
  const other = (await scim('POST', '/Users', { schemas: [USER], userName: 'bob@x.edu' })).body;
  const third = (await scim('POST', '/Users', { schemas: [USER], userName: 'cy@x.edu' })).body;
  const group = (await scim('POST', '/Groups', { schemas: [GROUP], displayName: 'Teachers', members: [{ value: user.id }] })).body;
  const patchUser = async (...o: unknown[]) => {
    const res = await scim('PATCH', `/Users/${user.id}`, ops(...o));
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return res.body;
  };
  const patchGroup = async (...o: unknown[]) => {
    const res = await scim('PATCH', `/Groups/${group.id}`, ops(...o));
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return res.body;
  };
  const members = async () => (await t.state()).workspaces.default.groups[group.id].members.slice().sort();
  return { ...t, scim, user, other, third, group, patchUser, patchGroup, members };
}

describe('PATCH on a User', () => {
  it('add with a path, and add without a path', async () => {
    const { patchUser } = await setup();
    expect((await patchUser({ op: 'add', path: 'title', value: 'Teacher' })).title).toBe('Teacher');
    const r = await patchUser({ op: 'add', value: { nickName: 'Countess', 'name.middleName': 'King' } });
    expect(r).toMatchObject({ nickName: 'Countess', name: { givenName: 'Ada', middleName: 'King' } });
  });

  it('add to a multi-valued attribute appends', async () => {
    const { patchUser } = await setup();
    const r = await patchUser({ op: 'add', path: 'phoneNumbers', value: [{ value: '+1 555', type: 'work' }] });
    expect(r.phoneNumbers).toEqual([{ value: '+1 555', type: 'work' }]);
  });

  it('replace with a path, a sub-attribute path, and without a path', async () => {
    const { patchUser, state, user } = await setup();
    expect((await patchUser({ op: 'replace', path: 'displayName', value: 'A. L.' })).displayName).toBe('A. L.');
    expect((await patchUser({ op: 'replace', path: 'name.familyName', value: 'King' })).name).toEqual({ givenName: 'Ada', familyName: 'King' });
    const r = await patchUser({ op: 'replace', value: { title: 'Dr', active: false } });
    expect(r).toMatchObject({ title: 'Dr', active: false });
    expect((await state()).workspaces.default.members[user.id]).toMatchObject({ familyName: 'King', displayName: 'A. L.', status: 'deactivated' });
  });

  it('replace through a value filter with a sub-attribute changes the member email', async () => {
    const { patchUser, state, user } = await setup();
    const r = await patchUser({ op: 'replace', path: 'emails[type eq "work"].value', value: 'ada.l@x.edu' });
    expect(r.emails[0]).toEqual({ value: 'ada.l@x.edu', type: 'work', primary: true });
    expect((await state()).workspaces.default.members[user.id].email).toBe('ada.l@x.edu');
    const byNewEmail = await patchUser({ op: 'replace', path: 'emails[type eq "work"]', value: { value: 'ada2@x.edu' } });
    expect(byNewEmail.emails[0].value).toBe('ada2@x.edu');
  });

  it('remove with a path, with a value filter, and a sub-attribute', async () => {
    const { patchUser } = await setup();
    const r1 = await patchUser({ op: 'remove', path: 'emails[type eq "home"]' });
    expect(r1.emails).toEqual([{ value: 'ada@x.edu', type: 'work', primary: true }]);
    const r2 = await patchUser({ op: 'remove', path: 'name.givenName' });
    expect(r2.name).toEqual({ familyName: 'Lovelace' });
    const r3 = await patchUser({ op: 'remove', path: 'name' });
    expect(r3).not.toHaveProperty('name');
  });

  it('the enterprise extension by URN path, by schema object, and removed whole', async () => {
    const { patchUser } = await setup();
    const r1 = await patchUser({ op: 'add', path: `${ENTERPRISE}:department`, value: 'Math' });
    expect(r1.schemas).toEqual([USER, ENTERPRISE]);
    const r2 = await patchUser({ op: 'replace', value: { [ENTERPRISE]: { costCenter: 'CC1', manager: { value: 'boss' } } } });
    expect(r2[ENTERPRISE]).toEqual({ department: 'Math', costCenter: 'CC1', manager: { value: 'boss' } });
    const r3 = await patchUser({ op: 'remove', path: ENTERPRISE });
    expect(r3).not.toHaveProperty(ENTERPRISE);
    expect(r3.schemas).toEqual([USER]);
  });

  it('replace of userName is checked for uniqueness', async () => {
    const { scim, user, state } = await setup();
    const before = await state();
    const res = await scim('PATCH', `/Users/${user.id}`, ops({ op: 'replace', path: 'userName', value: 'BOB@x.edu' }));
    expect(res.status).toBe(409);
    expect(res.body.scimType).toBe('uniqueness');
    expect(await state()).toEqual(before);
  });

  it.each([
    ['a read-only attribute', ops({ op: 'replace', path: 'groups', value: [] }), 'mutability'],
    ['id', ops({ op: 'replace', path: 'meta.created', value: '2020-01-01T00:00:00Z' }), 'mutability'],
    ['remove without a path', ops({ op: 'remove' }), 'noTarget'],
    ['an unknown path', ops({ op: 'replace', path: 'shoeSize', value: 1 }), 'invalidPath'],
    ['a malformed path', ops({ op: 'replace', path: 'emails[type eq', value: 'x' }), 'invalidPath'],
    ['a wrong type', ops({ op: 'replace', path: 'active', value: 'maybe' }), 'invalidValue'],
    ['removing userName', ops({ op: 'remove', path: 'userName' }), 'invalidValue'],
    ['an unknown op', ops({ op: 'move', path: 'title', value: 'x' }), 'invalidSyntax'],
    ['no Operations', { schemas: [PATCH] }, 'invalidSyntax'],
    ['no PatchOp schema', { Operations: [{ op: 'add', path: 'title', value: 'x' }] }, 'invalidSyntax'],
    ['an unusable email', ops({ op: 'replace', path: 'userName', value: 'not-an-email' }, { op: 'remove', path: 'emails' }), 'invalidValue'],
    ['one bad operation after a good one', ops({ op: 'replace', path: 'title', value: 'x' }, { op: 'replace', path: 'id', value: 'y' }), 'mutability'],
  ])('refuses %s with 400 and changes nothing', async (_what, body, scimType) => {
    const { scim, user, state } = await setup();
    const before = await state();
    const res = await scim('PATCH', `/Users/${user.id}`, body);
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ schemas: [ERROR], status: '400', scimType });
    expect(await state()).toEqual(before);
  });
});

describe('PATCH on a Group', () => {
  it('adds members by value array, and removes them by value array (Entra) and by filter', async () => {
    const { patchGroup, members, user, other, third } = await setup();
    await patchGroup({ op: 'add', path: 'members', value: [{ value: other.id }, { value: third.id, display: 'Cy' }] });
    expect(await members()).toEqual([user.id, other.id, third.id].sort());
    await patchGroup({ op: 'Remove', path: 'members', value: [{ $ref: null, value: other.id }] });
    await patchGroup({ op: 'remove', path: `members[value eq "${third.id}"]` });
    expect(await members()).toEqual([user.id]);
  });

  it('adds members without a path, replaces them, and removes them all', async () => {
    const { patchGroup, members, other, third } = await setup();
    await patchGroup({ op: 'add', value: { members: [{ value: other.id }] } });
    expect(await members()).toHaveLength(2);
    const replaced = await patchGroup({ op: 'replace', path: 'members', value: [{ value: third.id }] });
    expect(replaced.members.map((m: any) => m.value)).toEqual([third.id]);
    const emptied = await patchGroup({ op: 'remove', path: 'members' });
    expect(emptied).not.toHaveProperty('members');
    expect(await members()).toEqual([]);
  });

  it('renames by path and by a path-less value carrying the id (Okta), and sets externalId', async () => {
    const { patchGroup, group, state } = await setup();
    expect((await patchGroup({ op: 'replace', path: 'displayName', value: 'Staff' })).displayName).toBe('Staff');
    const r = await patchGroup({ op: 'replace', value: { id: group.id, displayName: 'Faculty', externalId: 'okta-1' } });
    expect(r).toMatchObject({ id: group.id, displayName: 'Faculty', externalId: 'okta-1' });
    expect((await state()).workspaces.default.groups[group.id]).toMatchObject({ displayName: 'Faculty', externalId: 'okta-1' });
  });

  it('removing a member who is not in the group changes nothing', async () => {
    const { patchGroup, group, other } = await setup();
    const r = await patchGroup({ op: 'remove', path: `members[value eq "${other.id}"]` });
    expect(r.meta.version).toBe(group.meta.version);
  });

  it.each([
    ['an unknown member id', (ids: any) => ops({ op: 'add', path: 'members', value: [{ value: 'usr_nobody' }] }), 'invalidValue'],
    ['a group as a member', (ids: any) => ops({ op: 'add', path: 'members', value: [{ value: ids.group }] }), 'invalidValue'],
    ['a member sub-attribute', (ids: any) => ops({ op: 'replace', path: 'members.display', value: 'x' }), 'mutability'],
    ['a member filter on display', (ids: any) => ops({ op: 'remove', path: 'members[display eq "x"]' }), 'invalidFilter'],
    ['removing displayName', (ids: any) => ops({ op: 'remove', path: 'displayName' }), 'invalidValue'],
    ['a good add before a bad one', (ids: any) => ops({ op: 'add', path: 'members', value: [{ value: ids.other }] }, { op: 'add', path: 'members', value: [{ value: 'nope' }] }), 'invalidValue'],
  ])('refuses %s with 400 and changes nothing', async (_what, body, scimType) => {
    const { scim, group, other, state } = await setup();
    const before = await state();
    const res = await scim('PATCH', `/Groups/${group.id}`, body({ group: group.id, other: other.id }));
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ schemas: [ERROR], status: '400', scimType });
    expect(await state()).toEqual(before);
  });
});
