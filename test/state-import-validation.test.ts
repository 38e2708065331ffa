// Regression (issue 15, finding 2): a state import is checked beyond its shape (clock offsets,
// nested SCIM records, references, unique keys); one the emulator takes never makes a later
// request fail, and one it refuses changes nothing.
import { describe, expect, it } from 'vitest';
import { inProcess } from './support/in-process.js';
import { scimClient } from './support/scim.js';

async function provisioned() {
  const env = inProcess();
  const client = await scimClient(env);
  const ada = await client.user('ada@springfield.k12.us', 'Ada', 'Lovelace');
  const bob = await client.user('bob@springfield.k12.us', 'Bob', 'Babbage');
  const group = await client.group('Teachers', [ada, bob]);
  const role = (await env.call('POST', '/w/default/api/roles', { name: 'Teachers role', permissions: {} })).body.id as string;
  expect((await env.call('PUT', `/w/default/api/roles/${role}/groups`, { groupIds: [group] })).status).toBe(200);
  return { env, client, ada, bob, group, role };
}

/** Requests that must keep working after any accepted import. */
async function laterRequestsWork(env: ReturnType<typeof inProcess>, scim: (m: string, p: string) => Promise<{ status: number; body: any }>) {
  for (const path of ['/_emulator/clock', '/_emulator/clock?workspace=default', '/w/default/api/domains', '/w/default/api/users', '/w/default/api/groups', '/w/default/api/readiness', '/w/default/api/roles']) {
    const res = await env.call('GET', path);
    expect(res.status, `GET ${path}: ${JSON.stringify(res.body)}`).toBe(200);
  }
  for (const path of ['/Users', '/Groups', '/Users?filter=userName%20eq%20%22ada@springfield.k12.us%22']) {
    const res = await scim('GET', path);
    expect(res.status, `GET ${path}: ${JSON.stringify(res.body)}`).toBe(200);
  }
  expect((await env.call('POST', '/w/default/api/groups', { displayName: 'After import' })).status).toBe(201);
}

describe('state import validation', () => {
  const cases: [string, (s: any, ids: { ada: string; group: string; role: string }) => void, RegExp][] = [
    ['a clock offset the clock cannot show', (s) => (s.clock.offsetMs = 1e20), /clock\.offsetMs/],
    ['a workspace clock offset the clock cannot show', (s) => (s.workspaces.default.clockOffsetMs = 1e20), /workspaces\.default\.clockOffsetMs/],
    ['a negative clock offset before 1970', (s) => (s.workspaces.default.clockOffsetMs = -Date.now() - 1e12), /clockOffsetMs/],
    ['a SCIM member without attributes', (s, { ada }) => delete s.workspaces.default.members[ada].scim.attributes, /scim\.attributes/],
    ['a SCIM member with null attributes', (s, { ada }) => (s.workspaces.default.members[ada].scim.attributes = null), /scim\.attributes/],
    ['a SCIM member whose attributes lack the userName', (s, { ada }) => delete s.workspaces.default.members[ada].scim.attributes.userName, /scim\.attributes/],
    ['a SCIM member with a string version', (s, { ada }) => (s.workspaces.default.members[ada].scim.version = 'x'), /scim\.version/],
    ['two members with one email', (s, { ada }) => (s.workspaces.default.members[ada].email = 'BOB@springfield.k12.us'), /also the email/],
    ['a group member that does not exist', (s, { group }) => s.workspaces.default.groups[group].members.push('nobody'), /no member "nobody"/],
    ['a role assigned to a group that does not exist', (s, { role }) => s.workspaces.default.roles.custom[role].groupIds.push('nogroup'), /no group "nogroup"/],
    ['a member stored under another id', (s, { ada }) => (s.workspaces.default.members[ada].id = 'other'), /must equal its key/],
    ['a broken SSO connection', (s) => (s.workspaces.default.sso.connection = { protocol: 'saml' }), /sso\.connection/],
  ];
  for (const [what, mutate, message] of cases) {
    it(`refuses ${what} and changes nothing`, async () => {
      const { env, client, ada, group, role } = await provisioned();
      const exported = (await env.call('GET', '/_emulator/state')).body;
      mutate(exported, { ada, group, role });
      const before = await env.state();
      const res = await env.call('PUT', '/_emulator/state', exported);
      expect(res.status, JSON.stringify(res.body)).toBe(400);
      expect(res.body.error.code).toBe('invalid_state');
      expect(res.body.error.message).toMatch(message);
      expect(await env.state()).toEqual(before);
      await laterRequestsWork(env, client.scim);
    });
  }

  it('takes its own export back, and everything keeps working', async () => {
    const { env, client } = await provisioned();
    const exported = (await env.call('GET', '/_emulator/state')).body;
    const res = await env.call('PUT', '/_emulator/state', exported);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    await laterRequestsWork(env, client.scim);
  });
});
