// When the journal cannot be written, a change is not applied: the request gets 503
// store_unavailable (RFC 7644 error form on SCIM routes), /_emulator/health says degraded, and
// both recover once a write succeeds again.
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startEmulator } from '../src/start.js';
import { DurableStore, type DurableStoreOptions } from '../src/store/store.js';

/** A disk that fails journal writes while `full` is set (ENOSPC), as a full disk does. */
function flakyDisk() {
  const disk = { full: false };
  const io: NonNullable<DurableStoreOptions['io']> = {
    async write(handle, data, position) {
      if (disk.full) throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
      await handle.write(data, 0, data.length, position);
    },
  };
  return { disk, io };
}

describe('journal write failures', () => {
  it('answer 503, change nothing, report degraded health, and recover', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'edu-emulator-full-'));
    const file = join(dir, 'state.json');
    const { disk, io } = flakyDisk();
    const store = new DurableStore(file, { io });
    const emulator = await startEmulator({ adminKey: 'full-disk-key', store, state: await store.load() });
    const admin = { Authorization: 'Bearer full-disk-key', 'Content-Type': 'application/json' };
    const token = ((await (await fetch(`${emulator.url}/w/default/api/scim/tokens`, { method: 'POST', headers: admin, body: '{}' })).json()) as { token: string }).token;
    const scim = { Authorization: `Bearer ${token}`, 'Content-Type': 'application/scim+json' };
    const createUser = (userName: string) =>
      fetch(`${emulator.url}/w/default/scim/v2/Users`, { method: 'POST', headers: scim, body: JSON.stringify({ schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], userName }) });
    const count = async () => ((await (await fetch(`${emulator.url}/w/default/scim/v2/Users`, { headers: scim })).json()) as { totalResults: number }).totalResults;

    expect((await createUser('kept@example.edu')).status).toBe(201);
    const eventsBefore = ((await (await fetch(`${emulator.url}/_emulator/events?workspace=default`, { headers: admin })).json()) as { events: unknown[] }).events.length;

    disk.full = true;
    const refused = await createUser('lost@example.edu');
    expect(refused.status).toBe(503);
    expect(await refused.json()).toMatchObject({ schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'], status: '503', detail: expect.stringMatching(/not saved.*ENOSPC/) });
    const ws = await fetch(`${emulator.url}/_emulator/workspaces`, { method: 'POST', headers: admin, body: JSON.stringify({ id: 'north' }) });
    expect(ws.status).toBe(503);
    expect(((await ws.json()) as { error: { code: string } }).error.code).toBe('store_unavailable');
    const health = await fetch(`${emulator.url}/_emulator/health`);
    expect(health.status).toBe(503);
    expect(await health.json()).toMatchObject({ status: 'degraded', reason: expect.stringMatching(/journal could not be written.*ENOSPC/) });

    // Nothing was applied: not the user, not its event, not the workspace; the index agrees.
    expect(await count()).toBe(1);
    const lookup = await fetch(`${emulator.url}/w/default/scim/v2/Users?filter=${encodeURIComponent('userName eq "lost@example.edu"')}`, { headers: scim });
    expect(((await lookup.json()) as { totalResults: number }).totalResults).toBe(0);
    expect((await fetch(`${emulator.url}/_emulator/workspaces/north`, { headers: admin })).status).toBe(404);
    const events = ((await (await fetch(`${emulator.url}/_emulator/events?workspace=default`, { headers: admin })).json()) as { events: unknown[] }).events.length;
    expect(events).toBe(eventsBefore);

    disk.full = false;
    expect((await createUser('lost@example.edu')).status).toBe(201);
    expect((await fetch(`${emulator.url}/_emulator/health`)).status).toBe(200);
    expect(await count()).toBe(2);
    await emulator.stop();

    // And after a restart: exactly what was acknowledged.
    const again = new DurableStore(file);
    const state = (await again.load())!;
    await again.release();
    const names = Object.values(state.workspaces.default!.members).map((m) => m.email).sort();
    expect(names).toEqual(['kept@example.edu', 'lost@example.edu']);
    expect(Object.keys(state.workspaces)).toEqual(['default']);
  });
});
