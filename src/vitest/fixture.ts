// The Vitest fixture: `test` extended with `emulator` (the shared one, per worker) and
// `workspace` (a fresh isolated workspace per test, deleted after it).
import { inject, test as base } from 'vitest';
import { createAdminClient, type AdminClient } from '../client/admin-client.js';
import { createWorkspace, type WorkspaceHandle } from '../client/workspace.js';
import { startEmulator } from '../start.js';
import { EMULATOR_KEY, type ProvidedEmulator } from './provided.js';

export interface EmulatorFixture extends ProvidedEmulator {
  /** A typed client for the control plane and every workspace's admin API. */
  admin: AdminClient;
}

export interface EmulatorFixtures {
  $worker: { emulator: EmulatorFixture };
  $test: { workspace: WorkspaceHandle };
}

function extendedTest() {
  return base.extend<EmulatorFixtures>({
    // eslint-disable-next-line no-empty-pattern
    emulator: [
      async ({}, use) => {
        const provided = inject(EMULATOR_KEY) as ProvidedEmulator | undefined;
        if (provided) {
          await use({ ...provided, admin: createAdminClient(provided) });
          return;
        }
        const running = await startEmulator();
        try {
          await use({ url: running.url, adminKey: running.adminKey, admin: running.admin });
        } finally {
          await running.stop();
        }
      },
      { scope: 'worker' },
    ],
    workspace: async ({ emulator }, use) => {
      const workspace = await createWorkspace(emulator);
      try {
        await use(workspace);
      } finally {
        await workspace.delete();
      }
    },
  });
}

type EmulatorTest = ReturnType<typeof extendedTest>;

/** Stands in for `test` where Vitest has no test runner (e.g. when this module is the global setup). */
function unavailableTest(cause: unknown): EmulatorTest {
  const fail = () => {
    throw new Error(`"test" from edu-workspace-emulator/vitest is for test files; it was loaded outside a test runner (${(cause as Error).message.split('\n')[0]})`);
  };
  return new Proxy(fail, { get: fail, apply: fail }) as unknown as EmulatorTest;
}

function createTest(): EmulatorTest {
  try {
    return extendedTest();
  } catch (e) {
    // The same entry point serves as the global setup, where Vitest has no suite to extend.
    return unavailableTest(e);
  }
}

/**
 * `test` with an `emulator` and a fresh `workspace` per test. The emulator is the one the global
 * setup provided; without the global setup, each worker starts its own.
 *
 * @example
 * ```ts
 * // vitest.config.ts
 * export default defineConfig({ test: { globalSetup: ['edu-workspace-emulator/vitest'] } });
 *
 * // a test file
 * import { expect } from 'vitest';
 * import { test } from 'edu-workspace-emulator/vitest';
 *
 * test('an invited teacher is pending until first sign-in', async ({ workspace }) => {
 *   const member = await workspace.admin.invites.create({ email: 'ada@springfield.k12.us' });
 *   expect(member.status).toBe('pending_invite');
 * });
 * ```
 */
export const test: EmulatorTest = createTest();
