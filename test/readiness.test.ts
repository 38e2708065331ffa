// The launch-readiness report (SPEC §5): every item in its passing and its failing state.
import { beforeEach, describe, expect, it } from 'vitest';
import { inProcess } from './support/in-process.js';
import { connectTestIdp, samlSignIn } from './support/saml.js';
import { scimClient } from './support/scim.js';
import { verifyDomain } from './support/workspace.js';

let env: ReturnType<typeof inProcess>;
const api = (method: string, path: string, body?: unknown) => env.call(method, `/w/default/api${path}`, body);
async function report(): Promise<Record<string, { status: string; message: string; subjects?: string[] }>> {
  const res = await api('GET', '/readiness');
  expect(res.status).toBe(200);
  return Object.fromEntries(res.body.items.map((i: any) => [i.id, i]));
}

beforeEach(() => {
  env = inProcess();
});

describe('readiness report', () => {
  it('a new workspace fails or warns on every setup item', async () => {
    const r = await report();
    expect(Object.keys(r)).toEqual([
      'domain_verified',
      'sso_configured',
      'sso_tested',
      'sso_enforced',
      'scim_connected',
      'aac_with_scim',
      'duplicate_groups',
      'local_groups_in_roles',
      'default_role_elevated',
      'custom_role_drops_tools',
      'unmanaged_members',
    ]);
    expect(r.domain_verified!.status).toBe('fail');
    expect(r.sso_configured!.status).toBe('fail');
    expect(r.sso_tested!.status).toBe('fail');
    expect(r.sso_enforced!.status).toBe('warn');
    expect(r.scim_connected!.status).toBe('fail');
  });

  it('turns green along the district plan', async () => {
    await verifyDomain(env.call, 'default', 'springfield.k12.us');
    await connectTestIdp(env);
    let r = await report();
    expect(r.domain_verified).toMatchObject({ status: 'pass', subjects: ['springfield.k12.us'] });
    expect(r.sso_configured!.status).toBe('pass');
    expect(r.sso_tested!.status).toBe('warn');

    const { user, group } = await scimClient(env);
    r = await report();
    expect(r.scim_connected!.status).toBe('warn');
    const tom = await user('tom@springfield.k12.us');
    await group('Teachers', [tom]);
    expect((await samlSignIn(env, 'tom@springfield.k12.us')).status).toBe(302);
    await api('PUT', '/sso/enforcement', { level: 'sso_only' });

    r = await report();
    for (const item of Object.values(r)) expect(item.status, `${JSON.stringify(item)}`).toBe('pass');
    const summary = (await api('GET', '/readiness')).body.summary;
    expect(summary).toEqual({ pass: 11, warn: 0, fail: 0 });
  });

  it('aac_with_scim fails with the auto-created members who will never be deprovisioned', async () => {
    await verifyDomain(env.call, 'default', 'springfield.k12.us');
    await connectTestIdp(env);
    await api('PATCH', '/settings', { automaticAccountCreation: true });
    expect((await report()).aac_with_scim!.status).toBe('pass');
    expect((await samlSignIn(env, 'walkin@springfield.k12.us')).status).toBe(302);
    await scimClient(env);
    const item = (await report()).aac_with_scim!;
    expect(item.status).toBe('fail');
    expect(item.subjects).toEqual(['walkin@springfield.k12.us']);
  });

  it('duplicate_groups and local_groups_in_roles warn, naming the groups', async () => {
    const { group } = await scimClient(env);
    await group('Teachers');
    const local = (await api('POST', '/groups', { displayName: 'teachers' })).body;
    const role = (await api('POST', '/roles', { name: 'Pilot', permissions: { 'agent.use': true } })).body;
    let r = await report();
    expect(r.duplicate_groups!.status).toBe('warn');
    expect(r.local_groups_in_roles!.status).toBe('pass');
    await api('PUT', `/roles/${role.id}/groups`, { groupIds: [local.id] });
    r = await report();
    expect(r.local_groups_in_roles).toMatchObject({ status: 'warn', subjects: ['Pilot ← teachers'] });
    await api('DELETE', `/groups/${local.id}`);
    r = await report();
    expect(r.duplicate_groups!.status).toBe('pass');
    expect(r.local_groups_in_roles!.status).toBe('pass');
  });

  it('default_role_elevated warns when everyone gets publishing, Codex or advanced models', async () => {
    expect((await report()).default_role_elevated!.status).toBe('pass');
    await api('PUT', '/roles/default', { permissions: { 'codex.use': true, 'models.advanced': true } });
    expect((await report()).default_role_elevated).toMatchObject({ status: 'warn', subjects: ['codex.use', 'models.advanced'] });
  });

  it('unmanaged_members warns about active verified-domain members outside SCIM only', async () => {
    await verifyDomain(env.call, 'default', 'springfield.k12.us');
    await api('POST', '/invites', { email: 'ada@springfield.k12.us', password: 'password123' });
    await api('POST', '/invites', { email: 'guest@partner.example', password: 'password123' });
    expect((await report()).unmanaged_members!.status).toBe('pass');
    await env.call('POST', '/w/default/login/password', { email: 'ada@springfield.k12.us', password: 'password123' }, { auth: null });
    await env.call('POST', '/w/default/login/password', { email: 'guest@partner.example', password: 'password123' }, { auth: null });
    expect((await report()).unmanaged_members).toMatchObject({ status: 'warn', subjects: ['ada@springfield.k12.us'] });
  });
});
