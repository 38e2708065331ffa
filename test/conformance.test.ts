// The conformance report over real SCIM traffic (docs/conformance.md): each rule triggered and not,
// no `fail` for the mock IdP's dialects and the vendor fixtures under their profiles, lenient mode's
// tolerances as `warn`, JUnit output against the scenario reporter's XSD, and no secret anywhere.
import { readFileSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createEmulator } from '../src/app.js';
import { MAX_FINDINGS, addFindings } from '../src/conformance/findings.js';
import { DurableStore } from '../src/store/durable-store.js';
import { loadScenarioText } from '../src/scenario/load.js';
import { runScenario } from '../src/scenario/runner.js';
import { inProcessTarget } from '../src/scenario/target.js';
import { inProcess } from './support/in-process.js';
import { validateXml } from './support/xsd.js';

const XSD = readFileSync(new URL('../fixtures/junit/junit.xsd', import.meta.url), 'utf8');
const USER = 'urn:ietf:params:scim:schemas:core:2.0:User';
const GROUP = 'urn:ietf:params:scim:schemas:core:2.0:Group';
const PATCH = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';

function fixture(name: string, ids: Record<string, string> = {}): unknown {
  let text = readFileSync(new URL(`../fixtures/scim/${name}.json`, import.meta.url), 'utf8');
  for (const [placeholder, id] of Object.entries(ids)) text = text.split(placeholder).join(id);
  return JSON.parse(text);
}

async function session(opts: { lenient?: boolean } = {}) {
  const t = inProcess();
  const token = (await t.call('POST', '/w/default/api/scim/tokens', { name: 'idp' })).body.token as string;
  if (opts.lenient) expect((await t.call('PATCH', '/w/default/api/settings', { scimCompatibility: 'lenient' })).body.scimCompatibility).toBe('lenient');
  const scim = (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) =>
    t.call(method, `/w/default/scim/v2${path}`, body, { auth: token, headers });
  const report = async (query = '') => (await t.call('GET', `/w/default/api/conformance${query}`)).body;
  const rules = async (query = '') => ((await report(query)).findings as any[]).map((f) => `${f.rule}:${f.severity}`);
  const clear = async () => expect((await t.call('DELETE', '/w/default/api/conformance')).status).toBe(204);
  const user = async (userName: string, extra: Record<string, unknown> = {}) => {
    const res = await scim('POST', '/Users', { schemas: [USER], userName, emails: [{ value: userName, primary: true }], ...extra });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body.id as string;
  };
  const group = async (displayName: string, members: string[] = []) => {
    const res = await scim('POST', '/Groups', { schemas: [GROUP], displayName, members: members.map((value) => ({ value })) });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body.id as string;
  };
  return { ...t, token, scim, report, rules, clear, user, group };
}

const patch = (...ops: unknown[]) => ({ schemas: [PATCH], Operations: ops });

