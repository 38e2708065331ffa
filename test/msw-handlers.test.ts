// emulatorHandlers: MSW handlers that answer every request under a base URL from an in-process
// emulator, with setupServer in Node and per-test emulators through server.boundary().
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEmulator } from '../src/index.js';
import { emulatorHandlers } from '../src/msw/index.js';

const BASE = 'https://chatgpt.example.test';
// Only an unrelated handler at first: every test brings its own emulator.
const server = setupServer(http.get('https://elsewhere.example.test/ping', () => HttpResponse.text('pong')));

beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterAll(() => server.close());

const json = (key: string, body?: unknown) => ({
  headers: { Authorization: `Bearer ${key}`, 'Content-Type': 'application/json' },
  ...(body !== undefined ? { method: 'POST', body: JSON.stringify(body) } : {}),
});

describe('emulatorHandlers', () => {
  it(
    'answers requests under the base URL (any method, path and query) from the app',
    server.boundary(async () => {
      const handlers = emulatorHandlers({ baseUrl: `${BASE}/`, emulator: { adminKey: 'msw-admin-key' } });
      server.use(...handlers);
      expect(handlers.adminKey).toBe('msw-admin-key');

      const health = await fetch(`${BASE}/_emulator/health`);
      expect(await health.json()).toMatchObject({ status: 'ok' });
      const created = await fetch(`${BASE}/w/default/api/domains`, json('msw-admin-key', { domain: 'springfield.k12.us' }));
      expect(created.status).toBe(201);
      const found = await fetch(`${BASE}/w/default/api/domains/springfield.k12.us?fresh=1`, json('msw-admin-key'));
      expect(await found.json()).toMatchObject({ domain: 'springfield.k12.us', status: 'pending' });
      const root = await fetch(`${BASE}/`);
      expect(root.status).toBe(404);
      expect(await root.json()).toMatchObject({ error: { code: 'not_found' } });
      // Workspace URLs the emulator hands out are under the base URL.
      const ws = await fetch(`${BASE}/_emulator/workspaces`, json('msw-admin-key', { id: 'north' }));
      expect(await ws.json()).toMatchObject({ baseUrl: `${BASE}/w/north` });
      // Other hosts are left to their own handlers.
      expect(await (await fetch('https://elsewhere.example.test/ping')).text()).toBe('pong');
    }),
  );

  it(
    'serves a given emulator, whose state the test can also reach directly',
    server.boundary(async () => {
      const emulator = createEmulator();
      const handlers = emulatorHandlers({ baseUrl: BASE, emulator });
      server.use(...handlers);
      expect(handlers.emulator).toBe(emulator);
      await fetch(`${BASE}/w/default/api/invites`, json(emulator.adminKey, { email: 'ada@springfield.k12.us' }));
      const direct = await emulator.app.request('/w/default/api/users', json(emulator.adminKey));
      expect((await direct.json()).users).toHaveLength(1);
      // The handlers' admin client calls the app directly: it works with or without MSW listening.
      expect(await handlers.admin.workspace('default').users.findByEmail('ada@springfield.k12.us')).toMatchObject({ status: 'pending_invite' });
    }),
  );

  it('keeps per-test emulators apart when boundaries run side by side', async () => {
    const run = (email: string) =>
      server.boundary(async () => {
        const handlers = emulatorHandlers({ baseUrl: BASE });
        server.use(...handlers);
        const ws = await handlers.workspace('same-id');
        await ws.admin.invites.create({ email });
        await new Promise((resolve) => setTimeout(resolve, 10));
        const listed = await fetch(`${BASE}/w/same-id/api/users`, json(handlers.adminKey));
        return ((await listed.json()) as { users: { email: string }[] }).users.map((u) => u.email);
      })();
    expect(await Promise.all([run('one@a.k12.us'), run('two@b.k12.us'), run('three@c.k12.us')])).toEqual([
      ['one@a.k12.us'],
      ['two@b.k12.us'],
      ['three@c.k12.us'],
    ]);
  });

  it('wants an origin for the base URL', () => {
    expect(() => emulatorHandlers({ baseUrl: 'chatgpt.example.test' })).toThrow(/not an absolute URL/);
    expect(() => emulatorHandlers({ baseUrl: `${BASE}/edu` })).toThrow(`must be an origin with no path, e.g. "${BASE}"`);
    expect(() => emulatorHandlers({ baseUrl: 'ftp://chatgpt.example.test' })).toThrow(/must be http or https/);
  });
});
