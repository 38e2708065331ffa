// The mock IdP's OpenID provider against the workspace's own RP over HTTP: connect in one call, code
// flow with login_hint auto-approve, the picker page, and every OIDC fault refused with its reason.
import { describe, expect, it } from 'vitest';
import { inProcess } from './support/in-process.js';
import { sessionCookie, verifyDomain } from './support/workspace.js';

const DOMAIN = 'springfield.k12.us';
const ADA = `ada@${DOMAIN}`;
const TOM = `tom@${DOMAIN}`;

async function setup(vendor = 'clever') {
  const env = inProcess();
  const { call } = env;
  expect(
    (
      await call('POST', '/_emulator/idps', {
        id: 'district',
        vendor,
        users: [
          { email: ADA, givenName: 'Ada', familyName: 'Admin', password: 'correct horse' },
          { email: TOM, givenName: 'Tom', familyName: 'Lee' },
        ],
      })
    ).status,
  ).toBe(201);
  expect((await call('PUT', '/w/default/api/sso', { protocol: 'oidc', mockIdp: 'district' })).status).toBe(200);
  await verifyDomain(call, 'default', DOMAIN);
  await call('POST', '/w/default/api/invites', { email: ADA, role: 'owner' });
  await call('POST', '/w/default/api/invites', { email: TOM });
  return env;
}

type Env = Awaited<ReturnType<typeof setup>>;

/** RP login → provider authorize (login_hint, auto-approve) → callback. */
async function oidcSignIn(env: Env, email: string, options: { fault?: string } = {}) {
  const { app } = env.emulator;
  const login = await app.request(`/w/default/sso/oidc/login?email=${encodeURIComponent(email)}`);
  expect(login.status).toBe(302);
  const authorize = new URL(login.headers.get('Location')!);
  expect(authorize.searchParams.get('login_hint')).toBe(email);
  if (options.fault) authorize.searchParams.set('fault', options.fault);
  const code = await app.request(authorize.href);
  expect(code.status).toBe(302);
  return app.request(code.headers.get('Location')!, { headers: { Accept: 'application/json' } });
}

describe('mock IdP: OIDC connect in one call', () => {
  it('registers the workspace as a client and gives the workspace the issuer and credentials', async () => {
    const env = await setup();
    const sso = (await env.call('GET', '/w/default/api/sso')).body;
    expect(sso).toMatchObject({ configured: true, protocol: 'oidc', mockIdp: 'district', issuer: 'http://localhost/idp/district/oidc', clientSecretSet: true });
    const idp = (await env.call('GET', '/_emulator/idps/district')).body;
    expect(idp.apps.oidc).toEqual([{ clientId: sso.clientId, redirectUris: ['http://localhost/w/default/sso/oidc/callback'], workspace: 'default' }]);
    const discovery = await env.emulator.app.request('/idp/district/oidc/.well-known/openid-configuration');
    expect(((await discovery.json()) as { issuer: string }).issuer).toBe('http://localhost/idp/district/oidc');
    // Connecting again keeps the same client.
    await env.call('PUT', '/w/default/api/sso', { protocol: 'oidc', mockIdp: 'district' });
    expect((await env.call('GET', '/w/default/api/sso')).body.clientId).toBe(sso.clientId);
  });
});

