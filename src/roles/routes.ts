// /w/{ws}/api/roles (the default role and custom roles, their groups) and /w/{ws}/api/apps.
import { Hono } from 'hono';
import { z } from 'zod';
import { readBody } from '../http/body.js';
import type { AppEnv } from '../http/context.js';
import { createRole, defaultRoleView, deleteRole, requireRole, roleView, setDefaultPermissions, setRoleGroups, updateRole } from './roles.js';

const createInput = z.object({ name: z.any(), permissions: z.any().optional() }).strict();
const updateInput = z.object({ name: z.any().optional(), permissions: z.any().optional() }).strict();
const groupsInput = z.object({ groupIds: z.any() }).strict();
const defaultInput = z.object({ permissions: z.any() }).strict();

export function roleRoutes() {
  const r = new Hono<AppEnv>();
  r.get('/', (c) => {
    const ws = c.get('ws');
    return c.json({ default: defaultRoleView(ws), roles: Object.values(ws.roles.custom).map((role) => roleView(ws, role)) });
  });
  r.get('/default', (c) => c.json(defaultRoleView(c.get('ws'))));
  r.put('/default', async (c) => {
    const input = await readBody(c, defaultInput);
    return c.json(setDefaultPermissions(c.get('core'), c.get('ws'), input.permissions, c.get('actor')));
  });
  r.post('/', async (c) => {
    const input = await readBody(c, createInput);
    const role = createRole(c.get('core'), c.get('ws'), input, c.get('actor'));
    return c.json(roleView(c.get('ws'), role), 201);
  });
  r.get('/:id', (c) => c.json(roleView(c.get('ws'), requireRole(c.get('ws'), c.req.param('id')))));
  r.patch('/:id', async (c) => {
    const input = await readBody(c, updateInput);
    const role = updateRole(c.get('core'), c.get('ws'), c.req.param('id'), input, c.get('actor'));
    return c.json(roleView(c.get('ws'), role));
  });
  r.delete('/:id', (c) => {
    deleteRole(c.get('core'), c.get('ws'), c.req.param('id'), c.get('actor'));
    return c.body(null, 204);
  });
  r.put('/:id/groups', async (c) => {
    const input = await readBody(c, groupsInput);
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
