// The durable store under a real crash: a child emulator with --data takes concurrent SCIM writes
// and is killed with SIGKILL at random moments; every change it answered 2xx must be there after
// a restart, and the store must always load. Also: one process per data file, and the offline
// export and import commands.
import { mkdtemp, readFile, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, startServe, type ServeProcess } from './support/cli.js';

const ADMIN = 'durability-admin-key';
const ROUNDS = 20;
const WRITERS = 6;

async function serve(file: string): Promise<ServeProcess> {
  // A generous start-up limit: a restart replays the journal, on a machine that may be busy.
  return startServe(['--data', file, '--port', '0', '--admin-key', ADMIN], { timeoutMs: 60_000 });
}

async function scimToken(url: string): Promise<string> {
  const res = await fetch(`${url}/w/default/api/scim/tokens`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${ADMIN}`, 'Content-Type': 'application/json' },
    body: '{}',
  });
  expect(res.status).toBe(201);
  return ((await res.json()) as { token: string }).token;
}

/** userNames of every SCIM user the emulator holds (from its exported state). */
async function storedUserNames(url: string): Promise<Set<string>> {
  const res = await fetch(`${url}/_emulator/state`, { headers: { Authorization: `Bearer ${ADMIN}` } });
  expect(res.status).toBe(200);
  const state = (await res.json()) as { workspaces: { default: { members: Record<string, { email: string; scim?: { userName?: string } }> } } };
  return new Set(Object.values(state.workspaces.default.members).map((m) => m.email));
}

// The three tests use their own data folders and processes, so they run side by side (the crash
// test spends most of its time waiting for 21 emulators to start).
describe.concurrent('durable store', () => {
  it(`keeps every acknowledged SCIM write across ${ROUNDS} kill -9 crashes at random moments`, async () => {
    const dir = await mkdtemp(join(tmpdir(), 'edu-emulator-crash-'));
    const file = join(dir, 'state.json');
    const acknowledged = new Set<string>();
    let token = '';
    let next = 0;
    for (let round = 0; round < ROUNDS; round++) {
      const server = await serve(file);
      // The store always loads, and holds every write answered 2xx before any earlier crash.
      const stored = await storedUserNames(server.url);
      for (const name of acknowledged) expect(stored, `round ${round}: ${name} was answered 201 but is gone`).toContain(name);
      if (round === 0) token = await scimToken(server.url);

      let stop = false;
      const writer = async () => {
        while (!stop) {
          const userName = `user${next++}@crash.example`;
          try {
            const res = await fetch(`${server.url}/w/default/scim/v2/Users`, {
              method: 'POST',
              headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/scim+json' },
              body: JSON.stringify({ schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], userName, name: { givenName: 'Crash', familyName: `Test ${next}` } }),
            });
            if (res.status === 201) acknowledged.add(userName);
            else if (!stop) expect.fail(`unexpected ${res.status}: ${await res.text()}`);
            await res.body?.cancel();
          } catch {
            // The process was killed mid-request: that one was never acknowledged.
            return;
          }
        }
      };
      const writers = Array.from({ length: WRITERS }, writer);
      await new Promise((resolve) => setTimeout(resolve, 30 + Math.random() * 250));
      server.child.kill('SIGKILL');
      await server.exited;
      stop = true;
      await Promise.all(writers);
    }
    const last = await serve(file);
    const stored = await storedUserNames(last.url);
    for (const name of acknowledged) expect(stored).toContain(name);
    expect(acknowledged.size).toBeGreaterThan(ROUNDS);
    // The token made in the first round still works after all the crashes.
    const one = [...acknowledged][0]!;
    const found = await fetch(`${last.url}/w/default/scim/v2/Users?filter=${encodeURIComponent(`userName eq "${one}"`)}`, { headers: { Authorization: `Bearer ${token}` } });
    expect(((await found.json()) as { totalResults: number }).totalResults).toBe(1);
    expect(await last.stop()).toBe(0);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
  }, 300_000);

  it('refuses a second emulator on the same data file, naming the process that holds it', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'edu-emulator-lock-'));
    const file = join(dir, 'state.json');
    const first = await serve(file);
    const second = await runCli(['serve', '--data', file, '--port', '0']);
    expect(second.code).toBe(1);
    expect(second.stderr).toContain(`data file ${file} is in use by process ${first.child.pid}; stop it, or start with --data OTHER_FILE or --memory`);
    // The refused process changed nothing: the first one still serves and saves.
    const res = await fetch(`${first.url}/_emulator/workspaces`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${ADMIN}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ id: 'north' }),
    });
    expect(res.status).toBe(201);
    expect(await first.stop()).toBe(0);
    // Stopped: the file is free again, and the workspace is in it.
    const again = await serve(file);
    const list = (await (await fetch(`${again.url}/_emulator/workspaces`, { headers: { Authorization: `Bearer ${ADMIN}` } })).json()) as { workspaces: Array<{ id: string }> };
    expect(list.workspaces.map((w) => w.id)).toContain('north');
    // Offline export needs the file free too.
    const busy = await runCli(['export', join(dir, 'out.json'), '--data', file]);
    expect(busy.code).toBe(1);
    expect(busy.stderr).toMatch(/is in use by process/);
    expect(await again.stop()).toBe(0);
  }, 120_000);

  it('exports a stopped store to a file and imports it into another, offline', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'edu-emulator-offline-'));
    const file = join(dir, 'state.json');
    const server = await serve(file);
    const token = await scimToken(server.url);
    for (let i = 0; i < 20; i++) {
      const res = await fetch(`${server.url}/w/default/scim/v2/Users`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/scim+json' },
        body: JSON.stringify({ schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], userName: `offline${i}@example.edu` }),
      });
      expect(res.status).toBe(201);
    }
    // Killed: the changes are only in the journal; export replays it.
    server.child.kill('SIGKILL');
    await server.exited;
    const exported = join(dir, 'export.json');
    const out = await runCli(['export', exported, '--data', file]);
    expect(out.stderr).toBe('');
    expect(out.code).toBe(0);
    const doc = JSON.parse(await readFile(exported, 'utf8')) as { workspaces: { default: { members: object } } };
    expect(Object.keys(doc.workspaces.default.members)).toHaveLength(20);

    const other = join(dir, 'other', 'state.json');
    const bad = await runCli(['import', join(dir, 'missing.json'), '--data', other]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/no such file/);
    const imported = await runCli(['import', exported, '--data', other]);
    expect(imported.code).toBe(0);
    const second = await serve(other);
    const users = await fetch(`${second.url}/w/default/scim/v2/Users?count=100`, { headers: { Authorization: `Bearer ${token}` } });
    expect(((await users.json()) as { totalResults: number }).totalResults).toBe(20);
    expect(await second.stop()).toBe(0);
  }, 120_000);
});
