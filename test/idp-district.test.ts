// The district story end to end over HTTP with no external service: 50 users in 5 groups, SSO in one
// call, real SCIM in the vendor's dialect, a real sign-in, then out of scope and refused `deactivated`.
import { describe, expect, it } from 'vitest';
import { inProcess } from './support/in-process.js';
import { sessionCookie, verifyDomain } from './support/workspace.js';

const DOMAIN = 'springfield.k12.us';
const GROUPS = ['Teachers', 'Students', 'Staff', 'Counselors', 'Administrators'];
const USERS = Array.from({ length: 50 }, (_, i) => ({
  email: `user${String(i + 1).padStart(2, '0')}@${DOMAIN}`,
  givenName: `Given${i + 1}`,
  familyName: `Family${i + 1}`,
  groups: [GROUPS[i % GROUPS.length]!],
}));
const SAM = USERS[7]!.email;

type Env = ReturnType<typeof inProcess>;

async function samlSignIn(env: Env, email: string) {
  const { app } = env.emulator;
  const login = await app.request(`/w/default/sso/saml/login?email=${encodeURIComponent(email)}`);
  expect(login.status).toBe(302);
  const issued = await app.request(login.headers.get('Location')!, { headers: { Accept: 'application/json' } });
  expect(issued.status).toBe(200);
  const answer = (await issued.json()) as { acsUrl: string; SAMLResponse: string };
  return app.request(answer.acsUrl, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' },
    body: new URLSearchParams({ SAMLResponse: answer.SAMLResponse }),
  });
}

async function oidcSignIn(env: Env, email: string) {
  const { app } = env.emulator;
  const login = await app.request(`/w/default/sso/oidc/login?email=${encodeURIComponent(email)}`);
  expect(login.status).toBe(302);
  const authorize = new URL(login.headers.get('Location')!);
  authorize.searchParams.set('auto_approve', 'true');
  const code = await app.request(authorize.href);
  expect(code.status).toBe(302);
  return app.request(code.headers.get('Location')!, { headers: { Accept: 'application/json' } });
}

async function district(protocol: 'saml' | 'oidc', vendor: string, dialect: 'entra' | 'okta') {
  const env = inProcess();
  const { call } = env;
  const idp = await call('POST', '/_emulator/idps', { id: 'springfield', vendor, users: USERS });
  expect(idp.status).toBe(201);
  expect(idp.body).toMatchObject({ users: 50, groups: 5 });
  expect((await call('PUT', '/w/default/api/sso', { protocol, mockIdp: 'springfield' })).status).toBe(200);
  await verifyDomain(call, 'default', DOMAIN);
  const token = await call('POST', '/w/default/api/scim/tokens', {});
  expect(token.status).toBe(201);
  const provision = () =>
    call('POST', '/idp/springfield/provision', { target: { baseUrl: 'http://localhost/w/default/scim/v2', token: token.body.token }, dialect });
  return { ...env, provision };
}

const CASES = [
  { protocol: 'saml', vendor: 'entra', dialect: 'entra', signIn: samlSignIn },
  { protocol: 'oidc', vendor: 'okta', dialect: 'okta', signIn: oidcSignIn },
] as const;

describe.each(CASES)('district rollout: $protocol sign-in, $dialect provisioning', ({ protocol, vendor, dialect, signIn }) => {
  it('provisions the directory, lets a provisioned user in, and refuses them once out of scope', async () => {
    const env = await district(protocol, vendor, dialect);
    const { call } = env;

    const first = await env.provision();
    expect(first.status).toBe(200);
    expect(first.body.counts).toMatchObject({ failedRequests: 0, users: { created: 50, failed: 0 }, groups: { created: 5, failed: 0 }, members: { added: 50 } });
    const member = (await call('GET', `/w/default/api/users?email=${SAM}`)).body.users[0];
    expect(member).toMatchObject({ email: SAM, source: 'scim', givenName: 'Given8', familyName: 'Family8' });
    expect(member.groups.map((g: { displayName: string }) => g.displayName)).toEqual([GROUPS[7 % 5]]);

    const allowed = await signIn(env, SAM);
    expect(allowed.status).toBe(302);
    const me = await call('GET', '/w/default/me', undefined, { auth: null, headers: { Cookie: sessionCookie(allowed.headers) } });
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({ email: SAM, status: 'active' });

    // idp_remove_user: out of the provisioning scope, still able to authenticate at the IdP.
    expect((await call('PATCH', `/idp/springfield/users/${SAM}`, { provisioned: false })).status).toBe(200);
    const second = await env.provision();
    expect(second.body.counts).toMatchObject({ failedRequests: 0, users: { deactivated: 1, unchanged: 49 } });
    expect((await call('GET', `/w/default/api/users?email=${SAM}`)).body.users[0].status).toBe('deactivated');

    const refused = await signIn(env, SAM);
    expect(refused.status).toBe(403);
    expect(((await refused.json()) as { error: { code: string } }).error.code).toBe('deactivated');
    // The IdP did sign them in; the workspace refused.
    const signins = (await call('GET', '/_emulator/events?type=idp.signin')).body.events;
    expect(signins.at(-1).detail).toMatchObject({ email: SAM, protocol });
  });

  it('pushes a group move as member add and remove', async () => {
    const env = await district(protocol, vendor, dialect);
    const { call } = env;
    await env.provision();
    expect((await call('POST', `/idp/springfield/users/${SAM}/move`, { from: 'Staff', to: 'Teachers' })).status).toBe(200);
    const run = await env.provision();
    expect(run.body.counts).toMatchObject({ failedRequests: 0, members: { added: 1, removed: 1 } });
    const groups = (await call('GET', `/w/default/api/users?email=${SAM}`)).body.users[0].groups;
    expect(groups.map((g: { displayName: string }) => g.displayName)).toEqual(['Teachers']);
  });
});
