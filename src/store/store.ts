// Where the state lives between runs: the durable store (journal and snapshots beside a lowdb
// JSON file) or memory; both behind one interface and one commit path.
export {
  DurableStore,
  MemoryStore,
  FSYNC_MODES,
  type DurableStoreOptions,
  type FsyncMode,
  type StateStore,
  type StoreHost,
} from './durable-store.js';
export { StoreLoadError } from './store-errors.js';
import { DurableStore } from './durable-store.js';

/** The durable store under its earlier name (a data file written by any release loads in it). */
export const JsonFileStore = DurableStore;
export type JsonFileStore = DurableStore;