describe('each rule: a request that triggers it and one that does not', () => {
  type S = Awaited<ReturnType<typeof session>>;
  interface Case {
    rule: string;
    lenient?: boolean;
    severity: string;
    setup?: (s: S) => Promise<Record<string, string>>;
    trigger: (s: S, v: Record<string, string>) => Promise<unknown>;
    clean: (s: S, v: Record<string, string>) => Promise<unknown>;
  }
  const withUser = async (s: S) => ({ uid: await s.user('ada@example.edu') });
  const withGroup = async (s: S) => ({ uid: await s.user('ada@example.edu'), gid: await s.group('Teachers') });
  const CASES: Case[] = [
    { rule: 'scim.patch.op_case', severity: 'warn', setup: withUser, trigger: (s, v) => s.scim('PATCH', `/Users/${v.uid}`, patch({ op: 'Replace', path: 'displayName', value: 'Ada' })), clean: (s, v) => s.scim('PATCH', `/Users/${v.uid}`, patch({ op: 'replace', path: 'displayName', value: 'Ada' })) },
    { rule: 'scim.patch.boolean_string', severity: 'warn', setup: withUser, trigger: (s, v) => s.scim('PATCH', `/Users/${v.uid}`, patch({ op: 'replace', path: 'active', value: 'False' })), clean: (s, v) => s.scim('PATCH', `/Users/${v.uid}`, patch({ op: 'replace', path: 'active', value: false })) },
    { rule: 'scim.patch.pathless_replace', severity: 'info', setup: withUser, trigger: (s, v) => s.scim('PATCH', `/Users/${v.uid}`, patch({ op: 'replace', value: { displayName: 'Ada' } })), clean: (s, v) => s.scim('PATCH', `/Users/${v.uid}`, patch({ op: 'replace', path: 'displayName', value: 'Ada' })) },
    { rule: 'scim.user.full_replace', severity: 'info', setup: withUser, trigger: (s, v) => s.scim('PUT', `/Users/${v.uid}`, { schemas: [USER], userName: 'ada@example.edu', emails: [{ value: 'ada@example.edu', primary: true }] }), clean: (s, v) => s.scim('GET', `/Users/${v.uid}`) },
    { rule: 'scim.user.delete', severity: 'info', setup: withUser, trigger: (s, v) => s.scim('DELETE', `/Users/${v.uid}`), clean: (s, v) => s.scim('PATCH', `/Users/${v.uid}`, patch({ op: 'replace', path: 'active', value: false })) },
    {
      rule: 'scim.deprovision.no_effect',
      severity: 'fail',
      setup: withUser,
      // Deactivated and reactivated in one all-or-nothing PATCH: accepted, and the leaver stays active.
      trigger: (s, v) => s.scim('PATCH', `/Users/${v.uid}`, patch({ op: 'replace', path: 'active', value: false }, { op: 'replace', path: 'active', value: true })),
      clean: (s, v) => s.scim('PATCH', `/Users/${v.uid}`, patch({ op: 'replace', path: 'active', value: false })),
    },
    { rule: 'scim.query.value_path_attribute', severity: 'warn', setup: withUser, trigger: (s, v) => s.scim('GET', `/Users/${v.uid}?attributes=${encodeURIComponent('emails[type eq "work"]')}`), clean: (s, v) => s.scim('GET', `/Users/${v.uid}?attributes=emails`) },
    { rule: 'scim.filter.unquoted_value', severity: 'fail', trigger: (s) => s.scim('GET', `/Users?filter=${encodeURIComponent('userName eq ada@example.edu')}`), clean: (s) => s.scim('GET', `/Users?filter=${encodeURIComponent('userName eq "ada@example.edu"')}`) },
    { rule: 'scim.filter.invalid', severity: 'fail', trigger: (s) => s.scim('GET', `/Users?filter=${encodeURIComponent('userName eq "a" and')}`), clean: (s) => s.scim('GET', `/Users?filter=${encodeURIComponent('userName eq "a" and active eq true')}`) },
    { rule: 'scim.patch.invalid_path', severity: 'fail', setup: withUser, trigger: (s, v) => s.scim('PATCH', `/Users/${v.uid}`, patch({ op: 'replace', path: 'emails[type eq "work"', value: 'x' })), clean: (s, v) => s.scim('PATCH', `/Users/${v.uid}`, patch({ op: 'replace', path: 'emails[type eq "work"].value', value: 'ada@example.edu' })) },
    { rule: 'scim.request.invalid_syntax', severity: 'fail', setup: withUser, trigger: (s, v) => s.scim('PATCH', `/Users/${v.uid}`, { Operations: 'nope' }), clean: (s, v) => s.scim('PATCH', `/Users/${v.uid}`, patch({ op: 'add', path: 'title', value: 'Teacher' })) },
    { rule: 'scim.request.invalid_value', severity: 'fail', trigger: (s) => s.scim('POST', '/Users', { schemas: [USER], userName: '' }), clean: (s) => s.user('ada@example.edu') },
    { rule: 'scim.request.uniqueness', severity: 'fail', setup: withUser, trigger: (s) => s.scim('POST', '/Users', { schemas: [USER], userName: 'ada@example.edu' }), clean: (s) => s.user('bob@example.edu') },
    { rule: 'scim.request.precondition', severity: 'fail', setup: withUser, trigger: (s, v) => s.scim('PATCH', `/Users/${v.uid}`, patch({ op: 'add', path: 'title', value: 'x' }), { 'If-Match': 'W/"99"' }), clean: (s, v) => s.scim('PATCH', `/Users/${v.uid}`, patch({ op: 'add', path: 'title', value: 'x' }), { 'If-Match': 'W/"1"' }) },
    { rule: 'scim.request.media_type', severity: 'fail', trigger: (s) => s.scim('POST', '/Users', { schemas: [USER], userName: 'ada@example.edu' }, { 'Content-Type': 'text/plain' }), clean: (s) => s.user('ada@example.edu') },
    { rule: 'scim.request.too_large', severity: 'fail', trigger: (s) => s.scim('GET', `/Users?attributes=${Array.from({ length: 300 }, (_, i) => `a${i}`).join(',')}`), clean: (s) => s.scim('GET', '/Users?attributes=userName') },
    // A refusal no narrower rule names: a read-only attribute changed by PATCH (scimType mutability).
    { rule: 'scim.request.refused', severity: 'fail', setup: withUser, trigger: (s, v) => s.scim('PATCH', `/Users/${v.uid}`, patch({ op: 'replace', path: 'id', value: 'another-id' })), clean: (s, v) => s.scim('PATCH', `/Users/${v.uid}`, patch({ op: 'replace', path: 'displayName', value: 'Ada' })) },
    { rule: 'scim.auth.token', severity: 'fail', trigger: (s) => s.call('GET', '/w/default/scim/v2/Users', undefined, { auth: 'not-a-token' }), clean: (s) => s.scim('GET', '/Users') },
    { rule: 'scim.resource.not_found', severity: 'fail', trigger: (s) => s.scim('PATCH', '/Users/nobody', patch({ op: 'replace', path: 'active', value: false })), clean: (s) => s.scim('GET', '/Users/nobody') },
    { rule: 'scim.path.unknown', severity: 'fail', trigger: (s) => s.scim('GET', '/users'), clean: (s) => s.scim('GET', '/Users') },
    { rule: 'scim.path.case', lenient: true, severity: 'warn', trigger: (s) => s.scim('GET', '/users/'), clean: (s) => s.scim('GET', '/Users') },
    { rule: 'scim.discovery.alias', lenient: true, severity: 'warn', trigger: (s) => s.scim('GET', '/serviceConfiguration'), clean: (s) => s.scim('GET', '/ServiceProviderConfig') },
    { rule: 'scim.group.member_not_user', severity: 'fail', setup: withGroup, trigger: (s, v) => s.scim('PATCH', `/Groups/${v.gid}`, patch({ op: 'add', path: 'members', value: [{ value: 'stranger' }] })), clean: (s, v) => s.scim('PATCH', `/Groups/${v.gid}`, patch({ op: 'add', path: 'members', value: [{ value: v.uid }] })) },
    { rule: 'scim.user.email_shared', lenient: true, severity: 'warn', setup: withUser, trigger: (s) => s.scim('POST', '/Users', { schemas: [USER], userName: 'bob@example.edu', emails: [{ value: 'ada@example.edu', primary: true }] }), clean: (s) => s.user('carl@example.edu') },
    { rule: 'scim.patch.no_content', severity: 'warn', setup: withUser, trigger: (s, v) => s.scim('PATCH', `/Users/${v.uid}?attributes=`, patch({ op: 'add', path: 'title', value: 'x' })), clean: (s, v) => s.scim('PATCH', `/Users/${v.uid}`, patch({ op: 'add', path: 'title', value: 'x' })) },
  ];

  it.each(CASES)('$rule', async (c) => {
    const s = await session({ lenient: c.lenient ?? false });
    const v = c.setup ? await c.setup(s) : {};
    await s.clear();
    await c.clean(s, v);
    expect((await s.rules()).filter((r) => r.startsWith(`${c.rule}:`))).toEqual([]);
    await c.trigger(s, v);
    const found = (await s.report()).findings.filter((f: any) => f.rule === c.rule);
    expect(found.map((f: any) => f.severity), JSON.stringify(await s.report())).toEqual([c.severity]);
    expect(found[0]).toMatchObject({ clause: expect.stringMatching(/^RFC 764[34] §/), request: { id: expect.any(String), method: expect.any(String), path: expect.stringContaining('/w/default/scim/v2/') } });
  });

  it('explains every 4xx the IdP caused, with the impact on a deprovisioning request', async () => {
    const s = await session();
    await s.scim('PATCH', '/Users/gone', patch({ op: 'replace', path: 'active', value: false }));
    const [f] = (await s.report()).findings;
    expect(f).toMatchObject({ rule: 'scim.resource.not_found', severity: 'fail', outcome: 'refused', impact: 'the leaver stays active', request: { method: 'PATCH', path: '/w/default/scim/v2/Users/gone', status: 404 } });
  });
});

