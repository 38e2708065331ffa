// Findings of the third security review (console for trainers, conformance report, directory sync):
// one describe per finding, each failing without its fix (docs/security.md).
import ssh2 from 'ssh2';
import { describe, expect, it } from 'vitest';
import { MAX_SYNC_WARNINGS } from '../../src/directory/apply.js';
import { MAX_HISTORY_FILE_BYTES, directoryRuntime } from '../../src/directory/directory.js';
import { MAX_OPEN_HANDLES } from '../../src/directory/sftp-server.js';
import { createEmulator } from '../../src/app.js';
import { loadScenarioText } from '../../src/scenario/load.js';
import { runScenario } from '../../src/scenario/runner.js';
import { inProcessTarget } from '../../src/scenario/target.js';
import { startEmulator } from '../../src/start.js';
import { inProcess } from '../support/in-process.js';

describe('conformance findings are written only by requests that carry a bearer token', () => {
  // A web page the user opens can reach the loopback SCIM endpoint with a no-cors fetch or an
  // <img>, without any Authorization header; it must not fill the report with `fail` findings
  // (failing `edu-emulator conformance` in CI) nor push the IdP's real findings out of it.
  it('a token-less request from another site leaves no finding; a wrong token is still judged', async () => {
    const { call } = inProcess();
    expect((await call('PATCH', '/w/default/api/settings', { scimCompatibility: 'lenient' })).status).toBe(200);
    const page = { 'Sec-Fetch-Site': 'cross-site', Origin: 'https://attacker.example' };
    for (const path of ['/w/default/scim/v2/Users', '/w/default/scim/v2/users/', '/w/default/scim/v2/Nowhere']) {
      const res = await call('GET', path, undefined, { auth: null, headers: page });
      expect(res.status, path).toBe(401);
    }
    const noHeaders = await call('GET', '/w/default/scim/v2/Users?filter=userName%20sw%20O', undefined, { auth: null });
    expect(noHeaders.status).toBe(401);
    let report = (await call('GET', '/w/default/api/conformance')).body;
    expect(report.findings).toEqual([]);
    expect(report.summary).toEqual({ fail: 0, warn: 0, info: 0, known_quirk: 0 });

    // An IdP configured with a wrong token is what the report is for.
    expect((await call('GET', '/w/default/scim/v2/Users', undefined, { auth: 'not-a-token' })).status).toBe(401);
    report = (await call('GET', '/w/default/api/conformance')).body;
    expect(report.findings.map((f: { rule: string }) => f.rule)).toEqual(['scim.auth.token']);
  });
});

describe('a hostile client\'s bad percent-escapes are refused, never a 500', () => {
  // decodeURIComponent throws on "%ZZ": the mock IdP's token endpoints (RFC 6749 §2.3.1 Basic
  // credentials are form-encoded) and its provisioning target check read caller-chosen text.
  it('the Directory API and OIDC token endpoints answer invalid_client; a provisioning target is 403', async () => {
    const { call, emulator } = inProcess();
    expect((await call('POST', '/_emulator/idps', { id: 'gw', vendor: 'google' })).status).toBe(201);
    const basic = `Basic ${Buffer.from('%ZZ:secret').toString('base64')}`;
    const form = { 'Content-Type': 'application/x-www-form-urlencoded', Authorization: basic };

    const google = await emulator.app.request('/idp/gw/google/token', { method: 'POST', headers: form, body: 'grant_type=client_credentials' });
    expect(google.status).toBe(401);
    expect(((await google.json()) as { error: string }).error).toBe('invalid_client');

    const oidc = await emulator.app.request('/idp/gw/oidc/token', { method: 'POST', headers: form, body: 'grant_type=authorization_code&code=x' });
    expect(oidc.status).toBeGreaterThanOrEqual(400);
    expect(oidc.status).toBeLessThan(500);

    const target = await call('POST', '/idp/gw/provision', { target: { baseUrl: 'http://localhost/w/%ZZ/scim/v2', token: 't' } }, { auth: null });
    expect(target.status).toBe(403);
    expect(target.body.error.code).toBe('idp_target_not_allowed');
  });
});

