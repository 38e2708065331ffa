import { mkdtemp, readFile, readdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { emptyState } from '../emulator.js';
import { JsonFileStore, StoreLoadError } from './store.js';

const tmp = () => mkdtemp(join(tmpdir(), 'edu-emulator-store-'));

describe('JsonFileStore', () => {
  it('starts empty, creates the folder, and coalesces many changes into few atomic writes', async () => {
    const dir = await tmp();
    const file = join(dir, 'nested', 'state.json');
    const store = new JsonFileStore(file, 50);
    expect(await store.load()).toBeNull();
    const state = emptyState(new Date());
    store.attach(() => state);
    for (let i = 0; i < 1_000; i++) {
      state.dns[`n${i}.example`] = [String(i)];
      store.changed();
    }
    await new Promise((r) => setTimeout(r, 200));
    expect(store.writes).toBe(1);
    const saved = JSON.parse(await readFile(file, 'utf8'));
    expect(Object.keys(saved.dns)).toHaveLength(1_000);
    // Atomic: written through a temp file that is renamed away, so none is left behind.
    expect(await readdir(join(dir, 'nested'))).toEqual(['state.json']);
    state.dns['late.example'] = ['x'];
    store.changed();
    await store.close();
    expect(store.writes).toBe(2);
    const reopened = new JsonFileStore(file);
    expect((await reopened.load())!.dns['late.example']).toEqual(['x']);
  });

  it.each([
    ['corrupt JSON', '{"format": "edu-workspace-emulator/state", "version": 1, "worksp', /not valid JSON/],
    ['a foreign JSON file', JSON.stringify({ name: 'some-package', version: '1.0.0' }), /not an edu-workspace-emulator state file/],
    ['an invalid state', JSON.stringify({ format: 'edu-workspace-emulator/state', version: 1, workspaces: { a: { id: 'b' } } }), /does not hold a valid state/],
  ])('refuses %s, says how to recover, and never overwrites it', async (_what, content, message) => {
    const dir = await tmp();
    const file = join(dir, 'state.json');
    await writeFile(file, content);
    const store = new JsonFileStore(file);
    const error = await store.load().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StoreLoadError);
    expect((error as Error).message).toMatch(message);
    expect((error as Error).message).toContain(file);
    expect((error as Error).message).toMatch(/--memory/);
    store.attach(() => emptyState(new Date()));
    store.changed();
    await expect(store.flush()).rejects.toThrow(/refusing to overwrite/);
    expect(await readFile(file, 'utf8')).toBe(content);
  });

  it('refuses a folder in place of the file', async () => {
    const dir = await tmp();
    await expect(new JsonFileStore(dir).load()).rejects.toThrow(/not a regular file/);
  });
});
