// `edu-workspace-emulator/vitest`: a global setup that starts one emulator for the run and a
// `test` whose fixtures give each test its own fresh workspace.
export { emulatorGlobalSetup, setup, type ProvideTarget } from './global-setup.js';
export { test, type EmulatorFixture, type EmulatorFixtures } from './fixture.js';
export { EMULATOR_KEY, type ProvidedEmulator } from './provided.js';
export type { WorkspaceHandle } from '../client/workspace.js';
export { AdminApiError } from '../client/admin-client.js';
export type { SignInOutcome } from '../client/sign-in.js';