describe('no false positives', () => {
  async function dialectRun(vendor: string, dialect: 'entra' | 'okta' | 'generic') {
    const t = inProcess();
    const users = Array.from({ length: 4 }, (_, i) => ({ email: `u${i}@springfield.k12.us`, givenName: `G${i}`, familyName: `F${i}`, groups: [i % 2 ? 'Teachers' : 'Staff'] }));
    expect((await t.call('POST', '/_emulator/idps', { id: 'district', vendor, users })).status).toBe(201);
    const token = (await t.call('POST', '/w/default/api/scim/tokens', {})).body.token as string;
    const provision = async () => {
      const run = await t.call('POST', '/idp/district/provision', { target: { baseUrl: 'http://localhost/w/default/scim/v2', token }, dialect });
      expect(run.status, JSON.stringify(run.body)).toBe(200);
      expect(run.body.counts.failedRequests).toBe(0);
    };
    await provision();
    await t.call('PATCH', '/idp/district/users/u1@springfield.k12.us', { familyName: 'Changed' });
    await t.call('POST', '/idp/district/users/u2@springfield.k12.us/move', { from: 'Staff', to: 'Teachers' });
    await t.call('PATCH', '/idp/district/users/u3@springfield.k12.us', { provisioned: false });
    await provision();
    expect((await t.call('GET', '/w/default/api/users?email=u3@springfield.k12.us')).body.users[0].status).toBe('deactivated');
    return t;
  }

  it.each([
    { dialect: 'entra', vendor: 'entra', profile: 'entra', expected: ['scim.patch.boolean_string:known_quirk', 'scim.patch.op_case:known_quirk'] },
    { dialect: 'okta', vendor: 'okta', profile: 'okta-aiw', expected: ['scim.patch.pathless_replace:known_quirk', 'scim.user.full_replace:known_quirk'] },
    { dialect: 'generic', vendor: 'generic', profile: 'rfc', expected: [] },
    // ClassLink and Clever push SCIM in the generic dialect; Google Workspace is pulled, but its profile judges pushed traffic too.
    { dialect: 'generic', vendor: 'classlink', profile: 'classlink', expected: [] },
    { dialect: 'generic', vendor: 'clever', profile: 'clever', expected: [] },
    { dialect: 'generic', vendor: 'google', profile: 'google', expected: [] },
  ] as const)("the mock IdP's $dialect dialect under $profile", async ({ dialect, vendor, profile, expected }) => {
    const t = await dialectRun(vendor, dialect);
    const report = (await t.call('GET', `/w/default/api/conformance?profile=${profile}`)).body;
    expect(report.summary.fail, JSON.stringify(report.findings)).toBe(0);
    expect([...new Set(report.findings.map((f: any) => `${f.rule}:${f.severity}`))].sort()).toEqual(expected);
  });

  it('Entra (default): quirks known under entra, warnings under rfc, no fail', async () => {
    const s = await session();
    await s.scim('GET', `/Users?filter=${encodeURIComponent('userName eq "Test_User_ab6490ee-1e48-479e-a20b-2d77186b5dd1@testuser.com"')}`);
    const uid = (await s.scim('POST', '/Users', fixture('entra/user-create'))).body.id;
    await s.scim('GET', `/Groups?excludedAttributes=members&filter=${encodeURIComponent('displayName eq "displayName"')}`);
    const gid = (await s.scim('POST', '/Groups', fixture('entra/group-create'))).body.id;
    const ids = { f648f8d5ea4e4cd38e9c: uid };
    await s.scim('PATCH', `/Groups/${gid}`, fixture('entra/group-add-members', ids));
    for (const name of ['user-add-attributes', 'user-update-multi-valued', 'user-update-single-valued']) await s.scim('PATCH', `/Users/${uid}`, fixture(`entra/${name}`));
    await s.scim('PATCH', `/Groups/${gid}`, fixture('entra/group-update-display-name'));
    await s.scim('PATCH', `/Groups/${gid}`, fixture('entra/group-remove-members', ids));
    await s.scim('PATCH', `/Users/${uid}`, fixture('entra/user-disable'));
    const entra = await s.report('?profile=entra');
    expect(entra.summary).toEqual({ fail: 0, warn: 0, info: 0, known_quirk: 8 });
    expect(entra.findings.every((f: any) => f.source?.startsWith('https://learn.microsoft.com/'))).toBe(true);
    const rfc = await s.report('?profile=rfc');
    expect(rfc.summary).toEqual({ fail: 0, warn: 8, info: 0, known_quirk: 0 });
    expect([...new Set(rfc.findings.map((f: any) => f.rule))].sort()).toEqual(['scim.patch.boolean_string', 'scim.patch.op_case']);
  });

  it('Entra with aadOptscim062020: the delete a known quirk, a path-less replace for information', async () => {
    const s = await session();
    const flag = (p: string) => `${p}?aadOptscim062020`;
    const uid = (await s.scim('POST', flag('/Users'), fixture('entra-aadoptscim062020/user-create'))).body.id;
    const gid = (await s.scim('POST', flag('/Groups'), fixture('entra-aadoptscim062020/group-create'))).body.id;
    const ids = { '7f4bc1a3-285e-48ae-8202-5accb43efb0e': uid };
    await s.scim('PATCH', flag(`/Groups/${gid}`), fixture('entra-aadoptscim062020/group-add-member', ids));
    await s.scim('PATCH', flag(`/Users/${uid}`), fixture('entra-aadoptscim062020/user-multiple-attributes'));
    await s.scim('PATCH', flag(`/Groups/${gid}`), fixture('entra-aadoptscim062020/group-remove-member', ids));
    await s.scim('PATCH', flag(`/Users/${uid}`), fixture('entra-aadoptscim062020/user-disable'));
    await s.scim('DELETE', flag(`/Users/${uid}`));
    // Microsoft documents the path-less replace of several attributes for this flag: RFC 7644 allows it.
    expect(await s.rules('?profile=entra-aadoptscim062020')).toEqual(['scim.patch.pathless_replace:info', 'scim.user.delete:known_quirk']);
  });

  it('Okta AIW: full PUTs are a known quirk; Okta OIN: the path-less replace is', async () => {
    const s = await session();
    await s.scim('GET', `/Users?filter=${encodeURIComponent('userName eq "test.user@okta.local"')}&startIndex=1&count=100`);
    const uid = (await s.scim('POST', '/Users', fixture('okta/user-create'))).body.id;
    await s.scim('GET', `/Users/${uid}`);
    await s.scim('PUT', `/Users/${uid}`, fixture('okta/user-replace-deactivate', { '23a35c27-23d3-4c03-b4c5-6443c09e7173': uid }));
    expect(await s.rules('?profile=okta-aiw')).toEqual(['scim.user.full_replace:known_quirk']);
    expect(JSON.stringify(await s.report())).not.toContain('1mz050nq');

    const o = await session();
    const u1 = (await o.scim('POST', '/Users', fixture('okta/user-create'))).body.id;
    const u2 = (await o.scim('POST', '/Users', fixture('okta/user-create-second'))).body.id;
    const gid = (await o.scim('POST', '/Groups', fixture('okta/group-create'))).body.id;
    const ids = { 'abf4dd94-a4c0-4f67-89c9-76b03340cb9b': gid, '23a35c27-23d3-4c03-b4c5-6443c09e7173': u1, '89bb1940-b905-4575-9e7f-6f887cfb368e': u2 };
    for (const name of ['group-rename', 'group-replace-members', 'group-remove-member', 'group-add-members']) await o.scim('PATCH', `/Groups/${gid}`, fixture(`okta/${name}`, ids));
    await o.scim('PATCH', `/Users/${u2}`, fixture('okta/user-deactivate'));
    expect(await o.rules('?profile=okta-oin')).toEqual(['scim.patch.pathless_replace:known_quirk', 'scim.patch.pathless_replace:known_quirk']);
  });

  it('OneLogin and JumpCloud: nothing to report', async () => {
    const s = await session();
    const u1 = (await s.scim('POST', '/Users', fixture('onelogin/user-create'))).body.id;
    const u2 = (await s.scim('POST', '/Users', fixture('onelogin/user-create-second'))).body.id;
    const gid = (await s.scim('POST', '/Groups', fixture('onelogin/group-create'))).body.id;
    const ids = { '14c5f5a0-4c8f-4a8c-9f3e-1b2b3c4d5e6f': u1, '2a7b8c9d-0e1f-4a2b-8c3d-4e5f6a7b8c9d': u2 };
    await s.scim('PATCH', `/Groups/${gid}`, fixture('onelogin/group-add-members', ids));
    await s.scim('PATCH', `/Groups/${gid}`, fixture('onelogin/group-remove-members', ids));
    await s.scim('PATCH', `/Users/${u1}`, fixture('onelogin/user-replace-attributes', ids));
    expect(await s.rules('?profile=onelogin')).toEqual([]);

    const j = await session();
    const uid = (await j.scim('POST', '/Users', fixture('jumpcloud/user-create'))).body.id;
    const jg = (await j.scim('POST', '/Groups', fixture('jumpcloud/group-create'))).body.id;
    const jids = { '5f1b2c3d4e5f6a7b8c9d0e1f': uid };
    await j.scim('PATCH', `/Groups/${jg}`, fixture('jumpcloud/group-add-members', jids));
    await j.scim('PATCH', `/Groups/${jg}`, fixture('jumpcloud/group-remove-member', jids));
    await j.scim('PATCH', `/Users/${uid}`, fixture('jumpcloud/user-deactivate'));
    expect(await j.rules('?profile=jumpcloud')).toEqual([]);
  });
});

