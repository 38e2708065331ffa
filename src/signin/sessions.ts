// Browser sessions of signed-in members: an opaque token in an HttpOnly SameSite=Lax cookie
// scoped to the workspace's path; only its hash is kept, in memory (a restart signs everyone out).
import { createHash, randomBytes } from 'node:crypto';
import type { Context } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';

export const SESSION_COOKIE = 'edu_session';
export const SESSION_TTL_MS = 8 * 3_600_000;

export interface Session {
  workspace: string;
  memberId: string;
  method: string;
  createdAt: number;
  expiresAt: number;
}

const hashToken = (token: string) => createHash('sha256').update(token).digest('base64url');

export class SessionStore {
  private readonly sessions = new Map<string, Session>();

  create(workspace: string, memberId: string, method: string, nowMs: number): string {
    // Sessions share one lifetime: expired ones sit at the front of the Map (insertion order).
    for (const [key, s] of this.sessions) {
      if (s.expiresAt > nowMs) break;
      this.sessions.delete(key);
    }
    const token = randomBytes(32).toString('base64url');
    this.sessions.set(hashToken(token), { workspace, memberId, method, createdAt: nowMs, expiresAt: nowMs + SESSION_TTL_MS });
    return token;
  }

  /** The live session of a token in this workspace, or undefined. */
  get(token: string | undefined, workspace: string, nowMs: number): Session | undefined {
    if (!token) return undefined;
    const key = hashToken(token);
    const s = this.sessions.get(key);
    if (!s || s.workspace !== workspace) return undefined;
    if (nowMs >= s.expiresAt) {
      this.sessions.delete(key);
      return undefined;
    }
    return s;
  }

  revoke(token: string | undefined): void {
    if (token) this.sessions.delete(hashToken(token));
  }
}

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
