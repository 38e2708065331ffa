// Reading request bodies: JSON only (a JSON media type is required, RFC 7644 §3.1 on SCIM routes),
// well-formed UTF-8 without lone surrogates, malformed JSON a 400 naming the problem, and a zod
// schema turning shape errors into one 400 that lists every field at fault.
import type { Context, MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { z } from 'zod';
import { EmulatorError, badRequest } from '../errors.js';

export const MAX_BODY_BYTES = 1024 * 1024;

/**
 * Hono's `bodyLimit`, answering from the headers where it would: it reads `request.body` first,
 * which makes @hono/node-server build a full Fetch Request (signal, web stream) for every request
 * over the socket. A GET or HEAD request has no body (Fetch); over the socket every POST, PUT,
 * PATCH and DELETE has one, so with a Content-Length and no Transfer-Encoding the limit is that
 * header, as in `bodyLimit`. Every other request goes through `bodyLimit` itself.
 */
export function limitBody(options: { maxSize: number; onError: (c: Context) => Response | Promise<Response> }): MiddlewareHandler {
  const full = bodyLimit(options);
  // Not async: a GET goes on without a promise of its own (Hono's compose catches a throw).
  return (c, next) => {
    const method = c.req.method;
    if (method === 'GET' || method === 'HEAD') return next();
    const overSocket = (c.env as { incoming?: unknown } | undefined)?.incoming !== undefined;
    if (overSocket && (method === 'POST' || method === 'PUT' || method === 'PATCH' || method === 'DELETE')) {
      const headers = c.req.raw.headers;
      if (headers.has('content-length') && !headers.has('transfer-encoding')) {
        return Number.parseInt(headers.get('content-length') || '0', 10) > options.maxSize ? Promise.resolve(options.onError(c)) : next();
      }
    }
    return full(c, next);
  };
}

const isScimPath = (path: string) => /^\/w\/[^/]+\/scim\/v2(\/|$)/.test(path);

/**
 * The media types a JSON route accepts: `application/json` everywhere, and on SCIM routes also
 * `application/scim+json` (RFC 7644 §3.1); parameters such as `charset` are allowed.
 */
export function isJsonMediaType(header: string | undefined, scim: boolean): boolean {
  // What clients send nearly always, as sent: no parameters, spaces or upper case to take off.
  if (header === 'application/json') return true;
  if (header === 'application/scim+json') return scim;
  const type = (header ?? '').split(';')[0]!.trim().toLowerCase();
  return type === 'application/json' || (scim && type === 'application/scim+json');
}

// A high surrogate not followed by a low one, or a low one not preceded by a high one.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** True when `s` is well-formed UTF-16 (no lone surrogate), so it can be encoded as UTF-8. */
export const isWellFormedText = (s: string) => !LONE_SURROGATE.test(s);

/** Throws 400 `invalid_encoding` when a parsed JSON value holds a string with a lone surrogate. */
function checkWellFormed(value: unknown, scim: boolean): void {
  // An explicit stack: a deeply nested document cannot overflow the call stack here.
  const stack: unknown[] = [value];
  while (stack.length > 0) {
    const v = stack.pop();
    if (typeof v === 'string') {
      if (!isWellFormedText(v)) throw encodingError('a string holds a lone UTF-16 surrogate (an unpaired \\uD800-\\uDFFF escape)', scim);
    } else if (Array.isArray(v)) {
      for (const item of v) stack.push(item);
    } else if (v !== null && typeof v === 'object') {
      for (const [k, item] of Object.entries(v)) {
        if (!isWellFormedText(k)) throw encodingError('a member name holds a lone UTF-16 surrogate', scim);
        stack.push(item);
      }
    }
  }
}

function encodingError(what: string, scim: boolean): EmulatorError {
  return new EmulatorError({
    code: 'invalid_encoding',
    status: 400,
    message: `The request body is not valid Unicode text: ${what}. Send UTF-8 encoded JSON (RFC 8259 §8.1).`,
    ...(scim ? { scimType: 'invalidValue' } : {}),
  });
}

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });

// Text decoded from UTF-8 (fatal) holds no lone surrogate: JSON.parse makes one only from a
// `\uD800`-`\uDFFF` escape. Without such an escape in the text, the parsed value needs no walk.
const SURROGATE_ESCAPE = /\\u[dD][89abcdefABCDEF]/;

// The body's text, kept on the request's context by `readJson` (as the parsed URL is, in
// ./context.ts) for the layers that read the same body after the route.
const BODY_TEXT = Symbol('the request body as text');

/** The body text `readJson` decoded for this request, when it did. */
export function readBodyText(c: Context): string | undefined {
  return (c as Context & { [BODY_TEXT]?: string })[BODY_TEXT];
}

/**
 * Parses the body as JSON; an empty body is `undefined`. A body needs a JSON media type (else
 * 415 `unsupported_media_type`, so a cross-site `text/plain` form cannot reach a JSON route),
 * valid UTF-8 and no lone surrogates (400 `invalid_encoding`).
 */
export async function readJson(c: Context, opts: { scim?: boolean } = {}): Promise<unknown> {
  const scim = opts.scim ?? isScimPath(c.req.path);
  // Read first: an oversized body is a 413 whatever its type.
  const bytes = new Uint8Array(await c.req.arrayBuffer());
  let text: string;
  try {
    text = utf8.decode(bytes);
  } catch {
    throw encodingError('it is not well-formed UTF-8', scim);
  }
  (c as Context & { [BODY_TEXT]?: string })[BODY_TEXT] = text;
  if (text.trim() === '') return undefined;
  const contentType = c.req.header('Content-Type');
  if (!isJsonMediaType(contentType, scim)) {
    throw new EmulatorError({
      code: 'unsupported_media_type',
      status: 415,
      message: `This route takes JSON, but the body was sent as ${contentType ? `"${contentType}"` : 'no Content-Type'}. Send it with Content-Type: ${scim ? 'application/scim+json (or application/json)' : 'application/json'}.`,
    });
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (e) {
    throw new EmulatorError({
      code: 'invalid_json',
      status: 400,
      message: `The request body is not valid JSON: ${(e as Error).message}. Send a JSON object with Content-Type: application/json.`,
      ...(scim ? { scimType: 'invalidSyntax' } : {}),
    });
  }
  if (SURROGATE_ESCAPE.test(text)) checkWellFormed(parsed, scim);
  return parsed;
}

/** Describes zod issues as `field: problem` lines. */
export function describeIssues(error: z.ZodError): string {
  return error.issues
    .map((i) => `${i.path.length ? i.path.join('.') : 'body'}: ${i.message}`)
    .join('; ');
}

/**
 * Reads the JSON body and validates it; throws 400 `invalid_request` listing every problem. An
 * empty body stands for `{}` ("no fields"), which the schema then takes only when every field is
 * optional (the OpenAPI document marks those bodies as not required); the JSON value `null` is
 * not an object and is refused like any other non-object.
 */
export async function readBody<S extends z.ZodType>(c: Context, schema: S): Promise<z.infer<S>> {
  const raw = await readJson(c);
  if (raw === null) {
    throw badRequest('invalid_request', 'The request body is the JSON value null; send a JSON object (an empty body, or {}, where no field is needed).');
  }
  const result = schema.safeParse(raw === undefined ? {} : raw);
  if (!result.success) {
    throw badRequest('invalid_request', `The request body is not valid: ${describeIssues(result.error)}.`);
  }
  return result.data;
}