describe('lenient SCIM compatibility', () => {
  // The flow RFC 7644 validators run, in the forms real clients send.
  async function validatorFlow(s: Awaited<ReturnType<typeof session>>) {
    const statuses: Record<string, number> = {};
    const created = await s.scim('POST', '/users', { schemas: [USER], userName: 'Olivia@example.edu', emails: [{ value: 'olivia@example.edu', type: 'work' }] });
    statuses.create = created.status;
    const uid = created.body?.id ?? 'x';
    await s.scim('POST', '/Users/', { schemas: [USER], userName: 'otto@example.edu' });
    statuses.shared = (await s.scim('POST', '/Users', { schemas: [USER], userName: 'oscar@example.edu', emails: [{ value: 'olivia@example.edu', primary: true }] })).status;
    const filtered = await s.scim('GET', `/Users?filter=${encodeURIComponent('userName sw O')}`);
    statuses.filter = filtered.status;
    statuses.filterCount = filtered.body?.totalResults ?? -1;
    const dated = await s.scim('GET', `/Users?filter=${encodeURIComponent('meta.created gt 2015-10-10T14:38:21Z')}&startIndex=2&count=1`);
    statuses.paginate = dated.status;
    statuses.page = dated.body?.itemsPerPage ?? -1;
    statuses.valuePath = (await s.scim('GET', `/Users/${uid}?attributes=${encodeURIComponent('emails[type eq "work"]')}`)).body?.emails?.length ?? 0;
    statuses.patchUser = (await s.scim('PATCH', `/users/${uid}?attributes=`, patch({ op: 'replace', path: 'displayName', value: 'Olivia' }))).status;
    const gid = (await s.scim('POST', '/groups', { schemas: [GROUP], displayName: 'Validators', members: [{ value: uid }, { value: 'not-a-user' }] })).body?.id ?? 'x';
    statuses.patchGroup = (await s.scim('PATCH', `/Groups/${gid}`, patch({ op: 'add', path: 'members', value: [{ value: 'another-stranger' }] }))).status;
    statuses.config = (await s.scim('GET', '/serviceConfiguration')).status;
    statuses.deleteGroup = (await s.scim('DELETE', `/Groups/${gid}/`)).status;
    statuses.delete = (await s.scim('DELETE', `/Users/${uid}`)).status;
    return statuses;
  }

  it('passes the validator flow and reports each tolerance as a warn', async () => {
    const s = await session({ lenient: true });
    expect(await validatorFlow(s)).toEqual({ create: 201, shared: 201, filter: 200, filterCount: 3, paginate: 200, page: 1, valuePath: 1, patchUser: 204, patchGroup: 200, config: 200, deleteGroup: 204, delete: 204 });
    const report = await s.report();
    expect(report.summary.fail).toBe(0);
    const warned = new Set(report.findings.filter((f: any) => f.severity === 'warn').map((f: any) => f.rule));
    expect([...warned].sort()).toEqual(
      ['scim.discovery.alias', 'scim.filter.unquoted_value', 'scim.group.member_not_user', 'scim.patch.no_content', 'scim.path.case', 'scim.query.value_path_attribute', 'scim.user.email_shared'].sort(),
    );
    const members = (await s.call('GET', '/w/default/api/users')).body.users.map((u: any) => u.email).sort();
    expect(members).toEqual(['olivia@example.edu', 'oscar@example.edu', 'otto@example.edu']);
    expect(report.findings.filter((f: any) => f.rule === 'scim.filter.unquoted_value').map((f: any) => f.message)).toEqual([
      'The filter\'s bare value "O" was read as a string.',
      'The filter\'s bare value "2015-10-10T14:38:21Z" was read as a string.',
    ]);
    expect(report.findings.every((f: any) => f.outcome !== 'refused')).toBe(true);
  });

  it('strict keeps refusing the same requests, each refusal a fail', async () => {
    const s = await session();
    const statuses = await validatorFlow(s);
    expect(statuses).toMatchObject({ create: 404, filter: 400, paginate: 400, config: 404 });
    const failed = new Set((await s.report()).findings.filter((f: any) => f.severity === 'fail').map((f: any) => f.rule));
    expect(failed).toEqual(new Set(['scim.path.unknown', 'scim.filter.unquoted_value', 'scim.resource.not_found']));
    // Two Users sharing one email: strict refuses the second.
    await s.user('pat@example.edu');
    const second = await s.scim('POST', '/Users', { schemas: [USER], userName: 'pat2@example.edu', emails: [{ value: 'pat@example.edu', primary: true }] });
    expect(second.status).toBe(409);
    expect((await s.report()).findings.at(-1)).toMatchObject({ rule: 'scim.request.uniqueness', severity: 'fail', impact: 'the user or group is not provisioned' });
  });

  it('is a setting, strict by default, refused when unknown', async () => {
    const t = inProcess();
    expect((await t.call('GET', '/w/default/api/settings')).body.scimCompatibility).toBe('strict');
    const bad = await t.call('PATCH', '/w/default/api/settings', { scimCompatibility: 'loose' });
    expect(bad.status).toBe(400);
    expect((await t.call('PATCH', '/w/default/api/settings', { scimCompatibility: 'lenient' })).body.scimCompatibility).toBe('lenient');
    expect((await t.state()).workspaces.default.settings.scimCompatibility).toBe('lenient');
  });
});

