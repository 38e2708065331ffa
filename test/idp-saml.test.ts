// The mock IdP's SAML side against the workspace's own SP over HTTP: connect in one call, round trips
// (JSON, auto-post form, sign-in page), IdP-initiated launch, every SAML fault refused with its reason.
import { describe, expect, it } from 'vitest';
import { inProcess } from './support/in-process.js';
import { sessionCookie, verifyDomain } from './support/workspace.js';

const DOMAIN = 'springfield.k12.us';
const ADA = `ada@${DOMAIN}`;
const TOM = `tom@${DOMAIN}`;

async function setup(vendor = 'entra', connect: Record<string, unknown> = {}) {
  const env = inProcess();
  const { call } = env;
  const idp = await call('POST', '/_emulator/idps', {
    id: 'district',
    vendor,
    users: [
      { email: ADA, givenName: 'Ada', familyName: 'Admin', password: 'correct horse' },
      { email: TOM, givenName: 'Tom', familyName: 'Lee', groups: ['Teachers'] },
    ],
  });
  expect(idp.status).toBe(201);
  const sso = await call('PUT', '/w/default/api/sso', { protocol: 'saml', mockIdp: 'district', ...connect });
  expect(sso.status).toBe(200);
  await verifyDomain(call, 'default', DOMAIN);
  await call('POST', '/w/default/api/invites', { email: ADA, role: 'owner' });
  await call('POST', '/w/default/api/invites', { email: TOM });
  return env;
}

type Env = Awaited<ReturnType<typeof setup>>;

