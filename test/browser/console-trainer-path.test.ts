// The trainer's path through the web console in a real browser (Debian's chromium driven by
// playwright-core) against the emulator on a loopback port: domain, SSO round trip, enforcement,
// SCIM, roles, explained permissions, readiness; refusals shown in words. Screenshots go to
// test-results/console/.
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type RunningEmulator } from '../../src/start.js';
import { haveChromium, launchChromium, type Chromium } from '../support/chromium.js';

const SHOTS = join(process.cwd(), 'test-results', 'console');

let emulator: RunningEmulator;
let browser: Chromium;
let page: Page;
let shot = 0;

async function screenshot(name: string) {
  shot += 1;
  await page.screenshot({ path: join(SHOTS, `${String(shot).padStart(2, '0')}-${name}.png`), fullPage: true });
}

/** Every visible form control has a label (a <label>, aria-label or aria-labelledby). */
async function expectLabelledControls() {
  const unlabelled = await page.evaluate(() =>
    Array.from(document.querySelectorAll('input:not([type=hidden]), select, textarea'))
      .filter((el) => {
        const c = el as HTMLInputElement;
        return !(c.labels && c.labels.length > 0) && !c.getAttribute('aria-label') && !c.getAttribute('aria-labelledby');
      })
      .map((el) => el.outerHTML.slice(0, 120)),
  );
  expect(unlabelled).toEqual([]);
}

const flash = () => page.locator('#flash');

/** Signs in on the mock IdP's page by typing the user's email (keyboard only). */
async function signInAtIdp(email: string) {
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Email').press('Enter');
}

