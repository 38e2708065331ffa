// Groups, custom roles and effective permissions over HTTP (SPEC §1, §5): local groups, the
// scim_managed refusal, adopt, custom roles overriding the default with their explanation, and bad inputs.
import { beforeEach, describe, expect, it } from 'vitest';
import { GROUP_LIMIT } from '../src/groups/groups.js';
import { inProcess } from './support/in-process.js';
import { scimClient } from './support/scim.js';

let env: ReturnType<typeof inProcess>;
const api = (method: string, path: string, body?: unknown) => env.call(method, `/w/default/api${path}`, body);
const invite = async (email: string) => (await api('POST', '/invites', { email })).body.id as string;

beforeEach(() => {
  env = inProcess();
});

describe('local groups', () => {
  it('creates, renames, fills and deletes a local group', async () => {
    const ada = await invite('ada@x.example');
    const g = await api('POST', '/groups', { displayName: 'Pilot teachers' });
    expect(g.status).toBe(201);
    expect(g.body).toMatchObject({ displayName: 'Pilot teachers', source: 'local', memberCount: 0 });
    const filled = await api('PUT', `/groups/${g.body.id}/members`, { userIds: [ada] });
    expect(filled.body.memberCount).toBe(1);
    expect((await api('GET', `/users/${ada}`)).body.groups).toEqual([{ id: g.body.id, displayName: 'Pilot teachers', source: 'local' }]);
    expect((await api('PATCH', `/groups/${g.body.id}`, { displayName: 'Pilot 2' })).body.displayName).toBe('Pilot 2');
    expect((await api('GET', `/groups/${g.body.id}/members`)).body.members.map((m: any) => m.email)).toEqual(['ada@x.example']);
    expect((await api('DELETE', `/groups/${g.body.id}`)).status).toBe(204);
    expect((await api('GET', `/users/${ada}`)).body.groups).toEqual([]);
  });

  it('shows SCIM groups read-only (409 scim_managed) and keeps a same-named local group apart', async () => {
    const { group, user } = await scimClient(env);
    const tom = await user('tom@x.example');
    const scimId = await group('Teachers', [tom]);
    const local = (await api('POST', '/groups', { displayName: 'Teachers' })).body;
    expect(local.id).not.toBe(scimId);
    const list = (await api('GET', '/groups')).body.groups;
    expect(list.map((g: any) => [g.displayName, g.source, g.duplicateName]).sort()).toEqual([
      ['Teachers', 'local', true],
      ['Teachers', 'scim', true],
    ]);
    const before = await env.state();
    for (const [method, path, body] of [
      ['PATCH', `/groups/${scimId}`, { displayName: 'Renamed' }],
      ['DELETE', `/groups/${scimId}`, undefined],
      ['PUT', `/groups/${scimId}/members`, { userIds: [] }],
    ] as const) {
      const res = await api(method, path, body);
      expect(res.status).toBe(409);
      expect(res.body.error.code).toBe('scim_managed');
    }
    expect(await env.state()).toEqual(before);
  });

  it('adopts a local group into a SCIM group: role mappings move, the local group goes, one event', async () => {
    const { group, user } = await scimClient(env);
    const tom = await user('tom@x.example');
    const scimId = await group('Teachers', [tom]);
    const local = (await api('POST', '/groups', { displayName: 'Teachers (pilot)' })).body;
    const role = (await api('POST', '/roles', { name: 'Publishers', permissions: { 'gpts.publish_workspace': true } })).body;
    await api('PUT', `/roles/${role.id}/groups`, { groupIds: [local.id] });
    expect((await api('GET', `/users/${tom}/permissions`)).body.permissions['gpts.publish_workspace']).toBe(false);

    const adopted = await api('POST', `/groups/${local.id}/adopt`, { into: scimId });
    expect(adopted.status).toBe(200);
    expect(adopted.body).toMatchObject({ id: scimId, source: 'scim', roles: [{ id: role.id, name: 'Publishers' }] });
    expect((await api('GET', `/groups/${local.id}`)).status).toBe(404);
    expect((await api('GET', `/roles/${role.id}`)).body.groups).toEqual([{ id: scimId, displayName: 'Teachers', source: 'scim' }]);
    expect((await api('GET', `/users/${tom}/permissions`)).body.permissions['gpts.publish_workspace']).toBe(true);
    const events = (await api('GET', '/events?type=group.adopted')).body.events;
    expect(events).toHaveLength(1);
    expect(events[0].detail).toMatchObject({ from: { id: local.id }, into: { id: scimId }, roles: [role.id] });
  });

  it.each([
    ['POST', '/groups', { displayName: '' }, 400, 'invalid_request'],
    ['POST', '/groups', { displayName: 5 }, 400, 'invalid_request'],
    ['POST', '/groups', { name: 'x' }, 400, 'invalid_request'],
    ['PUT', '/groups/grp_missing/members', { userIds: [] }, 404, 'group_not_found'],
    ['POST', '/groups/grp_missing/adopt', { into: 'x' }, 404, 'group_not_found'],
  ])('%s %s %j → %i %s, nothing changed', async (method, path, body, status, code) => {
    const before = await env.state();
    const res = await api(method, path, body);
    expect(res.status).toBe(status);
    expect(res.body.error.code).toBe(code);
    expect(await env.state()).toEqual(before);
  });

  it('refuses unknown member ids and adopting into a local group, changing nothing', async () => {
    const g = (await api('POST', '/groups', { displayName: 'A' })).body;
    const h = (await api('POST', '/groups', { displayName: 'B' })).body;
    const before = await env.state();
    const unknown = await api('PUT', `/groups/${g.id}/members`, { userIds: ['usr_nobody'] });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.code).toBe('unknown_user');
    const adopt = await api('POST', `/groups/${g.id}/adopt`, { into: h.id });
    expect(adopt.status).toBe(409);
    expect(adopt.body.error.code).toBe('not_scim_group');
    expect(await env.state()).toEqual(before);
  });

  it(`stops at ${GROUP_LIMIT} groups with 409 group_limit`, async () => {
    const ws = env.emulator.core.requireWorkspace('default');
    const index = env.emulator.core.index(ws);
    const now = new Date().toISOString();
    for (let i = 0; i < GROUP_LIMIT - 1; i++) {
      const id = `grp_bulk${i}`;
      ws.groups[id] = { id, displayName: `Bulk ${i}`, source: 'local', members: [], createdAt: now, updatedAt: now, version: 1 };
      index.addGroup(id, `Bulk ${i}`);
    }
    expect((await api('POST', '/groups', { displayName: 'Last one' })).status).toBe(201);
    const refused = await api('POST', '/groups', { displayName: 'One too many' });
    expect(refused.status).toBe(409);
    expect(refused.body.error.code).toBe('group_limit');
  });
});

