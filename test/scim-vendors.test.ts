// Each identity provider's SCIM traffic (fixtures/scim/<vendor>/, shapes from the vendors' docs)
// replayed over HTTP in the order the vendor sends it, then the workspace state checked.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { inProcess } from './support/in-process.js';

const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';

/** A fixture body with the vendor's placeholder ids swapped for the ids this workspace gave out. */
function fixture(name: string, ids: Record<string, string> = {}): unknown {
  let text = readFileSync(new URL(`../fixtures/scim/${name}.json`, import.meta.url), 'utf8');
  for (const [placeholder, id] of Object.entries(ids)) text = text.split(placeholder).join(id);
  return JSON.parse(text);
}

async function vendorSession(base = '/w/default/scim/v2') {
  const t = inProcess();
  const token = (await t.call('POST', '/w/default/api/scim/tokens', { name: 'idp' })).body.token as string;
  const scim = (method: string, path: string, body?: unknown) => t.call(method, `${base}${path}`, body, { auth: token });
  const ws = async () => (await t.state()).workspaces.default;
  return { ...t, scim, ws };
}

describe('Microsoft Entra ID (default)', () => {
  it('looks up, creates, updates, moves and disables a user and a group', async () => {
    const { scim, ws, call } = await vendorSession();
    const userName = 'Test_User_ab6490ee-1e48-479e-a20b-2d77186b5dd1@testuser.com';
    const miss = await scim('GET', `/Users?filter=${encodeURIComponent(`userName eq "${userName}"`)}`);
    expect(miss.status).toBe(200);
    expect(miss.body).toMatchObject({ totalResults: 0, Resources: [] });

    const created = await scim('POST', '/Users', fixture('entra/user-create'));
    expect(created.status).toBe(201);
    expect(created.headers.get('Content-Type')).toBe('application/scim+json');
    const uid = created.body.id as string;
    expect(created.body).toMatchObject({ userName, externalId: '0a21f0f2-8d2a-4f8e-bf98-7363c4aed4ef', active: true });
    const hit = await scim('GET', `/Users?filter=${encodeURIComponent(`userName eq "${userName.toUpperCase()}"`)}`);
    expect(hit.body.Resources.map((r: any) => r.id)).toEqual([uid]);

    const noGroup = await scim('GET', `/Groups?excludedAttributes=members&filter=${encodeURIComponent('displayName eq "displayName"')}`);
    expect(noGroup.body.totalResults).toBe(0);
    const group = await scim('POST', '/Groups', fixture('entra/group-create'));
    expect(group.status).toBe(201);
    const gid = group.body.id as string;

    const ids = { f648f8d5ea4e4cd38e9c: uid };
    expect((await scim('PATCH', `/Groups/${gid}`, fixture('entra/group-add-members', ids))).status).toBe(200);
    expect((await ws()).groups[gid].members).toEqual([uid]);

    for (const name of ['user-add-attributes', 'user-update-multi-valued', 'user-update-single-valued']) {
      const res = await scim('PATCH', `/Users/${uid}`, fixture(`entra/${name}`));
      expect(res.status, name).toBe(200);
    }
    expect((await scim('PATCH', `/Groups/${gid}`, fixture('entra/group-update-display-name'))).status).toBe(200);
    expect((await scim('PATCH', `/Groups/${gid}`, fixture('entra/group-remove-members', ids))).status).toBe(200);
    expect((await scim('PATCH', `/Users/${uid}`, fixture('entra/user-disable'))).status).toBe(200);

    const state = await ws();
    const m = state.members[uid];
    expect(m).toMatchObject({ email: 'updatedEmail@microsoft.com', source: 'scim', status: 'deactivated', familyName: 'updatedFamilyName' });
    expect(m.scim.userName).toBe('5b50642d-79fc-4410-9e90-4c077cdd1a59@testuser.com');
    expect(m.scim.attributes[ENTERPRISE]).toEqual({ employeeNumber: '701984', manager: { value: '26118915-6090-4610-87e4-49d8ca9f808d' } });
    expect(m.scim.attributes.phoneNumbers).toEqual([{ type: 'mobile', value: '+1 555 0100' }]);
    expect(state.groups[gid]).toMatchObject({ source: 'scim', displayName: '1879db59-3bdf-4490-ad68-ab880a269474updatedDisplayName', members: [] });

    const events = (await call('GET', '/w/default/api/events')).body.events.map((e: any) => e.type).filter((t: string) => t.startsWith('scim.'));
    expect(events).toEqual([
      'scim.token.created',
      'scim.user.created',
      'scim.group.created',
      'scim.group.updated',
      'scim.user.updated',
      'scim.user.updated',
      'scim.user.updated',
      'scim.group.updated',
      'scim.group.updated',
      'scim.user.deactivated',
    ]);
  });
});

