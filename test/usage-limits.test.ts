// Usage limits over HTTP ("Setting usage limits in ChatGPT Enterprise and Edu"): the workspace
// default, group defaults and user overrides with their sources, the most permissive of several
// groups, the role-level credit limit as an alias, bad input, and what follows a deleted group.
import { beforeEach, describe, expect, it } from 'vitest';
import { inProcess } from './support/in-process.js';
import { scimClient } from './support/scim.js';

let env: ReturnType<typeof inProcess>;
const api = (method: string, path: string, body?: unknown) => env.call(method, `/w/default/api${path}`, body);
const limitOf = async (id: string) => (await api('GET', `/users/${id}/usage-limit`)).body;

beforeEach(() => {
  env = inProcess();
});

describe('usage limits', () => {
  it('resolves user override, then group defaults (most permissive), then the workspace default, then none', async () => {
    const { group, user } = await scimClient(env);
    const ada = await user('ada@x.example');
    const bo = await user('bo@x.example');
    const cy = await user('cy@x.example');
    const teachers = await group('Teachers', [ada, bo]);
    await group('Coaches', [bo]);
    expect(await limitOf(cy)).toMatchObject({ limit: null, source: 'none' });
    expect((await api('GET', '/usage-limits')).body).toMatchObject({ period: 'month (UTC)', workspaceDefault: null, groups: [], users: [] });

    const put = await api('PUT', '/usage-limits', {
      workspaceDefault: 100,
      groups: [
        { group: 'Teachers', limit: 300 },
        { group: 'coaches', limit: 250 },
      ],
      users: [{ user: 'ADA@x.example', limit: 0 }],
    });
    expect(put.status).toBe(200);
    expect(put.body.groups).toEqual([
      { group: teachers, displayName: 'Teachers', limit: 300 },
      { group: expect.any(String), displayName: 'Coaches', limit: 250 },
    ]);
    expect(await limitOf(ada)).toMatchObject({ limit: 0, source: 'user' });
    expect(await limitOf(bo)).toMatchObject({ limit: 300, source: 'group', group: 'Teachers' });
    expect(await limitOf(cy)).toMatchObject({ limit: 100, source: 'workspace' });
    expect((await api('GET', `/users/${bo}/permissions`)).body.permissions['credits.monthly_limit']).toBe(300);

    // "No limit" on a group is the most permissive of all.
    await api('PUT', '/usage-limits', { workspaceDefault: 100, groups: [{ group: 'Teachers', limit: 300 }, { group: 'Coaches', limit: null }] });
    expect(await limitOf(bo)).toMatchObject({ limit: null, source: 'group', group: 'Coaches' });
    // PUT replaces: Ada's override is gone.
    expect(await limitOf(ada)).toMatchObject({ limit: 300, source: 'group' });
    const events = (await api('GET', '/events?type=usage_limits.changed')).body.events;
    expect(events).toHaveLength(2);
  });

  it('reads credits.monthly_limit as an alias: the default role sets the workspace default, a custom role a default for its groups', async () => {
    const { group, user } = await scimClient(env);
    const cy = await user('cy@x.example');
    const club = await group('Coding club', [cy]);
    await api('PUT', '/roles/default', { permissions: { 'credits.monthly_limit': 40 } });
    expect((await api('GET', '/usage-limits')).body.workspaceDefault).toBe(40);
    expect((await api('GET', '/roles/default')).body.permissions['credits.monthly_limit']).toBe(40);
    expect(await limitOf(cy)).toMatchObject({ limit: 40, source: 'workspace' });
    const role = (await api('POST', '/roles', { name: 'Coders', permissions: { 'codex.use': true, 'credits.monthly_limit': 500 } })).body;
    await api('PUT', `/roles/${role.id}/groups`, { groupIds: [club] });
    expect(await limitOf(cy)).toEqual({ userId: cy, email: 'cy@x.example', limit: 500, source: 'group', group: 'Coding club', groupId: club, role: 'Coders' });
    expect((await api('GET', '/usage-limits')).body.fromRoles).toEqual([{ group: club, displayName: 'Coding club', role: 'Coders', limit: 500 }]);
    // A group default set in usage limits wins over the role's alias.
    await api('PUT', '/usage-limits', { workspaceDefault: 40, groups: [{ group: club, limit: 60 }] });
    expect(await limitOf(cy)).toMatchObject({ limit: 60, source: 'group', group: 'Coding club' });
    expect((await api('GET', '/usage-limits')).body.fromRoles).toEqual([]);
  });

  it('reads an older state whose default role carries credits.monthly_limit as the workspace default', async () => {
    const { user } = await scimClient(env);
    const cy = await user('cy@x.example');
    const state = (await env.call('GET', '/_emulator/state')).body;
    state.workspaces.default.roles.defaultPermissions = { 'credits.monthly_limit': 75 };
    delete state.workspaces.default.usageLimits;
    expect((await env.call('PUT', '/_emulator/state', state)).status).toBeLessThan(300);
    expect(await limitOf(cy)).toMatchObject({ limit: 75, source: 'workspace' });
    await api('PUT', '/usage-limits', { workspaceDefault: null });
    expect(await limitOf(cy)).toMatchObject({ limit: null, source: 'none' });
  });

  it('forgets a deleted group\'s default and moves an adopted group\'s default onto its SCIM twin', async () => {
    const { group, user, scim } = await scimClient(env);
    const tom = await user('tom@x.example');
    const scimGroup = await group('Teachers', [tom]);
    const local = (await api('POST', '/groups', { displayName: 'Teachers (pilot)' })).body;
    const gone = await group('Leaving');
    await api('PUT', '/usage-limits', { groups: [{ group: local.id, limit: 70 }, { group: gone, limit: 10 }] });
    expect((await api('POST', `/groups/${local.id}/adopt`, { into: scimGroup })).status).toBe(200);
    expect(await limitOf(tom)).toMatchObject({ limit: 70, source: 'group', group: 'Teachers' });
    expect((await scim('DELETE', `/Groups/${gone}`)).status).toBe(204);
    expect(env.emulator.core.requireWorkspace('default').usageLimits.groups).toEqual({ [scimGroup]: 70 });
  });

  describe('bad inputs get 400 with a code and change nothing', () => {
    it.each([
      [{ workspaceDefault: -1 }, 'invalid_request'],
      [{ workspaceDefault: 1.5 }, 'invalid_request'],
      [{ workspaceDefault: '100' }, 'invalid_request'],
      [{ groups: [{ group: 'Nobody', limit: 5 }] }, 'unknown_group'],
      [{ users: [{ user: 'nobody@x.example', limit: 5 }] }, 'unknown_user'],
      [{ groups: [{ group: 'Twins', limit: 5 }] }, 'ambiguous_group'],
      [{ groups: [{ group: 'Solo', limit: 5 }, { group: 'solo', limit: 6 }] }, 'duplicate_entry'],
      [{ colour: 'red' }, 'invalid_request'],
    ])('%j → %s', async (body, code) => {
      const { group } = await scimClient(env);
      await group('Twins');
      await api('POST', '/groups', { displayName: 'Twins' });
      await api('POST', '/groups', { displayName: 'Solo' });
      await api('PUT', '/usage-limits', { workspaceDefault: 50 });
      const before = await env.state();
      const res = await api('PUT', '/usage-limits', body);
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe(code);
      expect(await env.state()).toEqual(before);
    });

    it('a member id that does not exist is 404 on the member route', async () => {
      const res = await api('GET', '/users/usr_missing/usage-limit');
      expect(res.status).toBe(404);
      expect(res.body.error.code).toBe('member_not_found');
    });
  });
});
