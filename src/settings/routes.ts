// /w/{ws}/api/settings: read and change the workspace's sign-in related settings.
import { Hono } from 'hono';
import { z } from 'zod';
import { readBody } from '../http/body.js';
import type { AppEnv } from '../http/context.js';
import { settingsView, updateSettings } from './settings.js';

export const settingsPatch = z
  .object({
    automaticAccountCreation: z.boolean().optional(),
    breakGlass: z.boolean().optional(),
    /** docs/rules.md §17: `lenient` accepts what real SCIM clients commonly send, each acceptance a `warn` finding. */
    scimCompatibility: z.enum(['strict', 'lenient']).optional(),
  })
  .strict();

export function settingsRoutes() {
  const r = new Hono<AppEnv>();
  r.get('/', (c) => c.json(settingsView(c.get('ws'))));
  r.patch('/', async (c) => {
    const input = await readBody(c, settingsPatch);
    const patch = Object.fromEntries(Object.entries(input).filter(([, v]) => v !== undefined));
    return c.json(updateSettings(c.get('core'), c.get('ws'), patch, c.get('actor')));
  });
  return r;
}
