import { appendFile, mkdtemp, readFile, readdir, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EmulatorCore } from '../emulator.js';
import { DurableStore, MemoryStore, StoreLoadError } from './store.js';
import type { EmulatorState } from './state.js';

const tmp = () => mkdtemp(join(tmpdir(), 'edu-emulator-store-'));

/** A core over a store, as createEmulator wires them. */
async function open(file: string, options: ConstructorParameters<typeof DurableStore>[1] = {}) {
  const store = new DurableStore(file, options);
  const state = await store.load();
  const core = new EmulatorCore(state ? { state } : {});
  store.attach(core);
  await store.commit();
  return { store, core };
}

const plain = (s: EmulatorState) => JSON.parse(JSON.stringify(s)) as EmulatorState;

/** A journal whose writes fail (ENOSPC) while `full` is set. */
function diskThatFills() {
  const disk = {
    full: false,
    io: {
      async write(handle: import('node:fs/promises').FileHandle, data: Uint8Array, position: number) {
        if (disk.full) throw Object.assign(new Error('no space left on device'), { code: 'ENOSPC' });
        await handle.write(data, 0, data.length, position);
      },
    },
  };
  return disk;
}

describe('DurableStore', () => {
  it('journals each change before commit resolves, in files only its owner can read', async () => {
    const dir = await tmp();
    const file = join(dir, 'nested', 'state.json');
    const { store, core } = await open(file);
    expect((await stat(join(dir, 'nested'))).mode & 0o777).toBe(0o700);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    for (let i = 0; i < 100; i++) core.state.dns[`n${i}.example`] = [String(i)];
    await store.commit();
    const journal = (await readdir(join(dir, 'nested'))).filter((n) => n.includes('.journal.'));
    expect(journal).toHaveLength(1);
    expect((await stat(join(dir, 'nested', journal[0]!))).size).toBeGreaterThan(0);
    expect((await stat(join(dir, 'nested', journal[0]!))).mode & 0o777).toBe(0o600);
    // Not closed: a restart replays the journal over the snapshot (the lock is released as a crash would).
    await store.release();
    const again = await open(file);
    expect(Object.keys(again.core.state.dns)).toHaveLength(100);
    await again.store.close();
    // Closing folds the journal into the state file, which stays plain JSON.
    const saved = JSON.parse(await readFile(file, 'utf8'));
    expect(saved.dns['n99.example']).toEqual(['99']);
  });

  it('takes back a change the journal cannot hold and reports the store degraded until a write succeeds', async () => {
    const dir = await tmp();
    const disk = diskThatFills();
    const { store, core } = await open(join(dir, 'state.json'), { io: disk.io });
    core.state.dns['kept.example'] = ['1'];
    await store.commit();
    disk.full = true;
    core.state.dns['lost.example'] = ['2'];
    delete core.state.dns['kept.example'];
    await expect(store.commit()).rejects.toMatchObject({ code: 'store_unavailable', status: 503 });
    expect(core.state.dns).toEqual({ 'kept.example': ['1'] });
    expect(core.tracker.health).toMatchObject({ ok: false, reason: expect.stringMatching(/ENOSPC/) });
    disk.full = false;
    core.state.dns['later.example'] = ['3'];
    await store.commit();
    expect(core.tracker.health).toEqual({ ok: true });
    await store.release();
    const again = await open(join(dir, 'state.json'));
    expect(again.core.state.dns).toEqual({ 'kept.example': ['1'], 'later.example': ['3'] });
    await again.store.close();
  });

  it('drops a torn last record with a warning and keeps every whole one', async () => {
    const dir = await tmp();
    const file = join(dir, 'state.json');
    const { store, core } = await open(file);
    core.state.dns['a.example'] = ['1'];
    await store.commit();
    await store.release();
    const [segment] = (await readdir(dir)).filter((n) => n.includes('.journal.'));
    await appendFile(join(dir, segment!), Buffer.from([200, 0, 0, 0, 1, 2, 3, 4, 123, 34]));
    const warnings: string[] = [];
    const again = await open(file, { warn: (m) => warnings.push(m) });
    expect(again.core.state.dns).toEqual({ 'a.example': ['1'] });
    expect(warnings.join()).toMatch(/dropped a record of 200 bytes/);
    again.core.state.dns['b.example'] = ['2'];
    await again.store.commit();
    await again.store.release();
    const third = await open(file, { warn: (m) => warnings.push(m) });
    expect(Object.keys(third.core.state.dns).sort()).toEqual(['a.example', 'b.example']);
    expect(warnings).toHaveLength(1);
    await third.store.close();
  });

  it('writes snapshots in the background while changes go on, and a restart sees exactly the live state', async () => {
    const dir = await tmp();
    const file = join(dir, 'state.json');
    const { store, core } = await open(file, { snapshotBytes: 2_000 });
    const ws = core.createWorkspace({ id: 'north' }, 'test');
    const index = core.index(ws);
    core.state.workspaces.north!.groups.g1 = { id: 'g1', displayName: 'G', source: 'local', members: [], createdAt: ws.createdAt, updatedAt: ws.createdAt, version: 1 };
    index.addGroup('g1', 'G');
    for (let i = 0; i < 300; i++) {
      const id = `m${i}`;
      core.state.workspaces.north!.members[id] = { id, email: `${id}@north.example`, source: 'invite', status: 'active', role: 'member', createdAt: ws.createdAt, updatedAt: ws.createdAt };
      index.setEmail(id, undefined, `${id}@north.example`);
      index.addMembership('g1', id);
      if (i % 7 === 0) index.removeMembership('g1', `m${i - 3}`);
      if (i % 10 === 0) core.record(ws, 'test.tick', 'test', { i });
      await store.commit();
    }
    await store.flush();
    expect(store.snapshots).toBeGreaterThan(2);
    const live = plain(core.state);
    await store.release();
    const again = await open(file);
    const back = plain(again.core.state);
    expect(back.workspaces.north!.groups.g1!.members.sort()).toEqual(live.workspaces.north!.groups.g1!.members.sort());
    expect(back.workspaces.north!.members).toEqual(live.workspaces.north!.members);
    expect(back.workspaces.north!.events.map((e) => e.seq)).toEqual(live.workspaces.north!.events.map((e) => e.seq));
    await again.store.close();
  });

  it('lets one process at a time use a data file', async () => {
    const dir = await tmp();
    const file = join(dir, 'state.json');
    const first = await open(file);
    const error = await new DurableStore(file).load().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StoreLoadError);
    expect((error as Error).message).toBe(`data file ${file} is in use by process ${process.pid}; stop it, or start with --data OTHER_FILE or --memory`);
    await first.store.close();
    // A lock left by a process that is gone is stale and taken over.
    await writeFile(`${file}.lock`, '999999999\n');
    const second = await open(file);
    await second.store.close();
  });

  it.each([
    ['corrupt JSON', '{"format": "edu-workspace-emulator/state", "version": 1, "worksp', /not valid JSON/],
    ['a foreign JSON file', JSON.stringify({ name: 'some-package', version: '1.0.0' }), /not an edu-workspace-emulator state file/],
    ['an invalid state', JSON.stringify({ format: 'edu-workspace-emulator/state', version: 1, workspaces: { a: { id: 'b' } } }), /does not hold a valid state/],
  ])('refuses %s, says how to recover, and never overwrites it', async (_what, content, message) => {
    const dir = await tmp();
    const file = join(dir, 'state.json');
    await writeFile(file, content);
    const store = new DurableStore(file);
    const error = await store.load().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StoreLoadError);
    expect((error as Error).message).toMatch(message);
    expect((error as Error).message).toContain(file);
    expect((error as Error).message).toMatch(/--memory/);
    store.attach(new EmulatorCore());
    await expect(store.flush()).rejects.toThrow(/refusing to overwrite/);
    expect(await readFile(file, 'utf8')).toBe(content);
    // The lock was let go: the file can be fixed and used.
    expect((await readdir(dir)).sort()).toEqual(['state.json']);
  });

  it('refuses a folder in place of the file', async () => {
    const dir = await tmp();
    await expect(new DurableStore(dir).load()).rejects.toThrow(/not a regular file/);
  });

  it('loads a state file written before the journal existed', async () => {
    const dir = await tmp();
    const file = join(dir, 'state.json');
    const old = plain(new EmulatorCore().state);
    old.dns['old.example'] = ['1'];
    await writeFile(file, `${JSON.stringify(old)}\n`);
    const { store, core } = await open(file);
    expect(core.state.dns['old.example']).toEqual(['1']);
    await store.close();
  });
});

