// What the directory keeps in memory on an emulator, apart from the sync code: the app factory sets
// the SFTP starter here at start without loading the directory's modules (docs/performance.md).
import { runtimeSlot, type EmulatorCore } from '../emulator.js';

/** What the directory keeps in memory: the workspaces syncing now (one sync at a time each), the SFTP server's address. */
export interface DirectoryRuntime {
  running: Set<string>;
  /** Set by the SFTP server when it listens (src/directory/sftp-server.ts). */
  sftpAddress: { host: string; port: number } | undefined;
  /** Starts (or reuses) the SFTP server; set by the app factory. */
  startSftp: () => Promise<void>;
  /** Waits between Directory API attempts (tests replace it). */
  sleep: (ms: number) => Promise<void>;
}

export const DIRECTORY_RUNTIME = runtimeSlot<DirectoryRuntime>('directory', () => ({
  running: new Set(),
  sftpAddress: undefined,
  startSftp: async () => {},
  sleep: (ms) => new Promise((r) => setTimeout(r, ms)),
}));

export const directoryRuntime = (core: EmulatorCore) => core.runtime(DIRECTORY_RUNTIME);