/** SP-initiated sign-in as a program: SP login → IdP SSO (JSON) → ACS. */
async function samlSignIn(env: Env, email: string, options: { fault?: string } = {}) {
  const { app } = env.emulator;
  const login = await app.request(`/w/default/sso/saml/login?email=${encodeURIComponent(email)}`);
  expect(login.status).toBe(302);
  const sso = new URL(login.headers.get('Location')!);
  if (options.fault) sso.searchParams.set('fault', options.fault);
  const issued = await app.request(sso.href, { headers: { Accept: 'application/json' } });
  expect(issued.status).toBe(200);
  const answer = (await issued.json()) as { acsUrl: string; SAMLResponse: string; RelayState?: string };
  const form = new URLSearchParams({ SAMLResponse: answer.SAMLResponse, ...(answer.RelayState ? { RelayState: answer.RelayState } : {}) });
  return app.request(answer.acsUrl, { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' }, body: form });
}

describe('mock IdP: SAML connect in one call', () => {
  it('exchanges metadata both ways: the workspace trusts the IdP, the IdP knows the SP', async () => {
    const env = await setup();
    const sso = (await env.call('GET', '/w/default/api/sso')).body;
    expect(sso).toMatchObject({
      configured: true,
      protocol: 'saml',
      mockIdp: 'district',
      idp: { entityId: 'http://localhost/idp/district/saml/metadata', ssoUrl: 'http://localhost/idp/district/saml/sso' },
    });
    expect(sso.idp.certificates).toHaveLength(1);
    const idp = (await env.call('GET', '/_emulator/idps/district')).body;
    expect(idp.apps.saml).toEqual([
      { entityId: 'http://localhost/w/default/sso/saml/metadata', acsUrl: 'http://localhost/w/default/sso/saml/acs', workspace: 'default' },
    ]);
    const metadata = await env.emulator.app.request('/idp/district/saml/metadata');
    expect(metadata.headers.get('Content-Type')).toMatch(/samlmetadata\+xml/);
    expect(await metadata.text()).toContain('entityID="http://localhost/idp/district/saml/metadata"');
  });

  it('refuses an unknown mock IdP with 404 and changes nothing', async () => {
    const { call } = inProcess();
    const res = await call('PUT', '/w/default/api/sso', { protocol: 'saml', mockIdp: 'nowhere' });
    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe('idp_not_found');
    expect((await call('GET', '/w/default/api/sso')).body.configured).toBe(false);
  });
});

describe('mock IdP: SAML sign-in round trips', () => {
  it.each(['entra', 'okta', 'google', 'classlink', 'clever', 'generic'])('signs a member in with %s-shaped assertions', async (vendor) => {
    const env = await setup(vendor);
    const acs = await samlSignIn(env, TOM);
    expect(acs.status).toBe(302);
    const me = await env.call('GET', '/w/default/me', undefined, { auth: null, headers: { Cookie: sessionCookie(acs.headers) } });
    expect(me.body).toMatchObject({ email: TOM, status: 'active' });
  });

  it('answers a browser with a form that auto-posts the response to the ACS', async () => {
    const env = await setup();
    const { app } = env.emulator;
    const login = await app.request(`/w/default/sso/saml/login?email=${TOM}&relayState=/w/default/me`);
    const page = await app.request(login.headers.get('Location')!);
    expect(page.headers.get('Content-Type')).toMatch(/text\/html/);
    const html = await page.text();
    expect(html).toContain('<form method="post" action="http://localhost/w/default/sso/saml/acs">');
    const samlResponse = /name="SAMLResponse" value="([^"]+)"/.exec(html)![1]!;
    const relayState = /name="RelayState" value="([^"]+)"/.exec(html)![1]!;
    expect(relayState).toBe('/w/default/me');
    const acs = await app.request('/w/default/sso/saml/acs', {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ SAMLResponse: samlResponse, RelayState: relayState }),
    });
    expect(acs.status).toBe(302);
    expect(acs.headers.get('Location')).toBe('/w/default/me');
  });

  it('shows a sign-in page when auto-approve is off, and takes a picked user or email and password', async () => {
    const env = await setup();
    const { app } = env.emulator;
    await env.call('PATCH', '/idp/district', { autoApprove: false });
    const login = await app.request(`/w/default/sso/saml/login?email=${ADA}`);
    const ssoUrl = login.headers.get('Location')!;
    const page = await app.request(ssoUrl);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain(`value="${ADA}"`);
    expect(html).toContain('name="login_password"');
    const samlRequest = /name="SAMLRequest" value="([^"]+)"/.exec(html)![1]!;
    const post = (fields: Record<string, string>) =>
      app.request('/idp/district/saml/sso', {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ SAMLRequest: samlRequest, binding: 'redirect', ...fields }),
      });
    const wrong = await post({ login_email: ADA, login_password: 'wrong' });
    expect(wrong.status).toBe(401);
    expect(await wrong.text()).toContain('Wrong password');
    const right = await post({ login_email: ADA, login_password: 'correct horse' });
    expect(right.status).toBe(200);
    expect(await right.text()).toContain('name="SAMLResponse"');
    // Programs get JSON instead of a page.
    const json = await app.request(ssoUrl, { headers: { Accept: 'application/json' } });
    expect(json.status).toBe(400);
    expect(((await json.json()) as { error: { code: string } }).error.code).toBe('idp_login_required');
    const approved = await app.request(`${ssoUrl}&auto_approve=true`, { headers: { Accept: 'application/json' } });
    expect(approved.status).toBe(200);
  });

  it('launches an IdP-initiated sign-in to a connected workspace that allows it', async () => {
    const env = await setup('okta', { allowIdpInitiated: true });
    const { app } = env.emulator;
    const issued = await app.request(`/idp/district/saml/launch?workspace=default&email=${TOM}`, { headers: { Accept: 'application/json' } });
    expect(issued.status).toBe(200);
    const answer = (await issued.json()) as { acsUrl: string; SAMLResponse: string };
    const acs = await app.request(answer.acsUrl, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ SAMLResponse: answer.SAMLResponse }),
    });
    expect(acs.status).toBe(302);
    expect(sessionCookie(acs.headers)).toMatch(/^edu_session=/);
  });

  it('refuses an AuthnRequest from a service provider it does not know', async () => {
    const env = await setup();
    const { app } = env.emulator;
    await env.call('POST', '/_emulator/idps', { id: 'other', vendor: 'generic', users: [{ email: TOM }] });
    const login = await app.request(`/w/default/sso/saml/login?email=${TOM}`);
    const url = login.headers.get('Location')!.replace('/idp/district/', '/idp/other/');
    const res = await app.request(url, { headers: { Accept: 'application/json' } });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('idp_unknown_sp');
  });

  it('journals the sign-in at the IdP', async () => {
    const env = await setup();
    await samlSignIn(env, TOM);
    const events = (await env.call('GET', '/_emulator/events?type=idp.')).body.events;
    expect(events.map((e: { type: string }) => e.type)).toContain('idp.signin');
    expect(events.find((e: { type: string }) => e.type === 'idp.signin').detail).toMatchObject({ idp: 'district', protocol: 'saml', email: TOM, workspace: 'default' });
  });
});

