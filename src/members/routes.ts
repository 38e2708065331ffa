// Members in the workspace admin API: /w/{ws}/api/invites and /w/{ws}/api/users.
import { Hono } from 'hono';
import { z } from 'zod';
import { readBody } from '../http/body.js';
import type { AppEnv } from '../http/context.js';
import { ROLE_ASSIGNMENT } from '../roles/admin-access.js';
import { requireAuthority } from '../roles/access-middleware.js';
import { effectivePermissionsView, memberUsageLimitView } from '../usage-limits/usage-limits.js';
import { findMemberByEmail, inviteMember, MEMBER_ROLES, memberView, removeMember, requireMember, updateMember } from './members.js';

const role = z.enum(MEMBER_ROLES);
export const inviteInput = z
  .object({
    // Checked by normalizeEmail (400 invalid_email); the meta tells the OpenAPI document.
    email: z
      .any()
      .refine((v) => v !== undefined, 'required, e.g. "ada@springfield.k12.us"')
      .meta({ type: 'string', format: 'email', description: 'An email address such as "ada@springfield.k12.us" (the domain part: labels of letters, digits and inner hyphens).' }),
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
    // Only owners invite owners and admins (help-center article 8266401).
    if (input.role === 'owner' || input.role === 'admin') requireAuthority(c);
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
  r.get('/:id/usage-limit', (c) => {
    const ws = c.get('ws');
    const member = requireMember(ws, c.req.param('id'));
    return c.json(memberUsageLimitView(c.get('core'), ws, member));
  });
  r.patch('/:id', async (c) => {
    const input = await readBody(c, updateInput);
    const patch = Object.fromEntries(Object.entries(input).filter(([, v]) => v !== undefined));
    // Only owners change roles (help-center article 8266401).
    if (input.role !== undefined && input.role !== requireMember(c.get('ws'), c.req.param('id')).role) requireAuthority(c);
    const m = updateMember(c.get('core'), c.get('ws'), c.req.param('id'), patch, c.get('actor'));
    return c.json(memberView(c.get('core'), c.get('ws'), m));
  });
  r.delete('/:id', (c) => {
    const target = requireMember(c.get('ws'), c.req.param('id'));
    if (target.role === 'owner' || target.role === 'admin') requireAuthority(c, { ...ROLE_ASSIGNMENT, area: 'removing an owner or admin' });
    removeMember(c.get('core'), c.get('ws'), c.req.param('id'), c.get('actor'));
    return c.body(null, 204);
  });
  return r;
}
