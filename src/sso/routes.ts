// The SSO connection in the workspace admin API: GET/PUT/DELETE /w/{ws}/api/sso.
import { Hono } from 'hono';
import type { AppEnv } from '../http/context.js';
import { readJson } from '../http/body.js';
import { connectionView, parseConnection, removeConnection, setConnection } from './connection.js';

export function ssoAdminRoutes() {
  const r = new Hono<AppEnv>();
  r.get('/', (c) => c.json(connectionView(c.get('ws'), new URL(c.req.url).origin)));
  r.put('/', async (c) => {
    const connection = parseConnection(await readJson(c));
    setConnection(c.get('core'), c.get('ws'), connection, c.get('actor'));
    return c.json(connectionView(c.get('ws'), new URL(c.req.url).origin));
  });
  r.delete('/', (c) => {
    removeConnection(c.get('core'), c.get('ws'), c.get('actor'));
    return c.body(null, 204);
  });
  return r;
}
