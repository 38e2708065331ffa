// The workspace as a SAML service provider over HTTP: complete browserless flows against an
// independent IdP built here with samlify's IdentityProvider, and the refusal matrix, each
// refused with its own reason, nothing created and no session.
import { readFileSync } from 'node:fs';
import { inflateRawSync } from 'node:zlib';
import { beforeEach, describe, expect, it } from 'vitest';
import { issueSamlResponse, SAML_FAULTS, type SamlFault } from '../src/idp/saml/issue-response.js';
import { samlifyLib } from '../src/sso/saml/samlify-setup.js';
import { inProcess } from './support/in-process.js';
import { sessionCookie, verifyDomain } from './support/workspace.js';

const keys = (name: string) => ({
  privateKeyPem: readFileSync(new URL(`../fixtures/keys/${name}.key`, import.meta.url), 'utf8'),
  certPem: readFileSync(new URL(`../fixtures/keys/${name}.crt`, import.meta.url), 'utf8'),
});
const IDP = { entityId: 'https://sts.windows.net/springfield-tenant/', ssoUrl: 'https://login.microsoftonline.com/springfield-tenant/saml2', ...keys('idp-signing') };
const SP = { entityId: 'http://localhost/w/default/sso/saml/metadata', acsUrl: 'http://localhost/w/default/sso/saml/acs' };
const samlify = samlifyLib();

/** An IdP independent of the emulator's own issuer: samlify's IdentityProvider with the test key. */
function independentIdp() {
  return samlify.IdentityProvider({
    entityID: IDP.entityId,
    privateKey: IDP.privateKeyPem,
    signingCert: IDP.certPem,
    singleSignOnService: [{ Binding: samlify.Constants.namespace.binding.redirect, Location: IDP.ssoUrl }],
    loginResponseTemplate: {
      context: samlify.SamlLib.defaultLoginResponseTemplate.context,
      attributes: [
        { name: 'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/givenname', valueTag: 'givenName', nameFormat: 'urn:oasis:names:tc:SAML:2.0:attrname-format:uri', valueXsiType: 'xs:string' },
        { name: 'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/surname', valueTag: 'surname', nameFormat: 'urn:oasis:names:tc:SAML:2.0:attrname-format:uri', valueXsiType: 'xs:string' },
      ],
    },
  });
}
const spForSamlify = samlify.ServiceProvider({
  entityID: SP.entityId,
  wantAssertionsSigned: true,
  assertionConsumerService: [{ Binding: samlify.Constants.namespace.binding.post, Location: SP.acsUrl }],
});

let n = 0;
async function independentResponse(email: string, inResponseTo?: string): Promise<string> {
  const now = Date.now();
  const iso = (ms: number) => new Date(ms).toISOString();
  const tags: Record<string, string | undefined> = {
    ID: `_r${++n}${now}`,
    AssertionID: `_a${n}${now}`,
    Destination: SP.acsUrl,
    Audience: SP.entityId,
    SubjectRecipient: SP.acsUrl,
    Issuer: IDP.entityId,
    IssueInstant: iso(now),
    StatusCode: 'urn:oasis:names:tc:SAML:2.0:status:Success',
    ConditionsNotBefore: iso(now - 1000),
    ConditionsNotOnOrAfter: iso(now + 300_000),
    SubjectConfirmationDataNotOnOrAfter: iso(now + 300_000),
    NameIDFormat: 'urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress',
    NameID: email,
    InResponseTo: inResponseTo,
    AuthnStatement: '',
    attrGivenName: 'Ada',
    attrSurname: 'Lovelace',
  };
  const { context } = await independentIdp().createLoginResponse(spForSamlify, {} as never, 'post', {}, {
    customTagReplacement: (template: string) => ({ id: tags.ID!, context: samlify.SamlLib.replaceTagsByValue(template, tags) }),
  });
  return context;
}

function requestIdOf(location: string): string {
  const req = new URL(location).searchParams.get('SAMLRequest')!;
  const xml = inflateRawSync(Buffer.from(req, 'base64')).toString('utf8');
  return /ID="([^"]+)"/.exec(xml)![1]!;
}

let env: ReturnType<typeof inProcess>;
const post = (samlResponse: string, relayState?: string) =>
  env.emulator.app.request('/w/default/sso/saml/acs', {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ SAMLResponse: samlResponse, ...(relayState ? { RelayState: relayState } : {}) }).toString(),
  });

