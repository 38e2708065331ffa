// Same-origin proof for requests a browser may send with the user's cookies: the `Origin` header
// equal to the server's own origin, or `Sec-Fetch-Site: same-origin` (Fetch Metadata).
import { forbidden } from '../errors.js';
import type { AppContext } from './context.js';

/** Methods that change nothing: a cross-site page cannot read their answers, so no proof is asked. */
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** The origin the request was sent to (its Host already passed the allow-list on the socket). */
export const ownOrigin = (c: AppContext) => new URL(c.req.url).origin;

/** True when the request proves it comes from a page of this origin. */
export function isSameOrigin(c: AppContext): boolean {
  const origin = c.req.header('Origin');
  if (origin !== undefined && origin === ownOrigin(c)) return true;
  return c.req.header('Sec-Fetch-Site')?.toLowerCase() === 'same-origin';
}

/**
 * Refuses (403 `cross_site_request`) a cookie-authenticated request that changes something unless
 * it proves it comes from this origin. Bearer-key requests never reach here: a page cannot attach them.
 */
export function requireSameOrigin(c: AppContext): void {
  if (SAFE_METHODS.has(c.req.method)) return;
  if (isSameOrigin(c)) return;
  const origin = c.req.header('Origin');
  throw forbidden(
    'cross_site_request',
    `A ${c.req.method} with a session cookie must come from a page of ${ownOrigin(c)}, but it came from ${origin === undefined ? 'a page that sent no Origin header' : origin === 'null' ? 'an opaque origin ("null")' : origin}. Scripts and tools should send the emulator admin key as "Authorization: Bearer <key>" instead of a cookie.`,
  );
}
