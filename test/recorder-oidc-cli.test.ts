// The recorder over OIDC sign-ins and a pasted connection (its client secret never reaches the
// file), and `edu-emulator record --out FILE`: serves, records, writes the scenario on SIGINT.
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createEmulator } from '../src/app.js';
import { loadScenarioText } from '../src/scenario/load.js';
import { runScenario } from '../src/scenario/runner.js';
import { inProcessTarget } from '../src/scenario/target.js';
import { BIN } from './support/cli.js';

const KEY = 'recorder-oidc-admin-key';
const tmp = await mkdtemp(join(tmpdir(), 'edu-recorder-cli-'));
afterAll(() => rm(tmp, { recursive: true, force: true }));

describe('recording OIDC sign-ins', () => {
  it('records the outcome of each sign-in, not its nonce, state, code or ID token, and replays green', async () => {
    const emulator = createEmulator({ adminKey: KEY });
    const req = async (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) => {
      const res = await emulator.app.request(new URL(path, 'http://localhost').href, {
        method,
        headers: { Authorization: `Bearer ${KEY}`, ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}), ...headers },
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
      });
      return res;
    };
    expect((await req('POST', '/_emulator/idps', { id: 'clever', vendor: 'clever', users: [{ email: 'ada@springfield.k12.us', givenName: 'Ada' }] })).status).toBe(201);
    const id = ((await (await req('POST', '/w/default/api/recordings', { name: 'Clever rehearsal' })).json()) as { id: string }).id;
    const domain = (await (await req('POST', '/w/default/api/domains', { domain: 'springfield.k12.us' })).json()) as { txt: { value: string } };
    await req('PUT', '/_emulator/dns/springfield.k12.us', { txt: [domain.txt.value] });
    expect((await req('POST', '/w/default/api/domains/springfield.k12.us/verify')).status).toBe(200);
    // A pasted OIDC connection: its client secret must never reach the file.
    expect((await req('PUT', '/w/default/api/sso', { protocol: 'oidc', issuer: 'https://oidc.example.test', clientId: 'district-app', clientSecret: 'Zq8-pasted-CLIENT-secret-7Hx' })).status).toBe(200);
    expect((await req('PUT', '/w/default/api/sso', { protocol: 'oidc', mockIdp: 'clever', force: true })).status).toBe(200);
    expect((await req('POST', '/w/default/api/invites', { email: 'ada@springfield.k12.us' })).status).toBe(201);
    const signIn = async (fault?: string, accept = 'application/json') => {
      const start = await req('GET', '/w/default/sso/oidc/login?email=ada%40springfield.k12.us');
      const at = new URL(start.headers.get('location')!, 'http://localhost');
      if (fault) at.searchParams.set('fault', fault);
      const idp = await req('GET', at.href);
      const callback = await req('GET', idp.headers.get('location')!, undefined, { Accept: accept });
      return callback;
    };
    expect((await signIn()).headers.get('set-cookie')).toMatch(/edu_session=/);
    expect((await signIn('nonce_mismatch')).status).toBeGreaterThanOrEqual(400);
    // A browser gets a page; its reason code is read from it.
    expect(await (await signIn('expired', 'text/html')).text()).toContain('oidc_expired');
    await req('POST', `/w/default/api/recordings/${id}/stop`);
    const res = await req('GET', `/w/default/api/recordings/${id}/scenario`);
    const yaml = await res.text();
    expect(res.status, yaml).toBe(200);
    expect(yaml).not.toContain('pasted-CLIENT-secret');
    expect(yaml).not.toMatch(/nonce=|state=|code=|id_token/);
    expect(yaml).toContain('vendor clever');
    expect(yaml).toMatch(/fault: expired\n\s+expect:\n\s+outcome: denied\n\s+reason: oidc_expired/);
    expect(yaml).toMatch(/fault: nonce_mismatch\n\s+expect:\n\s+outcome: denied\n\s+reason: oidc_nonce_mismatch/);
    // The pasted connection is replayed with the scenario's mock IdP in its place.
    expect(yaml).toContain('# Not recorded: PUT /api/sso with pasted values');
    const doc = (await loadScenarioText(yaml, 'oidc.yaml')).scenario!;
    const report = await runScenario(doc, { target: () => inProcessTarget(createEmulator()) });
    expect(report.steps.filter((s) => s.status !== 'passed')).toEqual([]);
  });
});

