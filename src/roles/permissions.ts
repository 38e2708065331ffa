// Permission keys of SPEC §1 and how permissions combine: a member's effective permissions are
// the default role's united with every role reached through their groups — booleans OR-ed, app
// lists united, the credit limit the maximum. Roles only add, never remove.
import { z } from 'zod';
import { badRequest } from '../errors.js';

export const BOOLEAN_PERMISSIONS = [
  'gpts.use',
  'gpts.create',
  'gpts.share',
  'gpts.publish_workspace',
  'skills.use',
  'skills.create',
  'skills.publish_workspace',
  'skills.install_for_others',
  'models.advanced',
  'codex.use',
  'codex.internet',
  'canvas.code_execution',
  'canvas.network',
  'agent.use',
  'search.web',
  'projects.use',
  'projects.share',
  'record.use',
] as const;
export type BooleanPermission = (typeof BOOLEAN_PERMISSIONS)[number];

export const PERMISSION_KEYS = [...BOOLEAN_PERMISSIONS, 'apps', 'credits.monthly_limit'] as const;
export type PermissionKey = (typeof PERMISSION_KEYS)[number];

/** A full set of permissions (every key present). */
export type Permissions = { [K in BooleanPermission]: boolean } & { apps: string[]; 'credits.monthly_limit': number };
/** What a role grants (any subset of keys). */
export type PermissionGrant = Partial<Permissions>;

const booleanShape = Object.fromEntries(BOOLEAN_PERMISSIONS.map((k) => [k, z.boolean()])) as { [K in BooleanPermission]: z.ZodBoolean };
/** The documented shape of a full set of permissions (the default role, a member's effective permissions). */
export const permissionsSchema = z.object({ ...booleanShape, apps: z.array(z.string()), 'credits.monthly_limit': z.number() });
/** The documented shape of a role's grant. */
export const permissionGrantSchema = permissionsSchema.partial();

const BOOLEAN_SET: ReadonlySet<string> = new Set(BOOLEAN_PERMISSIONS);
const KEY_SET: ReadonlySet<string> = new Set(PERMISSION_KEYS);

/** The workspace default role as a new workspace has it: everyday tools on, elevated ones off. */
export const DEFAULT_BASELINE: Permissions = {
  'gpts.use': true,
  'gpts.create': true,
  'gpts.share': true,
  'gpts.publish_workspace': false,
  'skills.use': true,
  'skills.create': true,
  'skills.publish_workspace': false,
  'skills.install_for_others': false,
  'models.advanced': false,
  'codex.use': false,
  'codex.internet': false,
  'canvas.code_execution': true,
  'canvas.network': false,
  'agent.use': false,
  'search.web': true,
  'projects.use': true,
  'projects.share': true,
  'record.use': false,
  apps: [],
  'credits.monthly_limit': 100,
};

/** Nothing at all: what a deactivated member has. */
export function noPermissions(): Permissions {
  const none = Object.fromEntries(BOOLEAN_PERMISSIONS.map((k) => [k, false])) as { [K in BooleanPermission]: boolean };
  return { ...none, apps: [], 'credits.monthly_limit': 0 };
}

/**
 * Checks a permission map from a request: known keys, right types, apps from the catalog.
 * Throws 400 `invalid_permission` naming the valid keys, or `unknown_app`.
 */
export function parseGrant(input: unknown, appIds: ReadonlySet<string>, where = 'permissions'): PermissionGrant {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw badRequest('invalid_permission', `"${where}" must be an object of permission keys, e.g. {"gpts.publish_workspace": true}. Valid keys: ${PERMISSION_KEYS.join(', ')}.`);
  }
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(input)) {
    if (!KEY_SET.has(key)) {
      throw badRequest('invalid_permission', `Unknown permission "${key}". Valid keys: ${PERMISSION_KEYS.join(', ')}.`, { key });
    }
    if (BOOLEAN_SET.has(key)) {
      if (typeof value !== 'boolean') throw badRequest('invalid_permission', `"${key}" takes true or false, got ${JSON.stringify(value)}.`, { key });
    } else if (key === 'apps') {
      if (!Array.isArray(value) || value.some((v) => typeof v !== 'string')) {
        throw badRequest('invalid_permission', `"apps" takes a list of app ids, got ${JSON.stringify(value)}.`, { key });
      }
      const unknown = value.filter((v) => !appIds.has(v as string));
      if (unknown.length > 0) {
        throw badRequest('unknown_app', `Unknown app id(s) ${JSON.stringify(unknown)}: apps must come from the workspace's app catalog (GET /api/apps): ${[...appIds].join(', ')}.`, { apps: unknown });
      }
      out[key] = [...new Set(value as string[])];
      continue;
    } else if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
      throw badRequest('invalid_permission', `"credits.monthly_limit" takes a number of credits, 0 or more, got ${JSON.stringify(value)}.`, { key });
    }
    out[key] = value;
  }
  return out as PermissionGrant;
}

/** Whether `grant` adds anything to `base` for `key`. */
export function addsTo(base: Permissions, grant: PermissionGrant, key: PermissionKey): boolean {
  const value = grant[key];
  if (value === undefined) return false;
  if (key === 'apps') return (value as string[]).some((a) => !base.apps.includes(a));
  if (key === 'credits.monthly_limit') return (value as number) > base['credits.monthly_limit'];
  return value === true && base[key as BooleanPermission] !== true;
}

/** Unites a grant into permissions in place (OR, union, maximum). */
export function unite(into: Permissions, grant: PermissionGrant): void {
  for (const key of BOOLEAN_PERMISSIONS) if (grant[key] === true) into[key] = true;
  if (grant.apps) for (const app of grant.apps) if (!into.apps.includes(app)) into.apps.push(app);
  const limit = grant['credits.monthly_limit'];
  if (limit !== undefined && limit > into['credits.monthly_limit']) into['credits.monthly_limit'] = limit;
}

/** A full permission set from the default role's stored values. */
export function baseline(defaults: PermissionGrant): Permissions {
  const p: Permissions = { ...DEFAULT_BASELINE, apps: [...DEFAULT_BASELINE.apps], ...defaults } as Permissions;
  p.apps = [...(defaults.apps ?? DEFAULT_BASELINE.apps)];
  return p;
}