const SAML_CASES: Array<[string, string]> = [
  ['unsigned', 'saml_unsigned'],
  ['bad_signature', 'saml_bad_signature'],
  ['wrong_audience', 'saml_audience_mismatch'],
  ['wrong_destination', 'saml_destination_mismatch'],
  ['wrong_recipient', 'saml_recipient_mismatch'],
  ['expired', 'saml_expired'],
  ['not_yet_valid', 'saml_not_yet_valid'],
  ['replay', 'saml_replayed'],
  ['wrong_issuer', 'saml_wrong_issuer'],
  ['untrusted_cert', 'saml_untrusted_cert'],
  ['extra_assertion', 'saml_assertion_count'],
  ['missing_email', 'saml_missing_email'],
];

describe('mock IdP: SAML faults against the workspace SP', () => {
  it.each(SAML_CASES)('fault %s (per request) is refused with %s', async (fault, reason) => {
    const env = await setup();
    // The replay fault reuses the assertion of the sign-in before it.
    if (fault === 'replay') expect((await samlSignIn(env, TOM)).status).toBe(302);
    const acs = await samlSignIn(env, TOM, { fault });
    expect(acs.status).toBeGreaterThanOrEqual(400);
    expect(acs.status).toBeLessThan(500);
    const body = (await acs.json()) as { error: { code: string } };
    expect(body.error.code).toBe(reason);
    const used = (await env.call('GET', '/_emulator/events?type=idp.fault_used')).body.events;
    expect(used.at(-1).detail).toMatchObject({ fault, faultSource: 'request', protocol: 'saml' });
  });

  it('applies a fault armed for the next sign-in once, and a per-user fault every time', async () => {
    const env = await setup();
    expect((await env.call('PUT', '/idp/district/faults', { next: 'expired', users: { [ADA]: 'wrong_audience' } })).status).toBe(200);
    expect(((await (await samlSignIn(env, TOM)).json()) as any).error.code).toBe('saml_expired');
    expect((await samlSignIn(env, TOM)).status).toBe(302);
    expect(((await (await samlSignIn(env, ADA)).json()) as any).error.code).toBe('saml_audience_mismatch');
    expect(((await (await samlSignIn(env, ADA)).json()) as any).error.code).toBe('saml_audience_mismatch');
    // `none` on the request wins over the user's fault.
    expect((await samlSignIn(env, ADA, { fault: 'none' })).status).toBe(302);
    await env.call('PUT', '/idp/district/faults', { users: { [ADA]: null } });
    expect((await samlSignIn(env, ADA)).status).toBe(302);
  });

  it('refuses unknown fault names with 400', async () => {
    const env = await setup();
    const armed = await env.call('PUT', '/idp/district/faults', { next: 'gremlins' });
    expect(armed.status).toBe(400);
    expect(armed.body.error.code).toBe('idp_unknown_fault');
    const login = await env.emulator.app.request(`/w/default/sso/saml/login?email=${TOM}`);
    const res = await env.emulator.app.request(`${login.headers.get('Location')!}&fault=alg_none`, { headers: { Accept: 'application/json' } });
    expect(res.status).toBe(400);
  });
});

describe('mock IdP: the replay fault re-sends an assertion the workspace accepted', () => {
  it('after a refused fault, replays the last accepted assertion and is refused saml_replayed', async () => {
    const env = await setup();
    expect((await samlSignIn(env, TOM)).status).toBe(302);
    // The refused assertion never entered the SP's replay cache: replaying it would be let in.
    expect(((await (await samlSignIn(env, TOM, { fault: 'bad_signature' })).json()) as any).error.code).toBe('saml_bad_signature');
    const replay = await samlSignIn(env, TOM, { fault: 'replay' });
    expect(replay.status).toBe(400);
    expect(((await replay.json()) as any).error.code).toBe('saml_replayed');
    expect((await env.call('GET', '/w/default/api/events?type=signin.allowed')).body.events).toHaveLength(1);
  });

  it('answers idp_nothing_to_replay when the workspace has accepted nothing, or the last accepted has expired', async () => {
    const env = await setup();
    const nothing = async () => {
      const login = await env.emulator.app.request(`/w/default/sso/saml/login?email=${TOM}`);
      const res = await env.emulator.app.request(`${login.headers.get('Location')!}&fault=replay`, { headers: { Accept: 'application/json' } });
      expect(res.status).toBe(409);
      const body = (await res.json()) as any;
      expect(body.error.code).toBe('idp_nothing_to_replay');
      expect(body.error.message).toMatch(/accepted/);
    };
    // An issued but refused assertion is nothing to replay.
    expect(((await (await samlSignIn(env, TOM, { fault: 'wrong_audience' })).json()) as any).error.code).toBe('saml_audience_mismatch');
    await nothing();
    expect((await samlSignIn(env, TOM)).status).toBe(302);
    await env.call('POST', '/_emulator/clock', { advance: '1d', workspace: 'default' });
    await nothing();
  });
});

