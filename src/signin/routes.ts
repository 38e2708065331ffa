// Sign-in endpoints of a workspace (docs/http-api.md §5): password and social sign-in, sign-out and `/me`.
// SSO sign-in lives with the protocols (src/sso); all of them end in the same session cookie.
import { Hono } from 'hono';
import { z } from 'zod';
import { EmulatorError, unauthorized } from '../errors.js';
import { readBody } from '../http/body.js';
import type { AppContext, AppEnv } from '../http/context.js';
import { memberView, normalizeEmail } from '../members/members.js';
import type { MemberRecord } from '../store/state.js';
import { clearSessionCookie, sessionToken, setSessionCookie } from './session-cookie.js';
import { performSignIn, type SignInResult } from './sign-in.js';

const passwordInput = z.object({ email: z.string(), password: z.string() }).strict();
const socialInput = z.object({ email: z.string(), provider: z.enum(['google', 'microsoft', 'apple']) }).strict();

/** Answers a finished sign-in: a session cookie on success, 403 with the reason code otherwise. */
export function signInResponse(c: AppContext, result: SignInResult, method: string) {
  const core = c.get('core');
  const ws = c.get('ws');
  if (result.outcome === 'denied') {
    throw new EmulatorError({ code: result.reason, status: 403, message: result.message, details: { outcome: 'denied', reason: result.reason } });
  }
  startSession(c, result.member, method);
  return c.json({ outcome: 'allowed', member: memberView(core, ws, result.member), ...(result.breakGlass ? { breakGlass: true } : {}) });
}

/** Starts a session for a member and sets its cookie. */
export function startSession(c: AppContext, member: MemberRecord, method: string): void {
  const core = c.get('core');
  const ws = c.get('ws');
  const token = core.sessions.create(ws.id, member.id, method, core.clockFor(ws.id).nowMs());
  setSessionCookie(c, ws.id, token);
}

/** The member of the request's session, if it is live and the member may still sign in. */
export function sessionMember(c: AppContext): MemberRecord | undefined {
  const core = c.get('core');
  const ws = c.get('ws');
  const session = core.sessions.get(sessionToken(c), ws.id, core.clockFor(ws.id).nowMs());
  if (!session) return undefined;
  const m = ws.members[session.memberId];
  return m && m.status !== 'deactivated' ? m : undefined;
}

export function signInRoutes() {
  const r = new Hono<AppEnv>();
  r.post('/login/password', async (c) => {
    const input = await readBody(c, passwordInput);
    const email = normalizeEmail(input.email);
    return signInResponse(c, performSignIn(c.get('core'), c.get('ws'), { method: 'password', email, password: input.password }), 'password');
  });
  r.post('/login/social', async (c) => {
    const input = await readBody(c, socialInput);
    const email = normalizeEmail(input.email);
    return signInResponse(
      c,
      performSignIn(c.get('core'), c.get('ws'), { method: 'social', email, detail: { provider: input.provider } }),
      'social',
    );
  });
  r.post('/logout', (c) => {
    c.get('core').sessions.revoke(sessionToken(c));
    clearSessionCookie(c, c.get('ws').id);
    return c.body(null, 204);
  });
  r.get('/me', (c) => {
    const m = sessionMember(c);
    if (!m) throw unauthorized('not_signed_in', `No signed-in member: sign in at /w/${c.get('ws').id}/login first.`);
    return c.json(memberView(c.get('core'), c.get('ws'), m));
  });
  return r;
}
