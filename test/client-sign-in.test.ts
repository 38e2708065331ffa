// The typed client's sign-in helpers: real round trips (SSO through the mock IdP), and an SSO
// sign-in made this way is the test sign-in that lets enforcement rise without `force`.
import { describe, expect, it } from 'vitest';
import { createEmulator } from '../src/app.js';
import { AdminApiError, createAdminClient } from '../src/client/admin-client.js';

const emulators = new WeakMap<object, ReturnType<typeof createEmulator>>();

function client() {
  const emulator = createEmulator({ adminKey: 'test-admin-key' });
  const admin = createAdminClient({ url: 'http://127.0.0.1:9', adminKey: emulator.adminKey, fetch: (r) => emulator.app.fetch(r) });
  emulators.set(admin, emulator);
  return admin;
}

async function districtWith(protocol: 'saml' | 'oidc') {
  const admin = client();
  const idp = await admin.idps.create({ vendor: 'entra', users: [{ email: 'ada@springfield.k12.us', givenName: 'Ada' }] });
  const ws = admin.workspace('default');
  await ws.domains.addAndVerify('springfield.k12.us');
  await ws.sso.configure({ protocol, mockIdp: idp.id });
  await ws.invites.create({ email: 'ada@springfield.k12.us', password: 'correct horse' });
  return { admin, idp, ws };
}

describe('admin.signIn helpers', () => {
  for (const protocol of ['saml', 'oidc'] as const) {
    it(`${protocol}: a successful SSO sign-in unlocks enforcement; its cookie is a session`, async () => {
      const { admin, ws } = await districtWith(protocol);
      const refused = await ws.sso.enforcement.set('sso_only').catch((e: unknown) => e);
      expect(refused).toBeInstanceOf(AdminApiError);
      expect((refused as AdminApiError).code).toBe('sso_untested');

      const signedIn = await ws.signIn.sso('ada@springfield.k12.us');
      expect(signedIn).toMatchObject({ outcome: 'allowed' });
      expect(signedIn.cookie).toMatch(/^edu_session=.+/);
      expect((await ws.sso.enforcement.set('sso_only')).level).toBe('sso_only');

      const me = await emulators.get(admin)!.app.request('/w/default/me', { headers: { Cookie: signedIn.cookie! } });
      expect(me.status).toBe(200);
      expect(((await me.json()) as { email: string }).email).toBe('ada@springfield.k12.us');
      // With SSO only, a password is refused with its reason.
      const password = await ws.signIn.password('ada@springfield.k12.us', 'correct horse');
      expect(password).toMatchObject({ outcome: 'denied', status: 403 });
      expect(password.reason).toBeTypeOf('string');
      expect(password.cookie).toBeUndefined();
    });
  }

  it('a fault for one sign-in comes back as the refusal reason, and changes nothing', async () => {
    const { ws } = await districtWith('saml');
    const faulty = await ws.signIn.sso('ada@springfield.k12.us', { fault: 'wrong_audience' });
    expect(faulty.outcome).toBe('denied');
    expect(faulty.reason).toBe('saml_audience_mismatch');
    expect(faulty.cookie).toBeUndefined();
    expect((await ws.sso.get()).tested).toBe(false);
  });

  it('password and social sign-ins: allowed with a cookie, denied with the reason', async () => {
    const { ws } = await districtWith('saml');
    const ok = await ws.signIn.password('ada@springfield.k12.us', 'correct horse');
    expect(ok).toMatchObject({ outcome: 'allowed', status: 200 });
    expect(ok.cookie).toMatch(/^edu_session=/);
    const wrong = await ws.signIn.password('ada@springfield.k12.us', 'wrong');
    expect(wrong).toMatchObject({ outcome: 'denied', status: 403 });
    expect(wrong.reason).toBeTypeOf('string');
    const stranger = await ws.signIn.social('nobody@elsewhere.example', 'google');
    expect(stranger).toMatchObject({ outcome: 'denied', reason: 'not_a_member' });
  });

  it('an SSO sign-in without a connection says so', async () => {
    const admin = client();
    const res = await admin.workspace('default').signIn.sso('ada@springfield.k12.us');
    expect(res.outcome).toBe('denied');
    expect(res.reason).toBe('sso_not_configured');
  });
});