describe('an SFTP connection holds a bounded number of open files', () => {
  // Each file handle buffers up to 1 MiB: a signed-in client opening handles without closing them
  // would hold any amount of the emulator's memory.
  it(`refuses the open past ${MAX_OPEN_HANDLES} handles, and takes files again once one is closed`, async () => {
    const running = await startEmulator({ adminKey: 'round3-sftp-key', sftpPort: 0 });
    try {
      const put = await fetch(`${running.url}/w/default/api/directory`, {
        method: 'PUT',
        headers: { Authorization: `Bearer ${running.adminKey}`, 'Content-Type': 'application/json' },
        body: JSON.stringify({ type: 'sftp' }),
      });
      const { sftp: login } = (await put.json()) as { sftp: { host: string; port: number; username: string; password: string } };
      const outcomes = await new Promise<string[]>((resolve, reject) => {
        const client = new ssh2.Client();
        const seen: string[] = [];
        client.on('error', reject);
        client.on('ready', () =>
          client.sftp(async (err, sftp) => {
            if (err) return reject(err);
            const open = () => new Promise<Buffer | string>((done) => sftp.open('users.csv', 'w', (e, h) => done(e ? e.message : h)));
            const handles: Buffer[] = [];
            for (let i = 0; i <= MAX_OPEN_HANDLES; i++) {
              const h = await open();
              if (typeof h === 'string') seen.push(h);
              else handles.push(h);
            }
            seen.push(`open: ${handles.length}`);
            await new Promise<void>((done) => sftp.close(handles[0]!, () => done()));
            const again = await open();
            seen.push(typeof again === 'string' ? again : 'reopened');
            client.end();
          }),
        );
        client.on('close', () => resolve(seen));
        client.connect({ host: login.host, port: login.port, username: login.username, password: login.password, readyTimeout: 10_000 });
      });
      expect(outcomes).toEqual([expect.stringMatching(/too many open files/), `open: ${MAX_OPEN_HANDLES}`, 'reopened']);
    } finally {
      await running.stop();
    }
  }, 30_000);
});

describe('the test sign-in success banner is not raised by a link', () => {
  // `/admin/sso?tested=1` is where a test sign-in returns; a link (or a stale password session)
  // must not make the console claim an SSO sign-in succeeded when none did.
  it('a password session on ?tested=1 of an untested connection shows no success banner', async () => {
    const { call, emulator } = inProcess();
    expect((await call('POST', '/_emulator/idps', { id: 'district', vendor: 'entra' })).status).toBe(201);
    expect((await call('PUT', '/w/default/api/sso', { protocol: 'saml', mockIdp: 'district' })).status).toBe(200);
    expect((await call('POST', '/w/default/api/invites', { email: 'owner@district.example', role: 'owner', password: 'correct-horse' })).status).toBe(201);
    const login = await call('POST', '/w/default/login/password', { email: 'owner@district.example', password: 'correct-horse' }, { auth: null });
    expect(login.status).toBe(200);
    const cookie = login.headers.get('set-cookie')!.split(';')[0]!;
    const page = await emulator.app.request('/w/default/admin/sso?tested=1', { headers: { Cookie: cookie, Accept: 'text/html' } });
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('Single sign-on');
    expect(html).not.toContain('test-success');
    expect(html).not.toContain('Test sign-in succeeded');
  });
});

describe('a directory cannot grow a sync record without bound', () => {
  // What a Directory API answers is untrusted: one warning per odd user would otherwise be saved
  // with the sync and in the journal, as many as the server cares to send.
  it('keeps at most MAX_SYNC_WARNINGS warnings, each once, and counts the rest', async () => {
    const odd = Array.from({ length: 300 }, (_, i) => ({ primaryEmail: `nobody${i}@district.example` }));
    const { call } = inProcess({
      fetch: async (url) => {
        const u = new URL(url);
        const json = (body: unknown) => new Response(JSON.stringify(body), { headers: { 'Content-Type': 'application/json' } });
        if (u.pathname === '/token') return json({ access_token: 'a', token_type: 'Bearer', expires_in: 3600 });
        if (u.pathname.endsWith('/users')) return json({ users: [{ id: '1', primaryEmail: 'ada@district.example' }, ...odd] });
        if (u.pathname.endsWith('/groups')) return json({ groups: [] });
        return new Response('{}', { status: 404 });
      },
    });
    const put = await call('PUT', '/w/default/api/directory', { type: 'google', baseUrl: 'https://directory.example.test', tokenUrl: 'https://directory.example.test/token', clientId: 'c', clientSecret: 's' });
    expect(put.status).toBe(200);
    const sync = await call('POST', '/w/default/api/directory/sync');
    expect(sync.status).toBe(200);
    expect(sync.body.summary.created).toBe(1);
    const warnings: string[] = sync.body.summary.warnings;
    expect(warnings.length).toBe(MAX_SYNC_WARNINGS + 1);
    expect(warnings.at(-1)).toBe(`and ${300 - MAX_SYNC_WARNINGS} more warnings`);
    const saved = (await call('GET', '/w/default/api/directory/syncs')).body.syncs[0];
    expect(saved.summary.warnings).toEqual(warnings);
  });
});

