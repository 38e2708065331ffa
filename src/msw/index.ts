// `edu-workspace-emulator/msw`: MSW 2.x request handlers that answer every request under a base
// URL from an in-process emulator (its `app.fetch`), so code under test reaches it with no port.
import { http, type HttpHandler } from 'msw';
import { createEmulator, type Emulator, type EmulatorOptions } from '../app.js';
import { createAdminClient, type AdminClient } from '../client/admin-client.js';
import { createWorkspace, type WorkspaceHandle } from '../client/workspace.js';

export interface EmulatorHandlersOptions {
  /** The origin the code under test calls, e.g. `https://chatgpt.example.test`. */
  baseUrl: string;
  /** The emulator to answer from, or options to build one; a fresh in-memory emulator by default. */
  emulator?: Emulator | EmulatorOptions;
}

/** The handlers (spread them into `setupServer(...)` or `server.use(...)`), plus the emulator behind them. */
export type EmulatorHandlers = HttpHandler[] & {
  emulator: Emulator;
  adminKey: string;
  /** A typed admin client that calls the app directly (works whether or not MSW is listening). */
  admin: AdminClient;
  /** Creates a fresh isolated workspace; its URLs are under `baseUrl`. */
  workspace(id?: string, options?: { name?: string }): Promise<WorkspaceHandle>;
};

function isEmulator(value: Emulator | EmulatorOptions): value is Emulator {
  return 'app' in value && 'core' in value;
}

function originOf(baseUrl: string): string {
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    throw new TypeError(`emulatorHandlers: baseUrl "${baseUrl}" is not an absolute URL; pass an origin such as "https://chatgpt.example.test".`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new TypeError(`emulatorHandlers: baseUrl "${baseUrl}" must be http or https.`);
  }
  if (url.pathname !== '/' || url.search || url.hash) {
    // The emulator's routes (and the URLs it hands out) start at the root of its origin.
    throw new TypeError(`emulatorHandlers: baseUrl "${baseUrl}" must be an origin with no path, e.g. "${url.origin}".`);
  }
  return url.origin;
}

/**
 * Handlers that answer every request under `baseUrl` from the emulator in this process. The
 * emulator sees the request's own URL, so the workspace URLs it returns are under `baseUrl`.
 *
 * @example
 * ```ts
 * import { setupServer } from 'msw/node';
 * import { emulatorHandlers } from 'edu-workspace-emulator/msw';
 *
 * const handlers = emulatorHandlers({ baseUrl: 'https://chatgpt.example.test' });
 * const server = setupServer(...handlers);
 * beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
 * afterAll(() => server.close());
 *
 * it('provisions the teachers', async () => {
 *   const ws = await handlers.workspace(); // ws.scimBaseUrl is under https://chatgpt.example.test
 *   await runProvisioningJob(ws.scimBaseUrl, await ws.scimToken());
 *   expect(await ws.admin.users.list()).toHaveLength(2);
 * });
 * ```
 */
export function emulatorHandlers(options: EmulatorHandlersOptions): EmulatorHandlers {
  const origin = originOf(options.baseUrl);
  const emulator = options.emulator && isEmulator(options.emulator) ? options.emulator : createEmulator(options.emulator ?? {});
  // The base URL is the emulator itself: its own outgoing requests there are answered in process.
  emulator.hosts.rememberInProcessOrigin(origin);
  // The request MSW hands over is the one the code under test sent; the app answers it as is.
  const answer = ({ request }: { request: Request }) => emulator.app.fetch(request);
  const handlers = [http.all(origin, answer), http.all(`${origin}/*`, answer)];
  const connection = { url: origin, adminKey: emulator.adminKey, fetch: (request: Request) => emulator.app.fetch(request) };
  return Object.assign(handlers, {
    emulator,
    adminKey: emulator.adminKey,
    admin: createAdminClient(connection),
    workspace: (id?: string, more: { name?: string } = {}) => createWorkspace(connection, { ...(id !== undefined ? { id } : {}), ...more }),
  });
}

export type { Emulator, EmulatorOptions, WorkspaceHandle };
export { AdminApiError } from '../client/admin-client.js';
