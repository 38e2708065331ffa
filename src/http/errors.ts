// Maps every failure to the protocol's own form in one place: SCIM error JSON (RFC 7644 §3.12)
// on SCIM routes, `{"error":{code,message}}` elsewhere. No stack traces in responses.
import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { EmulatorError } from '../errors.js';

export const SCIM_ERROR_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:Error';

const isScimPath = (path: string) => /^\/w\/[^/]+\/scim\/v2(\/|$)/.test(path);

/** Converts anything thrown into an EmulatorError (unknown errors become a 500 without detail). */
export function toEmulatorError(err: unknown): EmulatorError {
  if (err instanceof EmulatorError) return err;
  if (err instanceof HTTPException) {
    const status = err.status;
    return new EmulatorError({
      code: status === 413 ? 'payload_too_large' : status === 401 ? 'unauthorized' : 'bad_request',
      status,
      message: err.message || `Request refused with status ${status}.`,
    });
  }
  return new EmulatorError({
    code: 'internal_error',
    status: 500,
    message: 'The emulator failed to handle this request; the state was not changed. See the server log.',
  });
}

/** The response for an error, in the form the route's protocol expects. */
export function errorResponse(c: Context, err: unknown): Response {
  const e = toEmulatorError(err);
  if (e.status >= 500 && !(err instanceof EmulatorError)) {
    process.stderr.write(`edu-emulator: ${c.req.method} ${c.req.path}: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  }
  const headers: Record<string, string> = {};
  if (e.status === 401) headers['WWW-Authenticate'] = isScimPath(c.req.path) ? 'Bearer realm="SCIM"' : 'Bearer realm="edu-workspace-emulator"';
  if (isScimPath(c.req.path)) {
    // RFC 7644 §3.12: status is a string; scimType only for the 400/409/412/413 kinds it names.
    const body: Record<string, unknown> = { schemas: [SCIM_ERROR_SCHEMA], status: String(e.status), detail: e.message };
    if (e.scimType) body.scimType = e.scimType;
    return c.body(JSON.stringify(body), e.status as 400, { ...headers, 'Content-Type': 'application/scim+json' });
  }
  return c.json({ error: { code: e.code, message: e.message, ...(e.details ?? {}) } }, e.status as 400, headers);
}
