// The guarded connection swap: while enforcement is on, a PUT /api/sso that replaces the IdP is
// refused (409 enforcement_active) and changes nothing, unless forced (recorded in the journal).
import { describe, expect, it } from 'vitest';
import { inProcess } from './support/in-process.js';
import { TEST_IDP } from './support/saml.js';

async function setup() {
  const env = inProcess();
  for (const id of ['district', 'other']) {
    expect((await env.call('POST', '/_emulator/idps', { id, vendor: 'entra', users: [{ email: 'ada@springfield.k12.us' }] })).status).toBe(201);
  }
  expect((await env.call('PUT', '/w/default/api/sso', { protocol: 'saml', mockIdp: 'district' })).status).toBe(200);
  expect((await env.call('PUT', '/w/default/api/sso/enforcement', { level: 'sso_only', force: true })).status).toBe(200);
  return env;
}

describe('guarded connection swap', () => {
  it('refuses to replace the IdP while enforcement is on, changing nothing (not even at the mock IdP)', async () => {
    const { call, state } = await setup();
    const before = await state();
    for (const body of [
      { protocol: 'saml', mockIdp: 'other' },
      { protocol: 'oidc', mockIdp: 'district' },
      { protocol: 'saml', idp: { entityId: TEST_IDP.entityId, ssoUrl: 'https://idp.example/sso', certificates: [TEST_IDP.certPem] } },
    ]) {
      const res = await call('PUT', '/w/default/api/sso', body);
      expect(res.status, JSON.stringify(body)).toBe(409);
      expect(res.body.error.code).toBe('enforcement_active');
      expect(res.body.error.message).toMatch(/"force": true/);
      expect(res.body.error.message).toMatch(/enforcement to "off" first/);
    }
    expect(await state()).toEqual(before);
    expect((await call('GET', '/_emulator/idps/other')).body.apps.saml).toEqual([]);
  });

  it('lets options of the same IdP change, and a forced swap through, recorded in the journal', async () => {
    const { call } = await setup();
    const same = await call('PUT', '/w/default/api/sso', { protocol: 'saml', mockIdp: 'district', allowIdpInitiated: true, clockSkewSeconds: 120 });
    expect(same.status).toBe(200);
    expect(same.body).toMatchObject({ allowIdpInitiated: true, clockSkewSeconds: 120, enforcement: 'sso_only' });
    expect((await call('PUT', '/w/default/api/sso', { protocol: 'saml', mockIdp: 'other', force: 'yes' })).status).toBe(400);
    const forced = await call('PUT', '/w/default/api/sso', { protocol: 'saml', mockIdp: 'other', force: true });
    expect(forced.status).toBe(200);
    expect(forced.body).toMatchObject({ mockIdp: 'other', enforcement: 'sso_only', tested: false });
    expect(forced.body.force).toBeUndefined();
    const events = (await call('GET', '/w/default/api/events?type=sso.configured')).body.events;
    expect(events.at(-1).detail).toMatchObject({ forced: true, enforcement: 'sso_only', changes: expect.arrayContaining([expect.stringContaining('entity ID'), expect.stringContaining('sign-in URL')]) });
  });

  it('swaps freely once enforcement is off', async () => {
    const { call } = await setup();
    await call('PUT', '/w/default/api/sso/enforcement', { level: 'off' });
    const res = await call('PUT', '/w/default/api/sso', { protocol: 'oidc', mockIdp: 'other' });
    expect(res.status).toBe(200);
    const events = (await call('GET', '/w/default/api/events?type=sso.configured')).body.events;
    expect(events.at(-1).detail.forced).toBeUndefined();
  });
});
