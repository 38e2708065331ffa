// The in-process scenario target states each string body's real length: a scenario file is
// untrusted, and a Content-Length it writes itself must not carry a body past the 1 MiB limit.
import { afterEach, describe, expect, it } from 'vitest';
import { createEmulator, type Emulator } from '../app.js';
import { MAX_BODY_BYTES } from '../http/body.js';
import { inProcessTarget } from './target.js';

const made: Emulator[] = [];
afterEach(async () => {
  await Promise.all(made.splice(0).map((e) => e.close()));
});

describe('inProcessTarget', () => {
  it('refuses a body over 1 MiB whatever Content-Length the scenario wrote, and stores nothing', async () => {
    const emulator = createEmulator();
    made.push(emulator);
    const target = inProcessTarget(emulator);
    const big = JSON.stringify({ name: 'x'.repeat(MAX_BODY_BYTES + 10) });
    for (const lie of ['2', '0', String(MAX_BODY_BYTES)]) {
      const res = await target.fetch('/w/default/api/scim/tokens', {
        method: 'POST',
        headers: { Authorization: `Bearer ${emulator.adminKey}`, 'Content-Type': 'application/json', 'Content-Length': lie },
        body: big,
      });
      expect(res.status, `Content-Length: ${lie}`).toBe(413);
      expect(((await res.json()) as { error?: { code?: string } }).error?.code).toBe('payload_too_large');
    }
    const list = await target.fetch('/w/default/api/scim/tokens', { headers: { Authorization: `Bearer ${emulator.adminKey}` } });
    expect(((await list.json()) as { tokens: unknown[] }).tokens).toEqual([]);
  });

  it('lets a body within the limit through even when the scenario under-states its length', async () => {
    const emulator = createEmulator();
    made.push(emulator);
    const target = inProcessTarget(emulator);
    const res = await target.fetch('/w/default/api/scim/tokens', {
      method: 'POST',
      headers: { Authorization: `Bearer ${emulator.adminKey}`, 'Content-Type': 'application/json', 'Content-Length': '1' },
      body: JSON.stringify({ name: 'ci' }),
    });
    expect(res.status).toBe(201);
  });
});
