// Reading attribute values out of a SCIM resource and comparing them with the typing and
// case rules of their schema definition (RFC 7643 §2.3, RFC 7644 §3.4.2.2), shared by the
// filter evaluator and the sort comparator.

import { identityKey } from '../../store/identity-key.js';
import type { ScimAttribute } from '../schema.js';
import type { CompareOperator } from './parse-filter.js';

type JsonObject = Record<string, unknown>;

export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The key of `obj` that names `name`, compared case-insensitively (RFC 7643 §2.1). */
export function findKey(obj: JsonObject, name: string): string | undefined {
  if (Object.prototype.hasOwnProperty.call(obj, name)) return name;
  const lower = name.toLowerCase();
  return Object.keys(obj).find((k) => k.toLowerCase() === lower);
}

/** `obj[name]` with a case-insensitive name; undefined when absent or `obj` is no object. */
export function getMember(obj: unknown, name: string): unknown {
  if (!isObject(obj)) return undefined;
  const key = findKey(obj, name);
  return key === undefined ? undefined : obj[key];
}

/** The values of an attribute as a flat list: arrays spread, null and undefined dropped. */
export function flatValues(value: unknown): unknown[] {
  if (value === undefined || value === null) return [];
  if (Array.isArray(value)) return value.filter((v) => v !== undefined && v !== null);
  return [value];
}

/** RFC 7644 §3.4.2.2 `pr`: a non-empty value, or a complex value with a non-empty node. */
export function isPresentValue(value: unknown): boolean {
  if (value === undefined || value === null || value === '') return false;
  if (Array.isArray(value)) return value.some(isPresentValue);
  if (isObject(value)) return Object.values(value).some(isPresentValue);
  return true;
}

/** How values of an attribute compare: its schema type, or inferred from the JSON value. */
export type Typing =
  | { readonly kind: 'string'; readonly caseExact: boolean }
  | { readonly kind: 'number' }
  | { readonly kind: 'boolean' }
  | { readonly kind: 'dateTime' }
  | { readonly kind: 'infer' };

/** The comparison typing of an attribute definition (undefined: an attribute outside the schema). */
export function typingOf(def: ScimAttribute | undefined): Typing {
  if (!def) return { kind: 'infer' };
  switch (def.type) {
    case 'string':
    case 'reference':
    case 'binary':
      return { kind: 'string', caseExact: def.caseExact };
    case 'boolean':
      return { kind: 'boolean' };
    case 'integer':
    case 'decimal':
      return { kind: 'number' };
    case 'dateTime':
      return { kind: 'dateTime' };
    case 'complex':
      return { kind: 'infer' };
  }
}

/** Milliseconds since the epoch of an xsd:dateTime string (RFC 7643 §2.3.5), NaN if invalid. */
export function instantOf(value: unknown): number {
  if (typeof value !== 'string') return Number.NaN;
  // xsd:dateTime needs a date and a time; Date.parse alone accepts far looser input.
  const m = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})?$/i.exec(value);
  if (!m) return Number.NaN;
  // Without a zone the instant is read as UTC, so results never depend on the host's zone.
  return Date.parse(m[3] === undefined ? `${value}Z` : value);
}

function ordered(op: CompareOperator, a: string | number, e: string | number): boolean {
  switch (op) {
    case 'eq':
      return a === e;
    case 'gt':
      return a > e;
    case 'ge':
      return a >= e;
    case 'lt':
      return a < e;
    case 'le':
      return a <= e;
    /* c8 ignore next 2 */
    default:
      return false;
  }
}

function substring(op: CompareOperator, a: string, e: string): boolean {
  if (op === 'co') return a.includes(e);
  if (op === 'sw') return a.startsWith(e);
  return a.endsWith(e);
}

function effectiveTyping(typing: Typing, actual: unknown): Typing {
  const fits =
    (typing.kind === 'string' && typeof actual === 'string') ||
    (typing.kind === 'number' && typeof actual === 'number') ||
    (typing.kind === 'boolean' && typeof actual === 'boolean') ||
    (typing.kind === 'dateTime' && typeof actual === 'string');
  if (fits) return typing;
  // Outside the schema, or stored data of another type: type by the JSON value, strings
  // case-insensitive (the RFC 7643 §2.2 default caseExact is false).
  if (typeof actual === 'string') return { kind: 'string', caseExact: false };
  if (typeof actual === 'number') return { kind: 'number' };
  if (typeof actual === 'boolean') return { kind: 'boolean' };
  return { kind: 'infer' };
}

/**
 * Whether one attribute value satisfies `op expected` (RFC 7644 §3.4.2.2). `ne` is the negation
 * of `eq` for a present value. Null `expected` is handled by the caller (presence).
 */
export function compareValue(op: CompareOperator, actual: unknown, expected: FilterScalar, typing: Typing): boolean {
  if (op === 'ne') return !compareValue('eq', actual, expected, typing);
  const t = effectiveTyping(typing, actual);
  const isSubstring = op === 'co' || op === 'sw' || op === 'ew';
  switch (t.kind) {
    case 'string': {
      // caseExact: false compares as identities do (NFC, case-folded).
      const fold = (s: string) => (t.caseExact ? s : identityKey(s));
      const a = fold(actual as string);
      if (isSubstring) return substring(op, a, fold(String(expected)));
      if (typeof expected !== 'string') return false;
      return ordered(op, a, fold(expected));
    }
    case 'number':
      if (isSubstring) return substring(op, String(actual), String(expected));
      return typeof expected === 'number' && ordered(op, actual as number, expected);
    case 'boolean':
      if (isSubstring) return substring(op, String(actual), String(expected));
      return op === 'eq' && actual === expected;
    case 'dateTime': {
      if (isSubstring) return substring(op, actual as string, String(expected));
      const a = instantOf(actual);
      const e = instantOf(expected);
      return !Number.isNaN(a) && !Number.isNaN(e) && ordered(op, a, e);
    }
    case 'infer':
      return false;
  }
}

export type FilterScalar = string | number | boolean;