describe('SHA-1 by choice (allowSha1 per connection)', () => {
  it('refuses SHA-1 by default saying how to allow it, accepts it with allowSha1, and readiness warns while on', async () => {
    const env = await setup();
    const refused = await samlSignIn(env, TOM, { fault: 'sha1' });
    expect(refused.status).toBe(400);
    const error = ((await refused.json()) as any).error;
    expect(error.code).toBe('saml_weak_algorithm');
    expect(error.message).toContain('"allowSha1": true');
    expect((await env.call('GET', '/w/default/api/sso')).body.allowSha1).toBe(false);
    const readiness = async () => (await env.call('GET', '/w/default/api/readiness')).body.items.find((i: any) => i.id === 'sso_configured');
    expect((await readiness()).status).toBe('pass');

    expect((await env.call('PUT', '/w/default/api/sso', { protocol: 'saml', mockIdp: 'district', allowSha1: true })).body.allowSha1).toBe(true);
    expect((await samlSignIn(env, TOM, { fault: 'sha1' })).status).toBe(302);
    expect(await readiness()).toMatchObject({ status: 'warn', message: expect.stringContaining('SHA-1') });

    await env.call('PUT', '/w/default/api/sso', { protocol: 'saml', mockIdp: 'district' });
    expect((await env.call('GET', '/w/default/api/sso')).body.allowSha1).toBe(false);
    expect((await readiness()).status).toBe('pass');
    expect(((await (await samlSignIn(env, TOM, { fault: 'sha1' })).json()) as any).error.code).toBe('saml_weak_algorithm');
  });
});

describe('HTTP-POST AuthnRequests to an IdP whose metadata offers only HTTP-POST', () => {
  it('sends an auto-posting form instead of a redirect, shows the binding, and the round trip signs in', async () => {
    const env = await setup();
    const { app } = env.emulator;
    expect((await env.call('GET', '/w/default/api/sso')).body.authnRequestBinding).toBe('redirect');
    const metadata = await (await app.request('/idp/district/saml/metadata')).text();
    const postOnly = metadata.replace(/<(\w+:)?SingleSignOnService[^>]*HTTP-Redirect[^>]*?(\/>|>\s*<\/(\w+:)?SingleSignOnService>)/, '');
    expect(postOnly).toMatch(/SingleSignOnService[^>]*HTTP-POST/);
    expect(postOnly).not.toMatch(/SingleSignOnService[^>]*HTTP-Redirect/);
    const put = await env.call('PUT', '/w/default/api/sso', { protocol: 'saml', metadataXml: postOnly });
    expect(put.body).toMatchObject({ authnRequestBinding: 'post', idp: { ssoBinding: 'post', ssoUrl: 'http://localhost/idp/district/saml/sso' } });

    const login = await app.request(`/w/default/sso/saml/login?email=${encodeURIComponent(TOM)}&relayState=%2Fw%2Fdefault%2Fme`);
    expect(login.status).toBe(200);
    const page = await login.text();
    const action = /<form method="post" action="([^"]+)"/.exec(page)?.[1];
    expect(action).toBe('http://localhost/idp/district/saml/sso');
    const field = (name: string) => new RegExp(`name="${name}" value="([^"]*)"`).exec(page)?.[1];
    const samlRequest = field('SAMLRequest')!;
    // HTTP-POST binding: base64 of the XML itself, not deflated (SAML bindings §3.5.4).
    expect(Buffer.from(samlRequest, 'base64').toString('utf8')).toMatch(/^<samlp:AuthnRequest /);
    expect(field('RelayState')).toBe('/w/default/me');

    const issued = await app.request(action!, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' },
      body: new URLSearchParams({ SAMLRequest: samlRequest, RelayState: field('RelayState')! }),
    });
    expect(issued.status).toBe(200);
    const answer = (await issued.json()) as { acsUrl: string; SAMLResponse: string; RelayState: string };
    expect(answer.RelayState).toBe('/w/default/me');
    const acs = await app.request(answer.acsUrl, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ SAMLResponse: answer.SAMLResponse, RelayState: answer.RelayState }),
    });
    expect(acs.status).toBe(302);
    expect(acs.headers.get('Location')).toBe('/w/default/me');
    const sent = (await env.call('GET', '/w/default/api/events?type=sso.saml.request_sent')).body.events;
    expect(sent.at(-1).detail).toMatchObject({ binding: 'post', email: TOM });
  });
});
