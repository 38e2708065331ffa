// CSV directories over a real SFTP server (docs/directory-sync.md): the ssh2 client signs in with the
// workspace's SFTP username and password (or a public key), uploads users.csv and groups.csv, and the
// sync follows; a broken file changes nothing and names its line and column, over SFTP and over HTTP.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ssh2 from 'ssh2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readableEd25519Key } from '../src/directory/sftp-server.js';
import { createEmulator } from '../src/app.js';
import { startEmulator, type RunningEmulator } from '../src/start.js';

let running: RunningEmulator;
const ws = 'lincoln';

async function call(method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
  const res = await fetch(`${running.url}${path}`, {
    method,
    headers: { Authorization: `Bearer ${running.adminKey}`, ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}), ...headers },
    ...(body !== undefined ? { body: typeof body === 'string' ? body : JSON.stringify(body) } : {}),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
}

const member = async (email: string) => (await call('GET', `/w/${ws}/api/users?email=${encodeURIComponent(email)}`)).body.users[0];

interface Login {
  host: string;
  port: number;
  username: string;
  password?: string;
  privateKey?: string;
}

/** Signs in with the ssh2 client, uploads the files, and disconnects; resolves with each upload's outcome. */
function upload(login: Login, files: Record<string, string>): Promise<Record<string, string>> {
  return new Promise((resolve, reject) => {
    const client = new ssh2.Client();
    const outcomes: Record<string, string> = {};
    client.on('error', reject);
    client.on('ready', () => {
      client.sftp(async (err, sftp) => {
        if (err) return reject(err);
        for (const [name, text] of Object.entries(files)) {
          outcomes[name] = await new Promise<string>((done) => {
            sftp.writeFile(name, text, (e) => done(e ? e.message : 'ok'));
          });
        }
        const listing = await new Promise<string[]>((done) => sftp.readdir('.', (_e, list) => done((list ?? []).map((f) => f.filename))));
        outcomes['(listing)'] = listing.join(',');
        client.end();
      });
    });
    client.on('close', () => resolve(outcomes));
    client.connect({ host: login.host, port: login.port, username: login.username, ...(login.password ? { password: login.password } : {}), ...(login.privateKey ? { privateKey: login.privateKey } : {}), readyTimeout: 10_000 });
  });
}

/** Waits (no timing asserted) until the workspace has `count` syncs, and returns them. */
async function syncsUntil(count: number): Promise<any[]> {
  for (let i = 0; i < 200; i++) {
    const syncs = (await call('GET', `/w/${ws}/api/directory/syncs`)).body.syncs;
    if (syncs.length >= count) return syncs;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`fewer than ${count} syncs`);
}

const USERS = 'id,Email,first_name,last_name,status,homeroom\n1,ada@lincoln.k12.us,Ada,Lovelace,active,4B\n2,bob@lincoln.k12.us,Bob,"Smith, Jr.",active,4B\n3,cy@lincoln.k12.us,Cy,Young,,5A\n';
const GROUPS = 'group_id,group_name,user_id\nt,Teachers,1\ns,Students,2\ns,Students,3\n';

beforeAll(async () => {
  running = await startEmulator({ adminKey: 'sftp-test-key', sftpPort: 0 });
  await call('POST', '/_emulator/workspaces', { id: ws, isolated: true });
}, 30_000);
afterAll(() => running.stop());

