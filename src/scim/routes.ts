// SCIM 2.0 service provider routes (RFC 7644) under /w/{ws}/scim/v2, and SCIM token management
// in the admin API.
import { Hono } from 'hono';
import type { AppEnv } from '../http/context.js';

export function scimRoutes() {
  return new Hono<AppEnv>();
}

export function scimTokenRoutes() {
  return new Hono<AppEnv>();
}
