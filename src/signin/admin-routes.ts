// Sign-in policy in the workspace admin API: `sign-in/check` (no side effects) and
// `sso/enforcement`.
import { Hono } from 'hono';
import { z } from 'zod';
import { badRequest } from '../errors.js';
import { readBody } from '../http/body.js';
import type { AppEnv } from '../http/context.js';
import { ENFORCEMENT_LEVELS } from '../store/state.js';
import { enforcementView, setEnforcement } from './enforcement.js';
import { REFUSAL_REASONS } from './policy.js';
import { previewEnforcement } from './enforcement-preview.js';
import { refusalMessage, checkSignIn } from './sign-in.js';

export const checkInput = z.object({ email: z.string(), method: z.enum(['password', 'social', 'sso']) }).strict();
export const enforcementInput = z.object({ level: z.enum(ENFORCEMENT_LEVELS), force: z.boolean().optional() }).strict();

/** The answer of `sign-in/check`: the decision, and for a refusal its reason and what to do. */
export const signInCheckViewSchema = z.union([
  z.object({ outcome: z.literal('allowed'), createMember: z.literal(true).optional(), breakGlass: z.literal(true).optional() }),
  z.object({ outcome: z.literal('denied'), reason: z.enum(REFUSAL_REASONS), message: z.string() }),
]);
export type SignInCheckView = z.output<typeof signInCheckViewSchema>;

export function signInCheckRoutes() {
  const r = new Hono<AppEnv>();
  r.post('/', async (c) => {
    const input = await readBody(c, checkInput);
    const decision = checkSignIn(c.get('core'), c.get('ws'), input.email, input.method);
    const view: SignInCheckView = decision.outcome === 'denied' ? { ...decision, message: refusalMessage(decision.reason) } : decision;
    return c.json(view);
  });
  return r;
}

export function enforcementRoutes() {
  const r = new Hono<AppEnv>();
  r.get('/', (c) => c.json(enforcementView(c.get('ws'))));
  // The what-if: who each level would block, from the evaluator that enforces sign-in.
  r.get('/preview', (c) => {
    const level = c.req.query('level');
    if (!(ENFORCEMENT_LEVELS as readonly string[]).includes(level ?? '')) {
      throw badRequest(
        'invalid_enforcement_level',
        `level is ${level === undefined ? 'missing' : JSON.stringify(level)}; ask GET /w/${c.get('ws').id}/api/sso/enforcement/preview?level= with one of ${ENFORCEMENT_LEVELS.join(', ')}.`,
      );
    }
    return c.json(previewEnforcement(c.get('core'), c.get('ws'), level as (typeof ENFORCEMENT_LEVELS)[number]));
  });
  r.put('/', async (c) => {
    const input = await readBody(c, enforcementInput);
    return c.json(setEnforcement(c.get('core'), c.get('ws'), input.level, input.force === true, c.get('actor')));
  });
  return r;
}
