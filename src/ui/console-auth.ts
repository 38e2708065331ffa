// Who is using the console: the emulator admin key (sent as Authorization, or given once as
// `?key=` and exchanged for an HttpOnly console cookie) or the session of a workspace owner or admin.
import { createHash, randomBytes } from 'node:crypto';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { runtimeSlot } from '../emulator.js';
import { forbidden, unauthorized } from '../errors.js';
import { bearerToken } from '../http/auth.js';
import type { AppContext } from '../http/context.js';
import { sessionMember } from '../signin/routes.js';
import { SESSION_COOKIE, sessionToken } from '../signin/session-cookie.js';
import { callHttp } from './admin-api.js';
import type { ConsoleUser } from './console-user.js';

export type { ConsoleUser } from './console-user.js';

export const CONSOLE_COOKIE = 'edu_console';
const CONSOLE_TTL_MS = 8 * 3_600_000;

interface ConsoleSession {
  workspace: string;
  adminKey: string;
  expiresAt: number;
}

const hash = (s: string) => createHash('sha256').update(s).digest('base64url');
/** Per emulator: console sessions by token hash, and admin keys already checked (by hash). */
export const CONSOLE_SIGN_INS = runtimeSlot('console sign-ins', () => ({
  sessions: new Map<string, ConsoleSession>(),
  knownKeys: new Set<string>(),
}));

const sessionsOf = (c: AppContext) => c.get('core').runtime(CONSOLE_SIGN_INS).sessions;

/** Asks the control plane whether `key` is the emulator admin key (the console never sees the real one). */
async function isAdminKey(c: AppContext, key: string): Promise<boolean> {
  const known = c.get('core').runtime(CONSOLE_SIGN_INS).knownKeys;
  if (known.has(hash(key))) return true;
  const res = await callHttp(c, 'GET', `/_emulator/workspaces/${encodeURIComponent(c.get('ws').id)}`, { headers: { Authorization: `Bearer ${key}` } });
  if (res.status !== 200) return false;
  known.add(hash(key));
  return true;
}

/** Exchanges an admin key for a console cookie; false when the key is wrong. */
export async function exchangeKey(c: AppContext, key: string): Promise<boolean> {
  if (!(await isAdminKey(c, key))) return false;
  const token = randomBytes(32).toString('base64url');
  const ws = c.get('ws').id;
  sessionsOf(c).set(hash(token), { workspace: ws, adminKey: key, expiresAt: Date.now() + CONSOLE_TTL_MS });
  // Strict: the console is never entered from another site with this cookie (the Origin checks
  // are the CSRF defence; this keeps the admin-key session off every cross-site navigation too).
  setCookie(c, CONSOLE_COOKIE, token, { path: `/w/${ws}`, httpOnly: true, sameSite: 'Strict', maxAge: CONSOLE_TTL_MS / 1000 });
  return true;
}

/** Ends the console's admin-key session (a member session is ended by signing out). */
export function leaveConsole(c: AppContext): void {
  const token = getCookie(c, CONSOLE_COOKIE);
  if (token) sessionsOf(c).delete(hash(token));
  deleteCookie(c, CONSOLE_COOKIE, { path: `/w/${c.get('ws').id}` });
}

/**
 * The console user of a request, or undefined when nobody is signed in. A wrong admin key in the
 * Authorization header is a 401; a member who is neither owner nor admin is a 403.
 */
export async function consoleUser(c: AppContext): Promise<ConsoleUser | undefined> {
  const bearer = bearerToken(c.req.header('Authorization'));
  if (bearer !== undefined) {
    if (await isAdminKey(c, bearer)) return { kind: 'key', adminKey: bearer };
    throw unauthorized('unauthorized', 'The bearer token is not the emulator admin key. Use the key printed by edu-emulator serve.');
  }
  const token = getCookie(c, CONSOLE_COOKIE);
  if (token) {
    const s = sessionsOf(c).get(hash(token));
    if (s && s.workspace === c.get('ws').id && s.expiresAt > Date.now()) return { kind: 'key', adminKey: s.adminKey };
  }
  const member = sessionMember(c);
  if (member) {
    if (member.role !== 'owner' && member.role !== 'admin') {
      throw forbidden('forbidden', `${member.email} is a ${member.role}; the web console is for workspace owners and admins.`);
    }
    return { kind: 'member', email: member.email, role: member.role, cookie: `${SESSION_COOKIE}=${sessionToken(c)}` };
  }
  return undefined;
}

/** Who the console acts as, in words. */
export const describeUser = (u: ConsoleUser) => (u.kind === 'key' ? 'the emulator admin key' : `${u.email} (${u.role})`);
