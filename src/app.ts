// The one app factory: `createEmulator(options)` returns the Hono app and its store. The CLI, the
// tests (`app.request()`), MSW handlers and the scenario runner all build the emulator here.
import { Hono } from 'hono';
import { getPath } from 'hono/utils/url';
import { createMiddleware } from 'hono/factory';
import { EmulatorError, notFound } from './errors.js';
import { EmulatorCore, ACTOR_ADMIN_KEY } from './emulator.js';
import { STATE_IMPORT_PATH, healthResponse } from './control/health.js';
import { DnsServerResolver, parseDnsServer, type TxtResolver } from './domains/resolver.js';
import { generateAdminKey, requireAdminKey } from './http/auth.js';
import { HostPolicy, type ALL_HOSTS } from './http/hosts.js';
import { MAX_BODY_BYTES, limitBody } from './http/body.js';
import { AllowedMethods, methodNotAllowed } from './http/method-not-allowed.js';
import { CachedRouter } from './http/cached-router.js';
import { requestUrl, type AppEnv } from './http/context.js';
import { errorResponse } from './http/errors.js';
import { routeOutbound, type OutboundRoutes } from './outbound/outbound-routes.js';
import { directoryRuntime } from './directory/runtime.js';
import { canonicalScimPath, isLenient } from './scim/lenient.js';
import type { EmulatorState } from './store/state.js';
import { MemoryStore, type StateStore } from './store/commit-pipeline.js';

export interface EmulatorOptions {
  /** The emulator admin key; a random one when absent. */
  adminKey?: string;
  /** Where state is saved; nothing is saved when absent. */
  store?: StateStore;
  /** The state to start from (e.g. what `store.load()` returned); a fresh one when absent. */
  state?: EmulatorState | null;
  /** A real DNS server (`HOST:PORT`) for TXT lookups instead of the simulated zone. */
  dnsServer?: string;
  /** A custom TXT resolver (wins over `dnsServer`). */
  resolver?: TxtResolver;
  /** Fetch for outgoing requests to other origins (OIDC discovery, JWKS…); the global fetch by default. */
  fetch?: (url: string, init?: RequestInit) => Promise<Response>;
  /**
   * Outgoing requests answered in process, by host, origin or URL prefix, e.g.
   * `{ 'login.microsoftonline.com': '/idp/entra' }` so a mock IdP stands under a vendor's host.
   */
  outbound?: OutboundRoutes;
  /**
   * Host names answered on the socket besides localhost, *.localhost, 127.0.0.1, ::1, the bound
   * address and the machine's name (e.g. a docker-compose service name), or `'all'` for any Host.
   */
  allowedHosts?: readonly string[] | typeof ALL_HOSTS;
  /**
   * Port of the SFTP server for CSV directories (docs/directory-sync.md), started with the first
   * `{"type":"sftp"}` connection; 0 (the default) picks a free one. It listens on `sftpHost` (127.0.0.1).
   */
  sftpPort?: number;
  sftpHost?: string;
  /**
   * `false`: no SFTP server at all, for an emulator nothing can reach (`edu-emulator run`'s own):
   * an `{"type":"sftp"}` connection takes its files over HTTP only, its port shown as null.
   */
  sftpServer?: boolean;
}

export interface Emulator {
  app: Hono<AppEnv>;
  core: EmulatorCore;
  store: StateStore;
  adminKey: string;
  /** The Host allow-list and the emulator's own origins (the socket's address and port are added on listen). */
  hosts: HostPolicy;
  /**
   * Resolves once every route is mounted. Only health answers at once: the other routes load in
   * the background from `createEmulator()`, and a request that comes before waits for them.
   * Rejects when they could not be loaded (requests then answer 503 `emulator_unavailable`).
   */
  ready: Promise<void>;
  /** Flushes the store. */
  close(): Promise<void>;
}

/** The host name of a Host header value (`name`, `name:port`, `[v6]:port`). */
function hostOf(header: string): string {
  const h = header.trim();
  if (h.startsWith('[')) return h.slice(0, h.indexOf(']') + 1);
  const colon = h.lastIndexOf(':');
  return colon >= 0 ? h.slice(0, colon) : h;
}

/**
 * Builds an emulator: the Hono app over a runtime core, wired to its store. Nothing listens: the
 * app answers `app.request()` and `app.fetch()` in process (serve it with `startEmulator`).
 * `/_emulator/health` answers at once; the other routes load in the background (`ready`), and a
 * request that arrives before them waits: what it gets is the same, only later.
 *
 * @example
 * ```ts
 * import { createEmulator } from 'edu-workspace-emulator';
 *
 * const { app, adminKey } = createEmulator();
 * const res = await app.request('/w/default/api/domains', {
 *   method: 'POST',
 *   headers: { Authorization: `Bearer ${adminKey}`, 'Content-Type': 'application/json' },
 *   body: JSON.stringify({ domain: 'springfield.k12.us' }),
 * });
 * const { txt } = await res.json(); // 201 { domain, status: 'pending', txt: { name, type, value } }
 * ```
 */
