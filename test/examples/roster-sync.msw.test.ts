// The example roster tool tested through MSW: its fetch calls to https://chatgpt.example.test are
// answered by an in-process emulator, with no listening socket.
import { setupServer } from 'msw/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { emulatorHandlers } from '../../src/msw/index.js';
import { rosterRoundTrip } from './roster-sync-scenario.js';

const handlers = emulatorHandlers({ baseUrl: 'https://chatgpt.example.test' });
const server = setupServer(...handlers);

beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterAll(() => server.close());

describe('roster sync through MSW', () => {
  it('provisions and deprovisions over SCIM, and reads membership over the admin API', async () => {
    const workspace = await handlers.workspace();
    expect(workspace.baseUrl).toBe(`https://chatgpt.example.test/w/${workspace.id}`);
    await rosterRoundTrip(workspace, handlers.adminKey);
  });

  it('gives each workspace its own directory', async () => {
    const [a, b] = await Promise.all([handlers.workspace(), handlers.workspace()]);
    await rosterRoundTrip(a, handlers.adminKey);
    expect(await b.admin.users.list()).toEqual([]);
  });
});
