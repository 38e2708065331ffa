// /w/{ws}/api/usage-limits: the workspace default, group defaults and user overrides of monthly
// credits (help.openai.com article 20001001); a member's own limit is /api/users/{id}/usage-limit.
import { Hono } from 'hono';
import { z } from 'zod';
import { readBody } from '../http/body.js';
import type { AppEnv } from '../http/context.js';
import { setUsageLimits, usageLimitsView } from './usage-limits.js';

const limit = z
  .number()
  .int()
  .nonnegative()
  .nullable()
  .meta({ description: 'Credits per user per UTC calendar month; null: no limit.' });

export const usageLimitsInput = z
  .object({
    workspaceDefault: limit.optional(),
    groups: z.array(z.object({ group: z.string().min(1).meta({ description: 'Group id or display name.' }), limit }).strict()).max(10_000).optional(),
    users: z.array(z.object({ user: z.string().min(1).meta({ description: 'Member id or email.' }), limit }).strict()).max(100_000).optional(),
  })
  .strict()
  .meta({ description: 'Replaces the usage-limit settings; a part left out becomes empty.' });

export function usageLimitRoutes() {
  const r = new Hono<AppEnv>();
  r.get('/', (c) => c.json(usageLimitsView(c.get('ws'))));
  r.put('/', async (c) => {
    const input = await readBody(c, usageLimitsInput);
    return c.json(setUsageLimits(c.get('core'), c.get('ws'), input, c.get('actor')));
  });
  return r;
}
