// startEmulator and the typed admin client: a loopback socket on port 0, ready on resolve,
// instances that share nothing, fresh workspaces, and refusals as AdminApiError.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AdminApiError, createAdminClient, createEmulator, startEmulator, type RunningEmulator } from '../src/index.js';

describe('startEmulator', () => {
  let a: RunningEmulator;
  let b: RunningEmulator;
  beforeAll(async () => {
    [a, b] = await Promise.all([startEmulator(), startEmulator({ adminKey: 'emulator-b-key' })]);
  });
  afterAll(async () => {
    await Promise.all([a?.stop(), b?.stop()]);
  });

  it('listens on loopback on a free port and answers health as soon as it resolves', async () => {
    expect(a.url).toMatch(/^http:\/\/127\.0\.0\.1:[1-9]\d*$/);
    expect(a.url).not.toBe(b.url);
    const health = await fetch(`${a.url}/_emulator/health`);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ status: 'ok' });
    expect(a.adminKey).toMatch(/^emu_/);
    expect(b.adminKey).toBe('emulator-b-key');
  });

  it('makes a fresh workspace with handy URLs and a typed admin client', async () => {
    const ws = await a.workspace();
    expect(ws.baseUrl).toBe(`${a.url}/w/${ws.id}`);
    expect(ws.apiBaseUrl).toBe(`${ws.baseUrl}/api`);
    expect(ws.scimBaseUrl).toBe(`${ws.baseUrl}/scim/v2`);
    const domain = await ws.admin.domains.addAndVerify('shelbyville.k12.us');
    expect(domain.status).toBe('verified');
    const token = await ws.scimToken();
    const config = await fetch(`${ws.scimBaseUrl}/ServiceProviderConfig`, { headers: { Authorization: `Bearer ${token}` } });
    expect(config.status).toBe(200);
    await ws.delete();
    await ws.delete();
    await expect(a.admin.workspaces.get(ws.id)).rejects.toMatchObject({ status: 404 });
  });

  it('writes a SCIM answer whole on the socket: status, media type, ETag, Location and length', async () => {
    const ws = await a.workspace();
    const token = await ws.scimToken();
    const headers = { Authorization: `Bearer ${token}`, 'Content-Type': 'application/scim+json' };
    const body = JSON.stringify({ schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], userName: 'wire@shelbyville.k12.us', name: { givenName: 'Wé' } });
    const created = await fetch(`${ws.scimBaseUrl}/Users`, { method: 'POST', headers, body });
    expect(created.status).toBe(201);
    const text = await created.text();
    const user = JSON.parse(text) as { id: string; name: { givenName: string }; meta: { location: string; version: string } };
    expect(created.headers.get('content-type')).toBe('application/scim+json');
    expect(created.headers.get('etag')).toBe('W/"1"');
    expect(created.headers.get('location')).toBe(`${ws.scimBaseUrl}/Users/${user.id}`);
    expect(created.headers.get('content-length')).toBe(String(Buffer.byteLength(text)));
    expect(user).toMatchObject({ name: { givenName: 'Wé' }, meta: { location: `${ws.scimBaseUrl}/Users/${user.id}`, version: 'W/"1"' } });
    const read = await fetch(`${ws.scimBaseUrl}/Users/${user.id}`, { headers });
    expect([read.status, read.headers.get('etag'), read.headers.get('location')]).toEqual([200, 'W/"1"', null]);
    const unchanged = await fetch(`${ws.scimBaseUrl}/Users/${user.id}`, { headers: { ...headers, 'If-None-Match': 'W/"1"' } });
    expect([unchanged.status, unchanged.headers.get('etag'), await unchanged.text()]).toEqual([304, 'W/"1"', '']);
    await ws.delete();
  });

  it('takes a workspace id and name when given', async () => {
    const ws = await a.workspace('springfield', { name: 'Springfield Public Schools' });
    expect(ws).toMatchObject({ id: 'springfield', name: 'Springfield Public Schools' });
    await expect(a.workspace('springfield')).rejects.toMatchObject({ status: 409, code: 'workspace_exists' });
    await ws.delete();
  });

  it('keeps two instances in one process apart', async () => {
    const [inA, inB] = await Promise.all([a.workspace('twin'), b.workspace('twin')]);
    await inA.admin.domains.addAndVerify('twin.k12.us');
    // The same domain is free in the other emulator: no shared zone, state or ownership.
    expect(await inB.admin.domains.list()).toEqual([]);
    expect((await inB.admin.domains.addAndVerify('twin.k12.us')).status).toBe('verified');
    expect(Object.keys(await b.admin.dns.list())).toEqual(['twin.k12.us']);
    await a.admin.clock.advance('30d');
    expect(Date.parse((await b.admin.clock.get()).now)).toBeLessThan(Date.parse((await a.admin.clock.get()).now));
    // One's admin key is nothing to the other.
    const wrongKey = createAdminClient({ url: b.url, adminKey: a.adminKey });
    await expect(wrongKey.workspaces.list()).rejects.toMatchObject({ status: 401, code: 'unauthorized' });
    await Promise.all([inA.delete(), inB.delete()]);
  });

  it('stops: the port closes, and stopping twice is fine', async () => {
    const c = await startEmulator();
    await c.stop();
    await c.stop();
    await expect(fetch(`${c.url}/_emulator/health`)).rejects.toThrow();
  });

  it('names the port when it cannot listen', async () => {
    const port = Number(new URL(a.url).port);
    await expect(startEmulator({ port })).rejects.toThrow(`could not listen on 127.0.0.1:${port} (in use: pass port 0 for a free one)`);
  });
});

describe('the typed admin client', () => {
  it('works over an app with no socket, and throws AdminApiError with the stable code', async () => {
    const { app, adminKey } = createEmulator();
    const admin = createAdminClient({ url: 'http://emulator.test', adminKey, fetch: (r) => app.fetch(r) });
    expect(await admin.health()).toMatchObject({ status: 'ok' });
    const ws = admin.workspace('default');
    const member = await ws.invites.create({ email: 'ada@springfield.k12.us', role: 'admin' });
    expect(member).toMatchObject({ email: 'ada@springfield.k12.us', role: 'admin', source: 'invite', status: 'pending_invite' });
    expect(await ws.users.findByEmail('ada@springfield.k12.us')).toMatchObject({ id: member.id });
    expect(await ws.signIn.check({ email: 'ada@springfield.k12.us', method: 'sso' })).toMatchObject({ outcome: 'denied' });
    // Automatic account creation needs a verified domain first.
    expect(await ws.settings.update({ automaticAccountCreation: true }).catch((e: unknown) => e)).toMatchObject({ status: 409, code: 'domain_not_verified' });
    expect(await ws.settings.update({ breakGlass: true })).toMatchObject({ automaticAccountCreation: false, breakGlass: true });
    expect(await ws.usageLimits.set({ workspaceDefault: 120, users: [{ user: member.email, limit: null }] })).toMatchObject({ workspaceDefault: 120, users: [{ user: member.id, limit: null }] });
    expect(await ws.users.usageLimit(member.id)).toMatchObject({ limit: null, source: 'user' });

    const error = await ws.domains.add('localhost').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AdminApiError);
    expect(error).toMatchObject({ status: 400, code: 'invalid_domain' });
    expect((error as Error).message).toMatch(/^POST \/w\/default\/api\/domains → 400 invalid_domain: /);
  });
});