export function createEmulator(options: EmulatorOptions = {}): Emulator {
  const store = options.store ?? new MemoryStore();
  const adminKey = options.adminKey ?? generateAdminKey();
  let resolver = options.resolver;
  if (!resolver && options.dnsServer !== undefined) {
    const server = parseDnsServer(options.dnsServer);
    if (!server) {
      throw new EmulatorError({
        code: 'invalid_dns_server',
        status: 400,
        message: `DNS server "${options.dnsServer}" is not of the form HOST:PORT with an IP address, e.g. 127.0.0.1:5353 or [::1]:5353.`,
      });
    }
    resolver = new DnsServerResolver(server);
  }
  const core = new EmulatorCore({
    ...(options.state ? { state: options.state } : {}),
    ...(resolver ? { resolver } : {}),
  });
  store.attach(core);
  const sftp = { port: options.sftpPort ?? 0, host: options.sftpHost ?? '127.0.0.1' };
  // ssh2 loads with the first SFTP directory, not with the emulator (docs/performance.md).
  let sftpModule: Promise<typeof import('./directory/sftp-server.js')> | undefined;
  const startSftp = () => (sftpModule ??= import('./directory/sftp-server.js')).then((m) => m.startSftpServer(core, sftp));
  if (options.sftpServer !== false) {
    directoryRuntime(core).startSftp = startSftp;
    // A saved SFTP connection gets its server back at start (a port that cannot be bound is shown as null in GET /api/directory).
    if (Object.values(core.state.workspaces).some((w) => w.directory.connection?.type === 'sftp')) void startSftp().catch(() => {});
  }

  // A workspace set to lenient SCIM (docs/rules.md §17) is routed `/users`, `/Users/` and
  // `/serviceConfiguration` as the RFC's endpoints; the path as sent stays in the request's URL.
  const app = new Hono<AppEnv>({
    router: new CachedRouter(),
    getPath: (request) => {
      const path = getPath(request);
      if (!path.includes('/scim/v2/')) return path;
      const ws = /^\/w\/([^/]+)\//.exec(path)?.[1];
      // Read only: the plain state, not its write-tracking proxies.
      const workspaces = (core.tracker.raw as EmulatorState).workspaces;
      const state = ws === undefined ? undefined : workspaces[ws];
      if (!state || !Object.hasOwn(workspaces, ws!) || !isLenient(state)) return path;
      return canonicalScimPath(path) ?? path;
    },
  });
  app.onError((err, c) => errorResponse(c, err));
  const allowedMethods = new AllowedMethods(() => app.routes);
  app.notFound((c) => {
    const allow = allowedMethods.for(c.req.path);
    if (allow.length > 0) return errorResponse(c, methodNotAllowed(c.req.method, c.req.path, allow));
    return errorResponse(c, notFound('not_found', `No route for ${c.req.method} ${c.req.path}. See README.md for the routes the emulator serves.`));
  });

  // The emulator's own outgoing requests to its own origins (from the allow-list and the socket,
  // never from request headers) are answered in process, so a mock IdP under /idp works with or
  // without a socket. Requests dispatched in process are marked so the socket checks skip them.
  const hosts = new HostPolicy(options.allowedHosts ?? []);
  const dispatchedInProcess = new WeakSet<Request>();
  const answerInProcess = async (request: Request): Promise<Response> => {
    dispatchedInProcess.add(request);
    return app.fetch(request);
  };
  const outboundFetch = options.fetch ?? ((url: string, init?: RequestInit) => fetch(url, init));
  const selfOrOut = (url: string, init?: RequestInit) => {
    if (hosts.isOwnOrigin(new URL(url))) return answerInProcess(new Request(url, init));
    return outboundFetch(url, init);
  };
  core.outboundFetch = options.outbound ? routeOutbound(options.outbound, selfOrOut, answerInProcess) : selfOrOut;
  core.selfFetch = answerInProcess;
  core.isOwnOrigin = (url) => hosts.isOwnOrigin(url);

  const checkHost = (name: string) => {
    if (!hosts.allows(name)) {
      throw new EmulatorError({
        code: 'host_not_allowed',
        status: 421,
        message: `The Host "${name}" is not one this emulator answers (a defence against DNS rebinding). If you reach it under that name on purpose, start it with --allowed-hosts ${name.replace(/^\[|\]$/g, '')} (or EMULATOR_ALLOWED_HOSTS), or --allowed-hosts all to turn the check off.`,
      });
    }
  };
  app.use('*', async (c, next) => {
    const url = requestUrl(c);
    const overSocket = (c.env as { incoming?: unknown } | undefined)?.incoming !== undefined;
    if (overSocket) {
      // DNS rebinding: a page on a name that resolves to loopback reaches the socket with its own Host.
      const hostHeader = c.req.header('Host');
      const hostName = hostHeader === undefined ? undefined : hostOf(hostHeader);
      // The URL's host, then the header's when it is another name (the same name has the same answer).
      const urlHost = url.hostname;
      checkHost(urlHost);
      if (hostName !== undefined && hostName !== urlHost) checkHost(hostName);
    } else if (!dispatchedInProcess.has(c.req.raw)) {
      // Code in this process calling the app (app.request, MSW): its origin answers in process too.
      hosts.rememberInProcessOrigin(url.origin);
    }
    c.set('core', core);
    c.set('actor', 'anonymous');
    c.set('inProcess', dispatchedInProcess.has(c.req.raw));
    await next();
    // Write-ahead: no answer leaves before every change it saw is in the journal. When the
    // journal cannot hold it, the change was taken back and the answer is 503.
    try {
      await store.commit();
    } catch (e) {
      await c.res.body?.cancel().catch(() => {});
      c.res = undefined;
      c.res = c.req.path === '/_emulator/health' ? healthResponse(c, core) : errorResponse(c, e);
    }
  });
  const apiBodyLimit = limitBody({
      maxSize: MAX_BODY_BYTES,
      onError: () => {
        throw new EmulatorError({
          code: 'payload_too_large',
          status: 413,
          message: `The request body is larger than ${MAX_BODY_BYTES} bytes (1 MiB); send less at once.`,
          scimType: 'tooLarge',
        });
      },
    });
  // A state import has its own, larger limit (src/control/routes.ts) and is parsed as a stream.
  app.use('*', (c, next) => (c.req.method === 'PUT' && c.req.path === STATE_IMPORT_PATH ? next() : apiBodyLimit(c, next)));

  const requireAdmin = createMiddleware<AppEnv>(async (c, next) => {
    requireAdminKey(c.req.header('Authorization'), adminKey);
    c.set('actor', ACTOR_ADMIN_KEY);
    await next();
  });

  // Health and the API documents hold nothing secret: no key for them.
  const publicControl = new Set(['/_emulator/health', '/_emulator/openapi.json', '/_emulator/docs']);
  app.use('/_emulator/*', async (c, next) => {
    if (publicControl.has(c.req.path)) return next();
    return requireAdmin(c, next);
  });
  // Set when the other routes could not be loaded: health then says why.
  let unavailable: string | undefined;
  app.get('/_emulator/health', (c) => healthResponse(c, core, unavailable));

  // The other routes load from here on, in the background (docs/performance.md §2). A request
  // other than health waits for them; if they cannot load, it is answered 503 and health says why.
  let closed = false;
  let stopIntervalSyncs = () => {};
  // From the next turn of the event loop: a server started in this turn gets to its listening line
  // first, also in the bin's single-file build, where the import is of code already in the file
  // and would otherwise run before the server's own callbacks.
  const ready = new Promise<void>((resolve) => setImmediate(resolve))
    .then(() => import('./app-routes.js'))
    .then((routes) => {
      routes.mountRoutes(app, { core, adminKey, requireAdmin });
      if (!closed) stopIntervalSyncs = routes.startIntervalSyncs(core);
    })
    .catch((e: unknown) => {
      unavailable = `the emulator could not load its routes: ${e instanceof Error ? e.message : String(e)}`;
      const message = `${unavailable}. Only /_emulator/health answers; reinstall the package (npm ci) and start it again.`;
      app.all('*', () => {
        throw new EmulatorError({ code: 'emulator_unavailable', status: 503, message });
      });
      throw e;
    });
  // Whoever does not wait on `ready` sees a failure in the answers, not as an unhandled rejection.
  ready.catch(() => {});
  let loading: Promise<void> | undefined = ready.catch(() => {}).then(() => {
    loading = undefined;
  });
  const dispatch = app.fetch;
  app.fetch = (request, env, executionCtx) => {
    if (loading === undefined || (getPath(request) === '/_emulator/health' && (request.method === 'GET' || request.method === 'HEAD'))) {
      return dispatch(request, env, executionCtx);
    }
    return loading.then(() => dispatch(request, env, executionCtx));
  };

  const close = async () => {
    closed = true;
    stopIntervalSyncs();
    if (sftpModule) await (await sftpModule).stopSftpServer(core);
    await store.close();
  };
  return { app, core, store, adminKey, hosts, ready, close };
}
