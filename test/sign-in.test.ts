// Members, invites, password and social sign-in, sessions, sign-in/check and enforcement over HTTP.
import { describe, expect, it } from 'vitest';
import { inProcess } from './support/in-process.js';
import { sessionCookie, verifyDomain } from './support/workspace.js';

describe('members and invites', () => {
  it('invites a member (pending_invite) and lists them by email, case-insensitively', async () => {
    const { call } = inProcess();
    const res = await call('POST', '/w/default/api/invites', { email: 'Ada@Springfield.k12.us', role: 'admin', givenName: 'Ada' });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ email: 'Ada@Springfield.k12.us', source: 'invite', status: 'pending_invite', role: 'admin', groups: [], givenName: 'Ada' });
    const list = await call('GET', '/w/default/api/users?email=ada@springfield.K12.US');
    expect(list.body.users).toHaveLength(1);
    expect(list.body.users[0].id).toBe(res.body.id);
    expect((await call('GET', '/w/default/api/users?email=nobody@x.example')).body.users).toEqual([]);
  });

  it.each([
    [{ email: 'not-an-email' }, 400, 'invalid_email'],
    [{}, 400, 'invalid_request'],
    [{ email: 'a@b.example', role: 'superuser' }, 400, 'invalid_request'],
    [{ email: 'a@b.example', password: 'short' }, 400, 'weak_password'],
  ])('refuses invite %j with %i %s and changes nothing', async (body, status, code) => {
    const { call, state } = inProcess();
    const before = await state();
    const res = await call('POST', '/w/default/api/invites', body);
    expect(res.status).toBe(status);
    expect(res.body.error.code).toBe(code);
    expect(await state()).toEqual(before);
  });

  it('refuses a second invite of the same email with 409 member_exists', async () => {
    const { call } = inProcess();
    await call('POST', '/w/default/api/invites', { email: 'tom@springfield.k12.us' });
    const again = await call('POST', '/w/default/api/invites', { email: 'TOM@springfield.k12.us' });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('member_exists');
  });
});

describe('password and social sign-in', () => {
  it('signs an invited member in, activates them, and /me shows them with the session cookie only', async () => {
    const { call } = inProcess();
    await call('POST', '/w/default/api/invites', { email: 'ada@springfield.k12.us', password: 'correct horse', role: 'owner' });
    const res = await call('POST', '/w/default/login/password', { email: 'ada@springfield.k12.us', password: 'correct horse' }, { auth: null });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ outcome: 'allowed', member: { email: 'ada@springfield.k12.us', status: 'active' } });
    const setCookie = res.headers.get('Set-Cookie')!;
    expect(setCookie).toMatch(/HttpOnly/i);
    expect(setCookie).toMatch(/SameSite=Lax/i);
    expect(setCookie).toMatch(/Path=\/w\/default/);
    const cookie = sessionCookie(res.headers);
    const me = await call('GET', '/w/default/me', undefined, { auth: null, headers: { Cookie: cookie } });
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({ email: 'ada@springfield.k12.us', role: 'owner', status: 'active' });
    const anon = await call('GET', '/w/default/me', undefined, { auth: null });
    expect(anon.status).toBe(401);
    expect(anon.body.error.code).toBe('not_signed_in');

    // An owner's session may use the admin API.
    const domains = await call('GET', '/w/default/api/domains', undefined, { auth: null, headers: { Cookie: cookie } });
    expect(domains.status).toBe(200);
    // The session is the workspace's own.
    await call('POST', '/_emulator/workspaces', { id: 'other' });
    expect((await call('GET', '/w/other/me', undefined, { auth: null, headers: { Cookie: cookie } })).status).toBe(401);

    expect((await call('POST', '/w/default/logout', undefined, { auth: null, headers: { Cookie: cookie } })).status).toBe(204);
    expect((await call('GET', '/w/default/me', undefined, { auth: null, headers: { Cookie: cookie } })).status).toBe(401);
  });

  it('refuses a plain member session on the admin API with 403', async () => {
    const { call } = inProcess();
    await call('POST', '/w/default/api/invites', { email: 'sam@x.example', password: 'password123' });
    const res = await call('POST', '/w/default/login/password', { email: 'sam@x.example', password: 'password123' }, { auth: null });
    const denied = await call('GET', '/w/default/api/domains', undefined, { auth: null, headers: { Cookie: sessionCookie(res.headers) } });
    expect(denied.status).toBe(403);
    expect(denied.body.error.code).toBe('insufficient_role');
  });

  it('refuses with the reason code and records every attempt', async () => {
    const { call, state } = inProcess();
    await call('POST', '/w/default/api/invites', { email: 'ada@x.example', password: 'correct horse' });
    const before = (await state()).workspaces.default.members;
    const wrong = await call('POST', '/w/default/login/password', { email: 'ada@x.example', password: 'wrong horse' }, { auth: null });
    expect(wrong.status).toBe(403);
    expect(wrong.body.error.code).toBe('invalid_credentials');
    expect(wrong.headers.get('Set-Cookie')).toBeNull();
    const stranger = await call('POST', '/w/default/login/social', { email: 'eve@x.example', provider: 'google' }, { auth: null });
    expect(stranger.status).toBe(403);
    expect(stranger.body.error.code).toBe('not_a_member');
    expect((await state()).workspaces.default.members).toEqual(before);
    const events = (await call('GET', '/w/default/api/events?type=signin.*')).body.events;
    expect(events.map((e: any) => [e.type, e.detail.method, e.detail.email, e.detail.reason])).toEqual([
      ['signin.denied', 'password', 'ada@x.example', 'invalid_credentials'],
      ['signin.denied', 'social', 'eve@x.example', 'not_a_member'],
    ]);
    const bad = await call('POST', '/w/default/login/social', { email: 'ada@x.example', provider: 'myspace' }, { auth: null });
    expect(bad.status).toBe(400);
  });

  it('refuses a deactivated member before anything else', async () => {
    const { call, emulator } = inProcess();
    const m = (await call('POST', '/w/default/api/invites', { email: 'gone@x.example', password: 'password123' })).body;
    emulator.core.requireWorkspace('default').members[m.id]!.status = 'deactivated';
    const res = await call('POST', '/w/default/login/password', { email: 'gone@x.example', password: 'nope' }, { auth: null });
    expect(res.body.error.code).toBe('deactivated');
  });
});

