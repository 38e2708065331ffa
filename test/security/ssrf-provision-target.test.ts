// Finding 1 (issue 14): the mock IdP's provisioning, open without a key, must not send SCIM
// requests with a caller's token to any host and port, nor remember such a target.
import { describe, expect, it } from 'vitest';
import { inProcess } from '../support/in-process.js';

async function setup() {
  const outbound: string[] = [];
  const env = inProcess({
    fetch: async (url) => {
      outbound.push(url);
      return new Response('closed', { status: 502 });
    },
  });
  const created = await env.call('POST', '/_emulator/idps', { id: 'district', vendor: 'entra', users: [{ email: 'ada@springfield.k12.us', givenName: 'Ada', familyName: 'Admin' }] });
  expect(created.status).toBe(201);
  return { ...env, outbound };
}

describe('provisioning targets without the admin key', () => {
  it('refuses a foreign target with 403, sends nothing to it and does not remember it', async () => {
    const { call, outbound } = await setup();
    const token = (await call('POST', '/w/default/api/scim/tokens', {})).body.token as string;
    // A run to this emulator's own workspace needs no key.
    const own = await call('POST', '/idp/district/provision', { target: { baseUrl: 'http://localhost/w/default/scim/v2', token } }, { auth: null });
    expect(own.status).toBe(200);
    expect(own.body.counts.users.created).toBe(1);

    const scan = await call('POST', '/idp/district/provision', { target: { baseUrl: 'http://127.0.0.1:22/anything/scim', token: 'caller-token' } }, {
      auth: null,
      headers: { Origin: 'https://attacker.example' },
    });
    expect(scan.status).toBe(403);
    expect(scan.body.error.code).toBe('idp_target_not_allowed');
    expect(scan.body.error.message).toMatch(/admin key/);
    expect(outbound).toEqual([]);

    // Not remembered: the documented `provision {}` still runs against the one target.
    const targets = await call('GET', '/idp/district/provision', undefined, { auth: null });
    expect(targets.body.targets.map((t: { baseUrl: string }) => t.baseUrl)).toEqual(['http://localhost/w/default/scim/v2']);
    const again = await call('POST', '/idp/district/provision', {}, { auth: null });
    expect(again.status).toBe(200);
  });

  it('refuses an own-origin URL that is not a workspace SCIM base, and a workspace that does not exist', async () => {
    const { call } = await setup();
    for (const baseUrl of ['http://localhost/_emulator/state', 'http://localhost/w/nowhere/scim/v2', 'http://localhost/w/default/scim/v2/Users']) {
      const res = await call('POST', '/idp/district/provision', { target: { baseUrl, token: 't' } }, { auth: null });
      expect(res.status, baseUrl).toBe(403);
    }
    expect((await call('GET', '/idp/district/provision', undefined, { auth: null })).body.targets).toEqual([]);
  });

  it('lets the admin key provision to another SCIM server', async () => {
    const { call, outbound } = await setup();
    const res = await call('POST', '/idp/district/provision', { target: { baseUrl: 'https://scim.example.test/scim/v2', token: 't' } });
    expect(res.status).toBe(200);
    expect(outbound[0]).toMatch(/^https:\/\/scim\.example\.test\/scim\/v2\/Users/);
  });
});
