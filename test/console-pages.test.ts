// The web console and the sign-in page in process (app.request): console sign-in with the admin
// key or an owner/admin session, forms that change state only through the admin API, and errors
// shown as readable pages to browsers.
import { describe, expect, it } from 'vitest';
import { createEmulator } from '../src/app.js';

const KEY = 'test-admin-key';
const BROWSER_ACCEPT = 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8';
const ORIGIN = 'http://localhost';

/** A tiny browser: keeps cookies, sends forms, never follows redirects by itself. */
function browser(emulator = createEmulator({ adminKey: KEY })) {
  const jar = new Map<string, string>();
  const request = async (method: string, path: string, form?: Record<string, string | string[]>, headers: Record<string, string> = {}) => {
    // Browsers send Origin on every POST; the console refuses a form post without it.
    const h: Record<string, string> = { Accept: BROWSER_ACCEPT, ...(method === 'POST' ? { Origin: ORIGIN } : {}), ...headers };
    if (jar.size) h.Cookie = [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
    let body: string | undefined;
    if (form) {
      const p = new URLSearchParams();
      for (const [k, v] of Object.entries(form)) for (const x of Array.isArray(v) ? v : [v]) p.append(k, x);
      body = p.toString();
      h['Content-Type'] = 'application/x-www-form-urlencoded';
    }
    const res = await emulator.app.request(new URL(path, ORIGIN).href, { method, headers: h, ...(body !== undefined ? { body } : {}) });
    for (const c of res.headers.getSetCookie()) {
      const [pair = ''] = c.split(';');
      const i = pair.indexOf('=');
      const name = pair.slice(0, i);
      const value = pair.slice(i + 1);
      if (value === '' || /Max-Age=0/i.test(c)) jar.delete(name);
      else jar.set(name, value);
    }
    return { status: res.status, location: res.headers.get('Location'), type: res.headers.get('Content-Type') ?? '', text: await res.text() };
  };
  /** Submits and follows the redirect, as a browser does after a form post. */
  const submit = async (path: string, form: Record<string, string | string[]> = {}) => {
    const res = await request('POST', path, form);
    expect(res.status, res.text).toBe(303);
    return request('GET', res.location!);
  };
  const api = async (method: string, path: string, body?: unknown) => {
    const res = await emulator.app.request(new URL(path, ORIGIN).href, {
      method,
      headers: { Authorization: `Bearer ${KEY}`, 'Content-Type': 'application/json' },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : undefined };
  };
  return { emulator, jar, request, submit, api };
}

async function signedIn() {
  const b = browser();
  const res = await b.request('GET', '/w/default/admin?key=' + KEY);
  expect(res.status).toBe(303);
  expect(res.location).toBe('/w/default/admin');
  expect(b.jar.has('edu_console')).toBe(true);
  return b;
}

describe('console sign-in', () => {
  it('sends a browser without credentials to the sign-in page', async () => {
    const b = browser();
    const res = await b.request('GET', '/w/default/admin/domains');
    expect(res.status).toBe(303);
    expect(res.location).toBe('/w/default/login?next=%2Fw%2Fdefault%2Fadmin%2Fdomains');
    const login = await b.request('GET', res.location!);
    expect(login.text).toContain('The web console is for workspace owners and admins');
  });

  it('exchanges ?key= once for a console cookie and drops it from the address', async () => {
    const b = await signedIn();
    const page = await b.request('GET', '/w/default/admin');
    expect(page.status).toBe(200);
    expect(page.type).toMatch(/text\/html/);
    // The navigation follows the district plan.
    const order = ['Domains', 'Single sign-on', 'Directory sync (SCIM)', 'Members', 'Groups', 'Roles', 'Launch readiness', 'Event log', 'Training'].map((t) =>
      page.text.indexOf(`${t}</a>`, page.text.indexOf('<nav')),
    );
    expect(order.every((i) => i > 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    expect(page.text).not.toContain(KEY);
  });

  it('refuses a wrong key with a readable page', async () => {
    const b = browser();
    const res = await b.request('GET', '/w/default/admin?key=nope');
    expect(res.status).toBe(401);
    expect(res.type).toMatch(/text\/html/);
    expect(res.text).toContain('That is not the emulator admin key');
    expect(b.jar.has('edu_console')).toBe(false);
  });

  it('takes the admin key in the Authorization header, for automation', async () => {
    const b = browser();
    const res = await b.request('GET', '/w/default/admin/readiness', undefined, { Authorization: `Bearer ${KEY}` });
    expect(res.status).toBe(200);
    expect(res.text).toContain('Launch readiness');
  });

  it('lets an owner in with their session and keeps a plain member out', async () => {
    const b = browser();
    await b.api('POST', '/w/default/api/invites', { email: 'olga@example.org', role: 'owner', password: 'correct horse battery' });
    await b.api('POST', '/w/default/api/invites', { email: 'mel@example.org', role: 'member', password: 'correct horse battery' });
    const signIn = await b.request('POST', '/w/default/login', { action: 'password', email: 'olga@example.org', password: 'correct horse battery', next: '/w/default/admin' });
    expect(signIn.status).toBe(303);
    expect(signIn.location).toBe('/w/default/admin');
    const page = await b.request('GET', '/w/default/admin/members');
    expect(page.status).toBe(200);
    expect(page.text).toContain('Acting as olga@example.org (owner)');
    // Forms act as the owner: the journal names them.
    await b.submit('/w/default/admin/domains/add', { domain: 'example.org' });
    const events = await b.api('GET', '/w/default/api/events?type=domain.added');
    expect(events.body.events[0].actor).toBe('user:olga@example.org');

    const m = browser(b.emulator);
    await m.request('POST', '/w/default/login', { action: 'password', email: 'mel@example.org', password: 'correct horse battery' });
    const refused = await m.request('GET', '/w/default/admin');
    expect(refused.status).toBe(403);
    expect(refused.text).toContain('mel@example.org is a member');
  });

  it('refuses a form posted from another origin', async () => {
    const b = await signedIn();
    const res = await b.request('POST', '/w/default/admin/domains/add', { domain: 'evil.example' }, { Origin: 'http://evil.example' });
    expect(res.status).toBe(403);
    expect((await b.api('GET', '/w/default/api/domains')).body.domains).toEqual([]);
  });
});

describe('console forms go through the admin API', () => {
  it('adds, publishes (simulated DNS) and verifies a domain, explaining the result', async () => {
    const b = await signedIn();
    let page = await b.submit('/w/default/admin/domains/add', { domain: 'Springfield.K12.us' });
    expect(page.text).toContain('springfield.k12.us added');
    const added = (await b.api('GET', '/w/default/api/domains/springfield.k12.us')).body;
    expect(page.text).toContain(added.txt.value);
    expect(page.text).toMatch(/data-copy="openai-domain-verification=dv-/);
    expect(page.text).toMatch(/data-expires="\d+"/);

    page = await b.submit('/w/default/admin/domains/verify', { domain: 'springfield.k12.us' });
    expect(page.text).toContain('springfield.k12.us is not verified yet.');
    expect(page.text).toContain('No TXT record was found at springfield.k12.us');

    page = await b.submit('/w/default/admin/domains/publish', { domain: 'springfield.k12.us' });
    expect(page.text).toContain('Published the TXT record');
    expect((await b.api('GET', '/_emulator/dns/springfield.k12.us')).body.txt).toEqual([added.txt.value]);

    page = await b.submit('/w/default/admin/domains/verify', { domain: 'springfield.k12.us' });
    expect(page.text).toContain('springfield.k12.us is verified.');
    expect((await b.api('GET', '/w/default/api/domains/springfield.k12.us')).body.status).toBe('verified');
  });

  it('shows an API refusal with its code and changes nothing', async () => {
    const b = await signedIn();
    const page = await b.submit('/w/default/admin/domains/add', { domain: '10.0.0.1' });
    expect(page.text).toContain('invalid_domain');
    expect(page.text).toContain('role="alert"');
    expect((await b.api('GET', '/w/default/api/domains')).body.domains).toEqual([]);
  });

  it('explains the enforcement guard and refuses an untested raise with sso_untested', async () => {
    const b = await signedIn();
    await b.api('POST', '/_emulator/idps', { id: 'district', vendor: 'entra', users: [{ email: 'ada@springfield.k12.us' }] });
    let page = await b.submit('/w/default/admin/sso/connect-mock', { mockIdp: 'district', protocol: 'saml' });
    expect(page.text).toContain('Connected with SAML.');
    expect(page.text).toContain('ada@springfield.k12.us');
    expect(page.text).toContain('/w/default/sso/saml/login?email=ada%40springfield.k12.us&amp;relayState=%2Fw%2Fdefault%2Fadmin%2Fsso');
    page = await b.submit('/w/default/admin/sso/enforcement', { level: 'sso_only' });
    expect(page.text).toContain('sso_untested');
    expect(page.text).toContain('Lockout warning');
    expect((await b.api('GET', '/w/default/api/sso/enforcement')).body.level).toBe('off');
    page = await b.submit('/w/default/admin/sso/enforcement', { level: 'no_passwords', force: 'true' });
    expect(page.text).toContain('Enforcement is now &quot;No passwords&quot;');
    const events = (await b.api('GET', '/w/default/api/events?type=sso.enforcement_changed')).body.events;
    expect(events[0].detail).toMatchObject({ to: 'no_passwords', forced: true });
  });

  it('shows a new SCIM token once, lists SCIM requests, and warns about contention', async () => {
    const b = await signedIn();
    let page = await b.submit('/w/default/admin/scim/create-token', { name: 'Entra' });
    const token = /id="secret-value">([^<]+)</.exec(page.text)?.[1];
    expect(token).toMatch(/^scim_/);
    page = await b.request('GET', '/w/default/admin/scim');
    expect(page.text).not.toContain(token!);
    expect(page.text).toContain('http://localhost/w/default/scim/v2');
    await b.emulator.app.request('http://localhost/w/default/scim/v2/Users?count=1', { headers: { Authorization: `Bearer ${token}` } });
    // Automatic account creation needs a verified domain.
    page = await b.submit('/w/default/admin/scim/automatic-accounts', { on: 'true' });
    expect(page.text).toContain('domain_not_verified');
    const added = (await b.api('POST', '/w/default/api/domains', { domain: 'springfield.k12.us' })).body;
    await b.api('PUT', '/_emulator/dns/springfield.k12.us', { txt: [added.txt.value] });
    await b.api('POST', '/w/default/api/domains/springfield.k12.us/verify');
    page = await b.submit('/w/default/admin/scim/automatic-accounts', { on: 'true' });
    expect(page.text).toContain('GET /w/default/scim/v2/Users?count=1');
    expect(page.text).toContain('Contention with SCIM');
    expect((await b.api('GET', '/w/default/api/settings')).body.automaticAccountCreation).toBe(true);
  });

  it('shows what the conformance rules found, under a chosen profile, switches SCIM to lenient and clears', async () => {
    const b = await signedIn();
    const token = (await b.api('POST', '/w/default/api/scim/tokens', { name: 'Entra' })).body.token;
    await b.emulator.app.request('http://localhost/w/default/scim/v2/users', { headers: { Authorization: `Bearer ${token}` } });
    let page = await b.request('GET', '/w/default/admin/scim?profile=entra');
    expect(page.text).toContain('1 fail · 0 warn · 0 info · 0 known quirk');
    expect(page.text).toContain('scim.path.unknown');
    expect(page.text).toContain('<option value="entra" selected="">Microsoft Entra ID</option>');
    page = await b.submit('/w/default/admin/scim/scim-compatibility', { mode: 'lenient' });
    expect(page.text).toContain('SCIM compatibility is lenient.');
    expect((await b.api('GET', '/w/default/api/settings')).body.scimCompatibility).toBe('lenient');
    expect((await b.emulator.app.request('http://localhost/w/default/scim/v2/users', { headers: { Authorization: `Bearer ${token}` } })).status).toBe(200);
    // "The full report" opens in the console, with the console's own sign-in (the admin key here).
    expect(page.text).toContain('href="/w/default/admin/scim/conformance?profile=rfc"');
    const full = await b.request('GET', '/w/default/admin/scim/conformance?profile=entra');
    expect(full.status).toBe(200);
    expect(full.text).toContain('Profile <strong>entra</strong>: 1 fail');
    expect(full.text).toContain('scim.path.unknown');
    expect(full.text).toContain('href="/w/default/admin/scim?profile=entra"');
    page = await b.submit('/w/default/admin/scim/clear-conformance');
    expect(page.text).toContain('No findings yet');
  });

  it('creates a role, maps a group and explains a member\'s permissions', async () => {
    const b = await signedIn();
    const m = (await b.api('POST', '/w/default/api/invites', { email: 'tom@springfield.k12.us' })).body;
    await b.submit('/w/default/admin/groups/create', { displayName: 'Teachers' });
    const group = (await b.api('GET', '/w/default/api/groups')).body.groups[0];
    await b.submit('/w/default/admin/groups/members', { id: group.id, userIds: [m.id] });
    let page = await b.submit('/w/default/admin/roles/create', { name: 'GPT Publishers', perm: ['gpts.publish_workspace', 'codex.use'], credits: '500' });
    expect(page.text).toContain('Role GPT Publishers created');
    const role = (await b.api('GET', '/w/default/api/roles')).body.roles[0];
    // A custom role is a full set: what the form left out is filled from the default role.
    expect(role.permissions).toMatchObject({ 'gpts.publish_workspace': true, 'codex.use': true, 'gpts.use': true, 'models.advanced': false, 'credits.monthly_limit': 500 });
    page = await b.submit('/w/default/admin/roles/map', { id: role.id, groupIds: [group.id] });
    expect(page.text).toContain('GPT Publishers is mapped to Teachers.');
    page = await b.request('GET', `/w/default/admin/members/${m.id}`);
    expect(page.text).toMatch(/data-permission="gpts.publish_workspace">.*✓ allowed.*Granted by role &quot;GPT Publishers&quot; through group &quot;Teachers&quot;/s);
    // The custom role overrides the default role: even gpts.use comes from it now.
    expect(page.text).toMatch(/data-permission="gpts.use">.*Granted by role &quot;GPT Publishers&quot; through group &quot;Teachers&quot;/s);
    expect(page.text).toContain('custom role &quot;GPT Publishers&quot; through group &quot;Teachers&quot;');
    expect(page.text).toMatch(/data-permission="gpts.edit">.*Edit GPTs/s);
    expect(page.text).toMatch(/data-permission="credits.monthly_limit">.*500.*The default of group &quot;Teachers&quot; \(from role &quot;GPT Publishers&quot;/s);
  });

  it('walks through a bundled scenario one step at a time, and resets', async () => {
    const b = await signedIn();
    let page = await b.submit('/w/default/admin/training/start', { scenario: '01-district-rollout.yaml' });
    expect(page.text).toContain('Ready to step through');
    page = await b.submit('/w/default/admin/training/next');
    expect(page.text).toContain('Step 1: Verify the domain springfield.k12.us — done.');
    expect(page.text).toContain('The workspace after this step: domains: springfield.k12.us verified');
    expect((await b.api('GET', '/w/default/api/domains/springfield.k12.us')).body.status).toBe('verified');
    await b.submit('/w/default/admin/training/next');
    await b.submit('/w/default/admin/training/next');
    // A step that expects a refusal says so: the guard refused, as the scenario means it to.
    page = await b.submit('/w/default/admin/training/next');
    expect(page.text).toContain('Step 4: Turn on SSO-only sign-in — refused, as expected: SSO has not been tested yet.');
    expect(page.text).not.toContain('set_enforcement');
    page = await b.request('GET', '/w/default/admin/training?step=1');
    expect(page.text).toContain('Step 1 of');
    page = await b.submit('/w/default/admin/training/finish');
    expect(page.text).toMatch(/Ran to the end: \d+ steps as expected, 0 not/);
    page = await b.submit('/w/default/admin/training/reset');
    expect(page.text).toContain('The workspace is reset');
    expect((await b.api('GET', '/w/default/api/domains')).body.domains).toEqual([]);
    page = await b.submit('/w/default/admin/training/load', { scenario: '01-district-rollout.yaml' });
    expect(page.text).toMatch(/Loaded the set-up of/);
    expect((await b.api('GET', '/w/default/api/sso/enforcement')).body.level).toBe('sso_only');
  });
});

describe('sign-in page', () => {
  it('asks for the email first, then offers only what policy allows, with refusals in words', async () => {
    const b = await signedIn();
    let page = await b.request('GET', '/w/default/login');
    expect(page.text).toContain('<label for="email">Email</label>');
    expect(page.text).not.toContain('Sign in with password');
    page = await b.request('GET', '/w/default/login?email=nobody@example.org');
    expect(page.text).toContain('nobody@example.org cannot sign in here.');
    expect(page.text).toContain('This email is not a member of the workspace');
    await b.api('POST', '/w/default/api/invites', { email: 'ada@example.org', password: 'correct horse battery' });
    page = await b.request('GET', '/w/default/login?email=ada@example.org');
    expect(page.text).toContain('Sign in with password');
    expect(page.text).toContain('Single sign-on is not configured for this workspace yet.');
    const wrong = await b.request('POST', '/w/default/login', { action: 'password', email: 'ada@example.org', password: 'wrong password!' });
    expect(wrong.location).toBe('/w/default/login?email=ada%40example.org&error=invalid_credentials');
    page = await b.request('GET', wrong.location!);
    expect(page.text).toContain('The email or password is wrong.');
    const ok = await b.request('POST', '/w/default/login', { action: 'password', email: 'ada@example.org', password: 'correct horse battery' });
    page = await b.request('GET', ok.location!);
    expect(page.text).toContain('Signed in as <strong>ada@example.org</strong>');
    await b.request('POST', '/w/default/login', { action: 'signout' });
    expect(b.jar.has('edu_session')).toBe(false);
  });
});

describe('errors for browsers', () => {
  it('renders a readable page when the browser prefers HTML, JSON otherwise', async () => {
    const { app } = createEmulator({ adminKey: KEY });
    const html = await app.request('/w/default/api/domains', { headers: { Accept: BROWSER_ACCEPT } });
    expect(html.status).toBe(401);
    expect(html.headers.get('Content-Type')).toMatch(/text\/html/);
    const text = await html.text();
    expect(text).toContain('<h1>Sign-in needed</h1>');
    expect(text).toContain('unauthorized');
    const json = await app.request('/w/default/api/domains', { headers: { Accept: '*/*' } });
    expect((await json.json()).error.code).toBe('unauthorized');
    const scim = await app.request('/w/default/scim/v2/Users', { headers: { Accept: BROWSER_ACCEPT } });
    expect(scim.headers.get('Content-Type')).toMatch(/scim\+json/);
  });

  it('shows an SSO refusal at the ACS in plain words', async () => {
    const b = await signedIn();
    await b.api('POST', '/_emulator/idps', { id: 'district', vendor: 'entra', users: [{ email: 'ada@springfield.k12.us' }] });
    await b.api('PUT', '/w/default/api/sso', { protocol: 'saml', mockIdp: 'district' });
    const start = await b.request('GET', '/w/default/sso/saml/login?email=ada@springfield.k12.us');
    const idp = await b.emulator.app.request(start.location!, { headers: { Accept: 'application/json' } });
    const { acsUrl, SAMLResponse } = (await idp.json()) as { acsUrl: string; SAMLResponse: string };
    const acs = await b.request('POST', new URL(acsUrl).pathname, { SAMLResponse });
    expect(acs.status).toBe(403);
    expect(acs.text).toContain('domain is not verified by this workspace, so it cannot use single sign-on');
    expect(acs.text).toContain('domain_not_verified');
  });
});

describe('event log', () => {
  it('relays the admin API event stream as plain messages', async () => {
    const b = await signedIn();
    await b.api('POST', '/w/default/api/domains', { domain: 'springfield.k12.us' });
    const page = await b.request('GET', '/w/default/admin/events?type=domain.*');
    expect(page.text).toContain('domain.added');
    const res = await b.emulator.app.request('http://localhost/w/default/admin/events/stream?after=0', {
      headers: { Cookie: `edu_console=${b.jar.get('edu_console')}` },
    });
    expect(res.headers.get('Content-Type')).toMatch(/text\/event-stream/);
    const reader = res.body!.getReader();
    let text = '';
    while (!text.includes('domain.added')) text += new TextDecoder().decode((await reader.read()).value);
    await reader.cancel();
    expect(text).toMatch(/^id: evt_\d+$/m);
    expect(text).not.toMatch(/^event:/m);
  });
});

describe('enforcement what-if in the console', () => {
  it('shows, before the switch, who each level would block and whether an owner keeps a way in', async () => {
    const b = await signedIn();
    await b.api('POST', '/_emulator/idps', { id: 'district', vendor: 'entra', users: [{ email: 'ada@springfield.k12.us' }] });
    await b.submit('/w/default/admin/sso/connect-mock', { mockIdp: 'district', protocol: 'saml' });
    const added = (await b.api('POST', '/w/default/api/domains', { domain: 'springfield.k12.us' })).body;
    await b.api('PUT', '/_emulator/dns/springfield.k12.us', { txt: [added.txt.value] });
    await b.api('POST', '/w/default/api/domains/springfield.k12.us/verify');
    await b.api('POST', '/w/default/api/invites', { email: 'ada@springfield.k12.us', role: 'owner' });
    await b.api('POST', '/w/default/api/invites', { email: 'coach@springfield.k12.us' });
    const page = await b.request('GET', '/w/default/admin/sso');
    expect(page.text).toContain('Before you switch: who each level would affect');
    const ssoOnly = /<details[^>]*data-level="sso_only"[^>]*>([\s\S]*?)<\/details>/.exec(page.text)?.[1] ?? '';
    expect(ssoOnly).toContain('1 newly blocked');
    expect(ssoOnly).toContain('owners keeping a way in: 1 of 1');
    expect(ssoOnly).toMatch(/<tr data-outcome="newly_blocked"><td>coach@springfield.k12.us/);
    expect(ssoOnly).toMatch(/ada@springfield.k12.us<br\/?><span class="muted">owner · keeps a way in/);
  });
});

describe('the directory sync page', () => {
  it('connects the mock Google IdP with a group filter, syncs, and shows the last syncs', async () => {
    const b = await signedIn();
    await b.api('POST', '/_emulator/idps', {
      id: 'gws',
      vendor: 'google',
      users: [
        { email: 'tom@springfield.k12.us', groups: ['Teachers'] },
        { email: 'cook@springfield.k12.us', groups: ['Kitchen'] },
      ],
    });
    let page = await b.request('GET', '/w/default/admin/directory');
    expect(page.status).toBe(200);
    expect(page.text).toContain('No sync yet.');
    expect(page.text).toMatch(/<option value="gws"/);
    page = await b.submit('/w/default/admin/directory/google', { idp: 'gws', groups: 'Teachers' });
    expect(page.text).toContain('Connected to gws, syncing members of Teachers.');
    expect(page.text).toMatch(/Group filter<\/dt><dd>Teachers/);
    page = await b.submit('/w/default/admin/directory/sync');
    expect(page.text).toContain('Synced: 1 created, 0 updated, 0 deactivated');
    expect(page.text).toContain('1 user outside the filtered groups was not synced');
    expect(page.text).toContain('Google Workspace, pulled');
    expect(page.text).toMatch(/<td>Sync now<\/td>/);
    expect((await b.api('GET', '/w/default/api/users?email=tom@springfield.k12.us')).body.users[0].source).toBe('scim');
  });

  it('sets up CSV over SFTP by clicking, in words, with no API path to type', async () => {
    const b = await signedIn();
    let page = await b.request('GET', '/w/default/admin/directory');
    expect(page.text).not.toContain('/api/directory');
    expect(page.text).toContain('not connected');
    expect(page.text).toContain('Create a training identity provider that imitates Google Workspace on the <a href="/w/default/admin/sso">');
    page = await b.submit('/w/default/admin/directory/sftp');
    expect(page.text).toContain('CSV files over SFTP: the district uploads users.csv and groups.csv');
    expect((await b.api('GET', '/w/default/api/directory')).body.type).toBe('sftp');
    // A broken file: the sync is listed as failed with its line and column in words, the code folded away.
    expect((await b.api('POST', '/w/default/api/directory/upload', { 'users.csv': 'id,email\n1,not-an-email\n' })).status).toBe(400);
    page = await b.request('GET', '/w/default/admin/directory');
    expect(page.text).toContain('users.csv, line 2, column 2');
    expect(page.text).toMatch(/<details class="dev"><summary>Details for developers<\/summary><p>Code: <code class="code">invalid_csv<\/code>/);
    expect(page.text).toContain('<td>file uploaded</td>');
  });
});