describe('Microsoft Entra ID (aadOptscim062020)', () => {
  it('accepts the feature flag on the tenant URL and the compliant requests', async () => {
    const { scim, ws } = await vendorSession();
    const flag = (path: string) => `${path}${path.includes('?') ? '&' : '?'}aadOptscim062020`;
    const created = await scim('POST', flag('/Users'), fixture('entra-aadoptscim062020/user-create'));
    expect(created.status).toBe(201);
    const uid = created.body.id as string;
    const gid = (await scim('POST', flag('/Groups'), fixture('entra-aadoptscim062020/group-create'))).body.id as string;
    const ids = { '7f4bc1a3-285e-48ae-8202-5accb43efb0e': uid };

    expect((await scim('PATCH', flag(`/Groups/${gid}`), fixture('entra-aadoptscim062020/group-add-member', ids))).status).toBe(200);
    const multi = await scim('PATCH', flag(`/Users/${uid}`), fixture('entra-aadoptscim062020/user-multiple-attributes'));
    expect(multi.body).toMatchObject({ displayName: 'Ada Lovelace', name: { givenName: 'Ada', familyName: 'Lovelace' }, [ENTERPRISE]: { department: 'Mathematics' } });
    expect(multi.body.groups).toEqual([expect.objectContaining({ value: gid, display: 'displayName' })]);
    expect((await ws()).groups[gid].members).toEqual([uid]);
    expect((await scim('PATCH', flag(`/Groups/${gid}`), fixture('entra-aadoptscim062020/group-remove-member', ids))).status).toBe(200);
    expect((await scim('PATCH', flag(`/Users/${uid}`), fixture('entra-aadoptscim062020/user-disable'))).status).toBe(200);

    let state = await ws();
    expect(state.members[uid]).toMatchObject({ status: 'deactivated', givenName: 'Ada', familyName: 'Lovelace', displayName: 'Ada Lovelace' });
    expect(state.groups[gid].members).toEqual([]);

    // Entra deletes the user at the end of its soft-delete window.
    expect((await scim('DELETE', flag(`/Users/${uid}`))).status).toBe(204);
    expect((await scim('GET', `/Users/${uid}`)).status).toBe(404);
    state = await ws();
    expect(state.members[uid]).toMatchObject({ status: 'deactivated', source: 'scim' });
    expect(state.members[uid].scim.deleted).toBe(true);
  });
});

describe('Okta (SCIM 2.0 app from the App Integration Wizard)', () => {
  it('looks up with startIndex and count, creates, then deactivates and reactivates with PUT', async () => {
    const { scim, ws } = await vendorSession();
    const lookup = `/Users?filter=${encodeURIComponent('userName eq "test.user@okta.local"')}&startIndex=1&count=100`;
    const miss = await scim('GET', lookup);
    expect(miss.body).toEqual({ schemas: ['urn:ietf:params:scim:api:messages:2.0:ListResponse'], totalResults: 0, startIndex: 1, itemsPerPage: 0, Resources: [] });
    const created = await scim('POST', '/Users', fixture('okta/user-create'));
    expect(created.status).toBe(201);
    expect(created.body).not.toHaveProperty('password');
    const uid = created.body.id as string;
    expect((await scim('GET', lookup)).body.totalResults).toBe(1);
    expect((await scim('GET', `/Users/${uid}`)).body).toMatchObject({ userName: 'test.user@okta.local', locale: 'en-US', displayName: 'Test User' });

    const ids = { '23a35c27-23d3-4c03-b4c5-6443c09e7173': uid };
    const off = await scim('PUT', `/Users/${uid}`, fixture('okta/user-replace-deactivate', ids));
    expect(off.status).toBe(200);
    expect(off.body.active).toBe(false);
    let state = await ws();
    expect(state.members[uid]).toMatchObject({ status: 'deactivated', source: 'scim', email: 'test.user@okta.local' });
    expect(JSON.stringify(state.members[uid])).not.toContain('1mz050nq');

    const back = fixture('okta/user-replace-deactivate', ids) as Record<string, unknown>;
    back.active = true;
    expect((await scim('PUT', `/Users/${uid}`, back)).body.active).toBe(true);
    state = await ws();
    expect(state.members[uid].status).toBe('pending_invite');
  });
});