async function configure(extra: Record<string, unknown> = {}) {
  const res = await env.call('PUT', '/w/default/api/sso', { protocol: 'saml', idp: { entityId: IDP.entityId, ssoUrl: IDP.ssoUrl, certificates: [IDP.certPem] }, ...extra });
  expect(res.status).toBe(200);
  return res.body;
}

async function startLogin(email: string, relayState?: string): Promise<string> {
  const q = new URLSearchParams({ email, ...(relayState ? { relayState } : {}) });
  const res = await env.emulator.app.request(`/w/default/sso/saml/login?${q}`);
  expect(res.status).toBe(302);
  const location = res.headers.get('Location')!;
  expect(location.startsWith(`${IDP.ssoUrl}?SAMLRequest=`)).toBe(true);
  return requestIdOf(location);
}

beforeEach(async () => {
  env = inProcess();
  await verifyDomain(env.call, 'default', 'springfield.k12.us');
  await env.call('POST', '/w/default/api/invites', { email: 'ada@springfield.k12.us' });
});

describe('SAML service provider over HTTP', () => {
  it('shows its own values and serves SP metadata', async () => {
    const view = await configure();
    expect(view).toMatchObject({ configured: true, protocol: 'saml', entityId: SP.entityId, acsUrl: SP.acsUrl, idp: { entityId: IDP.entityId } });
    const md = await env.emulator.app.request('/w/default/sso/saml/metadata');
    const xml = await md.text();
    expect(xml).toContain(`entityID="${SP.entityId}"`);
    expect(xml).toContain(`Location="${SP.acsUrl}"`);
    expect(xml).toContain('WantAssertionsSigned="true"');
  });

  it('SP-initiated: login → IdP → ACS → session whose /me shows the member', async () => {
    await configure();
    const id = await startLogin('ada@springfield.k12.us', '/w/default/me?from=sso');
    const res = await post(await independentResponse('ada@springfield.k12.us', id), '/w/default/me?from=sso');
    expect(res.status).toBe(302);
    expect(res.headers.get('Location')).toBe('/w/default/me?from=sso');
    const cookie = sessionCookie(res.headers);
    const me = await env.call('GET', '/w/default/me', undefined, { auth: null, headers: { Cookie: cookie } });
    expect(me.body).toMatchObject({ email: 'ada@springfield.k12.us', status: 'active', source: 'invite', givenName: 'Ada', familyName: 'Lovelace' });
    const view = (await env.call('GET', '/w/default/api/sso')).body;
    expect(view.tested).toBe(true);
    // The request id was used up: the same response again is a replay.
    const again = await post(await independentResponse('ada@springfield.k12.us', id));
    expect(again.status).toBe(400);
    expect((await again.json()).error.code).toBe('saml_unknown_request');
  });

  it('IdP-initiated: accepted only when the connection allows it', async () => {
    await configure();
    const refused = await post(await independentResponse('ada@springfield.k12.us'));
    expect(refused.status).toBe(400);
    expect((await refused.json()).error.code).toBe('saml_unsolicited');
    await configure({ allowIdpInitiated: true });
    const ok = await post(await independentResponse('ada@springfield.k12.us'), 'https://evil.example/phish');
    expect(ok.status).toBe(302);
    // A RelayState outside the workspace is not followed.
    expect(ok.headers.get('Location')).toBe('/w/default/me');
    expect((await env.call('GET', '/w/default/me', undefined, { auth: null, headers: { Cookie: sessionCookie(ok.headers) } })).body.email).toBe('ada@springfield.k12.us');
  });

  it('accepts either of two configured certificates (rotation)', async () => {
    const rotated = keys('idp-signing-rotated');
    await env.call('PUT', '/w/default/api/sso', { protocol: 'saml', idp: { entityId: IDP.entityId, ssoUrl: IDP.ssoUrl, certificates: [rotated.certPem, IDP.certPem] } });
    const id = await startLogin('ada@springfield.k12.us');
    expect((await post(await independentResponse('ada@springfield.k12.us', id))).status).toBe(302);
  });

  it('configures from IdP metadata XML (Entra federation metadata)', async () => {
    const xml = readFileSync(new URL('../fixtures/saml/idp-metadata/entra.xml', import.meta.url), 'utf8');
    const res = await env.call('PUT', '/w/default/api/sso', { protocol: 'saml', metadataXml: xml });
    expect(res.status).toBe(200);
    expect(res.body.idp.certificates.length).toBe(2);
    expect(res.body.idp.ssoUrl).toMatch(/^https:\/\/login\.microsoftonline\.com\//);
  });

  it.each([
    [{ protocol: 'saml' }, 'invalid_sso_config'],
    [{ protocol: 'saml', metadataXml: '<nope' }, 'saml_metadata_invalid'],
    [{ protocol: 'saml', idp: { entityId: 'x', ssoUrl: 'https://idp.example/sso', certificates: ['not a cert'] } }, 'invalid_certificate'],
    [{ protocol: 'oidc', issuer: 'http://idp.example.com', clientId: 'a', clientSecret: 'b' }, 'oidc_insecure_issuer'],
    [{ protocol: 'ldap' }, 'invalid_sso_config'],
  ])('refuses connection %j with 400 %s and changes nothing', async (body, code) => {
    const before = await env.state();
    const res = await env.call('PUT', '/w/default/api/sso', body);
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe(code);
    expect(await env.state()).toEqual(before);
  });

  it('a changed connection needs a new successful sign-in before enforcement rises', async () => {
    await configure();
    expect((await env.call('PUT', '/w/default/api/sso/enforcement', { level: 'sso_only' })).body.error.code).toBe('sso_untested');
    const id = await startLogin('ada@springfield.k12.us');
    await post(await independentResponse('ada@springfield.k12.us', id));
    expect((await env.call('PUT', '/w/default/api/sso/enforcement', { level: 'sso_only' })).body.level).toBe('sso_only');
    expect((await env.call('DELETE', '/w/default/api/sso')).body.error.code).toBe('enforcement_active');
    await env.call('PUT', '/w/default/api/sso/enforcement', { level: 'off' });
    await configure({ clockSkewSeconds: 30 });
    expect((await env.call('PUT', '/w/default/api/sso/enforcement', { level: 'no_passwords' })).body.error.code).toBe('sso_untested');
  });

  it('SSO never adds a member: a stranger is not_a_member unless automatic account creation is on', async () => {
    await configure({ allowIdpInitiated: true });
    const res = await post(await independentResponse('newcomer@springfield.k12.us'));
    expect(res.status).toBe(403);
    expect((await res.json()).error.code).toBe('not_a_member');
    expect((await env.call('GET', '/w/default/api/users?email=newcomer@springfield.k12.us')).body.users).toEqual([]);
    await env.call('PATCH', '/w/default/api/settings', { automaticAccountCreation: true });
    const auto = await post(await independentResponse('newcomer@springfield.k12.us'));
    expect(auto.status).toBe(302);
    expect((await env.call('GET', '/w/default/api/users?email=newcomer@springfield.k12.us')).body.users[0]).toMatchObject({ source: 'auto', status: 'active' });
    // Another domain is never let in by SSO, automatic creation or not.
    const other = await post(await independentResponse('visitor@elsewhere.example'));
    expect((await other.json()).error.code).toBe('domain_not_verified');
  });
});

describe('SAML refusals over HTTP: each with its reason, nothing created, no session', () => {
  const issue = (fault: SamlFault | undefined, inResponseTo: string | undefined, email = 'ada@springfield.k12.us') =>
    issueSamlResponse({
      idp: IDP,
      sp: SP,
      user: { email, givenName: 'Ada', familyName: 'Lovelace' },
      ...(inResponseTo ? { inResponseTo } : {}),
      clock: env.emulator.core.clockFor('default'),
      vendor: 'entra',
      ...(fault ? { fault } : {}),
    });

  async function expectRefused(res: Response, reason: string) {
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.status).toBeLessThan(500);
    expect(res.headers.get('Set-Cookie')).toBeNull();
    const body = await res.json();
    expect(body.error.code).toBe(reason);
    expect(body.error.message.length).toBeGreaterThan(20);
    const users = (await env.call('GET', '/w/default/api/users')).body.users;
    expect(users.map((u: any) => [u.email, u.status])).toEqual([['ada@springfield.k12.us', 'pending_invite']]);
    const denied = (await env.call('GET', '/w/default/api/events?type=signin.denied')).body.events;
    expect(denied.at(-1).detail).toMatchObject({ method: 'sso', protocol: 'saml', reason });
  }

  beforeEach(async () => {
    await configure();
  });

  for (const fault of Object.keys(SAML_FAULTS) as SamlFault[]) {
    it(`${fault} → ${SAML_FAULTS[fault]}`, async () => {
      if (fault === 'replay') {
        const first = await startLogin('ada@springfield.k12.us');
        const good = await post(issue(undefined, first));
        expect(good.status).toBe(302);
        // The member is now active; a replay of that assertion must be refused.
        const id = await startLogin('ada@springfield.k12.us');
        const res = await post(issue('replay', id));
        expect(res.status).toBe(400);
        expect((await res.json()).error.code).toBe('saml_replayed');
        return;
      }
      const id = await startLogin('ada@springfield.k12.us');
      await expectRefused(await post(issue(fault, id)), SAML_FAULTS[fault]);
    });
  }

  it('tampered NameID after signing → saml_bad_signature', async () => {
    const id = await startLogin('ada@springfield.k12.us');
    const xml = Buffer.from(issue(undefined, id, 'eve@springfield.k12.us'), 'base64').toString('utf8');
    const tampered = xml.replaceAll('eve@springfield.k12.us', 'ada@springfield.k12.us');
    await expectRefused(await post(Buffer.from(tampered).toString('base64')), 'saml_bad_signature');
  });

  it('tampered attribute after signing → saml_bad_signature', async () => {
    const id = await startLogin('ada@springfield.k12.us');
    const xml = Buffer.from(issue(undefined, id), 'base64').toString('utf8');
    expect(xml).toContain('>Ada<');
    await expectRefused(await post(Buffer.from(xml.replace('>Ada<', '>Mallory<')).toString('base64')), 'saml_bad_signature');
  });

  it('comment injection in NameID does not truncate the signed identity', async () => {
    const id = await startLogin('ada@springfield.k12.us');
    const xml = Buffer.from(issue(undefined, id, 'ada@springfield.k12.us.evil.example'), 'base64').toString('utf8');
    const injected = xml.replace('ada@springfield.k12.us.evil.example</', 'ada@springfield.k12.us<!---->.evil.example</');
    expect(injected).not.toBe(xml);
    const res = await post(Buffer.from(injected).toString('base64'));
    // Either the comment breaks the signature, or the identity read is the whole signed value
    // (another domain): never ada@springfield.k12.us.
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(['saml_bad_signature', 'domain_not_verified']).toContain((await res.json()).error.code);
  });

  it('unknown InResponseTo → saml_unknown_request', async () => {
    await startLogin('ada@springfield.k12.us');
    await expectRefused(await post(issue(undefined, '_not-a-request-we-sent')), 'saml_unknown_request');
  });

  it('DOCTYPE/entity payload → saml_doctype', async () => {
    const xml = `<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]><samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol">&x;</samlp:Response>`;
    await expectRefused(await post(Buffer.from(xml).toString('base64')), 'saml_doctype');
  });

  it('expired and not-yet-valid at the edges of the clock skew', async () => {
    // The emulator clock moves; the IdP signed at real time.
    const id = await startLogin('ada@springfield.k12.us');
    const response = issue(undefined, id);
    await env.call('POST', '/_emulator/clock', { advance: '10m' });
    await expectRefused(await post(response), 'saml_expired');
    await env.call('POST', '/_emulator/clock', { advance: '-20m' });
    const id2 = await startLogin('ada@springfield.k12.us');
    const early = issueSamlResponse({ idp: IDP, sp: SP, user: { email: 'ada@springfield.k12.us', givenName: 'A', familyName: 'L' }, inResponseTo: id2, clock: { now: () => new Date(Date.now()), nowMs: () => Date.now() }, vendor: 'entra' });
    await expectRefused(await post(early), 'saml_not_yet_valid');
  });

  it('a POST without SAMLResponse → 400 saml_missing_response', async () => {
    const res = await env.emulator.app.request('/w/default/sso/saml/acs', { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: 'foo=bar' });
    expect(res.status).toBe(400);
    expect((await res.json()).error.code).toBe('saml_missing_response');
  });
});
