// SCIM tokens (issued once, hashed, revocable, several for rotation), bearer auth on every SCIM
// route, the recent-request log, and the discovery documents.
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { inProcess } from './support/in-process.js';

const ERROR = 'urn:ietf:params:scim:api:messages:2.0:Error';

async function issue(call: ReturnType<typeof inProcess>['call'], ws = 'default', body: unknown = {}) {
  const res = await call('POST', `/w/${ws}/api/scim/tokens`, body);
  expect(res.status).toBe(201);
  return res.body as { id: string; token: string };
}

describe('SCIM tokens', () => {
  it('shows the token once, stores only its sha256, and lists tokens without secrets', async () => {
    const { call, state } = inProcess();
    const { id, token } = await issue(call, 'default', { name: 'Entra' });
    expect(token).toMatch(/^scim_/);
    const stored = (await state()).workspaces.default.scimTokens[id];
    expect(stored.hash).toBe(createHash('sha256').update(token).digest('hex'));
    expect(JSON.stringify(await state())).not.toContain(token);

    const list = await call('GET', '/w/default/api/scim/tokens');
    expect(list.body.tokens).toEqual([{ id, name: 'Entra', createdAt: expect.any(String), lastUsedAt: null, status: 'active' }]);
    expect(JSON.stringify(list.body)).not.toContain(stored.hash);

    await call('GET', '/w/default/scim/v2/Users', undefined, { auth: token });
    const used = (await call('GET', '/w/default/api/scim/tokens')).body.tokens[0];
    expect(Date.parse(used.lastUsedAt)).toBeGreaterThan(0);
  });

  it('keeps several tokens live for rotation and refuses a revoked one with 401', async () => {
    const { call } = inProcess();
    const a = await issue(call);
    const b = await issue(call);
    for (const t of [a, b]) expect((await call('GET', '/w/default/scim/v2/Users', undefined, { auth: t.token })).status).toBe(200);
    expect((await call('DELETE', `/w/default/api/scim/tokens/${a.id}`)).status).toBe(204);
    const refused = await call('GET', '/w/default/scim/v2/Users', undefined, { auth: a.token });
    expect(refused.status).toBe(401);
    expect(refused.body).toEqual({ schemas: [ERROR], status: '401', detail: expect.stringContaining('revoked') });
    expect((await call('GET', '/w/default/scim/v2/Users', undefined, { auth: b.token })).status).toBe(200);
    const listed = (await call('GET', '/w/default/api/scim/tokens')).body.tokens;
    expect(listed.find((t: any) => t.id === a.id)).toMatchObject({ status: 'revoked', revokedAt: expect.any(String) });
    expect((await call('DELETE', '/w/default/api/scim/tokens/tok_nope')).status).toBe(404);
  });

  it('needs the admin key to manage tokens', async () => {
    const { call } = inProcess();
    expect((await call('POST', '/w/default/api/scim/tokens', {}, { auth: null })).status).toBe(401);
    const bad = await call('POST', '/w/default/api/scim/tokens', { name: 'x', extra: 1 });
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('invalid_request');
  });
});

describe('SCIM bearer auth', () => {
  it.each([
    ['no Authorization header', null],
    ['a wrong token', 'scim_wrong'],
    ['the emulator admin key', 'test-admin-key'],
  ])('refuses %s with 401, a SCIM error and no change', async (_what, auth) => {
    const { call, state } = inProcess();
    await issue(call);
    const before = await state();
    const res = await call('POST', '/w/default/scim/v2/Users', { schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], userName: 'a@b.edu' }, { auth });
    expect(res.status).toBe(401);
    expect(res.headers.get('Content-Type')).toBe('application/scim+json');
    expect(res.headers.get('WWW-Authenticate')).toMatch(/^Bearer/);
    expect(res.body).toMatchObject({ schemas: [ERROR], status: '401' });
    expect(await state()).toEqual(before);
  });

  it("refuses another workspace's token", async () => {
    const { call } = inProcess();
    await call('POST', '/_emulator/workspaces', { id: 'other' });
    const other = await issue(call, 'other');
    const res = await call('GET', '/w/default/scim/v2/Users', undefined, { auth: other.token });
    expect(res.status).toBe(401);
    expect(res.body.detail).toContain('not a SCIM token of workspace "default"');
    expect((await call('GET', '/w/other/scim/v2/Users', undefined, { auth: other.token })).status).toBe(200);
  });
});

