// Members in the workspace admin API: /w/{ws}/api/invites and /w/{ws}/api/users.
import { Hono } from 'hono';
import { z } from 'zod';
import { readBody } from '../http/body.js';
import type { AppEnv } from '../http/context.js';
import { effectivePermissionsView } from '../roles/roles.js';
import { findMemberByEmail, inviteMember, memberView, removeMember, requireMember, updateMember } from './members.js';

const role = z.enum(['owner', 'admin', 'member']);
export const inviteInput = z
  .object({
    email: z.any().refine((v) => v !== undefined, 'required, e.g. "ada@springfield.k12.us"'),
    role: role.optional(),
    password: z.string().optional(),
    givenName: z.string().max(200).optional(),
    familyName: z.string().max(200).optional(),
  })
  .strict();
export const updateInput = z.object({ role: role.optional(), password: z.string().optional() }).strict();

export function inviteRoutes() {
  const r = new Hono<AppEnv>();
  r.post('/', async (c) => {
    const input = await readBody(c, inviteInput);
    const { email, ...rest } = input;
    const clean = Object.fromEntries(Object.entries(rest).filter(([, v]) => v !== undefined));
    const m = inviteMember(c.get('core'), c.get('ws'), { email, ...clean }, c.get('actor'));
    return c.json(memberView(c.get('core'), c.get('ws'), m), 201);
  });
  return r;
}

export function userRoutes() {
  const r = new Hono<AppEnv>();
  r.get('/', (c) => {
    const core = c.get('core');
    const ws = c.get('ws');
    const email = c.req.query('email');
    if (email !== undefined) {
      const m = findMemberByEmail(core, ws, email.trim());
      return c.json({ users: m ? [memberView(core, ws, m)] : [] });
    }
    return c.json({ users: Object.values(ws.members).map((m) => memberView(core, ws, m)) });
  });
  r.get('/:id', (c) => c.json(memberView(c.get('core'), c.get('ws'), requireMember(c.get('ws'), c.req.param('id')))));
  r.get('/:id/permissions', (c) => {
    const ws = c.get('ws');
    const member = requireMember(ws, c.req.param('id'));
    return c.json(effectivePermissionsView(c.get('core'), ws, member));
  });
  r.patch('/:id', async (c) => {
    const input = await readBody(c, updateInput);
    const patch = Object.fromEntries(Object.entries(input).filter(([, v]) => v !== undefined));
    const m = updateMember(c.get('core'), c.get('ws'), c.req.param('id'), patch, c.get('actor'));
    return c.json(memberView(c.get('core'), c.get('ws'), m));
  });
  r.delete('/:id', (c) => {
    removeMember(c.get('core'), c.get('ws'), c.req.param('id'), c.get('actor'));
    return c.body(null, 204);
  });
  return r;
}