describe('DurableStore integrity mark', () => {
  it('loads its own snapshot without a second full check, and checks in full anything changed since', async () => {
    const dir = await tmp();
    const file = join(dir, 'state.json');
    const first = await open(file);
    first.core.state.dns['kept.example'] = ['1'];
    await first.store.close();
    const text = await readFile(file, 'utf8');
    expect(text).toMatch(/,"integrity":\{"sha256":"[0-9a-f]{64}","schema":"[0-9a-f]{32}"\}\}\n$/);

    const again = await open(file);
    expect(again.store.loadCheck).toBe('own');
    expect(again.core.state.dns['kept.example']).toEqual(['1']);
    expect(Object.keys(again.core.state)).not.toContain('integrity');
    await again.store.release();

    // A hand edit that breaks a rule, mark left in place: the bytes no longer match it, so the full
    // check runs and refuses the file.
    await writeFile(file, text.replace('"id":"default"', '"id":"other"'));
    await expect(new DurableStore(file).load()).rejects.toThrow(/workspaces\.default\.id: must equal its key/);

    // A mark from another state format (another release): a full check, which this file passes.
    await writeFile(file, text.replace(/"schema":"[0-9a-f]{32}"/, `"schema":"${'0'.repeat(32)}"`));
    const other = await open(file);
    expect(other.store.loadCheck).toBe('full');
    expect(other.core.state.dns['kept.example']).toEqual(['1']);
    await other.store.release();
  });
});