describe('roles and effective permissions', () => {
  it('a member with custom roles gets their union only (booleans OR-ed, apps united), each grant explained by role and group', async () => {
    const { group, user } = await scimClient(env);
    const tom = await user('tom@x.example');
    const teachers = await group('Teachers', [tom]);
    const coders = await group('Coding club', [tom]);
    const nobody = await group('Empty');
    await api('PUT', '/roles/default', { permissions: { apps: ['google_drive'], 'credits.monthly_limit': 50 } });
    const publishers = (await api('POST', '/roles', { name: 'Publishers', permissions: { 'gpts.publish_workspace': true, apps: ['google_classroom'], 'credits.monthly_limit': 200 } })).body;
    const codex = (await api('POST', '/roles', { name: 'Codex', permissions: { 'codex.use': true, apps: ['github', 'google_drive'], 'credits.monthly_limit': 120 } })).body;
    const unused = (await api('POST', '/roles', { name: 'Advanced', permissions: { 'models.advanced': true } })).body;
    await api('PUT', `/roles/${publishers.id}/groups`, { groupIds: [teachers] });
    await api('PUT', `/roles/${codex.id}/groups`, { groupIds: [coders, teachers] });
    await api('PUT', `/roles/${unused.id}/groups`, { groupIds: [nobody] });

    const res = await api('GET', `/users/${tom}/permissions`);
    expect(res.status).toBe(200);
    const { permissions, grants } = res.body;
    expect(permissions['gpts.publish_workspace']).toBe(true);
    expect(permissions['codex.use']).toBe(true);
    expect(permissions['models.advanced']).toBe(false);
    expect(permissions['gpts.use']).toBe(true);
    expect([...permissions.apps].sort()).toEqual(['github', 'google_classroom', 'google_drive']);
    expect(permissions['credits.monthly_limit']).toBe(200);
    expect(res.body.rule).toBe('custom roles "Publishers", "Codex" through groups "Teachers", "Coding club"');
    const explain = (p: string) => grants.filter((g: any) => g.permission === p).map((g: any) => `${g.role}${g.group ? ` via ${g.group}` : ''}`).sort();
    expect(explain('gpts.publish_workspace')).toEqual(['Publishers via Teachers']);
    expect(explain('codex.use')).toEqual(['Codex via Coding club', 'Codex via Teachers']);
    // The default role no longer applies to Tom: every grant comes from his custom roles.
    expect(explain('apps')).toEqual(['Codex via Coding club', 'Codex via Teachers', 'Publishers via Teachers']);
    expect(explain('gpts.use')).toEqual(['Codex via Coding club', 'Codex via Teachers', 'Publishers via Teachers']);
    expect(explain('models.advanced')).toEqual([]);
    expect(res.body.usageLimit).toEqual({ limit: 200, source: 'group', group: 'Teachers', groupId: teachers, role: 'Publishers' });

    // Deleting a role removes its grants; deleting a group removes its mappings.
    await api('DELETE', `/roles/${codex.id}`);
    expect((await api('GET', `/users/${tom}/permissions`)).body.permissions['codex.use']).toBe(false);
  });

  it('a custom role overrides the default role: keys it sets to false are taken away, and it is a full set filled at creation', async () => {
    const { group, user } = await scimClient(env);
    const sam = await user('sam@x.example');
    const ann = await user('ann@x.example');
    const students = await group('Students', [sam]);
    const role = await api('POST', '/roles', { name: 'Students', restrictive: true, permissions: { 'search.web': false, 'gpts.create': false, 'canvas.code_execution': false } });
    expect(role.status).toBe(201);
    // The full set: what the request named, the rest from the default role as it was.
    expect(role.body.restrictive).toBe(true);
    expect(role.body.permissions).toMatchObject({ 'search.web': false, 'gpts.create': false, 'gpts.use': true, 'projects.use': true, 'codex.use': false, apps: [] });
    expect(Object.keys(role.body.permissions)).toEqual(expect.arrayContaining(['gpts.edit', 'gpts.delete', 'skills.file_upload', 'skills.share', 'record.past_notes', 'search.agent_mode', 'lockdown']));
    await api('PUT', `/roles/${role.body.id}/groups`, { groupIds: [students] });

    const samPerms = (await api('GET', `/users/${sam}/permissions`)).body;
    expect(samPerms.permissions).toMatchObject({ 'search.web': false, 'gpts.create': false, 'canvas.code_execution': false, 'gpts.use': true });
    expect(samPerms.rule).toBe('custom role "Students" through group "Students"');
    expect(samPerms.source).toBe('custom');
    const annPerms = (await api('GET', `/users/${ann}/permissions`)).body;
    expect(annPerms.permissions).toMatchObject({ 'search.web': true, 'gpts.create': true });
    expect(annPerms.rule).toBe('default role: no custom role');
    expect(annPerms.grants.filter((g: any) => g.permission === 'search.web')).toEqual([{ permission: 'search.web', role: 'Default', roleId: 'default', value: true }]);

    // A later change to the default role does not change the custom role.
    await api('PUT', '/roles/default', { permissions: { 'models.advanced': true, 'gpts.use': false } });
    expect((await api('GET', `/roles/${role.body.id}`)).body.permissions).toMatchObject({ 'models.advanced': false, 'gpts.use': true });
    expect((await api('GET', `/users/${sam}/permissions`)).body.permissions).toMatchObject({ 'models.advanced': false, 'gpts.use': true });
    expect((await api('GET', `/users/${ann}/permissions`)).body.permissions).toMatchObject({ 'models.advanced': true, 'gpts.use': false });

    // Changing a role changes only the keys named.
    const patched = await api('PATCH', `/roles/${role.body.id}`, { permissions: { 'search.web': true } });
    expect(patched.body.permissions).toMatchObject({ 'search.web': true, 'gpts.create': false });
  });

  it('gives a deactivated member no permissions', async () => {
    const { user, scim } = await scimClient(env);
    const tom = await user('tom@x.example');
    await scim('PATCH', `/Users/${tom}`, { schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'], Operations: [{ op: 'replace', path: 'active', value: false }] });
    const res = (await api('GET', `/users/${tom}/permissions`)).body;
    expect(res.status).toBe('deactivated');
    expect(res.permissions['gpts.use']).toBe(false);
    expect(res.permissions.apps).toEqual([]);
    expect(res.grants).toEqual([]);
  });

  it('deleting a local group removes its role mappings', async () => {
    const ada = await invite('ada@x.example');
    const g = (await api('POST', '/groups', { displayName: 'Pilot' })).body;
    await api('PUT', `/groups/${g.id}/members`, { userIds: [ada] });
    const role = (await api('POST', '/roles', { name: 'Agents', permissions: { 'agent.use': true } })).body;
    await api('PUT', `/roles/${role.id}/groups`, { groupIds: [g.id] });
    expect((await api('GET', `/users/${ada}/permissions`)).body.permissions['agent.use']).toBe(true);
    await api('DELETE', `/groups/${g.id}`);
    expect((await api('GET', `/roles/${role.id}`)).body.groups).toEqual([]);
    expect((await api('GET', `/users/${ada}/permissions`)).body.permissions['agent.use']).toBe(false);
  });

  it('lists the app catalog and the default role', async () => {
    const apps = (await api('GET', '/apps')).body.apps;
    expect(apps.length).toBeGreaterThanOrEqual(4);
    expect(apps[0]).toEqual({ id: expect.any(String), name: expect.any(String) });
    const roles = (await api('GET', '/roles')).body;
    expect(roles.default).toMatchObject({ id: 'default', name: 'Default' });
    expect(roles.default.permissions['gpts.publish_workspace']).toBe(false);
    // The catalogue in words: every key once, with a label and a one-line description.
    const keys = roles.catalogue.map((e: any) => e.key);
    expect(new Set(keys).size).toBe(keys.length);
    expect(keys).toEqual(expect.arrayContaining(['gpts.edit', 'gpts.delete', 'skills.file_upload', 'skills.share', 'record.past_notes', 'search.agent_mode', 'lockdown', 'apps']));
    for (const e of roles.catalogue) {
      expect(e.label, e.key).toMatch(/\w/);
      expect(e.description, e.key).toMatch(/^\S.*\.$/);
    }
  });

  it('renames and re-permissions a role, refusing a duplicate name', async () => {
    const a = (await api('POST', '/roles', { name: 'A', permissions: {} })).body;
    await api('POST', '/roles', { name: 'B', permissions: {} });
    expect((await api('PATCH', `/roles/${a.id}`, { name: 'A2', permissions: { 'record.use': true } })).body).toMatchObject({ name: 'A2', permissions: { 'record.use': true } });
    const dup = await api('PATCH', `/roles/${a.id}`, { name: 'b' });
    expect(dup.status).toBe(409);
    expect(dup.body.error.code).toBe('role_exists');
  });

  describe('bad inputs get 4xx with codes and change nothing', () => {
    it.each([
      ['POST', '/roles', { name: 'X', permissions: { 'gpts.fly': true } }, 400, 'invalid_permission', /Valid keys: gpts\.use/],
      ['POST', '/roles', { name: 'X', permissions: { 'codex.use': 'yes' } }, 400, 'invalid_permission', /true or false/],
      ['POST', '/roles', { name: 'X', permissions: { apps: 'google_drive' } }, 400, 'invalid_permission', /list of app ids/],
      ['POST', '/roles', { name: 'X', permissions: { apps: ['myspace'] } }, 400, 'unknown_app', /myspace/],
      ['POST', '/roles', { name: 'X', permissions: { 'credits.monthly_limit': -5 } }, 400, 'invalid_permission', /0 or more/],
      ['POST', '/roles', { name: '', permissions: {} }, 400, 'invalid_request', /name/],
      ['POST', '/roles', { name: 'Default', permissions: {} }, 409, 'role_exists', /default role/],
      ['PUT', '/roles/default', { permissions: { 'codex.use': 1 } }, 400, 'invalid_permission', /codex\.use/],
      ['PUT', '/roles/role_missing/groups', { groupIds: [] }, 404, 'role_not_found', /no custom role/],
      ['DELETE', '/roles/role_missing', undefined, 404, 'role_not_found', /no custom role/],
      ['GET', '/users/usr_missing/permissions', undefined, 404, 'member_not_found', /no member/],
    ])('%s %s %j → %i %s', async (method, path, body, status, code, message) => {
      const before = await env.state();
      const res = await api(method, path, body);
      expect(res.status).toBe(status);
      expect(res.body.error.code).toBe(code);
      expect(res.body.error.message).toMatch(message);
      expect(await env.state()).toEqual(before);
    });

    it('unknown group ids and wrong types for role groups', async () => {
      const role = (await api('POST', '/roles', { name: 'R', permissions: {} })).body;
      const before = await env.state();
      const unknown = await api('PUT', `/roles/${role.id}/groups`, { groupIds: ['grp_nope'] });
      expect(unknown.status).toBe(400);
      expect(unknown.body.error.code).toBe('unknown_group');
      const wrong = await api('PUT', `/roles/${role.id}/groups`, { groupIds: 'grp_nope' });
      expect(wrong.status).toBe(400);
      expect(await env.state()).toEqual(before);
    });
  });
});

describe('SCIM group deletion', () => {
  it('removes the group from every role it was mapped to', async () => {
    const { group, user, scim } = await scimClient(env);
    const tom = await user('tom@x.example');
    const g = await group('Coders', [tom]);
    const role = (await api('POST', '/roles', { name: 'Codex', permissions: { 'codex.use': true } })).body;
    await api('PUT', `/roles/${role.id}/groups`, { groupIds: [g] });
    expect((await api('GET', `/users/${tom}/permissions`)).body.permissions['codex.use']).toBe(true);
    expect((await scim('DELETE', `/Groups/${g}`)).status).toBe(204);
    expect((await api('GET', `/roles/${role.id}`)).body.groups).toEqual([]);
    expect(env.emulator.core.requireWorkspace('default').roles.custom[role.id]!.groupIds).toEqual([]);
    expect((await api('GET', `/users/${tom}/permissions`)).body.permissions['codex.use']).toBe(false);
  });
});
