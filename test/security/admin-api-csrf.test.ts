// Finding 3 (issue 14): the admin API took the owner's session cookie from any site, and parsed
// text/plain bodies as JSON. Cookie-authenticated writes now need same-origin proof; JSON routes
// need a JSON media type.
import { describe, expect, it } from 'vitest';
import { inProcess } from '../support/in-process.js';
import { sessionCookie } from '../support/workspace.js';

async function ownerSession() {
  const env = inProcess();
  const invite = await env.call('POST', '/w/default/api/invites', { email: 'owner@springfield.k12.us', role: 'owner', password: 'correct horse battery' });
  expect(invite.status, JSON.stringify(invite.body)).toBe(201);
  const login = await env.emulator.app.request('/w/default/login/password', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ email: 'owner@springfield.k12.us', password: 'correct horse battery' }),
  });
  expect(login.status).toBe(200);
  return { ...env, cookie: sessionCookie(login.headers) };
}

describe('cross-site requests to the admin API', () => {
  it('refuses a cookie-authenticated write from another origin, with no Origin, or from "null" (403 cross_site_request), changing nothing', async () => {
    const { call, cookie, state } = await ownerSession();
    const before = await state();
    const variants: Record<string, string>[] = [{ Origin: 'https://attacker.example' }, {}, { Origin: 'null' }, { 'Sec-Fetch-Site': 'cross-site' }];
    for (const headers of variants) {
      const res = await call('POST', '/w/default/api/scim/tokens', {}, { auth: null, headers: { Cookie: cookie, ...headers } });
      expect(res.status, JSON.stringify(headers)).toBe(403);
      expect(res.body.error.code).toBe('cross_site_request');
    }
    expect(await state()).toEqual(before);
  });

  it('accepts the cookie from its own origin (Origin or Sec-Fetch-Site: same-origin), and the bearer key without either', async () => {
    const { call, cookie } = await ownerSession();
    expect((await call('POST', '/w/default/api/scim/tokens', {}, { auth: null, headers: { Cookie: cookie, Origin: 'http://localhost' } })).status).toBe(201);
    expect((await call('POST', '/w/default/api/scim/tokens', {}, { auth: null, headers: { Cookie: cookie, 'Sec-Fetch-Site': 'same-origin' } })).status).toBe(201);
    expect((await call('POST', '/w/default/api/scim/tokens', {}, { headers: { Origin: 'https://elsewhere.example' } })).status).toBe(201);
    // Reading needs no proof: another site cannot read the answer.
    expect((await call('GET', '/w/default/api/settings', undefined, { auth: null, headers: { Cookie: cookie } })).status).toBe(200);
  });

  it('refuses a text/plain body on a JSON route with 415, even with the admin key', async () => {
    const { call, state } = await ownerSession();
    const before = await state();
    const res = await call('PATCH', '/w/default/api/settings', undefined, { raw: '{"automaticAccountCreation":true}', headers: { 'Content-Type': 'text/plain' } });
    expect(res.status).toBe(415);
    expect(res.body.error.code).toBe('unsupported_media_type');
    expect(res.body.error.message).toMatch(/application\/json/);
    expect(await state()).toEqual(before);
  });

  it('answers 415 in RFC 7644 form on SCIM routes, and takes both JSON media types there', async () => {
    const { call } = await ownerSession();
    const token = (await call('POST', '/w/default/api/scim/tokens', {})).body.token as string;
    const body = JSON.stringify({ schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], userName: 'ada@springfield.k12.us' });
    const plain = await call('POST', '/w/default/scim/v2/Users', undefined, { auth: token, raw: body, headers: { 'Content-Type': 'text/plain;charset=UTF-8' } });
    expect(plain.status).toBe(415);
    expect(plain.body).toMatchObject({ schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'], status: '415' });
    expect((await call('POST', '/w/default/scim/v2/Users', undefined, { auth: token, raw: body, headers: { 'Content-Type': 'application/json' } })).status).toBe(201);
  });
});
