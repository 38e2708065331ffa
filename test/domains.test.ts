// The domain verification flow over HTTP (SPEC §1, §5), in process through the app factory.
import { describe, expect, it } from 'vitest';
import { inProcess } from './support/in-process.js';

describe('domain verification over HTTP', () => {
  it('add → pending → failed verify says why → publish → verified; another workspace gets domain_claimed', async () => {
    const { call } = inProcess();
    const added = await call('POST', '/w/default/api/domains', { domain: 'Springfield.K12.us' });
    expect(added.status).toBe(201);
    expect(added.body).toMatchObject({ domain: 'springfield.k12.us', status: 'pending', txt: { name: 'springfield.k12.us' } });
    expect(added.body.txt.value).toMatch(/^openai-domain-verification=dv-[A-Za-z0-9]{24}$/);
    expect(Date.parse(added.body.createdAt)).not.toBeNaN();

    const miss = await call('POST', '/w/default/api/domains/springfield.k12.us/verify');
    expect(miss.status).toBe(200);
    expect(miss.body).toMatchObject({ status: 'pending', found: [], expected: added.body.txt.value, reason: 'txt_not_found' });
    expect(miss.body.message).toContain(added.body.txt.value);

    await call('PUT', '/_emulator/dns/springfield.k12.us', { txt: ['v=spf1 -all'] });
    const wrong = await call('POST', '/w/default/api/domains/springfield.k12.us/verify');
    expect(wrong.body).toMatchObject({ status: 'pending', found: ['v=spf1 -all'], reason: 'txt_not_found' });
    expect(wrong.body.message).toMatch(/Found \["v=spf1 -all"\]; expected openai-domain-verification=/);

    const published = await call('PUT', '/_emulator/dns/springfield.k12.us', { txt: ['v=spf1 -all', added.body.txt.value] });
    expect(published.status).toBe(200);
    const ok = await call('POST', '/w/default/api/domains/SPRINGFIELD.k12.us/verify');
    expect(ok.status).toBe(200);
    expect(ok.body.status).toBe('verified');
    expect(ok.body.verifiedAt).toBeDefined();
    expect(ok.body.found).toBeUndefined();

    // Verified is never re-checked: removing the record changes nothing.
    await call('DELETE', '/_emulator/dns/springfield.k12.us');
    expect((await call('POST', '/w/default/api/domains/springfield.k12.us/verify')).body.status).toBe('verified');
    await call('POST', '/_emulator/clock', { advance: '400d' });
    expect((await call('GET', '/w/default/api/domains/springfield.k12.us')).body.status).toBe('verified');

    await call('POST', '/_emulator/workspaces', { id: 'rival', name: 'Rival' });
    const claim = await call('POST', '/w/rival/api/domains', { domain: 'springfield.k12.us' });
    expect(claim.status).toBe(409);
    expect(claim.body.error.code).toBe('domain_claimed');
    expect((await call('GET', '/w/rival/api/domains')).body.domains).toEqual([]);

    // Subdomains are separate domains.
    const sub = await call('POST', '/w/rival/api/domains', { domain: 'mail.springfield.k12.us' });
    expect(sub.status).toBe(201);
    expect(sub.body.status).toBe('pending');
  });

  it('a pending claim does not block another workspace; the first to verify owns the domain', async () => {
    const { call } = inProcess();
    await call('POST', '/_emulator/workspaces', { id: 'b' });
    const a = (await call('POST', '/w/default/api/domains', { domain: 'shared.example' })).body;
    const b = (await call('POST', '/w/b/api/domains', { domain: 'shared.example' })).body;
    expect(a.txt.value).not.toBe(b.txt.value);
    await call('PUT', '/_emulator/dns/shared.example', { txt: [a.txt.value, b.txt.value] });
    expect((await call('POST', '/w/b/api/domains/shared.example/verify')).body.status).toBe('verified');
    const late = await call('POST', '/w/default/api/domains/shared.example/verify');
    expect(late.status).toBe(409);
    expect(late.body.error.code).toBe('domain_claimed');
    expect((await call('GET', '/w/default/api/domains/shared.example')).body.status).toBe('pending');
  });

  it('an unverified domain expires after 7 days on the emulator clock, with an event; adding it again restarts it', async () => {
    const { call } = inProcess();
    const added = (await call('POST', '/w/default/api/domains', { domain: 'late.example' })).body;
    await call('POST', '/_emulator/clock', { advance: '6d' });
    expect((await call('GET', '/w/default/api/domains/late.example')).body.status).toBe('pending');
    const moved = await call('POST', '/_emulator/clock', { advance: '2d' });
    expect(moved.status).toBe(200);
    expect(Date.parse(moved.body.now) - Date.now()).toBeGreaterThan(7.9 * 86_400_000);
    expect((await call('GET', '/w/default/api/domains/late.example')).body.status).toBe('expired');
    const events = (await call('GET', '/w/default/api/events?type=domain.expired')).body.events;
    expect(events).toHaveLength(1);
    expect(events[0].detail.domain).toBe('late.example');

    await call('PUT', '/_emulator/dns/late.example', { txt: [added.txt.value] });
    const refused = await call('POST', '/w/default/api/domains/late.example/verify');
    expect(refused.status).toBe(409);
    expect(refused.body.error.code).toBe('domain_expired');

    const again = await call('POST', '/w/default/api/domains', { domain: 'late.example' });
    expect(again.status).toBe(201);
    expect(again.body.status).toBe('pending');
    expect(again.body.txt.value).not.toBe(added.txt.value);
  });

  it('a workspace clock moves alone: one workspace expires, another does not', async () => {
    const { call } = inProcess();
    await call('POST', '/_emulator/workspaces', { id: 'other' });
    await call('POST', '/w/default/api/domains', { domain: 'one.example' });
    await call('POST', '/w/other/api/domains', { domain: 'two.example' });
    await call('POST', '/_emulator/clock', { advance: '8d', workspace: 'other' });
    expect((await call('GET', '/w/default/api/domains/one.example')).body.status).toBe('pending');
    expect((await call('GET', '/w/other/api/domains/two.example')).body.status).toBe('expired');
  });

  it('lists, gets and deletes domains; unknown ones are 404 domain_not_found', async () => {
    const { call } = inProcess();
    await call('POST', '/w/default/api/domains', { domain: 'b.example' });
    await call('POST', '/w/default/api/domains', { domain: 'a.example' });
    const list = await call('GET', '/w/default/api/domains');
    expect(list.body.domains.map((d: { domain: string }) => d.domain)).toEqual(['a.example', 'b.example']);
    expect((await call('DELETE', '/w/default/api/domains/a.example')).status).toBe(204);
    const gone = await call('GET', '/w/default/api/domains/a.example');
    expect(gone.status).toBe(404);
    expect(gone.body.error.code).toBe('domain_not_found');
    expect((await call('POST', '/w/default/api/domains/zzz.example/verify')).status).toBe(404);
  });

  it('deleting a verified domain frees it for another workspace', async () => {
    const { call } = inProcess();
    const d = (await call('POST', '/w/default/api/domains', { domain: 'free.example' })).body;
    await call('PUT', '/_emulator/dns/free.example', { txt: [d.txt.value] });
    await call('POST', '/w/default/api/domains/free.example/verify');
    await call('DELETE', '/w/default/api/domains/free.example');
    await call('POST', '/_emulator/workspaces', { id: 'next' });
    expect((await call('POST', '/w/next/api/domains', { domain: 'free.example' })).status).toBe(201);
  });

  describe('bad input changes nothing', () => {
    it.each([
      [{ domain: '10.0.0.1' }, 400, 'invalid_domain'],
      [{ domain: 'intranet' }, 400, 'invalid_domain'],
      [{ domain: `${'x'.repeat(64)}.example` }, 400, 'invalid_domain'],
      [{ domain: 'bad_label.example' }, 400, 'invalid_domain'],
      [{ domain: 7 }, 400, 'invalid_domain'],
      [{}, 400, 'invalid_request'],
      [{ domain: 'ok.example', extra: true }, 400, 'invalid_request'],
      [[1, 2], 400, 'invalid_request'],
    ])('POST domains %j → %i %s', async (body, status, code) => {
      const { call, state } = inProcess();
      const before = await state();
      const res = await call('POST', '/w/default/api/domains', body);
      expect(res.status).toBe(status);
      expect(res.body.error.code).toBe(code);
      expect(res.body.error.message).toEqual(expect.any(String));
      expect(await state()).toEqual(before);
    });

    it('malformed JSON → 400 invalid_json, nothing changed', async () => {
      const { call, state } = inProcess();
      const before = await state();
      const res = await call('POST', '/w/default/api/domains', undefined, { raw: '{"domain": "a.example"', headers: { 'Content-Type': 'application/json' } });
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('invalid_json');
      expect(await state()).toEqual(before);
    });

    it('adding the same domain twice → 409 domain_exists, the first token stays', async () => {
      const { call } = inProcess();
      const first = (await call('POST', '/w/default/api/domains', { domain: 'twice.example' })).body;
      const again = await call('POST', '/w/default/api/domains', { domain: 'TWICE.example.' });
      expect(again.status).toBe(409);
      expect(again.body.error.code).toBe('domain_exists');
      expect((await call('GET', '/w/default/api/domains/twice.example')).body.txt.value).toBe(first.txt.value);
    });

    it('a bad domain in the path → 400 invalid_domain', async () => {
      const { call } = inProcess();
      const res = await call('POST', '/w/default/api/domains/127.0.0.1/verify');
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('invalid_domain');
    });
  });
});
