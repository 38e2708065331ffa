// The bounds on what one SCIM request may ask (so no request keeps the event loop busy for long),
// each refused with a 400 in RFC 7644 §3.12 form that names the limit.
import { EmulatorError } from '../errors.js';

/** Operations in one PatchOp message. */
export const MAX_PATCH_OPERATIONS = 1000;
/** Values of one multi-valued User attribute (emails, phoneNumbers, addresses, …); Group members are not capped. */
export const MAX_ATTRIBUTE_VALUES = 100;
/** Characters of one string attribute value. */
export const MAX_STRING_LENGTH = 4096;
/** Attribute expressions in one filter (value filters included). */
export const MAX_FILTER_TERMS = 200;
/** Nesting of parentheses, `not (…)` and value filters `[…]` in one filter. */
export const MAX_FILTER_DEPTH = 50;
/** Value-filter terms in all the paths of one PatchOp message together (each is tested on every value). */
export const MAX_PATCH_FILTER_TERMS = 1000;
/** Paths in one `attributes` or `excludedAttributes` list. */
export const MAX_ATTRIBUTE_PATHS = 200;

/** A refusal for a request over one of the limits. */
export function limitExceeded(scimType: 'invalidValue' | 'tooMany', code: string, message: string, details: Record<string, unknown>): EmulatorError {
  return new EmulatorError({ code, status: 400, scimType, message, details });
}
