// The documented success answers describe the real ones: every answer of the main admin routes,
// met along a district's setup, validates against the response schema the OpenAPI document gives
// for its operation (closed objects, so a field the views add without documenting it fails here).
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import { beforeAll, describe, expect, it } from 'vitest';
import { createEmulator } from '../src/app.js';

type Doc = { paths: Record<string, Record<string, { responses: Record<string, { content?: { 'application/json': { schema: Record<string, unknown> } } }> }>> };

const emulator = createEmulator();
const auth = { Authorization: `Bearer ${emulator.adminKey}` };
let doc: Doc;
const ajv = new Ajv2020({ strict: false, allErrors: true });
const validators = new Map<string, ValidateFunction>();
/** `method template` of every operation whose answer was checked. */
const checked = new Set<string>();

/** The documented operation an actual path belongs to. */
function templateOf(path: string): string {
  const bare = path.split('?')[0]!;
  const matches = Object.keys(doc.paths).filter((t) => new RegExp(`^${t.replace(/\{\w+\}/g, '[^/]+')}$`).test(bare));
  // A literal segment beats a parameter (`/roles/default` over `/roles/{id}`).
  matches.sort((a, b) => (a.match(/\{/g)?.length ?? 0) - (b.match(/\{/g)?.length ?? 0));
  if (!matches[0]) throw new Error(`${path} is not documented`);
  return matches[0];
}

function validatorFor(method: string, template: string, status: number): ValidateFunction {
  const key = `${method} ${template} ${status}`;
  let v = validators.get(key);
  if (!v) {
    const response = doc.paths[template]?.[method]?.responses[String(status)];
    const schema = response?.content?.['application/json'].schema;
    if (!schema) throw new Error(`${method.toUpperCase()} ${template} documents no JSON answer for ${status}`);
    v = ajv.compile(schema);
    validators.set(key, v);
  }
  return v;
}

/** Calls the API and checks the answer against the documented schema; returns the body. */
async function call(method: string, path: string, body?: unknown): Promise<any> {
  const res = await emulator.app.request(path, {
    method: method.toUpperCase(),
    headers: { ...auth, ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}) },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  const json = await res.json();
  expect(res.ok, `${method} ${path} → ${res.status} ${JSON.stringify(json)}`).toBe(true);
  const template = templateOf(path);
  const validate = validatorFor(method, template, res.status);
  expect(validate(json) ? [] : validate.errors, `${method.toUpperCase()} ${path}`).toEqual([]);
  checked.add(`${method} ${template}`);
  return json;
}

beforeAll(async () => {
  doc = (await (await emulator.app.request('/_emulator/openapi.json')).json()) as Doc;
});

describe('documented responses', () => {
  it('describe the real answers of the control plane', async () => {
    await call('get', '/_emulator/health');
    const created = await call('post', '/_emulator/workspaces', { id: 'lincoln', name: 'Lincoln USD' });
    await call('get', `/_emulator/workspaces/${created.id}`);
    await call('get', '/_emulator/workspaces');
    await call('get', '/_emulator/clock');
    await call('post', '/_emulator/clock', { advance: '1h', workspace: 'lincoln' });
    await call('put', '/_emulator/dns/example.org', { txt: ['hello'] });
    await call('post', '/_emulator/dns/example.org', { txt: ['again'] });
    await call('get', '/_emulator/dns/example.org');
    await call('get', '/_emulator/dns');
    await call('get', '/_emulator/events?limit=5');
    await call('post', '/_emulator/workspaces/lincoln/reset');
    await call('post', '/_emulator/reset', { workspace: 'lincoln' });
    const state = await (await emulator.app.request('/_emulator/state', { headers: auth })).json();
    await call('put', '/_emulator/state', state);
  });

  it('describe the real answers of the workspace admin API along a district setup', async () => {
    const api = '/w/default/api';
    // Domains: a failed verification (with what was found), then a successful one.
    const domain = await call('post', `${api}/domains`, { domain: 'springfield.k12.us' });
    await call('get', `${api}/domains`);
    const failed = await call('post', `${api}/domains/springfield.k12.us/verify`);
    expect(failed.reason).toBe('txt_not_found');
    await call('put', `/_emulator/dns/springfield.k12.us`, { txt: [domain.txt.value] });
    expect((await call('post', `${api}/domains/springfield.k12.us/verify`)).status).toBe('verified');
    await call('get', `${api}/domains/springfield.k12.us`);

    await call('get', `${api}/settings`);
    await call('patch', `${api}/settings`, { breakGlass: true });

    const ada = await call('post', `${api}/invites`, { email: 'ada@springfield.k12.us', role: 'admin', password: 'correct horse', givenName: 'Ada' });
    await call('post', `${api}/invites`, { email: 'bob@springfield.k12.us' });
    await call('get', `${api}/users`);
    await call('get', `${api}/users?email=ada@springfield.k12.us`);
    await call('patch', `${api}/users/${ada.id}`, { role: 'owner' });
    await call('post', `${api}/sign-in/check`, { email: 'ada@springfield.k12.us', method: 'password' });
    expect((await call('post', `${api}/sign-in/check`, { email: 'eve@springfield.k12.us', method: 'password' })).outcome).toBe('denied');

    // SSO: unconfigured, then SAML and OIDC through the mock IdP, and enforcement.
    await call('get', `${api}/sso`);
    await call('get', `${api}/sso/enforcement`);
    const idpRes = await emulator.app.request('/_emulator/idps', {
      method: 'POST',
      headers: { ...auth, 'Content-Type': 'application/json' },
      body: JSON.stringify({ id: 'entra', vendor: 'entra', users: [{ email: 'ada@springfield.k12.us' }] }),
    });
    expect(idpRes.status).toBe(201);
    await call('put', `${api}/sso`, { protocol: 'oidc', mockIdp: 'entra' });
    await call('get', `${api}/sso`);
    await call('put', `${api}/sso`, { protocol: 'saml', mockIdp: 'entra' });
    await call('get', `${api}/sso`);
    await call('put', `${api}/sso/enforcement`, { level: 'sso_only', force: true });

    // SCIM: a token, a request through it, and a SCIM group to adopt a local group into.
    const token = await call('post', `${api}/scim/tokens`, { name: 'Entra' });
    await call('get', `${api}/scim/tokens`);
    const scimGroup = await emulator.app.request('/w/default/scim/v2/Groups', {
      method: 'POST',
      headers: { Authorization: `Bearer ${token.token}`, 'Content-Type': 'application/scim+json' },
      body: JSON.stringify({ schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group'], displayName: 'Teachers' }),
    });
    expect(scimGroup.status).toBe(201);
    const scimGroupId = ((await scimGroup.json()) as { id: string }).id;
    await call('get', `${api}/scim/requests`);
    await call('get', `${api}/conformance?profile=entra`);

    // Groups and roles.
    const pilot = await call('post', `${api}/groups`, { displayName: 'Pilot' });
    await call('get', `${api}/groups`);
    await call('patch', `${api}/groups/${pilot.id}`, { displayName: 'Pilot teachers' });
    await call('put', `${api}/groups/${pilot.id}/members`, { userIds: [ada.id] });
    await call('get', `${api}/groups/${pilot.id}/members`);
    await call('get', `${api}/groups/${pilot.id}`);
    const role = await call('post', `${api}/roles`, { name: 'Builders', permissions: { 'gpts.create': true, apps: ['github'] } });
    await call('put', `${api}/roles/${role.id}/groups`, { groupIds: [pilot.id] });
    await call('patch', `${api}/roles/${role.id}`, { name: 'GPT builders' });
    await call('get', `${api}/roles/${role.id}`);
    await call('get', `${api}/roles`);
    await call('get', `${api}/roles/default`);
    await call('put', `${api}/roles/default`, { permissions: { 'codex.use': true } });
    const perms = await call('get', `${api}/users/${ada.id}/permissions`);
    expect(perms.grants.some((g: { group?: string }) => g.group === 'Pilot teachers')).toBe(true);
    await call('get', `${api}/users/${ada.id}`);
    await call('put', `${api}/usage-limits`, { workspaceDefault: 200, groups: [{ group: pilot.id, limit: 500 }], users: [{ user: ada.id, limit: null }] });
    await call('get', `${api}/usage-limits`);
    await call('get', `${api}/users/${ada.id}/usage-limit`);
    await call('post', `${api}/groups/${pilot.id}/adopt`, { into: scimGroupId });
    await call('get', `${api}/apps`);
    await call('get', `${api}/readiness`);
    await call('get', `${api}/events?limit=20`);
    const recording = await call('post', `${api}/recordings`, { name: 'documented' });
    await call('get', `${api}/recordings/${recording.id}`);
    await call('post', `${api}/recordings/${recording.id}/stop`);
    await call('get', `${api}/recordings`);

    await call('get', `${api}/scim/tokens`);
  });

  it("describe the real answers of the mock IdP's directory and faults", async () => {
    const idpRes = await emulator.app.request('/_emulator/idps', {
      method: 'POST',
      headers: { ...auth, 'Content-Type': 'application/json' },
      body: JSON.stringify({ id: 'district', vendor: 'okta', groups: ['Teachers', 'Staff'] }),
    });
    expect(idpRes.status).toBe(201);
    const idp = '/idp/district';
    const tom = await call('post', `${idp}/users`, { email: 'tom@springfield.k12.us', givenName: 'Tom', password: 'pw-tom' });
    await call('post', `${idp}/users`, { email: 'sue@springfield.k12.us', attributes: { department: 'Science' } });
    await call('get', `${idp}/users`);
    await call('patch', `${idp}/users/${tom.id}`, { familyName: 'Lee' });
    const teachers = (await call('get', `${idp}/groups`)).groups.find((g: { displayName: string }) => g.displayName === 'Teachers');
    await call('put', `${idp}/groups/${teachers.id}/members/${tom.id}`);
    await call('post', `${idp}/users/${tom.id}/move`, { from: 'Teachers', to: 'Staff' });
    await call('get', `${idp}/users/tom@springfield.k12.us`);
    const pilot = await call('post', `${idp}/groups`, { displayName: 'Pilot', members: [tom.id] });
    await call('patch', `${idp}/groups/${pilot.id}`, { displayName: 'Pilot 2' });
    await call('delete', `${idp}/groups/${pilot.id}/members/${tom.id}`);
    await call('get', `${idp}/groups/${pilot.id}`);
    await call('put', `${idp}/faults`, { next: 'expired', users: { 'tom@springfield.k12.us': 'wrong_audience' } });
    await call('get', `${idp}/faults`);
  });

  it('describe the real answers of directory sync (Google pulled, CSV uploaded)', async () => {
    const api = '/w/default/api';
    await call('post', '/_emulator/idps', { id: 'gws', vendor: 'google', users: [{ email: 'kim@springfield.k12.us', groups: ['Teachers'] }] });
    await call('get', `${api}/directory`);
    await call('put', `${api}/directory`, { type: 'google', mockIdp: 'gws', groups: ['Teachers'] });
    const sync = await call('post', `${api}/directory/sync`);
    await call('get', `${api}/directory`);
    await call('get', `${api}/directory/syncs`);
    await call('get', `${api}/directory/syncs/${sync.id}`);
    await call('put', `${api}/directory`, { type: 'sftp' });
    await call('post', `${api}/directory/upload`, { 'users.csv': 'id,email\n1,kim@springfield.k12.us\n' });
    const res = await emulator.app.request(`${api}/directory/files/users.csv`, { method: 'PUT', headers: { ...auth, 'Content-Type': 'text/csv' }, body: 'id,email\n1,kim@springfield.k12.us\n' });
    expect(res.status).toBe(200);
    const validate = validatorFor('put', '/w/{ws}/api/directory/files/{name}', 200);
    const json = await res.json();
    expect(validate(json) ? [] : validate.errors).toEqual([]);
    checked.add('put /w/{ws}/api/directory/files/{name}');
    await call('get', `${api}/directory`);
  });

  it('covers every documented JSON answer of the admin API and the control plane', () => {
    const documented = Object.entries(doc.paths).flatMap(([path, ops]) =>
      Object.entries(ops)
        .filter(([, op]) => Object.entries(op.responses).some(([status, r]) => status.startsWith('2') && r.content?.['application/json'] && JSON.stringify(r.content) !== '{"application/json":{"schema":{"type":"object"}}}'))
        .map(([method]) => `${method} ${path}`),
    );
    expect(documented.length).toBeGreaterThan(40);
    expect(documented.filter((op) => !checked.has(op)).sort()).toEqual([]);
  });

  it('are closed: a field the documented schema does not name is refused', async () => {
    const validate = validatorFor('get', '/w/{ws}/api/users/{id}', 200);
    const ada = (await call('get', '/w/default/api/users?email=ada@springfield.k12.us')).users[0];
    expect(validate(ada)).toBe(true);
    expect(validate({ ...ada, passwordHash: 'scrypt$x$y' })).toBe(false);
    expect(validate({ ...ada, status: 'suspended' })).toBe(false);
  });
});