describe('an SFTP directory', () => {
  let login: Login;

  it('shows the server and the workspace credentials to admins', async () => {
    const put = await call('PUT', `/w/${ws}/api/directory`, { type: 'sftp' });
    expect(put.status).toBe(200);
    expect(put.body).toMatchObject({ type: 'sftp', sftp: { host: '127.0.0.1', port: expect.any(Number), username: `${ws}-sftp`, password: expect.any(String), files: [] } });
    login = { host: put.body.sftp.host, port: put.body.sftp.port, username: put.body.sftp.username, password: put.body.sftp.password };
    // Putting it again keeps the credentials.
    expect((await call('PUT', `/w/${ws}/api/directory`, { type: 'sftp' })).body.sftp.password).toBe(login.password);
  });

  it('refuses a wrong password', async () => {
    await expect(upload({ ...login, password: 'wrong-password' }, { 'users.csv': USERS })).rejects.toThrow(/authentication/i);
    expect((await call('GET', `/w/${ws}/api/directory/syncs`)).body.syncs).toEqual([]);
  });

  it('syncs after users.csv and groups.csv are uploaded', async () => {
    const outcomes = await upload(login, { 'users.csv': USERS, 'groups.csv': GROUPS });
    expect(outcomes).toMatchObject({ 'users.csv': 'ok', 'groups.csv': 'ok' });
    const [sync] = await syncsUntil(1);
    expect(sync).toMatchObject({ status: 'ok', trigger: 'upload', type: 'sftp', summary: { created: 3, groups: { created: 2 }, memberships: { added: 3 } } });
    expect(sync.summary.warnings).toEqual(['users.csv: unknown columns ignored: "homeroom"']);
    expect(await member('bob@lincoln.k12.us')).toMatchObject({ source: 'scim', status: 'pending_invite', familyName: 'Smith, Jr.', groups: [{ displayName: 'Students' }] });
    const detail = (await call('GET', `/w/${ws}/api/directory/syncs/${sync.id}`)).body;
    expect(detail.files).toEqual({ 'users.csv': USERS, 'groups.csv': GROUPS });
    const journal = (await call('GET', `/w/${ws}/api/events?type=directory.synced`)).body.events;
    expect(journal.at(-1).actor).toBe(`sftp:${ws}-sftp`);
  });

  it('refuses a broken users.csv as a whole, naming line and column, and changes nothing', async () => {
    const broken = 'id,email,first_name,last_name\n1,ada@lincoln.k12.us,Ada,L\n2,not-an-email,Bob,S\n';
    const outcomes = await upload(login, { 'users.csv': broken });
    expect(outcomes['users.csv']).toMatch(/users\.csv, line 3, column 2: "not-an-email" is not an email address/);
    const syncs = await syncsUntil(2);
    expect(syncs[0]).toMatchObject({ status: 'failed', error: { code: 'invalid_csv', file: 'users.csv', line: 3, column: 2 } });
    // Cy was not in the broken file: still active, and the kept files are the good ones.
    expect(await member('cy@lincoln.k12.us')).toMatchObject({ status: 'pending_invite' });
    expect((await call('GET', `/w/${ws}/api/directory`)).body.sftp.files).toEqual(['groups.csv', 'users.csv']);
    const failed = (await call('GET', `/w/${ws}/api/events?type=directory.sync_failed`)).body.events;
    expect(failed.at(-1).detail.error).toMatchObject({ line: 3, column: 2 });
  });

  it('deactivates a user missing from a later users.csv, or inactive', async () => {
    const next = 'id,email,first_name,last_name,status\n1,ada@lincoln.k12.us,Ada,Lovelace,active\n2,bob@lincoln.k12.us,Bob,"Smith, Jr.",inactive\n';
    const outcomes = await upload(login, { 'users.csv': next, 'groups.csv': 'group_id,group_name,user_id\nt,Teachers,1\ns,Students,2\n' });
    expect(outcomes['(listing)']).toBe('groups.csv,users.csv');
    const [sync] = await syncsUntil(3);
    expect(sync).toMatchObject({ status: 'ok', summary: { deactivated: 2, created: 0, memberships: { removed: 1 } } });
    expect(await member('bob@lincoln.k12.us')).toMatchObject({ status: 'deactivated' });
    expect(await member('cy@lincoln.k12.us')).toMatchObject({ status: 'deactivated' });
    expect(await member('ada@lincoln.k12.us')).toMatchObject({ status: 'pending_invite' });
  });

  it('signs in with an uploaded public key', async () => {
    const keys = readableEd25519Key({ comment: 'district@sis' });
    const other = readableEd25519Key();
    await call('PUT', `/w/${ws}/api/directory`, { type: 'sftp', publicKeys: [keys.public] });
    await expect(upload({ ...login, password: undefined, privateKey: other.private }, {})).rejects.toThrow(/authentication/i);
    const outcomes = await upload({ ...login, password: undefined, privateKey: keys.private }, {});
    expect(outcomes['(listing)']).toBe('groups.csv,users.csv');
  });
});

// Debian's OpenSSH sftp, when installed (openssh-client), against the same server with a key pair.
describe.skipIf(!existsSync('/usr/bin/sftp'))('OpenSSH sftp', () => {
  it('uploads with a key in batch mode, and the sync follows', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'sftp-'));
    const keys = readableEd25519Key();
    const keyFile = join(dir, 'id_ed25519');
    await writeFile(keyFile, keys.private);
    await chmod(keyFile, 0o600);
    // The same people as the last sync, with other names: two updates, no status change.
    await writeFile(join(dir, 'users.csv'), 'id,email,first_name,status\n1,ada@lincoln.k12.us,Augusta Ada,active\n2,bob@lincoln.k12.us,Bob,inactive\n');
    await writeFile(join(dir, 'batch'), `put ${join(dir, 'users.csv')} users.csv\nls\n`);
    const view = (await call('PUT', `/w/${ws}/api/directory`, { type: 'sftp', publicKeys: [keys.public] })).body;
    const before = (await call('GET', `/w/${ws}/api/directory/syncs`)).body.syncs.length;
    const out = await new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
      execFile(
        '/usr/bin/sftp',
        ['-b', join(dir, 'batch'), '-i', keyFile, '-P', String(view.sftp.port), '-o', 'StrictHostKeyChecking=no', '-o', 'UserKnownHostsFile=/dev/null', '-o', 'BatchMode=yes', `${view.sftp.username}@${view.sftp.host}`],
        { timeout: 20_000 },
        (err, stdout, stderr) => resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
      );
    });
    expect(out.code, out.stderr).toBe(0);
    expect(out.stdout).toContain('users.csv');
    const [sync] = await syncsUntil(before + 1);
    expect(sync).toMatchObject({ status: 'ok', trigger: 'upload', summary: { updated: 2, created: 0, deactivated: 0 } });
    expect(await member('ada@lincoln.k12.us')).toMatchObject({ givenName: 'Augusta Ada', status: 'pending_invite' });
  });
});

