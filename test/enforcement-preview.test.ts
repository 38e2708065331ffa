// The enforcement what-if over HTTP: an external IdP's unknowns (insufficient_data), the owner
// lockout guard and its override, bad levels, and no side effects.
import { beforeAll, describe, expect, it } from 'vitest';
import { conformsToSamlSchema } from '../src/sso/saml/schema-check.js';
import { inProcess } from './support/in-process.js';
import { connectTestIdp, samlSignIn } from './support/saml.js';
import { verifyDomain } from './support/workspace.js';

const D = 'springfield.k12.us';

async function setup() {
  const env = inProcess();
  await verifyDomain(env.call, 'default', D);
  await connectTestIdp(env);
  for (const [email, role] of [[`owner@${D}`, 'owner'], [`ada@${D}`, 'member'], [`tom@${D}`, 'member'], ['guest@partner.example', 'member']]) {
    expect((await env.call('POST', '/w/default/api/invites', { email, role, password: 'a-password' })).status).toBe(201);
  }
  return env;
}

const preview = async (env: Awaited<ReturnType<typeof setup>>, level: string) => (await env.call('GET', `/w/default/api/sso/enforcement/preview?level=${level}`)).body;
const row = (p: any, email: string) => p.members.find((r: any) => r.email === email);

// The SAML schema validator compiles once per process; let that happen before the first sign-in.
beforeAll(() => conformsToSamlSchema('<warm-up/>'), 120_000);

describe('enforcement what-if with an external IdP', () => {
  it('says insufficient_data where only an SSO sign-in could tell, and why', async () => {
    const env = await setup();
    let p = await preview(env, 'sso_only');
    expect(p.summary).toEqual({ newly_blocked: 0, newly_allowed: 0, unchanged: 1, insufficient_data: 3 });
    expect(row(p, `ada@${D}`)).toMatchObject({ outcome: 'insufficient_data', rule: 'connection_untested', after: { password: 'sso_required', social: 'sso_required', sso: 'unknown' } });
    expect(row(p, 'guest@partner.example')).toMatchObject({ outcome: 'unchanged', rule: 'domain_not_verified' });

    expect((await samlSignIn(env, `tom@${D}`)).status).toBe(302);
    expect((await env.call('POST', '/w/default/login/password', { email: `ada@${D}`, password: 'a-password' }, { auth: null })).status).toBe(200);
    p = await preview(env, 'sso_only');
    expect(row(p, `tom@${D}`)).toMatchObject({ outcome: 'unchanged', rule: 'sso_works', after: { sso: 'allowed' } });
    expect(row(p, `ada@${D}`)).toMatchObject({ outcome: 'insufficient_data', rule: 'no_sso_evidence', reason: expect.stringContaining('only used a password') });
    expect(row(p, `owner@${D}`)).toMatchObject({ keepsWayIn: null, breakGlass: false });
    expect(p.owners).toEqual({ total: 1, keepWayIn: 0 });
    // no_passwords leaves social sign-in: nobody is blocked.
    expect((await preview(env, 'no_passwords')).summary).toMatchObject({ newly_blocked: 0, insufficient_data: 0 });
  });

  it('refuses owner_lockout unless forced (recorded), and break-glass keeps the owner a way in', async () => {
    const env = await setup();
    expect((await samlSignIn(env, `tom@${D}`)).status).toBe(302);
    const refused = await env.call('PUT', '/w/default/api/sso/enforcement', { level: 'sso_only' });
    expect(refused.status).toBe(409);
    expect(refused.body.error.code).toBe('owner_lockout');
    expect(refused.body.error.message).toContain(`owner@${D}`);
    expect(refused.body.error.message).toContain('"breakGlass": true');
    expect((await env.call('GET', '/w/default/api/sso/enforcement')).body.level).toBe('off');

    await env.call('PATCH', '/w/default/api/settings', { breakGlass: true });
    expect(row(await preview(env, 'sso_only'), `owner@${D}`)).toMatchObject({ outcome: 'unchanged', rule: 'break_glass', keepsWayIn: true, breakGlass: true });
    const raised = await env.call('PUT', '/w/default/api/sso/enforcement', { level: 'sso_only' });
    expect(raised.status).toBe(200);
    expect(raised.body).toMatchObject({ level: 'sso_only', preview: { level: 'sso_only', from: 'off', owners: { total: 1, keepWayIn: 1 } } });

    await env.call('PUT', '/w/default/api/sso/enforcement', { level: 'off' });
    await env.call('PATCH', '/w/default/api/settings', { breakGlass: false });
    const forced = await env.call('PUT', '/w/default/api/sso/enforcement', { level: 'no_passwords', force: true });
    expect(forced.status).toBe(200);
    const sso = await env.call('PUT', '/w/default/api/sso/enforcement', { level: 'sso_only', force: true });
    expect(sso.status).toBe(200);
    const events = (await env.call('GET', '/w/default/api/events?type=sso.enforcement_changed')).body.events;
    expect(events.at(-2).detail).toEqual({ from: 'off', to: 'no_passwords' });
    expect(events.at(-1).detail).toMatchObject({ from: 'no_passwords', to: 'sso_only', forced: true, ownerLockout: true });
  });

  it('refuses a missing or unknown level, and changes nothing', async () => {
    const env = await setup();
    const before = await env.state();
    for (const q of ['', '?level=strict']) {
      const res = await env.call('GET', `/w/default/api/sso/enforcement/preview${q}`);
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('invalid_enforcement_level');
    }
    await preview(env, 'sso_only');
    expect(await env.state()).toEqual(before);
  });
});