describe('the report', () => {
  it('writes JUnit XML the scenario reporter XSD accepts, a failure per failed rule', async () => {
    const s = await session();
    await s.scim('GET', `/Users?filter=${encodeURIComponent('userName eq ada')}`);
    await s.scim('GET', '/users');
    await s.scim('GET', '/users');
    const res = await s.emulator.app.request('/w/default/api/conformance?format=junit', { headers: { Authorization: `Bearer ${s.emulator.adminKey}` } });
    expect(res.headers.get('Content-Type')).toContain('application/xml');
    const xml = await res.text();
    expect(validateXml(xml, XSD)).toEqual([]);
    expect(xml).toContain('failures="2"');
    expect(xml.match(/<failure /g)).toHaveLength(2);
    expect(xml).toContain('message="2 failed findings');
    expect(xml).toContain('<testcase name="scim.patch.op_case" classname="conformance.scim" time="0"/>');
  });

  it('is a page for people, filters by time, clears, and refuses an unknown profile or format', async () => {
    const s = await session();
    await s.scim('GET', '/users');
    const page = await s.emulator.app.request('/w/default/api/conformance?format=html', { headers: { Authorization: `Bearer ${s.emulator.adminKey}` } });
    expect(page.headers.get('Content-Type')).toContain('text/html');
    expect(await page.text()).toContain('scim.path.unknown');
    expect((await s.report('?since=2999-01-01T00:00:00Z')).findings).toEqual([]);
    expect((await s.report('?since=2000-01-01T00:00:00Z')).findings).toHaveLength(1);
    for (const q of ['?profile=azure', '?format=pdf', '?since=yesterday']) expect((await s.call('GET', `/w/default/api/conformance${q}`)).status).toBe(400);
    await s.clear();
    expect((await s.report()).summary).toEqual({ fail: 0, warn: 0, info: 0, known_quirk: 0 });
  });

  it('never holds a secret: no token, no password', async () => {
    const s = await session();
    const password = 'Sup3r-Secret-Pw!';
    const uid = await s.user('ada@example.edu', { password });
    await s.scim('POST', '/Users', { schemas: [USER], userName: 'ada@example.edu', password });
    await s.scim('PATCH', `/Users/${uid}`, patch({ op: 'Replace', path: 'password', value: password }));
    await s.scim('GET', `/Users?filter=${encodeURIComponent(`password eq ${password}`)}`);
    await s.call('GET', '/w/default/scim/v2/Users', undefined, { auth: s.emulator.adminKey });
    for (const format of ['json', 'html', 'junit']) {
      const res = await s.emulator.app.request(`/w/default/api/conformance?format=${format}`, { headers: { Authorization: `Bearer ${s.emulator.adminKey}` } });
      const text = await res.text();
      expect(text.length).toBeGreaterThan(100);
      for (const secret of [password, s.token, s.emulator.adminKey]) expect(text).not.toContain(secret);
    }
    expect(JSON.stringify(s.emulator.core.state.workspaces.default!.conformance)).not.toContain(password);
  });

  it('is saved with the state (a restart keeps it), bounded, and left out of an export', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'edu-emulator-conformance-'));
    const file = join(dir, 'state.json');
    const store = new DurableStore(file);
    const first = createEmulator({ adminKey: 'conformance-key-1', store, state: await store.load() });
    const token = (await (await first.app.request('/w/default/api/scim/tokens', { method: 'POST', headers: { Authorization: 'Bearer conformance-key-1', 'Content-Type': 'application/json' }, body: '{}' })).json()).token;
    expect((await first.app.request('/w/default/scim/v2/users', { headers: { Authorization: `Bearer ${token}` } })).status).toBe(404);
    const exported = await (await first.app.request('/_emulator/state', { headers: { Authorization: 'Bearer conformance-key-1' } })).json();
    expect(exported.workspaces.default).not.toHaveProperty('conformance');
    await first.close();

    const reopened = new DurableStore(file);
    const second = createEmulator({ adminKey: 'conformance-key-2', store: reopened, state: await reopened.load() });
    const report = await (await second.app.request('/w/default/api/conformance', { headers: { Authorization: 'Bearer conformance-key-2' } })).json();
    expect(report.findings.map((f: any) => f.rule)).toEqual(['scim.path.unknown']);

    // Newest 10,000 per workspace: the oldest fall out one by one.
    const ws = second.core.state.workspaces.default!;
    const one = { rule: 'scim.path.unknown', outcome: 'refused' as const, message: 'm', request: { method: 'GET', path: '/x', at: new Date().toISOString(), status: 404 } };
    for (let i = 0; i < MAX_FINDINGS + 5; i++) addFindings(ws, [one]);
    expect(Object.keys(ws.conformance.findings)).toHaveLength(MAX_FINDINGS);
    expect(Object.keys(ws.conformance.findings)[0]).toBe(`f${ws.conformance.seq - MAX_FINDINGS + 1}`);
    await second.close();

    // A state saved before conformance existed loads with none and strict SCIM.
    delete exported.workspaces.default.settings.scimCompatibility;
    const t = inProcess();
    expect((await t.call('PUT', '/_emulator/state', exported)).status).toBe(200);
    expect((await t.call('GET', '/w/default/api/conformance')).body.findings).toEqual([]);
    expect((await t.call('GET', '/w/default/api/settings')).body.scimCompatibility).toBe('strict');
  });
});

