// The one app factory: `createEmulator(options)` returns the Hono app and its store. The CLI, the
// tests (`app.request()`), MSW handlers and the scenario runner all build the emulator here.
import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { createMiddleware } from 'hono/factory';
import { EmulatorError, notFound } from './errors.js';
import { EmulatorCore, ACTOR_ADMIN_KEY } from './emulator.js';
import { controlRoutes } from './control/routes.js';
import { domainRoutes } from './domains/routes.js';
import { DnsServerResolver, parseDnsServer, type TxtResolver } from './domains/resolver.js';
import { eventsResponse } from './events/routes.js';
import { generateAdminKey, requireAdminKey, safeEqual } from './http/auth.js';
import { MAX_BODY_BYTES } from './http/body.js';
import { AllowedMethods, methodNotAllowed } from './http/method-not-allowed.js';
import type { AppEnv } from './http/context.js';
import { errorResponse } from './http/errors.js';
import { settingsRoutes } from './settings/routes.js';
import { inviteRoutes, userRoutes } from './members/routes.js';
import { enforcementRoutes, signInCheckRoutes } from './signin/admin-routes.js';
import { signInRoutes } from './signin/routes.js';
import { scimRoutes, scimTokenRoutes } from './scim/routes.js';
import { ssoAdminRoutes } from './sso/routes.js';
import { samlRoutes } from './sso/saml/routes.js';
import { oidcRoutes } from './sso/oidc/routes.js';
import { plugMockIdpsIntoSso } from './idp/connect.js';
import { idpControlRoutes, idpRoutes } from './idp/routes.js';
import { routeOutbound, type OutboundRoutes } from './outbound/outbound-routes.js';
import { groupRoutes } from './groups/routes.js';
import { appRoutes, roleRoutes } from './roles/routes.js';
import { usageLimitRoutes } from './usage-limits/routes.js';
import { adminApiAccess } from './roles/access-middleware.js';
import { readinessReport } from './readiness/readiness.js';
import { consoleRoutes } from './ui/routes.js';
import { openApiDocument } from './openapi/document.js';
import { docsPage } from './openapi/docs-page.js';
import type { EmulatorState } from './store/state.js';
import { MemoryStore, type StateStore } from './store/store.js';

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
}

export interface Emulator {
  app: Hono<AppEnv>;
  core: EmulatorCore;
  store: StateStore;
  adminKey: string;
  /** Flushes the store. */
  close(): Promise<void>;
}

/**
 * Builds an emulator: the Hono app over a runtime core, wired to its store. Nothing listens: the
 * app answers `app.request()` and `app.fetch()` in process (serve it with `startEmulator`).
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
    onChange: () => store.changed(),
  });
  store.attach(() => core.snapshot());
  plugMockIdpsIntoSso(core);

  const app = new Hono<AppEnv>();
  app.onError((err, c) => errorResponse(c, err));
  const allowedMethods = new AllowedMethods(() => app.routes);
  app.notFound((c) => {
    const allow = allowedMethods.for(c.req.path);
    if (allow.length > 0) return errorResponse(c, methodNotAllowed(c.req.method, c.req.path, allow));
    return errorResponse(c, notFound('not_found', `No route for ${c.req.method} ${c.req.path}. See README.md for the routes the emulator serves.`));
  });

  // The emulator's own outgoing requests to an origin it is served on are answered in process,
  // so that a mock IdP under /idp works with or without a socket.
  const selfOrigins = new Set<string>();
  const outboundFetch = options.fetch ?? ((url: string, init?: RequestInit) => fetch(url, init));
  const selfOrOut = (url: string, init?: RequestInit) => {
    if (selfOrigins.has(new URL(url).origin)) return Promise.resolve(app.fetch(new Request(url, init)));
    return outboundFetch(url, init);
  };
  core.outboundFetch = options.outbound ? routeOutbound(options.outbound, selfOrOut, (request) => app.fetch(request)) : selfOrOut;

  app.use('*', async (c, next) => {
    if (selfOrigins.size < 64) selfOrigins.add(new URL(c.req.url).origin);
    c.set('core', core);
    c.set('actor', 'anonymous');
    await next();
  });
  app.use(
    '*',
    bodyLimit({
      maxSize: MAX_BODY_BYTES,
      onError: () => {
        throw new EmulatorError({
          code: 'payload_too_large',
          status: 413,
          message: `The request body is larger than ${MAX_BODY_BYTES} bytes (1 MiB); send less at once.`,
          scimType: 'tooLarge',
        });
      },
    }),
  );

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
  app.get('/_emulator/openapi.json', (c) => c.json(openApiDocument()));
  app.get('/_emulator/docs', (c) => c.html(docsPage()));
  app.route('/_emulator/idps', idpControlRoutes());
  app.route('/_emulator', controlRoutes());

  app.use('/w/:ws/*', async (c, next) => {
    c.set('ws', core.requireWorkspace(c.req.param('ws')));
    await next();
  });
  // The admin API takes the emulator admin key (optionally acting as a member), or a member's
  // session; the authorization table decides what their built-in role may use.
  app.use('/w/:ws/api/*', adminApiAccess(adminKey, ACTOR_ADMIN_KEY));
  app.route('/w/:ws/api/domains', domainRoutes());
  app.route('/w/:ws/api/settings', settingsRoutes());
  app.route('/w/:ws/api/invites', inviteRoutes());
  app.route('/w/:ws/api/users', userRoutes());
  app.route('/w/:ws/api/sign-in/check', signInCheckRoutes());
  app.route('/w/:ws/api/sso/enforcement', enforcementRoutes());
  app.route('/w/:ws/api/sso', ssoAdminRoutes());
  app.route('/w/:ws/api/scim', scimTokenRoutes());
  app.route('/w/:ws/api/groups', groupRoutes());
  app.route('/w/:ws/api/roles', roleRoutes());
  app.route('/w/:ws/api/apps', appRoutes());
  app.route('/w/:ws/api/usage-limits', usageLimitRoutes());
  app.get('/w/:ws/api/readiness', (c) => c.json(readinessReport(core, c.get('ws'))));
  app.get('/w/:ws/api/events', (c) => eventsResponse(c, c.get('ws').id));
  app.route('/w/:ws/scim/v2', scimRoutes({ isAdminKey: (bearer) => safeEqual(bearer, adminKey) }));
  app.route('/w/:ws/sso/saml', samlRoutes());
  app.route('/w/:ws/sso/oidc', oidcRoutes());
  app.route('/idp/:idp', idpRoutes());
  app.route('/w/:ws', consoleRoutes());
  app.route('/w/:ws', signInRoutes());

  return { app, core, store, adminKey, close: () => store.close() };
}