describe('mock IdP: OIDC sign-in round trips', () => {
  it.each(['clever', 'google', 'entra', 'okta', 'classlink', 'generic'])('signs a member in with %s-shaped tokens', async (vendor) => {
    const env = await setup(vendor);
    const callback = await oidcSignIn(env, TOM);
    expect(callback.status).toBe(302);
    const me = await env.call('GET', '/w/default/me', undefined, { auth: null, headers: { Cookie: sessionCookie(callback.headers) } });
    expect(me.body).toMatchObject({ email: TOM, status: 'active' });
    const signins = (await env.call('GET', '/_emulator/events?type=idp.signin')).body.events;
    expect(signins.at(-1).detail).toMatchObject({ idp: 'district', protocol: 'oidc', email: TOM, workspace: 'default' });
  });

  it('shows the picker when auto-approve is off; a typed password must match', async () => {
    const env = await setup();
    const { app } = env.emulator;
    await env.call('PATCH', '/idp/district', { autoApprove: false });
    const login = await app.request(`/w/default/sso/oidc/login?email=${ADA}`);
    const authorize = new URL(login.headers.get('Location')!);
    const page = await app.request(authorize.href);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('name="login_password"');
    const post = (fields: Record<string, string>) =>
      app.request(authorize.origin + authorize.pathname, {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ ...Object.fromEntries(authorize.searchParams), ...fields }),
      });
    expect((await post({ login_email: ADA, login_password: 'nope' })).status).toBe(400);
    const ok = await post({ login_email: ADA, login_password: 'correct horse' });
    expect(ok.status).toBe(302);
    const callback = await app.request(ok.headers.get('Location')!);
    expect(callback.status).toBe(302);
    // A program may still ask for auto-approve on its own request.
    const again = await app.request((await app.request(`/w/default/sso/oidc/login?email=${TOM}`)).headers.get('Location')! + '&auto_approve=1');
    expect(again.status).toBe(302);
  });
});

const OIDC_CASES: Array<[string, string]> = [
  ['bad_signature', 'oidc_bad_signature'],
  ['alg_none', 'oidc_alg_none'],
  ['wrong_audience', 'oidc_audience_mismatch'],
  ['wrong_issuer', 'oidc_wrong_issuer'],
  ['expired', 'oidc_expired'],
  ['issued_in_future', 'oidc_issued_in_future'],
  ['nonce_mismatch', 'oidc_nonce_mismatch'],
  ['unverified_email', 'oidc_unverified_email'],
  ['missing_email', 'oidc_missing_email'],
  ['unsigned', 'oidc_alg_none'],
];

describe('mock IdP: OIDC faults against the workspace RP', () => {
  it.each(OIDC_CASES)('fault %s (per request) is refused with %s', async (fault, reason) => {
    const env = await setup();
    const callback = await oidcSignIn(env, TOM, { fault });
    expect(callback.status).toBeGreaterThanOrEqual(400);
    expect(callback.status).toBeLessThan(500);
    expect(((await callback.json()) as { error: { code: string } }).error.code).toBe(reason);
    const used = (await env.call('GET', '/_emulator/events?type=idp.fault_used')).body.events;
    expect(used.at(-1).detail).toMatchObject({ protocol: 'oidc', faultSource: 'request' });
  });

  it('uses an armed next fault once and per-user faults every time; SAML-only faults wait for SAML', async () => {
    const env = await setup();
    await env.call('PUT', '/idp/district/faults', { next: 'replay' });
    expect((await oidcSignIn(env, TOM)).status).toBe(302);
    expect((await env.call('GET', '/idp/district/faults')).body.next).toBe('replay');
    await env.call('PUT', '/idp/district/faults', { next: 'nonce_mismatch', users: { [ADA]: 'expired' } });
    expect(((await (await oidcSignIn(env, TOM)).json()) as any).error.code).toBe('oidc_nonce_mismatch');
    expect((await oidcSignIn(env, TOM)).status).toBe(302);
    expect(((await (await oidcSignIn(env, ADA)).json()) as any).error.code).toBe('oidc_expired');
    expect((await oidcSignIn(env, ADA, { fault: 'none' })).status).toBe(302);
  });

  it('refuses a fault that OIDC does not have on the request', async () => {
    const env = await setup();
    const login = await env.emulator.app.request(`/w/default/sso/oidc/login?email=${TOM}`);
    const res = await env.emulator.app.request(`${login.headers.get('Location')!}&fault=wrong_recipient`);
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('idp_unknown_fault');
  });
});
