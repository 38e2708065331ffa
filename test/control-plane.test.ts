// The control plane (SPEC §2, §5): auth, workspaces and their isolation, reset, state export and
// import, the clock, the simulated zone, the journal, and the error form of every refusal.
import { describe, expect, it } from 'vitest';
import { createEmulator } from '../src/app.js';
import { inProcess } from './support/in-process.js';

describe('control plane', () => {
  it('health needs no key and names the version', async () => {
    const { call } = inProcess();
    const res = await call('GET', '/_emulator/health', undefined, { auth: null });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: 'ok', version: expect.stringMatching(/^\d+\.\d+\.\d+/) });
  });

  it.each([
    ['GET', '/_emulator/workspaces'],
    ['GET', '/_emulator/state'],
    ['POST', '/_emulator/clock'],
    ['GET', '/_emulator/dns'],
    ['GET', '/_emulator/events'],
    ['GET', '/w/default/api/domains'],
    ['POST', '/w/default/api/domains'],
  ])('%s %s without the admin key → 401, with a wrong key → 401', async (method, path) => {
    const { call, state } = inProcess();
    const before = await state();
    const body = method === 'GET' ? undefined : { domain: 'x.example' };
    const none = await call(method, path, body, { auth: null });
    expect(none.status).toBe(401);
    expect(none.body.error.code).toBe('unauthorized');
    expect(none.headers.get('WWW-Authenticate')).toMatch(/^Bearer/);
    const wrong = await call(method, path, body, { auth: 'test-admin-kez' });
    expect(wrong.status).toBe(401);
    expect(wrong.body.error.message).toMatch(/not the emulator admin key/);
    expect(await state()).toEqual(before);
  });

  it('a random admin key is made at each start unless given', () => {
    const a = createEmulator();
    const b = createEmulator();
    expect(a.adminKey).not.toBe(b.adminKey);
    expect(a.adminKey.length).toBeGreaterThanOrEqual(32);
    expect(createEmulator({ adminKey: 'fixed-key-123' }).adminKey).toBe('fixed-key-123');
  });

  it('creates, lists, gets and deletes workspaces; default exists at start', async () => {
    const { call } = inProcess();
    const list0 = await call('GET', '/_emulator/workspaces');
    expect(list0.body.workspaces.map((w: { id: string }) => w.id)).toEqual(['default']);
    const created = await call('POST', '/_emulator/workspaces', { id: 'springfield', name: 'Springfield Public Schools' });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ id: 'springfield', name: 'Springfield Public Schools', baseUrl: 'http://localhost/w/springfield' });
    const anon = await call('POST', '/_emulator/workspaces', {});
    expect(anon.status).toBe(201);
    expect(anon.body.id).toMatch(/^ws-[a-z0-9]+$/);
    expect((await call('GET', '/_emulator/workspaces/springfield')).body.name).toBe('Springfield Public Schools');
    expect((await call('DELETE', '/_emulator/workspaces/springfield')).status).toBe(204);
    const gone = await call('GET', '/w/springfield/api/domains');
    expect(gone.status).toBe(404);
    expect(gone.body.error.code).toBe('workspace_not_found');
  });

  it.each([
    [{ id: 'Bad Id' }, 400, 'invalid_workspace_id'],
    [{ id: '-x' }, 400, 'invalid_workspace_id'],
    [{ id: 'default' }, 409, 'workspace_exists'],
    [{ id: 'ok', color: 'red' }, 400, 'invalid_request'],
    [{ name: 5 }, 400, 'invalid_request'],
  ])('workspace create %j → %i %s and nothing changes', async (body, status, code) => {
    const { call, state } = inProcess();
    const before = await state();
    const res = await call('POST', '/_emulator/workspaces', body);
    expect(res.status).toBe(status);
    expect(res.body.error.code).toBe(code);
    expect(await state()).toEqual(before);
  });

  it('keeps workspaces isolated: nothing of one is visible or changeable from another', async () => {
    const { call } = inProcess();
    await call('POST', '/_emulator/workspaces', { id: 'a' });
    await call('POST', '/_emulator/workspaces', { id: 'b' });
    await call('POST', '/w/a/api/domains', { domain: 'only-a.example' });
    await call('PATCH', '/w/a/api/settings', { breakGlass: true });
    expect((await call('GET', '/w/b/api/domains')).body.domains).toEqual([]);
    expect((await call('GET', '/w/b/api/domains/only-a.example')).status).toBe(404);
    expect((await call('DELETE', '/w/b/api/domains/only-a.example')).status).toBe(404);
    expect((await call('POST', '/w/b/api/domains/only-a.example/verify')).status).toBe(404);
    expect((await call('GET', '/w/b/api/settings')).body.breakGlass).toBe(false);
    expect((await call('GET', '/w/b/api/events')).body.events).toEqual([]);
    expect((await call('GET', '/w/a/api/domains')).body.domains).toHaveLength(1);
  });

  it('resets one workspace or everything', async () => {
    const { call } = inProcess();
    await call('POST', '/_emulator/workspaces', { id: 'keep', name: 'Keep' });
    await call('POST', '/w/keep/api/domains', { domain: 'k.example' });
    await call('POST', '/w/default/api/domains', { domain: 'd.example' });
    const one = await call('POST', '/_emulator/reset', { workspace: 'keep' });
    expect(one.status).toBe(200);
    expect((await call('GET', '/w/keep/api/domains')).body.domains).toEqual([]);
    expect((await call('GET', '/_emulator/workspaces/keep')).body.name).toBe('Keep');
    expect((await call('GET', '/w/default/api/domains')).body.domains).toHaveLength(1);
    await call('PUT', '/_emulator/dns/d.example', { txt: ['x'] });
    await call('POST', '/_emulator/clock', { advance: '3d' });
    const all = await call('POST', '/_emulator/reset');
    expect(all.body).toEqual({ reset: 'all' });
    expect((await call('GET', '/_emulator/workspaces')).body.workspaces.map((w: { id: string }) => w.id)).toEqual(['default']);
    expect((await call('GET', '/_emulator/dns')).body.records).toEqual({});
    expect(Math.abs(Date.parse((await call('GET', '/_emulator/clock')).body.now) - Date.now())).toBeLessThan(5_000);
    expect((await call('POST', '/_emulator/reset', { workspace: 'nope' })).status).toBe(404);
  });

  it('exports state and imports it into another emulator; an invalid import changes nothing', async () => {
    const a = inProcess();
    await a.call('POST', '/_emulator/workspaces', { id: 'north' });
    const d = (await a.call('POST', '/w/north/api/domains', { domain: 'north.example' })).body;
    await a.call('PUT', '/_emulator/dns/north.example', { txt: [d.txt.value] });
    await a.call('POST', '/w/north/api/domains/north.example/verify');
    const exported = (await a.call('GET', '/_emulator/state')).body;

    const b = inProcess();
    const before = await b.state();
    for (const bad of [
      { ...exported, format: 'something-else' },
      { ...exported, version: 99 },
      { ...exported, workspaces: { north: { ...exported.workspaces.north, id: 'south' } } },
      { ...exported, workspaces: { north: { ...exported.workspaces.north, domains: { 'north.example': { domain: 'north.example', status: 'maybe' } } } } },
      [],
      'text',
    ]) {
      const res = await b.call('PUT', '/_emulator/state', bad);
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('invalid_state');
      expect(await b.state()).toEqual(before);
    }
    const res = await b.call('PUT', '/_emulator/state', exported);
    expect(res.status).toBe(200);
    expect((await b.call('GET', '/w/north/api/domains/north.example')).body.status).toBe('verified');
    // The verified-domain index came along: another workspace cannot claim it.
    expect((await b.call('POST', '/w/default/api/domains', { domain: 'north.example' })).body.error.code).toBe('domain_claimed');
  });

  it('moves the clock by a duration or to a time; bad input is refused', async () => {
    const { call, state } = inProcess();
    const set = await call('POST', '/_emulator/clock', { set: '2030-09-01T08:00:00Z' });
    expect(set.status).toBe(200);
    expect(Math.abs(Date.parse(set.body.now) - Date.parse('2030-09-01T08:00:00Z'))).toBeLessThan(2_000);
    const adv = await call('POST', '/_emulator/clock', { advance: '1h' });
    expect(Date.parse(adv.body.now) - Date.parse(set.body.now)).toBeGreaterThanOrEqual(3_600_000);
    const before = await state();
    for (const [body, code] of [
      [{ advance: 'soon' }, 'invalid_duration'],
      [{ set: 'tomorrow' }, 'invalid_time'],
      [{}, 'invalid_request'],
      [{ advance: '1d', set: '2030-01-01T00:00:00Z' }, 'invalid_request'],
      [{ advance: 5 }, 'invalid_request'],
    ] as const) {
      const res = await call('POST', '/_emulator/clock', body);
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe(code);
    }
    const noWs = await call('POST', '/_emulator/clock', { advance: '1d', workspace: 'ghost' });
    expect(noWs.status).toBe(404);
    const after = await state();
    expect(after.clock).toEqual(before.clock);
  });

  it('publishes, reads and removes simulated DNS records', async () => {
    const { call } = inProcess();
    const put = await call('PUT', '/_emulator/dns/Springfield.K12.us.', { txt: ['a', 'b'] });
    expect(put.body).toEqual({ name: 'springfield.k12.us', txt: ['a', 'b'] });
    expect((await call('GET', '/_emulator/dns')).body.records).toEqual({ 'springfield.k12.us': ['a', 'b'] });
    expect((await call('GET', '/_emulator/dns/springfield.k12.us')).body.txt).toEqual(['a', 'b']);
    expect((await call('PUT', '/_emulator/dns/bad name', { txt: ['a'] })).body.error.code).toBe('invalid_dns_name');
    expect((await call('PUT', '/_emulator/dns/ok.example', { txt: 'a' })).body.error.code).toBe('invalid_request');
    expect((await call('DELETE', '/_emulator/dns/springfield.k12.us')).status).toBe(204);
    expect((await call('DELETE', '/_emulator/dns/springfield.k12.us')).status).toBe(404);
  });

  it('journals every change with time, workspace, actor and detail; filters by type and workspace', async () => {
    const { call } = inProcess();
    await call('POST', '/_emulator/workspaces', { id: 'j' });
    await call('POST', '/w/j/api/domains', { domain: 'j.example' });
    await call('PATCH', '/w/j/api/settings', { breakGlass: true });
    const all = (await call('GET', '/_emulator/events')).body.events;
    expect(all.map((e: { type: string }) => e.type)).toEqual(['workspace.created', 'domain.added', 'settings.changed']);
    const added = all[1];
    expect(added).toMatchObject({ workspace: 'j', actor: 'admin-key', detail: { domain: 'j.example' } });
    expect(Date.parse(added.time)).not.toBeNaN();
    expect((await call('GET', '/_emulator/events?type=domain.')).body.events).toHaveLength(1);
    expect((await call('GET', '/_emulator/events?type=domain.*&workspace=default')).body.events).toHaveLength(0);
    expect((await call('GET', `/_emulator/events?after=${added.seq}`)).body.events.map((e: { type: string }) => e.type)).toEqual(['settings.changed']);
    expect((await call('GET', '/_emulator/events?limit=x')).status).toBe(400);
  });

  it('keeps the journal bounded per workspace', async () => {
    const { emulator } = inProcess();
    const ws = emulator.core.requireWorkspace('default');
    for (let i = 0; i < 6_000; i++) emulator.core.record(ws, 'test.tick', 'test', { i });
    expect(ws.events.length).toBeLessThanOrEqual(2_500);
    expect(ws.events.at(-1)!.detail.i).toBe(5_999);
  });

  it('streams events as server-sent events', async () => {
    const { emulator, call } = inProcess();
    await call('POST', '/w/default/api/domains', { domain: 'early.example' });
    const controller = new AbortController();
    const res = await emulator.app.request('/_emulator/events', {
      headers: { Authorization: `Bearer ${emulator.adminKey}`, Accept: 'text/event-stream' },
      signal: controller.signal,
    });
    expect(res.headers.get('Content-Type')).toMatch(/text\/event-stream/);
    const reader = res.body!.getReader();
    const decoder = new TextDecoder();
    let text = '';
    const readUntil = async (needle: string) => {
      while (!text.includes(needle)) {
        const { value, done } = await reader.read();
        if (done) break;
        text += decoder.decode(value);
      }
    };
    await readUntil('early.example');
    await call('POST', '/w/default/api/domains', { domain: 'live.example' });
    await readUntil('live.example');
    expect(text).toMatch(/event: domain\.added\ndata: .*early\.example/);
    expect(text).toMatch(/event: domain\.added\ndata: .*live\.example.*\nid: evt_\d+\n/);
    controller.abort();
    await reader.cancel().catch(() => {});
  });

  it('answers unknown routes with 404 not_found, big bodies with 413, both in the JSON error form', async () => {
    const { call, state } = inProcess();
    const res = await call('GET', '/nowhere');
    expect(res.status).toBe(404);
    expect(res.body).toEqual({ error: { code: 'not_found', message: expect.stringContaining('GET /nowhere') } });
    const before = await state();
    const big = await call('POST', '/w/default/api/domains', undefined, { raw: JSON.stringify({ domain: 'a.example', pad: 'x'.repeat(1024 * 1024) }), headers: { 'Content-Type': 'application/json' } });
    expect(big.status).toBe(413);
    expect(big.body.error.code).toBe('payload_too_large');
    expect(await state()).toEqual(before);
  });

  it('changes and validates workspace settings', async () => {
    const { call, state } = inProcess();
    expect((await call('GET', '/w/default/api/settings')).body).toEqual({ automaticAccountCreation: false, breakGlass: false, scimCompatibility: 'strict' });
    // Automatic account creation needs a verified domain: 409, nothing changed.
    const early = await call('PATCH', '/w/default/api/settings', { automaticAccountCreation: true, breakGlass: true });
    expect(early.status).toBe(409);
    expect(early.body.error.code).toBe('domain_not_verified');
    expect((await call('GET', '/w/default/api/settings')).body).toEqual({ automaticAccountCreation: false, breakGlass: false, scimCompatibility: 'strict' });
    const added = await call('POST', '/w/default/api/domains', { domain: 'springfield.k12.us' });
    await call('PUT', '/_emulator/dns/springfield.k12.us', { txt: [added.body.txt.value] });
    expect((await call('POST', '/w/default/api/domains/springfield.k12.us/verify')).body.status).toBe('verified');
    const res = await call('PATCH', '/w/default/api/settings', { automaticAccountCreation: true });
    expect(res.body).toEqual({ automaticAccountCreation: true, breakGlass: false, scimCompatibility: 'strict' });
    const before = await state();
    const bad = await call('PATCH', '/w/default/api/settings', { automaticAccountCreation: 'yes' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toMatch(/automaticAccountCreation/);
    expect((await call('PATCH', '/w/default/api/settings', { unknown: true })).status).toBe(400);
    expect(await state()).toEqual(before);
  });
});
