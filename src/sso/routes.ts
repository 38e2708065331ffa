// The SSO connection in the workspace admin API: GET/PUT/DELETE /w/{ws}/api/sso. A PUT that swaps
// the IdP while enforcement is on is refused (409 enforcement_active) unless `force: true`.
import { Hono } from 'hono';
import type { AppEnv } from '../http/context.js';
import { readJson } from '../http/body.js';
import { connectionView, guardConnectionSwap, removeConnection, setConnection } from './connection.js';
import { connectionFromRequest } from './connection-sources.js';
import { SAML_WARM_UP, warmUpSaml } from './saml/warm-up.js';

export function ssoAdminRoutes() {
  const r = new Hono<AppEnv>();
  r.get('/', (c) => c.json(connectionView(c.get('ws'), new URL(c.req.url).origin)));
  r.put('/', async (c) => {
    const raw = await readJson(c);
    // The first SAML configuration of a process waits for the SAML warm-up (once, a few hundred
    // ms), so that the first sign-in does not (docs/performance.md §5). It changes nothing; the
    // workspace is looked up again after it, to act on what is there now. An emulator set to
    // `load` (SAML_WARM_UP) only starts the loading, as every SAML configuration does.
    if ((raw as { protocol?: unknown } | null)?.protocol === 'saml' && c.get('core').runtime(SAML_WARM_UP).mode === 'full') await warmUpSaml();
    const origin = new URL(c.req.url).origin;
    const ws = c.get('core').requireWorkspace(c.get('ws').id);
    // A non-boolean `force` is refused by the schema when the connection is parsed.
    const force = (raw as { force?: unknown } | null)?.force === true;
    // {"protocol","mockIdp"} wires the built-in mock IdP on both sides in one call (idp/connect.ts
    // plugs it in); the swap guard runs before the IdP registers the workspace, so a refusal changes nothing.
    const connection = connectionFromRequest(c.get('core'), ws, origin, raw, c.get('actor'), (next) => guardConnectionSwap(ws, next, force));
    setConnection(c.get('core'), ws, connection, c.get('actor'), { force });
    return c.json(connectionView(ws, origin));
  });
  r.delete('/', (c) => {
    removeConnection(c.get('core'), c.get('ws'), c.get('actor'));
    return c.body(null, 204);
  });
  return r;
}
