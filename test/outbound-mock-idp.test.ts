// The mock IdP standing under a real vendor's issuer: with an outbound route, an OIDC connection
// configured with an Entra-style issuer discovers, exchanges codes and verifies ID tokens
// against the built-in provider, with no network.
import { describe, expect, it } from 'vitest';
import { createEmulator } from '../src/app.js';

const ISSUER = 'https://login.microsoftonline.com/3f1e0c2a-district-tenant/v2.0';

describe('the mock IdP under a vendor issuer', () => {
  it('signs a member in through an Entra-style issuer answered in process', async () => {
    const emulator = createEmulator({ adminKey: 'outbound-key-123', outbound: { [ISSUER]: '/idp/entra/oidc' } });
    const admin = { Authorization: 'Bearer outbound-key-123', 'Content-Type': 'application/json' };
    const call = async (method: string, path: string, body?: unknown) => {
      const res = await emulator.app.request(path, { method, headers: admin, ...(body !== undefined ? { body: JSON.stringify(body) } : {}) });
      return { status: res.status, body: (await res.json()) as any };
    };
    expect((await call('POST', '/_emulator/idps', { id: 'entra', vendor: 'entra', users: [{ email: 'ada@springfield.k12.us', givenName: 'Ada' }] })).status).toBe(201);
    const domain = (await call('POST', '/w/default/api/domains', { domain: 'springfield.k12.us' })).body;
    await call('PUT', '/_emulator/dns/springfield.k12.us', { txt: [domain.txt.value] });
    await call('POST', '/w/default/api/domains/springfield.k12.us/verify');
    await call('POST', '/w/default/api/invites', { email: 'ada@springfield.k12.us' });
    const client = await call('POST', '/idp/entra/apps/oidc', { redirectUris: ['http://localhost/w/default/sso/oidc/callback'] });
    expect(client.status).toBeLessThan(300);
    const configured = await call('PUT', '/w/default/api/sso', { protocol: 'oidc', issuer: ISSUER, clientId: client.body.clientId, clientSecret: client.body.clientSecret });
    expect(configured.status).toBe(200);

    // Discovery went to the vendor's URL and was answered by the mock IdP under that issuer.
    const login = await emulator.app.request('http://localhost/w/default/sso/oidc/login?email=ada@springfield.k12.us');
    expect(login.status).toBe(302);
    const authorize = new URL(login.headers.get('Location')!);
    expect(`${authorize.origin}${authorize.pathname}`).toBe(`${ISSUER}/authorize`);
    const discovery = (await (await emulator.core.outboundFetch(`${ISSUER}/.well-known/openid-configuration`)).json()) as { issuer: string; jwks_uri: string };
    expect(discovery.issuer).toBe(ISSUER);
    expect(discovery.jwks_uri.startsWith(ISSUER)).toBe(true);

    // The browser's visit to the vendor's authorize URL, answered by the emulator (as MSW would in a test).
    const approved = await emulator.core.outboundFetch(authorize.href, { redirect: 'manual' });
    expect(approved.status).toBe(302);
    const callback = new URL(approved.headers.get('Location')!);
    expect(callback.pathname).toBe('/w/default/sso/oidc/callback');
    const done = await emulator.app.request(`http://localhost${callback.pathname}${callback.search}`);
    expect(done.status).toBe(302);
    expect(done.headers.get('Set-Cookie')).toMatch(/edu_session=/);
    const events = (await call('GET', '/w/default/api/events?type=signin.allowed')).body.events;
    expect(events.at(-1).detail).toMatchObject({ method: 'sso', protocol: 'oidc', issuer: ISSUER, email: 'ada@springfield.k12.us' });
  });
});