describe('recent SCIM requests', () => {
  it('keeps method, path, status, time and token id, newest first, at most 200', async () => {
    const { call } = inProcess();
    const { id, token } = await issue(call);
    await call('GET', '/w/default/scim/v2/Users?count=1', undefined, { auth: token });
    await call('GET', '/w/default/scim/v2/Users/nope', undefined, { auth: token });
    await call('GET', '/w/default/scim/v2/Groups', undefined, { auth: 'bad' });
    const log = (await call('GET', '/w/default/api/scim/requests')).body.requests;
    expect(log).toEqual([
      { time: expect.any(String), method: 'GET', path: '/w/default/scim/v2/Groups', status: 401, tokenId: null },
      { time: expect.any(String), method: 'GET', path: '/w/default/scim/v2/Users/nope', status: 404, tokenId: id },
      { time: expect.any(String), method: 'GET', path: '/w/default/scim/v2/Users', query: 'count=1', status: 200, tokenId: id },
    ]);
    // The workspace clock's reading at the request, as an ISO 8601 time.
    for (const entry of log) expect(new Date(entry.time).toISOString()).toBe(entry.time);
    for (let i = 0; i < 205; i++) await call('GET', `/w/default/scim/v2/Users?startIndex=${i + 1}`, undefined, { auth: token });
    const full = (await call('GET', '/w/default/api/scim/requests')).body.requests;
    expect(full).toHaveLength(200);
    expect(full[0].query).toBe('startIndex=205');
  });
});

describe('discovery', () => {
  it('describes what is supported, truthfully', async () => {
    const { call } = inProcess();
    const { token } = await issue(call);
    const spc = await call('GET', '/w/default/scim/v2/ServiceProviderConfig', undefined, { auth: token });
    expect(spc.status).toBe(200);
    expect(spc.headers.get('Content-Type')).toBe('application/scim+json');
    expect(spc.body).toMatchObject({
      patch: { supported: true },
      bulk: { supported: false },
      filter: { supported: true, maxResults: 1000 },
      changePassword: { supported: false },
      sort: { supported: true },
      etag: { supported: true },
      authenticationSchemes: [expect.objectContaining({ type: 'oauthbearertoken' })],
      meta: { resourceType: 'ServiceProviderConfig', location: 'http://localhost/w/default/scim/v2/ServiceProviderConfig' },
    });
    const types = await call('GET', '/w/default/scim/v2/ResourceTypes', undefined, { auth: token });
    expect(types.body.Resources.map((r: any) => r.id)).toEqual(['User', 'Group']);
    expect((await call('GET', '/w/default/scim/v2/ResourceTypes/User', undefined, { auth: token })).body.schemaExtensions).toEqual([
      { schema: 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User', required: false },
    ]);
    const schemas = await call('GET', '/w/default/scim/v2/Schemas', undefined, { auth: token });
    expect(schemas.body.totalResults).toBe(3);
    const user = await call('GET', '/w/default/scim/v2/Schemas/urn:ietf:params:scim:schemas:core:2.0:User', undefined, { auth: token });
    expect(user.body.attributes.find((a: any) => a.name === 'groups').mutability).toBe('readOnly');
    expect((await call('GET', '/w/default/scim/v2/Schemas/urn:nope', undefined, { auth: token })).status).toBe(404);
    const filtered = await call('GET', '/w/default/scim/v2/Schemas?filter=id%20pr', undefined, { auth: token });
    expect(filtered.status).toBe(403);
    expect(filtered.body.schemas).toEqual([ERROR]);
  });
});
