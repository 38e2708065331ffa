// The Vitest global setup: starts one emulator for the whole run (or uses the one named by
// EDU_EMULATOR_URL/EDU_EMULATOR_ADMIN_KEY) and `provide`s its URL and admin key to the workers.
import { startEmulator, type StartOptions } from '../start.js';
import { EMULATOR_KEY, type ProvidedEmulator } from './provided.js';

/** The part of Vitest's TestProject a global setup uses. */
export interface ProvideTarget {
  provide(key: typeof EMULATOR_KEY, value: ProvidedEmulator): void;
}

/**
 * A global setup function with emulator options of your own; export it as the default of a
 * global setup file: `export default emulatorGlobalSetup({ outbound: { … } })`.
 *
 * @example
 * ```ts
 * // test/emulator-setup.ts, named in vitest.config.ts as globalSetup: ['./test/emulator-setup.ts']
 * import { emulatorGlobalSetup } from 'edu-workspace-emulator/vitest';
 *
 * export default emulatorGlobalSetup({
 *   outbound: { 'https://login.microsoftonline.com/<tenant>/v2.0': '/idp/entra/oidc' },
 * });
 * ```
 */
export function emulatorGlobalSetup(options: StartOptions = {}) {
  return async (project: ProvideTarget): Promise<() => Promise<void>> => {
    const external = process.env.EDU_EMULATOR_URL;
    if (external) {
      const adminKey = process.env.EDU_EMULATOR_ADMIN_KEY;
      if (!adminKey) throw new Error('EDU_EMULATOR_URL is set but EDU_EMULATOR_ADMIN_KEY is not: give both to test against a running emulator, or neither to start one.');
      project.provide(EMULATOR_KEY, { url: external.replace(/\/+$/, ''), adminKey });
      return async () => {};
    }
    const running = await startEmulator(options);
    project.provide(EMULATOR_KEY, { url: running.url, adminKey: running.adminKey });
    return () => running.stop();
  };
}

/** Starts one emulator for the run: `globalSetup: ['edu-workspace-emulator/vitest']`. */
export const setup = emulatorGlobalSetup();
