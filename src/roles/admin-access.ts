// Who may do what in the workspace admin API: the one authorization table, by route, that every
// admin route is checked against. Owners alone view and manage Identity & Provisioning and
// configure RBAC; owners and admins manage members, groups and usage limits; members and analytics
// viewers administer nothing (help-center articles 8266431, 8266401, 11750701 and 20001001).
import { forbidden } from '../errors.js';

export const BUILT_IN_ROLES = ['owner', 'admin', 'member', 'analytics_viewer'] as const;
export type BuiltInRole = (typeof BUILT_IN_ROLES)[number];

/** What a route needs: the owner, or an owner or admin. */
export type Authority = 'owner' | 'owner_or_admin';

export interface AccessRule {
  /** `get`, `post`, … */
  method: string;
  /** OpenAPI path template under `/w/{ws}/api`, e.g. `/domains/{domain}/verify`. */
  path: string;
  needs: Authority;
  /** The area, in the product's words, for the refusal message and the docs. */
  area: string;
}

const IDENTITY = 'Identity & Provisioning (domains, SSO, SCIM)';
const RBAC = 'roles and permissions (RBAC)';
const MEMBERS = 'members';
const GROUPS = 'groups';

const rules = (needs: Authority, area: string, routes: string[]): AccessRule[] =>
  routes.map((r) => {
    const [method, path] = r.split(' ') as [string, string];
    return { method, path, needs, area };
  });

/** The table: every admin API route and what it needs. test/admin-access.test.ts walks it against the router. */
export const ADMIN_ACCESS: readonly AccessRule[] = [
  ...rules('owner', IDENTITY, [
    'get /domains',
    'post /domains',
    'get /domains/{domain}',
    'delete /domains/{domain}',
    'post /domains/{domain}/verify',
    'get /sso',
    'put /sso',
    'delete /sso',
    'get /sso/enforcement',
    'put /sso/enforcement',
    'get /sso/enforcement/preview',
    'post /sign-in/check',
    'get /scim/tokens',
    'post /scim/tokens',
    'delete /scim/tokens/{id}',
    'get /directory',
    'put /directory',
    'delete /directory',
    'post /directory/sync',
    'post /directory/upload',
    'put /directory/files/{name}',
    'get /directory/syncs',
    'get /directory/syncs/{id}',
    'get /scim/requests',
    'get /settings',
    'patch /settings',
    'get /events',
    // What the IdP sent, judged (src/conformance/): identity traffic, like the SCIM request log.
    'get /conformance',
    'delete /conformance',
    // Recording the workspace's identity traffic (src/recorder/) is an identity setting too.
    'get /recordings',
    'post /recordings',
    'get /recordings/{id}',
    'post /recordings/{id}/stop',
    'get /recordings/{id}/scenario',
  ]),
  // The launch checklist is read-only and covers members and groups too: admins may read it.
  ...rules('owner_or_admin', 'the readiness report', ['get /readiness']),
  ...rules('owner', RBAC, ['post /roles', 'put /roles/default', 'patch /roles/{id}', 'delete /roles/{id}', 'put /roles/{id}/groups']),
  // Admins see the roles (to know what a group grants) but only owners configure them.
  ...rules('owner_or_admin', RBAC, ['get /roles', 'get /roles/default', 'get /roles/{id}', 'get /apps']),
  ...rules('owner_or_admin', MEMBERS, [
    'post /invites',
    'get /users',
    'get /users/{id}',
    'patch /users/{id}',
    'delete /users/{id}',
    'get /users/{id}/permissions',
    'get /users/{id}/usage-limit',
  ]),
  ...rules('owner_or_admin', GROUPS, [
    'get /groups',
    'post /groups',
    'get /groups/{id}',
    'patch /groups/{id}',
    'delete /groups/{id}',
    'get /groups/{id}/members',
    'put /groups/{id}/members',
    'post /groups/{id}/adopt',
  ]),
  ...rules('owner_or_admin', 'usage limits', ['get /usage-limits', 'put /usage-limits']),
];

/** Inviting or assigning owners and admins, and changing anyone's role: owners only (article 8266401). */
export const ROLE_ASSIGNMENT: AccessRule = { method: '*', path: '*', needs: 'owner', area: 'inviting or assigning owners and admins and changing roles' };

const byRoute = new Map(ADMIN_ACCESS.map((r) => [`${r.method} ${r.path}`, r]));

/** The rule of a route (`method`, template under `/w/{ws}/api`), or undefined when the table lacks it. */
export function accessRule(method: string, path: string): AccessRule | undefined {
  return byRoute.get(`${method.toLowerCase()} ${path}`);
}

/** Whether a built-in role has the authority a rule needs. */
export function allows(role: BuiltInRole, needs: Authority): boolean {
  return role === 'owner' || (needs === 'owner_or_admin' && role === 'admin');
}

const NEEDS_TEXT: Record<Authority, string> = { owner: 'owner', owner_or_admin: 'owner or admin' };

/** Throws 403 `insufficient_role` naming the role needed, unless `role` (undefined: the admin key) may. */
export function checkAuthority(role: BuiltInRole | undefined, who: string, rule: AccessRule): void {
  if (role === undefined || allows(role, rule.needs)) return;
  throw forbidden(
    'insufficient_role',
    `${who} is ${role === 'admin' || role === 'owner' ? 'an' : 'a'} ${role.replace('_', ' ')}; ${rule.area} needs the workspace ${NEEDS_TEXT[rule.needs]} role.`,
    { role, needed: rule.needs === 'owner' ? ['owner'] : ['owner', 'admin'] },
  );
}
