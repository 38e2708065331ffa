// `edu-emulator serve`: loads the store, builds the emulator with the one app factory and serves
// it over HTTP with @hono/node-server; flushes the store on SIGINT/SIGTERM. It listens once the
// store is loaded and health can answer; the other routes finish loading meanwhile (emulator.ready).
import type { Server } from 'node:http';
import { createEmulator, type Emulator } from '../app.js';
import type { ALL_HOSTS } from '../http/hosts.js';
import { parseDnsServer } from '../domains/resolver.js';
import { MemoryStore, type FsyncMode, type StateStore } from '../store/commit-pipeline.js';
import { StoreLoadError } from '../store/store-errors.js';
import { CliError } from './cli-error.js';

export const DEFAULT_DATA_FILE = '.emulator/state.json';

export interface ServeOptions {
  port: number;
  host: string;
  data?: string;
  memory: boolean;
  /** When the journal is flushed to the disk (`--fsync`): always, interval (default) or never. */
  fsync?: FsyncMode;
  scenario?: string;
  /** With --scenario: also check the scenario's expectations. */
  withExpectations?: boolean;
  dnsServer?: string;
  adminKey?: string;
  /** --allowed-hosts: more Host names to answer, or 'all'. */
  allowedHosts?: string[] | typeof ALL_HOSTS;
  /** --sftp-port: the SFTP server for CSV directories (0: a free port); it listens on --host. */
  sftpPort?: number;
}

export interface RunningServer {
  url: string;
  emulator: Emulator;
  adminKey: string;
  store: StateStore;
  server: Server;
  stop(): Promise<void>;
}

/** Validates serve options; throws CliError naming the flag and the fix. */
export function checkServeOptions(o: ServeOptions): void {
  if (!Number.isInteger(o.port) || o.port < 0 || o.port > 65535) {
    throw new CliError(`--port must be a whole number from 0 to 65535 (0 picks a free port), got "${o.port}".`);
  }
  if (o.memory && o.data !== undefined) throw new CliError('--data and --memory exclude each other: keep one.');
  if (o.dnsServer !== undefined && !parseDnsServer(o.dnsServer)) {
    throw new CliError(`--dns-server must be HOST:PORT with an IP address, e.g. 127.0.0.1:5353 or [::1]:5353, got "${o.dnsServer}".`);
  }
  if (o.adminKey !== undefined && !/^\S{8,200}$/.test(o.adminKey)) {
    throw new CliError('--admin-key must be 8 to 200 characters with no spaces.');
  }
}

/** Starts serving; resolves once the socket listens and health answers (the rest: `emulator.ready`). */
export async function startServer(o: ServeOptions): Promise<RunningServer> {
  checkServeOptions(o);
  // The HTTP server (@hono/node-server) loads here: `run`, whose emulators answer in process, never loads it.
  const { listen } = await import('../http/listen.js');
  // The durable store's files and checks load only with --data (docs/performance.md §2).
  const store: StateStore = o.memory
    ? new MemoryStore()
    : new (await import('../store/durable-store.js')).DurableStore(o.data ?? DEFAULT_DATA_FILE, { fsync: o.fsync ?? 'interval' });
  let state;
  try {
    state = await store.load();
  } catch (e) {
    if (e instanceof StoreLoadError) throw new CliError(e.message, 1);
    throw e;
  }
  const emulator = createEmulator({
    store,
    state,
    ...(o.adminKey !== undefined ? { adminKey: o.adminKey } : {}),
    ...(o.dnsServer !== undefined ? { dnsServer: o.dnsServer } : {}),
    ...(o.allowedHosts !== undefined ? { allowedHosts: o.allowedHosts } : {}),
    ...(o.sftpPort !== undefined ? { sftpPort: o.sftpPort } : {}),
    sftpHost: o.host,
  });
  // A new data file is written at once (the first commit is a full snapshot).
  await store.commit();

  const listening = listen(emulator, o.host, o.port, (err) => {
    if (err.code === 'EADDRINUSE') {
      return new CliError(`port ${o.port} on ${o.host} is already in use: stop the other process, or pass --port 0 (a free port) or another --port.`, 1);
    }
    if (err.code === 'EACCES') return new CliError(`no permission to listen on ${o.host}:${o.port}: use a port above 1023.`);
    if (err.code === 'EADDRNOTAVAIL' || err.code === 'ENOTFOUND') {
      return new CliError(`cannot listen on host "${o.host}": it is not an address of this machine; try 127.0.0.1.`);
    }
    return err;
  });
  // A server that never listened lets go of its data file.
  const { server, url, stop } = await listening.catch(async (e: unknown) => {
    await store.close().catch(() => {});
    throw e;
  });
  return { url, emulator, adminKey: emulator.adminKey, store, server, stop };
}

/** What the bin hands the CLI: work of its own at set points of a command. */
export interface CliHooks {
  /**
   * Called by `serve` and `record` when the server listens, just before the listening line: the
   * bin writes its code cache there when it has none (src/cli/code-cache.ts), so that a process
   * stopped as soon as it printed that line still leaves the cache for the next start.
   */
  beforeListeningLine?: () => void;
}
