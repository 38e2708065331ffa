// /w/{ws}/api/groups: local groups and their members; SCIM groups are listed read-only.
import { Hono } from 'hono';
import { z } from 'zod';
import { readBody } from '../http/body.js';
import type { AppEnv } from '../http/context.js';
import { memberView } from '../members/members.js';
import { adoptLocalGroup, createLocalGroup, deleteLocalGroup, groupView, renameLocalGroup, requireGroup, setLocalMembers } from './groups.js';

export const groupNameInput = z.object({ displayName: z.string().trim().min(1).max(256) }).strict();
export const groupMembersInput = z.object({ userIds: z.array(z.string()).max(100_000) }).strict();
export const adoptInput = z.object({ into: z.string().min(1) }).strict();

export function groupRoutes() {
  const r = new Hono<AppEnv>();
  r.get('/', (c) => {
    const core = c.get('core');
    const ws = c.get('ws');
    const source = c.req.query('source');
    const groups = Object.values(ws.groups).filter((g) => source === undefined || g.source === source);
    return c.json({ groups: groups.map((g) => groupView(core, ws, g)) });
  });
  r.post('/', async (c) => {
    const input = await readBody(c, groupNameInput);
    const g = createLocalGroup(c.get('core'), c.get('ws'), input.displayName, c.get('actor'));
    return c.json(groupView(c.get('core'), c.get('ws'), g), 201);
  });
  r.get('/:id', (c) => c.json(groupView(c.get('core'), c.get('ws'), requireGroup(c.get('ws'), c.req.param('id')))));
  r.patch('/:id', async (c) => {
    const input = await readBody(c, groupNameInput);
    const g = renameLocalGroup(c.get('core'), c.get('ws'), c.req.param('id'), input.displayName, c.get('actor'));
    return c.json(groupView(c.get('core'), c.get('ws'), g));
  });
  r.delete('/:id', (c) => {
    deleteLocalGroup(c.get('core'), c.get('ws'), c.req.param('id'), c.get('actor'));
    return c.body(null, 204);
  });
  r.get('/:id/members', (c) => {
    const core = c.get('core');
    const ws = c.get('ws');
    const g = requireGroup(ws, c.req.param('id'));
    const ids = core.index(ws).groupMembers.get(g.id) ?? new Set<string>();
    return c.json({ members: [...ids].flatMap((id) => (ws.members[id] ? [memberView(core, ws, ws.members[id]!)] : [])) });
  });
  r.put('/:id/members', async (c) => {
    const input = await readBody(c, groupMembersInput);
    const g = setLocalMembers(c.get('core'), c.get('ws'), c.req.param('id'), input.userIds, c.get('actor'));
    return c.json(groupView(c.get('core'), c.get('ws'), g));
  });
  r.post('/:id/adopt', async (c) => {
    const input = await readBody(c, adoptInput);
    const g = adoptLocalGroup(c.get('core'), c.get('ws'), c.req.param('id'), input.into, c.get('actor'));
    return c.json(groupView(c.get('core'), c.get('ws'), g));
  });
  return r;
}