describe('MemoryStore', () => {
  it('runs the same commit path and keeps nothing', async () => {
    const store = new MemoryStore();
    expect(await store.load()).toBeNull();
    const core = new EmulatorCore();
    store.attach(core);
    core.state.dns['a.example'] = ['1'];
    await store.commit();
    expect(core.tracker.pending).toBe(false);
    await store.close();
  });

  it('keeps an undo log but no journal ops, and still waits for and settles every change', async () => {
    const store = new MemoryStore();
    const core = new EmulatorCore();
    store.attach(core);
    await store.commit();
    const ws = core.state.workspaces.default!;
    core.state.dns['a.example'] = ['1'];
    core.record(ws, 'test.event', 'test', {});
    delete core.state.dns['a.example'];
    // Each write is pending (its undo entry) until a commit takes it, with no op kept for it.
    expect(core.tracker.pending).toBe(true);
    const { batch, undo } = core.tracker.take(true);
    expect(batch.ops).toEqual([]);
    expect(undo.length).toBeGreaterThan(0);
    core.state.dns['b.example'] = ['2'];
    await store.commit();
    expect(core.tracker.pending).toBe(false);
    expect(core.state.dns['b.example']).toEqual(['2']);
  });

  it('leaves the ops to a durable store, whose tracker keeps them', async () => {
    const { store, core } = await open(join(await tmp(), 'state.json'));
    core.state.dns['a.example'] = ['1'];
    expect(core.tracker.take(true).batch.ops).toEqual(['["s",["dns","a.example"],["1"]]']);
    await store.release();
  });
});

describe('event lists trimmed in batches (src/events/journal.ts)', () => {
  const record = (core: EmulatorCore, n: number, from: number) => {
    const ws = core.state.workspaces.default!;
    for (let i = from; i < from + n; i++) core.record(ws, 'test.event', 'system', { i });
  };
  const details = (core: EmulatorCore) => core.state.workspaces.default!.events.map((e) => (e.detail as { i: number }).i);

  it('replays to the live list after many trims, and a commit that fails takes a trim back', async () => {
    const dir = await tmp();
    const disk = diskThatFills();
    const { store, core } = await open(join(dir, 'state.json'), { io: disk.io } as never);
    const before = details(core).length;
    for (let i = 0; i < 12; i++) {
      record(core, 500, before + i * 500);
      await store.commit();
    }
    const live = details(core);
    expect(live.length).toBeLessThanOrEqual(2_500);
    expect(live.at(-1)).toBe(before + 5_999);
    // The next events take the list past the trim: the failed commit puts the trimmed ones back.
    const kept = core.state.workspaces.default!.events.map((e) => ({ ...e }));
    disk.full = true;
    record(core, 2_600 - live.length, 100_000);
    await expect(store.commit()).rejects.toMatchObject({ code: 'store_unavailable' });
    expect(core.state.workspaces.default!.events).toEqual(kept);
    disk.full = false;
    record(core, 700, 200_000);
    await store.commit();
    const after = details(core);
    await store.release();
    const again = await open(join(dir, 'state.json'));
    expect(details(again.core)).toEqual(after);
    await again.store.close();
  });

  it('journals a recorded event as one appended event, and a failed commit takes it back', async () => {
    const dir = await tmp();
    const disk = diskThatFills();
    const { store, core } = await open(join(dir, 'state.json'), { io: disk.io } as never);
    const ws = core.state.workspaces.default!;
    const before = ws.events.length;
    const taken = core.tracker.take(true);
    expect(taken.batch.ops).toEqual([]);
    core.record(ws, 'test.event', 'system', { i: 1 });
    const { batch } = core.tracker.take(true);
    expect(batch.ops.map((op) => JSON.parse(op) as unknown[]).filter((op) => op[0] === 'e')).toEqual([
      ['e', ['workspaces', 'default', 'events'], expect.objectContaining({ type: 'test.event', detail: { i: 1 } })],
    ]);
    disk.full = true;
    core.record(ws, 'test.event', 'system', { i: 2 });
    await expect(store.commit()).rejects.toMatchObject({ code: 'store_unavailable' });
    expect(details(core).slice(before)).toEqual([1]);
    disk.full = false;
    await store.release();
  });

  it('keeps the list as it was for a reader that opened a view before the trim', () => {
    const core = new EmulatorCore();
    new MemoryStore().attach(core);
    record(core, 2_500, 0);
    const view = core.tracker.openView();
    const events = (core.tracker.raw as EmulatorState).workspaces.default!.events;
    const first = view.get(events, '0');
    record(core, 1, 2_500);
    expect(details(core)[0]).toBe(501);
    expect((first as { detail: { i: number } }).detail.i).toBe(0);
    expect(view.length(events)).toBe(2_500);
    expect((view.get(events, '0') as { detail: { i: number } }).detail.i).toBe(0);
    core.tracker.closeView(view);
  });
});
