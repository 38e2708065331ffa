// `startEmulator`: the emulator on a loopback socket inside the caller's process (port 0 by
// default), ready when it answers /_emulator/health, with a handle to make fresh workspaces.
import { createEmulator, type Emulator, type EmulatorOptions } from './app.js';
import { listen } from './http/listen.js';
import { createAdminClient, type AdminClient } from './client/admin-client.js';
import { createWorkspace, type WorkspaceHandle } from './client/workspace.js';

export interface StartOptions extends EmulatorOptions {
  /** Port to listen on; 0 (the default) picks a free one. */
  port?: number;
  /** Address to listen on; 127.0.0.1 by default. */
  host?: string;
}

export interface RunningEmulator {
  /** Where it listens, e.g. `http://127.0.0.1:53211`. */
  url: string;
  adminKey: string;
  /** The in-process emulator behind the socket (its app, core and store). */
  emulator: Emulator;
  /** A typed client for the control plane and every workspace's admin API. */
  admin: AdminClient;
  /** Creates a fresh isolated workspace (an unused id unless one is given). */
  workspace(id?: string, options?: { name?: string }): Promise<WorkspaceHandle>;
  /** Closes the socket (and open event streams) and flushes the store; safe to call twice. */
  stop(): Promise<void>;
}

async function waitUntilHealthy(url: string): Promise<void> {
  const deadline = Date.now() + 5_000;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const response = await fetch(`${url}/_emulator/health`);
      if (response.ok) {
        await response.body?.cancel();
        return;
      }
      last = new Error(`HTTP ${response.status}`);
    } catch (e) {
      last = e;
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`the emulator at ${url} did not answer ${url}/_emulator/health within 5 s: ${(last as Error)?.message ?? last}`);
}

/**
 * Starts an emulator on loopback and resolves once it answers its health check. Every call makes
 * a new emulator: two in one process share nothing.
 *
 * @example
 * ```ts
 * import { startEmulator } from 'edu-workspace-emulator';
 *
 * const emulator = await startEmulator();          // port 0: a free port, e.g. http://127.0.0.1:53211
 * const ws = await emulator.workspace();           // a fresh isolated workspace
 * const token = await ws.scimToken();              // a SCIM bearer token for it
 * await runProvisioningJob(ws.scimBaseUrl, token); // the code under test
 * console.log(await ws.admin.users.list());
 * await emulator.stop();
 * ```
 */
export async function startEmulator(options: StartOptions = {}): Promise<RunningEmulator> {
  const { port = 0, host = '127.0.0.1', ...emulatorOptions } = options;
  const emulator = createEmulator(emulatorOptions);
  const { url, stop } = await listen(emulator, host, port, (err) => {
    const hint = err.code === 'EADDRINUSE' ? ' (in use: pass port 0 for a free one)' : '';
    return new Error(`could not listen on ${host}:${port}${hint}: ${err.message}`);
  });

  try {
    // Every route loaded, not only health: a failure to load them rejects here.
    await emulator.ready;
    await waitUntilHealthy(url);
  } catch (e) {
    await stop();
    throw e;
  }
  const connection = { url, adminKey: emulator.adminKey };
  return {
    url,
    adminKey: emulator.adminKey,
    emulator,
    admin: createAdminClient(connection),
    workspace: (id, more = {}) => createWorkspace(connection, { ...(id !== undefined ? { id } : {}), ...more }),
    stop,
  };
}