describe.skipIf(!haveChromium)('the trainer runs the district setup in the browser', { timeout: 90_000 }, () => {
  beforeAll(async () => {
    await mkdir(SHOTS, { recursive: true });
    // Chromium starts while the emulator does.
    const launching = launchChromium('console');
    emulator = await startEmulator({ adminKey: 'browser-test-key' });
    const admin = (method: string, path: string, body?: unknown) =>
      fetch(`${emulator.url}${path}`, {
        method,
        headers: { Authorization: `Bearer ${emulator.adminKey}`, 'Content-Type': 'application/json' },
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
      }).then(async (r) => ({ status: r.status, body: await r.json().catch(() => undefined) }));
    // The district's directory: Ada (an admin-to-be), Tom (a teacher), and Eve, whom the SSO app
    // knows but the provisioning scope does not (so the workspace refuses her).
    const idp = await admin('POST', '/_emulator/idps', {
      id: 'springfield',
      vendor: 'entra',
      name: 'Springfield (Entra)',
      users: [
        { email: 'ada@springfield.k12.us', givenName: 'Ada', familyName: 'Admin' },
        { email: 'tom@springfield.k12.us', givenName: 'Tom', familyName: 'Lee', groups: ['Teachers'] },
        { email: 'eve@springfield.k12.us', givenName: 'Eve', familyName: 'Out', provisioned: false },
      ],
    });
    browser = await launching;
    expect(idp.status).toBe(201);
    page = browser.page;
    // Generous: the first SAML sign-in of a process can take seconds on a busy machine.
    page.setDefaultTimeout(30_000);
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await emulator?.stop();
  });

  it('opens the console with the admin key, once', async () => {
    await page.goto(`${emulator.url}/w/default/admin?key=${emulator.adminKey}`);
    expect(new URL(page.url()).pathname).toBe('/w/default/admin');
    expect(page.url()).not.toContain('key=');
    await expect(page.getByRole('navigation', { name: 'District plan' }).getByRole('link').allTextContents()).resolves.toEqual([
      '1. Domains',
      '2. Single sign-on',
      '3. Directory sync (SCIM)',
      '4. Members',
      '5. Groups',
      '6. Roles',
      '7. Directory sync (Google, CSV)',
      'Launch readiness',
      'Event log',
      'Training',
      'Mock identity providers',
      'Workspace sign-in page',
    ]);
    await screenshot('overview');
  });

  it('adds a domain with the keyboard, publishes its TXT record and verifies it', async () => {
    await page.getByRole('link', { name: '1. Domains' }).click();
    await expectLabelledControls();
    await page.getByLabel('Domain name').fill('springfield.k12.us');
    await page.getByLabel('Domain name').press('Enter');
    await expect(flash().textContent()).resolves.toContain('springfield.k12.us added');
    await expect(page.locator('[id="txt-springfield.k12.us"]').textContent()).resolves.toMatch(/^openai-domain-verification=dv-[A-Za-z0-9]{24}$/);
    await expect(page.locator('[data-expires]').textContent()).resolves.toMatch(/6 d 23 h/);
    await screenshot('domain-pending');
    await page.getByRole('button', { name: 'Verify springfield.k12.us' }).click();
    await expect(flash().textContent()).resolves.toContain('No TXT record was found');
    await page.getByRole('button', { name: 'Publish in simulated DNS (training only)' }).click();
    await page.getByRole('button', { name: 'Verify springfield.k12.us' }).click();
    await expect(flash().textContent()).resolves.toContain('springfield.k12.us is verified.');
    await screenshot('domain-verified');
  });

  it('connects the mock IdP and signs in through SSO in the browser', async () => {
    await page.getByRole('link', { name: '2. Single sign-on' }).click();
    await expectLabelledControls();
    await page.getByLabel('Mock identity provider').selectOption('springfield');
    await page.getByRole('button', { name: 'Connect', exact: true }).click();
    await expect(flash().textContent()).resolves.toContain('Connected with SAML.');
    const ada = page.getByRole('row', { name: /ada@springfield\.k12\.us/ });
    await ada.getByLabel('Role for ada@springfield.k12.us').selectOption('owner');
    await ada.getByRole('button', { name: 'Invite' }).click();
    await expect(flash().textContent()).resolves.toContain('ada@springfield.k12.us invited as owner');
    await screenshot('sso-connected');

    // Raising enforcement now is refused, and the page says why.
    await page.getByLabel(/SSO only/).check();
    await page.getByRole('button', { name: 'Save enforcement' }).click();
    await expect(flash().textContent()).resolves.toContain('sso_untested');

    // The test sign-in: to the mock IdP's page, pick Ada, back through the ACS to this page.
    await page.getByRole('link', { name: 'Test sign-in (pick a user at the identity provider)' }).click();
    await page.waitForURL(/\/idp\/springfield\/saml\/sso/);
    await screenshot('idp-sign-in-page');
    await page.getByRole('button', { name: 'ada@springfield.k12.us' }).click();
    await page.waitForURL(/\/w\/default\/admin\/sso\?tested=1$/);
    await expect(page.getByRole('row', { name: /Tested/ }).textContent()).resolves.toContain('yes');
    const me = await page.evaluate(() => fetch('/w/default/me').then((r) => r.json()));
    expect(me).toMatchObject({ email: 'ada@springfield.k12.us', role: 'owner', status: 'active' });
    await screenshot('sso-tested');
  });

  it('raises enforcement once the test sign-in succeeded', async () => {
    await page.getByLabel(/SSO only/).check();
    await page.getByRole('button', { name: 'Save enforcement' }).click();
    await expect(flash().textContent()).resolves.toContain('Enforcement is now "SSO only"');
    await screenshot('sso-enforced');
  });

  it('provisions the directory through SCIM and lists the requests', async () => {
    await page.getByRole('link', { name: '3. Directory sync (SCIM)' }).click();
    await expectLabelledControls();
    await page.getByRole('button', { name: 'Create token' }).click();
    await expect(page.locator('#secret-value').textContent()).resolves.toMatch(/^scim_/);
    await page.getByRole('button', { name: 'Push the directory now' }).click();
    await expect(flash().textContent()).resolves.toMatch(/Provisioning run done: \d+ SCIM requests, 0 failed/);
    await expect(page.locator('#scim-requests').textContent()).resolves.toContain('POST /w/default/scim/v2/Users');
    await screenshot('scim-provisioned');
    await page.getByRole('link', { name: '5. Groups' }).click();
    await expect(page.locator('[data-group="Teachers"]').textContent()).resolves.toContain('SCIM');
    await screenshot('groups');
  });

  it('creates a role and maps the SCIM group to it', async () => {
    await page.getByRole('link', { name: '6. Roles' }).click();
    await expectLabelledControls();
    await page.getByLabel('Role name').fill('GPT Publishers');
    await page.locator('#new-gpts\\.publish_workspace').check();
    await page.getByRole('button', { name: 'Create role' }).click();
    await expect(flash().textContent()).resolves.toContain('Role GPT Publishers created');
    await page.getByRole('group', { name: 'GPT Publishers' }).getByLabel(/Teachers/).check();
    await page.getByRole('button', { name: 'Save groups of GPT Publishers' }).click();
    await expect(flash().textContent()).resolves.toContain('GPT Publishers is mapped to Teachers.');
    await screenshot('roles');
  });

  it("explains a member's permissions by role and group", async () => {
    await page.getByRole('link', { name: '4. Members' }).click();
    await expect(page.locator('#members').textContent()).resolves.toContain('directory (SCIM)');
    await screenshot('members');
    await page.getByRole('link', { name: 'tom@springfield.k12.us' }).click();
    await expectLabelledControls();
    const row = page.locator('[data-permission="gpts.publish_workspace"]');
    await expect(row.textContent()).resolves.toContain('Granted by role "GPT Publishers" through group "Teachers"');
    await screenshot('member-permissions');
  });

  it('shows the readiness checklist green', async () => {
    await page.getByRole('link', { name: 'Launch readiness', exact: true }).click();
    const statuses = await page.locator('[data-item]').evaluateAll((els) => els.map((e) => `${e.getAttribute('data-item')}=${e.getAttribute('data-status')}`));
    expect(statuses.filter((s) => !s.endsWith('=pass'))).toEqual([]);
    await expect(page.locator('#readiness-summary').textContent()).resolves.toContain('Ready to launch');
    await screenshot('readiness-green');
  });

  it('shows refused sign-ins with their reason in words', async () => {
    // Password sign-in for an enforced domain: the sign-in page says why it is not offered.
    await page.goto(`${emulator.url}/w/default/login`);
    await page.getByLabel('Email').fill('tom@springfield.k12.us');
    await page.getByRole('button', { name: 'Continue' }).click();
    await expect(page.locator('#not-offered').textContent()).resolves.toContain('This workspace requires single sign-on for your email domain');
    expect(await page.getByRole('link', { name: 'Continue with single sign-on' }).isVisible()).toBe(true);
    await screenshot('login-sso-required');
    // An SSO round trip for someone the workspace does not know: the ACS page says so.
    await page.goto(`${emulator.url}/w/default/admin/sso`);
    await page.getByRole('link', { name: 'Test sign-in (pick a user at the identity provider)' }).click();
    await signInAtIdp('eve@springfield.k12.us');
    await page.waitForURL(/\/sso\/saml\/acs$/);
    await expect(page.getByRole('alert').textContent()).resolves.toContain('This person is not a member of the workspace.');
    await expect(page.locator('#reason-code').textContent()).resolves.toBe('not_a_member');
    await screenshot('sso-refused');
  });

  it('keeps the event log live and filterable', async () => {
    await page.goto(`${emulator.url}/w/default/admin/events?type=member.*`);
    await expect(page.locator('#live-status').textContent()).resolves.toContain('Live');
    await fetch(`${emulator.url}/w/default/api/invites`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${emulator.adminKey}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ email: 'newcomer@example.org' }),
    });
    await page.locator('#event-list li', { hasText: 'newcomer@example.org' }).waitFor();
    await expect(page.locator('#event-list').textContent()).not.toContain('signin.');
    await screenshot('event-log');
  });

  it('replays the district plan from a bundled scenario, one step at a time', async () => {
    await page.goto(`${emulator.url}/w/default/admin/training`);
    await expectLabelledControls();
    // Starting replaces the workspace, so the page asks first.
    page.once('dialog', (d) => void d.accept());
    await page.getByRole('button', { name: 'Start stepping' }).click();
    // The page updates in place after each step.
    await page.getByRole('button', { name: 'Run the next step' }).click();
    await page.locator('[data-step="0"]', { hasText: 'passed' }).waitFor();
    await page.getByRole('button', { name: 'Run the next step' }).click();
    await page.locator('[data-step="1"]', { hasText: 'passed' }).waitFor();
    await page.getByRole('button', { name: 'Run the next step' }).click();
    await page.locator('[data-step="2"]', { hasText: 'passed' }).waitFor();
    await screenshot('training-stepper');
    await page.getByRole('link', { name: 'See it on Domains' }).first().click();
    await expect(page.locator('[data-domain="springfield.k12.us"]').textContent()).resolves.toContain('verified');
  });
});
