// The recorder (docs/recorder.md): a rehearsal with the mock IdP in each SCIM dialect, SSO and
// password sign-ins and hand-sent SCIM calls is recorded, validates, replays green on a fresh
// emulator, carries no secret, and fails at the right step when one behaviour changes.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { parse } from 'yaml';
import { createEmulator, type Emulator } from '../src/app.js';
import { runCommand, validateCommand } from '../src/cli/scenarios.js';
import { loadScenarioText } from '../src/scenario/load.js';
import { runScenario } from '../src/scenario/runner.js';
import { inProcessTarget } from '../src/scenario/target.js';

const KEY = 'recorder-admin-key-9f8e7d';
const PASSWORD = 'Ada-Pa55word-Kx81';
const IDP_PASSWORD = 'Ivy-Pa55word-Qz42';
const tmp = await mkdtemp(join(tmpdir(), 'edu-recorder-'));
afterAll(() => rm(tmp, { recursive: true, force: true }));

interface Res {
  status: number;
  body: any;
  headers: Headers;
}

function client(emulator: Emulator) {
  const call = async (method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Res> => {
    const h: Record<string, string> = { 'User-Agent': 'district-rehearsal/1.0', ...headers };
    if (body !== undefined && typeof body !== 'string') h['Content-Type'] ??= 'application/json';
    const res = await emulator.app.request(new URL(path, 'http://localhost').href, {
      method,
      headers: h,
      ...(body !== undefined ? { body: typeof body === 'string' ? body : JSON.stringify(body) } : {}),
      redirect: 'manual',
    });
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = text === '' ? undefined : JSON.parse(text);
    } catch {
      /* a page */
    }
    return { status: res.status, body: parsed, headers: res.headers };
  };
  const admin = (method: string, sub: string, body?: unknown) => call(method, `/w/default/api${sub}`, body, { Authorization: `Bearer ${KEY}` });
  return { call, admin };
}

