// Reading request bodies: JSON only, malformed JSON is a 400 naming the problem, and a zod
// schema turns shape errors into one 400 that lists every field at fault.
import type { Context } from 'hono';
import type { z } from 'zod';
import { EmulatorError, badRequest } from '../errors.js';

export const MAX_BODY_BYTES = 1024 * 1024;

/** Parses the body as JSON; an empty body is `undefined`. */
export async function readJson(c: Context, opts: { scim?: boolean } = {}): Promise<unknown> {
  const text = await c.req.text();
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new EmulatorError({
      code: 'invalid_json',
      status: 400,
      message: `The request body is not valid JSON: ${(e as Error).message}. Send a JSON object with Content-Type: application/json.`,
      ...(opts.scim ? { scimType: 'invalidSyntax' } : {}),
    });
  }
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
