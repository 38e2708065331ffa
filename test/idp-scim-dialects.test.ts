// Pins the exact SCIM request sequences the mock IdP's provisioning client sends in each vendor
// dialect (Entra, Okta, RFC 7644), recorded at a stand-in SCIM server on another origin.
import { describe, expect, it } from 'vitest';
import { inProcess } from './support/in-process.js';

const BASE = 'https://scim.example.test/scim/v2';

interface Recorded {
  method: string;
  path: string;
  body?: any;
  headers: Record<string, string>;
}

function headersOf(init: HeadersInit | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  new Headers(init).forEach((value, name) => {
    out[name] = value;
  });
  return out;
}

/** A small SCIM server that records every request and answers as RFC 7644 says. */
function recordingScim() {
  const log: Recorded[] = [];
  const users = new Map<string, any>();
  const groups = new Map<string, any>();
  let seq = 0;
  const json = (status: number, body?: unknown) =>
    new Response(body === undefined ? null : JSON.stringify(body), { status, headers: { 'Content-Type': 'application/scim+json' } });
  const list = (items: any[]) => json(200, { schemas: ['urn:ietf:params:scim:api:messages:2.0:ListResponse'], totalResults: items.length, Resources: items });
  const fetch = async (url: string, init?: RequestInit) => {
    const u = new URL(url);
    const path = decodeURIComponent(u.pathname.slice(new URL(BASE).pathname.length)) + (u.search ? `?${decodeURIComponent(u.search.slice(1))}` : '');
    const body = init?.body ? JSON.parse(String(init.body)) : undefined;
    log.push({ method: init?.method ?? 'GET', path, ...(body ? { body } : {}), headers: headersOf(init?.headers) });
    const method = init?.method ?? 'GET';
    const [, kind, id] = u.pathname.slice(new URL(BASE).pathname.length).split('/');
    const store = kind === 'Users' ? users : groups;
    if (method === 'GET' && !id) {
      const m = /(userName|displayName) eq "([^"]*)"/.exec(u.searchParams.get('filter') ?? '');
      const key = kind === 'Users' ? 'userName' : 'displayName';
      return list([...store.values()].filter((r) => !m || String(r[key]).toLowerCase() === m[2]!.toLowerCase()));
    }
    if (method === 'POST') {
      const created = { ...body, id: `${kind === 'Users' ? 'u' : 'g'}${++seq}` };
      store.set(created.id, created);
      return json(201, created);
    }
    const resource = store.get(id!);
    if (!resource) return json(404, { schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'], status: '404', detail: 'not found' });
    if (method === 'GET') return json(200, resource);
    if (method === 'PUT') {
      store.set(id!, { ...body, id });
      return json(200, store.get(id!));
    }
    if (method === 'DELETE') {
      store.delete(id!);
      return json(204);
    }
    return json(200, resource);
  };
  return { log, fetch, users, groups };
}

async function district(vendor: string, scim = recordingScim()) {
  const env = inProcess({ fetch: scim.fetch });
  const created = await env.call('POST', '/_emulator/idps', {
    id: 'district',
    vendor,
    users: [
      { email: 'ada@springfield.k12.us', givenName: 'Ada', familyName: 'Admin', groups: ['Staff'] },
      { email: 'tom@springfield.k12.us', givenName: 'Tom', familyName: 'Lee', groups: ['Teachers'] },
    ],
  });
  expect(created.status).toBe(201);
  const provision = async (body: Record<string, unknown> = { target: { baseUrl: BASE, token: 'scim-token' } }) => {
    const before = scim.log.length;
    const res = await env.call('POST', '/idp/district/provision', body);
    expect(res.status).toBe(200);
    return { report: res.body, sent: scim.log.slice(before) };
  };
  return { ...env, scim, provision };
}

const lines = (sent: Recorded[]) => sent.map((r) => `${r.method} ${r.path}`);
const PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';

