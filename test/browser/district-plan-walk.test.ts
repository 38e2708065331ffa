// The whole district plan walked by clicking only, in Debian's chromium (playwright-core), as a
// trainer projects it: each page screenshotted (into a temporary folder), checked with axe-core
// (no serious or critical violation) and for developer wording (no API path, JSON or raw key in
// trainer-facing text); plain-words refusals, the guided mode's question and expected refusals,
// the test sign-in banner, the refusal page's fix link, "My access" and the styled mock IdP page.
import { readFileSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type RunningEmulator } from '../../src/start.js';
import { haveChromium, launchChromium, type Chromium } from '../support/chromium.js';

const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
/** Where pages load axe-core from: answered by the browser context, never by the emulator. */
const AXE_PATH = '/__test-axe-core.js';

/** Developer wording that must not reach a trainer: API paths, HTTP request lines, JSON, raw codes and permission keys. */
const DEVELOPER_WORDING = /\/api\/|\/_emulator|\b(GET|PUT|POST|PATCH|DELETE) \/|\{"|"force"|\b(sso_only|no_passwords|sso_untested|owner_lockout|not_a_member|expect_member|set_enforcement)\b|\b[a-z]+\.[a-z]+_[a-z_]+\b/;

let emulator: RunningEmulator;
let browser: Chromium;
let page: Page;
let shots: string;
let shot = 0;
const dialogs: string[] = [];
/** What the next confirmation dialog answers. */
let acceptDialogs = true;

/** The page's text a trainer reads: without code samples, technical logs and developer details. */
async function trainerText(): Promise<string> {
  return page.evaluate(() => {
    const copy = document.body.cloneNode(true) as HTMLElement;
    copy.querySelectorAll('script, style, code, pre, .mono, details.dev, [data-technical]').forEach((el) => el.remove());
    // The developer details of the error page are the one <details> whose summary says so.
    copy.querySelectorAll('details').forEach((d) => {
      if (/details for developers/i.test(d.querySelector('summary')?.textContent ?? '')) d.remove();
    });
    return copy.textContent ?? '';
  });
}

/** Screenshot, axe (no serious or critical violation) and the developer-wording check, on the page as it is. */
async function checkPage(name: string) {
  shot += 1;
  await page.screenshot({ path: join(shots, `${String(shot).padStart(2, '0')}-${name}.png`), fullPage: true });
  // From a path the browser context answers itself (see beforeAll): same source, about half the
  // cost of sending it inline through the DevTools protocol for each page.
  await page.addScriptTag({ url: AXE_PATH });
  const violations = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run: (ctx: Document, o: object) => Promise<{ violations: { id: string; impact: string; nodes: { target: string[] }[] }[] }> } }).axe;
    const r = await axe.run(document, { resultTypes: ['violations'] });
    return r.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.impact} ${v.id}: ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(', ')}`);
  });
  expect(violations, `axe on ${name} (${page.url()})`).toEqual([]);
  const text = await trainerText();
  const found = DEVELOPER_WORDING.exec(text);
  expect(found ? text.slice(Math.max(0, found.index - 80), found.index + 80) : null, `developer wording on ${name}`).toBeNull();
}

const flash = () => page.locator('#flash');
const nav = (name: string) => page.getByRole('navigation', { name: 'District plan' }).getByRole('link', { name, exact: true });

describe.skipIf(!haveChromium)('the district plan, clicking only', () => {
  beforeAll(async () => {
    // Chromium starts while the emulator does.
    const launching = launchChromium('walk');
    emulator = await startEmulator({ adminKey: 'walk-key' });
    shots = await mkdtemp(join(tmpdir(), 'edu-walk-shots-'));
    browser = await launching;
    page = browser.page;
    await browser.context.route(`**${AXE_PATH}`, (route) => route.fulfill({ body: AXE_SOURCE, contentType: 'text/javascript' }));
    // Generous: the first SAML sign-in of a process can take seconds on a busy machine.
    page.setDefaultTimeout(30_000);
    page.on('dialog', (d) => {
      dialogs.push(d.message());
      void (acceptDialogs ? d.accept() : d.dismiss());
    });
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await emulator?.stop();
    if (shots) process.stdout.write(`district plan screenshots: ${shots}\n`);
  });

  it('opens on an overview that says "not started" where nothing exists yet', async () => {
    await page.goto(`${emulator.url}/w/default/admin?key=${emulator.adminKey}`);
    for (const id of ['members', 'groups', 'roles']) {
      await expect(page.locator(`[data-page="${id}"]`).getAttribute('data-status')).resolves.toBe('not_started');
      await expect(page.locator(`[data-page="${id}"]`).textContent()).resolves.toContain('not started');
    }
    await expect(page.locator('main').textContent()).resolves.not.toContain('Nothing to fix');
    await checkPage('overview-empty');
  }, 120_000);

  it('1. verifies the domain', async () => {
    await nav('1. Domains').click();
    await page.getByLabel('Domain name').fill('springfield.k12.us');
    await page.getByLabel('Domain name').press('Enter');
    await page.getByRole('button', { name: 'Publish in simulated DNS (training only)' }).click();
    await page.getByRole('button', { name: 'Verify springfield.k12.us' }).click();
    await expect(flash().textContent()).resolves.toContain('springfield.k12.us is verified.');
    await checkPage('domains');
  }, 120_000);

  it('2. creates the training IdP first on the SSO page, connects it and is refused enforcement in plain words', async () => {
    await nav('2. Single sign-on').click();
    // The training-IdP path comes first on an empty SSO page.
    const first = await page.locator('main section h2').first().textContent();
    expect(first).toContain('training identity provider');
    await checkPage('sso-empty');
    await page.getByLabel('Id', { exact: true }).fill('springfield');
    await page.getByLabel('Name on its sign-in page').fill('Springfield Public Schools');
    await page.getByLabel('Vendor it imitates').selectOption('entra');
    await page
      .getByLabel(/Users, one a line/)
      .fill(
        [
          'ada@springfield.k12.us, Ada, Admin',
          'tom@springfield.k12.us, Tom, Lee, Teachers',
          'ann@springfield.k12.us, Ann, Park, Teachers',
          'eve@springfield.k12.us, Eve, Out',
        ].join('\n'),
      );
    await page.getByRole('button', { name: 'Create identity provider' }).click();
    await page.getByLabel('Mock identity provider').selectOption('springfield');
    await page.getByRole('button', { name: 'Connect', exact: true }).click();
    await expect(flash().textContent()).resolves.toContain('Connected with SAML.');
    const ada = page.getByRole('row', { name: /ada@springfield\.k12\.us/ });
    await ada.getByLabel('Role for ada@springfield.k12.us').selectOption('owner');
    await ada.getByRole('button', { name: 'Invite' }).click();
    await page.getByLabel(/SSO only/).check();
    await page.getByRole('button', { name: 'Save enforcement' }).click();
    await expect(flash().textContent()).resolves.toContain('Not yet: nobody has signed in through single sign-on');
    // The API's own message is there, folded away under "details for developers".
    await expect(flash().locator('details.dev summary').textContent()).resolves.toBe('Details for developers');
    expect(await flash().locator('details.dev').getAttribute('open')).toBeNull();
    await checkPage('sso-raise-refused');
  }, 120_000);

  it('shows the styled mock IdP page headed by the workspace, and a success banner after the test sign-in', async () => {
    await page.getByRole('link', { name: 'Test sign-in (pick a user at the identity provider)' }).click();
    await page.waitForURL(/\/idp\/springfield\/saml\/sso/);
    await expect(page.locator('#app-name').textContent()).resolves.toBe('Default workspace');
    await expect(page.locator('.idp').textContent()).resolves.toContain('Springfield Public Schools');
    await expect(page.locator('h1').textContent()).resolves.toBe('Sign in');
    expect(await page.locator('main').textContent()).not.toMatch(/https?:\/\//);
    expect(await page.evaluate(() => getComputedStyle(document.body).fontFamily)).toContain('system-ui');
    await checkPage('idp-sign-in');
    await page.getByRole('button', { name: 'ada@springfield.k12.us' }).click();
    await page.waitForURL(/\/w\/default\/admin\/sso\?tested=1$/);
    const banner = await page.locator('#test-success').textContent();
    expect(banner).toContain('Test sign-in succeeded.');
    expect(banner).toContain('Ada Admin (ada@springfield.k12.us) signed in with single sign-on (SAML)');
    await checkPage('sso-tested');
  }, 120_000);

  it('shows a refused test sign-in with the person, the reason in words and a link to the fix', async () => {
    // The link names Eve to the IdP, which signs her in at once and posts back to the workspace.
    await page.getByRole('link', { name: 'Test sign-in as eve@springfield.k12.us' }).click();
    await page.waitForURL(/\/sso\/saml\/acs$/);
    const alert = await page.getByRole('alert').textContent();
    expect(alert).toContain('eve@springfield.k12.us');
    expect(alert).toContain('This person is not a member of the workspace.');
    await expect(page.locator('#fix').textContent()).resolves.toContain('Invite eve@springfield.k12.us first');
    await checkPage('sso-refused-sign-in');
    await page.locator('#fix-link').click();
    await page.waitForURL(/\/w\/default\/admin\/sso#test-h$/);
  }, 120_000);

  it('raises enforcement once tested, with the level in words', async () => {
    await page.getByLabel(/SSO only/).check();
    await page.getByRole('button', { name: 'Save enforcement' }).click();
    await expect(flash().textContent()).resolves.toContain('Enforcement is now "SSO only".');
    await checkPage('sso-enforced');
  }, 120_000);

  it('3. provisions the directory through SCIM', async () => {
    await nav('3. Directory sync (SCIM)').click();
    await page.getByRole('button', { name: 'Create token' }).click();
    await page.getByRole('button', { name: 'Push the directory now' }).click();
    await expect(flash().textContent()).resolves.toMatch(/Provisioning run done: \d+ SCIM requests, 0 failed/);
    await checkPage('scim');
    // The conformance section's full report, opened from the console.
    await expect(page.locator('#conformance-summary').textContent()).resolves.toContain('0 fail');
    await page.getByRole('link', { name: 'the full report' }).click();
    await page.waitForURL(/\/admin\/scim\/conformance\?profile=rfc$/);
    await expect(page.locator('#conformance-report').textContent()).resolves.toContain('Profile rfc: 0 fail');
    await checkPage('conformance-report');
    await page.goBack();
    await nav('5. Groups').click();
    await expect(page.locator('[data-group="Teachers"]').textContent()).resolves.toContain('SCIM');
    await checkPage('groups');
  }, 120_000);

  it('6. creates a role, maps it, and reads the matrix in words with its legend', async () => {
    await nav('6. Roles').click();
    // Creating a role comes before mapping one.
    const headings = await page.locator('main section h2').allTextContents();
    expect(headings.indexOf('Create a custom role')).toBeLessThan(headings.indexOf('Map groups to roles'));
    await page.getByLabel('Role name').fill('GPT Publishers');
    await page.locator('#new-gpts\\.publish_workspace').check();
    await page.getByRole('button', { name: 'Create role' }).click();
    await expect(flash().textContent()).resolves.toContain('Role GPT Publishers created');
    await page.getByRole('group', { name: 'GPT Publishers' }).getByLabel(/Teachers/).check();
    await page.getByRole('button', { name: 'Save groups of GPT Publishers' }).click();
    const row = page.locator('#role-matrix tr', { hasText: 'Publish GPTs to the workspace' });
    await expect(row.locator('td').allTextContents()).resolves.toEqual(['—', 'adds']);
    await expect(page.locator('#matrix-legend').textContent()).resolves.toContain('adds');
    // Roles are editable: the role's own form, folded until opened.
    await page.locator('summary', { hasText: 'Edit GPT Publishers' }).click();
    await expect(page.getByRole('button', { name: 'Save GPT Publishers' }).isVisible()).resolves.toBe(true);
    await checkPage('roles');
  }, 120_000);

  it('4. explains a member\'s permissions by label, role and group', async () => {
    await nav('4. Members').click();
    await checkPage('members');
    await page.getByRole('link', { name: 'tom@springfield.k12.us' }).click();
    const row = page.locator('[data-permission="gpts.publish_workspace"]');
    await expect(row.textContent()).resolves.toContain('Publish GPTs to the workspace');
    await expect(row.textContent()).resolves.toContain('Granted by role "GPT Publishers" through group "Teachers"');
    await checkPage('member');
    await nav('Launch readiness').click();
    await checkPage('readiness');
    await nav('Event log').click();
    await checkPage('events');
  }, 120_000);

  it('deprovisions a teacher from the mock IdP page by clicking', async () => {
    await nav('Mock identity providers').click();
    await checkPage('idps');
    await page.locator('#idp-list a').first().click();
    await page.getByRole('button', { name: 'Deactivate tom@springfield.k12.us' }).click();
    await expect(flash().textContent()).resolves.toContain('out of the provisioning scope');
    await page.getByRole('button', { name: 'Push the directory now' }).click();
    await expect(page.locator('#push-log').textContent()).resolves.toContain('Person tom@springfield.k12.us: deactivated');
    await page.getByLabel('Fault', { exact: true }).selectOption('wrong_audience');
    await page.getByRole('button', { name: 'Arm the fault' }).click();
    await expect(page.locator('#armed-next').textContent()).resolves.toBe('wrong audience');
    await page.getByRole('button', { name: 'Clear all faults' }).click();
    await checkPage('idp-console');
  }, 120_000);

  it("lets a teacher see their own access on /me", async () => {
    await page.getByRole('link', { name: 'Workspace sign-in page' }).click();
    await checkPage('login');
    await page.getByLabel('Email').fill('ann@springfield.k12.us');
    await page.getByRole('button', { name: 'Continue' }).click();
    // The sign-in page names Ann to the IdP, which signs her in at once and comes back here.
    await page.getByRole('link', { name: 'Continue with single sign-on' }).click();
    await page.waitForURL(/\/w\/default\/login$/);
    await page.getByRole('link', { name: 'See my access' }).click();
    await page.waitForURL(/\/w\/default\/me$/);
    await expect(page.locator('h1').textContent()).resolves.toBe('My access');
    await expect(page.locator('#me-groups').textContent()).resolves.toContain('Teachers');
    await expect(page.locator('[data-permission="gpts.publish_workspace"]').textContent()).resolves.toContain('Granted by role "GPT Publishers" through group "Teachers"');
    await checkPage('my-access');
  }, 120_000);

  it('guided mode asks before wiping, lists scenarios by name, marks the expected refusal and shows the state after each step', async () => {
    await page.goto(`${emulator.url}/w/default/admin/training`);
    const options = await page.getByLabel('Scenario', { exact: true }).first().locator('option').allTextContents();
    expect(options).toContain('District rollout (five-step plan)');
    expect(options.some((o) => o.endsWith('.yaml'))).toBe(false);
    await checkPage('training');
    // Saying no to the question changes nothing.
    acceptDialogs = false;
    await page.getByRole('button', { name: 'Start stepping' }).click();
    expect(dialogs.at(-1)).toMatch(/replaces everything in this workspace/);
    await expect(page.getByRole('button', { name: 'Start stepping' }).isVisible()).resolves.toBe(true);
    const roles = await page.evaluate(() => fetch('/w/default/admin/roles').then((r) => r.text()));
    expect(roles).toContain('GPT Publishers');
    acceptDialogs = true;
    await page.getByLabel('Scenario', { exact: true }).first().selectOption({ label: 'District rollout (five-step plan)' });
    await page.getByRole('button', { name: 'Start stepping' }).click();
    await page.locator('#walk-name').waitFor();
    for (let i = 0; i < 4; i += 1) {
      await page.getByRole('button', { name: 'Run the next step' }).click();
      await page.locator('#flash', { hasText: `Step ${i + 1}:` }).waitFor();
    }
    await expect(page.locator('[data-step="0"]').textContent()).resolves.toContain('Verify the domain springfield.k12.us');
    await expect(page.locator('[data-step="3"]').textContent()).resolves.toContain('Turn on SSO-only sign-in');
    await expect(page.locator('[data-step="3"] .badge').textContent()).resolves.toBe('refused, as expected');
    await expect(page.locator('#step-expected').textContent()).resolves.toContain('Refused, as expected: SSO has not been tested yet');
    await expect(page.locator('#step-state').textContent()).resolves.toContain('enforcement: Off');
    await checkPage('guided-step-4');
    await page.getByRole('link', { name: '← Previous step' }).click();
    await expect(page.locator('#step-view').getAttribute('data-viewed')).resolves.toBe('2');
    await expect(page.locator('#step-view').textContent()).resolves.toContain('Invite ada@springfield.k12.us as owner');
    await checkPage('guided-previous');
  }, 180_000);

  it('7. sets up CSV files over SFTP on the directory sync page', async () => {
    await page.goto(`${emulator.url}/w/default/admin`);
    await expect(page.locator('[data-page="directory"]').textContent()).resolves.toContain('Optional');
    await nav('7. Directory sync (Google, CSV)').click();
    await checkPage('directory-empty');
    await page.getByRole('button', { name: 'Use CSV files over SFTP' }).click();
    await expect(flash().textContent()).resolves.toContain('CSV files over SFTP');
    await expect(page.locator('main').textContent()).resolves.toContain('CSV files over SFTP');
    await checkPage('directory-sftp');
  }, 120_000);

  it("shows the mock IdP's OpenID Connect page styled and headed by the workspace", async () => {
    const admin = (method: string, path: string, body?: unknown) =>
      fetch(`${emulator.url}${path}`, {
        method,
        headers: { Authorization: `Bearer ${emulator.adminKey}`, 'Content-Type': 'application/json' },
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
      });
    expect((await admin('POST', '/_emulator/workspaces', { id: 'lincoln', name: 'Lincoln High' })).status).toBe(201);
    expect((await admin('POST', '/_emulator/idps', { id: 'clever', vendor: 'clever', name: 'Clever', users: [{ email: 'kim@lincoln.k12.us', givenName: 'Kim' }] })).status).toBe(201);
    expect((await admin('PUT', '/w/lincoln/api/sso', { protocol: 'oidc', mockIdp: 'clever' })).status).toBe(200);
    // Where the SSO page's test sign-in starts, with nobody named: the IdP shows its picker.
    await page.goto(`${emulator.url}/w/lincoln/sso/oidc/login`);
    await page.waitForURL(/\/idp\/clever\/oidc\/authorize/);
    await expect(page.locator('#app-name').textContent()).resolves.toBe('Lincoln High');
    await checkPage('idp-oidc-sign-in');
  }, 120_000);
});