describe('CSV over HTTP', () => {
  it('takes both files as JSON, with the same checks', async () => {
    const unknownMember = await call('POST', `/w/${ws}/api/directory/upload`, { 'groups.csv': 'group_id,group_name,user_id\nt,Teachers,1\nt,Teachers,99\n' });
    expect(unknownMember.status).toBe(400);
    expect(unknownMember.body.error).toMatchObject({ code: 'invalid_csv', file: 'groups.csv', line: 3, column: 3, syncId: expect.any(String) });
    expect(unknownMember.body.error.message).toMatch(/unknown member "99"/);
    const missingColumn = await call('POST', `/w/${ws}/api/directory/upload`, { 'users.csv': 'id,first_name\n1,Ada\n' });
    expect(missingColumn.body.error).toMatchObject({ code: 'invalid_csv', file: 'users.csv', line: 1 });
    expect(missingColumn.body.error.message).toMatch(/no "email" column/);
    const duplicate = await call('POST', `/w/${ws}/api/directory/upload`, { 'users.csv': 'ID,EMAIL\n1,a@lincoln.k12.us\n1,b@lincoln.k12.us\n' });
    expect(duplicate.body.error).toMatchObject({ file: 'users.csv', line: 3, column: 1 });
    expect(await member('a@lincoln.k12.us')).toBeUndefined();
    const ok = await call('POST', `/w/${ws}/api/directory/upload`, { 'users.csv': 'id,email\n1,ada@lincoln.k12.us\n2,bob@lincoln.k12.us\n' });
    expect(ok.body).toMatchObject({ status: 'ok', trigger: 'upload', summary: { reactivated: 1 } });
  });

  it('takes one file as text/csv', async () => {
    // The kept groups.csv still names users 1 and 2, so both stay in users.csv; Bob leaves as inactive.
    const res = await call('PUT', `/w/${ws}/api/directory/files/users.csv`, 'id,email,status\n1,ada@lincoln.k12.us,active\n2,bob@lincoln.k12.us,inactive\n', { 'Content-Type': 'text/csv' });
    expect(res.status).toBe(200);
    expect(res.body.summary.deactivated).toBe(1);
    expect((await call('PUT', `/w/${ws}/api/directory/files/passwd`, 'x', { 'Content-Type': 'text/csv' })).body.error.code).toBe('invalid_csv_name');
    expect((await call('PUT', `/w/${ws}/api/directory/files/users.csv`, 'x', { 'Content-Type': 'text/plain' })).status).toBe(415);
  });
});

describe('an emulator without an SFTP server (sftpServer: false, as edu-emulator run makes them)', () => {
  it('takes an SFTP connection with its port shown as null, and CSV files over HTTP', async () => {
    const emulator = createEmulator({ sftpServer: false });
    const api = async (method: string, path: string, body?: unknown) => {
      const res = await emulator.app.request(`http://localhost/w/default/api${path}`, {
        method,
        headers: { Authorization: `Bearer ${emulator.adminKey}`, ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}) },
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
      });
      return { status: res.status, body: (await res.json()) as any };
    };
    const connected = await api('PUT', '/directory', { type: 'sftp' });
    expect(connected.status).toBe(200);
    expect(connected.body.sftp).toMatchObject({ host: '127.0.0.1', port: null, username: 'default-sftp' });
    const synced = await api('POST', '/directory/upload', { 'users.csv': 'id,email\n1,ada@lincoln.k12.us\n' });
    expect(synced.body).toMatchObject({ status: 'ok', trigger: 'upload', summary: { created: 1 } });
    expect((await api('GET', '/directory')).body.sftp).toMatchObject({ port: null, files: ['users.csv'] });
    await emulator.close();
  });
});