describe('a scenario file cannot use the admin key outside its workspace, nor pull from a host it names', () => {
  // The `request` step sends the admin key to a path under /w/{ws}; dot segments resolved by the URL
  // parser took it to /_emulator (state, workspaces) and /idp, and a directory body could name any host.
  async function run(steps: string, outbound: string[]) {
    const text = `name: hostile\nsteps:\n${steps}`;
    const { scenario, issues } = await loadScenarioText(text, 'hostile.yaml');
    expect(issues).toEqual([]);
    const emulator = createEmulator({
      fetch: async (url) => {
        outbound.push(url);
        return new Response('{}', { status: 502 });
      },
    });
    return { report: await runScenario(scenario!, { target: () => inProcessTarget(emulator), keep: true }), emulator };
  }

  it('refuses a request path that leaves the workspace, plain or percent-encoded', async () => {
    for (const path of ['/../../_emulator/workspaces', '/%2e%2e/%2e%2e/_emulator/workspaces', '/api/../../../idp']) {
      const outbound: string[] = [];
      const { report } = await run(`  - request: { method: GET, path: '${path}' }\n    expect: { status: 200 }\n`, outbound);
      const step = report.steps.find((s) => s.step === 'request')!;
      expect(step.status, path).toBe('failed');
      expect(step.message, path).toMatch(/leaves the workspace/);
    }
    // Inside the workspace it still works.
    const { report } = await run(`  - request: { method: GET, path: '/api/../api/settings' }\n    expect: { status: 200 }\n`, []);
    expect(report.steps.find((s) => s.step === 'request')!.status).toBe('passed');
  });

  it('refuses a directory connection to a host the file names, and sends nothing there', async () => {
    const outbound: string[] = [];
    const body = '{ type: google, baseUrl: "http://10.0.0.1:8080", tokenUrl: "http://10.0.0.1:8080/token", clientId: c, clientSecret: s, intervalMinutes: 1 }';
    const { report, emulator } = await run(`  - request: { method: PUT, path: /api/directory, body: ${body} }\n  - request: { method: POST, path: /api/directory/sync }\n`, outbound);
    const first = report.steps.find((s) => s.step === 'request')!;
    expect(first.status).toBe('failed');
    expect(first.message).toMatch(/mock IdP/);
    expect(outbound).toEqual([]);
    expect(Object.values(emulator.core.state.workspaces).filter((w) => w.directory.connection !== null)).toEqual([]);
  });
});

describe('the sync history keeps a bounded amount of CSV text', () => {
  // Each sync record keeps the files it read, refused ones too; refusing a 1 MiB file costs little,
  // so without a bound 50 of them added 50 MiB and more to the saved state.
  it(`keeps the newest syncs' files up to ${MAX_HISTORY_FILE_BYTES} bytes and the older records without them`, async () => {
    const { call, emulator } = inProcess();
    directoryRuntime(emulator.core).startSftp = async () => {}; // no socket needed for HTTP uploads
    expect((await call('PUT', '/w/default/api/directory', { type: 'sftp' })).status).toBe(200);
    const rows: string[] = ['id,email'];
    for (let i = 0, size = 0; size < 900_000; i++) {
      rows.push(`${i},user${i}@district.example`);
      size += rows.at(-1)!.length + 1;
    }
    const broken = `${rows.join('\n')}\nlast,not-an-email\n`;
    for (let i = 0; i < 6; i++) {
      const res = await emulator.app.request('/w/default/api/directory/files/users.csv', {
        method: 'PUT',
        headers: { Authorization: `Bearer ${emulator.adminKey}`, 'Content-Type': 'text/csv' },
        body: broken,
      });
      expect(res.status).toBe(400);
    }
    const syncs = emulator.core.state.workspaces.default!.directory.syncs;
    expect(syncs.length).toBe(6);
    const kept = syncs.reduce((n, s) => n + Object.values(s.files).reduce((m, t) => m + Buffer.byteLength(t), 0), 0);
    expect(kept).toBeLessThanOrEqual(MAX_HISTORY_FILE_BYTES);
    const newest = (await call('GET', `/w/default/api/directory/syncs/${syncs[0]!.id}`)).body;
    expect(newest.files['users.csv']).toBe(broken);
    const oldest = (await call('GET', `/w/default/api/directory/syncs/${syncs[5]!.id}`)).body;
    expect(oldest.status).toBe('failed');
    expect(oldest.files).toEqual({});
  });
});
