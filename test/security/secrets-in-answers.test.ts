// Finding 8 (issue 14, second half): the mock IdP keeps the SCIM tokens of its provisioning targets
// and its OIDC clients' secrets (it must send and check them later), so they never appear in an
// answer without the admin key, and nobody without the key may replace a registered client's secret.
import { describe, expect, it } from 'vitest';
import { inProcess } from '../support/in-process.js';

describe('mock IdP secrets', () => {
  it('never shows a provisioning token or client secret without the admin key', async () => {
    const { call } = inProcess();
    await call('POST', '/_emulator/idps', { id: 'district', vendor: 'entra', users: [{ email: 'ada@springfield.k12.us', givenName: 'Ada', familyName: 'Admin' }] });
    const token = (await call('POST', '/w/default/api/scim/tokens', {})).body.token as string;
    const client = await call('POST', '/idp/district/apps/oidc', { redirectUris: ['https://rp.example/callback'] });
    const secret = client.body.clientSecret as string;
    const report = await call('POST', '/idp/district/provision', { target: { baseUrl: 'http://localhost/w/default/scim/v2', token } }, { auth: null });
    const answers = [
      report,
      await call('GET', '/idp/district', undefined, { auth: null }),
      await call('GET', '/idp/district/provision', undefined, { auth: null }),
      await call('GET', '/idp/district/apps', undefined, { auth: null }),
    ];
    for (const a of answers) {
      expect(a.status).toBe(200);
      expect(JSON.stringify(a.body)).not.toContain(token);
      expect(JSON.stringify(a.body)).not.toContain(secret);
    }
  });

  it('refuses to replace a registered client secret (or redirect URIs) without the admin key', async () => {
    const { call } = inProcess();
    await call('POST', '/_emulator/idps', { id: 'district', vendor: 'entra' });
    const client = await call('POST', '/idp/district/apps/oidc', { redirectUris: ['https://rp.example/callback'] });
    const hijack = await call(
      'POST',
      '/idp/district/apps/oidc',
      { clientId: client.body.clientId, clientSecret: 'attacker-chosen-secret-1234', redirectUris: ['https://attacker.example/cb'] },
      { auth: null },
    );
    expect(hijack.status).toBe(403);
    expect(hijack.body.error.code).toBe('idp_client_exists');
    const apps = await call('GET', '/idp/district/apps', undefined, { auth: null });
    expect(apps.body.oidc[0].redirectUris).toEqual(['https://rp.example/callback']);
    // With the key it may be changed.
    const update = await call('POST', '/idp/district/apps/oidc', { clientId: client.body.clientId, clientSecret: 'a-new-secret-of-the-admin', redirectUris: ['https://rp.example/other'] });
    expect(update.status).toBe(201);
  });
});
