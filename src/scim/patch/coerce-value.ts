// Checking and normalising values written by PATCH against their attribute definitions
// (RFC 7643 §2.3): canonical attribute names, vendor quirks coerced, unknown sub-attributes dropped.

import { EmulatorError } from '../../errors.js';
import { instantOf, isObject } from '../filter/attribute-values.js';
import { MAX_ATTRIBUTE_VALUES, MAX_STRING_LENGTH, limitExceeded } from '../limits.js';
import { findAttribute, type ScimAttribute } from '../schema.js';

export function invalidValue(message: string, details?: Record<string, unknown>): EmulatorError {
  return new EmulatorError({
    code: 'invalid_value',
    status: 400,
    scimType: 'invalidValue',
    message,
    ...(details ? { details } : {}),
  });
}

function describeType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : `the ${typeof value} ${JSON.stringify(value)}`;
}

function wrongType(where: string, expected: string, value: unknown): EmulatorError {
  return invalidValue(`"${where}" must be ${expected}, not ${describeType(value)}.`, { path: where });
}

/**
 * One value of a single-valued (or one element of a multi-valued) attribute, normalised:
 * "True"/"False" in any case become booleans (Entra sends `"active": "False"`), `manager`
 * given as a string becomes `{ value }`, complex values keep only defined, writable
 * sub-attributes under their canonical names. Null means "unassigned" (RFC 7643 §2.5).
 * @throws EmulatorError 400 `invalid_value` / `invalidValue` when the type does not fit.
 */
export function coerceSingle(attr: ScimAttribute, value: unknown, where: string): unknown {
  if (value === null || value === undefined) return null;
  switch (attr.type) {
    case 'string':
    case 'reference':
    case 'binary':
      if (typeof value !== 'string') throw wrongType(where, 'a string', value);
      // Binary values (certificates, photos as data) are bounded by the body size only.
      if (attr.type !== 'binary' && value.length > MAX_STRING_LENGTH) {
        throw limitExceeded(
          'invalidValue',
          'value_too_long',
          `"${where}" is ${value.length} characters long; string attributes hold at most ${MAX_STRING_LENGTH} characters.`,
          { path: where, limit: MAX_STRING_LENGTH, actual: value.length },
        );
      }
      return value;
    case 'boolean':
      if (typeof value === 'boolean') return value;
      if (typeof value === 'string' && /^(true|false)$/i.test(value)) return value.toLowerCase() === 'true';
      throw wrongType(where, 'a boolean', value);
    case 'integer':
      if (typeof value !== 'number' || !Number.isInteger(value)) throw wrongType(where, 'an integer', value);
      return value;
    case 'decimal':
      if (typeof value !== 'number' || !Number.isFinite(value)) throw wrongType(where, 'a number', value);
      return value;
    case 'dateTime':
      if (Number.isNaN(instantOf(value))) throw wrongType(where, 'an xsd:dateTime such as "2024-01-31T12:00:00Z"', value);
      return value;
    case 'complex': {
      // Enterprise `manager` arrives as a bare id from some clients (RFC 7643 §4.3 wants `{value}`).
      if (attr.name === 'manager' && typeof value === 'string') return value === '' ? null : { value };
      if (!isObject(value)) throw wrongType(where, 'an object', value);
      const out: Record<string, unknown> = {};
      for (const [key, v] of Object.entries(value)) {
        const sub = findAttribute(attr.subAttributes, key);
        // Unknown and read-only sub-attributes are ignored on write (RFC 7643 §2.2).
        if (!sub || sub.mutability === 'readOnly') continue;
        const coerced = coerceSingle(sub, v, `${where}.${sub.name}`);
        if (coerced !== null) out[sub.name] = coerced;
      }
      if (attr.name === 'manager' && out.value === '') return null;
      return out;
    }
  }
}

/**
 * A whole attribute value: for a multi-valued attribute an array (a single value is wrapped),
 * without null elements; otherwise as `coerceSingle`.
 */
export function coerceAttribute(attr: ScimAttribute, value: unknown, where: string): unknown {
  if (!attr.multiValued) return coerceSingle(attr, value, where);
  if (value === null || value === undefined) return null;
  const items = Array.isArray(value) ? value : [value];
  checkValueCount(attr, items.length, where);
  return items
    .map((item, i) => coerceSingle(attr, item, `${where}[${i}]`))
    .filter((item) => item !== null && !(isObject(item) && Object.keys(item).length === 0));
}

/**
 * Refuses more than MAX_ATTRIBUTE_VALUES values in one multi-valued attribute (Group `members`
 * is not capped: membership changes travel as a delta and stay linear).
 */
export function checkValueCount(attr: ScimAttribute, count: number, where: string): void {
  if (attr.name === 'members' || count <= MAX_ATTRIBUTE_VALUES) return;
  throw limitExceeded(
    'invalidValue',
    'too_many_values',
    `"${where}" would hold ${count} values; a multi-valued attribute holds at most ${MAX_ATTRIBUTE_VALUES}.`,
    { path: where, limit: MAX_ATTRIBUTE_VALUES, actual: count },
  );
}
