// Every route of the emulator but health, mounted by the app factory (src/app.ts) once this module
// has loaded: it imports the product's routes, the mock IdP, SAML, OIDC, the console and the recorder.
import type { Hono, MiddlewareHandler } from 'hono';
import { createMiddleware } from 'hono/factory';
import { ACTOR_ADMIN_KEY, type EmulatorCore } from './emulator.js';
import { controlRoutes } from './control/routes.js';
import { domainRoutes } from './domains/routes.js';
import { eventsResponse } from './events/routes.js';
import { bearerToken, matchesKey } from './http/auth.js';
import type { AppEnv } from './http/context.js';
import { settingsRoutes } from './settings/routes.js';
import { inviteRoutes, userRoutes } from './members/routes.js';
import { enforcementRoutes, signInCheckRoutes } from './signin/admin-routes.js';
import { signInRoutes } from './signin/routes.js';
import { logScimAnswer, scimRoutes, scimTokenRoutes } from './scim/routes.js';
import { ssoAdminRoutes } from './sso/routes.js';
import { samlRoutes } from './sso/saml/routes.js';
import { oidcRoutes } from './sso/oidc/routes.js';
import { plugMockIdpsIntoSso } from './idp/connect.js';
import { idpControlRoutes, idpRoutes } from './idp/routes.js';
import { groupRoutes } from './groups/routes.js';
import { appRoutes, roleRoutes } from './roles/routes.js';
import { usageLimitRoutes } from './usage-limits/routes.js';
import { directoryRoutes } from './directory/routes.js';
import { INTERVAL_TICK_MS, runDueSyncs } from './directory/interval.js';
import { adminApiAccess } from './roles/access-middleware.js';
import { readinessReport } from './readiness/readiness.js';
import { consoleRoutes } from './ui/routes.js';
import { recordClockMoves, recordIdpTraffic, recordingRoutes, recordWorkspaceTraffic } from './recorder/routes.js';
import { conformanceRoutes, observeScim, observeSso } from './conformance/routes.js';

/** What the factory hands over: the core, the admin key and its middleware (which sets the actor). */
export interface RouteWiring {
  core: EmulatorCore;
  adminKey: string;
  requireAdmin: MiddlewareHandler<AppEnv>;
}

/**
 * Mounts every route after the factory's middleware and health, in the order they are matched,
 * and plugs the mock IdPs into the SSO connection API.
 */
export function mountRoutes(app: Hono<AppEnv>, { core, adminKey, requireAdmin }: RouteWiring): void {
  plugMockIdpsIntoSso(core);
  // The API document imports every route's schemas: it loads when first asked for (docs/performance.md).
  app.get('/_emulator/openapi.json', async (c) => c.json((await import('./openapi/document.js')).openApiDocument()));
  app.get('/_emulator/docs', async (c) => c.html((await import('./openapi/docs-page.js')).docsPage()));
  app.use('/_emulator/clock', recordClockMoves());
  // Directory syncs due on the moved clock run before the answer, so what follows sees them.
  app.use('/_emulator/clock', async (c, next) => {
    await next();
    if (c.req.method === 'POST' && c.res.ok) await runDueSyncs(core);
  });
  app.route('/_emulator/idps', idpControlRoutes());
  app.route('/_emulator', controlRoutes());

  // Not async: the request goes on without a promise of its own (Hono's compose catches a throw).
  app.use('/w/:ws/*', (c, next) => {
    c.set('ws', core.requireWorkspace(c.req.param('ws')));
    return next();
  });
  // The admin API takes the emulator admin key (optionally acting as a member), or a member's
  // session; the authorization table decides what their built-in role may use.
  app.use('/w/:ws/api/*', adminApiAccess(adminKey, ACTOR_ADMIN_KEY));
  // While a recording runs, the workspace's and its mock IdP's exchanges become scenario steps.
  app.use('/w/:ws/*', recordWorkspaceTraffic());
  app.use('/idp/:idp/*', recordIdpTraffic());
  // Every SCIM request is judged by the conformance rules (src/conformance), its findings saved;
  // the same layer writes the SCIM request log (the SCIM routes below then do not).
  app.use('/w/:ws/scim/v2/*', observeScim({ answered: logScimAnswer }));
  app.use('/w/:ws/sso/saml/acs', observeSso('saml'));
  app.use('/w/:ws/sso/oidc/callback', observeSso('oidc'));
  app.route('/w/:ws/api/conformance', conformanceRoutes());
  app.route('/w/:ws/api/recordings', recordingRoutes());
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
  app.route('/w/:ws/api/directory', directoryRoutes());
  app.get('/w/:ws/api/readiness', (c) => c.json(readinessReport(core, c.get('ws'))));
  app.get('/w/:ws/api/events', (c) => eventsResponse(c, c.get('ws').id));
  app.route('/w/:ws/scim/v2', scimRoutes({ isAdminKey: matchesKey(adminKey), logAnswers: false }));
  app.route('/w/:ws/sso/saml', samlRoutes());
  app.route('/w/:ws/sso/oidc', oidcRoutes());
  // The admin key is optional on the mock IdP; with it, provisioning may target any SCIM server
  // and registered applications may be changed.
  const optionalAdmin = createMiddleware<AppEnv>(async (c, next) => {
    if (bearerToken(c.req.header('Authorization')) !== undefined) return requireAdmin(c, next);
    return next();
  });
  app.use('/idp/:idp/provision', optionalAdmin);
  app.use('/idp/:idp/apps/*', optionalAdmin);
  app.route('/idp/:idp', idpRoutes());
  app.route('/w/:ws', consoleRoutes());
  app.route('/w/:ws', signInRoutes());
}

/** Interval syncs as real time passes (the ticker never holds the process open); returns the stop. */
export function startIntervalSyncs(core: EmulatorCore): () => void {
  const ticker = setInterval(() => void runDueSyncs(core).catch(() => {}), INTERVAL_TICK_MS);
  ticker.unref();
  return () => clearInterval(ticker);
}