describe('the scenario step expect_conformance', () => {
  const scenario = (expectation: string) => `name: Okta conformance
idp:
  vendor: okta
  protocol: saml
  users:
    - { email: maria@lakeside.k12.mn.us, givenName: Maria, familyName: Garcia, groups: [Staff] }
steps:
  - settings: { scimCompatibility: strict }
  - issue_scim_token: { save: token }
  - scim_sync: { dialect: okta }
  - idp_remove_user: maria@lakeside.k12.mn.us
  - scim_sync: {}
  - expect_conformance: { profile: okta-aiw, fail: 0 }
  - request:
      method: GET
      path: '/scim/v2/Users?filter=userName eq maria@lakeside.k12.mn.us'
      headers: { Authorization: 'Bearer \${token}' }
      auth: none
    expect: { status: 400 }
  - expect_conformance: ${expectation}
`;
  async function run(expectation: string) {
    const { scenario: loaded, issues } = await loadScenarioText(scenario(expectation), 'conformance.yaml');
    expect(issues).toEqual([]);
    return runScenario(loaded!, { target: () => inProcessTarget(createEmulator()) });
  }

  it('passes when the counts match, and names the findings behind a count that does not', async () => {
    const passed = await run('{ profile: okta-aiw, fail: 1, known_quirk: 2 }');
    expect(passed.status, JSON.stringify(passed.steps.filter((s) => s.status === 'failed'))).toBe('passed');
    const failed = await run('{ profile: okta-aiw, fail: 0 }');
    expect(failed.status).toBe('failed');
    const step = failed.steps.at(-1)!;
    expect(JSON.stringify(step)).toContain('scim.filter.unquoted_value');
  });
});

