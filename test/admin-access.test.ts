// The authorization table walked against the router: every admin API route the app serves × every
// built-in role, through the admin key acting as a member (X-Emulator-Act-As) and through a real
// member session; plus the owner-only role assignments and the act-as refusals.
import { beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_ACCESS, allows, BUILT_IN_ROLES, type BuiltInRole } from '../src/roles/admin-access.js';
import { inProcess } from './support/in-process.js';

const env = inProcess();
// The cases below are read from the router when the file is collected: every route must be mounted
// by then, not only health (src/app.ts mounts the rest once src/app-routes.ts has loaded).
await env.emulator.ready;
const api = (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) => env.call(method, `/w/default/api${path}`, body, { headers });
const emailOf = (role: BuiltInRole) => `${role.replace('_', '-')}@springfield.k12.us`;
const asRole = (role: BuiltInRole) => ({ 'X-Emulator-Act-As': emailOf(role) });

/** Every admin API route the router serves, as `method /template` under /w/{ws}/api. */
function servedAdminRoutes(): string[] {
  const out = new Set<string>();
  for (const r of env.emulator.app.routes) {
    if (r.method === 'ALL' || !r.path.startsWith('/w/:ws/api/')) continue;
    out.add(`${r.method.toLowerCase()} ${r.path.slice('/w/:ws/api'.length).replace(/:(\w+)/g, '{$1}')}`);
  }
  return [...out].sort();
}

/** A concrete path for a template: ids nobody has (the check comes before any lookup). */
const concrete = (template: string) => template.replace(/\{(\w+)\}/g, (_m, p: string) => (p === 'domain' ? 'nowhere.example' : `${p}_walk`));

beforeAll(async () => {
  for (const role of BUILT_IN_ROLES) {
    const res = await api('POST', '/invites', { email: emailOf(role), role, password: 'correct horse battery' });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
  }
});

describe('the authorization table', () => {
  it('has one rule for every admin route the router serves, and none for routes it does not serve', () => {
    const served = servedAdminRoutes();
    const table = ADMIN_ACCESS.map((r) => `${r.method} ${r.path}`).sort();
    expect(served.length).toBeGreaterThan(40);
    expect(new Set(table).size).toBe(table.length);
    expect(table).toEqual(served);
  });

  const cases = servedAdminRoutes().flatMap((route) => BUILT_IN_ROLES.map((role) => [route, role] as const));
  it('walks every served admin route as every built-in role', () => {
    expect(cases.length).toBe(servedAdminRoutes().length * BUILT_IN_ROLES.length);
    expect(cases.length).toBeGreaterThan(40 * BUILT_IN_ROLES.length);
  });
  it.each(cases)('%s as %s', async (route, role) => {
    const [method, template] = route.split(' ') as [string, string];
    const rule = ADMIN_ACCESS.find((r) => `${r.method} ${r.path}` === route)!;
    const res = await api(method.toUpperCase(), concrete(template), method === 'get' || method === 'delete' ? undefined : {}, asRole(role));
    if (allows(role, rule.needs)) {
      expect(res.body?.error?.code, `${route} as ${role}: ${JSON.stringify(res.body)}`).not.toBe('insufficient_role');
      expect(res.status).not.toBe(401);
    } else {
      expect(res.status).toBe(403);
      expect(res.body.error.code).toBe('insufficient_role');
      expect(res.body.error.message).toContain(rule.needs === 'owner' ? 'owner role' : 'owner or admin role');
      expect(res.body.error.message).toContain(emailOf(role));
    }
  });

  it('gives owners everything, members and analytics viewers nothing, admins members, groups and usage limits but not identity or RBAC', () => {
    const needs = (route: string) => ADMIN_ACCESS.find((r) => `${r.method} ${r.path}` === route)!.needs;
    for (const route of ['get /domains', 'put /sso', 'put /sso/enforcement', 'post /scim/tokens', 'patch /settings', 'post /roles', 'put /roles/default', 'put /roles/{id}/groups']) {
      expect(needs(route), route).toBe('owner');
    }
    for (const route of ['post /invites', 'get /users', 'post /groups', 'put /groups/{id}/members', 'put /usage-limits', 'get /users/{id}/permissions']) {
      expect(needs(route), route).toBe('owner_or_admin');
    }
    for (const role of ['member', 'analytics_viewer'] as const) for (const r of ADMIN_ACCESS) expect(allows(role, r.needs)).toBe(false);
  });
});

