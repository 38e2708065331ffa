// /w/{ws}/api/roles (the default role and custom roles, their groups) and /w/{ws}/api/apps.
import { Hono } from 'hono';
import { z } from 'zod';
import { readBody } from '../http/body.js';
import type { AppEnv } from '../http/context.js';
import { APPS_ENTRY, CREDIT_LIMIT_ALIAS, PERMISSION_ALIASES, PERMISSION_CATALOGUE } from './permissions.js';
import { createRole, defaultRoleView, deleteRole, requireRole, roleView, setDefaultPermissions, setRoleGroups, updateRole } from './roles.js';

// Permission keys and values are checked by parseGrant, which names the valid keys and app ids.
const permissionMap = z.record(z.string(), z.unknown()).meta({
  description:
    'Permission keys of the catalogue (docs/roles-and-administration.md) to values: booleans, `apps` (a list of app ids from /api/apps), and the alias `credits.monthly_limit` (credits per month, or null: a usage-limit default). Keys left out of a new role are filled from the default role.',
});
const restrictive = z.boolean().meta({ description: 'The role is meant to take everyday tools away (a student or Lockdown Mode role); readiness does not flag it.' });
export const roleCreateInput = z.object({ name: z.string().trim().min(1).max(100), permissions: permissionMap.optional(), restrictive: restrictive.optional() }).strict();
export const roleUpdateInput = z.object({ name: z.string().trim().min(1).max(100).optional(), permissions: permissionMap.optional(), restrictive: restrictive.optional() }).strict();
export const roleGroupsInput = z.object({ groupIds: z.array(z.string()).max(10_000) }).strict();
export const defaultRoleInput = z.object({ permissions: permissionMap }).strict();

/** One entry of the permission catalogue in words (documented shape). */
export const catalogueEntrySchema = z.object({
  key: z.string(),
  area: z.string(),
  label: z.string(),
  description: z.string(),
  default: z.union([z.boolean(), z.array(z.string())]).optional(),
  alias: z.boolean().optional(),
});

/** The permission catalogue in words, as GET /roles gives it (the console and clients label keys with it). */
const PERMISSION_CATALOGUE_VIEW: z.output<typeof catalogueEntrySchema>[] = [
  ...PERMISSION_CATALOGUE.map((e) => ({ key: e.key, area: e.area, label: e.label, description: e.description, default: e.default })),
  { key: APPS_ENTRY.key, area: APPS_ENTRY.area, label: APPS_ENTRY.label, description: APPS_ENTRY.description, default: [] },
  { key: CREDIT_LIMIT_ALIAS, area: 'Usage limits', ...PERMISSION_ALIASES[CREDIT_LIMIT_ALIAS], alias: true },
];

export function roleRoutes() {
  const r = new Hono<AppEnv>();
  r.get('/', (c) => {
    const ws = c.get('ws');
    return c.json({ default: defaultRoleView(ws), roles: Object.values(ws.roles.custom).map((role) => roleView(ws, role)), catalogue: PERMISSION_CATALOGUE_VIEW });
  });
  r.get('/default', (c) => c.json(defaultRoleView(c.get('ws'))));
  r.put('/default', async (c) => {
    const input = await readBody(c, defaultRoleInput);
    return c.json(setDefaultPermissions(c.get('core'), c.get('ws'), input.permissions, c.get('actor')));
  });
  r.post('/', async (c) => {
    const input = await readBody(c, roleCreateInput);
    const role = createRole(c.get('core'), c.get('ws'), input, c.get('actor'));
    return c.json(roleView(c.get('ws'), role), 201);
  });
  r.get('/:id', (c) => c.json(roleView(c.get('ws'), requireRole(c.get('ws'), c.req.param('id')))));
  r.patch('/:id', async (c) => {
    const input = await readBody(c, roleUpdateInput);
    const role = updateRole(c.get('core'), c.get('ws'), c.req.param('id'), input, c.get('actor'));
    return c.json(roleView(c.get('ws'), role));
  });
  r.delete('/:id', (c) => {
    deleteRole(c.get('core'), c.get('ws'), c.req.param('id'), c.get('actor'));
    return c.body(null, 204);
  });
  r.put('/:id/groups', async (c) => {
    const input = await readBody(c, roleGroupsInput);
    const role = setRoleGroups(c.get('core'), c.get('ws'), c.req.param('id'), input.groupIds, c.get('actor'));
    return c.json(roleView(c.get('ws'), role));
  });
  return r;
}

export function appRoutes() {
  const r = new Hono<AppEnv>();
  r.get('/', (c) => c.json({ apps: c.get('ws').roles.apps }));
  return r;
}
