// The built-in mock identity provider over HTTP: /idp/{idp}/* and its control-plane management.
import { Hono } from 'hono';
import type { AppEnv } from '../http/context.js';

export function idpRoutes() {
  return new Hono<AppEnv>();
}

export function idpControlRoutes() {
  return new Hono<AppEnv>();
}
