// The mock IdP's management over HTTP: create/list/delete on the control plane, the directory API
// (users with the provisioning scope flag, groups, moves), faults, applications, and persistence.
import { describe, expect, it } from 'vitest';
import { inProcess } from './support/in-process.js';

describe('mock IdPs on the control plane', () => {
  it('creates several side by side, lists, reads and deletes them', async () => {
    const { call } = inProcess();
    const a = await call('POST', '/_emulator/idps', { id: 'entra-district', vendor: 'entra', users: [{ email: 'ada@x.example', groups: ['Staff'] }] });
    expect(a.status).toBe(201);
    expect(a.body).toMatchObject({
      id: 'entra-district',
      vendor: 'entra',
      name: 'Microsoft Entra ID (entra-district)',
      users: 1,
      groups: 1,
      saml: { entityId: 'http://localhost/idp/entra-district/saml/metadata', ssoUrl: 'http://localhost/idp/entra-district/saml/sso' },
      oidc: { issuer: 'http://localhost/idp/entra-district/oidc' },
    });
    const b = await call('POST', '/_emulator/idps', { vendor: 'clever', name: 'Clever' });
    expect(b.body.id).toMatch(/^idp-/);
    expect((await call('GET', '/_emulator/idps')).body.idps.map((i: { id: string }) => i.id)).toEqual(['entra-district', b.body.id]);
    expect((await call('POST', '/_emulator/idps', { id: 'entra-district', vendor: 'okta' })).status).toBe(409);
    expect((await call('DELETE', `/_emulator/idps/${b.body.id}`)).status).toBe(204);
    expect((await call('GET', `/_emulator/idps/${b.body.id}`)).status).toBe(404);
    expect((await call('GET', `/idp/${b.body.id}/users`)).body.error.code).toBe('idp_not_found');
  });

  it('needs the admin key and refuses bad input without creating anything', async () => {
    const { call } = inProcess();
    expect((await call('POST', '/_emulator/idps', { vendor: 'entra' }, { auth: null })).status).toBe(401);
    expect((await call('POST', '/_emulator/idps', { vendor: 'azure' })).body.error.code).toBe('invalid_request');
    expect((await call('POST', '/_emulator/idps', { id: 'Bad Id', vendor: 'entra' })).body.error.code).toBe('invalid_idp_id');
    expect((await call('POST', '/_emulator/idps', { id: 'x', vendor: 'entra', users: [{ email: 'nope' }] })).body.error.code).toBe('invalid_email');
    expect((await call('GET', '/_emulator/idps')).body.idps).toEqual([]);
  });

  it('is exported, imported and reset with the rest of the state', async () => {
    const { call, state } = inProcess();
    await call('POST', '/_emulator/idps', { id: 'district', vendor: 'okta', users: [{ email: 'ada@x.example' }] });
    const snapshot = await state();
    expect(snapshot.idps.district.users).toBeDefined();
    await call('DELETE', '/_emulator/idps/district');
    expect((await call('PUT', '/_emulator/state', snapshot)).status).toBe(200);
    expect((await call('GET', '/idp/district/users')).body.users.map((u: { email: string }) => u.email)).toEqual(['ada@x.example']);
    await call('POST', '/_emulator/reset', {});
    expect((await call('GET', '/_emulator/idps')).body.idps).toEqual([]);
  });
});

