// Finding 9 (issue 14): NFC and NFD spellings of one userName were two users, and lone surrogates
// and invalid UTF-8 were accepted. Identities now compare on NFC, case-folded forms; text that is
// not well-formed Unicode is a 400.
import { describe, expect, it } from 'vitest';
import { inProcess } from '../support/in-process.js';
import { scimClient } from '../support/scim.js';

const USER = 'urn:ietf:params:scim:schemas:core:2.0:User';
const NFC = 'jos\u00e9@springfield.k12.us';
const NFD = 'jose\u0301@springfield.k12.us';

describe('identity comparison', () => {
  it('treats NFC and NFD spellings (and case) of a userName as one user: 409, and found by either', async () => {
    const env = inProcess();
    const { scim } = await scimClient(env);
    const created = await scim('POST', '/Users', { schemas: [USER], userName: NFC });
    expect(created.status).toBe(201);
    const again = await scim('POST', '/Users', { schemas: [USER], userName: NFD.toUpperCase() });
    expect(again.status).toBe(409);
    expect(again.body.scimType).toBe('uniqueness');
    const found = await scim('GET', `/Users?filter=${encodeURIComponent(`userName eq "${NFD}"`)}`);
    expect(found.body.totalResults).toBe(1);
    expect(found.body.Resources[0].id).toBe(created.body.id);
  });

  it('treats NFC and NFD spellings of an email as one member', async () => {
    const env = inProcess();
    const first = await env.call('POST', '/w/default/api/invites', { email: NFC });
    expect(first.status).toBe(201);
    const second = await env.call('POST', '/w/default/api/invites', { email: NFD });
    expect(second.status).toBe(409);
  });

  it('keeps a domain once, whichever Unicode spelling adds it (NFC, NFD, another case)', async () => {
    const env = inProcess();
    const first = await env.call('POST', '/w/default/api/domains', { domain: 'B\u00fccher.example' });
    expect(first.status).toBe(201);
    expect(first.body.domain).toBe('xn--bcher-kva.example');
    await env.call('POST', '/w/default/api/domains', { domain: 'bu\u0308cher.example' });
    expect(Object.keys(env.emulator.core.state.workspaces.default!.domains)).toEqual(['xn--bcher-kva.example']);
  });

  it('refuses a lone surrogate (400 invalidValue) and invalid UTF-8 (400), changing nothing', async () => {
    const env = inProcess();
    const { scim, token } = await scimClient(env);
    const before = await env.state();
    const surrogate = await env.call('POST', '/w/default/scim/v2/Users', undefined, {
      auth: token,
      raw: `{"schemas":["${USER}"],"userName":"x\\ud800@springfield.k12.us"}`,
      headers: { 'Content-Type': 'application/scim+json' },
    });
    expect(surrogate.status).toBe(400);
    expect(surrogate.body.scimType).toBe('invalidValue');
    expect(surrogate.body.detail).toMatch(/surrogate/);
    const bytes = Buffer.concat([Buffer.from(`{"schemas":["${USER}"],"userName":"x`), Buffer.from([0xc3, 0x28]), Buffer.from('@springfield.k12.us"}')]);
    const res = await env.emulator.app.request('/w/default/scim/v2/Users', {
      method: 'POST',
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/scim+json' },
      body: bytes,
    });
    expect(res.status).toBe(400);
    expect((await res.json()).detail).toMatch(/UTF-8/);
    const invite = await env.call('POST', '/w/default/api/invites', undefined, { raw: '{"email":"\\udc00a@springfield.k12.us"}', headers: { 'Content-Type': 'application/json' } });
    expect(invite.status).toBe(400);
    expect(invite.body.error.code).toBe('invalid_encoding');
    const after = await env.state();
    delete after.workspaces.default.scimTokens;
    delete before.workspaces.default.scimTokens;
    expect(after).toEqual(before);
  });
});
