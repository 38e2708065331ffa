// The example roster tool tested against a real socket: the shared emulator that the Vitest
// global setup started with startEmulator on port 0, and a fresh workspace per test (the fixture).
import { describe, expect } from 'vitest';
import { test } from '../../src/vitest/index.js';
import { rosterRoundTrip } from './roster-sync-scenario.js';

describe('roster sync over HTTP', () => {
  test('provisions and deprovisions over SCIM, and reads membership over the admin API', async ({ emulator, workspace }) => {
    expect(emulator.url).toMatch(/^http:\/\/127\.0\.0\.1:[1-9]\d*$/);
    expect(workspace.baseUrl).toBe(`${emulator.url}/w/${workspace.id}`);
    await rosterRoundTrip(workspace, emulator.adminKey);
  });

  test('starts every test with an empty workspace', async ({ workspace }) => {
    expect(await workspace.admin.users.list()).toEqual([]);
    expect(await workspace.admin.domains.list()).toEqual([]);
  });
});