/** One SP-initiated SAML sign-in the way a program drives it, with an optional fault. */
async function ssoSignIn(c: ReturnType<typeof client>, email: string, fault?: string): Promise<Res> {
  const start = await c.call('GET', `/w/default/sso/saml/login?email=${encodeURIComponent(email)}`);
  expect(start.status).toBe(302);
  const idpUrl = new URL(start.headers.get('location')!, 'http://localhost');
  if (fault) idpUrl.searchParams.set('fault', fault);
  const atIdp = await c.call('GET', idpUrl.href, undefined, { Accept: 'application/json' });
  expect(atIdp.status).toBe(200);
  const form = new URLSearchParams({ SAMLResponse: atIdp.body.SAMLResponse, ...(atIdp.body.RelayState ? { RelayState: atIdp.body.RelayState } : {}) });
  return c.call('POST', atIdp.body.acsUrl, form.toString(), { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' });
}

/** Rehearses a district with the mock IdP speaking `dialect`; returns the recorded scenario and the secrets used. */
async function rehearse(dialect: 'entra' | 'okta' | 'generic') {
  const emulator = createEmulator({ adminKey: KEY });
  const c = client(emulator);
  const idp = await c.call('POST', '/_emulator/idps', {
    id: 'district',
    vendor: dialect,
    users: [
      { email: 'ada@springfield.k12.us', givenName: 'Ada', familyName: 'Admin' },
      { email: 'tom@springfield.k12.us', givenName: 'Tom', familyName: 'Lee', groups: ['Teachers'] },
    ],
  }, { Authorization: `Bearer ${KEY}` });
  expect(idp.status).toBe(201);

  const started = await c.admin('POST', '/recordings', { name: `Rehearsal ${dialect}` });
  expect(started.status).toBe(201);
  const id = started.body.id as string;

  // Admin: domain, SSO from the mock IdP, an invite with a password.
  const domain = await c.admin('POST', '/domains', { domain: 'springfield.k12.us' });
  await c.call('PUT', '/_emulator/dns/springfield.k12.us', { txt: [domain.body.txt.value] }, { Authorization: `Bearer ${KEY}` });
  expect((await c.admin('POST', '/domains/springfield.k12.us/verify')).body.status).toBe('verified');
  // Before SSO is configured, a sign-in is refused at the service provider.
  expect((await c.call('GET', '/w/default/sso/saml/login?email=ada%40springfield.k12.us', undefined, { Accept: 'application/json' })).status).toBeGreaterThanOrEqual(400);
  expect((await c.admin('PUT', '/sso', { protocol: 'saml', mockIdp: 'district' })).status).toBe(200);
  expect((await c.admin('POST', '/invites', { email: 'ada@springfield.k12.us', password: PASSWORD })).status).toBe(201);

  // Sign-ins: SSO allowed, SSO with a fault refused, password allowed, a wrong password refused.
  expect((await ssoSignIn(c, 'ada@springfield.k12.us')).status).toBe(302);
  const refused = await ssoSignIn(c, 'ada@springfield.k12.us', 'wrong_audience');
  expect(refused.status).toBeGreaterThanOrEqual(400);
  expect((await c.call('POST', '/w/default/login/password', { email: 'ada@springfield.k12.us', password: PASSWORD })).status).toBe(200);
  expect((await c.call('POST', '/w/default/login/password', { email: 'ada@springfield.k12.us', password: 'nope' })).status).toBeGreaterThanOrEqual(400);

  // The IdP provisions in its dialect; its directory changes; it provisions again.
  const token = await c.admin('POST', '/scim/tokens', { name: `${dialect} provisioning` });
  expect(token.status).toBe(201);
  const scimToken = token.body.token as string;
  const target = { baseUrl: 'http://localhost/w/default/scim/v2', token: scimToken };
  expect((await c.call('POST', '/idp/district/provision', { target, dialect }, { Authorization: `Bearer ${KEY}` })).status).toBe(200);
  expect((await c.call('POST', '/idp/district/users', { email: 'ivy@springfield.k12.us', givenName: 'Ivy', familyName: 'Ng', groups: ['Teachers'], password: IDP_PASSWORD })).status).toBe(201);
  expect((await c.call('PATCH', '/idp/district/users/tom%40springfield.k12.us', { provisioned: false })).status).toBe(200);
  expect((await c.call('POST', '/idp/district/provision', { target, dialect })).status).toBe(200);

  // Hand-sent SCIM: filters, a create, PATCH in both forms, a PUT, a delete, a group with members.
  const scim = (method: string, sub: string, body?: unknown, headers: Record<string, string> = {}) =>
    c.call(method, `/w/default/scim/v2${sub}`, body, { Authorization: `Bearer ${scimToken}`, ...(body !== undefined ? { 'Content-Type': 'application/scim+json' } : {}), ...headers });
  const USER = 'urn:ietf:params:scim:schemas:core:2.0:User';
  const PATCH = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';
  expect((await scim('GET', `/Users?filter=${encodeURIComponent('userName eq "tom@springfield.k12.us"')}`)).body.totalResults).toBe(1);
  expect((await scim('GET', `/Users?filter=${encodeURIComponent('active eq true')}&sortBy=userName`)).status).toBe(200);
  const zoe = await scim('POST', '/Users', { schemas: [USER], userName: 'zoe@springfield.k12.us', name: { givenName: 'Zoe', familyName: 'Park' }, emails: [{ value: 'zoe@springfield.k12.us', primary: true }], active: true });
  expect(zoe.status).toBe(201);
  const zoeId = zoe.body.id as string;
  expect((await scim('POST', '/Users', { schemas: [USER], userName: 'zoe@springfield.k12.us' })).status).toBe(409);
  expect((await scim('PATCH', `/Users/${zoeId}`, { schemas: [PATCH], Operations: [{ op: 'replace', path: 'name.givenName', value: 'Zoey' }] })).status).toBe(200);
  expect((await scim('PATCH', `/Users/${zoeId}`, { schemas: [PATCH], Operations: [{ op: 'replace', value: { active: false } }] }, { 'If-Match': zoe.headers.get('etag') ?? '*' })).status).toBeLessThan(500);
  const group = await scim('POST', '/Groups', { schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group'], displayName: 'Librarians' });
  expect(group.status).toBe(201);
  expect((await scim('PATCH', `/Groups/${group.body.id}`, { schemas: [PATCH], Operations: [{ op: 'add', path: 'members', value: [{ value: zoeId }] }] })).status).toBeLessThan(300);
  expect((await scim('GET', `/Groups?filter=${encodeURIComponent('displayName eq "Librarians"')}`)).body.totalResults).toBe(1);
  expect((await scim('DELETE', `/Users/${zoeId}`)).status).toBe(204);
  expect((await scim('GET', `/Users/${zoeId}`)).status).toBe(404);

  // Admin again: a role, a local group.
  const role = await c.admin('POST', '/roles', { name: 'GPT Publishers', permissions: { 'gpts.publish_workspace': true } });
  expect(role.status).toBe(201);
  // The Teachers group came from the provisioning run: its id is known only from a read.
  const teachers = (await c.admin('GET', '/groups')).body.groups.find((g: { displayName: string }) => g.displayName === 'Teachers');
  expect((await c.admin('PUT', `/roles/${role.body.id}/groups`, { groupIds: [teachers.id] })).status).toBe(200);
  expect((await c.admin('POST', '/groups', { displayName: 'Pilot' })).status).toBe(201);
  expect((await c.call('POST', '/_emulator/clock', { advance: '8d', workspace: 'default' }, { Authorization: `Bearer ${KEY}` })).status).toBe(200);

  const stopped = await c.admin('POST', `/recordings/${id}/stop`);
  expect(stopped.status).toBe(200);
  expect(stopped.body).toMatchObject({ id, active: false });
  expect(stopped.body.steps).toBeGreaterThan(20);
  const listed = await c.admin('GET', '/recordings');
  expect(listed.body.recordings.map((r: { id: string }) => r.id)).toEqual([id]);

  const file = await emulator.app.request(`http://localhost/w/default/api/recordings/${id}/scenario`, { headers: { Authorization: `Bearer ${KEY}` } });
  const yaml = await file.text();
  expect(file.status, yaml).toBe(200);
  expect(file.headers.get('Content-Type')).toMatch(/^text\/yaml/);
  return { yaml, secrets: [KEY, scimToken, PASSWORD, IDP_PASSWORD, refused.body?.SAMLResponse].filter((s): s is string => typeof s === 'string') };
}

async function replay(yaml: string, file = 'recorded.yaml') {
  const loaded = await loadScenarioText(yaml, file);
  expect(loaded.issues).toEqual([]);
  return runScenario(loaded.scenario!, { target: () => inProcessTarget(createEmulator({ adminKey: 'replay-key' })) });
}

describe('recording a rehearsal', () => {
  for (const dialect of ['entra', 'okta', 'generic'] as const) {
    it(`in the ${dialect} dialect validates and replays green on a fresh emulator, with no secret in the file`, async () => {
      const { yaml, secrets } = await rehearse(dialect);
      // Provenance header: version, the IdP's vendor, the user agent.
      expect(yaml).toMatch(/^# .*\n# Recorded by edu-workspace-emulator \d+\.\d+\.\d+ on \d{4}-/);
      expect(yaml).toContain(`vendor ${dialect}`);
      expect(yaml).toContain('district-rehearsal/1.0');
      for (const secret of secrets) expect(yaml).not.toContain(secret);
      expect(yaml).not.toMatch(/SAMLResponse|usr_[a-z0-9]{6}|Bearer /);
      const doc = parse(yaml);
      const names = doc.steps.map((s: Record<string, unknown>) => Object.keys(s).find((k) => !['expect', 'save', 'name', 'as'].includes(k)));
      expect(names).toEqual(expect.arrayContaining(['verify_domain', 'configure_sso', 'invite', 'sign_in', 'issue_scim_token', 'scim_sync', 'idp_add_user', 'idp_remove_user', 'request', 'create_role', 'create_group', 'map_group', 'advance_clock']));
      expect(doc.steps).toContainEqual({ sign_in: { user: 'ada@springfield.k12.us', method: 'sso', fault: 'wrong_audience' }, expect: { outcome: 'denied', reason: 'saml_audience_mismatch' } });
      expect(doc.steps[1]).toMatchObject({ sign_in: { user: 'ada@springfield.k12.us', method: 'sso' }, expect: { outcome: 'denied' } });
      expect(doc.steps).toContainEqual({ map_group: { group: 'Teachers', role: 'GPT Publishers', source: 'scim' } });

      const path = join(tmp, `recorded-${dialect}.yaml`);
      await writeFile(path, yaml);
      if (process.env.RECORDER_KEEP) await writeFile(join(process.env.RECORDER_KEEP, `recorded-${dialect}.yaml`), yaml);
      const write = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
      try {
        expect(await validateCommand([path])).toBe(0);
        // `edu-emulator run FILE`: a fresh emulator of its own.
        expect(await runCommand(['--reporter', 'json', '--out', join(tmp, `report-${dialect}.json`), path])).toBe(0);
      } finally {
        write.mockRestore();
      }
      const report = await replay(yaml, path);
      expect(report.steps.filter((s) => s.status !== 'passed'), JSON.stringify(report.steps.filter((s) => s.status !== 'passed'), null, 2)).toEqual([]);
      expect(report.status).toBe('passed');
    });
  }

  it('asserts what it saw: a changed answer fails the replay at that step', async () => {
    const { yaml } = await rehearse('generic');
    const doc = parse(yaml);
    const index = doc.steps.findIndex((s: any) => s.request?.method === 'DELETE');
    expect(doc.steps[index].expect.status).toBe(204);
    doc.steps[index].expect.status = 200;
    const { stringify } = await import('yaml');
    const report = await replay(stringify(doc));
    const failed = report.steps.filter((s) => s.status === 'failed');
    expect(failed).toHaveLength(1);
    expect(failed[0]!.index).toBe(index);
    expect(failed[0]!.diffs).toContainEqual({ path: 'status', expected: 200, actual: 204 });
  });
});

describe('the recording routes', () => {
  it('refuse a recording in which a random-looking value would survive, naming the step', async () => {
    const emulator = createEmulator({ adminKey: KEY });
    const c = client(emulator);
    const token = (await c.admin('POST', '/scim/tokens', { name: 'hand' })).body.token as string;
    const id = (await c.admin('POST', '/recordings', {})).body.id as string;
    const res = await c.call('POST', '/w/default/scim/v2/Users', { schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], userName: 'kim@springfield.k12.us', externalId: 'aK9fQ2xLmP7vR4tW8zYb3N' }, {
      Authorization: `Bearer ${token}`,
      'Content-Type': 'application/scim+json',
    });
    expect(res.status).toBe(201);
    await c.admin('POST', `/recordings/${id}/stop`);
    const refused = await c.admin('GET', `/recordings/${id}/scenario`);
    expect(refused.status).toBe(422);
    expect(refused.body.error.code).toBe('secret_in_recording');
    expect(refused.body.error.message).toContain('Step 1 (POST /scim/v2/Users)');
  });

  it('allow one recording at a time, and answer 404 for an unknown one', async () => {
    const emulator = createEmulator({ adminKey: KEY });
    const c = client(emulator);
    expect((await c.admin('POST', '/recordings')).status).toBe(201);
    const again = await c.admin('POST', '/recordings', { name: 'second' });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('recording_active');
    expect((await c.admin('GET', '/recordings/rec_nope/scenario')).body.error.code).toBe('recording_not_found');
  });

  it('refuse a bad start with its reason and start nothing', async () => {
    const emulator = createEmulator({ adminKey: KEY });
    const c = client(emulator);
    const bad = await c.admin('POST', '/recordings', { name: 5 });
    expect(bad.status).toBe(400);
    expect((await c.admin('POST', '/recordings', { idp: 'nope' })).body.error.code).toBe('idp_not_found');
    expect((await c.admin('GET', '/recordings')).body.recordings).toEqual([]);
    // An admin (not the owner) may not record: identity settings are the owner's.
    await c.admin('POST', '/invites', { email: 'ann@springfield.k12.us', role: 'admin' });
    const asAdmin = await c.call('POST', '/w/default/api/recordings', {}, { Authorization: `Bearer ${KEY}`, 'X-Emulator-Act-As': 'ann@springfield.k12.us' });
    expect(asAdmin.status).toBe(403);
  });
});