describe('who may act', () => {
  it('accepts a member session on the admin API and refuses by the table: an admin manages groups but not SSO', async () => {
    const login = await env.call('POST', '/w/default/login/password', { email: emailOf('admin'), password: 'correct horse battery' }, { auth: null });
    expect(login.status).toBe(200);
    const cookie = login.headers.get('set-cookie')!.split(';')[0]!;
    const asSession = { auth: null, headers: { Cookie: cookie, Origin: 'http://localhost' } } as const;
    const groups = await env.call('POST', '/w/default/api/groups', { displayName: 'Pilot' }, asSession);
    expect(groups.status).toBe(201);
    const sso = await env.call('PUT', '/w/default/api/sso', { protocol: 'oidc', issuer: 'https://idp.example', clientId: 'x', clientSecret: 'y' }, asSession);
    expect(sso.status).toBe(403);
    expect(sso.body.error).toMatchObject({ code: 'insufficient_role', role: 'admin', needed: ['owner'] });
    expect(sso.body.error.message).toMatch(/admin; Identity & Provisioning .* needs the workspace owner role/);
    // The journal names the person, not the key.
    const events = (await api('GET', '/events?type=group.created')).body.events;
    expect(events.at(-1).actor).toBe(`user:${emailOf('admin')}`);
    // A member's session with the act-as header is refused: only the admin key acts as someone.
    const both = await env.call('GET', '/w/default/api/groups', undefined, { auth: null, headers: { Cookie: cookie, 'X-Emulator-Act-As': emailOf('owner') } });
    expect(both.status).toBe(400);
    expect(both.body.error.code).toBe('act_as_needs_admin_key');
  });

  it('lets only owners invite or assign owners and admins, change roles and remove admins', async () => {
    const invitedByAdmin = await api('POST', '/invites', { email: 'new-owner@springfield.k12.us', role: 'owner' }, asRole('admin'));
    expect(invitedByAdmin.status).toBe(403);
    expect(invitedByAdmin.body.error.code).toBe('insufficient_role');
    expect((await api('GET', '/users?email=new-owner@springfield.k12.us')).body.users).toEqual([]);
    const plain = await api('POST', '/invites', { email: 'teacher@springfield.k12.us' }, asRole('admin'));
    expect(plain.status).toBe(201);
    const promote = await api('PATCH', `/users/${plain.body.id}`, { role: 'admin' }, asRole('admin'));
    expect(promote.status).toBe(403);
    expect((await api('GET', `/users/${plain.body.id}`)).body.role).toBe('member');
    const viewer = await api('PATCH', `/users/${plain.body.id}`, { role: 'analytics_viewer' }, asRole('owner'));
    expect(viewer.status).toBe(200);
    expect(viewer.body.role).toBe('analytics_viewer');
    const admin = (await api('GET', `/users?email=${emailOf('admin')}`)).body.users[0];
    const removeAdmin = await api('DELETE', `/users/${admin.id}`, undefined, asRole('admin'));
    expect(removeAdmin.status).toBe(403);
    expect(removeAdmin.body.error.message).toContain('removing an owner or admin');
    expect((await api('DELETE', `/users/${plain.body.id}`, undefined, asRole('admin'))).status).toBe(204);
  });

  it('refuses an act-as header naming no member, with the fix; the admin key alone keeps full power', async () => {
    const unknown = await api('GET', '/groups', undefined, { 'X-Emulator-Act-As': 'nobody@springfield.k12.us' });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.code).toBe('act_as_not_member');
    expect(unknown.body.error.message).toContain('nobody@springfield.k12.us');
    expect((await api('GET', '/sso')).status).toBe(200);
    const none = await env.call('GET', '/w/default/api/groups', undefined, { auth: null });
    expect(none.status).toBe(401);
  });
});