describe('enforcement and sign-in/check', () => {
  it('refuses to raise enforcement without a connection, or untested without force; force is recorded', async () => {
    const { call, emulator } = inProcess();
    const none = await call('PUT', '/w/default/api/sso/enforcement', { level: 'sso_only' });
    expect(none.status).toBe(409);
    expect(none.body.error.code).toBe('sso_not_configured');
    emulator.core.requireWorkspace('default').sso.connection = { protocol: 'saml' };
    const untested = await call('PUT', '/w/default/api/sso/enforcement', { level: 'no_passwords' });
    expect(untested.status).toBe(409);
    expect(untested.body.error.code).toBe('sso_untested');
    expect(untested.body.error.message).toMatch(/force/);
    expect((await call('GET', '/w/default/api/sso/enforcement')).body.level).toBe('off');
    const forced = await call('PUT', '/w/default/api/sso/enforcement', { level: 'no_passwords', force: true });
    expect(forced.status).toBe(200);
    expect(forced.body.level).toBe('no_passwords');
    const events = (await call('GET', '/w/default/api/events?type=sso.enforcement_changed')).body.events;
    expect(events).toHaveLength(1);
    expect(events[0].detail).toEqual({ from: 'off', to: 'no_passwords', forced: true });
    expect((await call('PUT', '/w/default/api/sso/enforcement', { level: 'everything' })).status).toBe(400);
    // Lowering needs nothing.
    expect((await call('PUT', '/w/default/api/sso/enforcement', { level: 'off' })).body.level).toBe('off');
  });

  it('applies enforcement to verified-domain users only, with an audited owner break-glass', async () => {
    const { call, emulator } = inProcess();
    await verifyDomain(call, 'default', 'springfield.k12.us');
    await call('POST', '/w/default/api/invites', { email: 'owner@springfield.k12.us', password: 'owner-pass', role: 'owner' });
    await call('POST', '/w/default/api/invites', { email: 'teacher@springfield.k12.us', password: 'teacher-pass' });
    await call('POST', '/w/default/api/invites', { email: 'guest@partner.example', password: 'guest-pass' });
    emulator.core.requireWorkspace('default').sso.connection = { protocol: 'saml' };
    await call('PUT', '/w/default/api/sso/enforcement', { level: 'sso_only', force: true });

    const check = async (email: string, method: string) => (await call('POST', '/w/default/api/sign-in/check', { email, method })).body;
    expect(await check('teacher@springfield.k12.us', 'password')).toMatchObject({ outcome: 'denied', reason: 'sso_required' });
    expect(await check('teacher@springfield.k12.us', 'social')).toMatchObject({ outcome: 'denied', reason: 'sso_required' });
    expect(await check('guest@partner.example', 'password')).toEqual({ outcome: 'allowed' });
    expect(await check('owner@springfield.k12.us', 'password')).toEqual({ outcome: 'denied', reason: 'sso_required', message: expect.any(String) });

    await call('PATCH', '/w/default/api/settings', { breakGlass: true });
    expect(await check('owner@springfield.k12.us', 'password')).toEqual({ outcome: 'allowed', breakGlass: true });
    const glass = await call('POST', '/w/default/login/password', { email: 'owner@springfield.k12.us', password: 'owner-pass' }, { auth: null });
    expect(glass.status).toBe(200);
    expect(glass.body.breakGlass).toBe(true);
    expect((await call('GET', '/w/default/api/events?type=signin.break_glass')).body.events).toHaveLength(1);
    const teacher = await call('POST', '/w/default/login/password', { email: 'teacher@springfield.k12.us', password: 'teacher-pass' }, { auth: null });
    expect(teacher.status).toBe(403);
    expect(teacher.body.error.code).toBe('sso_required');
  });

  it('automatic account creation adds verified-domain users by password and social sign-in, and needs a verified domain', async () => {
    const { call } = inProcess();
    const early = await call('PATCH', '/w/default/api/settings', { automaticAccountCreation: true });
    expect(early.status).toBe(409);
    expect(early.body.error.code).toBe('domain_not_verified');
    expect(early.body.error.message).toMatch(/verify a domain/);
    await verifyDomain(call, 'default', 'springfield.k12.us');
    expect((await call('PATCH', '/w/default/api/settings', { automaticAccountCreation: true })).body.automaticAccountCreation).toBe(true);

    const social = await call('POST', '/w/default/login/social', { email: 'kim@springfield.k12.us', provider: 'google' }, { auth: null });
    expect(social.status).toBe(200);
    expect(social.body.member).toMatchObject({ source: 'auto', status: 'active' });
    // A password sign-in signs up with that password (long enough), and later needs the same one.
    const short = await call('POST', '/w/default/login/password', { email: 'lee@springfield.k12.us', password: 'short' }, { auth: null });
    expect(short.body.error.code).toBe('invalid_credentials');
    expect((await call('GET', '/w/default/api/users?email=lee@springfield.k12.us')).body.users).toEqual([]);
    const signup = await call('POST', '/w/default/login/password', { email: 'lee@springfield.k12.us', password: 'long enough pw' }, { auth: null });
    expect(signup.status).toBe(200);
    expect(signup.body.member).toMatchObject({ source: 'auto' });
    const wrong = await call('POST', '/w/default/login/password', { email: 'lee@springfield.k12.us', password: 'another long pw' }, { auth: null });
    expect(wrong.body.error.code).toBe('invalid_credentials');
    expect((await call('POST', '/w/default/login/password', { email: 'lee@springfield.k12.us', password: 'long enough pw' }, { auth: null })).status).toBe(200);
    // Other domains never join automatically; enforcement still applies to the verified one.
    const stranger = await call('POST', '/w/default/login/social', { email: 'max@elsewhere.example', provider: 'google' }, { auth: null });
    expect(stranger.body.error.code).toBe('not_a_member');
    const events = (await call('GET', '/w/default/api/events?type=member.created')).body.events;
    expect(events.map((e: any) => e.detail.via).sort()).toEqual(['password', 'social']);
  });

  it('sign-in/check has no side effects', async () => {
    const { call, state } = inProcess();
    await call('POST', '/w/default/api/invites', { email: 'ada@x.example' });
    // Automatic account creation needs a verified domain.
    await verifyDomain(call, 'default', 'x.example');
    await call('PATCH', '/w/default/api/settings', { automaticAccountCreation: true });
    const before = await state();
    expect((await call('POST', '/w/default/api/sign-in/check', { email: 'ada@x.example', method: 'social' })).body).toEqual({ outcome: 'allowed' });
    expect((await call('POST', '/w/default/api/sign-in/check', { email: 'new@x.example', method: 'sso' })).body.reason).toBe('sso_not_configured');
    expect(await state()).toEqual(before);
    expect((await call('POST', '/w/default/api/sign-in/check', { email: 'bad', method: 'sso' })).body.error.code).toBe('invalid_email');
  });
});
