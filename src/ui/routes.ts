// The web console (/w/{ws}/admin) and the sign-in page (/w/{ws}/login), server-rendered.
import { Hono } from 'hono';
import type { AppEnv } from '../http/context.js';

export function consoleRoutes() {
  return new Hono<AppEnv>();
}
