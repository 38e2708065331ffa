// The admin API's door: who is asking (the emulator admin key, the admin key acting as a member
// through `X-Emulator-Act-As`, or a member's session) and whether the authorization table lets
// their built-in role use the route they reached.
import type { MiddlewareHandler } from 'hono';
import { matchedRoutes } from 'hono/route';
import { badRequest, forbidden } from '../errors.js';
import { bearerToken, requireAdminKey } from '../http/auth.js';
import type { AppContext, AppEnv } from '../http/context.js';
import { requireSameOrigin } from '../http/same-origin.js';
import { findMemberByEmail } from '../members/members.js';
import { sessionMember } from '../signin/routes.js';
import { accessRule, checkAuthority, ROLE_ASSIGNMENT, type AccessRule } from './admin-access.js';

export const ACT_AS_HEADER = 'X-Emulator-Act-As';
const API_PREFIX = '/w/:ws/api';

/** The admin API route a request reached, as an OpenAPI template under /w/{ws}/api, or undefined (404 follows). */
function reachedRoute(c: AppContext): string | undefined {
  const route = matchedRoutes(c)
    .filter((r) => r.method !== 'ALL' && r.path.startsWith(`${API_PREFIX}/`))
    .at(-1);
  return route?.path.slice(API_PREFIX.length).replace(/:(\w+)/g, '{$1}');
}

/**
 * Authenticates an admin API request and checks it against the authorization table. The admin key
 * has full power; a member's session, or the admin key with `X-Emulator-Act-As: <email>`, acts with
 * that member's built-in role. A route missing from the table needs the owner (fail closed).
 */
export function adminApiAccess(adminKey: string, actorForKey: string): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const actAs = c.req.header(ACT_AS_HEADER);
    if (bearerToken(c.req.header('Authorization')) === undefined) {
      const m = sessionMember(c);
      if (m) {
        // A cookie rides along on cross-site requests; only a same-origin page may use it here.
        requireSameOrigin(c);
        if (actAs !== undefined) throw badRequest('act_as_needs_admin_key', `${ACT_AS_HEADER} is for the emulator admin key; a signed-in member acts as themselves.`);
        c.set('actor', `user:${m.email}`);
        c.set('actorRole', m.role);
      }
    }
    if (c.get('actorRole') === undefined) {
      requireAdminKey(c.req.header('Authorization'), adminKey);
      c.set('actor', actorForKey);
      if (actAs !== undefined) {
        const ws = c.get('ws');
        const m = findMemberByEmail(c.get('core'), ws, actAs.trim());
        if (!m) throw badRequest('act_as_not_member', `${ACT_AS_HEADER}: "${actAs}" is not a member of workspace "${ws.id}". Invite them first, or leave the header out to act with the admin key's full power.`);
        if (m.status === 'deactivated') throw forbidden('deactivated', `${ACT_AS_HEADER}: ${m.email} is deactivated and can administer nothing.`);
        c.set('actor', `user:${m.email}`);
        c.set('actorRole', m.role);
      }
    }
    const route = reachedRoute(c);
    if (route !== undefined) {
      const rule = accessRule(c.req.method, route) ?? { method: c.req.method.toLowerCase(), path: route, needs: 'owner', area: `${c.req.method} ${route}` };
      checkAuthority(c.get('actorRole'), c.get('actor').replace(/^user:/, ''), rule);
    }
    await next();
  };
}

/** A check beyond the route's own rule (assigning owner or admin, changing roles): 403 unless allowed. */
export function requireAuthority(c: AppContext, rule: AccessRule = ROLE_ASSIGNMENT): void {
  checkAuthority(c.get('actorRole'), c.get('actor').replace(/^user:/, ''), rule);
}
