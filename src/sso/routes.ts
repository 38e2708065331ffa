// The SSO connection in the workspace admin API: GET/PUT/DELETE /w/{ws}/api/sso.
import { Hono } from 'hono';
import type { AppEnv } from '../http/context.js';
import { readJson } from '../http/body.js';
import { connectionView, removeConnection, setConnection } from './connection.js';
import { connectionFromRequest } from './connection-sources.js';

export function ssoAdminRoutes() {
  const r = new Hono<AppEnv>();
  r.get('/', (c) => c.json(connectionView(c.get('ws'), new URL(c.req.url).origin)));
  r.put('/', async (c) => {
    const raw = await readJson(c);
    const origin = new URL(c.req.url).origin;
    // {"protocol","mockIdp"} wires the built-in mock IdP on both sides in one call (idp/connect.ts plugs it in).
    const connection = connectionFromRequest(c.get('core'), c.get('ws'), origin, raw, c.get('actor'));
    setConnection(c.get('core'), c.get('ws'), connection, c.get('actor'));
    return c.json(connectionView(c.get('ws'), origin));
  });
  r.delete('/', (c) => {
    removeConnection(c.get('core'), c.get('ws'), c.get('actor'));
    return c.body(null, 204);
  });
  return r;
}
