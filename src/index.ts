// The public face of edu-workspace-emulator: the app factory and its types.
export { createEmulator, type Emulator, type EmulatorOptions } from './app.js';
export { EmulatorError } from './errors.js';
export type { EmulatorState } from './store/state.js';
export { JsonFileStore, MemoryStore, type StateStore } from './store/store.js';
export type { TxtResolver } from './domains/resolver.js';