describe('recording a real IdP', () => {
  it("names the vendor its user agent shows, and replays its SCIM calls with the scenario's own token", async () => {
    const emulator = createEmulator({ adminKey: KEY });
    const admin = (method: string, path: string, body?: unknown) =>
      emulator.app.request(`http://localhost/w/default/api${path}`, { method, headers: { Authorization: `Bearer ${KEY}`, 'Content-Type': 'application/json' }, ...(body ? { body: JSON.stringify(body) } : {}) });
    const token = ((await (await admin('POST', '/scim/tokens', { name: 'entra' })).json()) as { token: string }).token;
    const id = ((await (await admin('POST', '/recordings', {})).json()) as { id: string }).id;
    const entra = (method: string, path: string, body?: unknown) =>
      emulator.app.request(`http://localhost/w/default/scim/v2${path}`, {
        method,
        headers: { Authorization: `Bearer ${token}`, 'User-Agent': 'Azure Active Directory SCIM Client', ...(body ? { 'Content-Type': 'application/scim+json' } : {}) },
        ...(body ? { body: JSON.stringify(body) } : {}),
      });
    expect((await entra('GET', `/Users?filter=${encodeURIComponent('userName eq "kim@springfield.k12.us"')}`)).status).toBe(200);
    const created = await entra('POST', '/Users', { schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], userName: 'kim@springfield.k12.us', externalId: '7f0c1a2b-3c4d-4e5f-8a9b-0c1d2e3f4a5b', active: true });
    const kim = ((await created.json()) as { id: string }).id;
    expect((await entra('PATCH', `/Users/${kim}`, { schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'], Operations: [{ op: 'Replace', path: 'active', value: 'False' }] })).status).toBe(200);
    await admin('POST', `/recordings/${id}/stop`);
    const yaml = await (await admin('GET', `/recordings/${id}/scenario`)).text();
    expect(yaml).toContain('vendor seen: entra');
    expect(yaml).toContain('# User agents seen: Azure Active Directory SCIM Client');
    expect(yaml).not.toContain(token);
    const report = await runScenario((await loadScenarioText(yaml, 'entra.yaml')).scenario!, { target: () => inProcessTarget(createEmulator()) });
    expect(report.steps.filter((s) => s.status !== 'passed')).toEqual([]);
  });
});

describe('edu-emulator record', () => {
  it('serves, records the workspace, and writes the scenario on SIGINT', async () => {
    const out = join(tmp, 'recorded.yaml');
    const child = spawn(process.execPath, [BIN, 'record', '--out', out, '--memory', '--port', '0', '--admin-key', KEY, '--name', 'CLI rehearsal']);
    let stdout = '';
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
    const url = await new Promise<string>((resolve, reject) => {
      child.stdout.on('data', (d) => {
        stdout += d;
        const m = /^listening on (\S+)\n[\s\S]*recording:/m.exec(stdout);
        if (m) resolve(m[1]!);
      });
      void exited.then(() => reject(new Error(`record exited: ${stderr}`)));
    });
    const headers = { Authorization: `Bearer ${KEY}`, 'Content-Type': 'application/json' };
    expect((await fetch(`${url}/w/default/api/invites`, { method: 'POST', headers, body: JSON.stringify({ email: 'ada@springfield.k12.us', role: 'admin' }) })).status).toBe(201);
    expect((await fetch(`${url}/w/default/api/settings`, { method: 'PATCH', headers, body: JSON.stringify({ breakGlass: true }) })).status).toBe(200);
    child.kill('SIGINT');
    expect(await exited, stderr).toBe(0);
    expect(stderr).toContain(`written to ${out}`);
    const yaml = await readFile(out, 'utf8');
    expect(yaml).toContain('name: CLI rehearsal');
    expect(yaml).toMatch(/- invite:\n\s+- email: ada@springfield.k12.us\n\s+role: admin/);
    expect(yaml).toMatch(/- settings:\n\s+breakGlass: true/);
    expect(yaml).not.toContain(KEY);
  });

  it('says what to do without --out', async () => {
    const child = spawn(process.execPath, [BIN, 'record', '--memory']);
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    expect(await new Promise((resolve) => child.on('close', resolve))).toBe(2);
    expect(stderr).toContain('record needs --out FILE');
  });
});

describe('the console', () => {
  it('starts and stops a recording on the event log page, records console actions, and downloads the scenario', async () => {
    const emulator = createEmulator({ adminKey: KEY });
    const jar = new Map<string, string>();
    const browse = async (method: string, path: string, form?: Record<string, string>) => {
      const headers: Record<string, string> = { Accept: 'text/html', Cookie: [...jar].map(([k, v]) => `${k}=${v}`).join('; ') };
      // A browser sends Origin on every form POST; the console refuses one without it.
      if (form) Object.assign(headers, { 'Content-Type': 'application/x-www-form-urlencoded', Origin: 'http://localhost' });
      const res = await emulator.app.request(new URL(path, 'http://localhost').href, { method, headers, ...(form ? { body: new URLSearchParams(form).toString() } : {}) });
      for (const c of res.headers.getSetCookie()) {
        const [pair = ''] = c.split(';');
        jar.set(pair.slice(0, pair.indexOf('=')), pair.slice(pair.indexOf('=') + 1));
      }
      return res;
    };
    await browse('GET', `/w/default/admin?key=${KEY}`);
    expect(await (await browse('GET', '/w/default/admin/events')).text()).toContain('Start recording');
    expect((await browse('POST', '/w/default/admin/events/start-recording', { name: 'Console rehearsal' })).status).toBe(303);
    const page = await (await browse('GET', '/w/default/admin/events')).text();
    expect(page).toContain('Stop recording');
    const id = /name="id" value="(rec_[a-z0-9]+)"/.exec(page)![1]!;
    // A change made from the console is recorded as its step.
    expect((await browse('POST', '/w/default/admin/groups/create', { displayName: 'Pilot' })).status).toBe(303);
    expect((await browse('POST', '/w/default/admin/events/stop-recording', { id })).status).toBe(303);
    const after = await (await browse('GET', '/w/default/admin/events')).text();
    expect(after).toContain(`/w/default/admin/recordings/${id}/scenario`);
    const file = await browse('GET', `/w/default/admin/recordings/${id}/scenario`);
    expect(file.status).toBe(200);
    expect(file.headers.get('Content-Type')).toMatch(/^text\/yaml/);
    const yaml = await file.text();
    expect(yaml).toContain('name: Console rehearsal');
    expect(yaml).toMatch(/- create_group:\n\s+name: Pilot/);
    expect(yaml).not.toContain(KEY);
  });
});
