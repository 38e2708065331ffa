// The HTTP edge of member sessions: the session token in an HttpOnly SameSite=Lax cookie scoped
// to the workspace's path (RFC 6265 §4.1), kept apart so the session store stays HTTP-free.
import type { Context } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { SESSION_TTL_MS } from './sessions.js';

export const SESSION_COOKIE = 'edu_session';

export function setSessionCookie(c: Context, workspace: string, token: string): void {
  setCookie(c, SESSION_COOKIE, token, {
    path: `/w/${workspace}`,
    httpOnly: true,
    // Lax, not Strict: after an IdP's cross-site POST to the ACS the browser must send it on the
    // landing page (test/browser/cross-site-acs.test.ts). Origin checks are the CSRF defence.
    sameSite: 'Lax',
    maxAge: SESSION_TTL_MS / 1000,
  });
}

export const sessionToken = (c: Context) => getCookie(c, SESSION_COOKIE);

export function clearSessionCookie(c: Context, workspace: string): void {
  deleteCookie(c, SESSION_COOKIE, { path: `/w/${workspace}` });
}