describe('the directory API', () => {
  async function setup() {
    const env = inProcess();
    await env.call('POST', '/_emulator/idps', { id: 'district', vendor: 'generic', groups: ['Teachers', { displayName: 'Staff' }] });
    return env;
  }

  it('adds, reads, changes and deletes users; out of scope is not deleted', async () => {
    const { call } = await setup();
    const added = await call('POST', '/idp/district/users', { email: 'tom@x.example', givenName: 'Tom', password: 'pw-123456', groups: ['Teachers'], attributes: { user_type: 'teacher' } });
    expect(added.status).toBe(201);
    expect(added.body).toMatchObject({ email: 'tom@x.example', givenName: 'Tom', provisioned: true, hasPassword: true, groups: [{ displayName: 'Teachers' }], attributes: { user_type: 'teacher' } });
    expect(added.body.passwordHash).toBeUndefined();
    expect((await call('POST', '/idp/district/users', { email: 'TOM@x.example' })).body.error.code).toBe('idp_user_exists');
    const scoped = await call('PATCH', '/idp/district/users/TOM@x.example', { provisioned: false });
    expect(scoped.body.provisioned).toBe(false);
    expect((await call('GET', `/idp/district/users/${added.body.id}`)).body.email).toBe('tom@x.example');
    expect((await call('GET', '/idp/district/users?email=tom@X.example')).body.users).toHaveLength(1);
    expect((await call('DELETE', '/idp/district/users/tom@x.example')).status).toBe(204);
    expect((await call('GET', '/idp/district/users/tom@x.example')).status).toBe(404);
    expect((await call('GET', '/idp/district/groups/Teachers')).body.memberCount).toBe(0);
    const types = (await call('GET', '/_emulator/events?type=idp.')).body.events.map((e: { type: string }) => e.type);
    expect(types).toEqual(expect.arrayContaining(['idp.created', 'idp.user_added', 'idp.user_unassigned', 'idp.user_deleted']));
  });

  it('manages groups and memberships, and moves a user between groups', async () => {
    const { call } = await setup();
    await call('POST', '/idp/district/users', { email: 'ada@x.example', groups: ['Teachers'] });
    const counselors = await call('POST', '/idp/district/groups', { displayName: 'Counselors', members: ['ada@x.example'] });
    expect(counselors.body).toMatchObject({ displayName: 'Counselors', memberCount: 1 });
    expect((await call('POST', '/idp/district/groups', { displayName: 'teachers' })).body.error.code).toBe('idp_group_exists');
    const moved = await call('POST', '/idp/district/users/ada@x.example/move', { from: 'Teachers', to: 'Staff' });
    expect(moved.body.groups.map((g: { displayName: string }) => g.displayName).sort()).toEqual(['Counselors', 'Staff']);
    expect((await call('POST', '/idp/district/users/ada@x.example/move', { from: 'Teachers', to: 'Staff' })).body.error.code).toBe('idp_not_a_group_member');
    await call('DELETE', '/idp/district/groups/Counselors/members/ada@x.example');
    await call('PUT', '/idp/district/groups/Teachers/members/ada@x.example');
    await call('PATCH', '/idp/district/groups/Staff', { displayName: 'All Staff' });
    const groups = (await call('GET', '/idp/district/groups')).body.groups;
    expect(groups.map((g: { displayName: string; memberCount: number }) => [g.displayName, g.memberCount])).toEqual([
      ['Teachers', 1],
      ['All Staff', 1],
      ['Counselors', 0],
    ]);
    expect((await call('DELETE', '/idp/district/groups/Counselors')).status).toBe(204);
  });

  it('arms, reads and clears faults', async () => {
    const { call } = await setup();
    const set = await call('PUT', '/idp/district/faults', { next: 'expired', users: { 'Ada@X.example': 'bad_signature' } });
    expect(set.body).toEqual({ next: 'expired', users: { 'ada@x.example': 'bad_signature' } });
    expect((await call('PUT', '/idp/district/faults', { next: null, users: { 'ada@x.example': 'none' } })).body).toEqual({ users: {} });
    await call('PUT', '/idp/district/faults', { next: 'replay' });
    expect((await call('DELETE', '/idp/district/faults')).status).toBe(204);
    expect((await call('GET', '/idp/district/faults')).body).toEqual({ users: {} });
  });

  it('registers applications for service providers and relying parties outside the emulator', async () => {
    const { call } = await setup();
    const sp = await call('POST', '/idp/district/apps/saml', { entityId: 'https://sp.example/metadata', acsUrl: 'https://sp.example/acs' });
    expect(sp.status).toBe(201);
    const rp = await call('POST', '/idp/district/apps/oidc', { redirectUris: ['https://rp.example/callback'] });
    expect(rp.body).toMatchObject({ clientId: expect.any(String), clientSecret: expect.any(String), issuer: 'http://localhost/idp/district/oidc' });
    const apps = (await call('GET', '/idp/district/apps')).body;
    expect(apps.saml).toEqual([{ entityId: 'https://sp.example/metadata', acsUrl: 'https://sp.example/acs' }]);
    expect(apps.oidc[0].clientSecret).toBeUndefined();
  });
});
