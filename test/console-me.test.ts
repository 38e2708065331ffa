// "My access": /w/{ws}/me is an HTML page for a browser (Accept ranks text/html first) — who I am,
// my groups, what I may do and why — while JSON clients get exactly the JSON they always got.
import { describe, expect, it } from 'vitest';
import { createEmulator } from '../src/app.js';

const KEY = 'test-admin-key';
const ORIGIN = 'http://localhost';
const BROWSER_ACCEPT = 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8';

async function setUp() {
  const emulator = createEmulator({ adminKey: KEY });
  const call = async (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) => {
    const res = await emulator.app.request(new URL(path, ORIGIN).href, {
      method,
      headers: { 'Content-Type': 'application/json', ...headers },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    return res;
  };
  const admin = { Authorization: `Bearer ${KEY}` };
  const invited = await (await call('POST', '/w/default/api/invites', { email: 'tom@example.org', role: 'member', password: 'correct horse battery' }, admin)).json();
  const group = await (await call('POST', '/w/default/api/groups', { displayName: 'Teachers' }, admin)).json();
  await call('PUT', `/w/default/api/groups/${group.id}/members`, { userIds: [invited.id] }, admin);
  const role = await (await call('POST', '/w/default/api/roles', { name: 'GPT Publishers', permissions: { 'gpts.publish_workspace': true } }, admin)).json();
  await call('PUT', `/w/default/api/roles/${role.id}/groups`, { groupIds: [group.id] }, admin);
  const login = await call('POST', '/w/default/login/password', { email: 'tom@example.org', password: 'correct horse battery' });
  expect(login.status).toBe(200);
  const cookie = login.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
  return { call, cookie };
}

describe('/w/{ws}/me', () => {
  it('is a page for a browser: who I am, my groups, what I may do and why, with labels in words', async () => {
    const { call, cookie } = await setUp();
    const res = await call('GET', '/w/default/me', undefined, { Cookie: cookie, Accept: BROWSER_ACCEPT });
    expect(res.status).toBe(200);
    expect(res.headers.get('Content-Type')).toMatch(/^text\/html/);
    const html = await res.text();
    expect(html).toContain('<h1>My access</h1>');
    expect(html).toContain('tom@example.org');
    expect(html).toMatch(/id="me-groups">.*Teachers/s);
    expect(html).toMatch(/data-permission="gpts.publish_workspace">.*Publish GPTs to the workspace.*✓ allowed.*Granted by role &quot;GPT Publishers&quot; through group &quot;Teachers&quot;/s);
    expect(html).not.toContain('>gpts.publish_workspace<');
  });

  it('keeps the JSON, unchanged, for JSON clients and for fetch() with its default Accept', async () => {
    const { call, cookie } = await setUp();
    for (const accept of [undefined, 'application/json', '*/*', 'application/json, text/html;q=0.5']) {
      const res = await call('GET', '/w/default/me', undefined, { Cookie: cookie, ...(accept ? { Accept: accept } : {}) });
      expect(res.status, String(accept)).toBe(200);
      expect(res.headers.get('Content-Type')).toMatch(/^application\/json/);
      const body = await res.json();
      expect(Object.keys(body).sort()).toEqual(['createdAt', 'email', 'familyName', 'givenName', 'groups', 'id', 'lastSignInAt', 'role', 'source', 'status']);
      expect(body).toMatchObject({ email: 'tom@example.org', role: 'member', status: 'active', groups: [{ displayName: 'Teachers', source: 'local' }] });
    }
  });

  it('sends a browser without a session to a readable page that links to sign-in', async () => {
    const { call } = await setUp();
    const res = await call('GET', '/w/default/me', undefined, { Accept: BROWSER_ACCEPT });
    expect(res.status).toBe(401);
    const html = await res.text();
    expect(html).toContain('id="fix-link" href="/w/default/login"');
  });
});
