// A whole district survives export and import (and so a restart): members, SCIM indexes, group
// memberships, roles, the SSO connection and the mock IdP come back working, not only as data.
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { createEmulator } from '../src/app.js';
import { loadScenarioText } from '../src/scenario/load.js';
import { runScenario } from '../src/scenario/runner.js';
import { inProcessTarget } from '../src/scenario/target.js';

describe('state round trip', () => {
  it('exports a provisioned district and imports it into a new emulator that carries on', async () => {
    const text = await readFile(new URL('../scenarios/01-district-rollout.yaml', import.meta.url), 'utf8');
    const { scenario } = await loadScenarioText(text, '01-district-rollout.yaml');
    const first = createEmulator({ adminKey: 'first-key-123' });
    const report = await runScenario(scenario!, { target: inProcessTarget(first), keep: true, workspaceId: 'springfield' });
    expect(report.status).toBe('passed');

    const exported = await (await first.app.request('/_emulator/state', { headers: { Authorization: 'Bearer first-key-123' } })).json();
    const second = createEmulator({ adminKey: 'second-key-123' });
    const admin = { Authorization: 'Bearer second-key-123', 'Content-Type': 'application/json' };
    const put = await second.app.request('/_emulator/state', { method: 'PUT', headers: admin, body: JSON.stringify(exported) });
    expect(put.status).toBe(200);

    // The SCIM token (stored hashed) still works, and the userName index answers the filter.
    const token = (await (await second.app.request('/w/springfield/api/scim/tokens', { method: 'POST', headers: admin, body: '{}' })).json()).token;
    const scim = { Authorization: `Bearer ${token}` };
    const found = await (await second.app.request('/w/springfield/scim/v2/Users?filter=userName%20eq%20%22UNA@springfield.k12.us%22', { headers: scim })).json();
    expect(found.totalResults).toBe(1);
    expect(found.Resources[0].groups.map((g: { display: string }) => g.display).sort()).toEqual(['Coding club', 'Teachers']);

    // Group membership and roles: effective permissions as before.
    const una = found.Resources[0].id;
    const perms = await (await second.app.request(`/w/springfield/api/users/${una}/permissions`, { headers: admin })).json();
    expect(perms.permissions['gpts.publish_workspace']).toBe(true);

    // The SSO connection and the mock IdP: a real SAML round trip still signs Una in.
    const login = await second.app.request('http://localhost/w/springfield/sso/saml/login?email=una@springfield.k12.us');
    expect(login.status).toBe(302);
    const atIdp = await second.app.request(login.headers.get('Location')!, { headers: { Accept: 'application/json' } });
    expect(atIdp.status).toBe(200);
    const { acsUrl, SAMLResponse } = (await atIdp.json()) as { acsUrl: string; SAMLResponse: string };
    const acs = await second.app.request(acsUrl, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ SAMLResponse }).toString(),
    });
    expect(acs.status).toBe(302);
    expect(acs.headers.get('Set-Cookie')).toMatch(/edu_session=/);

    // Deactivated Tom stays deactivated, and SSO refuses him.
    const tom = (await (await second.app.request('/w/springfield/api/users?email=tom@springfield.k12.us', { headers: admin })).json()).users[0];
    expect(tom.status).toBe('deactivated');
    // A verified domain stays claimed across the import.
    const claim = await second.app.request('/w/default/api/domains', { method: 'POST', headers: admin, body: JSON.stringify({ domain: 'springfield.k12.us' }) });
    expect(((await claim.json()) as { error: { code: string } }).error.code).toBe('domain_claimed');
  });
});