describe('Okta (OIN app with Group Push)', () => {
  it('pushes a group, renames it, replaces, removes and adds members, and deactivates by PATCH', async () => {
    const { scim, ws } = await vendorSession();
    const u1 = (await scim('POST', '/Users', fixture('okta/user-create'))).body.id as string;
    const u2 = (await scim('POST', '/Users', fixture('okta/user-create-second'))).body.id as string;
    const group = await scim('POST', '/Groups', fixture('okta/group-create'));
    expect(group.status).toBe(201);
    const gid = group.body.id as string;
    const ids = {
      'abf4dd94-a4c0-4f67-89c9-76b03340cb9b': gid,
      '23a35c27-23d3-4c03-b4c5-6443c09e7173': u1,
      '89bb1940-b905-4575-9e7f-6f887cfb368e': u2,
    };
    const renamed = await scim('PATCH', `/Groups/${gid}`, fixture('okta/group-rename', ids));
    expect(renamed.status).toBe(200);
    expect(renamed.body.displayName).toBe('Test SCIMv2');
    expect((await scim('PATCH', `/Groups/${gid}`, fixture('okta/group-replace-members', ids))).body.members.map((m: any) => m.value).sort()).toEqual(
      [u1, u2].sort(),
    );
    await scim('PATCH', `/Groups/${gid}`, fixture('okta/group-remove-member', ids));
    expect((await ws()).groups[gid].members).toEqual([u2]);
    await scim('PATCH', `/Groups/${gid}`, fixture('okta/group-add-members', ids));
    const off = await scim('PATCH', `/Users/${u2}`, fixture('okta/user-deactivate'));
    expect(off.body.active).toBe(false);

    const state = await ws();
    expect(new Set(state.groups[gid].members)).toEqual(new Set([u1, u2]));
    expect(state.members[u1].status).toBe('pending_invite');
    expect(state.members[u2].status).toBe('deactivated');
  });
});

describe('OneLogin', () => {
  it('creates users with the enterprise extension, moves group members and replaces attributes', async () => {
    const { scim, ws } = await vendorSession();
    const u1 = (await scim('POST', '/Users', fixture('onelogin/user-create'))).body.id as string;
    const u2 = (await scim('POST', '/Users', fixture('onelogin/user-create-second'))).body.id as string;
    const gid = (await scim('POST', '/Groups', fixture('onelogin/group-create'))).body.id as string;
    const ids = { '14c5f5a0-4c8f-4a8c-9f3e-1b2b3c4d5e6f': u1, '2a7b8c9d-0e1f-4a2b-8c3d-4e5f6a7b8c9d': u2 };
    expect((await scim('PATCH', `/Groups/${gid}`, fixture('onelogin/group-add-members', ids))).status).toBe(200);
    expect((await scim('PATCH', `/Groups/${gid}`, fixture('onelogin/group-remove-members', ids))).status).toBe(200);
    const replaced = await scim('PATCH', `/Users/${u1}`, fixture('onelogin/user-replace-attributes', ids));
    expect(replaced.body).toMatchObject({ name: { givenName: 'Grace', familyName: 'Hopper' }, title: 'Teacher', [ENTERPRISE]: { department: 'Computing' } });

    const state = await ws();
    expect(state.groups[gid].members).toEqual([u2]);
    expect(state.members[u1]).toMatchObject({ givenName: 'Grace', familyName: 'Hopper', email: 'grace.h@example.edu', status: 'pending_invite' });
    expect(state.members[u2]).toMatchObject({ givenName: 'Alan', status: 'pending_invite' });
  });
});

describe('JumpCloud', () => {
  it('creates a user and a group, adds and removes the member, and deactivates', async () => {
    const { scim, ws } = await vendorSession();
    const uid = (await scim('POST', '/Users', fixture('jumpcloud/user-create'))).body.id as string;
    const gid = (await scim('POST', '/Groups', fixture('jumpcloud/group-create'))).body.id as string;
    const ids = { '5f1b2c3d4e5f6a7b8c9d0e1f': uid };
    const added = await scim('PATCH', `/Groups/${gid}`, fixture('jumpcloud/group-add-members', ids));
    expect(added.body.members).toEqual([expect.objectContaining({ value: uid, display: 'Jane Doe', type: 'User' })]);
    expect((await ws()).groups[gid].members).toEqual([uid]);
    await scim('PATCH', `/Groups/${gid}`, fixture('jumpcloud/group-remove-member', ids));
    await scim('PATCH', `/Users/${uid}`, fixture('jumpcloud/user-deactivate'));

    const state = await ws();
    expect(state.groups[gid]).toMatchObject({ displayName: 'Staff', source: 'scim', members: [] });
    expect(state.members[uid]).toMatchObject({ email: 'jdoe@example.edu', status: 'deactivated', source: 'scim', displayName: 'Jane Doe' });
    expect(state.members[uid].scim.externalId).toBe('5f1b2c3d4e5f6a7b8c9d0e1f');
  });
});