describe('Entra dialect', () => {
  it('looks each user up, creates them, creates groups empty and then adds members', async () => {
    const { provision } = await district('entra');
    const { report, sent } = await provision();
    expect(lines(sent)).toEqual([
      'GET /Users?filter=userName eq "ada@springfield.k12.us"',
      'POST /Users',
      'GET /Users?filter=userName eq "tom@springfield.k12.us"',
      'POST /Users',
      'GET /Groups?filter=displayName eq "Staff"&excludedAttributes=members',
      'POST /Groups',
      'PATCH /Groups/g3',
      'GET /Groups?filter=displayName eq "Teachers"&excludedAttributes=members',
      'POST /Groups',
      'PATCH /Groups/g4',
    ]);
    expect(sent[1]!.body).toEqual({
      schemas: ['urn:ietf:params:scim:schemas:core:2.0:User', 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User'],
      externalId: 'ada',
      userName: 'ada@springfield.k12.us',
      active: true,
      emails: [{ primary: true, type: 'work', value: 'ada@springfield.k12.us' }],
      meta: { resourceType: 'User' },
      name: { formatted: 'Ada Admin', familyName: 'Admin', givenName: 'Ada' },
      roles: [],
    });
    expect(sent[5]!.body).toMatchObject({
      schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group', 'http://schemas.microsoft.com/2006/11/ResourceManagement/ADSCIM/2.0/Group'],
      displayName: 'Staff',
      meta: { resourceType: 'Group' },
    });
    expect(sent[5]!.body.members).toBeUndefined();
    expect(sent[6]!.body).toEqual({ schemas: [PATCH_OP], Operations: [{ op: 'Add', path: 'members', value: [{ $ref: null, value: 'u1' }] }] });
    expect(sent[0]!.headers).toMatchObject({ authorization: 'Bearer scim-token', accept: 'application/scim+json' });
    expect(sent[1]!.headers['content-type']).toBe('application/scim+json');
    expect(report.counts).toMatchObject({ requests: 10, failedRequests: 0, users: { created: 2 }, groups: { created: 2 }, members: { added: 2 } });
    expect(report.requests[0]).toEqual({ method: 'GET', path: '/Users?filter=userName eq "ada@springfield.k12.us"', status: 200 });
  });

  it('sends nothing when nothing changed, PATCHes Replace on a change, and moves members with Add and legacy Remove', async () => {
    const { provision, call } = await district('entra');
    await provision();
    expect((await provision()).sent).toEqual([]);
    await call('PATCH', '/idp/district/users/tom@springfield.k12.us', { familyName: 'Lee-Smith' });
    await call('POST', '/idp/district/users/tom@springfield.k12.us/move', { from: 'Teachers', to: 'Staff' });
    const { sent, report } = await provision();
    expect(lines(sent)).toEqual(['PATCH /Users/u2', 'PATCH /Groups/g3', 'PATCH /Groups/g4']);
    expect(sent[0]!.body).toEqual({
      schemas: [PATCH_OP],
      Operations: [
        { op: 'Replace', path: 'name.familyName', value: 'Lee-Smith' },
        { op: 'Replace', path: 'name.formatted', value: 'Tom Lee-Smith' },
      ],
    });
    expect(sent[1]!.body.Operations).toEqual([{ op: 'Add', path: 'members', value: [{ $ref: null, value: 'u2' }] }]);
    expect(sent[2]!.body.Operations).toEqual([{ op: 'Remove', path: 'members', value: [{ $ref: null, value: 'u2' }] }]);
    expect(report.counts.members).toEqual({ added: 1, removed: 1 });
  });

  it('disables a user taken out of scope with Replace active "False", and enables them again with "True"', async () => {
    const { provision, call } = await district('entra');
    await provision();
    await call('PATCH', '/idp/district/users/tom@springfield.k12.us', { provisioned: false });
    const off = await provision();
    expect(lines(off.sent)).toEqual(['PATCH /Users/u2']);
    expect(off.sent[0]!.body).toEqual({ schemas: [PATCH_OP], Operations: [{ op: 'Replace', path: 'active', value: 'False' }] });
    expect(off.report.counts.users.deactivated).toBe(1);
    await call('PATCH', '/idp/district/users/tom@springfield.k12.us', { provisioned: true });
    const on = await provision();
    expect(on.sent.map((r) => r.body.Operations)).toEqual([[{ op: 'Replace', path: 'active', value: 'True' }]]);
  });

  it('soft-deletes a user deleted from the directory (disabled, after removal from groups)', async () => {
    const { provision, call } = await district('entra');
    await provision();
    expect((await call('DELETE', '/idp/district/users/tom@springfield.k12.us')).status).toBe(204);
    const { sent } = await provision();
    expect(lines(sent)).toEqual(['PATCH /Groups/g4', 'PATCH /Users/u2']);
    expect(sent[0]!.body.Operations[0].op).toBe('Remove');
    expect(sent[1]!.body.Operations).toEqual([{ op: 'Replace', path: 'active', value: 'False' }]);
    expect((await provision()).sent).toEqual([]);
  });

  it('links a user that already exists at the target instead of creating a second one', async () => {
    const scim = recordingScim();
    scim.users.set('pre1', { id: 'pre1', userName: 'ada@springfield.k12.us', name: { givenName: 'Ada', familyName: 'Old' }, emails: [{ value: 'ada@springfield.k12.us', primary: true }], active: true });
    const { provision } = await district('entra', scim);
    const { sent, report } = await provision();
    expect(lines(sent).slice(0, 2)).toEqual(['GET /Users?filter=userName eq "ada@springfield.k12.us"', 'PATCH /Users/pre1']);
    expect(sent[1]!.body.Operations).toEqual([
      { op: 'Replace', path: 'name.familyName', value: 'Admin' },
      { op: 'Replace', path: 'name.formatted', value: 'Ada Admin' },
    ]);
    expect(report.counts.users).toMatchObject({ linked: 1, created: 1 });
  });
});

describe('Okta dialect', () => {
  it('looks up with startIndex and count, POSTs users, pushes groups with replace {id, displayName} and replace members', async () => {
    const { provision } = await district('okta');
    const { sent } = await provision();
    expect(lines(sent)).toEqual([
      'GET /Users?filter=userName eq "ada@springfield.k12.us"&startIndex=1&count=100',
      'POST /Users',
      'GET /Users?filter=userName eq "tom@springfield.k12.us"&startIndex=1&count=100',
      'POST /Users',
      'POST /Groups',
      'PATCH /Groups/g3',
      'POST /Groups',
      'PATCH /Groups/g4',
    ]);
    expect(sent[1]!.body).toEqual({
      schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
      userName: 'ada@springfield.k12.us',
      name: { givenName: 'Ada', familyName: 'Admin' },
      emails: [{ primary: true, value: 'ada@springfield.k12.us', type: 'work' }],
      displayName: 'Ada Admin',
      locale: 'en-US',
      externalId: expect.any(String),
      groups: [],
      active: true,
    });
    expect(sent[4]!.body).toEqual({ schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group'], displayName: 'Staff', members: [] });
    expect(sent[5]!.body).toEqual({
      schemas: [PATCH_OP],
      Operations: [
        { op: 'replace', value: { id: 'g3', displayName: 'Staff' } },
        { op: 'replace', path: 'members', value: [{ value: 'u1', display: 'ada@springfield.k12.us' }] },
      ],
    });
    expect(sent[1]!.headers['content-type']).toBe('application/scim+json; charset=utf-8');
  });

  it('updates with GET then a full PUT, deprovisions with a PUT of active false, and moves members with add/remove', async () => {
    const { provision, call } = await district('okta');
    await provision();
    await call('PATCH', '/idp/district/users/ada@springfield.k12.us', { givenName: 'Adaline' });
    const changed = await provision();
    expect(lines(changed.sent)).toEqual(['GET /Users/u1', 'PUT /Users/u1']);
    expect(changed.sent[1]!.body).toMatchObject({ id: 'u1', name: { givenName: 'Adaline', familyName: 'Admin' }, active: true, meta: { resourceType: 'User' } });

    await call('PATCH', '/idp/district/users/tom@springfield.k12.us', { provisioned: false });
    await call('POST', '/idp/district/users/ada@springfield.k12.us/move', { from: 'Staff', to: 'Teachers' });
    const moved = await provision();
    expect(lines(moved.sent)).toEqual(['PATCH /Groups/g3', 'PATCH /Groups/g4', 'GET /Users/u2', 'PUT /Users/u2']);
    expect(moved.sent[0]!.body.Operations).toEqual([{ op: 'remove', path: 'members[value eq "u1"]' }]);
    expect(moved.sent[1]!.body.Operations).toEqual([{ op: 'add', path: 'members', value: [{ value: 'u1', display: 'ada@springfield.k12.us' }] }]);
    expect(moved.sent[3]!.body).toMatchObject({ id: 'u2', userName: 'tom@springfield.k12.us', active: false });
    expect(moved.report.counts.users.deactivated).toBe(1);
  });
});

describe('generic RFC 7644 dialect', () => {
  it('creates groups with members, PATCHes lower-case ops with real booleans, and DELETEs deleted users', async () => {
    const { provision, call } = await district('clever');
    const first = await provision();
    expect(first.report.dialect).toBe('generic');
    expect(lines(first.sent)).toEqual([
      'GET /Users?filter=userName eq "ada@springfield.k12.us"',
      'POST /Users',
      'GET /Users?filter=userName eq "tom@springfield.k12.us"',
      'POST /Users',
      'GET /Groups?filter=displayName eq "Staff"',
      'POST /Groups',
      'GET /Groups?filter=displayName eq "Teachers"',
      'POST /Groups',
    ]);
    expect(first.sent[5]!.body.members).toEqual([{ value: 'u1', display: 'ada@springfield.k12.us' }]);
    await call('PATCH', '/idp/district/users/ada@springfield.k12.us', { provisioned: false });
    await call('DELETE', '/idp/district/users/tom@springfield.k12.us');
    const second = await provision();
    expect(lines(second.sent)).toEqual(['PATCH /Groups/g4', 'PATCH /Users/u1', 'DELETE /Users/u2']);
    expect(second.sent[0]!.body.Operations).toEqual([{ op: 'remove', path: 'members[value eq "u2"]' }]);
    expect(second.sent[1]!.body.Operations).toEqual([{ op: 'replace', path: 'active', value: false }]);
    expect(second.report.counts.users).toMatchObject({ deactivated: 1, deleted: 1 });
  });

  it('speaks another dialect when asked, and reuses the remembered target', async () => {
    const { provision } = await district('entra');
    const { report } = await provision({ target: { baseUrl: BASE, token: 'scim-token' }, dialect: 'generic' });
    expect(report.dialect).toBe('generic');
    expect((await provision({})).sent).toEqual([]);
  });
});

describe('provisioning failures', () => {
  it('reports a refused request and carries on with the others', async () => {
    const scim = recordingScim();
    const failing = async (url: string, init?: RequestInit) =>
      init?.method === 'POST' && String(init.body).includes('tom@')
        ? new Response(JSON.stringify({ schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'], status: '409', scimType: 'uniqueness', detail: 'userName taken' }), { status: 409 })
        : scim.fetch(url, init);
    const { provision } = await district('entra', { ...scim, fetch: failing } as ReturnType<typeof recordingScim>);
    const { report } = await provision();
    expect(report.counts.users).toMatchObject({ created: 1, failed: 1 });
    expect(report.outcomes).toContainEqual({ type: 'user', action: 'failed', subject: 'tom@springfield.k12.us', status: 409, detail: 'uniqueness: userName taken' });
    // Tom is not a member of Teachers at the target, since he was never provisioned.
    expect(report.outcomes).toContainEqual(expect.objectContaining({ type: 'group', action: 'created', subject: 'Teachers', added: 0 }));
  });

  it('needs a target the first time', async () => {
    const { call } = await district('okta');
    const res = await call('POST', '/idp/district/provision', {});
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('idp_no_target');
  });
});
