// One-shot messages between a console form's POST and the page it redirects to (post/redirect/get):
// kept in memory under a random id in a short-lived cookie, so secrets never travel in a URL.
import { randomBytes } from 'node:crypto';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { runtimeSlot } from '../emulator.js';
import type { AppContext } from '../http/context.js';

export interface Flash {
  tone: 'ok' | 'error' | 'info';
  /** The headline, in plain words. */
  text: string;
  /** More lines: what was found, what to do next. */
  details?: string[];
  /** The API's stable error code, when the API refused (shown under "details for developers"). */
  code?: string;
  /** The API's own message and status, for the "details for developers" disclosure. */
  developer?: string;
  /** A value shown only this once (a SCIM token), with a copy button. */
  secret?: { label: string; value: string };
}

const FLASH_COOKIE = 'edu_console_flash';
const FLASH_TTL_MS = 5 * 60_000;
/** Per emulator, the messages waiting for their page, by id. */
export const CONSOLE_FLASHES = runtimeSlot('console flashes', () => new Map<string, { flash: Flash; expiresAt: number }>());

/** Keeps a message for the next page this browser loads. */
export function setFlash(c: AppContext, flash: Flash): void {
  const flashes = c.get('core').runtime(CONSOLE_FLASHES);
  const now = Date.now();
  for (const [id, f] of flashes) if (f.expiresAt <= now) flashes.delete(id);
  const id = randomBytes(16).toString('base64url');
  flashes.set(id, { flash, expiresAt: now + FLASH_TTL_MS });
  setCookie(c, FLASH_COOKIE, id, { path: `/w/${c.get('ws').id}`, httpOnly: true, sameSite: 'Lax', maxAge: FLASH_TTL_MS / 1000 });
}

/** The message left for this page, removed as it is read. */
export function takeFlash(c: AppContext): Flash | undefined {
  const id = getCookie(c, FLASH_COOKIE);
  if (!id) return undefined;
  deleteCookie(c, FLASH_COOKIE, { path: `/w/${c.get('ws').id}` });
  const flashes = c.get('core').runtime(CONSOLE_FLASHES);
  const entry = flashes.get(id);
  flashes.delete(id);
  return entry && entry.expiresAt > Date.now() ? entry.flash : undefined;
}
