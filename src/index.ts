// The public face of edu-workspace-emulator: the app factory, the start/stop helper, the typed
// admin client and their types. MSW handlers and the Vitest integration are subpath exports.
export { createEmulator, type Emulator, type EmulatorOptions } from './app.js';
export { startEmulator, type RunningEmulator, type StartOptions } from './start.js';
export {
  AdminApiError,
  createAdminClient,
  type AdminClient,
  type AdminClientOptions,
  type FetchLike,
  type WorkspaceAdminClient,
} from './client/admin-client.js';
export { createWorkspace, type WorkspaceHandle } from './client/workspace.js';
export type { SignInOutcome } from './client/sign-in.js';
export type * from './client/scim-types.js';
export type { IdpAdminClient } from './client/idp-client.js';
export type * from './client/types.js';
export type { FetchHandler, OutboundRoutes, OutboundTarget } from './outbound/outbound-routes.js';
export { EmulatorError } from './errors.js';
export type { EmulatorState } from './store/state.js';
export { JsonFileStore, MemoryStore, type StateStore } from './store/store.js';
export type { TxtResolver } from './domains/resolver.js';
