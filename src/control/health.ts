// `GET /_emulator/health` and the path of the state import: what the app factory answers before
// the other routes have loaded (docs/performance.md §2).
import type { Context } from 'hono';
import type { EmulatorCore } from '../emulator.js';
import { VERSION } from '../version.js';

/** Where a state document is imported; it has its own body limit, STATE_IMPORT_MAX_BYTES. */
export const STATE_IMPORT_PATH = '/_emulator/state';

/**
 * `{"status":"ok"}`, or 503 `{"status":"degraded","reason"}` while the store cannot save changes,
 * or for good when the emulator's routes could not be loaded (`unavailable` says why).
 */
export function healthResponse(c: Context, core: EmulatorCore, unavailable?: string): Response {
  const health = core.tracker.health;
  if (unavailable !== undefined) return c.json({ status: 'degraded', reason: unavailable, version: VERSION }, 503);
  if (health.ok) return c.json({ status: 'ok', version: VERSION });
  return c.json({ status: 'degraded', reason: health.reason, version: VERSION }, 503);
}
