// The member session cookie stays SameSite=Lax because of this flow: an IdP on another site posts
// the SAMLResponse to the ACS (a cross-site POST), and the browser must send the new session
// cookie on the landing page it is redirected to. Real Chromium, the workspace at
// http://localhost:<port>, the mock IdP on a second emulator at http://127.0.0.1:<port>.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type RunningEmulator } from '../../src/start.js';
import { haveChromium, launchChromium, type Chromium } from '../support/chromium.js';

let workspace: RunningEmulator;
let idp: RunningEmulator;
let browser: Chromium;
let site: string;

const call = (base: string, key: string) => async (method: string, path: string, body?: unknown) => {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: { Authorization: `Bearer ${key}`, 'Content-Type': 'application/json' },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  const text = await res.text();
  return { status: res.status, body: text && /json/.test(res.headers.get('Content-Type') ?? '') ? JSON.parse(text) : text };
};

describe.skipIf(!haveChromium)('cross-site IdP POST to the ACS in Chromium', () => {
  beforeAll(async () => {
    idp = await startEmulator({ adminKey: 'idp-side-key' });
    workspace = await startEmulator({ adminKey: 'workspace-side-key' });
    // The workspace under the name localhost: another site than the IdP at 127.0.0.1.
    site = `http://localhost:${new URL(workspace.url).port}`;
    const atIdp = call(idp.url, idp.adminKey);
    const atWs = call(site, workspace.adminKey);
    expect((await atIdp('POST', '/_emulator/idps', { id: 'district', vendor: 'entra', users: [{ email: 'ada@springfield.k12.us', givenName: 'Ada', familyName: 'Admin' }] })).status).toBe(201);
    const sp = { entityId: `${site}/w/default/sso/saml/metadata`, acsUrl: `${site}/w/default/sso/saml/acs` };
    expect((await atIdp('POST', '/idp/district/apps/saml', sp)).status).toBe(201);
    const metadataXml = await (await fetch(`${idp.url}/idp/district/saml/metadata`)).text();
    const connected = await atWs('PUT', '/w/default/api/sso', { protocol: 'saml', metadataXml });
    expect(connected.status, JSON.stringify(connected.body)).toBe(200);
    const added = await atWs('POST', '/w/default/api/domains', { domain: 'springfield.k12.us' });
    await atWs('PUT', '/_emulator/dns/springfield.k12.us', { txt: [added.body.txt.value] });
    expect((await atWs('POST', '/w/default/api/domains/springfield.k12.us/verify')).body.status).toBe('verified');
    expect((await atWs('POST', '/w/default/api/invites', { email: 'ada@springfield.k12.us' })).status).toBe(201);

    browser = await launchChromium('acs', null);
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await Promise.all([workspace?.stop(), idp?.stop()]);
  });

  it('lands signed in on the page after the cross-site POST to the ACS', async () => {
    const { page } = browser;
    page.setDefaultTimeout(20_000);
    const posts: string[] = [];
    page.on('request', (r) => {
      if (r.method() === 'POST') posts.push(`${new URL(r.url()).origin} from ${r.headers().origin ?? '(no origin)'}`);
    });
    await page.goto(`${site}/w/default/sso/saml/login?email=ada@springfield.k12.us&relayState=${encodeURIComponent('/w/default/me')}`);
    await page.waitForURL(`${site}/w/default/me`);
    // The ACS was reached by a POST from the IdP's page, another site.
    expect(posts).toContain(`${site} from ${new URL(idp.url).origin}`);
    const body = await page.locator('body').textContent();
    expect(body).toContain('ada@springfield.k12.us');
    const cookie = (await browser.context.cookies(`${site}/w/default/me`)).find((c) => c.name === 'edu_session');
    expect(cookie?.sameSite).toBe('Lax');
  });
});
