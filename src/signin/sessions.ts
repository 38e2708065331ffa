// Browser sessions of signed-in members, pure of HTTP: an opaque token (carried in a cookie, see
// session-cookie.ts); only its hash is kept, in memory (a restart signs everyone out).
import { createHash, randomBytes } from 'node:crypto';

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
