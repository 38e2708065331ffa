// The console page of a mock IdP, in process: its directory (add, edit, take out of scope, move,
// remove), faults, and a provisioning push with its log, all through the mock IdP's own API.
import { describe, expect, it } from 'vitest';
import { createEmulator } from '../src/app.js';

const KEY = 'test-admin-key';
const ORIGIN = 'http://localhost';

function browser() {
  const emulator = createEmulator({ adminKey: KEY });
  const jar = new Map<string, string>();
  const request = async (method: string, path: string, form?: Record<string, string>) => {
    const h: Record<string, string> = { Accept: 'text/html', ...(method === 'POST' ? { Origin: ORIGIN, 'Content-Type': 'application/x-www-form-urlencoded' } : {}) };
    if (jar.size) h.Cookie = [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
    const res = await emulator.app.request(new URL(path, ORIGIN).href, { method, headers: h, ...(form ? { body: new URLSearchParams(form).toString() } : {}) });
    for (const c of res.headers.getSetCookie()) {
      const [pair = ''] = c.split(';');
      const i = pair.indexOf('=');
      if (pair.slice(i + 1) === '' || /Max-Age=0/i.test(c)) jar.delete(pair.slice(0, i));
      else jar.set(pair.slice(0, i), pair.slice(i + 1));
    }
    return { status: res.status, location: res.headers.get('Location'), text: await res.text() };
  };
  const submit = async (path: string, form: Record<string, string>) => {
    const res = await request('POST', path, form);
    expect(res.status, res.text).toBe(303);
    return request('GET', res.location!);
  };
  const api = async (method: string, path: string, body?: unknown) => {
    const res = await emulator.app.request(new URL(path, ORIGIN).href, { method, headers: { Authorization: `Bearer ${KEY}`, 'Content-Type': 'application/json' }, ...(body !== undefined ? { body: JSON.stringify(body) } : {}) });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : undefined };
  };
  return { request, submit, api };
}

describe('the mock IdP console page', () => {
  it('changes the directory, arms faults and pushes to the workspace with a log', async () => {
    const b = browser();
    await b.request('GET', `/w/default/admin?key=${KEY}`);
    await b.api('POST', '/_emulator/idps', { id: 'district', vendor: 'okta', name: 'Springfield (Okta)', users: [{ email: 'tom@springfield.k12.us', givenName: 'Tom', groups: ['Teachers'] }] });
    let page = await b.request('GET', '/w/default/admin/idps');
    expect(page.text).toContain('href="/w/default/admin/idps/district">Springfield (Okta)</a>');
    page = await b.submit('/w/default/admin/idps/add-user', { idp: 'district', email: 'ann@springfield.k12.us', givenName: 'Ann', groups: 'Teachers, Staff', provisioned: 'true' });
    expect(page.text).toContain('ann@springfield.k12.us added to the directory');
    expect((await b.api('GET', '/idp/district/users/ann@springfield.k12.us')).body.groups.map((g: { displayName: string }) => g.displayName).sort()).toEqual(['Staff', 'Teachers']);

    page = await b.submit('/w/default/admin/idps/push', { idp: 'district' });
    expect(page.text).toContain('Provisioning run done');
    expect(page.text).toMatch(/id="push-log">.*Person tom@springfield.k12.us: created/s);
    expect((await b.api('GET', '/w/default/api/users')).body.users.map((u: { email: string }) => u.email).sort()).toEqual(['ann@springfield.k12.us', 'tom@springfield.k12.us']);

    page = await b.submit('/w/default/admin/idps/scope', { idp: 'district', email: 'tom@springfield.k12.us', provisioned: 'false' });
    expect(page.text).toContain('out of the provisioning scope');
    page = await b.submit('/w/default/admin/idps/push', { idp: 'district' });
    expect(page.text).toMatch(/Person tom@springfield.k12.us: deactivated/);
    const tom = (await b.api('GET', '/w/default/api/users')).body.users.find((u: { email: string }) => u.email === 'tom@springfield.k12.us');
    expect(tom.status).toBe('deactivated');

    page = await b.submit('/w/default/admin/idps/move-user', { idp: 'district', email: 'ann@springfield.k12.us', from: 'Staff', to: 'Teachers' });
    expect(page.text).toContain('ann@springfield.k12.us moved from Staff to Teachers.');
    page = await b.submit('/w/default/admin/idps/edit-user', { idp: 'district', email: 'ann@springfield.k12.us', givenName: 'Annie', familyName: 'Lee' });
    expect((await b.api('GET', '/idp/district/users/ann@springfield.k12.us')).body).toMatchObject({ givenName: 'Annie', familyName: 'Lee' });

    page = await b.submit('/w/default/admin/idps/fault', { idp: 'district', fault: 'wrong_audience', user: '' });
    expect(page.text).toContain('Armed: &quot;wrong audience&quot; for the next sign-in');
    expect((await b.api('GET', '/idp/district/faults')).body.next).toBe('wrong_audience');
    await b.submit('/w/default/admin/idps/clear-faults', { idp: 'district' });
    expect((await b.api('GET', '/idp/district/faults')).body.next).toBeUndefined();

    page = await b.submit('/w/default/admin/idps/remove-user', { idp: 'district', email: 'ann@springfield.k12.us' });
    expect(page.text).toContain('ann@springfield.k12.us removed from the directory');
    expect((await b.api('GET', '/idp/district/users/ann@springfield.k12.us')).status).toBe(404);
    // A refusal from the mock IdP is said in words, its detail folded for developers.
    page = await b.submit('/w/default/admin/idps/add-user', { idp: 'district', email: 'tom@springfield.k12.us', provisioned: 'true' });
    expect(page.text).toContain('The identity provider already has a user with that email.');
    expect(page.text).toContain('Details for developers');
  });

  it('names the vendor in words, and sends a Google district to the pulled directory', async () => {
    const b = browser();
    await b.request('GET', `/w/default/admin?key=${KEY}`);
    await b.api('POST', '/_emulator/idps', { id: 'gws', vendor: 'google', users: [{ email: 'tom@springfield.k12.us', groups: ['Teachers'] }] });
    let page = await b.request('GET', '/w/default/admin/idps');
    expect(page.text).toContain('imitates Google Workspace');
    page = await b.request('GET', '/w/default/admin/idps/gws');
    expect(page.text).toContain('Google does not push SCIM to the workspace: the workspace pulls');
    expect(page.text).toContain('href="/w/default/admin/directory"');
    // Creating a training IdP on the SSO page offers the vendors by name too.
    page = await b.request('GET', '/w/default/admin/sso');
    expect(page.text).toContain('<option value="google">Google Workspace</option>');
  });
});