describe('SAML and OpenID Connect rules', () => {
  async function ssoEnv(protocol: 'saml' | 'oidc', more: Record<string, unknown> = {}) {
    const t = inProcess();
    const users = [{ email: 'ada@springfield.k12.us', givenName: 'Ada' }];
    expect((await t.call('POST', '/_emulator/idps', { id: 'district', vendor: protocol === 'saml' ? 'entra' : 'clever', users })).status).toBe(201);
    expect((await t.call('PUT', '/w/default/api/sso', { protocol, mockIdp: 'district', ...more })).status).toBe(200);
    const { app } = t.emulator;
    const signIn = async (fault?: string) => {
      if (fault) expect((await t.call('PUT', '/idp/district/faults', { next: fault })).status).toBe(200);
      const login = await app.request('/w/default/sso/' + protocol + '/login?email=ada@springfield.k12.us');
      expect(login.status).toBe(302);
      if (protocol === 'saml') {
        const issued = await app.request(login.headers.get('Location')!, { headers: { Accept: 'application/json' } });
        const answer = (await issued.json()) as { acsUrl: string; SAMLResponse: string };
        const res = await app.request(answer.acsUrl, {
          method: 'POST',
          headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' },
          body: new URLSearchParams({ SAMLResponse: answer.SAMLResponse }),
        });
        return { status: res.status, secret: answer.SAMLResponse };
      }
      const authorize = new URL(login.headers.get('Location')!);
      authorize.searchParams.set('auto_approve', 'true');
      const code = await app.request(authorize.href);
      const callback = code.headers.get('Location')!;
      const res = await app.request(callback, { headers: { Accept: 'application/json' } });
      return { status: res.status, secret: new URL(callback).searchParams.get('code') ?? '' };
    };
    const rules = async (profile = 'rfc') => ((await t.call('GET', `/w/default/api/conformance?profile=${profile}`)).body.findings as any[]).map((f) => `${f.rule}:${f.severity}`);
    return { ...t, signIn, rules };
  }

  it('saml.signature.sha1: refused when SHA-1 is not allowed, a warn when it is; nothing for SHA-256', async () => {
    const env = await ssoEnv('saml');
    await env.signIn();
    expect(await env.rules()).toEqual([]);
    const refused = await env.signIn('sha1');
    expect(refused.status).toBe(400);
    expect(await env.rules()).toEqual(['saml.signature.sha1:fail']);
    const allowing = await ssoEnv('saml', { allowSha1: true });
    // Past every SAML check (the sign-in policy then refuses a stranger: not the IdP's doing).
    await allowing.signIn('sha1');
    const events = (await allowing.call('GET', '/w/default/api/events?type=signin.denied')).body.events;
    expect(events.at(-1)?.detail.reason ?? '').not.toMatch(/^saml_/);
    expect(await allowing.rules()).toEqual(['saml.signature.sha1:warn']);
    const text = JSON.stringify((await env.call('GET', '/w/default/api/conformance')).body);
    expect(text).not.toContain(refused.secret.slice(0, 40));
    expect(text).not.toContain('SignatureValue');
  });

  it('saml.response.refused: each refused response, with its reason', async () => {
    const env = await ssoEnv('saml');
    expect((await env.signIn('wrong_audience')).status).toBe(400);
    const [f] = (await env.call('GET', '/w/default/api/conformance')).body.findings;
    expect(f).toMatchObject({ rule: 'saml.response.refused', severity: 'fail', clause: 'SAML 2.0 Profiles §4.1.4.3', message: expect.stringContaining('saml_audience_mismatch'), request: { method: 'POST', path: '/w/default/sso/saml/acs' } });
  });

  it('oidc.id_token.nonce_missing and oidc.response.refused; nothing for a good sign-in', async () => {
    const env = await ssoEnv('oidc');
    await env.signIn();
    expect(await env.rules()).toEqual([]);
    const nonce = await env.signIn('nonce_mismatch');
    const audience = await env.signIn('wrong_audience');
    expect(await env.rules()).toEqual(['oidc.id_token.nonce_missing:fail', 'oidc.response.refused:fail']);
    const findings = (await env.call('GET', '/w/default/api/conformance')).body.findings;
    // Never a secret: neither authorization code appears, nor any ID token (a JWT starts "eyJ").
    const text = JSON.stringify(findings);
    for (const code of [nonce.secret, audience.secret]) expect(code.length > 0 && !text.includes(code)).toBe(true);
    expect(text).not.toContain('eyJ');
    expect(findings[0].message).toContain("another sign-in's nonce");
    expect(findings[0].clause).toBe('OpenID Connect Core §3.1.3.7');
  });
});
